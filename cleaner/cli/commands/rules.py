"""``clean-articles rules [--json]``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from ...loader import Pack, load_rules
from ...output import rules_document, rules_table
from ...selection import resolve
from ..parser import EXIT_OK, cli_selection
from ..plan import check_selectors
from .coverage import coverage_command


def _selected_codes(args: argparse.Namespace, packs: Sequence[Pack]) -> set[str] | None:
    if args.select is None and args.extend_select is None and args.ignore is None:
        return None
    codes = [rule.code for pack in packs for rule in pack.rules]
    layer = cli_selection(args)
    check_selectors([layer], codes)
    return set(resolve(codes, [layer]))


def list_rules(args: argparse.Namespace) -> int:
    """``clean-articles rules [--json]``."""
    packs = load_rules(args.rules, include_default=not args.no_default_rules)
    selected = _selected_codes(args, packs)
    if args.coverage is not None:
        return coverage_command(args, packs)
    if args.json:
        document = rules_document(packs, selected)
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    rules = [r for pack in packs for r in pack.rules if selected is None or r.code in selected]
    sys.stdout.write(rules_table(sorted(rules, key=lambda r: r.code)))
    return EXIT_OK
