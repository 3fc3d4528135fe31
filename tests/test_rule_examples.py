"""Every example of every shipped rule holds (LanguageTool style)."""

from __future__ import annotations

import pytest

from cleaner import load_rules
from cleaner.examples import check_rule, layout_rules

RULES = [rule for pack in load_rules() for rule in pack.rules]
TIDY = layout_rules()


@pytest.mark.parametrize("rule", RULES, ids=[r.code for r in RULES])
def test_rule_examples(rule):
    assert check_rule(rule, TIDY) == []


def test_every_rule_has_both_kinds_of_example():
    for rule in RULES:
        assert rule.fixes, rule.code
        assert rule.keeps, rule.code


def test_codes_follow_family_convention():
    for rule in RULES:
        family = rule.family
        assert family in {"BD", "BP", "GL", "MJ", "ND", "RP", "TR", "WS"} or (
            family.startswith("BP") and len(family) == 4  # BPFR, BPDE, ...: a language's pack
        ), rule.code


def test_a_broken_example_is_reported(write_pack):
    from conftest import MINIMAL_RULE

    from cleaner.loader import load_pack

    wrong = MINIMAL_RULE.replace('output = "Text.\\nMore.\\n"', 'output = "Text.\\n"')
    rule = load_pack(write_pack(wrong)).rules[0]
    problems = check_rule(rule, TIDY)
    assert len(problems) == 1 and "fix example 1" in problems[0]

    leaky = MINIMAL_RULE.replace('keep = ["MARKER inside a sentence."]', 'keep = ["MARKER"]')
    rule = load_pack(write_pack(leaky)).rules[0]
    assert "keep example 1 was changed" in check_rule(rule, TIDY)[0]
