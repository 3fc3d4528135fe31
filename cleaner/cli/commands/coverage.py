"""``clean-articles rules --coverage CORPUS``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from ...api import Cleaner
from ...loader import Pack
from ...restore import LOG_DIR
from ..parser import EXIT_FAILED, EXIT_OK, cli_selection
from ..plan import articles, require_existing


def coverage_command(args: argparse.Namespace, packs: Sequence[Pack]) -> int:
    """``clean-articles rules --coverage CORPUS [--json]``: see :mod:`cleaner.coverage`."""
    corpus = Path(args.coverage)
    require_existing([corpus])
    cleaner = Cleaner(
        packs, selection=[cli_selection(args)], include_disabled=args.include_disabled
    )

    def failed(path: Path, reason: str) -> None:
        print(f"{path}: error: {reason}", file=sys.stderr)

    from ... import coverage

    found = coverage.measure(cleaner, articles(corpus, corpus / LOG_DIR), failed, args.lang)
    if args.json:
        document = coverage.coverage_document(found)
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(coverage.coverage_table(found))
    return EXIT_FAILED if found.failed else EXIT_OK
