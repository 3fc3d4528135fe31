"""Command line: ``clean-articles IN OUT``, linter modes and rule tooling.

Modes:

- ``clean-articles IN OUT`` mirrors IN (a file or a directory tree) into OUT
  with every article cleaned, and writes the change log under
  ``OUT/.clean-articles/``: ``changes.jsonl`` (one JSON record per change or
  finding) and ``changes.diff`` (one unified diff per changed file). The log
  directory is hidden and holds no article-like files, so a glob of OUT for
  articles does not pick it up.
- ``clean-articles --fix PATH...`` cleans files in place (atomically, CRLF
  kept) and prints what changed; nothing else is written into the tree.
- ``clean-articles --check PATH...`` writes nothing and lists what would
  change; ``--diff`` prints the unified diff instead. Both exit 1 when
  something would change, as ``ruff format --check/--diff`` do.
- Subcommands: ``rules`` (list or ``--json`` export), ``rule CODE`` (docs and
  examples), ``test-rules PATH...`` (run a pack's examples).

A first argument that names a subcommand is that subcommand, unless it is
also an existing path and the rest of the command line does not fit the
subcommand: ``clean-articles rules OUT`` still mirrors a directory named
``rules`` (the ``rules`` subcommand takes no path). ``./rules`` always means
the path.

Settings come from the command line and from the nearest configuration file
of each article (see :mod:`cleaner.config`). Everything is resolved before
anything is written, so a configuration or rule-pack error (exit 2) leaves
the files untouched.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from . import __version__
from .api import Cleaner
from .changelog import Edit, jsonl, unified_diff
from .config import (
    ConfigError,
    ConfigFinder,
    FileSettings,
    Options,
    Selection,
    absolute,
    ignored_by,
    resolve_selection,
    settings_for,
)
from .engine import CleanResult
from .examples import check_rules
from .loader import Pack, RuleFileError, default_rules_dir, load_rules, pack_files
from .output import (
    OUTPUT_FORMATS,
    Change,
    Progress,
    family_counts,
    format_changes,
    format_statistics,
    rule_page,
    rules_document,
    rules_table,
)

LOG_DIR = ".clean-articles"
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
#: What a directory stands for in --fix/--check/--diff (files named explicitly always count).
ARTICLE_SUFFIX = ".txt"

EPILOG = f"""\
modes:
  IN OUT             mirror IN (file or directory) into OUT, every article cleaned;
                     the change log goes to OUT/{LOG_DIR}/ (changes.jsonl, changes.diff)
  --fix PATH...      clean in place (a directory stands for its *{ARTICLE_SUFFIX} files,
                     hidden ones skipped) and list what changed
  --check PATH...    write nothing; list what would change (path:line:col: CODE name: ...)
  --diff PATH...     write nothing; print a unified diff of what would change

subcommands (a first argument naming one is the subcommand unless it is an existing
path and the rest does not fit the subcommand; ./rules always means the path):
  rules [--json]     list the rules, or export every pack as JSON
  rule CODE          a rule's documentation and examples
  test-rules PATH... run the examples of rule packs (with the shipped packs loaded,
                     for duplicate codes)

configuration: [tool.clean-articles] in pyproject.toml, or clean-articles.toml
(which wins in the same directory); the nearest one above each article applies.
Keys: select, extend-select, ignore, unsafe-fixes, rules, no-default-rules, lang,
source-lang, per-file-ignores, per-file-source-lang. Command-line flags win.

Findings no fix applies to (report-only rules, unsafe fixes without --unsafe-fixes)
are listed but leave the exit code alone: --check passes exactly when --fix would
change nothing. Listings go to stdout, the one-line summary and errors to stderr.

exit codes:
  0  nothing to change, everything fixed, or IN OUT done
  1  --check/--diff found something to change, or a file could not be read or written
     (test-rules: an example does not hold)
  2  usage, configuration or rule-pack error (rule: unknown code)
"""


class UsageError(Exception):
    """A command line argparse rejects; raised instead of exiting, so main() decides."""

    def __init__(self, parser: argparse.ArgumentParser, message: str) -> None:
        super().__init__(message)
        self.parser = parser


class MissingPath(Exception):
    """A PATH, IN or rule pack the command line names does not exist (exit 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(self, message)


# --- parsers --------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The cleaning command line: ``IN OUT`` or ``--fix/--check/--diff PATH...``."""
    parser = _Parser(
        prog="clean-articles",
        usage="%(prog)s IN OUT [options]\n"
        "       %(prog)s (--fix | --check | --diff) PATH... [options]\n"
        "       %(prog)s rules [--json] | rule CODE | test-rules PATH...",
        description="Clean scraped, machine-translated news articles; log every change.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="IN OUT, or files/directories")
    modes = parser.add_argument_group("mode (default: IN OUT)").add_mutually_exclusive_group()
    modes.add_argument("--fix", action="store_true", help="clean the files in place")
    modes.add_argument("--check", action="store_true", help="list what would change; exit 1 if any")
    modes.add_argument("--diff", action="store_true", help="print the diff; exit 1 if any")
    rules = parser.add_argument_group("rules")
    _add_rule_source_options(rules)
    _add_selection_options(rules)
    rules.add_argument(
        "--unsafe-fixes",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also apply fixes marked unsafe (default: from config, else no)",
    )
    rules.add_argument("--lang", help="document language (ISO 639-1); default: detect per file")
    rules.add_argument(
        "--source-lang",
        help="language the articles were machine-translated from (ISO 639-1), or 'none' "
        "(never infer); default: inferred per file from evidence in the text, else unknown",
    )
    rules.add_argument("--isolated", action="store_true", help="ignore configuration files")
    output = parser.add_argument_group("output")
    output.add_argument(
        "--output-format",
        choices=OUTPUT_FORMATS,
        help="how --fix/--check list changes (default: text)",
    )
    output.add_argument(
        "--statistics", action="store_true", help="count per rule instead of listing changes"
    )
    output.add_argument(
        "-q", "--quiet", action="store_true", help="print only errors (and --diff/--statistics)"
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


# argparse's groups take add_argument like the parser itself.
ArgumentTarget = argparse.ArgumentParser | argparse._ArgumentGroup


def _add_rule_source_options(parser: ArgumentTarget) -> None:
    parser.add_argument(
        "--rules",
        action="append",
        default=[],
        metavar="PATH",
        help="extra rule pack file or directory",
    )
    parser.add_argument(
        "--no-default-rules", action="store_true", help="do not load the shipped packs"
    )


def _add_selection_options(parser: ArgumentTarget) -> None:
    parser.add_argument(
        "--select", action="append", metavar="CODE", help="only these codes or prefixes"
    )
    parser.add_argument(
        "--extend-select", action="append", metavar="CODE", help="add these codes or prefixes"
    )
    parser.add_argument(
        "--ignore", action="append", metavar="CODE", help="skip these codes or prefixes"
    )


def _rules_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="clean-articles rules",
        description="List the rules: code, name, kind, safety, languages.",
        epilog="--json prints {'format': 'clean-articles-rules', 'version': 1, 'packs': [...]}.",
    )
    parser.add_argument("--json", action="store_true", help="export the packs as JSON")
    _add_rule_source_options(parser)
    _add_selection_options(parser)
    return parser


def _rule_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="clean-articles rule", description="Show a rule's documentation and examples."
    )
    parser.add_argument("code", metavar="CODE", help="rule code (BP101) or name")
    _add_rule_source_options(parser)
    return parser


def _test_rules_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="clean-articles test-rules",
        description="Load rule packs and run their examples. Exit 0: all hold; 1: an "
        "example fails; 2: a pack does not load.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="rule pack file or directory")
    parser.add_argument(
        "--no-default-rules",
        action="store_true",
        help="do not load the shipped packs alongside (no duplicate-code check against them)",
    )
    return parser


# --- entry point ------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        subcommand = _subcommand(arguments)
        if subcommand is not None:
            handler, args = subcommand
            return handler(args)
        return _clean_command(build_parser().parse_args(arguments))
    except UsageError as exc:
        exc.parser.print_usage(sys.stderr)
        print(f"{exc.parser.prog}: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (ConfigError, RuleFileError, MissingPath) as exc:
        print(exc, file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # `clean-articles --check . | head`: the reader left; stop quietly
        # (and keep Python from complaining again when it flushes at exit).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FAILED


Handler = Callable[[argparse.Namespace], int]


def _subcommand(arguments: list[str]) -> tuple[Handler, argparse.Namespace] | None:
    """The subcommand the arguments name, or None for the cleaning command line."""
    commands: dict[str, tuple[Callable[[], argparse.ArgumentParser], Handler]] = {
        "rules": (_rules_parser, list_rules),
        "rule": (_rule_parser, show_rule),
        "test-rules": (_test_rules_parser, test_rules),
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


# --- cleaning: plan -------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One article to clean, and how."""

    path: Path
    shown: str  # the name used in output: relative to IN, or as the user wrote it
    cleaner: Cleaner
    lang: str | None = None
    source_lang: str | None = None


@dataclass
class Reporting:
    """What the user asked to see."""

    output_format: str = "text"
    statistics: bool = False
    quiet: bool = False


def _split(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def cli_selection(args: argparse.Namespace) -> Selection:
    """The command line's --select/--extend-select/--ignore, a layer over the configuration."""
    select, extend, ignore = _split(args.select), _split(args.extend_select), _split(args.ignore)
    return Selection(
        select=tuple(select) if select is not None else None,
        extend_select=tuple(extend or ()),
        ignore=tuple(ignore or ()),
        origins={
            "select": "clean-articles: --select",
            "extend-select": "clean-articles: --extend-select",
            "ignore": "clean-articles: --ignore",
        },
    )


def cli_options(args: argparse.Namespace) -> Options:
    """The command line's settings, which win over the configuration files."""
    return Options(
        selection=cli_selection(args),
        unsafe_fixes=args.unsafe_fixes,
        rules=tuple(Path(p) for p in args.rules),
        no_default_rules=True if args.no_default_rules else None,
        lang=args.lang,
        source_lang=args.source_lang,
    )


class Cleaners:
    """Builds one :class:`Cleaner` per distinct effective settings, and packs once per source."""

    def __init__(self) -> None:
        self._packs: dict[tuple[tuple[Path, ...], bool], list[Pack]] = {}
        self._by_settings: dict[tuple, Cleaner] = {}
        self._by_rules: dict[tuple, Cleaner] = {}

    def packs(self, rule_paths: tuple[Path, ...], include_default: bool) -> list[Pack]:
        key = (tuple(absolute(p) for p in rule_paths), include_default)
        if key not in self._packs:
            self._packs[key] = load_rules(rule_paths, include_default=include_default)
        return self._packs[key]

    def for_settings(self, settings: FileSettings) -> Cleaner:
        packs = self.packs(settings.rule_paths, settings.include_default)
        ignores = tuple(entry.value for entry in settings.per_file_ignores)
        key = (id(packs), settings.selections, ignores, settings.unsafe_fixes)
        if key not in self._by_settings:
            self._by_settings[key] = self._build(packs, settings)
        return self._by_settings[key]

    def _build(self, packs: list[Pack], settings: FileSettings) -> Cleaner:
        codes = [rule.code for pack in packs for rule in pack.rules]
        _check_selectors(_written_selectors(settings), codes)
        chosen = resolve_selection(codes, settings.selections)
        for entry in settings.per_file_ignores:
            chosen -= ignored_by(codes, entry.value)
        # Settings written differently can still pick the same rules: one Cleaner.
        key = (id(packs), chosen, settings.unsafe_fixes)
        if key not in self._by_rules:
            # Exact codes, with everything else ignored: an exact code is the
            # most specific prefix, so the api's prefix contest keeps this set
            # (even when it is empty, where select=[] alone would mean "all").
            self._by_rules[key] = Cleaner(
                packs,
                select=sorted(chosen),
                ignore=sorted(set(codes) - chosen),
                unsafe_fixes=settings.unsafe_fixes,
            )
        return self._by_rules[key]


def _written_selectors(settings: FileSettings) -> list[tuple[str, str]]:
    """Every selector of the settings, with where it was written."""
    written = [s for layer in settings.selections for s in layer.selectors()]
    written += [(code, e.origin) for e in settings.per_file_ignores for code in e.value]
    return written


def _check_selectors(written: Iterable[tuple[str, str]], codes: list[str]) -> None:
    """A selector no loaded rule matches is a typo: say where it was written."""
    for selector, origin in written:
        if not any(code.startswith(selector) for code in codes):
            raise ConfigError(f"{origin}: no rule code starts with {selector!r}")


def plan(files: Iterable[tuple[Path, str]], cli: Options, *, isolated: bool) -> list[Job]:
    """A job per file with its effective settings (raises ConfigError/RuleFileError)."""
    finder = ConfigFinder()
    cleaners = Cleaners()
    jobs = []
    for path, shown in files:
        config = None if isolated else finder.for_file(path)
        settings = settings_for(path, config, cli)
        cleaner = cleaners.for_settings(settings)
        jobs.append(Job(path, shown, cleaner, settings.lang, settings.source_lang))
    if not jobs:
        # Nothing to clean, but a --rules pack that does not load is still an error.
        cleaners.packs(cli.rules, not cli.no_default_rules)
    return jobs


def articles(source: Path, target: Path) -> list[tuple[Path, str]]:
    """(path, relative name) of every article under ``source``, sorted (IN OUT mode)."""
    if source.is_file():
        return [(source, source.name)]
    found = []
    for root, dirs, files in os.walk(source):
        root_path = Path(root)
        # Never descend into our own log, or into OUT when it sits inside IN.
        dirs[:] = sorted(
            d for d in dirs if d != LOG_DIR and (root_path / d).resolve() != target.resolve()
        )
        for name in sorted(files):
            path = root_path / name
            found.append((path, path.relative_to(source).as_posix()))
    return found


def lint_targets(paths: Sequence[str]) -> list[tuple[Path, str]]:
    """(path, shown name) of the files --fix/--check/--diff work on, each once.

    Files named explicitly always count (pre-commit passes exactly the files
    to check); a directory stands for its ``*.txt`` files, skipping hidden
    files and directories (``.git``, ``.venv``, our own log).
    """
    found: list[tuple[Path, str]] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = absolute(path)
        if key not in seen:
            seen.add(key)
            found.append((path, str(path)))

    for given in paths:
        path = Path(given)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.endswith(ARTICLE_SUFFIX) and not name.startswith("."):
                        add(Path(root) / name)
        else:
            add(path)
    return found


# --- cleaning: run ------------------------------------------------------------------------


@dataclass
class Outcome:
    """One article read and cleaned."""

    job: Job
    original: str
    cleaned: str
    result: CleanResult

    @property
    def changed(self) -> bool:
        return self.cleaned != self.original

    def changes(self) -> list[Change]:
        """Changes and findings in reading order (the engine lists them by pass)."""
        edits = sorted([*self.result.edits, *self.result.findings], key=_position)
        return [Change(self.job.shown, e) for e in edits]


def _position(edit: Edit) -> tuple[int, int]:
    return edit.line, edit.column


def clean_file(job: Job) -> Outcome:
    """Read and clean one article; line endings stay as they were (raises OSError/UnicodeError)."""
    original = read_article(job.path)
    text, newline = original.replace("\r\n", "\n"), "\r\n" if "\r\n" in original else "\n"
    result = job.cleaner.clean(text, lang=job.lang, source_lang=job.source_lang)
    if not result.converged:
        print(
            f"{job.path}: warning: rules did not converge after {result.rounds} rounds",
            file=sys.stderr,
        )
    cleaned = result.text.replace("\n", newline) if newline != "\n" else result.text
    return Outcome(job, original, cleaned, result)


@dataclass
class Tally:
    """Counts for the summary line."""

    read: int = 0
    changed: int = 0
    failed: int = 0
    edits: list[Edit] = field(default_factory=list)
    findings: int = 0


def _each_outcome(jobs: Sequence[Job], tally: Tally, progress: Progress) -> Iterable[Outcome]:
    """Clean the jobs in order; unreadable files are named on stderr and skipped."""
    for job in jobs:
        tally.read += 1
        try:
            outcome = clean_file(job)
        except (OSError, UnicodeDecodeError) as exc:
            progress.clear()
            print(f"{job.path}: error: {_reason(exc)}", file=sys.stderr)
            tally.failed += 1
            progress.advance()
            continue
        tally.edits.extend(outcome.result.edits)
        tally.findings += len(outcome.result.findings)
        yield outcome
        progress.advance()
    progress.clear()


def run(
    cleaner: Cleaner,
    source: Path,
    target: Path,
    *,
    lang: str | None = None,
    source_lang: str | None = None,
) -> int:
    """``IN OUT`` with one cleaner for every article (kept for callers of the old API)."""
    files = articles(source, target)
    jobs = [Job(path, rel, cleaner, lang, source_lang) for path, rel in files]
    return mirror(jobs, target, Reporting())


def mirror(jobs: Sequence[Job], target: Path, reporting: Reporting) -> int:
    """``IN OUT``: write every cleaned article under ``target`` and the log beside them."""
    log_dir = target / LOG_DIR
    log_dir.mkdir(parents=True, exist_ok=True)
    tally = Tally()
    log_parts: list[str] = []
    diff_parts: list[str] = []
    listed: list[Change] = []
    progress = Progress(len(jobs), enabled=not reporting.quiet)
    for outcome in _each_outcome(jobs, tally, progress):
        rel, result = outcome.job.shown, outcome.result
        write_atomic(target / rel, outcome.cleaned)
        log_parts.append(jsonl([*result.edits, *result.findings], rel))
        listed.extend(outcome.changes())
        if result.edits:
            tally.changed += 1
            diff_parts.append(unified_diff(outcome.original, outcome.cleaned, rel))
    write_atomic(log_dir / "changes.jsonl", "".join(log_parts))
    write_atomic(log_dir / "changes.diff", "".join(diff_parts))
    if reporting.statistics:
        sys.stdout.write(format_statistics(listed, reporting.output_format))
    if not reporting.quiet:
        families = family_counts(tally.edits)
        summary = (
            f"clean-articles: {tally.read} files read, {tally.changed} changed, "
            f"{len(tally.edits)} changes"
        )
        if families:
            summary += f" ({families})"
        if tally.failed:
            summary += f", {tally.failed} failed"
        print(summary, file=sys.stderr)
    return EXIT_FAILED if tally.failed else EXIT_OK


def lint(jobs: Sequence[Job], mode: str, reporting: Reporting) -> int:
    """``--fix``, ``--check`` or ``--diff`` over the jobs; see the exit codes in EPILOG."""
    tally = Tally()
    listed: list[Change] = []
    progress = Progress(len(jobs), enabled=not reporting.quiet)
    show_listing = not reporting.quiet and not reporting.statistics and mode != "diff"
    streaming = reporting.output_format != "json"
    for outcome in _each_outcome(jobs, tally, progress):
        changes = outcome.changes()
        listed.extend(changes)
        if outcome.changed:
            if mode == "fix" and not _write_in_place(outcome.job.path, outcome.cleaned):
                tally.failed += 1
                continue
            tally.changed += 1
            if mode == "diff":
                progress.clear()
                sys.stdout.write(unified_diff(outcome.original, outcome.cleaned, outcome.job.shown))
        if show_listing and streaming and changes:
            progress.clear()
            sys.stdout.write(format_changes(changes, reporting.output_format))
    if show_listing and not streaming:
        sys.stdout.write(format_changes(listed, reporting.output_format))
    if reporting.statistics:
        sys.stdout.write(format_statistics(listed, reporting.output_format))
    sys.stdout.flush()
    if not reporting.quiet:
        print(_lint_summary(tally, mode), file=sys.stderr)
    if tally.failed or (mode != "fix" and tally.changed):
        return EXIT_FAILED
    return EXIT_OK


def _lint_summary(tally: Tally, mode: str) -> str:
    verb = "fixed" if mode == "fix" else "would change"
    summary = (
        f"clean-articles: {tally.read} files checked, {tally.changed} {verb}, "
        f"{len(tally.edits)} changes"
    )
    families = family_counts(tally.edits)
    if families:
        summary += f" ({families})"
    if tally.findings:
        summary += f", {tally.findings} findings not fixed"
    if tally.failed:
        summary += f", {tally.failed} failed"
    return summary


def _write_in_place(path: Path, text: str) -> bool:
    """Replace an article's content, keeping its mode and writing through symlinks."""
    try:
        write_atomic(path.resolve(), text, keep_mode=True)
    except OSError as exc:
        print(f"{path}: error: cannot write: {_reason(exc)}", file=sys.stderr)
        return False
    return True


def _clean_command(args: argparse.Namespace) -> int:
    parser = build_parser()
    mode = "fix" if args.fix else "check" if args.check else "diff" if args.diff else None
    reporting = Reporting(args.output_format or "text", args.statistics, args.quiet)
    cli = cli_options(args)
    if mode is None:
        if len(args.paths) != 2:
            raise UsageError(parser, "expected IN OUT, or --fix/--check/--diff PATH...")
        if args.output_format is not None:
            raise UsageError(
                parser, f"--output-format needs --fix or --check (IN OUT logs to OUT/{LOG_DIR}/)"
            )
        source, target = Path(args.paths[0]), Path(args.paths[1])
        _require_existing([source])
        jobs = plan(articles(source, target), cli, isolated=args.isolated)
        return mirror(jobs, target, reporting)
    if not args.paths:
        raise UsageError(parser, f"--{mode} needs at least one PATH")
    _require_existing(Path(p) for p in args.paths)
    jobs = plan(lint_targets(args.paths), cli, isolated=args.isolated)
    return lint(jobs, mode, reporting)


def _require_existing(paths: Iterable[Path]) -> None:
    for path in paths:
        if not path.exists():
            raise MissingPath(f"clean-articles: error: {path}: no such file or directory")


# --- subcommands ---------------------------------------------------------------------


def _selected_codes(args: argparse.Namespace, packs: Sequence[Pack]) -> set[str] | None:
    if args.select is None and args.extend_select is None and args.ignore is None:
        return None
    codes = [rule.code for pack in packs for rule in pack.rules]
    layer = cli_selection(args)
    _check_selectors(layer.selectors(), codes)
    return set(resolve_selection(codes, [layer]))


def list_rules(args: argparse.Namespace) -> int:
    """``clean-articles rules [--json]``."""
    packs = load_rules(args.rules, include_default=not args.no_default_rules)
    selected = _selected_codes(args, packs)
    if args.json:
        document = rules_document(packs, selected)
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    rules = [r for pack in packs for r in pack.rules if selected is None or r.code in selected]
    sys.stdout.write(rules_table(sorted(rules, key=lambda r: r.code)))
    return EXIT_OK


def show_rule(args: argparse.Namespace) -> int:
    """``clean-articles rule CODE``: the rule's docs; exit 2 for an unknown code."""
    packs = load_rules(args.rules, include_default=not args.no_default_rules)
    wanted = args.code
    for rule in (r for pack in packs for r in pack.rules):
        if wanted in (rule.code, rule.name):
            sys.stdout.write(rule_page(rule))
            return EXIT_OK
    print(f"clean-articles: error: unknown rule {wanted!r}", file=sys.stderr)
    return EXIT_USAGE


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
    names = {str(f) for f in tested_files}
    rules = [rule for pack in packs if pack.path in names for rule in pack.rules]
    problems = check_rules(rules)
    for problem in problems:
        print(problem)
    examples = sum(len(r.fixes) + len(r.keeps) for r in rules)
    print(
        f"clean-articles: {len(rules)} rules, {examples} examples, {len(problems)} problems",
        file=sys.stderr,
    )
    return EXIT_FAILED if problems else EXIT_OK


# --- files ------------------------------------------------------------------------------


def read_article(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def _reason(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"not valid UTF-8 (byte {exc.start})"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, text: str, *, keep_mode: bool = False) -> None:
    """Write to a temporary file beside ``path`` and rename: never a half-written file.

    ``keep_mode`` gives the new file the old one's permissions; otherwise it
    gets the usual permissions of a new file (0666 less the umask), not the
    private ones of a temporary file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        if keep_mode and path.exists():
            shutil.copymode(path, tmp)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
