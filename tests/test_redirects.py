"""Renumbered rule codes keep working: the old code selects the new rule, with a warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaner import load_rules, select_rules
from cleaner.cli import main
from cleaner.redirects import RENUMBERED, RETIRED_PREFIXES, RedirectWarning, targets

SHIPPED = {rule.code: rule for pack in load_rules() for rule in pack.rules}


def test_old_codes_are_gone_and_their_targets_exist():
    assert len(set(RENUMBERED.values())) == len(RENUMBERED), "two old codes share a new one"
    for old, new in RENUMBERED.items():
        assert old not in SHIPPED, f"{old} is both a redirect and a rule"
        assert new in SHIPPED, f"{old} redirects to {new}, which no rule has"


def test_renumbering_keeps_the_tie_break_order():
    """The engine breaks ties between equal spans by code: within a family the renumbered
    rules keep their old order and come after the family's other rules, as they did."""
    moved = set(RENUMBERED.values())
    for family in {new[:3] for new in moved}:
        kept = [code for code in SHIPPED if code.startswith(family) and code not in moved]
        news = [new for _old, new in sorted(RENUMBERED.items()) if new.startswith(family)]
        assert news == sorted(news), family
        assert max(kept) < min(news), family


def test_retired_prefixes_select_no_live_rule():
    for prefix in RETIRED_PREFIXES:
        assert not any(code.startswith(prefix) for code in SHIPPED), prefix
        assert targets(prefix) == tuple(
            sorted(new for old, new in RENUMBERED.items() if old.startswith(prefix))
        )
    assert targets("BP4") is None and targets("BP101") is None


def test_api_selects_the_new_rule_with_a_warning():
    rules = list(SHIPPED.values())
    new = RENUMBERED["BP512"]
    with pytest.warns(RedirectWarning, match=f"BP512 has been renumbered to {new}"):
        chosen = select_rules(rules, select=["BP512"])
    assert [r.code for r in chosen] == [new]
    with pytest.warns(RedirectWarning):
        chosen = select_rules(rules, select=["BP5"])
    assert sorted(r.code for r in chosen) == sorted(RENUMBERED.values())
    with pytest.warns(RedirectWarning):
        chosen = select_rules(rules, select=["BP2"], ignore=["BP514"])
    codes = {r.code for r in chosen}
    assert RENUMBERED["BP514"] not in codes and "BP201" in codes


def test_cli_old_code_selects_the_new_rule_with_a_one_line_warning(capsys):
    assert main(["rules", "--json", "--select", "BP501"]) == 0
    captured = capsys.readouterr()
    codes = [r["code"] for p in json.loads(captured.out)["packs"] for r in p["rules"]]
    assert codes == ["BP410"]
    assert captured.err == (
        "clean-articles: warning: clean-articles: --select: BP501 has been renumbered to "
        "BP410; select BP410 instead\n"
    )


def test_configuration_old_code_still_cleans(tmp_path: Path, capsys):
    """A configuration written for the old numbering cleans as before."""
    (tmp_path / "clean-articles.toml").write_text('select = ["BP512"]\n', encoding="utf-8")
    article = tmp_path / "a.txt"
    text = "The council met on Monday to vote on the budget.\n"
    article.write_text(text + "Get the Example newsletter delivered to your inbox!\n")
    out = tmp_path / "out"
    assert main([str(article), str(out)]) == 0
    assert (out / "a.txt").read_text(encoding="utf-8") == text
    err = capsys.readouterr().err
    assert f"BP512 has been renumbered to {RENUMBERED['BP512']}" in err
    assert f"{tmp_path / 'clean-articles.toml'}:1:" in err
