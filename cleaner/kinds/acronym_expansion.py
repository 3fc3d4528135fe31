"""Kind ``acronym-expansion``: an acronym in the source language's form beside its English name.

Romance languages put the adjective after the noun, so an organisation's
acronym reverses the English initials: `North Atlantic Treaty Organization
(OTAN)`, `International Monetary Fund (FMI)`, `European Union (UE)`,
`European Central Bank (BCE)`, and with the leading `Organización` /
`Organisation` of the UN, `United Nations (ONU)`. A translation renders
the name and keeps the acronym. Where an English name and an acronym in
brackets stand side by side (either order) and the acronym is the
expansion's initials reversed, or ``O`` and the initials reversed, the
acronym is replaced by the English initials. No per-language list is
needed: the expansion itself says what the acronym should be.

Political parties keep their own-language acronyms in English by
convention (`National Rally (RN)`, `Socialist Party (PS)`), so an
expansion whose last word is in ``keep_heads`` is left alone, as is any
acronym in ``allow``. With ``needs_source`` (the default) the rule runs only
when the document's source language is known or inferred.

Parameters: ``connectors`` (lower-case words inside a name that give no
initial), ``keep_heads``, ``allow``, ``needs_source``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import regex

from ..document import Document
from ..matching import GuardedPattern, compile_regex
from ..rule import Rule
from . import Candidate, KindParams, RuleGroup, kind, param


@dataclass(frozen=True)
class Params(KindParams):
    connectors: list[str] = param(
        ["of", "the", "and", "for", "on", "in", "to", "at", "a"], doc="no initial"
    )
    keep_heads: list[str] = param([], doc="last words of names whose acronym is kept")
    allow: list[str] = param([], doc="acronyms English uses as they are")
    needs_source: bool = param(True, doc="run only with a known source language")

    def check(self) -> None:
        connectors = [c for c in self.connectors if isinstance(c, str) and c]
        if len(connectors) != len(self.connectors) or any(c != c.lower() for c in connectors):
            raise ValueError("connectors must be lower-case words")


@dataclass(frozen=True)
class Compiled:
    re: GuardedPattern
    connectors: frozenset[str]
    keep_heads: frozenset[str]
    allow: frozenset[str]


#: A capitalised word of a name (letters, inner apostrophes and hyphens).
_NAME_WORD = r"[A-Z][\w'’-]*"
#: An acronym: two to eight letters, capitals or Italian mixed case, dots allowed.
_ACRONYM = r"[A-Z](?:\.?[A-Za-z]){1,7}\.?"


def _compile(rule: Rule) -> Compiled:
    p = rule.params
    connectors = list(p.connectors)
    joint = "|".join(regex.escape(c) for c in sorted(connectors, key=len, reverse=True))
    gap = r"[^\S\n]+"
    name = f"{_NAME_WORD}(?:{gap}(?:(?:{joint}){gap})*{_NAME_WORD}){{1,7}}"
    return Compiled(
        re=compile_regex(
            rf"(?P<name>{name})[^\S\n]*\((?P<acr>{_ACRONYM})\)"
            rf"|(?<![\w.])(?P<acr2>{_ACRONYM})[^\S\n]*\((?P<name2>{name})\)"
        ),
        connectors=frozenset(connectors),
        keep_heads=frozenset(h.casefold() for h in p.keep_heads),
        allow=frozenset(a.replace(".", "").upper() for a in p.allow),
    )


def english_initials(name: str, connectors: frozenset[str]) -> str:
    """The initials English would give ``name``: capitalised words, a leading article skipped."""
    words = name.split()
    if words and words[0] in ("The", "A", "An"):
        words = words[1:]
    return "".join(w[0] for w in words if w not in connectors and w[:1].isupper())


def source_form(acronym: str, initials: str) -> bool:
    """Whether ``acronym`` is ``initials`` in a Romance word order (reversed, maybe O-led)."""
    if len(initials) < 2 or acronym == initials:
        return False
    backwards = initials[::-1]
    return backwards != initials and acronym in (backwards, "O" + backwards)


def _matching_initials(
    name: str, acronym: str, connectors: frozenset[str], tail: bool
) -> tuple[str, str] | None:
    """English initials of ``name`` (or, before a bracket, of its last words) that fit
    ``acronym``, and the words they are the initials of.

    Capitalised words before a name run into it (`Spain's European Union
    (UE)`), so before a bracket the name's shorter endings are tried too.
    """
    words = name.split()
    starts = range(len(words) - 1) if tail else range(1)
    for first in starts:
        if words[first] in connectors:
            continue
        named = " ".join(words[first:])
        initials = english_initials(named, connectors)
        if source_form(acronym, initials):
            return initials, named
    return None


@kind("acronym-expansion", phase="inline", params=Params)
class AcronymExpansion(RuleGroup):
    compile_rule = staticmethod(_compile)

    def find(self, doc: Document) -> Iterator[Candidate]:
        for rule in self.rules:
            c = self.compiled[rule.code]
            if rule.params.needs_source and doc.source_lang is None:
                continue
            for m in c.re.finditer(doc.text):
                group = "acr" if m.group("acr") else "acr2"
                name = m.group("name") or m.group("name2")
                acronym = m.group(group).replace(".", "").upper()
                if acronym in c.allow or name.split()[-1].casefold() in c.keep_heads:
                    continue
                found = _matching_initials(name, acronym, c.connectors, group == "acr")
                if found:
                    initials, name = found
                    message = f"'{m.group(group)}' is the source language's acronym of {name}"
                    yield Candidate(m.start(group), m.end(group), initials, rule, message=message)
