"""``clean-articles revert``."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from ...fixlog import earlier_runs
from ...output import plural
from ...restore import Restored, RevertError, revert_output
from ..parser import EXIT_FAILED, EXIT_OK, EXIT_USAGE, MissingPath, UsageError, revert_parser


def revert_command(args: argparse.Namespace) -> int:
    """``clean-articles revert OUT RESTORED`` / ``revert --in-place OUT``."""
    parser = revert_parser()
    out = Path(args.out)
    if not out.is_dir():
        raise MissingPath(f"clean-articles: error: {out}: no such directory")
    dest = None if args.in_place else Path(args.restored)
    if dest is not None and dest.resolve() == out.resolve():
        raise UsageError(parser, "RESTORED is OUT: use --in-place to restore over OUT")
    if dest is not None and dest.exists() and not dest.is_dir():
        raise MissingPath(f"clean-articles: error: {dest} exists and is not a directory")
    counts: Counter = Counter()

    def report(result: Restored) -> None:
        counts[result.status] += 1
        if result.failed:
            print(f"{out / result.file}: error: {result.reason}", file=sys.stderr)

    try:
        revert_output(out, dest, in_place=args.in_place, on_file=report)
    except RevertError as exc:
        print(f"clean-articles: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not args.quiet:
        restored = counts["restored"] + counts["copied"]
        summary = (
            f"clean-articles: {plural(restored, 'file')} restored ({counts['copied']} unchanged)"
        )
        if counts["already"]:
            summary += f", {counts['already']} already reverted"
        if counts["failed"]:
            summary += f", {counts['failed']} failed"
        print(summary, file=sys.stderr)
        runs = earlier_runs(out) if args.in_place else []
        if runs:
            print(
                f"clean-articles: the run before this one is logged in {runs[-1]} "
                f"(clean-articles revert --in-place {runs[-1]} undoes it)",
                file=sys.stderr,
            )
    return EXIT_FAILED if counts["failed"] else EXIT_OK
