"""A run's change log: its files written as the run goes, committed together at the end.

One kind of log for every mode that keeps one: ``IN OUT`` into
``OUT/.clean-articles/`` (trees and JSONL corpora, :mod:`cleaner.cli.driver`)
and ``--fix --log DIR`` (:mod:`cleaner.fixlog`). Each file goes through an
:class:`~cleaner.atomic.AtomicFile`, so an interrupted run leaves the
previous log as it was.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from .atomic import AtomicFile


class RunLog:
    """A run's log files by name, written as it goes and committed at the end."""

    def __init__(self, directory: Path, parts: Sequence[str]) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self.parts = {name: AtomicFile(directory / name) for name in parts}

    def write(self, name: str, data: bytes) -> None:
        if data:
            self.parts[name].write(data)

    def write_record(self, name: str, record: dict) -> None:
        self.write(name, (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))

    def commit(self) -> None:
        for part in self.parts.values():
            part.commit()

    def abort(self) -> None:
        for part in self.parts.values():
            part.abort()
