"""``clean-articles suggest CORPUS``."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from ...api import Cleaner
from ...atomic import AtomicFile
from ...codes import RESERVED_PREFIXES
from ...loader import load_rules
from ...output import plural
from ...restore import LOG_DIR
from ..parser import EXIT_FAILED, EXIT_OK, UsageError, suggest_parser
from ..plan import articles, require_existing


def suggest_command(args: argparse.Namespace) -> int:
    """``clean-articles suggest CORPUS -o rules.toml``: see :mod:`cleaner.suggest`."""
    from ... import suggest

    corpus = Path(args.corpus)
    require_existing([corpus])
    if not re.fullmatch(r"[A-Z]{1,4}", args.prefix) or args.prefix.startswith(RESERVED_PREFIXES):
        raise UsageError(suggest_parser(), f"--prefix must be 1-4 capital letters: {args.prefix}")
    existing = Cleaner(load_rules(args.rules, include_default=not args.no_default_rules))

    def failed(path: Path, reason: str) -> None:
        print(f"{path}: error: {reason}", file=sys.stderr)

    mined = suggest.mine(articles(corpus, corpus / LOG_DIR), on_error=failed)
    thresholds = suggest.Thresholds(min_docs=max(1, args.min_docs), min_share=args.min_share)
    report = suggest.suggest(
        mined, thresholds=thresholds, existing=existing, lang=args.lang, prefix=args.prefix
    )
    if args.output is None:
        sys.stdout.write(report.toml)
    else:
        with AtomicFile(Path(args.output)) as out:
            out.write(report.toml.encode("utf-8"))
            out.commit()
    print(
        f"clean-articles: {plural(mined.documents, 'document')} in "
        f"{plural(len(mined.sites), 'site')} read, {plural(len(report.rules), 'rule')} "
        f"suggested (disabled), {plural(len(report.covered), 'line')} already covered"
        + (f", {mined.failed} failed" if mined.failed else ""),
        file=sys.stderr,
    )
    return EXIT_FAILED if mined.failed else EXIT_OK
