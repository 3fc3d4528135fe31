"""Source language: from --source-lang, or from evidence, never guessed."""

from __future__ import annotations

import pytest

from cleaner import Cleaner, load_rules
from cleaner.source_language import MIN_MARKERS, evidence_table, infer

TABLE = evidence_table(load_rules())


def test_shipped_packs_give_evidence_for_nine_source_languages():
    assert {"fr", "de", "es", "it", "pt", "ru", "uk", "ar", "tr"} <= set(TABLE)


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
        # Script residue counts inside an English sentence, by the letters each language has.
        ("He called it a провокация and left, the МИД said.", "ru"),
        ("The ЄС agreed, він додав.", "uk"),
        ("The army attacked Da'ish positions، officials said.", "ar"),
        ("Speaking in Ankara'da, he said Türkiye'nin patience was over.", "tr"),
        # A site's language menu, one word a line, is not residue.
        ("English\nРусский\nУкраїнська\nالعربية\nThe talks resumed in Geneva.", None),
        ("Según the report, EE.UU. agreed.", "es"),
        ("The Onu and the Ue agreed.", "it"),
        ("Lula travelled to the EUA, segundo the Planalto.", "pt"),
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
