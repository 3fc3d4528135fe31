"""The damage guard: removing the page around an article is the job, gutting it is not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import INFLATING_PACK

from cleaner import Cleaner, Safeguards, load_rules
from cleaner.changelog import Edit, PassMap, apply_edits
from cleaner.cli import main
from cleaner.document import is_prose
from cleaner.engine import Engine
from cleaner.guard import assess
from cleaner.loader import load_pack

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
#: Real, distinct article paragraphs (the hand-cleaned samples' prose).
PROSE = [
    line
    for path in sorted((SAMPLES / "expected").iterdir())
    for line in path.read_text(encoding="utf-8").splitlines()
    if is_prose(line)
]
ARTICLE = "Bridge to be repaired\n\n" + "\n\n".join(PROSE[:8]) + "\n"

GUT = r"""
[pack]
name = "gut"
languages = ["*"]

[[rule]]
code = "TT101"
name = "every-sentence"
kind = "line-drop"
description = "A bad rule: drops every line that ends like a sentence."
safety = "safe"
pattern = '.*[.!?]["”]?'
keep = ["no full stop here"]
[[rule.fix]]
input = "Title\nA sentence.\n"
output = "Title\n"
"""


@pytest.fixture()
def gut(tmp_path: Path) -> Path:
    path = tmp_path / "gut.toml"
    path.write_text(GUT, encoding="utf-8")
    return path


def engine(pack: Path, **limits) -> Engine:
    return Engine(load_pack(pack).rules, safeguards=Safeguards(**limits))


def test_prose_is_long_enough_to_matter():
    assert len(PROSE) >= 12 and sum(len(p.split()) for p in PROSE[:8]) > 200


def test_a_rule_that_guts_the_article_leaves_it_unchanged(gut):
    result = engine(gut).clean(ARTICLE)
    assert result.guarded and result.text == ARTICLE and result.edits == []
    [note] = result.notes
    assert (note.code, note.name, note.applied) == ("DG001", "damage-guard", False)
    assert "would remove 8 of 8 prose paragraphs (100% of their words > 40%)" in note.message
    assert "would leave 4 of 256 words (< 50)" in note.message
    assert "document left unchanged" in note.message
    assert note.details["prose_removed"] == 8 and note.details["forced"] is False
    withheld = [f for f in result.findings if f.code == "TT101"]
    assert len(withheld) == 8 and not any(f.applied for f in withheld)
    assert {f.message for f in withheld} == {"withheld by the damage guard"}


def test_force_applies_the_edits_and_still_records_the_numbers(gut):
    result = engine(gut, force=True).clean(ARTICLE)
    assert not result.guarded and result.text == "Bridge to be repaired\n\n" + "\n" * 7
    [note] = result.notes
    assert note.code == "DG001" and note.details["forced"] is True
    assert "applied anyway (--force)" in note.message


def test_limits_are_settings(gut):
    assert engine(gut, max_prose_loss=1.0, min_words=0).clean(ARTICLE).text != ARTICLE
    # Only the words left: 100 % of the prose may go, but not down to 3 words.
    assert engine(gut, max_prose_loss=1.0).clean(ARTICLE).guarded
    # Only the prose share: the words test alone would let it pass.
    assert engine(gut, min_words=0).clean(ARTICLE).guarded


def test_a_few_removed_paragraphs_are_not_damage(gut):
    """Up to two sentence-like lines may go whatever their share (debris often looks like prose)."""
    short = "Title\n\n" + "\n\n".join(PROSE[:2]) + "\n\nNo full stop\n"
    result = engine(gut, min_words=0).clean(short)
    assert not result.guarded and result.damage.prose_lost == 2


def test_the_cli_reports_logs_and_writes_the_input_through(gut, tmp_path, capsys):
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_text(ARTICLE)
    argv = [str(source), str(tmp_path / "out"), "--rules", str(gut), "--no-default-rules"]
    assert main([*argv, "--isolated"]) == 0
    err = capsys.readouterr().err
    assert f"{source / 'a.txt'}: warning: DG001 damage-guard: the edits would remove 8 of 8" in err
    assert "1 left unchanged by the damage guard" in err
    assert (tmp_path / "out" / "a.txt").read_text() == ARTICLE
    log = tmp_path / "out" / ".clean-articles"
    assert json.loads((log / "files.jsonl").read_text())["status"] == "guarded"
    records = [json.loads(line) for line in (log / "changes.jsonl").open()]
    assert records[0]["code"] == "DG001" and records[0]["details"]["prose_paragraphs"] == 8
    assert all(not r["applied"] for r in records)
    # --check passes exactly when --fix would change nothing: here it would not.
    assert main(["--check", str(source), "--rules", str(gut), "--no-default-rules"]) == 0


@pytest.mark.parametrize(
    "flags",
    [["--force"], ["--max-prose-loss", "100%", "--min-words", "0"]],
)
def test_cli_flags_override_the_guard(gut, tmp_path, flags):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    argv = ["--fix", str(article), "--rules", str(gut), "--no-default-rules", "--isolated"]
    assert main([*argv, *flags]) == 0
    assert article.read_text() != ARTICLE


def test_config_keys_tighten_but_never_loosen_the_guard(gut, tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE)
    argv = ["--fix", str(article), "--rules", str(gut), "--no-default-rules"]
    for key, value in (("max-prose-loss", "1.0"), ("min-words", "0")):
        (tmp_path / "clean-articles.toml").write_text(f"{key} = {value}\n")
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert f"clean-articles.toml:1: {key} = " in err and "command line" in err
        assert article.read_text() == ARTICLE
    (tmp_path / "clean-articles.toml").write_text("max-prose-loss = 0.4\nmin-words = 50\n")
    assert main(argv) == 0
    assert article.read_text() == ARTICLE  # the defaults, written out: still guarded
    (tmp_path / "clean-articles.toml").write_text("max-prose-loss = 2\n")
    assert main(["--check", str(article), "--rules", str(gut), "--no-default-rules"]) == 2
    assert "max-prose-loss must be between 0 and 1, got 2" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["1.5", "-1", "x", "150%"])
def test_bad_limits_are_usage_errors(value, capsys):
    assert main(["--check", "x.txt", "--max-prose-loss", value]) == 2
    assert "--max-prose-loss" in capsys.readouterr().err


# --- what the guard does not count ----------------------------------------------------


def test_repeated_paragraphs_removed_are_not_a_loss():
    """The near-duplicate rules remove copies: the text is still there, once."""
    doubled = "Bridge to be repaired\n\n" + "\n\n".join(PROSE[:6] + PROSE[:6]) + "\n"
    result = Cleaner().clean(doubled, lang="en")
    assert not result.guarded
    assert sum(e.code.startswith("ND") for e in result.edits) >= 6
    assert result.damage.prose_lost == 0


def test_a_comment_section_cut_by_body_trim_is_not_a_loss():
    comments = [
        f"{name} wrote: I have lived by this bridge for {n} years and never seen it so bad, "
        "and the council should have acted long before the storms came."
        for n, name in enumerate(["Ann", "Bob", "Cy", "Di", "Ed", "Flo", "Gus", "Hal"], 10)
    ]
    page = ARTICLE + "\n12 comments\n\n" + "\n\n".join(comments) + "\n"
    result = Cleaner().clean(page, lang="en")
    assert not result.guarded, [n.message for n in result.notes]
    assert not any(c.split(":")[0] in result.text for c in comments)
    assert all(p in result.text for p in PROSE[:8])


@pytest.mark.parametrize("path", sorted((SAMPLES / "in").iterdir()), ids=lambda p: p.name)
def test_the_samples_never_trip_the_guard(path):
    for unsafe in (False, True):
        result = Cleaner(unsafe_fixes=unsafe).clean(path.read_text(encoding="utf-8"))
        assert not result.guarded and not [n for n in result.notes if n.code == "DG001"]


def test_assess_charges_deletions_to_the_pass_that_made_them():
    """A later whitespace edit whose span, mapped back, encloses text an exempt rule removed."""
    text = "A.\n\n" + "\n\n".join(PROSE[:3]) + "\n\nB.\n"
    lines = text.split("\n")
    first = Edit("ND001", "dup", "safe", 4, 4 + len(lines[2]) + 1, lines[2] + "\n", "", True, 0)
    middle, [first] = apply_edits(text, [first])
    maps = [PassMap([first])]
    collapse = Edit("WS005", "blank", "safe", 3, 5, "\n\n", "\n", True, 1)
    _, [collapse] = apply_edits(middle, [collapse])
    damage = assess(text, middle, [first, collapse], maps, {"ND001": "near-duplicates"}, set())
    assert (damage.prose_lines, damage.prose_lost, damage.prose_words_lost) == (3, 0, 0)


def test_growth_is_guarded_like_damage(tmp_path):
    pack = tmp_path / "grow.toml"
    pack.write_text(INFLATING_PACK, encoding="utf-8")
    result = engine(pack).clean(ARTICLE)
    assert result.guarded and result.text == ARTICLE
    (note,) = [n for n in result.notes if n.code == "DG001"]
    assert "would grow the text from" in note.message and "> 2x" in note.message
    assert engine(pack, force=True).clean(ARTICLE).text != ARTICLE
    assert not engine(pack).clean("a b c").guarded  # a few characters more: not growth
    assert not engine(pack, max_growth=50).clean(ARTICLE).guarded


def test_shipped_rules_load_with_the_guard_on_by_default():
    assert Engine([r for p in load_rules() for r in p.rules]).safeguards == Safeguards()


def test_teasers_cut_off_mid_sentence_are_no_paragraphs(gut):
    """A summary the site truncated ('... may soon...') is a teaser box's, never the
    article's paragraph: removing a feed of them is no loss, and they do not dilute the
    article's paragraphs either."""
    teasers = [p[: len(p) // 2].rstrip(" .,") + "..." for p in PROSE[8:20]]
    page = "\n\n".join(teasers) + "\n\n" + ARTICLE
    damage = Cleaner().clean(page, lang="en").damage
    assert damage is not None and damage.prose_lines == 8
    # The gutting rule drops every line that ends like a sentence, teasers and article
    # alike: the article's eight paragraphs are the loss.
    result = engine(gut).clean(page)
    assert result.guarded and result.damage.prose_lost == 8
