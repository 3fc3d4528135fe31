"""Running the jobs: the executor's results counted, reported and logged."""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import sys
import tempfile
from collections import Counter, deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .. import jsonl
from ..api import Cleaner
from ..config import Options
from ..discovery import printable
from ..executors import Executor, Serial, executor
from ..fixlog import FixLog
from ..output import (
    Change,
    format_changes,
    format_rule_counts,
    plural,
)
from ..progress import Progress, total_size
from ..restore import LOG_DIR
from ..runner import DECODE_FALLBACK, FileRun, Output
from ..textio import AtomicFile
from ..tree import FileTask, clean_task
from .parser import EXIT_FAILED, EXIT_OK, cli_article_files
from .plan import Job, destination_problem, plan, real_path

if TYPE_CHECKING:
    from ..report import HtmlReport, ReportArticle


@dataclass
class Reporting:
    """What the user asked to see."""

    output_format: str = "text"
    statistics: bool = False
    quiet: bool = False
    report: HtmlReport | None = None


# --- cleaning: run ------------------------------------------------------------------------


@dataclass
class Tally:
    """Counts for the summary line."""

    read: int = 0
    changed: int = 0
    failed: int = 0
    edits: int = 0
    families: Counter = field(default_factory=Counter)
    rules: Counter = field(default_factory=Counter)
    findings: int = 0
    empty: int = 0
    guarded: int = 0
    timeouts: int = 0
    fallbacks: int = 0

    def add(self, run: FileRun) -> None:
        self.edits += run.edits
        self.families.update(run.families)
        self.rules.update(run.rules)
        self.findings += run.findings
        self.empty += run.status == "empty"
        self.guarded += run.status == "guarded"
        self.timeouts += run.timeouts
        self.fallbacks += any(n.code == DECODE_FALLBACK[0] for n in run.notes)

    def extras(self) -> str:
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
        if self.failed:
            parts.append(f"{self.failed} failed")
        return "".join(f", {part}" for part in parts)

    @property
    def exit_code(self) -> int:
        return EXIT_FAILED if self.failed or self.timeouts else EXIT_OK


def _report(job: Job, run: FileRun, progress: Progress) -> None:
    """A file's errors and warnings on stderr, one line each, named by path."""
    lines = []
    if run.failed:
        lines.append(f"{job.path}: error: {run.reason}")
    lines.extend(f"{job.path}: warning: {message}" for message in run.warnings)
    lines.extend(f"{job.path}: warning: {n.code} {n.name}: {n.message}" for n in run.notes)
    if lines:
        progress.clear()
        print(printable("\n".join(lines)), file=sys.stderr)


def _account(
    job: Job,
    run: FileRun,
    tally: Tally,
    progress: Progress,
    report: HtmlReport | None = None,
    article: ReportArticle | None = None,
) -> None:
    """Count one cleaned (or failed) file and report it (also in the HTML report)."""
    tally.read += 1
    tally.add(run)
    if run.failed:
        tally.failed += 1
    if report is not None:
        report.finish(run, article)
    _report(job, run, progress)
    progress.advance(run.record.get("input_size", 0))


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


class _Log:
    """The change log of an IN OUT run, written as it goes and committed at the end."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.changes = AtomicFile(directory / "changes.jsonl")
        self.diff = AtomicFile(directory / "changes.diff")
        self.files = AtomicFile(directory / "files.jsonl")

    def commit(self) -> None:
        for part in (self.changes, self.diff, self.files):
            part.commit()

    def abort(self) -> None:
        for part in (self.changes, self.diff, self.files):
            part.abort()


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
    runner = runner or Serial()
    tally = Tally()
    progress = _progress(jobs, reporting)
    log = _Log(target / LOG_DIR)
    out_root = target.resolve()
    # Strings, not Paths: a Path object costs several times its text, once per file.
    inputs = {str(real_path(job.path)) for job in jobs if job.problem is None}
    cleaners, index = _cleaner_index(jobs)
    spill = Path(tempfile.mkdtemp(prefix=".spill-", dir=target / LOG_DIR))
    planned: deque[Job] = deque()

    def tasks() -> Iterator[FileTask]:
        for job in jobs:
            destination = target / job.shown
            problem = job.problem or destination_problem(destination, out_root, inputs)
            if problem is None:
                destination.parent.mkdir(parents=True, exist_ok=True)
            else:
                job = dataclasses.replace(job, problem=problem)
            planned.append(job)
            yield _task(
                job,
                index,
                output=Output(target=destination),
                changes="log",
                diff=True,
                spill=spill,
                report=reporting.report is not None,
            )

    try:
        for done in runner.map(clean_task, cleaners, tasks()):
            job = planned.popleft()
            _account(job, done.run, tally, progress, reporting.report, done.article)
            # A file's records reach the log only if the file was written whole.
            for part, sink in ((done.records, log.changes), (done.diff, log.diff)):
                if part is None:
                    continue
                if done.run.failed:
                    part.discard()
                    continue
                for block in part.blocks():
                    sink.write(block)
            log.files.write(
                (json.dumps(done.run.record, ensure_ascii=False) + "\n").encode("utf-8")
            )
            if done.run.changed:
                tally.changed += 1
        progress.clear()
        log.commit()
    except BaseException:
        log.abort()
        raise
    finally:
        shutil.rmtree(spill, ignore_errors=True)
    if reporting.statistics:
        sys.stdout.write(format_rule_counts(tally.rules, reporting.output_format))
    if not reporting.quiet:
        summary = (
            f"clean-articles: {plural(tally.read, 'file')} read, {tally.changed} changed, "
            f"{plural(tally.edits, 'change')}"
        )
        families = _families(tally.families)
        if families:
            summary += f" ({families})"
        if skipped:
            summary += f", {skipped} other files skipped (not articles)"
        print(summary + tally.extras(), file=sys.stderr)
    return tally.exit_code


def _families(families: Counter) -> str:
    return ", ".join(f"{family} {n}" for family, n in sorted(families.items()))


def lint(
    jobs: Sequence[Job],
    mode: str,
    reporting: Reporting,
    runner: Executor | None = None,
    *,
    log: FixLog | None = None,
) -> int:
    """``--fix``, ``--check`` or ``--diff`` over the jobs; see the exit codes in EPILOG."""
    runner = runner or Serial()
    tally = Tally()
    listed: list[Change] = []
    progress = _progress(jobs, reporting)
    show_listing = not reporting.quiet and not reporting.statistics and mode != "diff"
    streaming = reporting.output_format != "json"
    cleaners, index = _cleaner_index(jobs)
    output = None
    if mode == "fix":
        # In place: through symlinks, keeping the file's permissions, synced to disk.
        output = Output(durable=True, write_unchanged=False, keep_mode=True)

    def task(job: Job) -> FileTask:
        out = None if output is None else dataclasses.replace(output, target=job.path.resolve())
        return _task(
            job, index, output=out, diff=mode == "diff", report=reporting.report is not None
        )

    for job, done in zip(jobs, runner.map(clean_task, cleaners, map(task, jobs)), strict=True):
        run = done.run
        _account(job, run, tally, progress, reporting.report, done.article)
        if log is not None:
            log.add(job.path, job.shown, run, done.edits)
        if run.failed:
            continue
        changes = [Change(job.shown, edit) for edit in done.edits]
        if run.changed:
            tally.changed += 1
            if mode == "diff" and done.diff is not None:
                progress.clear()
                for block in done.diff.blocks():
                    sys.stdout.write(block.decode("utf-8"))
        if show_listing and streaming and changes:
            progress.clear()
            sys.stdout.write(format_changes(changes, reporting.output_format))
        if show_listing and not streaming:
            listed.extend(changes)
    if log is not None:
        log.commit()  # an interrupted run leaves the previous log as it was
    progress.clear()
    if show_listing and not streaming:
        sys.stdout.write(format_changes(listed, reporting.output_format))
    if reporting.statistics:
        sys.stdout.write(format_rule_counts(tally.rules, reporting.output_format))
    sys.stdout.flush()
    if not reporting.quiet:
        print(_lint_summary(tally, mode), file=sys.stderr)
    if tally.exit_code or (mode != "fix" and tally.changed):
        return EXIT_FAILED
    return EXIT_OK


def _lint_summary(tally: Tally, mode: str) -> str:
    verb = "fixed" if mode == "fix" else "would change"
    summary = (
        f"clean-articles: {plural(tally.read, 'file')} checked, {tally.changed} {verb}, "
        f"{plural(tally.edits, 'change')}"
    )
    families = _families(tally.families)
    if families:
        summary += f" ({families})"
    if tally.findings:
        summary += f", {plural(tally.findings, 'finding')} not fixed"
    return summary + tally.extras()


def clean_jsonl(
    args: argparse.Namespace, source: Path, target: Path, cli: Options, reporting: Reporting
) -> int:
    """``IN OUT`` over a JSONL corpus (see :mod:`cleaner.jsonl`)."""
    files = jsonl.corpus_files(source, target, cli_article_files(args, jsonl_corpus=True))
    jobs = plan(
        files,
        cli,
        isolated=args.isolated,
        force=args.force,
    )
    options = jsonl.Options(args.text_field or jsonl.TEXT_FIELD, args.id_field)

    progress = _progress(jobs, reporting)
    if any(job.path.suffix == ".gz" for job in jobs):
        progress.total_bytes = 0  # compressed sizes say nothing of the bytes to read

    def report(line: str) -> None:
        progress.clear()
        print(printable(line), file=sys.stderr)

    runner = executor(args.engine, args.jobs)
    totals = jsonl.clean_corpus(
        jobs, target, target / LOG_DIR, runner, options, report=report, progress=progress
    )
    progress.clear()
    if reporting.statistics:
        sys.stdout.write(format_rule_counts(Counter(totals.rules), reporting.output_format))
    if not reporting.quiet:
        print(totals.summary(), file=sys.stderr)
    return EXIT_FAILED if totals.failed else EXIT_OK
