"""One record's text cleaned as a text file of it would be: whole, or in its pieces.

A JSONL record holds one article's text in one JSON string, which may be as
large as any file. A text of :data:`cleaner.pieces.PIECE_CHARS` characters or
more is cut where the same text in a ``.txt`` file is cut
(:func:`cleaner.pieces.cut_pieces`) and cleaned piece by piece, with the
file's result and bounded memory; :func:`revert_record` undoes it piece by
piece from the ``pieces`` that ``records.jsonl`` logs (:mod:`cleaner.jsonl`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from . import pieces
from .api import NO_SOURCE_LANG, Cleaner
from .changelog import Edit, Note, revert
from .pieces import cut_pieces
from .textio import text_blocks


@dataclass
class RecordResult:
    """What cleaning one record's text produced, its pieces together (see :func:`clean_record`)."""

    #: The cleaned text, piece by piece (joined: :attr:`text`).
    parts: list[str]
    #: Some piece came out different.
    changed: bool = False
    language: str | None = None
    source_language: str | None = None
    edits: int = 0
    findings: int = 0
    #: Notes (RX001, DG001) of all pieces; they are also among the changes given out.
    notes: list[Note] = field(default_factory=list)
    converged: bool = True
    rounds: int = 0
    guarded: bool = False
    #: Characters in and out of each piece, as ``files.jsonl`` has them for a text file;
    #: ``None`` for a text cleaned whole.
    pieces: list[list[int]] | None = None

    @property
    def text(self) -> str:
        return "".join(self.parts)


#: Gets the notes, then the changes and findings by position, of each piece in turn.
ChangesListener = Callable[[list[Edit]], None]


def clean_record(
    cleaner: Cleaner,
    text: str,
    lang: str | None,
    source_lang: str | None,
    piece_chars: int | None = None,
    on_changes: ChangesListener | None = None,
) -> RecordResult:
    """Clean one record's text: whole, or, from ``piece_chars`` characters on (default
    :data:`cleaner.pieces.PIECE_CHARS`), in the pieces the same text in a ``.txt``
    file is cut into (:func:`cleaner.pieces.cut_pieces`), with the same result.

    Cleaned whole, a text needs memory many times its size; in pieces, and
    with each piece's changes handed to ``on_changes`` (not kept), memory is
    bounded by the piece size. As for a file, the first piece decides the
    language and source language of the others; each change says its piece,
    its offsets are in that piece and its ``line`` is counted in the whole text.
    """
    max_chars = None
    if piece_chars is None:
        piece_chars = pieces.PIECE_CHARS
    else:  # a smaller piece size (tests) keeps the ratio of the longest piece to it
        max_chars = piece_chars * (pieces.MAX_PIECE_CHARS // pieces.PIECE_CHARS)
    whole = len(text) < piece_chars
    parts = (
        [pieces.Piece(0, text, 0, True, True)]
        if whole
        else cut_pieces(text_blocks(text), piece_chars, max_chars)
    )
    done = RecordResult([], pieces=None if whole else [])
    for piece in parts:
        if whole:
            result = cleaner.clean(text, lang, source_lang)
        else:
            result = cleaner.clean(
                piece.text, lang, source_lang, at_start=piece.at_start, at_end=piece.at_end
            )
        if piece.index == 0:
            # Later pieces take the languages the first one was cleaned in.
            done.language, done.source_language = result.language, result.source_language
            lang, source_lang = result.language, result.source_language or NO_SOURCE_LANG
        found = sorted([*result.edits, *result.findings], key=lambda e: (e.line, e.column))
        notes = [
            replace(n, piece=piece.index, line=n.line + piece.first_line) for n in result.notes
        ]
        found = [replace(e, piece=piece.index, line=e.line + piece.first_line) for e in found]
        if on_changes is not None:
            on_changes([*notes, *found])
        done.edits += len(result.edits)
        done.findings += len(result.findings)
        done.notes += notes
        done.converged &= result.converged
        done.rounds = max(done.rounds, result.rounds)
        done.guarded |= result.guarded
        if done.pieces is not None:
            done.pieces.append([len(piece.text), len(result.text)])
        done.parts.append(result.text)
        done.changed |= result.text != piece.text
        del result, found  # a piece's changes are not kept
    return done


def revert_record(text: str, edits: list[Edit], pieces: list | None) -> str:
    """A record's input text from its output text and its applied edits (see
    :func:`clean_record`); ``pieces`` as ``records.jsonl`` logged them, if it did."""
    if not pieces:
        return revert(text, edits)
    by_piece: dict[int, list[Edit]] = {}
    for edit in edits:
        by_piece.setdefault(edit.piece, []).append(edit)
    original: list[str] = []
    at = 0
    for index, (chars_in, chars_out) in enumerate(pieces):
        piece = revert(text[at : at + chars_out], by_piece.pop(index, []))
        if len(piece) != chars_in:
            raise ValueError(f"piece {index} does not revert to its logged length")
        original.append(piece)
        at += chars_out
    if at != len(text) or by_piece:
        raise ValueError("the logged pieces do not cover the record's text")
    return "".join(original)
