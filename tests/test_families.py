"""Debris families in forms the samples do not show, and look-alikes that must not change.

Fixtures: ``tests/fixtures/families.toml``. A ``[[case]]`` must clean to its ``output``;
a ``[[keep]]`` must come out byte-identical. ``xfail = "reason"`` marks a realistic
variant the rules miss (or a look-alike they change) as a strict expected failure.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from cleaner import Cleaner, load_rules

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "families.toml"
GLOSSARY = Path(__file__).resolve().parent.parent / "rules" / "glossary"
FAMILIES = (
    "fragment",
    "glue",
    "names",
    "exonyms",
    "casing",
    "abbreviation",
    "quote-label",
    "calque",
    "outlet",
    "pronoun",
    "konjunktiv",
    "zuletzt",
    "residue",
    "source-inference",
)
#: Families whose rules read a table file beside the glossary pack.
TABLE_FILES = {"names": "names-en.tsv", "exonyms": "exonyms-en.tsv"}

DATA = tomllib.loads(FIXTURES.read_text(encoding="utf-8"))
CASES = DATA.get("case", [])
KEEPS = DATA.get("keep", [])


@cache
def cleaner(unsafe: bool) -> Cleaner:
    return Cleaner(unsafe_fixes=unsafe)


@cache
def loaded_table_files() -> frozenset[str]:
    return frozenset(
        rule.params.table_file
        for pack in load_rules()
        for rule in pack.rules
        if rule.kind == "glossary"
    )


def _skip_reason(family: str) -> str | None:
    name = TABLE_FILES.get(family)
    if name is None:
        return None
    if not (GLOSSARY / name).is_file():
        return f"rules/glossary/{name} does not exist yet"
    if name not in loaded_table_files():
        return f"no glossary rule loads rules/glossary/{name} yet"
    return None


def _params(entries: list[dict], kind: str) -> list:
    params = []
    for entry in entries:
        marks = []
        if "xfail" in entry:
            marks.append(pytest.mark.xfail(strict=True, reason=entry["xfail"]))
        params.append(
            pytest.param(entry, marks=marks, id=f"{kind}:{entry['family']}/{entry['name']}")
        )
    return params


def run(entry: dict) -> str:
    reason = _skip_reason(entry["family"])
    if reason:
        pytest.skip(reason)
    # None: infer the source language from the text; "none": unknown, never inferred.
    source = entry.get("source_lang")
    result = cleaner(entry.get("unsafe", False)).clean(
        entry["input"], lang="en", source_lang=source
    )
    return result.text


@pytest.mark.parametrize("entry", _params(CASES, "case"))
def test_case_is_repaired(entry):
    assert run(entry) == entry["output"]


@pytest.mark.parametrize("entry", _params(KEEPS, "keep"))
def test_lookalike_is_kept(entry):
    assert run(entry) == entry["input"]


def test_every_family_has_enough_fixtures():
    cases = Counter(entry["family"] for entry in CASES)
    keeps = Counter(entry["family"] for entry in KEEPS)
    for family in FAMILIES:
        assert cases[family] >= 5, f"{family}: {cases[family]} cases"
        assert keeps[family] >= 3, f"{family}: {keeps[family]} keeps"
    assert set(cases) | set(keeps) <= set(FAMILIES)


def test_fixture_names_are_unique_and_well_formed():
    names = Counter(entry["name"] for entry in [*CASES, *KEEPS])
    assert [name for name, n in names.items() if n > 1] == []
    allowed = {"family", "name", "source_lang", "unsafe", "input", "output", "xfail"}
    for entry in [*CASES, *KEEPS]:
        assert set(entry) <= allowed, entry["name"]
        assert entry.get("source_lang", "fr") in {"fr", "de", "none"}, entry["name"]
        assert ("output" in entry) == (entry in CASES), entry["name"]
    for entry in KEEPS:
        text = entry["input"]
        assert text.endswith("\n") and not text.endswith("\n\n"), entry["name"]
        assert "  " not in text and " \n" not in text, entry["name"]
