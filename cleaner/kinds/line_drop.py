"""Kind ``line-drop``: delete whole lines that match a pattern.

Parameters: ``pattern`` (must match the whole line, surrounding spaces
ignored), ``ignore_case``, ``zone`` (``any``, ``head``, ``tail``, ``edges``:
see :mod:`cleaner.document`), ``min_run`` (the line must be one of at least
this many consecutive matching lines: navigation and tag lists) and
``whole_block`` (that run must be a whole blank-line-delimited block).
The line goes with its line break; blank lines left behind are the layout
rules' job.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..document import ZONES, Document
from ..matching import (
    Combined,
    compile_regex,
    gate,
    mergeable,
    opens_with_scan,
    passes_gate,
    scoped,
)
from ..rule import Rule
from . import Candidate, Param

NAME = "line-drop"
PHASE = "lines"
PARAMS = {
    "pattern": Param(str, required=True, doc="regex matching the whole line"),
    "ignore_case": Param(bool, default=False),
    "zone": Param(str, default="any", choices=ZONES),
    "min_run": Param(int, default=1),
    "whole_block": Param(bool, default=False),
}

_LINE = r"(?m)^[^\S\n]*+(?:{body})[^\S\n]*$"


def prepare(rule: Rule) -> None:
    p = rule.params
    if p["min_run"] < 1:
        raise ValueError("min_run must be at least 1")
    p["_source"] = scoped(p["pattern"], p["ignore_case"])
    p["_re"] = compile_regex(_LINE.format(body=p["_source"]))
    p["_gate"] = gate(p["pattern"])


class LineDrop:
    def __init__(self, rules: Sequence[Rule]) -> None:
        simple = [r for r in rules if r.params["min_run"] == 1 and not r.params["whole_block"]]
        # A rule that opens by looking through the whole line ('a keyword and a call
        # to action anywhere in it') costs the line's length on every line inside the
        # alternation; on its own it runs only on lines that hold one of its literals.
        self._scanning = [
            r for r in simple if r.params["_gate"] and opens_with_scan(r.params["pattern"])
        ]
        self._merged = [
            r for r in simple if r not in self._scanning and mergeable(r.params["pattern"])
        ]
        self._alone = [r for r in rules if r not in self._merged and r not in self._scanning]
        self._combined = Combined(lambda body: _LINE.format(body=body))

    def _match_line(self, line: str) -> tuple[Rule, ...]:
        """The merged rules that match the whole of ``line`` (one line, no break).

        A line's verdict depends on the line alone (zones are checked by the
        caller), so the engine's confirming round looks it up in the
        document's memo instead of matching again.
        """
        hits: tuple[Rule, ...] = ()
        if self._merged:
            combined = self._combined.pattern(self._merged, lambda r: r.params["_source"])
            if combined.search(line) is not None:
                # The alternation reports one alternative; every rule is tried on its
                # own so a rule listed later is not shadowed (overlap resolution decides).
                hits = tuple(r for r in self._merged if r.params["_re"].match(line) is not None)
        if self._scanning:
            lowered = line.lower()
            hits += tuple(
                r
                for r in self._scanning
                if passes_gate(r.params["_gate"], lowered) and r.params["_re"].match(line)
            )
        return hits

    def find(self, doc: Document) -> Iterator[Candidate]:
        active = {
            r.code
            for r in (*self._merged, *self._scanning)
            if passes_gate(r.params["_gate"], doc.lower)
        }
        if active:
            memo = doc.memo_for(self)
            for index, line in enumerate(doc.lines):
                hits = memo.get(line)
                if hits is None:
                    hits = memo[line] = self._match_line(line)
                for rule in hits:
                    if rule.code in active and doc.in_zone(index, rule.params["zone"]):
                        yield _drop(doc, rule, index, index)
        for rule in self._alone:
            if passes_gate(rule.params["_gate"], doc.lower):
                yield from _runs(doc, rule)


def _runs(doc: Document, rule: Rule) -> Iterator[Candidate]:
    """Drops for runs of consecutive matching lines that are long enough."""
    p = rule.params
    hits = sorted(
        {
            doc.line_of(m.start())
            for m in p["_re"].finditer(doc.text)
            if "\n" not in m.group(0) and m.start() < len(doc.text)
        }
    )
    run: list[int] = []
    for index in [*hits, None]:
        if run and (index is None or index != run[-1] + 1):
            if _run_ok(doc, rule, run):
                yield _drop(doc, rule, run[0], run[-1])
            run = []
        if index is not None:
            run.append(index)


def _run_ok(doc: Document, rule: Rule, run: list[int]) -> bool:
    p = rule.params
    if len(run) < p["min_run"]:
        return False
    if p["whole_block"]:
        before, after = run[0] - 1, run[-1] + 1
        if before >= 0 and not doc.blank[before]:
            return False
        if after < len(doc) and not doc.blank[after]:
            return False
    return all(doc.in_zone(i, p["zone"]) for i in run)


def _drop(doc: Document, rule: Rule, first: int, last: int) -> Candidate:
    start, end = doc.lines_span(first, last)
    return Candidate(start, end, "", rule)


def compile(rules: Sequence[Rule]) -> LineDrop:
    return LineDrop(rules)
