"""A text seen as lines: offsets, blank lines, prose lines and the head/tail zones.

Every rule kind reads the document through this class so the line index and
the zones are computed once per pass, in linear time.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from functools import cached_property
from typing import TypeVar

from .prefilter import line_starts

T = TypeVar("T")

WORD = re.compile(r"\w+")
# A sentence end: terminal punctuation, optionally followed by closing quotes
# or brackets.
SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*\s*$")

#: A line counts as prose (article body) when it has at least this many words
#: and ends like a sentence.
PROSE_MIN_WORDS = 10
#: Head and tail zones always span at least this many non-blank lines.
MIN_ZONE_LINES = 3


def words(text: str) -> list[str]:
    """Lower-cased word tokens, the unit of every similarity comparison."""
    return WORD.findall(text.lower())


#: The last character before the white space at the end of a line that ends like a sentence.
_SENTENCE_LAST = frozenset(".!?…:;\"'”’»)]")


def ends_like_sentence(line: str) -> bool:
    r"""Whether :data:`SENTENCE_END` matches ``line``.

    The cheap necessary condition first: the pattern leaves at most white space after
    its punctuation or closing quote (``\s`` is what ``rstrip`` strips), so the last
    other character must be one of them; only then is the pattern searched.
    """
    tail = line.rstrip()
    return bool(tail) and tail[-1] in _SENTENCE_LAST and SENTENCE_END.search(line) is not None


def is_prose(line: str) -> bool:
    # Counting words costs more than checking the end: the end first.
    return ends_like_sentence(line) and len(WORD.findall(line)) >= PROSE_MIN_WORDS


def prose_words(line: str) -> int:
    """How many words ``line`` has when it ends like a sentence; 0 when it does not
    (its words are not counted). ``is_prose(line)`` is ``prose_words(line) >= 10``."""
    return len(WORD.findall(line)) if ends_like_sentence(line) else 0


class Document:
    """Immutable view of one pass's text.

    ``at_start`` / ``at_end`` say whether the text begins / ends the file: a
    file too large to clean at once is cleaned in pieces (see
    :mod:`cleaner.textio`), and only the first piece has a head zone and a
    document start, only the last a tail zone and a document end.
    """

    def __init__(
        self,
        text: str,
        lang: str | None = None,
        source_lang: str | None = None,
        *,
        at_start: bool = True,
        at_end: bool = True,
        memo: dict[int, dict] | None = None,
    ) -> None:
        self.text = text
        #: Shared by the passes over one text (see :meth:`memo_for`).
        self.memo = {} if memo is None else memo
        self.lang = lang
        self.source_lang = source_lang
        self.at_start = at_start
        self.at_end = at_end
        starts = line_starts(text)
        # A trailing newline does not open a new line.
        if len(starts) > 1 and starts[-1] == len(text):
            starts.pop()
        if not text:
            starts = []
        self.line_starts = starts
        #: Per-view results of the rule groups (see :meth:`derived`).
        self._derived: dict = {}

    def __len__(self) -> int:
        return len(self.line_starts)

    def memo_for(self, owner: object) -> dict:
        """``owner``'s cache for this text and every later pass over it.

        The engine hands one memo to all passes over a document, so a matcher
        can remember per-line results across fixpoint rounds: the confirming
        round sees most lines again. Keys must describe the line itself.
        """
        return self.memo.setdefault(id(owner), {})

    def derived(self, key: object, compute: Callable[[Document], T]) -> T:
        """``compute(self)``, once per view: a result that depends on this text only
        (a rule group's prefilter scan), shared by the passes that reuse the view."""
        try:
            return self._derived[key]
        except KeyError:
            value = self._derived[key] = compute(self)
            return value

    @cached_property
    def lower_line_starts(self) -> list[int]:
        """Where the lines of :attr:`lower` start (lower-casing can change lengths)."""
        if len(self.lower) == len(self.text):
            return self.line_starts
        return line_starts(self.lower)

    @property
    def whole(self) -> bool:
        """The text is a whole file, not a piece of a larger one."""
        return self.at_start and self.at_end

    @cached_property
    def lines(self) -> list[str]:
        """Lines without their line break."""
        if not self.text:
            return []
        lines = self.text.split("\n")
        if self.text.endswith("\n"):
            lines.pop()
        return lines

    @cached_property
    def lower(self) -> str:
        return self.text.lower()

    def line_span(self, index: int) -> tuple[int, int]:
        """Offsets of line ``index`` including its line break."""
        start = self.line_starts[index]
        end = self.line_starts[index + 1] if index + 1 < len(self.line_starts) else len(self.text)
        return start, end

    def lines_span(self, first: int, last: int) -> tuple[int, int]:
        """Offsets covering lines ``first..last`` inclusive, with their breaks."""
        return self.line_starts[first], self.line_span(last)[1]

    def line_of(self, offset: int) -> int:
        return max(0, bisect_right(self.line_starts, offset) - 1)

    @cached_property
    def blank(self) -> list[bool]:
        return [not line.strip() for line in self.lines]

    @cached_property
    def nonblank(self) -> list[int]:
        """Indices of non-blank lines, in order."""
        return [i for i, b in enumerate(self.blank) if not b]

    @cached_property
    def prose(self) -> list[int]:
        # Whether a line is prose depends on the line alone: judged once per document
        # (the memo outlives the view), not once per pass that changed the text.
        known = self.memo_for(prose_words)
        lines = self.lines
        found = []
        for i in self.nonblank:
            line = lines[i]
            count = known.get(line)
            if count is None:
                count = known[line] = prose_words(line)
            if count >= PROSE_MIN_WORDS:
                found.append(i)
        return found

    def prose_words(self, index: int) -> int:
        """:func:`prose_words` of line ``index`` (for a prose line: its number of words)."""
        line = self.lines[index]
        known = self.memo_for(prose_words)
        count = known.get(line)
        if count is None:
            count = known[line] = prose_words(line)
        return count

    @cached_property
    def head_end(self) -> int:
        """First line index after the head zone.

        The head zone is everything before the first prose line, and never less
        than the first MIN_ZONE_LINES non-blank lines.
        """
        if not self.nonblank or not self.at_start:
            return 0
        floor = self.nonblank[min(MIN_ZONE_LINES, len(self.nonblank)) - 1] + 1
        first_prose = self.prose[0] if self.prose else len(self)
        return max(floor, first_prose)

    @cached_property
    def tail_start(self) -> int:
        """First line index of the tail zone (after the last prose line)."""
        if not self.at_end:
            return len(self)
        if not self.nonblank:
            return 0
        ceiling = self.nonblank[-min(MIN_ZONE_LINES, len(self.nonblank))]
        after_prose = self.prose[-1] + 1 if self.prose else 0
        return min(ceiling, after_prose)

    def in_zone(self, index: int, zone: str) -> bool:
        if zone == "any":
            return True
        if zone == "head":
            return index < self.head_end
        if zone == "tail":
            return index >= self.tail_start
        if zone == "edges":
            return index < self.head_end or index >= self.tail_start
        raise ValueError(f"unknown zone {zone!r}")


ZONES = ("any", "head", "tail", "edges")
