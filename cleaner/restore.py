"""Giving back the inputs of an ``IN OUT`` run, byte for byte, from OUT and its log.

``clean-articles IN OUT`` writes, beside the cleaned tree, ``OUT/.clean-articles/``:

- ``files.jsonl``: one record per file (see :mod:`cleaner.runner`): status,
  encoding, BOM, line-break style and the lines that broke differently,
  the characters in and out of each piece, and the SHA-256 and size of the
  input and of the output;
- ``changes.jsonl``: one record per change (``applied``) or finding, in file
  order, with the offsets :func:`cleaner.changelog.revert` replays backwards.

:func:`revert_output` rebuilds each input: it checks that the OUT file is
still the one the run wrote (its SHA-256), undoes the applied edits piece by
piece, puts the original line breaks back, encodes with the original
encoding and BOM, checks the result against the input's SHA-256, and only
then writes it (atomically) to ``DEST/<file>``, or over ``OUT/<file>`` in
place. A file whose output was identical to its input is copied. Nothing is
written for a file that does not check out; files in OUT that the log does
not list are left alone. Memory stays bounded: files are read in blocks and
undone piece by piece.

The log of ``--fix --log DIR`` (:mod:`cleaner.fixlog`) reverts the same way,
in place only: ``clean-articles revert --in-place DIR`` restores each file at
the absolute ``path`` DIR lists (through symlinks, as ``--fix`` wrote),
keeping its permissions (:func:`revert_fix_log`). DIR holds the log of the
last ``--fix`` run given it, so that run is what is undone; the runs before
it are logged in ``DIR/earlier/N`` (:mod:`cleaner.fixlog`), reverted the same way.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .atomic import AtomicFile
from .changelog import Edit, revert
from .textio import (
    InputError,
    Source,
    normalised_text,
    sha256_of,
    with_endings,
)

LOG_DIR = ".clean-articles"
FILES_LOG = "files.jsonl"
CHANGES_LOG = "changes.jsonl"
RECORDS_LOG = "records.jsonl"


class RevertError(Exception):
    """The log cannot be used at all (missing, unreadable, not from an IN OUT run)."""


@dataclass
class Restored:
    """What happened to one file of the log."""

    file: str
    status: str  # restored | copied | already | failed
    reason: str = ""

    @property
    def failed(self) -> bool:
        return self.status == "failed"


def revert_output(
    out: Path,
    dest: Path | None = None,
    *,
    in_place: bool = False,
    on_file: Callable[[Restored], None] | None = None,
) -> list[Restored]:
    """Restore the inputs of the run that wrote ``out`` into ``dest`` (or in place).

    Returns one :class:`Restored` per file of the log; raises
    :class:`RevertError` when the log itself is unusable.
    """
    if (dest is None) == (not in_place):
        raise ValueError("give either dest or in_place=True")
    log = out / LOG_DIR
    if not log.exists() and (out / FILES_LOG).is_file():
        if not in_place:
            raise RevertError(
                f"{out} is the log of a --fix run: it reverts the fixed files where they are "
                f"(clean-articles revert --in-place {out})"
            )
        return revert_fix_log(out, on_file)
    files_log, changes_log = log / FILES_LOG, log / CHANGES_LOG
    for path in (files_log, changes_log):
        if not path.is_file():
            raise RevertError(
                f"{path}: no such file (not the output of an IN OUT run, nor a --fix --log DIR?)"
            )
    results = []
    entries_log = log / RECORDS_LOG
    with contextlib.ExitStack() as stack:
        records = _ChangeRecords(
            stack.enter_context(changes_log.open(encoding="utf-8")), changes_log
        )
        # records.jsonl: only JSONL runs write it (the per-record statuses).
        entries = _ChangeRecords(
            stack.enter_context(entries_log.open(encoding="utf-8"))
            if entries_log.is_file()
            else iter(()),
            entries_log,
        )
        with files_log.open(encoding="utf-8") as files:
            for number, line in enumerate(files, 1):
                record = _load(line, files_log, number)
                name = record.get("file")
                if record.get("format") == "jsonl" and isinstance(name, str):
                    result = _restore_jsonl(out, dest, in_place, record, records, entries)
                else:
                    edits = records.take(name) if isinstance(name, str) else []
                    result = _restore_one(out, dest, in_place, record, edits)
                results.append(result)
                if on_file is not None:
                    on_file(result)
        records.finish()
    return results


def revert_fix_log(log: Path, on_file: Callable[[Restored], None] | None = None) -> list[Restored]:
    """Undo, in place, the fixes of the ``--fix --log LOG`` run that wrote ``log``.

    Each :class:`Restored` names the file by its absolute path.
    """
    files_log, changes_log = log / FILES_LOG, log / CHANGES_LOG
    if not changes_log.is_file():
        raise RevertError(f"{changes_log}: no such file (not a --fix --log DIR?)")
    results = []
    with changes_log.open(encoding="utf-8") as changes, files_log.open(encoding="utf-8") as files:
        records = _ChangeRecords(changes, changes_log)
        for number, line in enumerate(files, 1):
            record = _load(line, files_log, number)
            name = record.get("file")
            edits = records.take(name) if isinstance(name, str) else []
            result = _restore_fixed(record, edits)
            results.append(result)
            if on_file is not None:
                on_file(result)
        records.finish()
    return results


def _restore_fixed(record: dict, edits: list[Edit]) -> Restored:
    """One file of a ``--fix`` log, over itself."""
    path = record.get("path")
    if not isinstance(path, str) or "\0" in path or not os.path.isabs(path):
        return Restored(str(path), "failed", "the log gives no absolute path for it")
    if record.get("status") == "failed" or record.get("input_sha256") == record.get(
        "output_sha256"
    ):
        return Restored(path, "copied")  # --fix did not write it: nothing to undo
    target = Path(os.path.realpath(path))  # --fix wrote through symlinks
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
        return _rebuild(target, target, path, record, edits, True, mode=mode)
    except (InputError, RevertError, UnicodeError, ValueError, KeyError, TypeError) as exc:
        return Restored(path, "failed", str(exc))
    except OSError as exc:
        return Restored(path, "failed", exc.strerror or str(exc))


def _restore_jsonl(
    out: Path,
    dest: Path | None,
    in_place: bool,
    record: dict,
    records: _ChangeRecords,
    entries: _ChangeRecords,
) -> Restored:
    """One file of a JSONL corpus (see :func:`cleaner.jsonl.restore_file`)."""
    from .jsonl import restore_file

    raw_name = record["file"]
    changes, statuses = records.records_of(raw_name), entries.records_of(raw_name)
    try:
        name = _relative(raw_name)
        if name is None:
            return Restored(str(raw_name), "failed", "not a relative path inside OUT")
        if record.get("status") == "failed":
            reason = record.get("reason", "")
            return Restored(name, "failed", f"the run could not clean it ({reason}); IN has it")
        source_path = out / name
        target = source_path if in_place else dest / name  # type: ignore[operator]
        try:
            status = restore_file(source_path, target, record, changes, statuses, in_place=in_place)
        except (ValueError, KeyError, TypeError, UnicodeError, EOFError) as exc:
            return Restored(name, "failed", str(exc))
        except OSError as exc:
            return Restored(name, "failed", exc.strerror or str(exc))
        return Restored(name, status)
    finally:
        # Whatever happened, the next file's records start after this one's.
        for _ in changes:
            pass
        for _ in statuses:
            pass


def _load(line: str, path: Path, number: int) -> dict:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RevertError(f"{path}:{number}: not JSON: {exc.msg}") from None
    if not isinstance(record, dict):
        raise RevertError(f"{path}:{number}: not a JSON object")
    return record


class _ChangeRecords:
    """The change records of changes.jsonl, taken file by file in log order."""

    def __init__(self, handle, path: Path) -> None:
        self._lines = enumerate(handle, 1)
        self._path = path
        self._next: tuple[int, dict] | None = None
        self._advance()

    def _advance(self) -> None:
        for number, line in self._lines:
            if line.strip():
                self._next = (number, _load(line, self._path, number))
                return
        self._next = None

    def records_of(self, name: str) -> Iterator[dict]:
        """This file's records, lazily (a JSONL corpus's log is not held in memory)."""
        while self._next is not None and self._next[1].get("file") == name:
            yield self._next[1]
            self._advance()

    def take(self, name: str) -> list[Edit]:
        edits = []
        while self._next is not None and self._next[1].get("file") == name:
            number, record = self._next
            try:
                edit = Edit.from_json(record)
            except TypeError as exc:
                raise RevertError(f"{self._path}:{number}: not a change record: {exc}") from None
            if edit.applied and not edit.is_note:
                edits.append(edit)
            self._advance()
        return edits

    def finish(self) -> None:
        if self._next is not None:
            number, record = self._next
            raise RevertError(
                f"{self._path}:{number}: a change of {record.get('file')!r}, which "
                f"{FILES_LOG} does not list at this point (logs out of order?)"
            )


#: Path separators of this system besides ``/`` (Windows: ``\\``). On POSIX a backslash is
#: an ordinary character of a file name, and the file it names must revert like any other.
_OTHER_SEPARATORS = frozenset({os.sep, os.altsep} - {"/", None})


def _relative(name: object) -> str | None:
    """The record's file name if it is a plain relative path (the log is data too)."""
    if not isinstance(name, str) or not name or "\0" in name:
        return None
    if any(separator in name for separator in _OTHER_SEPARATORS):
        return None
    path = PurePosixPath(name)
    if path.is_absolute() or any(part in ("", ".", "..") for part in name.split("/")):
        return None
    return name


def _restore_one(
    out: Path, dest: Path | None, in_place: bool, record: dict, edits: list[Edit]
) -> Restored:
    name = _relative(record.get("file"))
    if name is None:
        return Restored(str(record.get("file")), "failed", "not a relative path inside OUT")
    if record.get("status") == "failed":
        reason = record.get("reason", "")
        return Restored(
            name, "failed", f"not in OUT: the run could not clean it ({reason}); IN still has it"
        )
    source_path = out / name
    target = source_path if in_place else dest / name  # type: ignore[operator]
    try:
        return _rebuild(source_path, target, name, record, edits, in_place)
    except (InputError, RevertError, UnicodeError, ValueError, KeyError, TypeError) as exc:
        return Restored(name, "failed", str(exc))
    except OSError as exc:
        return Restored(name, "failed", exc.strerror or str(exc))


def _rebuild(
    source_path: Path,
    target: Path,
    name: str,
    record: dict,
    edits: list[Edit],
    in_place: bool,
    *,
    mode: int | None = None,
) -> Restored:
    """``mode``: the permissions to write with (an in-place ``--fix`` revert keeps the file's),
    synced to disk as ``--fix`` writes; ``None``: a new file's, not synced."""
    found, _size = sha256_of(source_path)
    if found != record["output_sha256"]:
        if in_place and found == record["input_sha256"]:
            return Restored(name, "already")
        raise RevertError("changed since the run (its SHA-256 is not the one logged); not reverted")
    target.parent.mkdir(parents=True, exist_ok=True)
    durable = mode is not None
    with Source(source_path) as source, AtomicFile(target, mode=mode, durable=durable) as sink:
        if record["input_sha256"] == record["output_sha256"]:
            for block in source.blocks():
                sink.write(block)
            status = "copied"
        else:
            for data in _original_bytes(source, record, edits):
                sink.write(data)
            status = "restored"
        if sink.sha256 != record["input_sha256"]:
            raise RevertError("the log does not rebuild the input (SHA-256 differs); not written")
        sink.commit()
    return Restored(name, status)


def _original_bytes(source: Source, record: dict, edits: list[Edit]) -> Iterator[bytes]:
    encoding, newline = record["encoding"], record["newline"]
    bom = bytes.fromhex(record["bom"])
    exceptions = {int(line): str(brk) for line, brk in record["newline_exceptions"]}
    by_piece: dict[int, list[Edit]] = {}
    for edit in edits:
        by_piece.setdefault(edit.piece, []).append(edit)
    text = normalised_text(source, encoding, bom, newline)
    buffer = ""
    first_line = 0
    yield bom
    for index, (chars_in, chars_out) in enumerate(record["pieces"]):
        while len(buffer) < chars_out:
            more = next(text, None)
            if more is None:
                raise RevertError("OUT is shorter than the log says")
            buffer += more
        cleaned, buffer = buffer[:chars_out], buffer[chars_out:]
        original = revert(cleaned, by_piece.pop(index, []))
        if len(original) != chars_in:
            raise RevertError(f"piece {index} does not revert to its logged length")
        yield with_endings(original, newline, exceptions, first_line).encode(encoding)
        first_line += original.count("\n")
    if buffer or any(more for more in text):
        raise RevertError("OUT is longer than the log says")
    if by_piece:
        raise RevertError(f"changes logged for pieces {sorted(by_piece)} that do not exist")
