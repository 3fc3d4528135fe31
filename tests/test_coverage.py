"""``clean-articles rules --coverage CORPUS``: how often each rule fires; which never do."""

from __future__ import annotations

import json

from conftest import MINIMAL_RULE

from cleaner.cli import main

TRAILER = "The vote was postponed until next week, the speaker said.\n\nsource site-12\n"


def make_corpus(root):
    (root / "a").mkdir(parents=True)
    (root / "a" / "one.txt").write_text(TRAILER, encoding="utf-8")
    (root / "a" / "two.txt").write_text(TRAILER.replace("12", "7"), encoding="utf-8")
    (root / "clean.txt").write_text("Nothing to do here, the editor said.\n", encoding="utf-8")
    (root / "broken.txt").write_bytes(b"binary\0data")


def test_coverage_counts_firings_and_documents(tmp_path, capsys):
    make_corpus(tmp_path / "corpus")
    before = sorted(p.name for p in (tmp_path / "corpus").rglob("*"))
    args = ["rules", "--coverage", str(tmp_path / "corpus"), "--json", "--lang", "en"]
    assert main([*args, "--select", "BP1"]) == 1  # broken.txt could not be read
    out, err = capsys.readouterr()
    document = json.loads(out)
    assert document["format"] == "clean-articles-coverage"
    assert document["documents"] == 3 and document["failed"] == 1
    rules = {r["code"]: r for r in document["rules"]}
    assert rules["BP101"] == {**rules["BP101"], "fired": 2, "applied": 2, "documents": 2}
    assert "BP102" in document["never_fired"] and "BP101" not in document["never_fired"]
    assert all(code.startswith("BP1") for code in rules)  # --select applies
    [line] = [e for e in err.splitlines() if "broken.txt" in e]
    assert line.endswith(
        "error: binary file (NUL byte at offset 6; UTF-16 without a "
        "byte-order mark is not supported)"
    )
    # Nothing is written into the corpus.
    assert sorted(p.name for p in (tmp_path / "corpus").rglob("*")) == before


def test_coverage_table_lists_rules_that_never_fire(tmp_path, capsys):
    make_corpus(tmp_path / "corpus")
    (tmp_path / "corpus" / "broken.txt").unlink()
    assert main(["rules", "--coverage", str(tmp_path / "corpus"), "--select", "BP10"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("BP101"))
    assert row.split()[-3:] == ["2", "2", "2"]
    assert "never fired" in out and "  BP102 autoblog-ad-placeholder" in out


def test_disabled_rules_are_measured_only_when_asked(tmp_path, write_pack, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "m.txt").write_text("Text.\nMARKER\nMore text.\n", encoding="utf-8")
    pack = write_pack(MINIMAL_RULE.replace('safety = "safe"', 'safety = "safe"\nenabled = false'))
    args = ["rules", "--coverage", str(corpus), "--rules", str(pack), "--select", "TT", "--json"]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["rules"] == []  # disabled: not run
    assert main([*args, "--include-disabled"]) == 0
    [rule] = json.loads(capsys.readouterr().out)["rules"]
    assert rule["code"] == "TT101" and rule["fired"] == 1 and rule["enabled"] is False
