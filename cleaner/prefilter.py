"""The literal prefilter: which rules can match at all, and on which lines.

A rule's *gate* (:func:`cleaner.gates.gate`) is a set of lower-cased
literals of which its pattern cannot match without one. A :class:`Prefilter`
holds the gates of a rule group and finds, in one scan of a document's
lower-cased text, every place one of their literals occurs. From that scan
the group knows which of its rules can match anywhere in the document and,
for rules that match within one line, which rules can match on which line,
so the ``regex`` module only runs where a match is possible. The prefilter
can only say "cannot match": a rule it lets through is still decided by its
own pattern, so output is the same with or without it.

The scan uses an Aho-Corasick automaton (``pyahocorasick``, the optional
``fast`` extra: one pass over the text for all literals) when it is
installed, and otherwise finds each literal with ``str.find`` (C speed per
literal, one pass per literal). Both give the same occurrences.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate

try:  # the optional accelerator
    import ahocorasick
except ImportError:  # pragma: no cover - exercised by the CI run without the extra
    ahocorasick = None

#: Whether the Aho-Corasick accelerator is in use (see the ``fast`` extra).
ACCELERATED = ahocorasick is not None

#: Characters that a case-insensitive pattern matches to a letter their ``lower()`` is
#: not (the ``regex`` module folds ``ſ`` to ``s``, ``ς`` to ``σ``, ``µ`` to ``μ``): in a
#: lower-cased text they hide a literal the pattern would still match, so a text holding
#: one is not prefiltered at all. Every character whose case folding is a single
#: character other than its lower case, but for Cherokee, whose two cases lower alike
#: (tests/test_prefilter.py derives this table from the running Python's Unicode data).
FOLD_SENSITIVE = frozenset(
    "\u00b5\u017f\u0345\u03c2\u03d0\u03d1\u03d5\u03d6\u03f0\u03f1\u03f5"
    "\u1c80\u1c81\u1c82\u1c83\u1c84\u1c85\u1c86\u1c87\u1c88\u1e9b\u1fbe"
)


def can_prefilter(lowered: str) -> bool:
    """Whether literals found in ``lowered`` (a lower-cased text) are all a
    case-insensitive pattern could match: no :data:`FOLD_SENSITIVE` character in it."""
    return lowered.isascii() or not any(ch in lowered for ch in FOLD_SENSITIVE)


class Prefilter:
    """Finds where any of a fixed set of lower-cased literals occurs in a text."""

    def __init__(self, literals: Iterable[str], *, accelerated: bool = ACCELERATED) -> None:
        self.literals: tuple[str, ...] = tuple(sorted(set(literals)))
        self._automaton = None
        if accelerated and ahocorasick is not None and self.literals:
            automaton = ahocorasick.Automaton()
            for literal in self.literals:
                automaton.add_word(literal, literal)
            automaton.make_automaton()
            self._automaton = automaton

    @property
    def accelerated(self) -> bool:
        """Whether this prefilter scans with the Aho-Corasick automaton."""
        return self._automaton is not None

    def occurrences(self, lowered: str) -> Iterator[tuple[int, str]]:
        """(start offset, literal) of every occurrence, overlapping ones included."""
        if self._automaton is not None:
            for end, literal in self._automaton.iter(lowered):
                yield end - len(literal) + 1, literal
            return
        find = lowered.find
        for literal in self.literals:
            pos = find(literal)
            while pos != -1:
                yield pos, literal
                pos = find(literal, pos + 1)

    def found_in(self, lowered: str) -> frozenset[str]:
        """The literals that occur in ``lowered``."""
        if self._automaton is not None:
            return frozenset(literal for _end, literal in self._automaton.iter(lowered))
        return frozenset(literal for literal in self.literals if literal in lowered)

    def occurs_in(self, lowered: str) -> bool:
        """Whether any of the literals occurs in ``lowered``."""
        if self._automaton is not None:
            return next(self._automaton.iter(lowered), None) is not None
        return any(literal in lowered for literal in self.literals)

    def by_line(self, lowered: str, line_starts: Sequence[int]) -> dict[int, set[str]]:
        """Line index -> the literals that occur on that line.

        ``line_starts`` are the offsets in ``lowered`` where its lines start. A
        literal holding a line break is counted on the line it starts on.
        """
        lines: dict[int, set[str]] = {}
        for start, literal in self.occurrences(lowered):
            index = bisect_right(line_starts, start) - 1
            found = lines.get(index)
            if found is None:
                lines[index] = {literal}
            else:
                found.add(literal)
        return lines


def line_starts(text: str) -> list[int]:
    """Offsets where the lines of ``text`` start."""
    # 0, then each line's start plus its length and break: the running sum, all in C
    # (a loop of str.find cost a Python step per line, on every pass).
    starts = list(accumulate(map(_after_break, map(len, text.split("\n"))), initial=0))
    starts.pop()  # where a line after the last would start
    return starts


_after_break = (1).__add__
