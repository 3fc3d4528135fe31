"""Python's own regular-expression parser, for reading patterns (never for matching).

Three places read a pattern's syntax tree: rule gates and the ReDoS shape
check (:mod:`cleaner.matching`) and the mojibake kind's split of ftfy's
badness regex (:mod:`cleaner.kinds.mojibake`). Only the standard library has
a parser, and only as the private ``re._parser`` (``sre_parse`` before Python
3.11, deprecated since). It is imported here and nowhere else, and every
reader treats "no parser" like "a pattern it cannot read": no gate (the rule
always runs), no ReDoS warning, ftfy's whole regex. So what the cleaner
outputs never depends on it; only its speed and its load-time warnings do
(``tests/test_reparser.py`` runs the samples without it).
"""

from __future__ import annotations

from typing import Any

try:
    import re._constants as opcodes
    import re._parser as _parser
except ImportError:  # a Python without them: see the module docstring
    _parser = None

    class _Missing:
        """Opcodes that compare equal to nothing a tree could hold (there are no trees)."""

        MAXREPEAT = -1

        def __getattr__(self, name: str) -> object:
            return object()

    opcodes = _Missing()  # type: ignore[assignment]


class Unavailable(ValueError):
    """This Python has no regex parser to read patterns with."""


def parse(pattern: str, flags: int = 0) -> Any:
    """The syntax tree of ``pattern`` (a ``SubPattern``); raises ``re.error`` on bad syntax."""
    if _parser is None:
        raise Unavailable("no regular-expression parser in this Python")
    return _parser.parse(pattern, flags)


def min_width(items: list) -> int:
    """The fewest characters a sequence of parsed items can match."""
    if _parser is None:
        raise Unavailable("no regular-expression parser in this Python")
    return _parser.SubPattern(_parser.State(), list(items)).getwidth()[0]
