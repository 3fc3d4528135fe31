"""One article file end to end: read, decode, clean piece by piece, write, describe.

:func:`clean_file` is what every mode of the command line runs per file. It
never raises for a bad file: whatever goes wrong (unreadable, binary, not
decodable, a line too long, an encoding the cleaned text no longer fits,
a failed write) ends as a :class:`FileRun` with ``status = "failed"`` and a
one-line ``reason``, and any output written so far is discarded (the target
is only ever replaced by a complete file; see :class:`cleaner.atomic.AtomicFile`).

Each file yields a *file record* (:attr:`FileRun.record`), one line of
``files.jsonl`` in the change log. With the change records it holds all that
:mod:`cleaner.restore` needs to give back the input byte for byte::

    {"file": "a/b.txt", "status": "cleaned",   # cleaned|unchanged|empty|guarded|failed
     "reason": "",                              # why it failed
     "encoding": "utf-8", "bom": "efbbbf",      # codec of input and output; BOM bytes (hex)
     "newline": "\\r\\n",                         # the style written
     "newline_exceptions": [[12, "\\n"]],        # 0-based line -> break, where the input differed
     "pieces": [[5120, 4870]],                  # characters in and out of each piece
     "input_size": 5230, "input_sha256": "...",
     "output_size": 4980, "output_sha256": "...",
     "language": "en", "source_language": null}
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import source_language
from .api import NO_SOURCE_LANG, Cleaner
from .atomic import AtomicFile
from .changelog import Edit, Note, unified_diff
from .codes import DECODE_FALLBACK, MIXED_NEWLINES
from .engine import REGEX_TIMEOUT, CleanResult, note
from .pieces import Piece
from .textio import (
    Encoder,
    InputError,
    OutputError,
    Reader,
    Sniff,
    Source,
    sniff,
    with_endings,
)

FILES_FORMAT = "clean-articles-files"
FILES_VERSION = 1

Listener = Callable[[list[Edit]], None]
#: Gets each piece's text as read and what cleaning it produced (the HTML report).
PieceListener = Callable[[str, CleanResult], None]


@dataclass
class FileRun:
    """What happened to one file."""

    path: Path
    shown: str
    status: str = "failed"
    reason: str = ""
    #: The output's bytes differ from the input's.
    changed: bool = False
    edits: int = 0
    findings: int = 0
    families: Counter = field(default_factory=Counter)
    #: (code, name, applied) -> how many changes (applied) and findings, for --statistics.
    rules: Counter = field(default_factory=Counter)
    notes: list[Note] = field(default_factory=list)
    timeouts: int = 0
    record: dict = field(default_factory=dict)
    #: Problems to print as ``path: warning: ...`` (non-convergence).
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.status == "failed"


@dataclass
class Output:
    """Where and how a file's output goes (``target=None``: nowhere, as for --check)."""

    target: Path | None = None
    mode: int | None = None  # permissions; None: those of a new file
    durable: bool = False  # fsync data and directory (in-place fixes)
    write_unchanged: bool = True  # write even when the bytes would not change
    keep_mode: bool = False  # give the output the input's permissions


def clean_file(
    path: Path,
    shown: str,
    cleaner: Cleaner,
    *,
    lang: str | None = None,
    source_lang: str | None = None,
    output: Output | None = None,
    on_changes: Listener | None = None,
    on_diff: Callable[[str], None] | None = None,
    diff_name: str | None = None,
    on_piece: PieceListener | None = None,
) -> FileRun:
    """Clean one file; see the module docstring. ``on_changes`` gets each piece's records.

    Records come sorted by position, with ``line`` counted in the whole file
    and ``piece`` set; notes (``IO``, ``DG``, ``RX`` codes) come with them.
    ``on_diff`` gets the unified diff, piece by piece (``diff_name`` names the
    file in it, default ``shown``). ``on_piece`` gets each piece's text and result.
    """
    run = FileRun(path, shown)
    output = output or Output()
    try:
        with Source(path) as source:
            _clean(
                source, run, cleaner, lang, source_lang, output,
                on_changes, on_diff, diff_name, on_piece,
            )  # fmt: skip
    except (InputError, OutputError) as exc:
        run.status, run.reason = "failed", str(exc)
    except OSError as exc:
        run.status, run.reason = "failed", f"cannot write: {exc.strerror or exc}"
    if run.failed:
        run.record = {"file": shown, "status": "failed", "reason": run.reason}
    return run


def _clean(
    source: Source,
    run: FileRun,
    cleaner: Cleaner,
    lang: str | None,
    source_lang: str | None,
    output: Output,
    on_changes: Listener | None,
    on_diff: Callable[[str], None] | None,
    diff_name: str | None,
    on_piece: PieceListener | None = None,
) -> None:
    sniffed = sniff(source)
    encoder = Encoder(sniffed.encoding, sniffed.bom, sniffed.newline)
    sink = None
    if output.target is not None:
        mode = source.mode if output.keep_mode else output.mode
        sink = AtomicFile(output.target, mode=mode, durable=output.durable)
    digest = _Digest()
    record = {
        "file": run.shown,
        "status": "",
        "encoding": sniffed.encoding,
        "bom": sniffed.bom.hex(),
        "newline": sniffed.newline,
        "newline_exceptions": [],
        "pieces": [],
        "input_size": sniffed.size,
        "input_sha256": sniffed.sha256,
    }
    try:

        def emit(data: bytes) -> None:
            digest.update(data)
            if sink is not None:
                sink.write(data)

        if sniffed.empty:
            # No text to clean: an empty article is not a corrupt one. Written through.
            for block in source.blocks():
                emit(block)
            run.status = "empty"
        else:
            reader = Reader(source, sniffed)
            consumers = [_Written(encoder, emit, record), _Counted(run)]
            if on_changes is not None:
                consumers.append(_changes_sink(on_changes))
            if on_piece is not None:
                consumers.append(lambda cleaned: on_piece(cleaned.piece.text, cleaned.result))
            if on_diff is not None:
                consumers.append(_Diffed(reader, on_diff, diff_name or run.shown))
            guarded = False
            for cleaned in clean_pieces(reader, cleaner, lang, source_lang, run.warnings):
                guarded |= cleaned.result.guarded
                for consume in consumers:
                    consume(cleaned)
            emit(encoder.finish())
            record["newline_exceptions"] = [list(pair) for pair in reader.exceptions]
            run.status = "guarded" if guarded else ""
        run.changed = digest.hexdigest() != sniffed.sha256
        if not run.status:
            run.status = "cleaned" if run.changed else "unchanged"
        if sink is not None:
            if run.changed or output.write_unchanged:
                sink.commit()
            else:
                sink.abort()
    except BaseException:
        if sink is not None:
            sink.abort()
        raise
    record["status"] = run.status
    record["output_size"], record["output_sha256"] = digest.size, digest.hexdigest()
    run.record = record


class _Digest:
    def __init__(self) -> None:
        import hashlib

        self._hash = hashlib.sha256()
        self.size = 0

    def update(self, data: bytes) -> None:
        self._hash.update(data)
        self.size += len(data)

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


@dataclass
class Cleaned:
    """One piece cleaned: the piece as read, the result, its records placed in the file."""

    piece: Piece
    result: CleanResult
    #: Edits and findings by position, ``line`` counted in the whole file, ``piece`` set.
    changes: list[Edit]
    #: The piece's notes; the first piece's also say how the file was read (IO001, IO002).
    notes: list[Edit]


def _read_notes(sniffed: Sniff) -> list[Edit]:
    """Notes on how the file was read: a cp1252 fallback, mixed line endings."""
    notes = []
    if sniffed.fallback:
        notes.append(
            note(
                DECODE_FALLBACK,
                f"{sniffed.fallback}: read as cp1252 (Windows-1252) and written back as cp1252",
                {"encoding": sniffed.encoding, "reason": sniffed.fallback},
            )
        )
    if sniffed.stats.mixed:
        style = {"\r\n": "CRLF", "\n": "LF", "\r": "CR"}[sniffed.newline]
        notes.append(
            note(
                MIXED_NEWLINES,
                f"mixed line endings ({sniffed.stats.describe()}): written as {style}",
                {"newline": sniffed.newline},
            )
        )
    return notes


def clean_pieces(
    reader: Reader,
    cleaner: Cleaner,
    lang: str | None,
    source_lang: str | None,
    warnings: list[str],
) -> Iterator[Cleaned]:
    """Clean the pieces in order, each one's records placed in the whole file.

    Later pieces take the languages the first one was cleaned in; problems to
    report (lost evidence, no convergence) are appended to ``warnings``.
    """
    notes = _read_notes(reader.sniffed)
    for piece in reader.pieces():
        result = cleaner.clean(
            piece.text, lang, source_lang, at_start=piece.at_start, at_end=piece.at_end
        )
        if piece.index == 0:
            lost = lost_evidence(cleaner, result) if source_lang is None else None
            if lost:
                warnings.append(lost)
            # Later pieces take the languages the first one was cleaned in.
            lang = result.language
            source_lang = result.source_language or NO_SOURCE_LANG
        if not result.converged:
            warnings.append(f"rules did not converge after {result.rounds} rounds")
        result = replace(
            result,
            edits=_in_file(result.edits, piece),
            findings=_in_file(result.findings, piece),
            notes=_in_file(result.notes, piece),
        )
        changes = sorted([*result.edits, *result.findings], key=_position)
        piece_notes = (
            [*_in_file(notes, piece), *result.notes] if piece.index == 0 else list(result.notes)
        )
        notes = []
        yield Cleaned(piece, result, changes, piece_notes)


class _Written:
    """The sink that encodes each cleaned piece into the output and the file record."""

    def __init__(self, encoder: Encoder, emit: Callable[[bytes], None], record: dict) -> None:
        self.encoder, self.emit, self.record = encoder, emit, record

    def __call__(self, cleaned: Cleaned) -> None:
        piece, result = cleaned.piece, cleaned.result
        self.emit(self.encoder.encode(result.text))
        self.record["pieces"].append([len(piece.text), len(result.text)])
        if piece.index == 0:
            self.record["language"] = result.language
            self.record["source_language"] = result.source_language


class _Counted:
    """The sink that counts each piece's edits, findings and notes into the file's run."""

    def __init__(self, run: FileRun) -> None:
        self.run = run

    def __call__(self, cleaned: Cleaned) -> None:
        run, result = self.run, cleaned.result
        run.edits += len(result.edits)
        run.findings += len(result.findings)
        run.families.update(edit.family for edit in result.edits)
        run.rules.update((edit.code, edit.name, edit.applied) for edit in cleaned.changes)
        run.notes.extend(cleaned.notes)
        run.timeouts += sum(1 for n in cleaned.notes if n.code == REGEX_TIMEOUT[0])


def _changes_sink(on_changes: Listener) -> Callable[[Cleaned], None]:
    """The sink that hands each piece's records, notes first, to ``on_changes``."""

    def sink(cleaned: Cleaned) -> None:
        if cleaned.changes or cleaned.notes:
            on_changes([*cleaned.notes, *cleaned.changes])

    return sink


class _Diffed:
    """The sink that writes the unified diff of each changed piece, lines counted in the file."""

    def __init__(self, reader: Reader, on_diff: Callable[[str], None], name: str) -> None:
        self.reader, self.on_diff, self.name = reader, on_diff, name
        self.out_lines = 0
        self.diffed = False

    def __call__(self, cleaned: Cleaned) -> None:
        piece, result = cleaned.piece, cleaned.result
        reader, newline = self.reader, self.reader.sniffed.newline
        if result.text != piece.text:
            exceptions = dict(reader.exceptions) if reader.exceptions else {}
            for a, b, c, d in aligned_blocks(piece.text, result.text, result.edits):
                original, cleaned_text = piece.text[a:b], result.text[c:d]
                if original == cleaned_text:
                    continue
                line = piece.first_line + piece.text.count("\n", 0, a)
                before = with_endings(original, newline, exceptions, line)
                after = with_endings(cleaned_text, newline, {}, 0)
                out_line = self.out_lines + result.text.count("\n", 0, c)
                self.on_diff(piece_diff(before, after, self.name, line, out_line, self.diffed))
                self.diffed = True
        self.out_lines += result.text.count("\n")


def lost_evidence(cleaner: Cleaner, result: CleanResult) -> str | None:
    """A warning when the applied fixes removed the evidence of an inferred source language
    while unsafe fixes that need it were left for later.

    ``--fix`` then ``--fix --unsafe-fixes`` would lose those unsafe fixes: the
    second run no longer finds the evidence, so it cannot infer the language.
    """
    inferred = result.source_language
    if inferred is None or not result.edits:
        return None
    pending = [
        f for f in result.findings if f.safety == "unsafe" and not f.applied and not f.is_note
    ]
    if not pending:
        return None
    if source_language.infer(result.text, cleaner.evidence) == inferred:
        return None
    return (
        f"source language {inferred!r} was inferred from evidence these fixes remove; "
        f"{len(pending)} unsafe fixes were not applied: add --unsafe-fixes to this run, or "
        f"--source-lang {inferred} to a later one (a later --fix of the file as fixed "
        "remembers it)"
    )


def _in_file(edits: list[Any], piece: Piece) -> list[Any]:
    """The edits of a piece as the file sees them: their piece, the file's line numbers."""
    return [replace(e, piece=piece.index, line=e.line + piece.first_line) for e in edits]


def _position(edit: Edit) -> tuple[int, int]:
    return edit.line, edit.column


#: Lines per block the diff of a piece is cut into (difflib is slow on long texts).
DIFF_BLOCK_LINES = 400


def aligned_blocks(
    original: str, cleaned: str, edits: list[Edit]
) -> Iterator[tuple[int, int, int, int]]:
    """Cut ``original`` and ``cleaned`` into blocks of lines that correspond.

    Yields ``(start, end, out_start, out_end)``. Cuts fall at line starts
    that no edit crosses, mapped forward through the passes, so each block
    of the input became exactly the matching block of the output, and a
    diff of each pair, one after the other, is the diff of the whole.
    """
    passes: dict[int, tuple[list[int], list[Edit]]] = {}
    for edit in sorted(edits, key=lambda e: (e.pass_index, e.start)):
        starts, group = passes.setdefault(edit.pass_index, ([], []))
        starts.append(edit.start)
        group.append(edit)
    order = sorted(passes)

    def forward(offset: int) -> int | None:
        for index in order:
            starts, group = passes[index]
            k = bisect_right(starts, offset) - 1
            if k < 0:
                continue
            edit = group[k]
            if edit.start < offset < edit.end:
                return None
            if offset == edit.start and edit.end > edit.start:
                offset = edit.out_start
            else:
                offset += edit.out_start + len(edit.after) - edit.end
        return offset

    start = out_start = 0
    lines = 0
    position = original.find("\n") + 1
    while 0 < position < len(original):
        lines += 1
        if lines >= DIFF_BLOCK_LINES:
            out = forward(position)
            if out is not None and out > out_start and cleaned[out - 1] == "\n":
                yield start, position, out_start, out
                start, out_start, lines = position, out, 0
        position = original.find("\n", position) + 1
    yield start, len(original), out_start, len(cleaned)


_HUNK = re.compile(r"^@@ -(\d+)((?:,\d+)?) \+(\d+)((?:,\d+)?) @@", re.MULTILINE)


def piece_diff(
    original: str, cleaned: str, path: str, original_line: int, cleaned_line: int, more: bool
) -> str:
    """The unified diff of one piece, its hunks numbered in the whole file.

    ``more``: an earlier piece of the file already gave the ``---``/``+++``
    header, so the pieces of a file concatenate into one valid patch.
    """
    diff = unified_diff(original, cleaned, path)
    if original_line or cleaned_line:
        diff = _HUNK.sub(
            lambda m: (
                f"@@ -{int(m.group(1)) + original_line}{m.group(2)} "
                f"+{int(m.group(3)) + cleaned_line}{m.group(4)} @@"
            ),
            diff,
        )
    if more and diff:
        diff = diff.split("\n", 2)[2]
    return diff
