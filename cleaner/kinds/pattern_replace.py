"""Kind ``pattern-replace``: a regex with context and a templated replacement.

Parameters: ``pattern`` (``regex`` syntax; lookbehind/lookahead give the
context), ``replace`` (a template: ``\\1``, ``\\g<name>``; default: delete),
``ignore_case``, and ``zone`` (where the match must start).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import regex

from ..document import ZONES, Document
from ..matching import Combined, compile_regex, gate, matches_at, mergeable, passes_gate, scoped
from ..rule import Rule
from . import Candidate, Param

NAME = "pattern-replace"
PHASE = "inline"
PARAMS = {
    "pattern": Param(str, required=True, doc="regex (regex module syntax)"),
    "replace": Param(str, default="", doc="replacement template"),
    "ignore_case": Param(bool, default=False),
    "zone": Param(str, default="any", choices=ZONES),
}


#: A pattern that starts with a run of white space (``[^\S\n]*\[ad_1\]``) would be tried
#: at every position of a long run of spaces, each try scanning the rest of the run:
#: quadratic. A match can only start where the run starts (from any later position the
#: same match exists from the run's start, which finditer reaches first), so a lookbehind
#: that skips positions inside the run changes no result and makes the scan linear.
_LEADING_RUN = regex.compile(r"^(\[\^\\S\\n\]|\\s|\[ \\t\]| )[*+]")


def _anchor_leading_run(pattern: str, source: str) -> str:
    m = _LEADING_RUN.match(pattern)
    return f"(?<!{m.group(1)}){source}" if m else source


def prepare(rule: Rule) -> None:
    p = rule.params
    p["_source"] = _anchor_leading_run(p["pattern"], scoped(p["pattern"], p["ignore_case"]))
    p["_re"] = compile_regex(p["_source"])
    p["_gate"] = gate(p["pattern"])
    # Check the template against the pattern's groups now, not mid-run.
    _check_template(p["_re"], p["replace"])


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


class PatternReplace:
    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = list(rules)
        self._merged = [r for r in self.rules if mergeable(r.params["pattern"])]
        self._alone = [r for r in self.rules if not mergeable(r.params["pattern"])]
        self._combined = Combined(lambda body: body)

    def find(self, doc: Document) -> Iterator[Candidate]:
        active = [r for r in self._merged if passes_gate(r.params["_gate"], doc.lower)]
        if active:
            combined = self._combined.pattern(self._merged, lambda r: r.params["_source"])
            for rule, m in matches_at(active, doc.text, combined):
                yield from self._candidate(rule, doc, m)
        for rule in self._alone:
            if passes_gate(rule.params["_gate"], doc.lower):
                for m in rule.params["_re"].finditer(doc.text):
                    yield from self._candidate(rule, doc, m)

    @staticmethod
    def _candidate(rule: Rule, doc: Document, m: regex.Match) -> Iterator[Candidate]:
        if not doc.in_zone(doc.line_of(m.start()), rule.params["zone"]):
            return
        after = m.expand(rule.params["replace"])
        if after != m.group(0):
            yield Candidate(m.start(), m.end(), after, rule)


def compile(rules: Sequence[Rule]) -> PatternReplace:
    return PatternReplace(rules)
