"""No shipped rule may cost much more than an ordinary rule: the ratio, in one run.

Each rule whose cost is its pattern runs alone over the bundled samples, as the
engine runs it (bench/rule_cost.py), and is compared with a reference rule timed
in the same run; a rule over ``MAX_RATIO`` times the reference is a rule to
rewrite (anchored literals first, a gate literal, no leading scan, no nested
quantifiers). A ratio measured in one process, not a time limit.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from rule_cost import (  # noqa: E402
    MAX_RATIO,
    PATTERN_KINDS,
    cost,
    documents_of,
    reference_rule,
    sample_texts,
)

from cleaner.loader import load_rules  # noqa: E402


def test_no_pattern_rule_costs_more_than_five_ordinary_rules():
    docs = documents_of(sample_texts())
    reference = cost(reference_rule(), docs, repeat=5)
    rules = [r for pack in load_rules() for r in pack.rules if r.kind in PATTERN_KINDS]
    assert len(rules) > 200
    over = {r.code: cost(r, docs, repeat=3) / reference for r in rules}
    over = {code: ratio for code, ratio in over.items() if ratio > MAX_RATIO}
    # A busy machine can slow one measurement: look again, more carefully, before failing.
    reference = min(reference, cost(reference_rule(), docs, repeat=5))
    again = {r.code: cost(r, docs, repeat=7) / reference for r in rules if r.code in over}
    assert {code: round(ratio, 1) for code, ratio in again.items() if ratio > MAX_RATIO} == {}
