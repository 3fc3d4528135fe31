"""``--fix --log DIR``: a change log for in-place fixes, kept outside the tree.

``--fix`` writes nothing but the fixed files into your tree. With ``--log
DIR`` it also writes, into DIR, what ``IN OUT`` writes into its log:
``changes.jsonl`` (every change and finding, with the rule, the original
text and its position) and ``files.jsonl`` (one record per file: status,
encoding, line endings, SHA-256 before and after, the document's
``language`` and ``source_language``; plus ``path``, the file's absolute
path). Both are written through temporary files and committed at the end.
``clean-articles revert --in-place DIR`` undoes the run byte for byte, file by
file at those paths (:func:`cleaner.restore.revert_fix_log`); a later run with
the same DIR replaces the log, so it is the last run that can be undone.

The log also carries a decision from one run to the next. The source
language of a machine translation is inferred from residue in the text
(:mod:`cleaner.source_language`), and the safe fixes remove that residue:
``--fix`` then ``--fix --unsafe-fixes`` would find no evidence the second
time. A run given ``--log DIR`` takes the source language DIR recorded for a
file whose own evidence no longer decides it (never over ``--source-lang``
or the configuration), so fixing in two steps gives the result of one.
"""

from __future__ import annotations

import json
from pathlib import Path

from .changelog import Edit, jsonl
from .config import absolute
from .langcodes import language_code
from .runlog import RunLog
from .runner import FileRun

CHANGES = "changes.jsonl"
FILES = "files.jsonl"


class FixLog(RunLog):
    """The log of one ``--fix`` run, written as it goes and committed at the end."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory, (CHANGES, FILES))

    def add(self, path: Path, shown: str, run: FileRun, edits: list[Edit]) -> None:
        if not run.failed:
            self.write(CHANGES, jsonl(edits, shown).encode("utf-8"))
        record = run.record or {"file": shown, "status": "failed", "reason": run.reason}
        self.write_record(FILES, {**record, "path": str(absolute(path))})


def logged_source_languages(directory: Path) -> dict[str, str]:
    """Absolute path -> the source language an earlier run with this log decided."""
    try:
        lines = (directory / FILES).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return {}
    decided: dict[str, str] = {}
    for line in lines:
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if not isinstance(record, dict):
            continue
        path, language = record.get("path"), record.get("source_language")
        if isinstance(path, str) and isinstance(language, str):
            try:
                decided[path] = language_code(language, allow_none=True)
            except ValueError:
                continue  # the log is input too: a value that is no language is not used
    return decided
