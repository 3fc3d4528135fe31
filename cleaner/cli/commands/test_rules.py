"""``clean-articles test-rules PATH...``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ...loader import RuleFileError, default_rules_dir, load_rules, pack_files
from ...output import plural
from ..parser import EXIT_FAILED, EXIT_OK
from ..plan import print_pack_warnings


def test_rules(args: argparse.Namespace) -> int:
    """``clean-articles test-rules PATH...``: load the packs and run their examples."""
    tested_files: list[Path] = []
    tested: set[Path] = set()
    for given in args.paths:
        path = Path(given)
        if not path.exists():
            raise RuleFileError([f"{path}:0: no such rule file or directory"])
        for file in pack_files(path):
            if file.resolve() not in tested:
                tested.add(file.resolve())
                tested_files.append(file)
    # The shipped packs load alongside, for duplicate codes and names, but a
    # shipped pack under test (`test-rules rules/` in this repository) loads once.
    shipped = [] if args.no_default_rules else pack_files(default_rules_dir())
    others = [f for f in shipped if f.resolve() not in tested]
    packs = load_rules([*others, *tested_files], include_default=False)
    print_pack_warnings(p for p in packs if p.path in {str(f) for f in tested_files})
    names = {str(f) for f in tested_files}
    rules = [rule for pack in packs if pack.path in names for rule in pack.rules]
    from ...examples import check_rules

    problems = check_rules(rules)
    for problem in problems:
        print(problem)
    examples = sum(len(r.fixes) + len(r.keeps) for r in rules)
    print(
        f"clean-articles: {plural(len(rules), 'rule')}, {plural(examples, 'example')}, "
        f"{plural(len(problems), 'problem')}",
        file=sys.stderr,
    )
    return EXIT_FAILED if problems else EXIT_OK
