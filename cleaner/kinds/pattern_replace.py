"""Kind ``pattern-replace``: a regex with context and a templated replacement.

Parameters: ``pattern`` (``regex`` syntax; lookbehind/lookahead give the
context), ``replace`` (a template: ``\\1``, ``\\g<name>``; default: delete),
``ignore_case``, ``zone`` (where the match must start) and ``context``.

``context = "next-to-prose"``: the match must start at the start of a line
next to prose (:data:`CONTEXTS`), the condition widget rules share ("a share
bar between two paragraphs"). The rule's pattern is then matched as if it
began with that condition; the condition is worked out once per text for all
such rules, and each rule's pattern is only tried at the line starts that meet
it, instead of every rule scanning the whole text with the condition as a
lookaround (nineteen such rules took a quarter of the cleaning time).
The condition holds only until body-trim has cut what it will: the engine
runs the same rules without it in its ``anywhere`` phase
(:mod:`cleaner.engine`), so a widget line away from prose stays while it may
be the end marker body-trim cuts at, and goes after.

A rule whose matches start only at line starts (its context, or a pattern opening
with ``(?<![^\\n])``) and that needs one of some literals before its first line
break (:func:`cleaner.gates.line_gate`) is tried only at the starts of the lines
holding one: one scan of the text finds them for all the group's rules, instead of
each rule's pattern scanning the whole text. Where they are found, the same
pattern decides; the hits are the same.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

import regex

from ..document import Document
from ..gates import gate, line_gate, passes_gate
from ..matching import (
    LEADING_FLAGS,
    Combined,
    GuardedPattern,
    compile_regex,
    leftmost_hits,
    matches_at,
    mergeable,
    scoped,
)
from ..prefilter import Prefilter, can_prefilter, line_starts
from ..rule import Rule
from . import Candidate, ZonedParams, compile_each, kind, param

#: Conditions a match's start must meet, by the name ``context`` gives them: a lookaround
#: at a line start, put in front of the pattern (after its flags).
CONTEXTS = {
    # Any line start: what the engine's ``anywhere`` phase holds the others to.
    "line-start": r"(?<![^\n])",
    # Nowhere before body-trim (the line is one of its end markers), a line start after.
    "after-body-trim": r"(?!)",
    # The next non-blank line below it is a sentence of 60 characters or more, or nothing
    # follows it (the third alternative of next-to-prose).
    "before-prose": (
        r"(?<![^\n])(?=[^\n]*+(?:\n|\Z)(?:[^\S\n]*+\n)*+[^\S\n]*+"
        r"(?:[^\n]{59,}[.!?…\"”»)][^\S\n]*(?:\n|\Z)|\Z))"
    ),
    # The line above it (or the one above a blank line) is a sentence of 60 characters or
    # more, or the next non-blank line below it is one, or nothing follows it.
    "next-to-prose": (
        r"(?<![^\n])(?:"
        r"(?<=[^\n]{59}[.!?…\"”»)]\n)"
        r"|(?<=[^\n]{59}[.!?…\"”»)]\n\n)"
        r"|(?=[^\n]*+(?:\n|\Z)(?:[^\S\n]*+\n)*+[^\S\n]*+"
        r"(?:[^\n]{59,}[.!?…\"”»)][^\S\n]*(?:\n|\Z)|\Z))"
        r")"
    ),
}


@cache
def _context_pattern(context: str) -> GuardedPattern:
    return compile_regex(CONTEXTS[context])


@dataclass(frozen=True)
class Params(ZonedParams):
    pattern: str = param(doc="regex (regex module syntax)")
    replace: str = param("", doc="replacement template")
    context: str = param(
        "",
        choices=("", *CONTEXTS),
        doc="where a match may start: 'next-to-prose' (a line next to a paragraph), "
        "'before-prose' (a line with a paragraph or nothing below), 'after-body-trim' (a "
        "line start, once body-trim has cut what it will), 'line-start'",
    )


def with_context(pattern: str, context: str) -> str:
    """``pattern`` with its ``context`` condition in front (after its leading flags)."""
    if not context:
        return pattern
    m = LEADING_FLAGS.match(pattern)
    cut = m.end() if m else 0
    return f"{pattern[:cut]}{CONTEXTS[context]}{pattern[cut:]}"


def context_starts(doc: Document, context: str) -> list[int]:
    """Where in ``doc`` a match of a rule with ``context`` may start (once per text)."""
    return doc.derived(("context", context), lambda d: _starts(d.text, context))


def _starts(text: str, context: str) -> list[int]:
    if context == "next-to-prose":
        return _next_to_prose(text)
    if context == "before-prose":
        return _next_to_prose(text, above=False)
    if context == "after-body-trim":
        return []
    if context == "line-start":
        return line_starts(text)
    return [m.start() for m in _context_pattern(context).finditer(text)]


#: What ends a sentence for "next-to-prose" (the character class of its pattern).
_SENTENCE_END = frozenset('.!?…"”»)')


@cache
def _horizontal_space() -> str:
    """The characters ``[^\\S\\n]`` matches (the ``regex`` module's ``\\s``, which leaves
    out the four separators ``\\x1c``-``\\x1f`` that ``str.isspace`` takes, less ``\\n``)."""
    space = regex.compile(r"[^\S\n]")
    return "".join(ch for ch in map(chr, range(0x3001)) if space.match(ch))


def _next_to_prose(text: str, above: bool = True) -> list[int]:
    """The line starts where ``CONTEXTS["next-to-prose"]`` holds (``above`` false:
    ``CONTEXTS["before-prose"]``), worked out line by line (the same positions as its
    pattern's finditer: tests/test_kinds.py compares them).

    Two passes, each line looked at once: from the bottom, whether the next non-blank
    line below each line is a sentence (or nothing but white space follows); then from
    the top, whether the line above (or the one above a blank line) is one."""
    space = _horizontal_space()
    lines = text.split("\n")
    last = len(lines) - 1
    # below[i]: the first line after line i that is not blank, or the last line, is a
    # sentence of 60 characters or more, white space around it aside; or it is the
    # last line and blank; or line i is the last line.
    below = [True] * len(lines)
    body = lines[last].strip(space)
    verdict = not body or (len(body) >= 60 and body[-1] in _SENTENCE_END)
    for i in range(last - 1, -1, -1):
        below[i] = verdict
        body = lines[i].strip(space)
        if body:
            verdict = len(body) >= 60 and body[-1] in _SENTENCE_END
    # [^\n]{59}[.!?…"”»)]: 60 characters or more, the last an end (white space counts).
    sentence = [len(line) >= 60 and line[-1] in _SENTENCE_END for line in lines]
    starts: list[int] = []
    offset = 0
    for i, line in enumerate(lines):
        if below[i] or (
            above
            and i >= 1
            and (sentence[i - 1] or (i >= 2 and lines[i - 1] == "" and sentence[i - 2]))
        ):
            starts.append(offset)
        offset += len(line) + 1
    return starts


class AtStarts:
    """A rule's pattern searched only at given positions: ``search``/``finditer`` as the
    pattern with its context in front would give them (that context is what chose the
    positions, and it is a zero-width test at the match's start)."""

    def __init__(self, pattern: GuardedPattern, starts: list[int]) -> None:
        self.pattern = pattern
        self.starts = starts

    def search(self, text: str, pos: int = 0) -> regex.Match | None:
        starts, match = self.starts, self.pattern.match
        for i in range(bisect_left(starts, pos), len(starts)):
            m = match(text, starts[i])
            if m is not None:
                return m
        return None

    def finditer(self, text: str, pos: int = 0) -> Iterator[regex.Match]:
        while (m := self.search(text, pos)) is not None:
            yield m
            # The next match starts at a later line start (an empty one here ends the scan
            # where finditer would move on one character: no line starts in between).
            pos = m.end() if m.end() > m.start() else m.start() + 1


#: A pattern that starts with a run of white space (``[^\S\n]*\[ad_1\]``) would be tried
#: at every position of a long run of spaces, each try scanning the rest of the run:
#: quadratic. A match can only start where the run starts (from any later position the
#: same match exists from the run's start, which finditer reaches first), so a lookbehind
#: that skips positions inside the run changes no result and makes the scan linear.
_LEADING_RUN = regex.compile(r"^(\[\^\\S\\n\]|\\s|\[ \\t\]| )[*+]")


def _anchor_leading_run(pattern: str, source: str) -> str:
    m = _LEADING_RUN.match(pattern)
    return f"(?<!{m.group(1)}){source}" if m else source


#: A rule's pattern, or its pattern tried at chosen positions only.
Searcher = GuardedPattern | AtStarts


@dataclass(frozen=True)
class Compiled:
    source: str
    re: GuardedPattern
    gate: frozenset[str] | None
    #: The pattern without its context, tried only where the context holds.
    bare: GuardedPattern | None = None
    #: Literals of which one is on the line where a match starts, when its matches start
    #: only at line starts (its context, or ``(?<![^\n])``): then it is tried only at the
    #: starts of lines holding one (:meth:`PatternReplace.find`).
    line_gate: frozenset[str] | None = None


#: A group reference in a replacement template: ``\\1``, ``\\g<name>``.
_GROUP_REFERENCE = regex.compile(r"\\(\d+)|\\g<(\w+)>")


def _check_template(compiled: regex.Pattern, template: str) -> None:
    groups = compiled.groups
    names = set(compiled.groupindex)
    for m in _GROUP_REFERENCE.finditer(template):
        ref = m.group(1) or m.group(2)
        if ref.isdigit():
            if int(ref) > groups:
                raise ValueError(f"replacement refers to group {ref}, which does not exist")
        elif ref not in names:
            raise ValueError(f"replacement refers to group {ref!r}, which does not exist")


@kind("pattern-replace", phase="inline", params=Params)
class PatternReplace:
    @staticmethod
    def compile_rule(rule: Rule) -> Compiled:
        p = rule.params
        full = with_context(p.pattern, p.context)
        source = _anchor_leading_run(full, scoped(full, p.ignore_case))
        # Patterns compile on first use (a start pays only for the rules its text meets;
        # a user's pack is compiled whole at load by Kind.check). A template that refers
        # to groups is checked against them now, not mid-run (a context adds no group).
        now = bool(_GROUP_REFERENCE.search(p.replace))
        if p.context:
            # The pattern is tried where its context holds; the pattern with the context in
            # front only serves the alternation's path (rare).
            bare = compile_regex(scoped(p.pattern, p.ignore_case), deferred=not now)
            compiled = compile_regex(source, deferred=True)
        else:
            bare, compiled = None, compile_regex(source, deferred=not now)
        if now:
            _check_template(bare or compiled, p.replace)
        on_line, anchored = line_gate(p.pattern)
        if not (anchored or p.context) or (on_line and any("\n" in lit for lit in on_line)):
            on_line = None
        return Compiled(source, compiled, gate(p.pattern), bare, on_line)

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = list(rules)
        self.compiled = compile_each(self.rules, self.compile_rule)
        self._merged = [r for r in self.rules if mergeable(r.params.pattern)]
        self._alone = [r for r in self.rules if not mergeable(r.params.pattern)]
        self._combined = Combined(lambda body: body)
        #: Rule by rule replays the alternation except for ``\G`` (where the last hit ended).
        self._replayable = not any("\\G" in self.compiled[r.code].source for r in self._merged)
        on_line = [self.compiled[r.code].line_gate for r in self._merged]
        self._lines = Prefilter(lit for literals in on_line if literals for lit in literals)
        #: Rules whose line gate is their gate.
        self._lined = frozenset(
            r.code
            for r in self._merged
            if self.compiled[r.code].line_gate is not None
            and self.compiled[r.code].line_gate == self.compiled[r.code].gate
        )

    def find(self, doc: Document) -> Iterator[Candidate]:
        c = self.compiled
        # Rule by rule only where the gates are exact: a text with a character that
        # lower-cases away from its case folding (can_prefilter) may hold a match of a
        # rule whose gate failed, which the alternation still hits.
        by_rule = self._replayable and can_prefilter(doc.lower)
        # A rule tried only on the lines holding its gate's literals needs no search of
        # the whole text for them first (a rule that cannot match finds nothing either way).
        lined = self._lined if by_rule else frozenset()
        active = [
            (r, c[r.code].re)
            for r in self._merged
            if r.code in lined or passes_gate(c[r.code].gate, doc.lower)
        ]
        if active:
            if by_rule:
                searchers = [(r, self._searcher(doc, r, pattern)) for r, pattern in active]
                hits: Iterable[tuple[Rule, regex.Match]] = leftmost_hits(searchers, doc.text)
            else:
                combined = self._combined.pattern(self._merged, lambda r: c[r.code].source)
                hits = matches_at(active, doc.text, combined)
            for rule, m in hits:
                yield from self._candidate(rule, doc, m)
        for rule in self._alone:
            if passes_gate(c[rule.code].gate, doc.lower):
                for m in c[rule.code].re.finditer(doc.text):
                    yield from self._candidate(rule, doc, m)

    def _searcher(self, doc: Document, rule: Rule, pattern: GuardedPattern) -> Searcher:
        """What finds ``rule``'s matches in ``doc`` (its ``pattern`` searching the text, or
        its pattern tried only at the line starts where a match can start)."""
        compiled = self.compiled[rule.code]
        context = rule.params.context
        if compiled.line_gate is None:
            if context == "line-start":
                # Any line start: the pattern with its lookbehind in front searches in C,
                # where a Python loop over every line start cost a fifth of a run.
                return pattern
            if context:
                return AtStarts(compiled.bare, context_starts(doc, context))
            return pattern
        # Only lines holding one of the rule's literals (in the lower-cased text, whose
        # lines are the text's lines: can_prefilter held) can start a match.
        by_literal = doc.derived((id(self), "lines"), self._lines_by_literal)
        lines = sorted({i for lit in compiled.line_gate for i in by_literal.get(lit, ())})
        starts = [doc.line_starts[i] for i in lines]
        if context:
            holds = doc.derived(("context set", context), lambda d: set(context_starts(d, context)))
            return AtStarts(compiled.bare, [s for s in starts if s in holds])
        return AtStarts(pattern, starts)

    def _lines_by_literal(self, doc: Document) -> dict[str, list[int]]:
        """Each line-gate literal: the indices of the lines holding it (once per text)."""
        found: dict[str, list[int]] = {}
        for index, literals in self._lines.by_line(doc.lower, doc.lower_line_starts).items():
            for literal in literals:
                found.setdefault(literal, []).append(index)
        return found

    @staticmethod
    def _candidate(rule: Rule, doc: Document, m: regex.Match) -> Iterator[Candidate]:
        if not doc.in_zone(doc.line_of(m.start()), rule.params.zone):
            return
        after = m.expand(rule.params.replace)
        if after != m.group(0):
            yield Candidate(m.start(), m.end(), after, rule)
