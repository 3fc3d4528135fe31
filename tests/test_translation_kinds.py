"""The kinds that generalise across source languages, and the per-language data tables.

acronym-expansion, false-friend and source-sentence need no list per
source language (or one shared table); these tests pin their behaviour
beyond the TOML examples: they stay silent without a source language, they
leave the look-alikes their docstrings promise to leave, and bad tables are
clear errors.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import RuleFileError
from cleaner.engine import Engine
from cleaner.kinds.acronym_expansion import english_initials, source_form
from cleaner.kinds.source_sentence import sentences
from cleaner.loader import load_pack

ROOT = Path(__file__).resolve().parent.parent
TRANSLATION = ROOT / "rules" / "translation"
HEAD = '[pack]\nname = "k"\nlanguages = ["en"]\n'


def one_rule(
    tmp_path: Path, kind: str, params: str, safety: str = "safe", *, unsafe: bool = False
) -> Engine:
    path = tmp_path / "k.toml"
    path.write_text(
        HEAD
        + f'[[rule]]\ncode = "KK001"\nname = "k"\nkind = "{kind}"\ndescription = "d"\n'
        + f'safety = "{safety}"\nkeep = ["-"]\n{params}\n[[rule.fix]]\ninput = "a"\noutput = "b"\n',
        encoding="utf-8",
    )
    return Engine(load_pack(path).rules, unsafe_fixes=unsafe)


# --- acronym-expansion -----------------------------------------------------


@pytest.mark.parametrize(
    ("acronym", "name", "expected"),
    [
        ("OTAN", "North Atlantic Treaty Organization", True),
        ("FMI", "International Monetary Fund", True),
        ("UE", "The European Union", True),
        ("ONU", "United Nations", True),  # O of Organización + UN reversed
        ("BCE", "European Central Bank", True),
        ("IMF", "International Monetary Fund", False),  # the English form
        ("FARC", "Revolutionary Armed Forces of Colombia", False),  # a permutation, not reversed
        ("MSF", "Doctors Without Borders", False),
        ("PP", "People's Party", False),  # a palindrome says nothing
    ],
)
def test_source_form(acronym, name, expected):
    assert source_form(acronym, english_initials(name, frozenset({"of", "the"}))) is expected


def test_acronym_expansion_needs_a_source_language_and_keeps_party_acronyms(tmp_path):
    engine = one_rule(
        tmp_path, "acronym-expansion", 'keep_heads = ["Party", "Rally"]\nallow = ["PS"]'
    )
    text = "The European Union (UE) and the National Rally (RN) met the Socialist Party (PS).\n"
    assert engine.clean(text, lang="en").text == text  # no source language: silent
    assert engine.clean(text, lang="en", source_lang="fr").text == text.replace("(UE)", "(EU)")


def test_acronym_expansion_reads_the_acronym_before_the_bracket_too(tmp_path):
    engine = one_rule(tmp_path, "acronym-expansion", "")
    text = "Spain asked the OTAN (North Atlantic Treaty Organization) for help.\n"
    assert engine.clean(text, lang="en", source_lang="es").text == text.replace("OTAN", "NATO")


def test_acronym_expansion_rejects_capitalised_connectors(tmp_path):
    with pytest.raises(RuleFileError, match="lower-case"):
        one_rule(tmp_path, "acronym-expansion", 'connectors = ["Of"]')


# --- false-friend ----------------------------------------------------------


def false_friend_rule(tmp_path: Path, table: str) -> Engine:
    (tmp_path / "ff.tsv").write_text(table, encoding="utf-8")
    return one_rule(tmp_path, "false-friend", 'friends_file = "ff.tsv"', safety="display")


def test_false_friend_reports_only_for_its_source_language(tmp_path):
    engine = false_friend_rule(tmp_path, "fr\tactually\tactuellement\tcurrently\n")
    text = "Actually, he is actually in Paris. ACTUALLY.\n"
    assert engine.clean(text, lang="en").findings == []
    assert engine.clean(text, lang="en", source_lang="de").findings == []
    found = engine.clean(text, lang="en", source_lang="fr").findings
    # The capitalised sentence start counts; shouting in capitals is not the word.
    assert [(f.before, f.after) for f in found] == [
        ("Actually", "Currently"),
        ("actually", "currently"),
    ]
    assert "actuellement" in found[0].message and not found[0].applied


@pytest.mark.parametrize(
    ("table", "error"),
    [
        ("fr\tactually\tcurrently\n", "expected"),
        ("fr\tActually\tactuellement\tcurrently\n", "lower case"),
        ("# only a comment\n", "no entries"),
    ],
)
def test_false_friend_table_errors_are_clear(tmp_path, table, error):
    with pytest.raises(RuleFileError, match=error):
        false_friend_rule(tmp_path, table)


# --- source-sentence -------------------------------------------------------


def test_sentences_keep_the_space_after_each():
    line = "One two. Três quatro! Last one"
    assert [line[s:e] for s, e in sentences(line)] == ["One two. ", "Três quatro! ", "Last one"]


def test_source_sentence_judges_only_the_source_language(tmp_path):
    engine = one_rule(tmp_path, "source-sentence", "", safety="unsafe", unsafe=True)
    text = (
        "The minister spoke in Rome on Monday. Non abbiamo paura di nessuno e andremo avanti"
        " insieme. She then left for Brussels.\n"
    )
    cleaned = "The minister spoke in Rome on Monday. She then left for Brussels.\n"
    assert engine.clean(text, lang="en", source_lang="it").text == cleaned
    # Another source language, or none: the Italian sentence is not this rule's business.
    assert engine.clean(text, lang="en", source_lang="es").text == text
    assert engine.clean(text, lang="en").text == text


def test_source_sentence_leaves_long_whole_lines_to_language_residue(tmp_path):
    engine = one_rule(
        tmp_path, "source-sentence", "whole_line_words = 12", safety="unsafe", unsafe=True
    )
    text = (
        "The talks resumed.\nIl governo ha annunciato lunedì che i negoziati con i ribelli"
        " riprenderanno la settimana prossima a Ginevra.\nThe rebels agreed.\n"
    )
    assert engine.clean(text, lang="en", source_lang="it").text == text


# --- the per-language name tables -----------------------------------------


NAME_TABLES = sorted(TRANSLATION.glob("names-*-en.tsv"))
SHARED = ROOT / "rules" / "glossary" / "names-en.tsv"


def table_entries(path: Path) -> list[tuple[str, str]]:
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        assert line.count("\t") == 1, f"{path.name}:{number}: expected exactly one TAB"
        variant, canonical = line.split("\t")
        assert variant == variant.strip() and canonical == canonical.strip() and variant
        out.append((variant, canonical))
    return out


def test_every_source_pack_with_names_has_a_table():
    assert {p.name.split("-")[1] for p in NAME_TABLES} >= {"es", "it", "pt", "ru", "ar", "tr"}


@pytest.mark.parametrize("path", NAME_TABLES, ids=[p.name for p in NAME_TABLES])
def test_name_table_has_no_duplicates_identities_or_chains(path):
    entries = table_entries(path)
    variants = [v.casefold() for v, _ in entries]
    assert len(variants) == len(set(variants)), "duplicate variant"
    assert all(v != c for v, c in entries), "an entry maps a spelling to itself"
    canonicals = {c.casefold() for _, c in entries} | {
        c.casefold() for _, c in table_entries(SHARED)
    }
    assert not [v for v in variants if v in canonicals], "a variant is a canonical form (chain)"
    assert path.read_text(encoding="utf-8").startswith("#"), "provenance comment first"
