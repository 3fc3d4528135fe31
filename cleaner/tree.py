"""Article files as units of work for an executor (:mod:`cleaner.executors`).

The command line describes each file to clean as a :class:`FileTask`
(small, picklable: a path, which cleaner, where the output goes) and
:func:`clean_task` runs it in whichever process the executor chooses: it
cleans the file with :func:`cleaner.runner.clean_file` (which writes the
output atomically) and gives back a :class:`FileDone` with what the caller
needs to count, report and log it, in input order.

The change records and diff of one file can be large (a 200 MB file), so in
``IN OUT`` mode they are held in memory only up to :data:`SPILL_BYTES` and
otherwise written to a file in the log directory (``spill``), which the
caller appends to the log and deletes: a worker never hands over more than
that much through a pipe, whatever the file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .api import Cleaner
from .changelog import Edit, jsonl
from .report import ReportArticle
from .runner import FileRun, Output, clean_file

#: Records and diff of a file kept in memory up to this size, then spilled to disk.
SPILL_BYTES = 256 << 10


@dataclass(frozen=True)
class FileTask:
    """One file to clean: ``cleaner`` indexes the cleaners the workers were given."""

    path: Path
    shown: str
    cleaner: int | None
    lang: str | None = None
    source_lang: str | None = None
    problem: str | None = None
    output: Output | None = None
    #: ``"log"``: the change records as JSON lines (IN OUT); ``"edits"``: as Edit objects.
    changes: str = "edits"
    diff: bool = False
    #: Where large records and diffs go (IN OUT: a directory beside the log).
    spill: Path | None = None
    #: Gather what the HTML report shows of the file (:class:`ReportArticle`).
    report: bool = False


class Spilled:
    """Bytes held in memory up to :data:`SPILL_BYTES`, then in a file of ``directory``."""

    def __init__(self, directory: Path | None) -> None:
        self._directory = directory
        self._parts: list[bytes] = []
        self._size = 0
        self.path: Path | None = None
        self._file = None

    def write(self, data: bytes) -> None:
        spill = self._file is None and self._directory is not None
        if spill and self._size + len(data) > SPILL_BYTES:
            fd, name = tempfile.mkstemp(dir=self._directory, prefix=".spill-")
            self._file = os.fdopen(fd, "wb")
            self.path = Path(name)
            self._file.write(b"".join(self._parts))
            self._parts = []
        if self._file is not None:
            self._file.write(data)
        else:
            self._parts.append(data)
        self._size += len(data)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def blocks(self) -> Iterator[bytes]:
        """The bytes, in blocks; a spill file is deleted once read."""
        if self.path is None:
            yield from self._parts
            return
        try:
            with open(self.path, "rb") as spilled:
                yield from iter(lambda: spilled.read(1 << 20), b"")
        finally:
            self.discard()

    def discard(self) -> None:
        self.close()
        if self.path is not None:
            with contextlib.suppress(FileNotFoundError):
                self.path.unlink()

    def __getstate__(self) -> dict:
        # Crossing a process boundary: the file (if any) stays on disk, named.
        self.close()
        return {"parts": self._parts, "size": self._size, "path": self.path}

    def __setstate__(self, state: dict) -> None:
        self._directory = None
        self._parts = state["parts"]
        self._size = state["size"]
        self.path = state["path"]
        self._file = None


@dataclass
class FileDone:
    """What cleaning one file produced, for the caller to count, report and log."""

    run: FileRun
    edits: list[Edit] = field(default_factory=list)
    records: Spilled | None = None
    diff: Spilled | None = None
    article: ReportArticle | None = None


def clean_task(cleaners: Sequence[Cleaner], task: FileTask) -> FileDone:
    """Clean one file in this process (an executor's ``work``); never raises for a bad file."""
    if task.problem is not None or task.cleaner is None:
        run = FileRun(task.path, task.shown, reason=task.problem or "no settings")
        run.record = {"file": task.shown, "status": "failed", "reason": run.reason}
        return FileDone(run)
    done = FileDone(FileRun(task.path, task.shown))
    if task.changes == "log":
        done.records = Spilled(task.spill)
    if task.diff:
        done.diff = Spilled(task.spill)
    if task.report:
        done.article = ReportArticle(task.shown)

    def on_changes(edits: list[Edit]) -> None:
        if done.records is not None:
            done.records.write(jsonl(edits, task.shown).encode("utf-8"))
        else:
            done.edits.extend(edits)

    def on_diff(text: str) -> None:
        assert done.diff is not None
        done.diff.write(text.encode("utf-8"))

    try:
        done.run = clean_file(
            task.path,
            task.shown,
            cleaners[task.cleaner],
            lang=task.lang,
            source_lang=task.source_lang,
            output=task.output,
            on_changes=on_changes,
            on_diff=on_diff if task.diff else None,
            on_piece=done.article.add if done.article is not None else None,
        )
    except BaseException:
        for part in (done.records, done.diff):
            if part is not None:
                part.discard()
        raise
    for part in (done.records, done.diff):
        if part is not None:
            part.close()
    return done
