"""The entry point: picks the subcommand or the cleaning command line, maps errors to exit codes."""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from ..config import ConfigError
from ..executors import WorkerError
from ..loader import RuleFileError
from ..outlock import OutputBusy
from .commands.clean import clean_command
from .commands.revert import revert_command
from .commands.rule import show_rule
from .commands.rules import list_rules
from .commands.suggest import suggest_command
from .commands.test_rules import test_rules
from .parser import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    MissingPath,
    UsageError,
    build_parser,
    revert_parser,
    rule_parser,
    rules_parser,
    suggest_parser,
    test_rules_parser,
)

# The report, rule-example checker and suggest modules are imported where they are
# used: a one-file --check (a pre-commit hook) needs none of them.


# --- entry point ------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    with warnings.catch_warnings():
        # Warnings (a renumbered rule code, cleaner.redirects) as one line each.
        warnings.showwarning = _print_warning
        return _main(argv)


def _print_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    print(f"clean-articles: warning: {message}", file=sys.stderr)


def _main(argv: Sequence[str] | None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        subcommand = _subcommand(arguments)
        if subcommand is not None:
            handler, args = subcommand
            return handler(args)
        return clean_command(build_parser().parse_args(arguments), arguments)
    except UsageError as exc:
        if not exc.hint:
            exc.parser.print_usage(sys.stderr)
        print(f"{exc.parser.prog}: error: {exc}", file=sys.stderr)
        if exc.hint:
            print(f"  hint: {exc.hint}", file=sys.stderr)
        return EXIT_USAGE
    except (ConfigError, RuleFileError, MissingPath, OutputBusy) as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # `clean-articles --check . | head`: the reader left; stop quietly
        # (and keep Python from complaining again when it flushes at exit).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FAILED
    except WorkerError as exc:
        print(f"clean-articles: error: {exc}; the log was not written", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        # Ctrl-C: every output is written through a temporary file and renamed, so
        # each file is whole or untouched; no traceback, the shell's exit status.
        print("clean-articles: interrupted; no file was left half written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:
        # Per-file problems are reported per file; this is OUT or its log not writable.
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"clean-articles: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED


Handler = Callable[[argparse.Namespace], int]


def _subcommand(arguments: list[str]) -> tuple[Handler, argparse.Namespace] | None:
    """The subcommand the arguments name, or None for the cleaning command line."""
    commands: dict[str, tuple[Callable[[], argparse.ArgumentParser], Handler]] = {
        "rules": (rules_parser, list_rules),
        "rule": (rule_parser, show_rule),
        "test-rules": (test_rules_parser, test_rules),
        "revert": (revert_parser, revert_command),
        "suggest": (suggest_parser, suggest_command),
    }
    if not arguments or arguments[0] not in commands:
        return None
    make_parser, handler = commands[arguments[0]]
    try:
        return handler, make_parser().parse_args(arguments[1:])
    except UsageError:
        # `clean-articles rules OUT` predates the subcommands: a directory of
        # that name with arguments the subcommand does not take is IN.
        if Path(arguments[0]).exists():
            return None
        raise
