"""The glossary data tables: rules/glossary/exonyms-en.tsv and names-en.tsv.

Both are ``variant<TAB>canonical`` tables. A wrong entry rewrites real
article text, so these tests check the format, the absence of duplicates and
chains, the entries the rules rely on, the exonym stoplist, and that the
generated exonym table is exactly what tools/build_exonyms.py produces.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT / "rules" / "glossary"
EXONYMS = GLOSSARY / "exonyms-en.tsv"
NAMES = GLOSSARY / "names-en.tsv"
BUILD_SCRIPT = ROOT / "tools" / "build_exonyms.py"
TABLES = [EXONYMS, NAMES]


def load_build_module():
    """tools/build_exonyms.py loaded by path (tools/ is not a package)."""
    name = "build_exonyms_under_test"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BUILD_SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module


def stoplist() -> frozenset[str]:
    # The script imports Babel only if it is there, so this works without it.
    return load_build_module().STOPLIST


def entries(path: Path) -> list[tuple[int, str, str]]:
    """(line number, variant, canonical) for every entry line."""
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        assert line.count("\t") == 1, f"{path.name}:{number}: expected exactly one TAB: {line!r}"
        variant, canonical = line.split("\t")
        assert variant.strip() and canonical.strip(), f"{path.name}:{number}: empty side"
        assert variant == variant.strip() and canonical == canonical.strip(), (
            f"{path.name}:{number}: stray whitespace"
        )
        out.append((number, variant, canonical))
    return out


def table(path: Path) -> dict[str, str]:
    return {variant: canonical for _, variant, canonical in entries(path)}


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_table_parses(path):
    rows = entries(path)
    assert rows, f"{path.name} has no entries"
    assert path.read_text(encoding="utf-8").endswith("\n")


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_no_duplicate_variants(path):
    # casefold: the names table is matched case-insensitively, and a table
    # may be loaded with ignore_case = true.
    seen: dict[str, int] = {}
    for number, variant, _ in entries(path):
        key = variant.casefold()
        assert key not in seen, f"{path.name}:{number}: {variant!r} repeats line {seen[key]}"
        seen[key] = number


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_no_identity_entries(path):
    for number, variant, canonical in entries(path):
        assert variant != canonical, f"{path.name}:{number}: {variant!r} maps to itself"


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_no_chains(path):
    rows = entries(path)
    canonicals = {canonical.casefold() for _, _, canonical in rows}
    for number, variant, _ in rows:
        assert variant.casefold() not in canonicals, (
            f"{path.name}:{number}: variant {variant!r} is also a canonical form"
        )


def test_no_chains_across_tables():
    canonicals = {c.casefold() for path in TABLES for c in table(path).values()}
    for path in TABLES:
        for variant in table(path):
            assert variant.casefold() not in canonicals, (path.name, variant)


REQUIRED_NAMES = {
    "Moustafa al-Kazimi": "Mustafa al-Kadhimi",
    "Mustafa al-Kasimi": "Mustafa al-Kadhimi",
    "Mustafa al-Kazimi": "Mustafa al-Kadhimi",
    "Moustafa al-Kadhimi": "Mustafa al-Kadhimi",
    "al-Kazimi": "al-Kadhimi",
    "al-Kasimi": "al-Kadhimi",
    "Hachd al-Chaabi": "Hashd al-Shaabi",
    "Haschd al-Schaabi": "Hashd al-Shaabi",
    "Bachar al-Assad": "Bashar al-Assad",
    "Baschar al-Assad": "Bashar al-Assad",
    "Wladimir Putin": "Vladimir Putin",
    "Vladimir Poutine": "Vladimir Putin",
    "Wolodymyr Selenskyj": "Volodymyr Zelensky",
    "Hizbollah": "Hezbollah",
    "Oussama ben Laden": "Osama bin Laden",
}


@pytest.mark.parametrize("variant", sorted(REQUIRED_NAMES))
def test_required_name_entries(variant):
    assert table(NAMES).get(variant) == REQUIRED_NAMES[variant]


def test_names_table_leaves_words_and_non_names_alone():
    folded = {v.casefold() for v in table(NAMES)}
    # Poutine alone is a dish; Daech is not a name; these are English spellings.
    for word in ("Poutine", "Daech", "Muqtada al-Sadr", "Recep Tayyip Erdoğan", "Putin"):
        assert word.casefold() not in folded, word


def test_names_table_groups_have_a_person_comment():
    lines = NAMES.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        if line.strip() and not line.startswith("#"):
            previous = lines[number - 2]
            assert previous.startswith("#") or (previous.strip() and "\t" in previous), (
                f"names-en.tsv:{number}: entry not under a '# Person (role)' comment"
            )


REQUIRED_EXONYMS = {
    "Bagdad": "Baghdad",
    "Téhéran": "Tehran",
    "Teheran": "Tehran",
    "München": "Munich",
    "Bruxelles": "Brussels",
    "Allemagne": "Germany",
    "Wien": "Vienna",
    "Londres": "London",
    "Cisjordanie": "West Bank",
    "Westjordanland": "West Bank",
    "Beyrouth": "Beirut",
    "Mossoul": "Mosul",
}


@pytest.mark.parametrize("variant", sorted(REQUIRED_EXONYMS))
def test_required_exonym_entries(variant):
    assert table(EXONYMS).get(variant) == REQUIRED_EXONYMS[variant]


MINIMUM_STOPLIST = {
    "Island",
    "Roma",
    "Rom",
    "Maurice",
    "Salvador",
    "Vienne",
    "Georgia",
    "Niger",
    "Mali",
    "Congo",
    "Guinea",
    "Man",
    "Nice",
    "Tours",
    "Reading",
    "Bath",
    "Mobile",
    "Split",
    "Sale",
    "Male",
    "Dover",
    "Lima",
    "Victoria",
    "Santiago",
    "Córdoba",
    "Valencia",
    "Granada",
    "Mérida",
    "León",
    "Panama",
    "Mexico",
}


def test_stoplist_covers_known_collisions():
    missing = MINIMUM_STOPLIST - stoplist()
    assert not missing, f"missing from STOPLIST: {sorted(missing)}"


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_no_stoplisted_variant(path):
    stop = {word.casefold() for word in stoplist()}
    hits = sorted(v for v in table(path) if v.casefold() in stop)
    assert not hits, f"{path.name}: stoplisted variants present: {hits}"


def test_exonym_header_names_the_generator():
    head = EXONYMS.read_text(encoding="utf-8").splitlines()[:5]
    text = "\n".join(head)
    assert all(line.startswith("#") for line in head)
    assert "tools/build_exonyms.py" in text
    assert "Babel" in text and "CLDR" in text
    assert ".venv/bin/python tools/build_exonyms.py" in text


def test_exonym_canonicals_spot_check():
    canonicals = set(table(EXONYMS).values())
    assert {"Germany", "Baghdad", "Brussels", "Vienna", "Munich"} <= canonicals


def test_exonym_canonicals_are_cldr_english():
    pytest.importorskip("babel")
    from babel import Locale

    build = load_build_module()
    en = Locale("en")
    assert en.territories["DE"] == "Germany"
    cities = {
        zone: build.exemplar_city(zone, en, build._legacy_ids())
        for zone in ("Asia/Baghdad", "Europe/Brussels", "Europe/Vienna", "Asia/Tehran")
    }
    assert cities == {
        "Asia/Baghdad": "Baghdad",
        "Europe/Brussels": "Brussels",
        "Europe/Vienna": "Vienna",
        "Asia/Tehran": "Tehran",
    }
    _, english_names = build.collect()
    supplement = {english for _, _, english in build.SUPPLEMENT}
    assert "Munich" in supplement
    unknown = sorted(set(table(EXONYMS).values()) - english_names)
    assert not unknown, f"canonical forms CLDR English does not use: {unknown}"


def test_build_reproduces_committed_exonyms():
    pytest.importorskip("babel")
    build = load_build_module()
    text = build.build()
    assert text == build.build(), "build() is not deterministic"
    assert text == EXONYMS.read_text(encoding="utf-8"), (
        "rules/glossary/exonyms-en.tsv is stale: run .venv/bin/python tools/build_exonyms.py"
    )
