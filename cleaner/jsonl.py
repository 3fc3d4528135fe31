"""JSONL corpora: one JSON object per line, the article in one field, streamed.

The format of datatrove, Hugging Face datasets and most scraping pipelines.
``clean-articles IN OUT --text-field text`` (or any ``*.jsonl``/``*.jsonl.gz``
IN) cleans the ``text`` field of every record and writes OUT with the same
records in the same order:

- **Other fields are untouched**, byte for byte: the cleaned text is spliced
  into the original line in place of the old string (its escaping follows
  the line's: a line written with ``\\uXXXX`` escapes only stays ASCII). A
  record whose text does not change is written as it was read.
- **Bad records pass through.** A line that is not a JSON object, or whose
  text field is missing or not a string, is written unchanged and named on
  stderr (``FILE:LINE: error: reason``); the other records are cleaned and
  the run exits 1. Blank lines are kept as they are.
- **Streaming.** Files are read line by line and cleaned in batches
  (:data:`BATCH_RECORDS` records or :data:`BATCH_BYTES` bytes) by the
  executor (:mod:`cleaner.executors`) with a bounded number in flight, so
  memory does not grow with the corpus; a record is held whole. A text of
  :data:`cleaner.pieces.PIECE_CHARS` characters or more is cleaned in the
  pieces the same text in a ``.txt`` file is cut into (:func:`clean_record`),
  with the same result, so memory stays bounded by the piece size. The run
  loop that writes the output files and the log is the command line's one
  (:func:`cleaner.cli.driver.clean_corpus`); this module is the format.

The change log in ``OUT/.clean-articles/``:

- ``changes.jsonl``: one record per change or finding, as for text files,
  plus ``record`` (the line number in the input file) and ``id`` (the
  ``--id-field`` value, when given); ``line``/``column`` are within the text.
  ``cleaner.revert(text, edits)`` of one record's applied changes gives its
  input text back exactly (for a record cleaned in pieces, piece by piece:
  :func:`revert_record`).
- ``records.jsonl``: one record per record that changed or failed:
  ``{"file", "record", "id", "status", "reason", "edits", "findings",
  "language", "source_language"}``; ``"pieces"``, the characters in and out of
  each piece, for a record cleaned in pieces; and ``"literal"``, the original JSON
  string, when the input escaped it in a way the output's escaping would not
  reproduce (so the input line can be rebuilt byte for byte).
- ``files.jsonl``: one record per file: ``"format": "jsonl"``, the text
  field, counts, and the size and SHA-256 of input (its JSON lines, for a
  ``.gz`` decompressed) and output.

``clean-articles revert`` rebuilds each file line by line from OUT and the
two logs (:func:`restore_file`), checks it against the input's SHA-256 and
only then writes it; memory stays flat there too.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from json.decoder import scanstring  # type: ignore[attr-defined]
from pathlib import Path
from typing import IO, Any

from .api import Cleaner
from .atomic import AtomicFile
from .changelog import Edit
from .discovery import JSONL_INCLUDE, ArticleFiles, Found, discover
from .engine import REGEX_TIMEOUT
from .records import clean_record, revert_record

TEXT_FIELD = "text"
SUFFIXES = (".jsonl", ".jsonl.gz")
#: A batch (one unit of work) holds up to this many records ...
BATCH_RECORDS = 64
#: ... or this many bytes of input, whichever comes first.
BATCH_BYTES = 1 << 20

_decoder = json.JSONDecoder()
#: A line of whitespace only (what ``bytes.strip`` strips), matched without copying a long line.
_BLANK = re.compile(rb"[ \t\n\r\x0b\x0c]*\Z")
_WHITESPACE = " \t\n\r"


def is_jsonl(path: Path) -> bool:
    return path.name.endswith(SUFFIXES)


def corpus_files(
    source: Path, skip: Path | None = None, files: ArticleFiles | None = None
) -> list[Found]:
    """(path, name relative to IN, problem) of the JSONL files IN stands for, sorted.

    A file stands for itself; a directory for its ``*.jsonl``/``*.jsonl.gz``
    files, or what ``files`` picks (:mod:`cleaner.discovery`: hidden files and
    directories, and OUT inside IN, skipped). A symbolic link leading out of
    IN is not followed (listed with the problem).
    """
    return discover(source, skip, files or ArticleFiles(JSONL_INCLUDE)).found


class RecordError(ValueError):
    """Why a line is not a record that can be cleaned."""


def text_span(line: str, text_field: str) -> tuple[int, int, Any, dict[str, Any]]:
    """Where the text field's value lies in ``line``: (start, end, value, the other fields).

    Walks the top-level object only (values are parsed by :mod:`json`), so the
    text can be replaced without touching a byte of anything else.
    """

    def skip(i: int) -> int:
        while i < len(line) and line[i] in _WHITESPACE:
            i += 1
        return i

    fields: dict[str, Any] = {}
    span: tuple[int, int] | None = None
    i = skip(0)
    if line[i : i + 1] != "{":
        raise RecordError("not a JSON object")
    i = skip(i + 1)
    try:
        if line[i : i + 1] == "}":
            i += 1
        else:
            while True:
                if line[i : i + 1] != '"':
                    raise RecordError(f"invalid JSON: expected a key at column {i + 1}")
                key, i = scanstring(line, i + 1)
                i = skip(i)
                if line[i : i + 1] != ":":
                    raise RecordError(f"invalid JSON: expected ':' at column {i + 1}")
                i = skip(i + 1)
                value, end = _decoder.raw_decode(line, i)
                fields[key] = value
                if key == text_field:
                    span = (i, end)  # the last one wins, as for json.loads
                i = skip(end)
                if line[i : i + 1] == ",":
                    i = skip(i + 1)
                    continue
                if line[i : i + 1] == "}":
                    i += 1
                    break
                raise RecordError(f"invalid JSON: expected ',' or '}}' at column {i + 1}")
    except json.JSONDecodeError as exc:
        raise RecordError(f"invalid JSON: {exc.msg} at column {exc.colno}") from None
    except RecursionError:
        # A value nested thousands deep exhausts the parser's stack: refuse the record.
        raise RecordError(f"invalid JSON: nested too deeply (value at column {i + 1})") from None
    if skip(i) != len(line):
        raise RecordError(f"invalid JSON: extra data at column {skip(i) + 1}")
    if span is None:
        raise RecordError(f"no {text_field!r} field")
    value = fields[text_field]
    if not isinstance(value, str):
        raise RecordError(f"{text_field!r} is {type(value).__name__}, not a string")
    return span[0], span[1], value, fields


@dataclass(frozen=True)
class Options:
    text_field: str = TEXT_FIELD
    id_field: str | None = None
    #: A text of this many characters or more is cleaned in pieces (as a ``.txt`` file is);
    #: ``None``: :data:`cleaner.pieces.PIECE_CHARS`, the size for text files.
    piece_chars: int | None = None


@dataclass
class Batch:
    """Consecutive lines of one file (an executor's item)."""

    file: int  # index of the file in the run
    shown: str
    cleaner: int
    first_line: int
    lines: list[bytes]
    options: Options
    lang: str | None = None
    source_lang: str | None = None
    #: The file's last batch (its output can be committed once this one is written).
    last: bool = False


@dataclass
class BatchDone:
    """A cleaned batch: output bytes, log lines, and what to count and report."""

    read: int = 0
    changed: int = 0
    edits: int = 0
    findings: int = 0
    timeouts: int = 0
    guarded: int = 0
    families: dict[str, int] = field(default_factory=dict)
    rules: dict[tuple[str, str, bool], int] = field(default_factory=dict)  # (code, name, applied)
    output: bytes = b""
    changes: bytes = b""
    records: bytes = b""
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)


class _RecordChanges:
    """One record's ``changes.jsonl`` lines and counts, taken piece by piece and kept
    apart until the record is done (a record that fails logs no changes)."""

    def __init__(self, shown: str, where: dict) -> None:
        self.shown, self.where = shown, where
        self.lines: list[str] = []
        self.rules: dict[tuple[str, str, bool], int] = {}
        self.families: dict[str, int] = {}

    def __call__(self, edits: list[Edit]) -> None:
        for edit in edits:
            self.lines.append(_dumps({**edit.to_json(self.shown), **self.where}))
            key = (edit.code, edit.name, edit.applied)
            self.rules[key] = self.rules.get(key, 0) + 1
            if edit.applied and not edit.is_note:
                self.families[edit.family] = self.families.get(edit.family, 0) + 1


def clean_batch(cleaners: Sequence[Cleaner], batch: Batch) -> BatchDone:
    """Clean a batch of lines in this process (an executor's ``work``)."""
    done = BatchDone()
    out: list[bytes] = []
    changes: list[str] = []
    records: list[str] = []
    cleaner = cleaners[batch.cleaner]
    for offset, raw in enumerate(batch.lines):
        number = batch.first_line + offset
        size = len(raw)
        while size and raw[size - 1] in b"\r\n":
            size -= 1
        if _BLANK.match(raw):
            out.append(raw)
            continue
        done.read += 1
        try:
            line = str(memoryview(raw)[:size], "utf-8")  # a long line is not copied as bytes
            start, end, text, fields = text_span(line, batch.options.text_field)
        except (UnicodeDecodeError, RecordError) as exc:
            reason = "not UTF-8" if isinstance(exc, UnicodeDecodeError) else str(exc)
            done.errors.append((number, reason))
            records.append(_dumps({"file": batch.shown, "record": number, "status": "failed",
                                   "reason": reason}))  # fmt: skip
            out.append(raw)
            continue
        ident = fields.get(batch.options.id_field) if batch.options.id_field else None
        where = {"record": number} if ident is None else {"record": number, "id": ident}
        taken = _RecordChanges(batch.shown, where)
        try:
            result = clean_record(
                cleaner, text, batch.lang, batch.source_lang, batch.options.piece_chars, taken
            )
        except Exception as exc:  # one record must not abort the corpus: name it, go on
            reason = f"cannot clean: {type(exc).__name__}: {exc}"
            done.errors.append((number, reason))
            records.append(_dumps({"file": batch.shown, "record": number, "status": "failed",
                                   "reason": reason}))  # fmt: skip
            out.append(raw)
            continue
        changes += taken.lines
        for key, n in taken.rules.items():
            done.rules[key] = done.rules.get(key, 0) + n
        for name, n in taken.families.items():
            done.families[name] = done.families.get(name, 0) + n
        done.edits += result.edits
        done.findings += result.findings
        done.timeouts += sum(1 for n in result.notes if n.code == REGEX_TIMEOUT[0])
        done.guarded += result.guarded
        for note in result.notes:
            done.warnings.append((number, f"{note.code} {note.name}: {note.message}"))
        if not result.converged:
            done.warnings.append((number, f"rules did not converge after {result.rounds} rounds"))
        if not result.changed:
            out.append(raw)
            if result.guarded:
                entry = _record(batch.shown, where, "guarded", result, line, start, end, text,
                                line.isascii())  # fmt: skip
                records.append(entry)
            continue
        literal = _json_string(result.parts, ensure_ascii=line.isascii())
        head, tail = line[:start], line[end:]
        out.append(b"".join((head.encode(), *literal, tail.encode(), raw[size:])))
        done.changed += 1
        out_ascii = head.isascii() and tail.isascii() and all(p.isascii() for p in literal)
        records.append(
            _record(batch.shown, where, "cleaned", result, line, start, end, text, out_ascii)
        )
    done.output = b"".join(out)
    done.changes = "".join(changes).encode("utf-8")
    done.records = "".join(records).encode("utf-8")
    return done


def _dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False) + "\n"


def _record(
    shown: str,
    where: dict,
    status: str,
    result: Any,
    line: str,
    start: int,
    end: int,
    text: str,
    out_ascii: bool,
) -> str:
    """A ``records.jsonl`` line; ``line[start:end]`` is the input's JSON string of ``text``."""
    record = {"file": shown, **where, "status": status, "edits": result.edits,
              "findings": result.findings, "language": result.language,
              "source_language": result.source_language}  # fmt: skip
    if result.pieces is not None:
        record["pieces"] = result.pieces
    # A revert escapes the restored text the way the output line is escaped (ASCII or
    # not); keep the input's own spelling when that would not give it back.
    if not _spelt_as(line, start, end, text, out_ascii):
        record["literal"] = line[start:end]
    return _dumps(record)


#: Characters of a long text escaped at a time (JSON escapes character by character).
_ESCAPE_CHARS = 1 << 20


def _json_string(parts: list[str], ensure_ascii: bool) -> list[bytes]:
    """The JSON string of ``"".join(parts)``, UTF-8 encoded, in parts (no copy of it whole)."""
    escaped = [
        json.dumps(part[i : i + _ESCAPE_CHARS], ensure_ascii=ensure_ascii)[1:-1].encode()
        for part in parts
        for i in range(0, len(part), _ESCAPE_CHARS)
    ]
    return [b'"', *escaped, b'"']


def _spelt_as(line: str, start: int, end: int, text: str, ensure_ascii: bool) -> bool:
    """``line[start:end]`` is ``text`` as :func:`json.dumps` spells it (checked in windows)."""
    at = start + 1
    if line[start:at] != '"':
        return False
    for i in range(0, len(text), _ESCAPE_CHARS):
        escaped = json.dumps(text[i : i + _ESCAPE_CHARS], ensure_ascii=ensure_ascii)[1:-1]
        if not line.startswith(escaped, at):
            return False
        at += len(escaped)
    return line[at:end] == '"' and at + 1 == end


def open_input(path: Path) -> IO[bytes]:
    if path.name.endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return open(path, "rb")


class Writer:
    """One output file, written atomically (gzip-compressed for ``*.gz``)."""

    def __init__(self, target: Path) -> None:
        self._file = AtomicFile(target)
        self._gzip = (
            gzip.GzipFile(fileobj=self._file, mode="wb", mtime=0, filename="")  # type: ignore[arg-type]
            if target.name.endswith(".gz")
            else None
        )

    def write(self, data: bytes) -> None:
        (self._gzip or self._file).write(data)

    def commit(self) -> tuple[int, str]:
        if self._gzip is not None:
            self._gzip.close()
        self._file.commit()
        return self._file.size, self._file.sha256

    def abort(self) -> None:
        self._file.abort()


@dataclass
class FileSource:
    """The input side of one file: its lines in batches, hashed as they are read."""

    path: Path
    size: int = 0
    digest: Any = field(default_factory=hashlib.sha256)
    error: str | None = None

    def lines(self) -> Iterator[bytes]:
        try:
            with open_input(self.path) as handle:
                for line in handle:
                    self.size += len(line)
                    self.digest.update(line)
                    yield line
        except (OSError, EOFError) as exc:
            self.error = f"cannot read: {getattr(exc, 'strerror', None) or exc}"


def batches(
    file: int,
    shown: str,
    source: FileSource,
    cleaner: int,
    options: Options,
    lang: str | None,
    source_lang: str | None,
) -> Iterator[Batch]:
    """The lines of one file in batches; exactly one, the last, has ``last`` set."""
    pending: Batch | None = None
    lines: list[bytes] = []
    size = 0
    first = 1
    for number, line in enumerate(source.lines(), 1):
        lines.append(line)
        size += len(line)
        if len(lines) >= BATCH_RECORDS or size >= BATCH_BYTES:
            # One batch held back, so the last one can say so.
            if pending is not None:
                yield pending
            pending = Batch(file, shown, cleaner, first, lines, options, lang, source_lang)
            lines, size, first = [], 0, number + 1
    if lines or pending is None:
        if pending is not None:
            yield pending
        pending = Batch(file, shown, cleaner, first, lines, options, lang, source_lang)
    pending.last = True
    yield pending


def files_record(
    shown: str, source: FileSource, counts: dict, output: tuple[int, str] | None
) -> dict:
    record = {"file": shown, "format": "jsonl", "status": "failed" if source.error else "",
              "reason": source.error or "", **counts,
              "input_size": source.size, "input_sha256": source.digest.hexdigest()}  # fmt: skip
    if output is not None:
        record["output_size"], record["output_sha256"] = output
        if not source.error:
            record["status"] = "cleaned" if counts.get("changed") else "unchanged"
    return record


def _lines_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open_input(path) as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class _Peek:
    """An iterator of log records one can look at before taking."""

    def __init__(self, records: Iterator[dict]) -> None:
        self._records = records
        self.next: dict | None = next(records, None)

    def take_while(self, number: int) -> list[dict]:
        taken = []
        while self.next is not None and self.next.get("record") == number:
            taken.append(self.next)
            self.next = next(self._records, None)
        return taken


def restore_file(
    source_path: Path,
    target: Path,
    record: dict,
    changes: Iterator[dict],
    entries: Iterator[dict],
    *,
    in_place: bool,
) -> str:
    """Rebuild one JSONL input from its output and the log (see :mod:`cleaner.restore`).

    ``changes``/``entries``: this file's lines of ``changes.jsonl`` and
    ``records.jsonl``, in log order. Returns ``"restored"``, or ``"already"`` for
    an in-place revert already done; raises ``ValueError`` saying why a file
    does not check out (nothing is written then). A ``.gz`` file gets its JSON
    lines back exactly; the compressed bytes may differ from the input's.
    """
    from .textio import sha256_of

    found, _size = sha256_of(source_path)
    if found != record["output_sha256"]:
        # The logged input hash is of the JSON lines (decompressed, for a .gz).
        if in_place and _lines_sha256(source_path) == record["input_sha256"]:
            return "already"
        raise ValueError("changed since the run (its SHA-256 is not the one logged); not reverted")
    text_field = record.get("text_field", TEXT_FIELD)
    pending, literals = _Peek(changes), _Peek(entries)
    digest = hashlib.sha256()
    target.parent.mkdir(parents=True, exist_ok=True)
    writer = Writer(target)
    try:
        with open_input(source_path) as handle:
            for number, raw in enumerate(handle, 1):
                edits = [Edit.from_json(c) for c in pending.take_while(number)]
                edits = [e for e in edits if e.applied and not e.is_note]
                entry = next(iter(literals.take_while(number)), {})
                if edits:
                    body = raw.rstrip(b"\r\n")
                    line = body.decode("utf-8")
                    start, end, text, _ = text_span(line, text_field)
                    original = revert_record(text, edits, entry.get("pieces"))
                    literal = entry.get("literal") or json.dumps(
                        original, ensure_ascii=line.isascii()
                    )
                    raw = (line[:start] + literal + line[end:]).encode("utf-8") + raw[len(body) :]
                digest.update(raw)
                writer.write(raw)
        if pending.next is not None:
            raise ValueError(
                f"changes logged for record {pending.next.get('record')}, past the end"
            )
        if digest.hexdigest() != record["input_sha256"]:
            raise ValueError("the log does not rebuild the input (SHA-256 differs); not written")
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    return "restored"
