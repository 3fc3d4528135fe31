"""The source language of a machine translation, from evidence in the text.

Translation packs (``rules/translation/<src>-<dst>.toml``) list evidence
patterns: residue only a translation from that language leaves (the French
abbreviation ``EI`` for the Islamic State, French transliterations such as
``Hachd`` or ``Moustafa``, German calques such as ``terrorist militia``).
A source language is inferred only when at least :data:`MIN_MARKERS`
distinct markers (different matched words) of one language occur and no
other language comes close;
otherwise it stays unknown and source-language rules do not run. It is never
guessed from anything else.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from functools import cached_property

from .gates import gate, passes_gate
from .loader import Pack
from .prefilter import Prefilter, can_prefilter

#: Distinct evidence patterns needed before a source language is assumed.
MIN_MARKERS = 2


class EvidenceTable(dict):
    """source language -> evidence patterns, with one prefilter over all their gates.

    With nine languages' evidence, most patterns have none of their gate literals
    in a given text: one scan of the text (:class:`cleaner.prefilter.Prefilter`)
    finds which literals occur, and only the patterns gated on one of them, or on
    none, are run.
    """

    @cached_property
    def prefilter(self) -> Prefilter:
        return Prefilter(lit for ps in self.values() for p in ps for lit in gate(p.pattern) or ())


def evidence_table(packs: Iterable[Pack]) -> EvidenceTable:
    """source language -> evidence patterns, from every pack that has some."""
    table: dict[str, list] = defaultdict(list)
    for pack in packs:
        for lang in pack.source_langs:
            table[lang].extend(pack.evidence)
    return EvidenceTable(table)


def infer(text: str, table: dict[str, list], timed_out: list[str] | None = None) -> str | None:
    """The source language the evidence points to, or ``None``.

    An evidence pattern that runs out of regex time counts as no evidence
    (its source is appended to ``timed_out``).
    """
    lowered = text.lower()
    if isinstance(table, EvidenceTable) and can_prefilter(lowered):
        present = table.prefilter.found_in(lowered)

        def possible(source: str) -> bool:
            found = gate(source)
            return found is None or not present.isdisjoint(found)
    else:

        def possible(source: str) -> bool:
            return passes_gate(gate(source), lowered)

    scores = {
        lang: len(
            {
                marker
                for p in patterns
                if possible(p.pattern)
                for marker in _markers(p, text, timed_out)
            }
        )
        for lang, patterns in table.items()
    }
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    if not ranked or ranked[0][1] < MIN_MARKERS:
        return None
    if len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]:
        return None  # conflicting evidence: do not pick
    return ranked[0][0]


def _markers(pattern, text: str, timed_out: list[str] | None) -> set[str]:
    try:
        return {m.group(0).casefold() for m in pattern.finditer(text)}
    except TimeoutError:
        if timed_out is not None:
            timed_out.append(pattern.pattern)
        return set()
