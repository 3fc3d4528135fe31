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

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass

from ..document import Document
from ..gates import gate
from ..matching import Combined, GuardedPattern, compile_regex, mergeable, scoped
from ..prefilter import Prefilter, can_prefilter
from ..rule import Rule
from . import Candidate, ZonedParams, compile_each, kind, param


@dataclass(frozen=True)
class Params(ZonedParams):
    pattern: str = param(doc="regex matching the whole line")
    min_run: int = 1
    whole_block: bool = False

    def check(self) -> None:
        if self.min_run < 1:
            raise ValueError("min_run must be at least 1")


_LINE = r"(?m)^[^\S\n]*+(?:{body})[^\S\n]*$"
_EMPTY: frozenset[str] = frozenset()
#: Lines are scanned for literals one by one when at most one in this many is new.
_FEW_NEW = 4


@dataclass(frozen=True)
class Compiled:
    source: str
    re: GuardedPattern
    gate: frozenset[str] | None


@kind("line-drop", phase="lines", params=Params)
class LineDrop:
    """The line-drop rules of one pack.

    Rules that judge one line at a time run per line, behind the literal
    prefilter (:mod:`cleaner.prefilter`): a rule is tried on a line only when
    one of its gate literals occurs on that line; the few rules with no gate
    run as one alternation on every line. A line's verdict depends on the line
    alone (zones are checked afterwards), so it is kept in the document's memo
    and the fixpoint's confirming round does not match it again. Rules that
    need runs of lines (``min_run``, ``whole_block``) or back-references scan
    the whole text.
    """

    @staticmethod
    def compile_rule(rule: Rule) -> Compiled:
        p = rule.params
        source = scoped(p.pattern, p.ignore_case)
        # Compiled when first tried: behind the prefilter most rules meet no line they could
        # match.
        return Compiled(
            source, compile_regex(_LINE.format(body=source), deferred=True), gate(p.pattern)
        )

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = list(rules)
        self.compiled = c = compile_each(self.rules, self.compile_rule)
        per_line = [
            r
            for r in rules
            if r.params.min_run == 1
            and not r.params.whole_block
            and (c[r.code].gate or mergeable(r.params.pattern))
        ]
        self._ungated = [r for r in per_line if not c[r.code].gate]
        self._gated = [r for r in per_line if c[r.code].gate]
        self._alone = [r for r in rules if r not in per_line]
        by_literal: dict[str, list[Rule]] = {}
        for rule in self._gated:
            for literal in c[rule.code].gate:
                by_literal.setdefault(literal, []).append(rule)
        # Each rule with its line pattern: the per-line loop looks nothing else up.
        self._by_literal = {
            lit: tuple((r, c[r.code].re) for r in members) for lit, members in by_literal.items()
        }
        self._ungated_each = tuple((r, c[r.code].re) for r in self._ungated)
        self._ungated_re: GuardedPattern | None = None
        gates = [lit for r in self._alone if c[r.code].gate for lit in c[r.code].gate]
        self._prefilter = Prefilter([*by_literal, *gates])
        #: Whether a line's gate literals depend on the line alone (none holds a break).
        self._line_literals = not any("\n" in lit for lit in self._prefilter.literals)
        self._combined = Combined(lambda body: _LINE.format(body=body))

    def _scan(self, doc: Document) -> tuple[dict[int, set[str]] | None, set[str]]:
        """Which gate literals occur on which line (``None``: take every literal to
        be on every line), and anywhere (once per text)."""
        if not can_prefilter(doc.lower):
            return None, set(self._prefilter.literals)
        lines = self._prefilter.by_line(doc.lower, doc.lower_line_starts)
        return lines, set().union(*lines.values())

    def _literals(
        self, doc: Document, memo: dict
    ) -> tuple[dict[int, Collection[str]] | None, set[str]]:
        """The gate literals on the lines not judged before (by line index; a line
        missing from the mapping holds none; ``None``: take every literal to be on every
        line) and the literals anywhere in the text.

        A line's literals are kept with its verdict in the memo. When nearly every line
        was seen before (the fixpoint's confirming round), only the new lines are
        scanned, each on its own, and the text's literals are those of its lines (no
        gate literal holds a line break, or the whole text is scanned).
        """
        lines = doc.lines
        if memo and self._line_literals and can_prefilter(doc.lower):
            most = len(lines) // _FEW_NEW  # new lines scanned one by one at most
            seen: list[Collection[str]] = []
            missing: list[int] = []
            for index, line in enumerate(lines):
                entry = memo.get(line)
                if entry is None or entry[1] is None:
                    missing.append(index)
                    if len(missing) > most:
                        break
                else:
                    seen.append(entry[1])
            else:
                lower, starts = doc.lower, doc.lower_line_starts
                new: dict[int, Collection[str]] = {}
                for index in missing:
                    start = starts[index]
                    end = lower.find("\n", start)
                    new[index] = self._prefilter.found_in(
                        lower[start:] if end == -1 else lower[start:end]
                    )
                return new, set().union(*seen, *new.values())
        return doc.derived(self, self._scan)

    def _match_line(self, line: str, literals: Collection[str]) -> tuple[Rule, ...]:
        """The rules that match the whole of ``line`` (one line, no break), given the
        gate literals that occur on it (the others cannot match)."""
        hits: tuple[Rule, ...] = ()
        if self._ungated_each:
            combined = self._ungated_re
            if combined is None:
                c = self.compiled
                combined = self._combined.pattern(self._ungated, lambda r: c[r.code].source)
                self._ungated_re = combined
            if combined.search(line) is not None:
                # The alternation reports one alternative; every rule is tried on its
                # own so a rule listed later is not shadowed (overlap resolution decides).
                hits = tuple(r for r, pattern in self._ungated_each if pattern.match(line))
        if literals:
            by_literal = self._by_literal
            tried: set[str] = set()
            for literal in literals:
                for rule, pattern in by_literal.get(literal, ()):
                    if rule.code not in tried:
                        tried.add(rule.code)
                        if pattern.match(line) is not None:
                            hits += (rule,)
        return hits

    def find(self, doc: Document) -> Iterator[Candidate]:
        # memo: line -> (the rules matching it, the gate literals on it or None).
        memo = doc.memo_for(self)
        lines, present = self._literals(doc, memo)
        active = {r.code for r in self._ungated}
        c = self.compiled
        active.update(r.code for r in self._gated if not present.isdisjoint(c[r.code].gate))
        if active:
            everything = self._prefilter.literals
            for index, line in enumerate(doc.lines):
                entry = memo.get(line)
                if entry is None:
                    literals = everything if lines is None else lines.get(index, _EMPTY)
                    hits = self._match_line(line, literals)
                    memo[line] = (hits, None if lines is None else literals)
                else:
                    hits = entry[0]
                    if entry[1] is None and lines is not None:
                        memo[line] = (hits, lines.get(index, _EMPTY))
                for rule in hits:
                    if rule.code in active and doc.in_zone(index, rule.params.zone):
                        yield _drop(doc, rule, index, index)
        for rule in self._alone:
            gate = c[rule.code].gate
            if gate is None or not present.isdisjoint(gate):
                yield from _runs(doc, rule, c[rule.code].re)


def _runs(doc: Document, rule: Rule, line_re: GuardedPattern) -> Iterator[Candidate]:
    """Drops for runs of consecutive matching lines that are long enough."""
    hits = sorted(
        {
            doc.line_of(m.start())
            for m in line_re.finditer(doc.text)
            if "\n" not in m.group(0) and m.start() < len(doc.text)
        }
    )
    # Scraped text often leaves a blank line between a widget's labels: blank
    # lines inside a run do not break it (a whole block is one block).
    bridge = not rule.params.whole_block
    run: list[int] = []
    for index in [*hits, None]:
        if run and (index is None or not _next_in_run(doc, run[-1], index, bridge)):
            if _run_ok(doc, rule, run):
                yield _drop(doc, rule, run[0], run[-1])
            run = []
        if index is not None:
            run.append(index)


def _next_in_run(doc: Document, last: int, index: int, bridge: bool) -> bool:
    """Whether the hit on line ``index`` continues the run ending on line ``last``."""
    if index == last + 1:
        return True
    return bridge and all(doc.blank[i] for i in range(last + 1, index))


def _run_ok(doc: Document, rule: Rule, run: list[int]) -> bool:
    p = rule.params
    if len(run) < p.min_run:
        return False
    if p.whole_block:
        before, after = run[0] - 1, run[-1] + 1
        if before >= 0 and not doc.blank[before]:
            return False
        if after < len(doc) and not doc.blank[after]:
            return False
    return all(doc.in_zone(i, p.zone) for i in run)


def _drop(doc: Document, rule: Rule, first: int, last: int) -> Candidate:
    start, end = doc.lines_span(first, last)
    return Candidate(start, end, "", rule)
