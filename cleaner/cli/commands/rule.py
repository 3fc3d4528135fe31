"""``clean-articles rule CODE``."""

from __future__ import annotations

import argparse
import sys

from ...loader import load_rules
from ...output import rule_page
from ..parser import EXIT_OK, EXIT_USAGE


def show_rule(args: argparse.Namespace) -> int:
    """``clean-articles rule CODE``: the rule's docs; exit 2 for an unknown code."""
    packs = load_rules(args.rules, include_default=not args.no_default_rules)
    wanted = args.code
    rules = [r for pack in packs for r in pack.rules]
    exact = [rule for rule in rules if wanted in (rule.code, rule.name)]
    folded = [r for r in rules if wanted.casefold() in (r.code.casefold(), r.name.casefold())]
    if len(exact) == 1 or (not exact and len(folded) == 1):
        sys.stdout.write(rule_page((exact or folded)[0]))
        return EXIT_OK
    if len(exact or folded) > 1:
        codes = ", ".join(rule.code for rule in exact or folded)
        print(f"clean-articles: error: {wanted!r} names several rules: {codes}", file=sys.stderr)
        return EXIT_USAGE
    print(f"clean-articles: error: unknown rule {wanted!r}", file=sys.stderr)
    return EXIT_USAGE
