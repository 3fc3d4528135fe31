"""Kind ``glossary``: term tables (variant -> canonical) as one matcher per table.

For transliterations of names (``Moustafa al-Kazimi`` -> ``Mustafa
al-Kadhimi``), exonyms left from the source language (``Bagdad`` ->
``Baghdad``) and the casing of proper nouns (``Islamic state`` -> ``Islamic
State``). A table of any size compiles into a single trie-shaped regex.

Parameters: ``table`` (an inline TOML table) and/or ``table_file`` (a
tab-separated ``variant<TAB>canonical`` file beside the pack, ``#`` comments
allowed), ``ignore_case`` (match variants in any case; the canonical form
is written as given, except that a capital the text starts with is kept:
``Al-Kazimi`` at a sentence start becomes ``Al-Kadhimi``), ``before`` /
``not_before`` (a regex the text just before the term must / must not end
with) and ``after`` / ``not_after``
(the same for the text just after). Terms match whole words only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial

import regex

from ..document import Document
from ..matching import LazyPattern, trie_pattern
from ..prefilter import Prefilter, can_prefilter
from ..rule import Rule
from . import Candidate, KindParams, RuleGroup, kind, pack_file, param, read_data_file

_WORD_START = regex.compile(r"\w")


@dataclass(frozen=True)
class Params(KindParams):
    table: dict[str, str] = param({}, doc="variant = canonical")
    table_file: str = param("", doc="TSV file beside the pack")
    ignore_case: bool = False
    before: str = ""
    not_before: str = ""
    after: str = ""
    not_after: str = ""


@dataclass(frozen=True)
class Compiled:
    #: Every variant as one trie, with the context checks (compiled on first use).
    re: LazyPattern
    #: The variants lower-cased: the rule's gate.
    terms: frozenset[str]
    #: Variant (folded as ``fold`` folds) -> canonical form.
    lookup: dict[str, str]
    fold: Callable[[str], str]


def read_table_file(pack_dir: str, name: str) -> dict[str, str]:
    """Read a TSV table, refusing paths that leave the pack's directory."""
    path = pack_file(pack_dir, name)
    try:
        lines = read_data_file(path, name).splitlines()
    except ValueError as exc:
        raise ValueError(f"table_file: {exc}") from None
    table: dict[str, str] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            raise ValueError(f"{name}:{number}: expected 'variant<TAB>canonical'")
        table[parts[0].strip()] = parts[1].strip()
    return table


def _compile(rule: Rule) -> Compiled:
    p = rule.params
    table = dict(p.table)
    if p.table_file:
        table.update(read_table_file(rule.directory, p.table_file))
    if not table:
        raise ValueError("a glossary rule needs a table or a table_file")
    if not all(isinstance(k, str) and isinstance(v, str) and k and v for k, v in table.items()):
        raise ValueError("glossary entries must be non-empty strings")
    fold = str.casefold if p.ignore_case else str  # str, not a lambda: matchers pickle
    lookup: dict[str, str] = {}
    for variant, canonical in table.items():
        if variant != canonical:
            lookup[fold(variant)] = canonical
    context_before = ""
    if p.before:
        context_before += f"(?<=(?:{p.before}))"
    if p.not_before:
        context_before += f"(?<!(?:{p.not_before}))"
    context_after = ""
    if p.after:
        context_after += f"(?=(?:{p.after}))"
    if p.not_after:
        context_after += f"(?!(?:{p.not_after}))"
    flags = "(?i)" if p.ignore_case else ""
    # Whole words: ``\b`` means the same as ``(?<!\w)`` before a word character
    # and lets the regex engine skip ahead to a term's first letter (twice as fast).
    start = r"\b" if all(_WORD_START.match(v) for v in lookup) else r"(?<!\w)"
    # Written out and compiled when a document first holds one of the terms (see
    # Glossary.find): the trie of a thousand terms is most of a start's cost otherwise.
    terms = tuple(sorted({fold(v) for v in lookup}))
    pattern = LazyPattern(
        partial(_source, f"{flags}{context_before}{start}", terms, f"(?!\\w){context_after}")
    )
    return Compiled(pattern, frozenset(term.lower() for term in lookup), lookup, fold)


def _source(before: str, terms: tuple[str, ...], after: str) -> str:
    return f"{before}(?:{trie_pattern(terms)}){after}"


@kind("glossary", phase="inline", params=Params)
class Glossary(RuleGroup):
    """The glossary rules of one pack.

    A table's terms are the gate of its rule: with the accelerator, one scan
    of the lower-cased document (:class:`cleaner.prefilter.Prefilter`) tells
    whether any term occurs at all, and a document with none is never
    searched (most hold none of the thousand exonyms), so the term trie is
    compiled only once a document needs it.
    """

    compile_rule = staticmethod(_compile)

    def __init__(self, rules: Sequence[Rule]) -> None:
        super().__init__(rules)
        self._prefilters = {code: Prefilter(c.terms) for code, c in self.compiled.items()}

    def find(self, doc: Document) -> Iterator[Candidate]:
        filtered = can_prefilter(doc.lower)
        for rule in self.rules:
            prefilter = self._prefilters[rule.code]
            # Without the automaton, a thousand 'in' tests cost more than the trie's one
            # scan: then the trie decides alone (the same matches either way).
            if filtered and prefilter.accelerated and not prefilter.occurs_in(doc.lower):
                continue
            c = self.compiled[rule.code]
            lookup, fold = c.lookup, c.fold
            for m in c.re.get().finditer(doc.text):
                found = m.group(0)
                canonical = lookup.get(fold(found))
                if canonical is None:
                    continue
                if rule.params.ignore_case and found[:1].isupper() and canonical[:1].islower():
                    canonical = canonical[:1].upper() + canonical[1:]
                if canonical != found:
                    yield Candidate(m.start(), m.end(), canonical, rule)
