"""Article files in and out: refusing what is not text, decoding, encoding back.

**Reading.** A file is opened without following it into anything that is not
a regular file (a FIFO, a device, a directory are refused, never waited on)
and read in blocks, so memory stays bounded whatever its size. A first pass
(:func:`sniff`) decides how to decode it, without guessing silently:

1. a byte-order mark names the encoding (UTF-8, UTF-16 or UTF-32, either byte
   order); it is kept and written back;
2. otherwise a NUL byte means a binary file (refused: UTF-16 without a BOM
   is not supported);
3. otherwise the file must be UTF-8;
4. if it is not, it is read as Windows-1252 (cp1252, the superset of
   Latin-1 that Western newsrooms' older files use) only when that is
   plausible: every byte decodes, no control characters other than tab,
   form feed and line breaks, ftfy's mojibake detector finds nothing (so
   UTF-8 with a few broken bytes is refused instead of turned into ``Ã©``),
   and no word is made of accented letters alone (what Cyrillic, Greek or
   CJK bytes look like read as cp1252: ``Ïðèâåò``). A fallback is a note
   (``IO001 decode-fallback``) in the change log and on stderr; the file is
   written back in cp1252.

Anything else is refused with the reason (:class:`InputError`). Python's codecs
are enough for this: the only guess is cp1252, and ftfy (already a
dependency, for mojibake) is the check that the guess reads like text;
charset detection libraries would guess among many encodings, which is
exactly what must not happen silently.

**Line endings.** ``\\r\\n``, ``\\r`` and ``\\n`` all end a line; the rules see
``\\n`` only. The output uses the file's own style (the most frequent one);
a file that mixes styles is written in its main one, which is reported
(``IO002 mixed-line-endings``), and the log keeps the exceptions so a revert
restores them byte for byte.

**Pieces.** A file's text reaches the engine in pieces (:mod:`cleaner.pieces`):
:class:`Reader` gives them, and records the line breaks to put back.

**Writing** goes through :class:`cleaner.atomic.AtomicFile` (a temporary file
renamed over the target): :class:`Encoder` gives it the bytes, in the file's own
encoding, BOM and line endings.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .pieces import Piece, cut_pieces

#: Byte-order marks, longest first (a UTF-32 LE mark starts like a UTF-16 LE one).
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
FALLBACK_ENCODING = "cp1252"
#: Bytes read at a time.
BLOCK_BYTES = 1 << 20
#: Files up to this size are read once, into memory; larger ones are streamed twice.
IN_MEMORY_BYTES = 8 << 20
#: A line longer than this is not article text; the file is refused.
MAX_LINE_CHARS = 2 << 20

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
#: Non-ASCII letters as cp1252 gives them for text in another 8-bit encoding (Cyrillic,
#: Greek, CJK double-byte): a word of them alone, or a run of three. Western words mix
#: them with ASCII letters (``café``, ``Straße``, ``informação``).
_FOREIGN = re.compile(r"(?<![^\W\d_])[^\W\d_A-Za-z]{2,}(?![^\W\d_])|[^\W\d_A-Za-z]{3,}")
_BREAK = re.compile(r"\r\n|\r|\n")
STYLES = {"\r\n": "CRLF", "\n": "LF", "\r": "CR"}


class InputError(Exception):
    """A file that cannot be cleaned; the message is the reason, for ``path: error: reason``."""


class OutputError(Exception):
    """A cleaned text that cannot be written in its file's encoding."""


# --- opening --------------------------------------------------------------------------


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return name
    return "not a regular file"


class Source:
    """An article file opened for reading; its bytes can be read more than once.

    Opening never blocks (``O_NONBLOCK``: a FIFO is refused, not waited on)
    and anything but a regular file is refused. Files up to
    :data:`IN_MEMORY_BYTES` are read once into memory.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        try:
            self._fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
        except OSError as exc:
            raise InputError(_os_reason(exc)) from None
        try:
            info = os.fstat(self._fd)
            if not stat.S_ISREG(info.st_mode):
                raise InputError(f"{_kind(info.st_mode)}, not an article file")
            self.size = info.st_size
            self.mode = stat.S_IMODE(info.st_mode)
            self._data: bytes | None = self._read_all() if self.size <= IN_MEMORY_BYTES else None
        except BaseException:
            os.close(self._fd)
            raise

    def _read_all(self) -> bytes:
        return b"".join(self._chunks())

    def _chunks(self) -> Iterator[bytes]:
        """The file's bytes from the current offset, read block by block."""
        while True:
            try:
                chunk = os.read(self._fd, BLOCK_BYTES)
            except OSError as exc:
                raise InputError(_os_reason(exc)) from None
            if not chunk:
                return
            yield chunk

    def blocks(self) -> Iterator[bytes]:
        """The file's bytes, in blocks (one block for a file read into memory)."""
        if self._data is not None:
            yield self._data
            return
        os.lseek(self._fd, 0, os.SEEK_SET)
        yield from self._chunks()

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _os_reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


# --- sniffing --------------------------------------------------------------------------


@dataclass
class LineStats:
    """Counts of line breaks by style, the longest line, whether there is any text."""

    crlf: int = 0
    lf: int = 0
    cr: int = 0
    longest: int = 0
    longest_at: int = 0  # 0-based line number of the longest line
    lines: int = 0  # line breaks seen
    has_text: bool = False
    _current: int = 0  # length of the line being read
    _carry_cr: bool = False

    def feed(self, text: str, final: bool = False) -> None:
        if self._carry_cr:
            text = "\r" + text
            self._carry_cr = False
        if text.endswith("\r") and not final:
            text = text[:-1]
            self._carry_cr = True
        if not self.has_text and not text.isspace() and text:
            self.has_text = True
        crlf = text.count("\r\n")
        cr = text.count("\r") - crlf
        lf = text.count("\n") - crlf
        self.crlf += crlf
        self.cr += cr
        self.lf += lf
        if not cr and not crlf:
            self._lengths(text.split("\n"))
        else:
            self._lengths(_BREAK.split(text))

    def _lengths(self, parts: list[str]) -> None:
        # parts[0] continues the current line; each later part starts a new one.
        for k, part in enumerate(parts):
            if k:
                self.lines += 1
                self._current = 0
            self._current += len(part)
            if self._current > self.longest:
                self.longest = self._current
                self.longest_at = self.lines

    @property
    def style(self) -> str:
        """The most frequent line break (LF when there is none, or on a tie)."""
        counts = {"\n": self.lf, "\r\n": self.crlf, "\r": self.cr}
        return max(counts, key=lambda k: (counts[k], k == "\n", k == "\r\n"))

    @property
    def mixed(self) -> bool:
        return sum(1 for n in (self.lf, self.crlf, self.cr) if n) > 1

    def describe(self) -> str:
        counts = [(self.crlf, "CRLF"), (self.lf, "LF"), (self.cr, "CR")]
        return ", ".join(f"{n} {name}" for n, name in counts if n)


@dataclass
class Sniff:
    """How a file is to be read: what :func:`sniff` found."""

    size: int
    sha256: str
    encoding: str
    bom: bytes = b""
    stats: LineStats = field(default_factory=LineStats)
    #: Why the file was read as cp1252 (``None``: it was not).
    fallback: str | None = None

    @property
    def newline(self) -> str:
        return self.stats.style

    @property
    def empty(self) -> bool:
        """No text at all (empty, or white space only): written through unchanged."""
        return not self.stats.has_text


def _bom(first: bytes) -> tuple[bytes, str | None]:
    for mark, encoding in BOMS:
        if first.startswith(mark):
            return mark, encoding
    return b"", None


def _decoded(blocks: Iterator[bytes], encoding: str, skip: int) -> Iterator[tuple[int, str]]:
    """(byte offset of the block, decoded text) of each block; raises UnicodeDecodeError."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset = 0
    for block in blocks:
        data = block[skip:] if offset == 0 else block
        base = offset + (skip if offset == 0 else 0)
        try:
            text = decoder.decode(data)
        except UnicodeDecodeError as exc:
            pending = len(decoder.getstate()[0]) if hasattr(decoder, "getstate") else 0
            exc.start += base - pending
            raise
        offset += len(block)
        yield base, text
    try:
        text = decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        exc.start = offset - len(exc.object) + exc.start
        raise
    yield offset, text


def sniff(source: Source) -> Sniff:
    """Decide how to decode ``source`` (see the module docstring); raises :class:`InputError`.

    One pass over the bytes (two when the UTF-8 reading fails and cp1252 is tried).
    """
    blocks = source.blocks()
    head = next(blocks, b"")
    bom, encoding = _bom(head)
    digest = hashlib.sha256()
    size = 0

    def checked() -> Iterator[bytes]:
        nonlocal size
        for block in _chain(head, blocks):
            if encoding is None:
                nul = block.find(b"\0")
                if nul >= 0:
                    raise InputError(
                        f"binary file (NUL byte at offset {size + nul}; "
                        "UTF-16 without a byte-order mark is not supported)"
                    )
            digest.update(block)
            size += len(block)
            yield block

    result = Sniff(size=0, sha256="", encoding=encoding or "utf-8", bom=bom)
    failure: str | None = None
    try:
        for _offset, text in _decoded(checked(), result.encoding, len(bom)):
            result.stats.feed(text)
        result.stats.feed("", final=True)
    except UnicodeDecodeError as exc:
        if encoding is not None:
            raise InputError(f"not valid {encoding.upper()} (byte {exc.start})") from None
        failure = f"not valid UTF-8 (byte {exc.start})"
    if failure is not None:
        _fallback(source, result, failure)  # reads the whole file again, and hashes it
    else:
        result.size, result.sha256 = size, digest.hexdigest()
    if result.stats.longest > MAX_LINE_CHARS:
        raise InputError(
            f"line {result.stats.longest_at + 1} is {result.stats.longest:,} characters long "
            f"(the limit is {MAX_LINE_CHARS:,}): not article text"
        )
    return result


def _chain(head: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    if head:
        yield head
    yield from rest


def _fallback(source: Source, result: Sniff, why: str) -> None:
    """Read as cp1252 if that is plausible text; raise :class:`InputError` otherwise."""
    result.stats = LineStats()
    digest = hashlib.sha256()
    size = 0

    def hashed() -> Iterator[bytes]:
        nonlocal size
        for block in source.blocks():
            digest.update(block)
            size += len(block)
            yield block

    try:
        for _offset, text in _decoded(hashed(), FALLBACK_ENCODING, 0):
            bad = _CONTROL.search(text)
            if bad:
                raise InputError(
                    f"{why}, and not cp1252 text either "
                    f"(control character U+{ord(bad.group()):04X})"
                )
            from ftfy.badness import is_bad  # only for a file that is not UTF-8

            if is_bad(text):
                raise InputError(f"{why}, and as cp1252 it reads like mis-decoded UTF-8")
            odd = _FOREIGN.search(text)
            if odd:
                raise InputError(
                    f"{why}, and as cp1252 it reads like another encoding ({odd.group()!r})"
                )
            result.stats.feed(text)
        result.stats.feed("", final=True)
    except UnicodeDecodeError as exc:
        raise InputError(f"{why}, and not cp1252 text either (byte {exc.start})") from None
    result.encoding = FALLBACK_ENCODING
    result.fallback = why
    result.size, result.sha256 = size, digest.hexdigest()


# --- pieces --------------------------------------------------------------------------


class Reader:
    """The decoded, newline-normalised text of a sniffed file, in pieces.

    Also records the line breaks that differ from the file's style
    (:attr:`exceptions`: 0-based line number -> break), for a byte-exact
    revert, and checks that the bytes are still those :func:`sniff` read.
    """

    def __init__(self, source: Source, sniffed: Sniff) -> None:
        self.source = source
        self.sniffed = sniffed
        self.exceptions: list[tuple[int, str]] = []
        self._line = 0
        self._carry_cr = False

    def _normalised(self) -> Iterator[str]:
        digest = hashlib.sha256()

        def hashed() -> Iterator[bytes]:
            for block in self.source.blocks():
                digest.update(block)
                yield block

        sniffed = self.sniffed
        style = sniffed.newline
        mixed = sniffed.stats.mixed
        try:
            blocks = _decoded(hashed(), sniffed.encoding, len(sniffed.bom))
            for _offset, text in blocks:
                yield self._normalise(text, style, mixed)
            tail = self._normalise("", style, mixed, final=True)
        except UnicodeDecodeError as exc:
            raise InputError(f"changed while being read (byte {exc.start})") from None
        if digest.hexdigest() != sniffed.sha256:
            raise InputError("changed while being read")
        yield tail

    def _normalise(self, text: str, style: str, mixed: bool, final: bool = False) -> str:
        if self._carry_cr:
            text = "\r" + text
            self._carry_cr = False
        if text.endswith("\r") and not final:
            text = text[:-1]
            self._carry_cr = True
        if mixed:
            line = self._line
            for m in _BREAK.finditer(text):
                if m.group() != style:
                    self.exceptions.append((line, m.group()))
                line += 1
            self._line = line
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text

    def pieces(self) -> Iterator[Piece]:
        return cut_pieces(self._normalised())


def text_blocks(text: str) -> Iterator[str]:
    """``text`` in the parts a UTF-8 file of it is decoded in (see :meth:`Source.blocks`).

    So a text held in memory (a JSONL record) is cut into the pieces the same
    text read from a ``.txt`` file is.
    """
    if len(text) <= IN_MEMORY_BYTES // 4 or _utf8_size(text) <= IN_MEMORY_BYTES:
        yield text
        return
    # Encoded a window at a time: the text is not held a second time as bytes.
    decoder = codecs.getincrementaldecoder("utf-8")("surrogatepass")
    pending = bytearray()
    for start in range(0, len(text), BLOCK_BYTES):
        pending += text[start : start + BLOCK_BYTES].encode("utf-8", "surrogatepass")
        while len(pending) >= BLOCK_BYTES:
            yield decoder.decode(bytes(pending[:BLOCK_BYTES]))
            del pending[:BLOCK_BYTES]
    yield decoder.decode(bytes(pending), final=True)


def _utf8_size(text: str) -> int:
    return sum(
        len(text[i : i + BLOCK_BYTES].encode("utf-8", "surrogatepass"))
        for i in range(0, len(text), BLOCK_BYTES)
    )


def normalised_text(source: Source, encoding: str, bom: bytes, newline: str) -> Iterator[str]:
    """The text of a file written in one line-break style, with ``\n`` breaks, in blocks."""
    carry = ""
    for _offset, text in _decoded(source.blocks(), encoding, len(bom)):
        text = carry + text
        carry = ""
        if newline != "\n":
            if newline == "\r\n" and text.endswith("\r"):
                carry, text = "\r", text[:-1]  # maybe half of a CRLF split between blocks
            text = text.replace(newline, "\n")
        yield text
    if carry:
        yield carry


# --- line endings back ------------------------------------------------------------


def with_endings(text: str, style: str, exceptions: dict[int, str], first_line: int) -> str:
    """Normalised ``text`` (starting at line ``first_line`` of its file) with its breaks back."""
    if not exceptions:
        return text if style == "\n" else text.replace("\n", style)
    lines = text.split("\n")
    out = []
    for k, line in enumerate(lines[:-1]):
        out.append(line)
        out.append(exceptions.get(first_line + k, style))
    out.append(lines[-1])
    return "".join(out)


# --- writing ----------------------------------------------------------------------------


class Encoder:
    """Cleaned pieces to bytes: the file's line-break style, encoding and BOM."""

    def __init__(self, encoding: str, bom: bytes, newline: str) -> None:
        self.encoding = encoding
        self.bom = bom
        self.newline = newline
        self._started = False
        self._line = 0

    def encode(self, text: str) -> bytes:
        if self.newline != "\n":
            text = text.replace("\n", self.newline)
        try:
            data = text.encode(self.encoding)
        except UnicodeEncodeError as exc:
            bad = exc.object[exc.start]
            line = self._line + exc.object.count(self.newline, 0, exc.start) + 1
            raise OutputError(
                f"the cleaned text has U+{ord(bad):04X} {bad!r} (line {line}), which "
                f"{self.encoding} cannot encode; not written"
            ) from None
        self._line += text.count(self.newline) if self.newline else 0
        if not self._started:
            self._started = True
            data = self.bom + data
        return data

    def finish(self) -> bytes:
        """Bytes of a file with no text at all (its BOM)."""
        if self._started:
            return b""
        self._started = True
        return self.bom


def sha256_of(path: Path, on_block: Callable[[bytes], None] | None = None) -> tuple[str, int]:
    """SHA-256 and size of a regular file's bytes."""
    digest = hashlib.sha256()
    size = 0
    with Source(path) as source:
        for block in source.blocks():
            digest.update(block)
            size += len(block)
            if on_block is not None:
                on_block(block)
    return digest.hexdigest(), size
