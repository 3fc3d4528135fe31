"""The run loop: every cleaning mode's executor results counted, reported and logged.

One loop, :func:`drive`, serves the three ways of cleaning: ``IN OUT`` over a
directory tree (:func:`mirror`), ``IN OUT`` over a JSONL corpus
(:func:`clean_corpus`) and ``--fix/--check/--diff`` (:func:`lint`). Each mode lists
the executor's items and takes each result, in input order; a :class:`Run` holds
what they share: one :class:`Counts` for the summary, ``--statistics`` and the exit
code, the progress line, the errors and warnings on stderr, and, for ``IN OUT``, one
:class:`RunLog` in ``OUT/.clean-articles/`` committed whole at the end or not at all.
"""

from __future__ import annotations

import dataclasses
import shutil
import sys
import tempfile
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .. import fixmemory, jsonl
from ..api import Cleaner
from ..atomic import remove_leftover
from ..codes import DECODE_FALLBACK
from ..discovery import printable
from ..executors import Executor, Serial
from ..fixlog import FixLog
from ..output import Change, format_changes, format_rule_counts, plural
from ..progress import Progress, total_size
from ..restore import CHANGES_LOG, FILES_LOG, LOG_DIR, RECORDS_LOG
from ..runlog import RunLog
from ..runner import FileRun, Output
from ..tree import FileDone, FileTask, clean_task
from .parser import EXIT_FAILED, EXIT_OK
from .plan import Job, destination_problem, real_path

if TYPE_CHECKING:
    from ..report import HtmlReport, ReportArticle

#: The parts of an IN OUT log, in the order they are committed.
DIFF_LOG = "changes.diff"
TREE_LOG = (CHANGES_LOG, DIFF_LOG, FILES_LOG)
CORPUS_LOG = (CHANGES_LOG, RECORDS_LOG, FILES_LOG)

Item = TypeVar("Item")
Task = TypeVar("Task")
Done = TypeVar("Done")


@dataclass
class Reporting:
    """What the user asked to see."""

    output_format: str = "text"
    statistics: bool = False
    quiet: bool = False
    report: HtmlReport | None = None


@dataclass
class Counts:
    """What a run counts, for its summary line, ``--statistics`` and its exit code.

    ``changed`` counts files, or for a JSONL corpus records; ``records`` and
    ``bad_records`` are a corpus's only.
    """

    files: int = 0
    changed: int = 0
    failed: int = 0
    edits: int = 0
    families: Counter = field(default_factory=Counter)
    #: (code, name, applied) -> how many changes (applied) and findings.
    rules: Counter = field(default_factory=Counter)
    findings: int = 0
    empty: int = 0
    guarded: int = 0
    timeouts: int = 0
    fallbacks: int = 0
    records: int = 0
    bad_records: int = 0

    def add_file(self, run: FileRun) -> None:
        """A text file cleaned (or failed)."""
        self.files += 1
        self.edits += run.edits
        self.families.update(run.families)
        self.rules.update(run.rules)
        self.findings += run.findings
        self.empty += run.status == "empty"
        self.guarded += run.status == "guarded"
        self.timeouts += run.timeouts
        self.fallbacks += any(n.code == DECODE_FALLBACK[0] for n in run.notes)
        self.failed += run.failed

    def add_batch(self, done: jsonl.BatchDone) -> None:
        """A batch of JSONL records cleaned."""
        self.records += done.read
        self.changed += done.changed
        self.edits += done.edits
        self.findings += done.findings
        self.timeouts += done.timeouts
        self.guarded += done.guarded
        self.families.update(done.families)
        self.rules.update(done.rules)
        self.bad_records += len(done.errors)

    def extras(self, failed_unit: str = "") -> str:
        """The summary's tail: what went wrong or was held back, when anything was."""
        parts = []
        if self.empty:
            parts.append(f"{self.empty} empty")
        if self.fallbacks:
            parts.append(f"{self.fallbacks} read as cp1252")
        if self.guarded:
            parts.append(f"{self.guarded} left unchanged by the damage guard")
        if self.timeouts:
            parts.append(plural(self.timeouts, "rule timeout"))
        if self.bad_records:
            parts.append(f"{plural(self.bad_records, 'bad record')} passed through")
        if self.failed:
            failed = plural(self.failed, failed_unit) if failed_unit else str(self.failed)
            parts.append(f"{failed} failed")
        return "".join(f", {part}" for part in parts)

    def families_text(self) -> str:
        return ", ".join(f"{family} {n}" for family, n in sorted(self.families.items()))

    @property
    def exit_code(self) -> int:
        return EXIT_FAILED if self.failed or self.timeouts or self.bad_records else EXIT_OK


@dataclass
class Run:
    """What the modes of one run share: counts, progress, messages, the log."""

    reporting: Reporting
    progress: Progress
    log: RunLog | None = None
    counts: Counts = field(default_factory=Counts)

    def say(self, text: str) -> None:
        """Errors and warnings on stderr, named by path (the progress line cleared first)."""
        self.progress.clear()
        print(printable(text), file=sys.stderr)

    def account(self, job: Job, run: FileRun, article: ReportArticle | None = None) -> None:
        """Count one cleaned (or failed) text file and report it (also in the HTML report)."""
        self.counts.add_file(run)
        if self.reporting.report is not None:
            self.reporting.report.finish(run, article)
        lines = []
        if run.failed:
            lines.append(f"{job.path}: error: {run.reason}")
        lines.extend(f"{job.path}: warning: {message}" for message in run.warnings)
        lines.extend(f"{job.path}: warning: {n.code} {n.name}: {n.message}" for n in run.notes)
        if lines:
            self.say("\n".join(lines))
        self.progress.advance(run.record.get("input_size", 0))

    def finish(self, summary: str, *, flush: bool = False) -> int:
        """``--statistics`` on stdout, the summary line on stderr; the exit code."""
        if self.reporting.statistics:
            sys.stdout.write(format_rule_counts(self.counts.rules, self.reporting.output_format))
        if flush:
            sys.stdout.flush()
        if not self.reporting.quiet:
            print(summary, file=sys.stderr)
        return self.counts.exit_code


def drive(
    run: Run,
    runner: Executor,
    work: Callable[[Sequence[Cleaner], Task], Done],
    cleaners: list[Cleaner],
    items: Iterable[tuple[Item, Task]],
    take: Callable[[Item, Done], None],
    abort: Callable[[Sequence[Item]], None] = lambda untaken: None,
) -> None:
    """The run loop: ``work`` each (item, task) on the executor, ``take`` each result.

    Results come back in input order, each paired with its item, so what a mode
    writes is the same whatever the executor. The log is committed when every
    result is taken; on any error (a dead worker, Ctrl-C) it is aborted after
    ``abort`` lets the mode drop its half-written output, given the items sent
    to the executor whose results were not taken (the executor has stopped
    its workers by then).
    """
    sent: deque[Item] = deque()

    def tasks() -> Iterator[Task]:
        for item, task in items:
            sent.append(item)
            yield task

    try:
        for done in runner.map(work, cleaners, tasks()):
            take(sent.popleft(), done)
        run.progress.clear()
        if run.log is not None:
            run.log.commit()
    except BaseException:
        abort(list(sent))
        if run.log is not None:
            run.log.abort()
        raise


def _progress(jobs: Sequence[Job], reporting: Reporting) -> Progress:
    """Files and bytes to go, on stderr (nothing with --quiet); see :mod:`cleaner.progress`."""
    if reporting.quiet:
        return Progress(len(jobs), enabled=False)
    return Progress(len(jobs), total_size(job.path for job in jobs if job.problem is None))


def _cleaner_index(jobs: Sequence[Job]) -> tuple[list[Cleaner], dict[int, int]]:
    """The distinct cleaners of the jobs (sent to each worker once) and each one's index."""
    cleaners: list[Cleaner] = []
    index: dict[int, int] = {}
    for job in jobs:
        if job.cleaner is not None and id(job.cleaner) not in index:
            index[id(job.cleaner)] = len(cleaners)
            cleaners.append(job.cleaner)
    return cleaners, index


def _task(job: Job, index: dict[int, int], **kwargs) -> FileTask:
    cleaner = None if job.cleaner is None else index[id(job.cleaner)]
    return FileTask(job.path, job.shown, cleaner, job.lang, job.source_lang, job.problem, **kwargs)


# --- IN OUT: a directory tree ------------------------------------------------------------


def mirror(
    jobs: Sequence[Job],
    target: Path,
    reporting: Reporting,
    runner: Executor | None = None,
    *,
    skipped: int = 0,
) -> int:
    """``IN OUT``: write every cleaned article under ``target`` and the log beside them.

    Articles and log are written through temporary files and renamed; files
    already in OUT are overwritten only where an article goes, never deleted.
    The articles are cleaned by ``runner`` (default: serial); results come
    back in input order, so the log is the same whatever the executor.
    """
    log = RunLog(target / LOG_DIR, TREE_LOG)
    run = Run(reporting, _progress(jobs, reporting), log)
    out_root = target.resolve()
    # Strings, not Paths: a Path object costs several times its text, once per file.
    inputs = {str(real_path(job.path)) for job in jobs if job.problem is None}
    cleaners, index = _cleaner_index(jobs)
    spill = Path(tempfile.mkdtemp(prefix=".spill-", dir=target / LOG_DIR))

    def items() -> Iterator[tuple[Job, FileTask]]:
        for job in jobs:
            destination = target / job.shown
            problem = job.problem or destination_problem(destination, out_root, inputs)
            if problem is None:
                destination.parent.mkdir(parents=True, exist_ok=True)
            else:
                job = dataclasses.replace(job, problem=problem)
            task = _task(
                job,
                index,
                output=Output(target=destination),
                changes="log",
                diff=True,
                spill=spill,
                report=reporting.report is not None,
            )
            yield job, task

    def take(job: Job, done: FileDone) -> None:
        run.account(job, done.run, done.article)
        # A file's records reach the log only if the file was written whole.
        for name, part in ((CHANGES_LOG, done.records), (DIFF_LOG, done.diff)):
            if part is None:
                continue
            if done.run.failed:
                part.discard()
                continue
            for block in part.blocks():
                log.write(name, block)
        log.write_record(FILES_LOG, done.run.record)
        if done.run.changed:
            run.counts.changed += 1

    def abort(untaken: Sequence[Job]) -> None:
        # A worker killed mid-file (the pool breaks when one dies) leaves its temporary file.
        for job in untaken:
            remove_leftover(target / job.shown)

    try:
        # Looked up at call time, so a test can put another work function in its place.
        drive(run, runner or Serial(), clean_task, cleaners, items(), take, abort)
    finally:
        shutil.rmtree(spill, ignore_errors=True)
    counts = run.counts
    summary = (
        f"clean-articles: {plural(counts.files, 'file')} read, {counts.changed} changed, "
        f"{plural(counts.edits, 'change')}"
    )
    families = counts.families_text()
    if families:
        summary += f" ({families})"
    if skipped:
        summary += f", {skipped} other files skipped (not articles)"
    return run.finish(summary + counts.extras())


# --- IN OUT: a JSONL corpus ----------------------------------------------------------------


def clean_corpus(
    jobs: Sequence[Job],
    target: Path,
    reporting: Reporting,
    runner: Executor,
    options: jsonl.Options,
) -> int:
    """``IN OUT`` over JSONL files (see :mod:`cleaner.jsonl`): the records of each file
    cleaned in batches, written into ``target`` in order, each output file and the
    log committed only when whole.
    """
    progress = _progress(jobs, reporting)
    if any(job.path.suffix == ".gz" for job in jobs):
        progress.total_bytes = 0  # compressed sizes say nothing of the bytes to read
    run = Run(reporting, progress)
    counts = run.counts
    usable = []
    for job in jobs:
        if job.problem is None and job.cleaner is not None:
            usable.append(job)
            continue
        counts.files += 1
        counts.failed += 1
        run.say(f"{job.path}: error: {job.problem or 'no settings'}")
    # The cleaners are sent to the workers before the first item: list them now.
    cleaners, index = _cleaner_index(usable)
    log = run.log = RunLog(target / LOG_DIR, CORPUS_LOG)
    sources: list[jsonl.FileSource] = []
    writer: jsonl.Writer | None = None
    file_counts: dict[str, Any] = {}

    def items() -> Iterator[tuple[jsonl.Batch, jsonl.Batch]]:
        for number, job in enumerate(usable):
            source = jsonl.FileSource(job.path)
            sources.append(source)
            for batch in jsonl.batches(
                number, job.shown, source, index[id(job.cleaner)], options, job.lang,
                job.source_lang,
            ):  # fmt: skip
                yield batch, batch

    def take(batch: jsonl.Batch, batch_done: jsonl.BatchDone) -> None:
        nonlocal writer, file_counts
        job = usable[batch.file]
        if writer is None:
            destination = target / job.shown
            destination.parent.mkdir(parents=True, exist_ok=True)
            writer = jsonl.Writer(destination)
            file_counts = {"text_field": options.text_field, "records": 0, "changed": 0,
                           "bad_records": 0}  # fmt: skip
        writer.write(batch_done.output)
        progress.add_bytes(sum(len(line) for line in batch.lines))
        log.write(CHANGES_LOG, batch_done.changes)
        log.write(RECORDS_LOG, batch_done.records)
        counts.add_batch(batch_done)
        file_counts["records"] += batch_done.read
        file_counts["changed"] += batch_done.changed
        file_counts["bad_records"] += len(batch_done.errors)
        for number, reason in batch_done.errors:
            run.say(f"{job.path}:{number}: error: {reason}")
        for number, message in batch_done.warnings:
            run.say(f"{job.path}:{number}: warning: {message}")
        if not batch.last:
            return
        source = sources[batch.file]
        counts.files += 1
        if source.error is not None:
            writer.abort()
            counts.failed += 1
            run.say(f"{job.path}: error: {source.error}")
            output = None
        else:
            output = writer.commit()
        log.write_record(FILES_LOG, jsonl.files_record(job.shown, source, file_counts, output))
        writer = None
        progress.advance(0)

    def abort(untaken: Sequence[Job]) -> None:
        # Workers clean batches and write nothing: the writer is the only output.
        if writer is not None:
            writer.abort()

    drive(run, runner, jsonl.clean_batch, cleaners, items(), take, abort)
    summary = (
        f"clean-articles: {plural(counts.records, 'record')} read in "
        f"{plural(counts.files, 'JSONL file')}, {counts.changed} changed, "
        f"{plural(counts.edits, 'change')}"
    )
    if counts.families:
        summary += f" ({counts.families_text()})"
    return run.finish(summary + counts.extras(failed_unit="file"))


# --- --fix, --check, --diff ---------------------------------------------------------------


def _remember_source_language(record: dict) -> None:
    """A fixed file's inferred source language, kept for the next ``--fix`` of it."""
    inferred, written = record.get("source_language"), record.get("output_sha256")
    if inferred and written:
        fixmemory.remember(written, inferred)


def lint(
    jobs: Sequence[Job],
    mode: str,
    reporting: Reporting,
    runner: Executor | None = None,
    *,
    log: FixLog | None = None,
) -> int:
    """``--fix``, ``--check`` or ``--diff`` over the jobs; see the exit codes in EPILOG."""
    run = Run(reporting, _progress(jobs, reporting))
    counts = run.counts
    listed: list[Change] = []
    show_listing = not reporting.quiet and not reporting.statistics and mode != "diff"
    streaming = reporting.output_format != "json"
    cleaners, index = _cleaner_index(jobs)
    output = None
    if mode == "fix":
        # In place: through symlinks, keeping the file's permissions, synced to disk.
        output = Output(durable=True, write_unchanged=False, keep_mode=True)

    def items() -> Iterator[tuple[Job, FileTask]]:
        for job in jobs:
            out = None if output is None else dataclasses.replace(output, target=job.path.resolve())
            diff = mode == "diff"
            yield job, _task(job, index, output=out, diff=diff, report=reporting.report is not None)

    def take(job: Job, done: FileDone) -> None:
        file = done.run
        run.account(job, file, done.article)
        if log is not None:
            log.add(job.path, job.shown, file, done.edits)
        if file.failed:
            return
        if mode == "fix" and job.source_lang is None:
            _remember_source_language(file.record)
        changes = [Change(job.shown, edit) for edit in done.edits]
        if file.changed:
            counts.changed += 1
            if mode == "diff" and done.diff is not None:
                run.progress.clear()
                for block in done.diff.blocks():
                    sys.stdout.write(block.decode("utf-8"))
        if show_listing and streaming and changes:
            run.progress.clear()
            sys.stdout.write(format_changes(changes, reporting.output_format))
        if show_listing and not streaming:
            listed.extend(changes)

    def abort(untaken: Sequence[Job]) -> None:
        if output is not None:  # --fix: a worker killed mid-file leaves its temporary file
            for job in untaken:
                remove_leftover(job.path.resolve())

    drive(run, runner or Serial(), clean_task, cleaners, items(), take, abort)
    if log is not None:
        log.commit()  # an interrupted run leaves the previous log as it was
    if show_listing and not streaming:
        sys.stdout.write(format_changes(listed, reporting.output_format))
    code = run.finish(_lint_summary(counts, mode), flush=True)
    if code or (mode != "fix" and counts.changed):
        return EXIT_FAILED
    return EXIT_OK


def _lint_summary(counts: Counts, mode: str) -> str:
    verb = "fixed" if mode == "fix" else "would change"
    summary = (
        f"clean-articles: {plural(counts.files, 'file')} checked, {counts.changed} {verb}, "
        f"{plural(counts.edits, 'change')}"
    )
    families = counts.families_text()
    if families:
        summary += f" ({families})"
    if counts.findings:
        summary += f", {plural(counts.findings, 'finding')} not fixed"
    return summary + counts.extras()
