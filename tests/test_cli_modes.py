"""``--fix``, ``--check``, ``--diff``: exit codes, selection, output formats, dispatch.

Most tests run on a small pack of their own (``--no-default-rules``), so they
say exactly which rule fires and do not move when the shipped packs grow.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from test_cli import ARTICLE

from cleaner.cli import lint_targets, main

LETTERS_PACK = """
[pack]
name = "letters"
languages = ["*"]
{rules}
"""
RULE = """
[[rule]]
code = "{code}"
name = "drop-{name}"
kind = "line-drop"
description = "Drops {word} lines."
safety = "{safety}"
pattern = "{word}"
keep = ["{word} inside a sentence."]
[[rule.fix]]
input = "Text.\\n{word}\\nMore."
output = "Text.\\nMore.\\n"
"""
LETTER_RULES = [
    ("TT101", "ALPHA", "safe"),
    ("TT102", "BETA", "safe"),
    ("TT201", "GAMMA", "safe"),
    ("TT301", "DELTA", "unsafe"),
]
TEXT = "Text.\nALPHA\nBETA\nGAMMA\nDELTA\nMore.\n"


def write_letters_pack(directory: Path) -> Path:
    """A pack whose rules drop the lines ALPHA (TT101), BETA, GAMMA and DELTA (unsafe)."""
    rules = "".join(
        RULE.format(code=code, word=word, name=word.lower(), safety=safety)
        for code, word, safety in LETTER_RULES
    )
    path = directory / "letters.toml"
    path.write_text(LETTERS_PACK.format(rules=rules), encoding="utf-8")
    return path


@pytest.fixture()
def letters(tmp_path: Path) -> Path:
    return write_letters_pack(tmp_path)


@pytest.fixture()
def article(tmp_path: Path) -> Path:
    path = tmp_path / "docs" / "a.txt"
    path.parent.mkdir()
    path.write_text(TEXT, encoding="utf-8")
    return path


def letters_args(letters: Path) -> list[str]:
    return ["--rules", str(letters), "--no-default-rules", "--isolated"]


def codes_in(stdout: str) -> list[str]:
    return [line.split(": ")[1].split()[0] for line in stdout.splitlines()]


# --- modes and exit codes ---------------------------------------------------------


def test_check_lists_changes_writes_nothing_and_exits_1(letters, article, capsys):
    assert main(["--check", str(article), *letters_args(letters)]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"{article}:2:1: TT101 drop-alpha: 'ALPHA\\n' -> ''",
        f"{article}:3:1: TT102 drop-beta: 'BETA\\n' -> ''",
        f"{article}:4:1: TT201 drop-gamma: 'GAMMA\\n' -> ''",
        f"{article}:5:1: TT301 drop-delta: 'DELTA\\n' -> '' "
        "[unsafe fix, not applied; see --unsafe-fixes]",
    ]
    assert err == (
        "clean-articles: 1 file checked, 1 would change, 3 changes (TT 3), 1 finding not fixed\n"
    )
    assert article.read_text() == TEXT
    assert sorted(p.name for p in article.parent.iterdir()) == ["a.txt"]


def test_check_of_clean_files_exits_0(letters, article, capsys):
    article.write_text("Text.\nMore.\n")
    assert main(["--check", str(article.parent), *letters_args(letters)]) == 0
    assert capsys.readouterr().out == ""


def test_fix_rewrites_in_place_lists_changes_and_exits_0(letters, article, capsys):
    assert main(["--fix", str(article), *letters_args(letters)]) == 0
    assert article.read_text() == "Text.\nDELTA\nMore.\n"
    out, err = capsys.readouterr()
    assert codes_in(out) == ["TT101", "TT102", "TT201", "TT301"]
    assert "1 fixed, 3 changes" in err
    assert sorted(p.name for p in article.parent.iterdir()) == ["a.txt"]  # no log, no temp
    assert main(["--fix", str(article), *letters_args(letters)]) == 0
    assert main(["--check", str(article), *letters_args(letters)]) == 0


def test_fix_with_unsafe_fixes(letters, article):
    assert main(["--fix", "--unsafe-fixes", str(article), *letters_args(letters)]) == 0
    assert article.read_text() == "Text.\nMore.\n"


def test_fix_keeps_crlf_and_file_mode(letters, article):
    article.write_bytes(TEXT.replace("\n", "\r\n").encode())
    article.chmod(0o640)
    assert main(["--fix", str(article), *letters_args(letters)]) == 0
    assert article.read_bytes() == b"Text.\r\nDELTA\r\nMore.\r\n"
    assert stat.S_IMODE(article.stat().st_mode) == 0o640


def test_fix_writes_through_a_symlink(letters, article, tmp_path):
    link = tmp_path / "link.txt"
    link.symlink_to(article)
    assert main(["--fix", str(link), *letters_args(letters)]) == 0
    assert link.is_symlink()
    assert article.read_text() == "Text.\nDELTA\nMore.\n"


def test_diff_prints_unified_diff_writes_nothing_exits_1(letters, article, capsys):
    assert main(["--diff", str(article), *letters_args(letters)]) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"--- a/{article}\n+++ b/{article}\n@@ ")
    assert "-ALPHA\n" in out and "-GAMMA\n" in out and " DELTA\n" in out
    assert article.read_text() == TEXT
    article.write_text("Text.\nMore.\n")
    assert main(["--diff", str(article), *letters_args(letters)]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("mode", ["--fix", "--check"])
def test_unreadable_file_exits_1_and_others_are_processed(letters, article, mode, capsys):
    bad = article.parent / "bad.txt"
    bad.write_bytes(b"caf\xe9 \x81\n")  # neither UTF-8 nor cp1252 (0x81 is unassigned)
    assert main([mode, str(article.parent), *letters_args(letters)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}: error: not valid UTF-8 (byte 3)" in err
    assert "1 failed" in err
    assert (article.read_text() == TEXT) == (mode == "--check")


@pytest.mark.parametrize(
    "argv",
    [
        ["--fix"],  # no PATH
        ["only-one-path"],  # IN without OUT
        ["a", "b", "c"],  # three paths, no mode
        ["--check", "--fix", "x"],  # two modes
        ["--check", "x", "--output-format", "xml"],
        ["--no-such-option", "x"],
    ],
)
def test_usage_errors_exit_2(argv, capsys):
    assert main(argv) == 2
    assert "usage: clean-articles" in capsys.readouterr().err


def test_missing_path_exits_2(tmp_path, capsys):
    assert main(["--check", str(tmp_path / "missing.txt")]) == 2
    assert "no such file or directory" in capsys.readouterr().err


def test_output_format_needs_a_linter_mode(article, tmp_path, capsys):
    assert main([str(article.parent), str(tmp_path / "out"), "--output-format", "json"]) == 2
    assert "--output-format needs --fix or --check" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_bad_rule_pack_exits_2_before_writing(article, tmp_path, capsys):
    broken = tmp_path / "broken.toml"
    broken.write_text("[pack]\nname = 'x'\nlanguages = ['*']\n[[rule]]\ncode = 'bad'\n")
    assert main(["--fix", str(article), "--rules", str(broken), "--isolated"]) == 2
    assert capsys.readouterr().err.startswith(f"{broken}:4: ")
    assert article.read_text() == TEXT


def test_help_documents_exit_codes():
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner", "--help"], capture_output=True, text=True, check=True
    )
    assert "exit codes:" in proc.stdout
    for line in ("0  nothing to change", "1  --check/--diff found", "2  usage, configuration"):
        assert line in proc.stdout


# --- what a directory stands for -------------------------------------------------------


def test_directories_stand_for_their_txt_files_hidden_ones_skipped(tmp_path):
    (tmp_path / "a" / ".git").mkdir(parents=True)
    for name in ("a/x.txt", "a/notes.md", "a/.hidden.txt", "a/.git/y.txt", "b.md"):
        (tmp_path / name).write_text("text\n")
    found = lint_targets([str(tmp_path / "a"), str(tmp_path / "b.md"), str(tmp_path / "a/x.txt")])
    assert [shown for _, shown in found] == [str(tmp_path / "a/x.txt"), str(tmp_path / "b.md")]


# --- rule selection on the command line ------------------------------------------------


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ([], ["TT101", "TT102", "TT201"]),
        (["--select", "TT1"], ["TT101", "TT102"]),
        (["--select", "TT"], ["TT101", "TT102", "TT201"]),
        (["--select", "TT101,TT201"], ["TT101", "TT201"]),
        (["--select", "TT101", "--select", "TT201"], ["TT101", "TT201"]),
        (["--ignore", "TT1"], ["TT201"]),
        (["--select", "TT1", "--ignore", "TT102"], ["TT101"]),
        # The more specific prefix wins, whichever list it is in.
        (["--ignore", "TT1", "--select", "TT102"], ["TT102"]),
        (["--ignore", "TT", "--extend-select", "TT101"], ["TT101"]),
        (["--select", "TT2", "--extend-select", "TT101"], ["TT101", "TT201"]),
        # Equally specific: ignore wins.
        (["--select", "TT1", "--ignore", "TT1"], []),
    ],
)
def test_selection_by_prefix(letters, article, flags, expected, capsys):
    code = main(["--check", str(article), *letters_args(letters), *flags])
    applied = [c for c in codes_in(capsys.readouterr().out) if c != "TT301"]
    assert applied == expected
    assert code == (1 if expected else 0)


def test_unknown_selector_exits_2(letters, article, capsys):
    assert main(["--check", str(article), *letters_args(letters), "--ignore", "TX"]) == 2
    assert "--ignore: no rule code starts with 'TX'" in capsys.readouterr().err


# --- output formats ----------------------------------------------------------------------


def test_json_output_is_one_array_of_edit_records(letters, article, capsys):
    assert main(["--check", str(article), *letters_args(letters), "--output-format", "json"]) == 1
    records = json.loads(capsys.readouterr().out)
    assert [r["code"] for r in records] == ["TT101", "TT102", "TT201", "TT301"]
    first = records[0]
    assert first["file"] == str(article)
    assert {"line": 2, "column": 1, "before": "ALPHA\n", "after": "", "applied": True}.items() <= (
        first.items()
    )
    assert records[-1]["applied"] is False


def test_json_output_of_nothing_is_an_empty_array(letters, article, capsys):
    article.write_text("Text.\n")
    assert main(["--check", str(article), *letters_args(letters), "--output-format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_jsonl_output_is_one_record_per_line(letters, article, capsys):
    assert main(["--fix", str(article), *letters_args(letters), "--output-format", "jsonl"]) == 0
    lines = capsys.readouterr().out.splitlines()
    records = [json.loads(line) for line in lines]
    assert [(r["file"], r["code"], r["applied"]) for r in records] == [
        (str(article), "TT101", True),
        (str(article), "TT102", True),
        (str(article), "TT201", True),
        (str(article), "TT301", False),
    ]


def test_github_output_is_workflow_annotations(letters, tmp_path, capsys):
    article = tmp_path / "a, b.txt"  # a comma must be escaped in the file property
    article.write_text(TEXT)
    assert main(["--check", str(article), *letters_args(letters), "--output-format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    escaped = str(article).replace(",", "%2C")
    assert lines[0] == (
        f"::warning file={escaped},line=2,col=1,title=TT101 drop-alpha::'ALPHA\\n' -> ''"
    )
    assert lines[-1].startswith(f"::notice file={escaped},line=5,col=1,title=TT301 drop-delta::")


def test_statistics_count_per_rule_most_frequent_first(letters, tmp_path, capsys):
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "one.txt").write_text("ALPHA\nBETA\nText.\nBETA\n")
    (tmp_path / "s" / "two.txt").write_text("BETA\nGAMMA\nText.\n")
    assert main(["--check", str(tmp_path / "s"), *letters_args(letters), "--statistics"]) == 1
    assert capsys.readouterr().out == (
        "fixes  findings  code   name\n"
        "    3         0  TT102  drop-beta\n"
        "    1         0  TT101  drop-alpha\n"
        "    1         0  TT201  drop-gamma\n"
    )


def test_statistics_as_json(letters, article, capsys):
    argv = ["--check", str(article), *letters_args(letters), "--statistics"]
    assert main([*argv, "--output-format", "json"]) == 1
    stats = json.loads(capsys.readouterr().out)
    assert stats[0] == {
        "code": "TT101",
        "name": "drop-alpha",
        "count": 1,
        "fixes": 1,
        "findings": 0,
    }


def test_quiet_prints_only_errors(letters, article, capsys):
    (article.parent / "bad.txt").write_bytes(b"\x81\n")
    assert main(["--check", "--quiet", str(article.parent), *letters_args(letters)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        f"{article.parent / 'bad.txt'}: error: not valid UTF-8 (byte 0), "
        "and not cp1252 text either (byte 0)"
    ]


def test_quiet_in_in_out_mode_drops_the_summary(article, tmp_path, capsys):
    assert main([str(article.parent), str(tmp_path / "out"), "--quiet", "--lang", "en"]) == 0
    assert capsys.readouterr().err == ""


# --- subcommand names versus paths ----------------------------------------------------


def test_a_directory_named_rules_still_works_as_in(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    Path("rules").mkdir()
    Path("rules", "x.txt").write_text(ARTICLE)
    assert main(["rules", "out", "--lang", "en"]) == 0
    assert (tmp_path / "out" / "x.txt").read_text().endswith("down again.\n")
    assert (tmp_path / "out" / ".clean-articles" / "changes.jsonl").exists()
    capsys.readouterr()
    # Alone (or with its own options) it is the subcommand, directory or not.
    assert main(["rules"]) == 0
    assert "BP101" in capsys.readouterr().out


def test_a_subcommand_name_that_is_not_a_path_reports_the_subcommand_usage(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    assert main(["rules", "out"]) == 2
    assert "usage: clean-articles rules" in capsys.readouterr().err


def test_dot_slash_always_means_the_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("rule").mkdir()
    Path("rule", "x.txt").write_text(ARTICLE)
    assert main(["./rule", "BP101", "--lang", "en"]) == 0
    assert Path("BP101", "x.txt").exists()
    assert os.path.exists("BP101/.clean-articles/changes.diff")


def test_quiet_diff_still_prints_the_diff(letters, article, capsys):
    assert main(["--diff", "--quiet", str(article), *letters_args(letters)]) == 1
    out, err = capsys.readouterr()
    assert "-ALPHA\n" in out and err == ""


def test_statistics_in_in_out_mode(letters, article, tmp_path, capsys):
    argv = [str(article.parent), str(tmp_path / "out"), *letters_args(letters), "--statistics"]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    header, first = out.splitlines()[:2]
    assert header.split() == ["fixes", "findings", "code", "name"]
    assert first.split() == ["1", "0", "TT101", "drop-alpha"]
    assert err.startswith("clean-articles: 1 file read, 1 changed, 3 changes (TT 3)")
