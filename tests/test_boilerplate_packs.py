"""The per-language boilerplate packs: rules/boilerplate/<lang>.toml and neutral.toml.

Naming convention (checked here): every rule of a language pack is named
``<family>-<lang>``, where ``<family>`` starts with one of the family keywords
of FAMILY_PREFIXES (``read-time-de``, ``breadcrumb-fr``, ``comment-form-es``,
``credit-photo-it``, ...). Codes carry the language in their family (BPFR1xx,
BPDE1xx, ... BPAR1xx; neutral BP0xx), so ``--select BPFR`` picks the French pack
and ``--select BP1`` only English rules. The examples of every rule run in
test_rule_examples.py; this
file checks coverage of the families and that a pack applies only to documents
in its own language.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.loader import Pack, load_pack

ROOT = Path(__file__).resolve().parent.parent
BOILERPLATE = ROOT / "rules" / "boilerplate"

#: Language -> its code family: BP plus the language (BPFR101, BPDE101, ...), so
#: that ``--select BPFR`` picks a language and ``--select BP1`` only English rules.
CODE_FAMILIES = {
    lang: f"BP{lang.upper()}"
    for lang in ("fr", "de", "es", "it", "pt", "nl", "pl", "ru", "tr", "ar")
}
LANGUAGES = tuple(CODE_FAMILIES)

#: Family every language pack must cover -> rule-name prefixes that count for it.
FAMILY_PREFIXES = {
    "read time": ("read-time-",),
    "breadcrumbs": ("breadcrumb-",),
    "share/follow": ("share-", "follow-"),
    "newsletter/paywall": ("newsletter-", "paywall-"),
    "cookie/consent": ("cookie-",),
    "comments": ("comments-", "comment-form-"),
    "credits": ("credit-", "byline-"),
    "copyright": ("copyright-",),
    "related/read-also": ("related-", "read-also-"),
    "pagers": ("pager-",),
}
#: Every family keyword a language-pack rule name may start with.
KNOWN_PREFIXES = (
    *(prefix for prefixes in FAMILY_PREFIXES.values() for prefix in prefixes),
    "cms-label-",
    "ad-label-",
    "nav-label-",
    "date-line-",
)

#: A plain English article: no debris of any family.
ENGLISH_ARTICLE = (
    "Parliament approved the budget on Tuesday evening after a long debate, "
    "the finance ministry said in a statement.\n\n"
    "The opposition voted against the plan, arguing that it cuts spending on "
    "schools and hospitals while raising taxes for small businesses.\n"
)


@cache
def pack(lang: str) -> Pack:
    return load_pack(BOILERPLATE / f"{lang}.toml")


@cache
def cleaner() -> Cleaner:
    """All shipped packs, as the command line uses them."""
    return Cleaner()


@cache
def pack_cleaner(lang: str) -> Cleaner:
    """One pack alone (no neutral or English rule takes a line first)."""
    return Cleaner(packs=[pack(lang)])


def pack_codes(lang: str) -> set[str]:
    return {rule.code for rule in pack(lang).rules}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_language_pack_loads_for_its_language(lang):
    loaded = pack(lang)
    assert loaded.languages == (lang,)
    assert loaded.name == f"boilerplate-{lang}"
    assert loaded.rules


def test_neutral_pack_loads_for_every_language():
    loaded = pack("neutral")
    assert loaded.languages == ("*",)
    assert all(rule.languages == ("*",) for rule in loaded.rules)
    assert all(int(rule.code[2:]) < 100 for rule in loaded.rules)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_names_and_codes_follow_the_convention(lang):
    for rule in pack(lang).rules:
        assert rule.name.endswith(f"-{lang}"), rule.name
        assert rule.name.startswith(KNOWN_PREFIXES), rule.name
        assert rule.family == CODE_FAMILIES[lang], rule.code


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("family", FAMILY_PREFIXES)
def test_language_pack_covers_family(lang, family):
    names = [rule.name for rule in pack(lang).rules]
    assert any(name.startswith(FAMILY_PREFIXES[family]) for name in names), (
        f"{lang}: no rule for {family} (names starting with {FAMILY_PREFIXES[family]})"
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_language_pack_applies_when_lang_is_given(lang):
    codes = pack_codes(lang)
    for rule in pack(lang).rules:
        for example in rule.fixes:
            result = pack_cleaner(lang).clean(example.input, lang=lang, source_lang="none")
            assert any(edit.code in codes for edit in result.edits), (rule.code, example.input)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_language_pack_does_not_fire_on_english(lang):
    codes = pack_codes(lang)
    for rule in pack(lang).rules:
        for example in rule.fixes:
            for run in (pack_cleaner(lang), cleaner()):
                result = run.clean(example.input, lang="en", source_lang="none")
                fired = {edit.code for edit in [*result.edits, *result.findings]} & codes
                assert not fired, (rule.code, sorted(fired))


def test_foreign_debris_in_an_english_article_is_left_to_english_rules():
    """Debris lines of every language pack, inside an English article."""
    foreign = [
        example.input
        for lang in LANGUAGES
        for rule in pack(lang).rules
        for example in rule.fixes[:1]
    ]
    text = ENGLISH_ARTICLE + "\n" + "\n\n".join(foreign) + "\n"
    result = cleaner().clean(text, lang="en", source_lang="none")
    language_codes = set().union(*(pack_codes(lang) for lang in LANGUAGES))
    assert not {edit.code for edit in result.edits} & language_codes


def test_plain_english_article_is_untouched_by_the_new_packs():
    result = cleaner().clean(ENGLISH_ARTICLE, lang="en", source_lang="none")
    assert result.text == ENGLISH_ARTICLE


@pytest.mark.parametrize("lang", ["en", "de", "ru", None])
def test_neutral_pack_applies_to_any_language(lang):
    codes = pack_codes("neutral")
    for rule in pack("neutral").rules:
        for example in rule.fixes:
            result = cleaner().clean(example.input, lang=lang, source_lang="none")
            assert any(edit.code in codes for edit in result.edits), (rule.code, lang)
