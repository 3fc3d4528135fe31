"""Edits: the record of every change, and how to replay, map and undo them.

Like ftfy's explanations, an edit log is replayable: each applied edit says
in which pass it ran, where in that pass's text (``start``/``end``) and where
its replacement landed in the pass's output (``out_start``), so
:func:`revert` can rebuild the input exactly. ``line``/``column`` locate the
edit in the *original* input, for people.
"""

from __future__ import annotations

import difflib
import json
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import ClassVar

from .visible import visible


@dataclass(frozen=True)
class Edit:
    """One change (or, when ``applied`` is false, one reported finding).

    Frozen: a stage that places an edit somewhere else (its pass's output, the
    original input, a piece of a larger file) makes a new one with
    :func:`dataclasses.replace`.
    """

    code: str
    name: str
    safety: str
    start: int
    end: int
    before: str
    after: str
    applied: bool = True
    pass_index: int = 0
    out_start: int = 0
    line: int = 0
    column: int = 0
    message: str = ""
    #: Which piece of a large file the edit was made in (``start``/``end``/``out_start``
    #: are offsets in that piece); 0 for a file cleaned whole.
    piece: int = 0
    #: Structured numbers of a note (damage guard, timeouts, decoding); omitted when empty.
    details: dict = field(default_factory=dict)
    #: The text of the *original input* the edit covers, when it differs from ``before``
    #: (which is the text of its pass: an earlier pass may have changed it); omitted
    #: when they are the same. Listings quote it, so "before" is always what the file says.
    original: str | None = None

    @property
    def family(self) -> str:
        return self.code.rstrip("0123456789")

    @property
    def is_note(self) -> bool:
        """A record about the whole document (guard, timeout, decoding), not a text change."""
        return self.pass_index < 0

    def to_json(self, file: str | None = None) -> dict:
        record = {} if file is None else {"file": file}
        for name in self.__dataclass_fields__:
            record[name] = getattr(self, name)
        if record["details"]:
            record["details"] = dict(record["details"])
        else:
            del record["details"]
        if record["original"] is None:
            del record["original"]
        return record

    @property
    def original_text(self) -> str:
        """What the original input says where the edit is (``before`` unless earlier
        passes changed that text)."""
        return self.before if self.original is None else self.original

    @classmethod
    def from_json(cls, record: dict) -> Edit:
        fields = {k: v for k, v in record.items() if k in cls.__dataclass_fields__}
        return cls(**fields)


@dataclass(frozen=True)
class Note:
    """A record about a whole document, not a change of its text: the damage guard
    withheld its edits (``DG001``), a rule ran out of regex time (``RX001``), the file
    needed a decoding fallback (``IO001``) or mixed line endings (``IO002``); the codes
    are in :mod:`cleaner.codes`.

    Logged beside the edits in the same record shape (an edit of no text at
    ``pass_index`` -1), so logs and listings read both alike.
    """

    code: str
    name: str
    message: str
    details: dict = field(default_factory=dict)
    line: int = 1
    column: int = 1
    #: The piece of a large file the note was made for (0 for a file cleaned whole).
    piece: int = 0

    #: What listings read of an edit, fixed for a note: it changes nothing.
    is_note: ClassVar[bool] = True
    applied: ClassVar[bool] = False
    safety: ClassVar[str] = "display"
    before: ClassVar[str] = ""
    after: ClassVar[str] = ""
    original_text: ClassVar[str] = ""

    @property
    def family(self) -> str:
        return self.code.rstrip("0123456789")

    def to_json(self, file: str | None = None) -> dict:
        return self.as_edit().to_json(file)

    def as_edit(self) -> Edit:
        """The note in a log's record shape: an edit of no text, never applied."""
        return Edit(
            code=self.code,
            name=self.name,
            safety=self.safety,
            start=0,
            end=0,
            before="",
            after="",
            applied=False,
            pass_index=-1,
            line=self.line,
            column=self.column,
            message=self.message,
            piece=self.piece,
            details=dict(self.details),
        )


def record_from_json(record: dict) -> Edit | Note:
    """A logged record as what it is: a :class:`Note` (``pass_index`` -1) or an edit."""
    if record.get("pass_index", 0) < 0:
        fields = {k: v for k, v in record.items() if k in Note.__dataclass_fields__}
        return Note(**fields)
    return Edit.from_json(record)


def apply_edits(text: str, edits: Sequence[Edit]) -> tuple[str, list[Edit]]:
    """Apply sorted, non-overlapping edits to ``text`` in one linear sweep.

    Returns the result and the edits with their ``out_start`` (where each
    replacement starts in the result).
    """
    parts: list[str] = []
    placed: list[Edit] = []
    cursor = 0
    shift = 0
    for edit in edits:
        parts.append(text[cursor : edit.start])
        parts.append(edit.after)
        placed.append(replace(edit, out_start=edit.start + shift))
        shift += len(edit.after) - (edit.end - edit.start)
        cursor = edit.end
    parts.append(text[cursor:])
    return "".join(parts), placed


class PassMap:
    """Maps offsets in a pass's output back to offsets in its input."""

    def __init__(self, edits: Sequence[Edit]) -> None:
        self._out_starts = [e.out_start for e in edits]
        self._edits = list(edits)

    def to_input(self, offset: int) -> int:
        i = bisect_right(self._out_starts, offset) - 1
        if i < 0:
            return offset
        edit = self._edits[i]
        out_end = edit.out_start + len(edit.after)
        if offset < out_end:
            # Inside inserted text: it came from where the edit started.
            return edit.start
        return edit.end + (offset - out_end)

    def to_input_end(self, offset: int) -> int:
        """Like :meth:`to_input`, for the end of a span: text deleted right there stays out."""
        i = bisect_left(self._out_starts, offset) - 1
        if i < 0:
            return offset
        edit = self._edits[i]
        out_end = edit.out_start + len(edit.after)
        if offset <= out_end:
            return edit.end
        return edit.end + (offset - out_end)


class LineIndex:
    """Offset -> 1-based (line, column) in one text."""

    def __init__(self, text: str) -> None:
        starts = [0]
        pos = text.find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = text.find("\n", pos + 1)
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1


def revert(text: str, edits: Iterable[Edit]) -> str:
    """Undo the applied edits of a result, giving back its input exactly.

    Passes are undone last first; within a pass, one linear sweep.
    """
    by_pass: dict[int, list[Edit]] = defaultdict(list)
    for edit in edits:
        if edit.applied and not edit.is_note:
            by_pass[edit.pass_index].append(edit)
    for pass_index in sorted(by_pass, reverse=True):
        group = sorted(by_pass[pass_index], key=lambda e: (e.out_start, e.start))
        parts: list[str] = []
        cursor = 0
        for edit in group:
            end = edit.out_start + len(edit.after)
            if edit.out_start < cursor or text[edit.out_start : end] != edit.after:
                raise ValueError(
                    f"edit {edit.code} of pass {pass_index} does not match the text; "
                    "was the log produced from this output?"
                )
            parts.append(text[cursor : edit.out_start])
            parts.append(edit.before)
            cursor = end
        parts.append(text[cursor:])
        text = "".join(parts)
    return text


def unified_diff(original: str, cleaned: str, path: str) -> str:
    """A ``git diff``-style unified diff of one file (empty when unchanged), for reading.

    Invisible characters are written as ``<U+00A0>`` (:func:`cleaner.visible.visible`),
    so a no-break space fixed into a space shows; ``clean-articles revert`` and the
    change records, not this diff, are what gives the input back.
    """
    lines = difflib.unified_diff(
        original.splitlines(keepends=True),
        cleaned.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    out = []
    for line in lines:
        out.append(visible(line))
        if not line.endswith("\n"):
            out.append("\n\\ No newline at end of file\n")
    return "".join(out)


def jsonl(edits: Iterable[Edit], file: str) -> str:
    return "".join(json.dumps(e.to_json(file), ensure_ascii=False) + "\n" for e in edits)
