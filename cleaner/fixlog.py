"""``--fix --log DIR``: a change log for in-place fixes, kept outside the tree.

``--fix`` writes nothing but the fixed files into your tree. With ``--log
DIR`` it also writes, into DIR, what ``IN OUT`` writes into its log:
``changes.jsonl`` (every change and finding, with the rule, the original
text and its position) and ``files.jsonl`` (one record per file: status,
encoding, line endings, SHA-256 before and after, the document's
``language`` and ``source_language``; plus ``path``, the file's absolute
path). Both are written through temporary files and committed at the end.
``clean-articles revert --in-place DIR`` undoes the run byte for byte, file by
file at those paths (:func:`cleaner.restore.revert_fix_log`).

A later run with the same DIR does not lose the earlier one's log: before it
commits its own, it files the log it replaces under ``DIR/earlier/N`` (N = 1,
2, ... in the order of the runs), so ``--fix`` then ``--fix --unsafe-fixes``
can both be undone, newest first: ``revert --in-place DIR``, then
``revert --in-place DIR/earlier/N`` for the highest N, and so on. Each is a
log of the same format; a file changed since its run is left alone.

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
import shutil
import tempfile
from pathlib import Path

from .changelog import Edit, jsonl
from .config import absolute
from .langcodes import language_code
from .runlog import RunLog
from .runner import FileRun

CHANGES = "changes.jsonl"
FILES = "files.jsonl"
#: Where a run files the log of the run before it (``earlier/1``, ``earlier/2``, ...).
EARLIER = "earlier"


class FixLog(RunLog):
    """The log of one ``--fix`` run, written as it goes and committed at the end."""

    def __init__(self, directory: Path) -> None:
        super().__init__(directory, (CHANGES, FILES))

    def add(self, path: Path, shown: str, run: FileRun, edits: list[Edit]) -> None:
        if not run.failed:
            self.write(CHANGES, jsonl(edits, shown).encode("utf-8"))
        record = run.record or {"file": shown, "status": "failed", "reason": run.reason}
        self.write_record(FILES, {**record, "path": str(absolute(path))})

    def commit(self) -> None:
        """File the log this run replaces under ``earlier/N``, then commit this one."""
        archive_current(self.directory)
        super().commit()


def earlier_runs(directory: Path) -> list[Path]:
    """The logs of the runs before the current one, oldest first."""
    earlier = directory / EARLIER
    if not earlier.is_dir():
        return []
    numbered = [p for p in earlier.iterdir() if p.name.isdigit() and p.is_dir()]
    return sorted(numbered, key=lambda p: int(p.name))


def archive_current(directory: Path) -> Path | None:
    """Copy the log in ``directory`` (if any) to the next ``earlier/N``; return that path.

    The copy is made in a temporary directory and renamed into place, so an
    interrupted run leaves either no ``earlier/N`` or a whole one, and the
    current log is only replaced (by :meth:`FixLog.commit`) after it.
    """
    if not (directory / CHANGES).is_file() or not (directory / FILES).is_file():
        return None
    earlier = directory / EARLIER
    earlier.mkdir(exist_ok=True)
    runs = earlier_runs(directory)
    number = int(runs[-1].name) + 1 if runs else 1
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=earlier))
    try:
        for name in (CHANGES, FILES):
            shutil.copy2(directory / name, staging / name)
        target = earlier / str(number)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


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
