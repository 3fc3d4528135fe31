"""The engine: runs rule kinds in a fixed phase order until nothing changes.

Phase order (each phase is one pass over the current text):

0. ``encoding``   mojibake, repaired by ftfy before anything reads the text
1. ``fragments``  JSON/HTML attribute leaks (they would confuse later rules)
2. ``inline``     pattern-replace, glossary and pronoun repairs inside lines
3. ``blocks``     block-drop (before single lines: a block's marker line may
                  also look like a droppable line, and the block needs it)
4. ``lines``      line-drop, language-residue
5. ``body``       body-trim: the page around the article (after the known
                  families are gone, so they do not count as prose)
6. ``duplicates`` near-duplicates (after the trim: the top is the article's)
7. ``layout``     whitespace normalisation (tidies what drops leave behind)

Within a pass all candidates are found on the same text, then resolved:
sorted by start, longer span first, then rule code; a candidate overlapping
one already kept is discarded (it may fire again in the next round, on the
new text). Candidates of rules whose fix may not be applied (``unsafe``
without ``unsafe_fixes``, and every ``display`` rule) are kept as findings.

The phases repeat until a round changes nothing (a fixpoint, so
``clean(clean(x)) == clean(x)``), at most ``max_rounds`` times; a document
still changing then is reported as not converged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .changelog import Edit, LineIndex, PassMap, apply_edits
from .document import Document
from .kinds import KINDS, Candidate, Matcher
from .rule import Rule, Safety

PHASES: tuple[str, ...] = (
    "encoding",
    "fragments",
    "inline",
    "blocks",
    "lines",
    "body",
    "duplicates",
    "layout",
)
MAX_ROUNDS = 6


@dataclass
class CleanResult:
    """What cleaning one text produced."""

    text: str
    edits: list[Edit] = field(default_factory=list)
    findings: list[Edit] = field(default_factory=list)
    language: str | None = None
    source_language: str | None = None
    converged: bool = True
    rounds: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.edits)


class Engine:
    """Rules compiled into one matcher per (phase, kind, pack)."""

    def __init__(self, rules: Sequence[Rule], *, unsafe_fixes: bool = False) -> None:
        self.rules = list(rules)
        self.unsafe_fixes = unsafe_fixes
        self._phases: dict[str, list[tuple[Matcher, tuple[Rule, ...]]]] = {p: [] for p in PHASES}
        groups: dict[tuple[str, str], list[Rule]] = {}
        for rule in self.rules:
            groups.setdefault((rule.kind, rule.pack), []).append(rule)
        for (kind, _pack), members in sorted(groups.items()):
            module = KINDS[kind]
            self._phases[module.PHASE].append((module.compile(members), tuple(members)))

    def applies(self, rule: Rule) -> bool:
        if rule.safety is Safety.SAFE:
            return True
        return rule.safety is Safety.UNSAFE and self.unsafe_fixes

    def clean(
        self, text: str, lang: str | None = None, source_lang: str | None = None
    ) -> CleanResult:
        result = CleanResult(text=text, language=lang, source_language=source_lang)
        maps: list[PassMap] = []
        findings: list[Edit] = []
        current = text
        for round_no in range(1, MAX_ROUNDS + 1):
            result.rounds = round_no
            changed = False
            findings = []  # only the last round's findings describe the final text
            for phase in PHASES:
                matchers = [
                    m
                    for m, rules in self._phases[phase]
                    if any(r.applies_to(lang, source_lang) for r in rules)
                ]
                if not matchers:
                    continue
                doc = Document(current, lang, source_lang)
                candidates = [
                    c for m in matchers for c in m.find(doc) if c.rule.applies_to(lang, source_lang)
                ]
                applied, reported = self._resolve(candidates)
                findings.extend(_edit(c, current, len(maps), applied=False) for c in reported)
                if not applied:
                    continue
                edits = [_edit(c, current, len(maps), applied=True) for c in applied]
                current = apply_edits(current, edits)
                maps.append(PassMap(edits))
                result.edits.extend(edits)
                changed = True
            if not changed:
                break
        else:
            result.converged = False
        result.text = current
        result.findings = findings
        _locate(result.edits, result.findings, maps, text)
        return result

    def _resolve(self, candidates: list[Candidate]) -> tuple[list[Candidate], list[Candidate]]:
        """Deterministic overlap resolution; splits applied edits from findings."""
        candidates.sort(key=lambda c: (c.start, -(c.end - c.start), c.rule.code))
        applied: list[Candidate] = []
        reported: list[Candidate] = []
        last_end = -1
        last_start = -1
        for cand in candidates:
            if cand.report or not self.applies(cand.rule):
                reported.append(cand)
                continue
            overlaps = cand.start < last_end or (cand.start == last_start == cand.end)
            if overlaps:
                continue
            applied.append(cand)
            last_start, last_end = cand.start, cand.end
        return applied, reported


def _edit(c: Candidate, text: str, pass_index: int, *, applied: bool) -> Edit:
    rule = c.rule
    return Edit(
        code=rule.code,
        name=rule.name,
        safety=rule.safety.value,
        start=c.start,
        end=c.end,
        before=text[c.start : c.end],
        after=c.after,
        applied=applied,
        pass_index=pass_index,
        message=c.message,
    )


def _locate(edits: list[Edit], findings: list[Edit], maps: list[PassMap], original: str) -> None:
    """Give every edit its line and column in the original input."""
    index = LineIndex(original)
    for edit in [*edits, *findings]:
        offset = edit.start
        for pass_map in reversed(maps[: edit.pass_index]):
            offset = pass_map.to_input(offset)
        edit.line, edit.column = index.position(offset)
