"""Kind ``pattern-replace``: a regex with context and a templated replacement.

Parameters: ``pattern`` (``regex`` syntax; lookbehind/lookahead give the
context), ``replace`` (a template: ``\\1``, ``\\g<name>``; default: delete),
``ignore_case``, and ``zone`` (where the match must start).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import regex

from ..document import Document
from ..matching import (
    Combined,
    GuardedPattern,
    compile_regex,
    gate,
    leftmost_hits,
    matches_at,
    mergeable,
    passes_gate,
    scoped,
)
from ..prefilter import can_prefilter
from ..rule import Rule
from . import Candidate, ZonedParams, compile_each, kind, param


@dataclass(frozen=True)
class Params(ZonedParams):
    pattern: str = param(doc="regex (regex module syntax)")
    replace: str = param("", doc="replacement template")


#: A pattern that starts with a run of white space (``[^\S\n]*\[ad_1\]``) would be tried
#: at every position of a long run of spaces, each try scanning the rest of the run:
#: quadratic. A match can only start where the run starts (from any later position the
#: same match exists from the run's start, which finditer reaches first), so a lookbehind
#: that skips positions inside the run changes no result and makes the scan linear.
_LEADING_RUN = regex.compile(r"^(\[\^\\S\\n\]|\\s|\[ \\t\]| )[*+]")


def _anchor_leading_run(pattern: str, source: str) -> str:
    m = _LEADING_RUN.match(pattern)
    return f"(?<!{m.group(1)}){source}" if m else source


@dataclass(frozen=True)
class Compiled:
    source: str
    re: GuardedPattern
    gate: frozenset[str] | None


def _check_template(compiled: regex.Pattern, template: str) -> None:
    groups = compiled.groups
    names = set(compiled.groupindex)
    for m in regex.finditer(r"\\(\d+)|\\g<(\w+)>", template):
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
        source = _anchor_leading_run(p.pattern, scoped(p.pattern, p.ignore_case))
        compiled = compile_regex(source)
        # Check the template against the pattern's groups now, not mid-run.
        _check_template(compiled, p.replace)
        return Compiled(source, compiled, gate(p.pattern))

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = list(rules)
        self.compiled = compile_each(self.rules, self.compile_rule)
        self._merged = [r for r in self.rules if mergeable(r.params.pattern)]
        self._alone = [r for r in self.rules if not mergeable(r.params.pattern)]
        self._combined = Combined(lambda body: body)
        #: Rule by rule replays the alternation except for ``\G`` (where the last hit ended).
        self._replayable = not any("\\G" in self.compiled[r.code].source for r in self._merged)

    def find(self, doc: Document) -> Iterator[Candidate]:
        c = self.compiled
        active = [(r, c[r.code].re) for r in self._merged if passes_gate(c[r.code].gate, doc.lower)]
        if active:
            # Rule by rule only where the gates are exact: a text with a character that
            # lower-cases away from its case folding (can_prefilter) may hold a match of a
            # rule whose gate failed, which the alternation still hits.
            if self._replayable and can_prefilter(doc.lower):
                hits: Iterable[tuple[Rule, regex.Match]] = leftmost_hits(active, doc.text)
            else:
                combined = self._combined.pattern(self._merged, lambda r: c[r.code].source)
                hits = matches_at(active, doc.text, combined)
            for rule, m in hits:
                yield from self._candidate(rule, doc, m)
        for rule in self._alone:
            if passes_gate(c[rule.code].gate, doc.lower):
                for m in c[rule.code].re.finditer(doc.text):
                    yield from self._candidate(rule, doc, m)

    @staticmethod
    def _candidate(rule: Rule, doc: Document, m: regex.Match) -> Iterator[Candidate]:
        if not doc.in_zone(doc.line_of(m.start()), rule.params.zone):
            return
        after = m.expand(rule.params.replace)
        if after != m.group(0):
            yield Candidate(m.start(), m.end(), after, rule)
