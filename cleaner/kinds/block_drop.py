"""Kind ``block-drop``: delete a block from a marker line to an end.

Comment sections, author boxes and related-article lists start with a
recognisable line and run to the end of the document or to a blank line.

Parameters: ``start`` (regex for the whole marker line), ``end`` (``"eof"``,
``"blank"`` = up to the next blank line, ``"items"`` = over the lines
below that match ``line_pattern``, blank lines between them allowed, up to
the first line that does not, or a regex for the end line, which is dropped
too), ``ignore_case``, ``zone`` (where the marker may be),
``max_lines`` (a longer block is left alone: a marker look-alike above real
text), ``confirm`` (a regex some later line of the block must match), and
``line_pattern`` (a regex every later non-blank line must match).

``"items"`` is for widgets scrapers leave *between* paragraphs: 'Related'
and two headlines, each on its own line or paragraph, then the article goes
on. The article's next sentence does not match ``line_pattern`` and ends the
block; a marker with a sentence right under it (no blank line) is no
widget, and a run of more than ``max_lines`` items is a list, not one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from ..document import Document
from ..gates import gate, passes_gate
from ..matching import GuardedPattern, compile_regex, scoped
from ..rule import Rule
from . import Candidate, RuleGroup, ZonedParams, kind, param


@dataclass(frozen=True)
class Params(ZonedParams):
    start: str = param(doc="regex for the whole marker line")
    end: str = param("eof", doc='"eof", "blank", "items", or a regex for the end line')
    max_lines: int = 12
    confirm: str = ""
    line_pattern: str = ""

    def check(self) -> None:
        if self.max_lines < 1:
            raise ValueError("max_lines must be at least 1")
        if self.end == "items" and not self.line_pattern:
            raise ValueError('end = "items" needs a line_pattern (what an item looks like)')


#: ``end`` values that are modes, not a regex for the end line.
_END_MODES = ("eof", "blank", "items")


@dataclass(frozen=True)
class Compiled:
    start: GuardedPattern
    end: GuardedPattern | None
    confirm: GuardedPattern | None
    line: GuardedPattern | None
    gate: frozenset[str] | None


#: ``(?<!\n)``: a pattern ending in ``\s*`` would otherwise take the line break and
#: match the line *and* the blank line under it (then skipped as across lines).
_LINE = r"(?m)^[^\S\n]*+(?:{body})(?<!\n)[^\S\n]*$"


def _line_re(pattern: str, ignore_case: bool) -> GuardedPattern:
    return compile_regex(_LINE.format(body=scoped(pattern, ignore_case)), deferred=True)


def _compile(rule: Rule) -> Compiled:
    p = rule.params
    ic = p.ignore_case
    return Compiled(
        start=_line_re(p.start, ic),
        end=None if p.end in _END_MODES else _line_re(p.end, ic),
        confirm=compile_regex(scoped(p.confirm, ic), deferred=True) if p.confirm else None,
        line=_line_re(p.line_pattern, ic) if p.line_pattern else None,
        gate=gate(p.start),
    )


@kind("block-drop", phase="blocks", params=Params)
class BlockDrop(RuleGroup):
    compile_rule = staticmethod(_compile)

    def find(self, doc: Document) -> Iterator[Candidate]:
        for rule in self.rules:
            p, c = rule.params, self.compiled[rule.code]
            if not passes_gate(c.gate, doc.lower):
                continue
            if p.end == "eof" and not doc.at_end:
                continue  # a piece of a larger file: its end is not the document's
            covered = -1  # last line of the block already dropped: blocks never overlap
            for m in c.start.finditer(doc.text):
                if "\n" in m.group(0) or m.start() >= len(doc.text):
                    continue  # across lines, or the empty "line" after the last break
                first = doc.line_of(m.start())
                if first <= covered or not doc.in_zone(first, p.zone):
                    continue
                last = _block_end(doc, p, c, first)
                if last is not None and _block_ok(doc, p, c, first, last):
                    start, end = doc.lines_span(first, last)
                    yield Candidate(start, end, "", rule)
                    covered = last


def _block_end(doc: Document, p: Params, c: Compiled, first: int) -> int | None:
    end = p.end
    if end == "eof":
        return len(doc) - 1
    if end == "blank":
        last = first
        while last + 1 < len(doc) and not doc.blank[last + 1]:
            last += 1
        return last
    if end == "items":
        return _items_end(doc, p, c, first)
    for index in range(first + 1, min(len(doc), first + 1 + p.max_lines)):
        if c.end is not None and c.end.fullmatch(doc.lines[index]):
            return index
    return None


def _items_end(doc: Document, p: Params, c: Compiled, first: int) -> int | None:
    """The last item under the marker at ``first`` (the marker itself when the
    widget lost its items), or None when this is no widget."""
    if (
        first + 1 < len(doc)
        and not doc.blank[first + 1]
        and not c.line.fullmatch(doc.lines[first + 1])
    ):
        return None  # a sentence right under it: a heading of the article's
    last, items, index = first, 0, first + 1
    while index < len(doc):
        if doc.blank[index]:
            index += 1
            continue
        if not c.line.fullmatch(doc.lines[index]):
            break
        items += 1
        if items >= p.max_lines:
            return None  # a long run of short lines is a list, not a widget
        last = index
        index += 1
    if all(not doc.blank[i] for i in range(first, last + 1)) and (
        last + 1 == len(doc) or doc.blank[last + 1]
    ):
        return last  # heading and items in one paragraph: the widget, wherever it is
    # Spread over paragraphs, it is a widget only where the article goes on:
    # two sentences follow. Under a teaser feed's heading, headlines and their
    # summaries alternate; that heading is body-trim's end of the article.
    following = list(islice((i for i in range(last + 1, len(doc)) if not doc.blank[i]), 2))
    if len(following) < 2 or any(c.line.fullmatch(doc.lines[i]) for i in following):
        return None
    return last


def _block_ok(doc: Document, p: Params, c: Compiled, first: int, last: int) -> bool:
    body = [i for i in range(first + 1, last + 1) if not doc.blank[i]]
    if len(body) + 1 > p.max_lines:
        return False
    if c.confirm is not None and not any(c.confirm.search(doc.lines[i]) for i in body):
        return False
    return c.line is None or all(c.line.fullmatch(doc.lines[i]) for i in body)
