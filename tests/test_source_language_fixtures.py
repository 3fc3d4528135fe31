"""Source-language inference on a fixture set: right on translations, silent on English.

tests/fixtures/source_language/ holds short articles written in the style of
English machine translations from each language that has a translation pack
(``translated.toml``, at least five per language) and articles in the style of
original English news about the same places and organisations, carrying the
English look-alikes of the evidence markers (``native.toml``). Inference must
name the right source language for at least 90 % of the first and stay
unknown for at least 95 % of the second.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest

from cleaner import load_rules
from cleaner.source_language import evidence_table, infer

FIXTURES = Path(__file__).parent / "fixtures" / "source_language"
TABLE = evidence_table(load_rules())
MIN_RIGHT = 0.90
MIN_UNKNOWN = 0.95


def articles(name: str) -> list[dict]:
    with (FIXTURES / name).open("rb") as handle:
        return tomllib.load(handle)["article"]


TRANSLATED = articles("translated.toml")
NATIVE = articles("native.toml")


def test_fixture_sets_are_large_enough():
    per_language = Counter(a["source"] for a in TRANSLATED)
    assert len(TRANSLATED) >= 40 and len(NATIVE) >= 40
    # Every language with an evidence list has at least five translated articles.
    assert set(per_language) == set(TABLE)
    assert min(per_language.values()) >= 5, per_language


def test_at_least_eight_source_language_packs():
    packs = [p for p in load_rules() if p.source_langs and p.evidence]
    assert len({lang for p in packs for lang in p.source_langs}) >= 8


def test_inference_names_the_source_of_translations():
    wrong = [
        (a["source"], infer(a["text"], TABLE), a["text"].strip().splitlines()[0])
        for a in TRANSLATED
        if infer(a["text"], TABLE) != a["source"]
    ]
    rate = 1 - len(wrong) / len(TRANSLATED)
    assert rate >= MIN_RIGHT, f"{rate:.1%} right; misses: {wrong}"


@pytest.mark.parametrize("lang", sorted({a["source"] for a in TRANSLATED}))
def test_each_language_is_mostly_recognised(lang):
    # No language may be carried by the others' scores: most of its own articles are found.
    own = [a for a in TRANSLATED if a["source"] == lang]
    right = sum(infer(a["text"], TABLE) == lang for a in own)
    assert right / len(own) >= 0.8, f"{lang}: {right}/{len(own)}"


def test_inference_stays_unknown_on_native_english():
    inferred = [
        (infer(a["text"], TABLE), a["text"].strip().splitlines()[0])
        for a in NATIVE
        if infer(a["text"], TABLE) is not None
    ]
    rate = 1 - len(inferred) / len(NATIVE)
    assert rate >= MIN_UNKNOWN, f"{rate:.1%} unknown; inferred: {inferred}"


@pytest.mark.parametrize(
    "pack",
    [p for p in load_rules() if p.source_langs and p.evidence],
    ids=lambda p: p.name,
)
def test_each_source_language_pack_has_ten_fixes_and_ten_look_alikes(pack):
    fixes = sum(len(rule.fixes) for rule in pack.rules)
    keeps = sum(len(rule.keeps) for rule in pack.rules)
    assert fixes >= 10 and keeps >= 10, (pack.name, fixes, keeps)
