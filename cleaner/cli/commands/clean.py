"""The cleaning command line: ``IN OUT`` and ``--fix/--check/--diff PATH...``."""

from __future__ import annotations

import argparse
import importlib.util
import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ... import jsonl
from ...config import Options
from ...discovery import discover, lint_targets
from ...executors import executor
from ...fixlog import FixLog
from ...outlock import locked, locked_files
from ...restore import LOG_DIR
from ..driver import Reporting, clean_corpus, lint, mirror
from ..parser import UsageError, build_parser, cli_article_files, cli_options
from ..plan import (
    check_in_out,
    corpus_format,
    plan,
    require_existing,
    with_logged_source_languages,
    with_remembered_source_languages,
)

if TYPE_CHECKING:
    from ...report import RunInfo


def clean_command(args: argparse.Namespace, arguments: Sequence[str] = ()) -> int:
    mode = "fix" if args.fix else "check" if args.check else "diff" if args.diff else None
    reporting = Reporting(args.output_format or "text", args.statistics, args.quiet)
    if args.report is not None:
        from ...report import HtmlReport

        reporting.report = HtmlReport(Path(args.report), _run_info(args, mode, arguments))
        try:
            code = _clean_mode(args, mode, reporting)
        except BaseException:
            reporting.report.abort()
            raise
        reporting.report.close()
        return code
    return _clean_mode(args, mode, reporting)


def _run_info(args: argparse.Namespace, mode: str | None, arguments: Sequence[str]) -> RunInfo:
    """What the HTML report's header says about this run."""
    from ...report import RunInfo

    command = shlex.join(["clean-articles", *arguments])
    if mode is None and len(args.paths) == 2:
        return RunInfo(command, [args.paths[0]], args.paths[1])
    return RunInfo(command, list(args.paths), mode=f"--{mode}" if mode else "IN OUT")


def _clean_mode(args: argparse.Namespace, mode: str | None, reporting: Reporting) -> int:
    parser = build_parser()
    cli = cli_options(args)
    if args.engine == "ray" and importlib.util.find_spec("ray") is None:
        raise UsageError(
            parser, "--engine ray needs Ray: pip install '.[ray]' in a clean-articles checkout"
        )
    if mode is None:
        if len(args.paths) != 2 and args.statistics:
            raise UsageError(
                parser,
                "--statistics counts what a run fixes and finds, per rule; it needs a mode",
                "clean-articles --check --statistics PATH... (writes nothing), "
                "or clean-articles IN OUT --statistics",
            )
        if len(args.paths) != 2:
            raise UsageError(parser, "expected IN OUT, or --fix/--check/--diff PATH...")
        if args.output_format is not None:
            raise UsageError(
                parser, f"--output-format needs --fix or --check (IN OUT logs to OUT/{LOG_DIR}/)"
            )
        source, target = Path(args.paths[0]), Path(args.paths[1])
        require_existing([source])
        check_in_out(source, target)
        if corpus_format(args, source) == "jsonl":
            if reporting.report is not None:
                raise UsageError(parser, "--report shows text files; a JSONL corpus has none")
            with locked(target / LOG_DIR):
                return _clean_jsonl(args, source, target, cli, reporting)
        found = discover(source, target, cli_article_files(args))
        jobs = plan(found.found, cli, isolated=args.isolated, force=args.force)
        runner = executor(args.engine, args.jobs, len(jobs))
        with locked(target / LOG_DIR):
            return mirror(jobs, target, reporting, runner, skipped=found.skipped)
    if args.log is not None and mode != "fix":
        raise UsageError(parser, f"--log goes with --fix (IN OUT logs to OUT/{LOG_DIR}/)")
    if not args.paths:
        raise UsageError(parser, f"--{mode} needs at least one PATH")
    if corpus_format(args, None) == "jsonl" or any(jsonl.is_jsonl(Path(p)) for p in args.paths):
        raise UsageError(parser, f"--{mode} works on text files; clean a JSONL corpus with IN OUT")
    require_existing(Path(p) for p in args.paths)
    targets = lint_targets(args.paths, cli_article_files(args))
    jobs = plan(targets, cli, isolated=args.isolated, force=args.force)
    fixing = [path for path, _ in targets] if mode == "fix" else []
    with locked_files(map(Path, args.paths), fixing):
        log = None
        if args.log is not None:
            jobs = with_logged_source_languages(jobs, Path(args.log))
            log = FixLog(Path(args.log))
        if mode == "fix":
            jobs = with_remembered_source_languages(jobs)
        return lint(jobs, mode, reporting, executor(args.engine, args.jobs, len(jobs)), log=log)


def _clean_jsonl(
    args: argparse.Namespace, source: Path, target: Path, cli: Options, reporting: Reporting
) -> int:
    """``IN OUT`` over a JSONL corpus (see :mod:`cleaner.jsonl`)."""
    files = jsonl.corpus_files(source, target, cli_article_files(args, jsonl_corpus=True))
    jobs = plan(files, cli, isolated=args.isolated, force=args.force)
    options = jsonl.Options(args.text_field or jsonl.TEXT_FIELD, args.id_field)
    return clean_corpus(jobs, target, reporting, executor(args.engine, args.jobs), options)
