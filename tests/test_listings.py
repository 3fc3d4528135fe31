"""What people read in the terminal: diffs, listings, statistics, summaries, help."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import SAMPLES
from test_cli_modes import TEXT, letters_args, write_letters_pack

from cleaner.cli import main
from cleaner.visible import visible

NBSP_TEXT = "The vote was postponed\u00a0until next week, the speaker said.\n"


def test_visible_marks_invisible_characters_only():
    assert visible("a\u00a0b\u200bc\u202fd\xade") == "a<U+00A0>b<U+200B>c<U+202F>d<U+00AD>e"
    assert (
        visible("tab\tand line\r\n ends, «quotes» and é")
        == "tab\tand line\r\n ends, «quotes» and é"
    )


def test_a_no_break_space_fix_shows_in_the_diff(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text(NBSP_TEXT, encoding="utf-8")
    assert main(["--diff", str(article), "--select", "WS001", "--isolated", "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "-The vote was postponed<U+00A0>until next week" in out
    assert "+The vote was postponed until next week" in out
    # The log's diff of an IN OUT run too.
    assert main([str(article), str(tmp_path / "out"), "--isolated", "--lang", "en", "-q"]) == 0
    diff = (tmp_path / "out" / ".clean-articles" / "changes.diff").read_text(encoding="utf-8")
    assert "-The vote was postponed<U+00A0>until" in diff


def test_check_quotes_before_from_the_original_input(tmp_path, capsys):
    """Even where an earlier pass changed the text a later one edits (sample 003: a
    headline rewritten by TR104, then dropped as a copy of the headline by ND001)."""
    targets = sorted((SAMPLES / "in").glob("*.txt"))
    main(["--check", *map(str, targets), "--isolated", "--output-format", "json"])
    records = json.loads(capsys.readouterr().out)
    texts = {str(t): t.read_text(encoding="utf-8") for t in targets}
    later_pass = 0
    for record in records:
        if record["pass_index"] < 0:
            continue  # a note about the whole file
        lines = texts[record["file"]].split("\n")
        offset = sum(len(line) + 1 for line in lines[: record["line"] - 1]) + record["column"] - 1
        quoted = record.get("original", record["before"])
        assert texts[record["file"]][offset : offset + len(quoted)] == quoted, record
        later_pass += "original" in record
    assert later_pass >= 1
    main(["--check", *map(str, targets), "--isolated"])
    listing = capsys.readouterr().out
    # The copy of the headline is quoted as the file has it, before TR104 rewrote it.
    assert ": 'Iraq: end of combat mission for the anti-armed group Islami" in listing


def test_statistics_count_fixes_and_findings_apart(tmp_path, capsys):
    letters = write_letters_pack(tmp_path)
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    assert main(["--check", str(article), *letters_args(letters), "--statistics"]) == 1
    rows = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert rows[0] == ["fixes", "findings", "code", "name"]
    assert ["1", "0", "TT101", "drop-alpha"] in rows
    assert ["0", "1", "TT301", "drop-delta"] in rows  # unsafe: found, not fixed


def test_statistics_without_a_mode_says_what_to_type(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    assert main(["--statistics", str(article)]) == 2
    err = capsys.readouterr().err
    assert "usage:" not in err
    assert "--statistics counts what a run fixes and finds" in err
    assert "hint: clean-articles --check --statistics PATH..." in err


def test_summaries_count_in_the_singular(tmp_path, capsys):
    letters = write_letters_pack(tmp_path)
    article = tmp_path / "a.txt"
    article.write_text("Text.\nALPHA\nDELTA\nMore.\n", encoding="utf-8")
    assert main(["--check", str(article), *letters_args(letters)]) == 1
    err = capsys.readouterr().err
    assert "clean-articles: 1 file checked, 1 would change, 1 change (TT 1), 1 finding" in err
    out = tmp_path / "out"
    assert main([str(article), str(out), *letters_args(letters)]) == 0
    assert capsys.readouterr().err.startswith("clean-articles: 1 file read, 1 changed, 1 change ")


def test_help_is_grouped_and_the_usage_names_every_command():
    help_text = subprocess.run(
        [sys.executable, "-m", "cleaner", "--help"], capture_output=True, text=True, check=True
    ).stdout
    usage = help_text.split("\n\n", 1)[0]
    for command in ("IN OUT", "--fix", "rules", "rule CODE", "test-rules", "revert", "suggest"):
        assert command in usage
    sections = [line[:-1] for line in help_text.splitlines() if line.endswith(":")]
    groups = ["modes", "rule selection", "output", "safety"]
    assert [s for s in sections if s in groups] == groups

    def section(name: str) -> str:
        return help_text.split(f"\n{name}:\n", 1)[1].split("\n\n", 1)[0]

    assert "--select" in section("rule selection") and "--ignore" in section("rule selection")
    assert "--statistics" in section("output") and "--report" in section("output")
    assert "--unsafe-fixes" in section("safety") and "--max-prose-loss" in section("safety")
