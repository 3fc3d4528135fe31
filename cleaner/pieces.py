"""A text cut into pieces, each cleaned as one document.

A file of up to :data:`PIECE_CHARS` characters is cleaned whole.
A larger one is cleaned in pieces of about that size, cut at the start of a
paragraph (after a blank line), or at a line start if a paragraph runs past
:data:`MAX_PIECE_CHARS` (a short remainder joins the last piece); only the
first piece has a document start and head zone, only the last a document end
and tail zone, whole-page rules (body-trim) do not run on pieces, and
duplicates are looked for within a piece. A line longer than
:data:`cleaner.textio.MAX_LINE_CHARS`
is not article text: the file is refused.

The pieces of a file (:meth:`cleaner.textio.Reader.pieces`) and of a JSONL
record's text (:mod:`cleaner.records`) are cut by the same function, so the
same text gives the same result in either form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

#: A file is cleaned in pieces of about this many characters (a smaller one whole).
PIECE_CHARS = 1 << 20
#: A piece is cut at any line start once it reaches this size without a paragraph break.
MAX_PIECE_CHARS = 4 << 20

_BLANK_RUN = re.compile(r"\n(?:[^\S\n]*\n)+")


@dataclass
class Piece:
    """A run of whole lines of a file, newline-normalised, cleaned as one document."""

    index: int
    text: str
    first_line: int  # 0-based number of its first line in the file
    at_start: bool
    at_end: bool


def cut_pieces(
    texts: Iterable[str], chars: int | None = None, max_chars: int | None = None
) -> Iterator[Piece]:
    """The pieces of a text that arrives in parts (see the module docstring).

    Where a piece ends depends on the parts too (a cut is looked for as the text
    grows): a file's parts are its decoded blocks; :func:`text_blocks` gives a
    text in memory the same parts. ``chars``/``max_chars`` default to
    :data:`PIECE_CHARS`/:data:`MAX_PIECE_CHARS` (given smaller in tests).
    """
    chars = PIECE_CHARS if chars is None else chars
    max_chars = MAX_PIECE_CHARS if max_chars is None else max_chars
    pending = ""
    first_line = 0
    index = 0
    ready: Piece | None = None
    for text in texts:
        pending += text
        while True:
            cut = _cut(pending, chars, max_chars)
            if cut is None:
                break
            if ready is not None:
                yield ready
            ready = Piece(index, pending[:cut], first_line, index == 0, False)
            first_line += ready.text.count("\n")
            pending = pending[cut:]
            index += 1
    if ready is not None and len(pending) < chars // 2:
        # A short remainder joins the piece before: the end of the document (its
        # tail zone, its last line break) must have some text to belong to.
        ready.text += pending
        ready.at_end = True
        yield ready
        return
    if ready is not None:
        yield ready
    yield Piece(index, pending, first_line, index == 0, True)


def _cut(pending: str, chars: int, max_chars: int) -> int | None:
    """Where to end a piece of ``pending`` text, or ``None`` to read on."""
    if len(pending) < chars:
        return None
    blank = _BLANK_RUN.search(pending, chars - 1)
    if blank is not None and blank.end() < len(pending):
        return blank.end()
    if len(pending) >= max_chars:
        newline = pending.rfind("\n", 0, max_chars)
        if newline >= 0:
            return newline + 1
    return None
