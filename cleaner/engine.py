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
5a. ``anywhere``   the rules held to a ``context`` (pattern-replace's
                  ``next-to-prose``) again, anywhere: a widget line away from
                  prose is often the end marker body-trim cuts at, so it stays
                  until body-trim has nothing more to cut (this phase is skipped
                  in a round where body-trim cut), then goes wherever it stands
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

Safeguards (:class:`cleaner.guard.Safeguards`):

- **Regex budget.** Each rule group's search on a pass runs under a time
  budget (``regex_timeout`` seconds per started MiB of text). A group that
  runs out is retried rule by rule, each with its own budget; a rule that
  runs out alone is skipped for the rest of the document and reported as
  an ``RX001 regex-timeout`` note. Nothing else changes: the other rules
  still run.
- **Damage guard.** When the edits would remove too much of the document's
  prose (:mod:`cleaner.guard`), the document is left unchanged: the edits
  become findings and a ``DG001 damage-guard`` note gives the numbers.
  ``force`` applies them anyway.

Notes (``RX001``, ``DG001``) are :class:`~cleaner.changelog.Note` records, in
:attr:`CleanResult.notes`; they change no text.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from .changelog import Edit, LineIndex, Note, PassMap, apply_edits
from .codes import DAMAGE_GUARD, REGEX_TIMEOUT
from .document import Document
from .guard import BODY_TRIM, Damage, Safeguards, assess
from .kinds import KINDS, Candidate, Matcher
from .matching import allowance_for, budget
from .rule import Rule, Safety

PHASES: tuple[str, ...] = (
    "encoding",
    "fragments",
    "inline",
    "blocks",
    "lines",
    "body",
    "anywhere",
    "duplicates",
    "layout",
)
#: Kinds whose rules held to a ``context`` run again without it in the ``anywhere``
#: phase, once body-trim has nothing more to cut.
RERUN_ANYWHERE = ("pattern-replace",)
#: Enough for chains where each drop exposes the next edge line to a zone rule.
MAX_ROUNDS = 12
#: Phases that need the whole file (a piece of a larger one has no page around it).
WHOLE_FILE_PHASES = ("body",)


def note(code: tuple[str, str], message: str, details: dict | None = None) -> Note:
    """A record about a whole document (no text changed), at line 1."""
    return Note(code=code[0], name=code[1], message=message, details=dict(details or {}))


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
    #: Records about the document as a whole: RX001 (a rule timed out), DG001 (damage guard).
    notes: list[Note] = field(default_factory=list)
    #: What the edits do to the prose (measured before the guard decides).
    damage: Damage | None = None
    #: The damage guard left the document unchanged.
    guarded: bool = False
    #: Codes of rules skipped for this document because their regex ran out of time.
    timed_out: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.edits)


@dataclass
class _Run:
    """Per-document state of a run: groups split after a timeout, rules skipped."""

    split: set[int] = field(default_factory=set)
    skipped: dict[str, tuple[Rule, float]] = field(default_factory=dict)


class Engine:
    """Rules compiled into one matcher per (phase, kind, pack)."""

    def __init__(
        self,
        rules: Sequence[Rule],
        *,
        unsafe_fixes: bool = False,
        safeguards: Safeguards | None = None,
    ) -> None:
        self.rules = list(rules)
        self.unsafe_fixes = unsafe_fixes
        self.safeguards = safeguards or Safeguards()
        self._kinds = {rule.code: rule.kind for rule in self.rules}
        self._single: dict[int, Matcher] = {}
        self._phases: dict[str, list[tuple[Matcher, tuple[Rule, ...]]]] = {p: [] for p in PHASES}
        for kind, members in _by_kind_and_pack(self.rules):
            self._phases[KINDS[kind].phase].append((_LazyMatcher(kind, members), members))
        # Rules held to a context before body-trim (so the end markers it cuts at are
        # still there when it looks) run again after it, still at a line start as the
        # context held them (tried there only, not at every position of the text).
        late = [
            replace(rule, params=replace(rule.params, context="line-start"))
            for rule in self.rules
            if rule.kind in RERUN_ANYWHERE and rule.params.context not in ("", "line-start")
        ]
        for kind, members in _by_kind_and_pack(late):
            self._phases["anywhere"].append((_LazyMatcher(kind, members), members))
        #: :meth:`_groups` by (language, source language, whole file): a few keys per run.
        self._groups_for: dict[tuple, tuple[list, list]] = {}

    def applies(self, rule: Rule) -> bool:
        if rule.safety is Safety.SAFE:
            return True
        return rule.safety is Safety.UNSAFE and self.unsafe_fixes

    def clean(
        self,
        text: str,
        lang: str | None = None,
        source_lang: str | None = None,
        *,
        at_start: bool = True,
        at_end: bool = True,
    ) -> CleanResult:
        """Clean ``text``; ``at_start``/``at_end`` false for a piece of a larger file."""
        result = CleanResult(text=text, language=lang, source_language=source_lang)
        maps: list[PassMap] = []
        body_tail: set[int] = set()
        run = _Run()
        current = text
        whole = at_start and at_end
        key = (lang, source_lang, whole)
        try:
            changing, passive = self._groups_for[key]
        except KeyError:
            changing, passive = self._groups_for[key] = self._groups(lang, source_lang, whole)
        memo: dict[int, dict] = {}  # per-line results kept across rounds (Document.memo_for)
        doc: Document | None = None

        def view(text: str) -> Document:
            # Most passes change nothing: the next one reads the same text, so it
            # reuses the same view and its line index, lower-cased text and zones.
            nonlocal doc
            if doc is None or doc.text is not text:
                doc = Document(text, lang, source_lang, at_start=at_start, at_end=at_end, memo=memo)
            return doc

        # Only the last round's findings describe the final text.
        findings: dict[str, list[Edit]] = {}
        # Phase -> (number of passes applied, findings) when it last ran and changed
        # nothing. While no pass has been applied since, its text is the same, and so
        # would be what it finds: the confirming round skips it.
        quiet: dict[str, tuple[int, list[Edit]]] = {}
        for round_no in range(1, MAX_ROUNDS + 1):
            result.rounds = round_no
            changed = False
            findings = {}
            body_cut = False
            for phase, groups in changing:
                if phase == "anywhere" and body_cut:
                    # Only once body-trim has nothing more to cut: its next round may
                    # still need the end markers these rules would take away.
                    continue
                last = quiet.get(phase)
                if last is not None and last[0] == len(maps):
                    findings[phase] = last[1]
                    continue
                doc = view(current)
                candidates = self._candidates(groups, doc, run)
                applied, reported = self._resolve(candidates)
                findings[phase] = [_edit(c, current, len(maps), applied=False) for c in reported]
                if not applied:
                    quiet[phase] = (len(maps), findings[phase])
                    continue
                edits = [_edit(c, current, len(maps), applied=True) for c in applied]
                for c in applied:
                    if c.rule.kind == BODY_TRIM and c.start > 0 and c.end == len(current):
                        body_tail.add(len(result.edits) + applied.index(c))
                body_cut = body_cut or phase == "body"
                current, edits = apply_edits(current, edits)
                maps.append(PassMap(edits))
                result.edits.extend(edits)
                changed = True
            if not changed:
                break
        else:
            result.converged = False
        # Groups that cannot change the text (unsafe rules without --unsafe-fixes,
        # display rules) run once, on the final text, instead of once a round.
        for phase, groups in passive:
            doc = view(current)
            _, reported = self._resolve(self._candidates(groups, doc, run))
            found = [_edit(c, current, len(maps), applied=False) for c in reported]
            findings[phase] = sorted([*findings.get(phase, []), *found], key=_finding_order)
        result.text = current
        result.findings = [edit for phase in PHASES for edit in findings.get(phase, [])]
        result.edits = _located(result.edits, maps, text)
        result.findings = _located(result.findings, maps, text)
        for code, (rule, seconds) in run.skipped.items():
            result.timed_out.append(code)
            result.notes.append(
                note(
                    REGEX_TIMEOUT,
                    f"rule {code} {rule.name} used up its regex time ({seconds:.3g} s) "
                    "and was skipped for this document",
                    {"rule": code, "seconds": round(seconds, 3)},
                )
            )
        if result.edits:
            self._guard(result, text, maps, body_tail, memo)
        return result

    def _groups(
        self, lang: str | None, source_lang: str | None, whole: bool
    ) -> tuple[list[tuple[str, list]], list[tuple[str, list]]]:
        """Per phase, the groups that apply to this document: those that may change
        the text, and those that can only report."""
        changing: list[tuple[str, list]] = []
        passive: list[tuple[str, list]] = []
        for phase in PHASES:
            if phase in WHOLE_FILE_PHASES and not whole:
                continue
            active = []
            for m, rules in self._phases[phase]:
                applicable = tuple(r for r in rules if r.applies_to(lang, source_lang))
                if not applicable:
                    continue
                if len(applicable) < len(rules):
                    # A pack whose rules name other languages than it (or other source
                    # languages): a matcher of the rules that apply, not the whole group
                    # run and its candidates thrown away.
                    m = _LazyMatcher(rules[0].kind, applicable)
                active.append((m, applicable))
            may_change = [g for g in active if any(self.applies(r) for r in g[1])]
            reports_only = [g for g in active if g not in may_change]
            if may_change:
                changing.append((phase, may_change))
            if reports_only:
                passive.append((phase, reports_only))
        return changing, passive

    def _candidates(self, groups: list, doc: Document, run: _Run) -> list[Candidate]:
        return [
            c
            for m, rules in groups
            for c in self._find(m, rules, doc, run)
            if c.rule.applies_to(doc.lang, doc.source_lang)
        ]

    def _guard(
        self,
        result: CleanResult,
        original: str,
        maps: list[PassMap],
        body_tail: set[int],
        memo: dict | None = None,
    ) -> None:
        """Leave the document unchanged when the edits would gut it (see cleaner.guard)."""
        limits = self.safeguards
        kinds = self._kinds
        damage = assess(original, result.text, result.edits, maps, kinds, body_tail, memo)
        result.damage = damage
        reason = damage.verdict(limits)
        if reason is None:
            return
        details = {**damage.details(), "max_prose_loss": limits.max_prose_loss}
        details["min_words"] = limits.min_words
        details["forced"] = limits.force
        if limits.force:
            message = f"the edits {reason}; applied anyway (--force)"
            result.notes.append(note(DAMAGE_GUARD, message, details))
            return
        message = f"the edits {reason}; document left unchanged (--force applies them)"
        result.notes.append(note(DAMAGE_GUARD, message, details))
        withheld = [
            replace(edit, applied=False, message="withheld by the damage guard")
            for edit in result.edits
        ]
        result.findings = sorted([*withheld, *result.findings], key=lambda e: (e.line, e.column))
        result.edits = []
        result.text = original
        result.guarded = True

    def _find(self, matcher: Matcher, rules: tuple[Rule, ...], doc: Document, run: _Run) -> list:
        """A group's candidates within its time budget; rule by rule after a timeout."""
        seconds = allowance_for(len(doc.text), self.safeguards.regex_timeout)
        if id(matcher) not in run.split:
            try:
                with budget(seconds):
                    return list(matcher.find(doc))
            except TimeoutError:
                run.split.add(id(matcher))
        found: list[Candidate] = []
        for rule in rules:
            if rule.code in run.skipped or not rule.applies_to(doc.lang, doc.source_lang):
                continue
            single = self._single.get(id(rule))
            if single is None:
                single = self._single[id(rule)] = KINDS[rule.kind].compile([rule])
            try:
                with budget(seconds):
                    found.extend(single.find(doc))
            except TimeoutError:
                run.skipped[rule.code] = (rule, seconds)
        return found

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


def _by_kind_and_pack(rules: Sequence[Rule]) -> list[tuple[str, tuple[Rule, ...]]]:
    """``rules`` grouped by (kind, pack), in that order: one matcher per group."""
    groups: dict[tuple[str, str], list[Rule]] = {}
    for rule in rules:
        groups.setdefault((rule.kind, rule.pack), []).append(rule)
    return [(kind, tuple(members)) for (kind, _pack), members in sorted(groups.items())]


class _LazyMatcher:
    """A group's matcher, compiled the first time a document needs it.

    A run that never meets a document in a pack's language never compiles
    that pack's rules (their compiled state lives on the matcher): a one-file
    run pays only for the packs its file uses.
    """

    def __init__(self, kind: str, rules: Sequence[Rule]) -> None:
        self._kind = kind
        self._rules = rules
        self._matcher: Matcher | None = None
        self._lock = threading.Lock()

    def find(self, doc: Document) -> Iterable[Candidate]:
        matcher = self._matcher
        if matcher is None:
            with self._lock:
                if self._matcher is None:
                    self._matcher = KINDS[self._kind].compile(self._rules)
                matcher = self._matcher
        return matcher.find(doc)


def _finding_order(edit: Edit) -> tuple[int, int, str]:
    """The order :meth:`Engine._resolve` sorts candidates in."""
    return (edit.start, -(edit.end - edit.start), edit.code)


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


def _located(edits: list[Edit], maps: list[PassMap], original: str) -> list[Edit]:
    """The edits with their line and column in the original input, and the original
    text each covers when an earlier pass changed it (``Edit.original``)."""
    index = LineIndex(original)
    located = []
    for edit in edits:
        offset, end = edit.start, edit.end
        for pass_map in reversed(maps[: edit.pass_index]):
            offset = pass_map.to_input(offset)
            end = pass_map.to_input_end(end)
        line, column = index.position(offset)
        source = original[offset : max(offset, end)]
        original_text = source if source != edit.before else None
        located.append(replace(edit, line=line, column=column, original=original_text))
    return located
