"""Source language: from --source-lang, or from evidence, never guessed."""

from __future__ import annotations

import pytest

from cleaner import Cleaner, load_rules
from cleaner.source_language import MIN_MARKERS, evidence_table, infer

TABLE = evidence_table(load_rules())


def test_shipped_packs_give_evidence_for_french_and_german():
    assert {"fr", "de"} <= set(TABLE)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The EI claimed it. Hachd al-Chaabi fighters moved north.", "fr"),
        ("Moustafa al-Kazimi met Bachar al-Assad's envoy.", "fr"),
        ("The terrorist militia IS lost ground; the Bundeswehr stayed.", "de"),
        ("Wladimir Putin and the Federal Government disagreed.", "de"),
        # Party and outlet names occur in English news too: no evidence.
        ("The SPD and the CDU disagreed, dpa and Le Monde reported.", None),
        # One marker is not enough, nor is plain English.
        ("The Bundeswehr trains Iraqi soldiers.", None),
        ("The army said on Monday that the border was calm.", None),
        # Conflicting evidence: no guess.
        ("The EI and Daech; the Bundeswehr and the terrorist militia.", None),
    ],
)
def test_infer(text, expected):
    assert infer(text, TABLE) == expected


def test_min_markers_is_at_least_two():
    assert MIN_MARKERS >= 2


def test_source_rules_run_only_for_their_source_language():
    cleaner = Cleaner()
    text = "Strikes against Israel.Islamic State positions resumed on Monday.\n"
    assert cleaner.clean(text, lang="en", source_lang="fr").text == (
        "Strikes against the Islamic State positions resumed on Monday.\n"
    )
    for other in ("de", "none"):
        assert cleaner.clean(text, lang="en", source_lang=other).text == text
    # No evidence in the text: not inferred, rule does not run.
    result = cleaner.clean(text, lang="en")
    assert result.source_language is None and result.text == text


def test_inferred_source_language_is_reported(samples):
    cleaner = Cleaner()
    by_name = {
        p.name[:3]: cleaner.clean(p.read_text(encoding="utf-8")).source_language
        for p in (samples / "in").iterdir()
    }
    assert by_name == {"000": None, "001": "de", "002": None, "003": "fr", "004": None}
