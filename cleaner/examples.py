"""Runs the examples every rule carries (LanguageTool style).

- Each ``[[rule.fix]]`` input must come out as its output, and the rule must
  have fired. The rule runs with its fix applied whatever its safety, followed
  by the shipped layout rules (whitespace tidying), so examples read like
  finished text instead of showing the gaps a dropped line leaves. Layout
  rules themselves run alone.
- Each ``keep`` look-alike must not trigger the rule at all.

Examples run in the rule's first language and, for translation rules, its
first source language, with the damage guard off (``force``): they test the
rule, and a short example is mostly debris by design.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from .engine import Engine
from .guard import Safeguards
from .loader import load_rules
from .rule import Rule, Safety

#: Examples test rules, not the damage guard.
EXAMPLE_SAFEGUARDS = Safeguards(force=True)
LAYOUT_ACTIONS = ("trailing-spaces", "blank-line-runs", "document-start", "document-end")


def layout_rules() -> list[Rule]:
    """The shipped whitespace rules that tidy up after a drop."""
    return [
        r
        for pack in load_rules()
        for r in pack.rules
        if r.kind == "whitespace" and r.params.action in LAYOUT_ACTIONS
    ]


def _lang(rule: Rule) -> str | None:
    return None if "*" in rule.languages else rule.languages[0]


def _source(rule: Rule) -> str | None:
    return rule.source_langs[0] if rule.source_langs else None


def check_rule(rule: Rule, tidy: Sequence[Rule] | None = None) -> list[str]:
    """Problems with one rule's examples (empty when they all hold)."""
    if tidy is None:
        tidy = layout_rules()
    forced = dataclasses.replace(rule, safety=Safety.SAFE)
    helpers = [r for r in tidy if r.code != rule.code] if rule.kind != "whitespace" else []
    problems = []
    with_tidy = Engine([forced, *helpers], safeguards=EXAMPLE_SAFEGUARDS)
    for n, example in enumerate(rule.fixes, 1):
        result = with_tidy.clean(example.input, lang=_lang(rule), source_lang=_source(rule))
        if not any(e.code == rule.code for e in result.edits):
            problems.append(f"{rule.origin}: {rule.code} fix example {n}: the rule did not fire")
        elif result.text != example.output:
            problems.append(
                f"{rule.origin}: {rule.code} fix example {n}: got {result.text!r}, "
                f"expected {example.output!r}"
            )
    alone = Engine([forced], safeguards=EXAMPLE_SAFEGUARDS)
    for n, text in enumerate(rule.keeps, 1):
        result = alone.clean(text, lang=_lang(rule), source_lang=_source(rule))
        fired = [e for e in result.edits if e.code == rule.code]
        if fired:
            problems.append(
                f"{rule.origin}: {rule.code} keep example {n} was changed: "
                f"{fired[0].before!r} -> {fired[0].after!r}"
            )
    return problems


def check_rules(rules: Iterable[Rule]) -> list[str]:
    tidy = layout_rules()
    return [p for rule in rules for p in check_rule(rule, tidy)]
