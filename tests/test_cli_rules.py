"""Rule tooling: ``rules`` (list, ``--json``), ``rule CODE``, ``test-rules PATH``."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import MINIMAL_RULE

from cleaner import load_rules
from cleaner.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cleaner", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


# --- test-rules ------------------------------------------------------------------------


def test_the_shipped_packs_pass_test_rules():
    """The project's own packs, through the same command pack authors use."""
    proc = run_cli("test-rules", "rules/")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == ""
    shipped = sum(len(pack.rules) for pack in load_rules())
    assert f"clean-articles: {shipped} rules," in proc.stderr


def test_test_rules_passes_a_good_pack(write_pack, capsys):
    assert main(["test-rules", str(write_pack(MINIMAL_RULE))]) == 0
    assert "1 rule, 2 examples, 0 problems" in capsys.readouterr().err


def test_test_rules_fails_a_broken_example_with_path_line(write_pack, capsys):
    wrong = MINIMAL_RULE.replace('output = "Text.\\nMore.\\n"', 'output = "Text.\\n"')
    pack = write_pack(wrong)
    assert main(["test-rules", str(pack)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1
    assert out[0].startswith(f"{pack}:6: TT101 fix example 1: got ")


def test_test_rules_exits_2_when_a_pack_does_not_load(write_pack, capsys):
    pack = write_pack(MINIMAL_RULE.replace('kind = "line-drop"', 'kind = "line-drip"'))
    assert main(["test-rules", str(pack)]) == 2
    assert capsys.readouterr().err.startswith(f"{pack}:9: unknown kind 'line-drip'")


def test_test_rules_checks_codes_against_the_shipped_packs(write_pack, capsys):
    pack = write_pack(MINIMAL_RULE.replace("TT101", "BP101"))
    assert main(["test-rules", str(pack)]) == 2
    assert "duplicate rule code BP101" in capsys.readouterr().err
    assert main(["test-rules", "--no-default-rules", str(pack)]) == 0


def test_test_rules_of_a_missing_path_exits_2(tmp_path, capsys):
    assert main(["test-rules", str(tmp_path / "nope.toml")]) == 2
    assert "no such rule file or directory" in capsys.readouterr().err


# --- rules ---------------------------------------------------------------------------------


def test_rules_lists_a_header_then_one_line_per_rule(capsys):
    assert main(["rules"]) == 0
    header, *lines = capsys.readouterr().out.splitlines()
    assert header.split() == ["code", "name", "kind", "safety", "languages"]
    assert len(lines) == sum(len(pack.rules) for pack in load_rules())
    bp101 = next(line for line in lines if line.startswith("BP101 "))
    assert bp101.split() == ["BP101", "source-site-trailer", "line-drop", "safe", "en"]
    tr151 = next(line for line in lines if line.startswith("TR151 "))
    assert tr151.split()[-4:] == ["unsafe", "en", "from", "fr"]


def test_rules_selection_and_extra_packs(write_pack, capsys):
    pack = write_pack(MINIMAL_RULE)
    assert main(["rules", "--rules", str(pack), "--select", "TT,BP10", "--ignore", "BP102"]) == 0
    codes = [line.split()[0] for line in capsys.readouterr().out.splitlines()[1:]]
    assert "TT101" in codes and "BP101" in codes and "BP102" not in codes
    assert all(code.startswith(("TT", "BP10")) for code in codes)
    assert main(["rules", "--rules", str(pack), "--no-default-rules"]) == 0
    assert capsys.readouterr().out.split()[5:] == ["TT101", "drop-marker", "line-drop", "safe", "*"]


@pytest.fixture(scope="module")
def exported() -> dict:
    proc = run_cli("rules", "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_rules_json_is_the_documented_format(exported):
    assert exported["format"] == "clean-articles-rules"
    assert exported["version"] == 1
    packs = load_rules()
    assert [p["name"] for p in exported["packs"]] == [p.name for p in packs]
    for record, pack in zip(exported["packs"], packs, strict=True):
        assert set(record) == {
            "name",
            "description",
            "file",
            "languages",
            "source_langs",
            "evidence",
            "rules",
        }
        assert record["file"].startswith("rules/") and record["file"].endswith(".toml")
        assert [r["code"] for r in record["rules"]] == [r.code for r in pack.rules]
        for rule in record["rules"]:
            assert set(rule) == {
                "code",
                "name",
                "kind",
                "description",
                "why",
                "languages",
                "source_langs",
                "safety",
                "enabled",
                "parameters",
                "fixes",
                "keeps",
            }
            assert not any(key.startswith("_") for key in rule["parameters"])
            assert rule["fixes"] and all(set(f) == {"input", "output"} for f in rule["fixes"])


def test_rules_json_inlines_glossary_table_files(exported):
    rules = {r["code"]: r for p in exported["packs"] for r in p["rules"]}
    names = rules["GL101"]["parameters"]
    assert "table_file" not in names
    assert names["table"]["Moustafa al-Kazimi"] == "Mustafa al-Kadhimi"
    bp101 = rules["BP101"]
    assert bp101["parameters"]["zone"] == "tail" and bp101["safety"] == "safe"
    fr = next(p for p in exported["packs"] if p["name"] == "translation-fr-en")
    assert fr["source_langs"] == ["fr"] and fr["evidence"]


def test_rules_json_selection_drops_empty_packs(capsys):
    codes = [rule.code for pack in load_rules() for rule in pack.rules]
    # A selector is a prefix: take a code that is no other code's prefix.
    code = next(c for c in codes if not any(o != c and o.startswith(c) for o in codes))
    assert main(["rules", "--json", "--select", code]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [[r["code"] for r in p["rules"]] for p in document["packs"]] == [[code]]


# --- rule CODE ------------------------------------------------------------------------------


def test_rule_shows_docs_and_examples(capsys):
    assert main(["rule", "BP101"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("# source-site-trailer (BP101)\n")
    assert "Kind: line-drop. Safety: safe" in page
    assert "rules/boilerplate/en.toml:" in page
    assert "## What it does" in page and "## Examples" in page
    assert "source site-34" in page and "Left alone (1):" in page


def test_rule_and_rules_json_show_why(capsys):
    """The rule's why, from its pack, under its own heading and in the export."""
    rule = next(r for p in load_rules() for r in p.rules if r.code == "BP101")
    assert rule.why
    assert main(["rule", "BP101"]) == 0
    page = capsys.readouterr().out
    assert f"## Why it is debris\n\n{rule.why}\n" in page
    headings = [page.index(h) for h in ("## What it does", "## Why it is debris", "## Examples")]
    assert headings == sorted(headings)
    assert main(["rules", "--json", "--select", "BP101"]) == 0
    (record,) = [r for p in json.loads(capsys.readouterr().out)["packs"] for r in p["rules"]]
    assert record["why"] == rule.why


def test_rule_page_shows_verbose_patterns_as_written(capsys):
    """A multi-line (?x) pattern is shown as a TOML literal string that reads back the same."""
    rule = next(r for p in load_rules() for r in p.rules if r.code == "BP203")
    assert "\n" in rule.params.pattern
    assert main(["rule", "BP203"]) == 0
    page = capsys.readouterr().out
    block = page.split("## Parameters\n\n```toml\n", 1)[1].split("\n```", 1)[0]
    assert "pattern = '''\n(?x)\n" in block
    assert tomllib.loads(block)["pattern"] == rule.params.pattern


def test_rule_by_name(capsys):
    assert main(["rule", "source-site-trailer"]) == 0
    assert capsys.readouterr().out.startswith("# source-site-trailer (BP101)")


def test_unknown_rule_exits_2(capsys):
    assert main(["rule", "ZZ999"]) == 2
    assert "unknown rule 'ZZ999'" in capsys.readouterr().err
