"""Command line: ``clean-articles IN OUT``, linter modes and rule tooling.

Modes:

- ``clean-articles IN OUT`` mirrors IN (a file or a directory tree) into OUT
  with every article cleaned, and writes the change log under
  ``OUT/.clean-articles/``: ``changes.jsonl`` (one JSON record per change or
  finding), ``files.jsonl`` (one record per file: status, encoding, line
  endings, SHA-256 in and out; see :mod:`cleaner.runner`) and
  ``changes.diff`` (one unified diff per changed file). The log directory is
  hidden and holds no article-like files, so a glob of OUT for articles does
  not pick it up. ``clean-articles revert OUT RESTORED`` gives the inputs
  back from it, byte for byte (:mod:`cleaner.restore`).
- ``clean-articles --fix PATH...`` cleans files in place (atomically, CRLF
  kept) and prints what changed; nothing else is written into the tree.
- ``clean-articles --check PATH...`` writes nothing and lists what would
  change; ``--diff`` prints the unified diff instead. Both exit 1 when
  something would change, as ``ruff format --check/--diff`` do.
- Subcommands: ``rules`` (list or ``--json`` export; ``--coverage CORPUS``:
  how often each rule fires, :mod:`cleaner.coverage`), ``rule CODE`` (docs and
  examples), ``test-rules PATH...`` (run a pack's examples), ``revert``,
  ``suggest CORPUS`` (candidate rules mined from a corpus, :mod:`cleaner.suggest`).
- ``--report report.html`` with any cleaning mode also writes the HTML report
  (:mod:`cleaner.report`).

Every file is read by :mod:`cleaner.runner`: one that cannot be cleaned
(binary, undecodable, a FIFO, a symlink out of IN, a line too long) is named
on stderr with the reason and counted as failed (exit 1) while the others go
on; every output is written through a temporary file and renamed.

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
import dataclasses
import importlib.util
import json
import os
import re
import shlex
import shutil
import sys
import tempfile
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import __version__, jsonl
from .api import Cleaner
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
from .discovery import (
    TEXT_ARTICLES,
    TEXT_INCLUDE,
    ArticleFiles,
    Found,
    article_files,
    discover,
    lint_targets,
    printable,
)
from .executors import ENGINES, Executor, Serial, WorkerError, executor
from .fixlog import FixLog, logged_source_languages
from .langcodes import language_code
from .loader import (
    RESERVED_PREFIXES,
    Pack,
    RuleFileError,
    default_rules_dir,
    load_rules,
    pack_files,
)
from .outlock import OutputBusy, locked, locked_files
from .output import (
    OUTPUT_FORMATS,
    Change,
    format_changes,
    format_rule_counts,
    plural,
    rule_page,
    rules_document,
    rules_table,
)
from .progress import Progress, total_size
from .restore import LOG_DIR, Restored, RevertError, revert_output
from .runner import DECODE_FALLBACK, FileRun, Output
from .textio import AtomicFile, Source, sniff
from .tree import FileTask, clean_task

if TYPE_CHECKING:
    from .report import HtmlReport, ReportArticle, RunInfo

# The report, rule-example checker and suggest modules are imported where they are
# used: a one-file --check (a pre-commit hook) needs none of them.

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
#: 128 + SIGINT, what a shell reports for a program stopped by Ctrl-C.
EXIT_INTERRUPTED = 130
#: What a directory stands for by default (files named explicitly always count).
ARTICLE_SUFFIX = TEXT_INCLUDE[0].removeprefix("*")

EPILOG = """\
subcommands (a first argument naming one is the subcommand, unless it is an existing path
and the rest does not fit the subcommand; ./rules always means the path):
  rules [--json]     list the rules, or export every pack as JSON
  rules --coverage CORPUS [--json] [--include-disabled]
                     how often each rule fires on CORPUS (nothing written)
  rule CODE          a rule's documentation and examples
  test-rules PATH... run the examples of rule packs
  suggest CORPUS [-o RULES.toml]
                     candidate rules (disabled) from lines a site's articles repeat
  revert OUT RESTORED | revert --in-place OUT
                     give back the inputs of an IN OUT run byte for byte, from its log

A file that is not text (binary, undecodable, a FIFO, a symlink out of IN) is named on
stderr and skipped; the others are still processed. Encodings, BOMs and line endings are
written back as they were; every file is written to a temporary file and renamed.
Findings no fix applies to are listed but leave the exit code alone. Listings go to
stdout; the one-line summary, progress and errors to stderr.

configuration: [tool.clean-articles] in pyproject.toml, or clean-articles.toml; the
nearest one above each article applies, and command-line flags win.

exit codes:
  0  nothing to change, everything fixed, or IN OUT done
  1  --check/--diff found something to change, a file could not be read or written,
     or a rule ran out of regex time (test-rules: an example does not hold;
     revert: a file could not be restored)
  2  usage, configuration or rule-pack error (rule: unknown code); OUT is IN; revert:
     no usable log
"""


class UsageError(Exception):
    """A command line argparse rejects; raised instead of exiting, so main() decides."""

    def __init__(self, parser: argparse.ArgumentParser, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.parser = parser
        #: What to type instead; given, it replaces the usage block.
        self.hint = hint


class MissingPath(Exception):
    """A PATH, IN or rule pack the command line names does not exist (exit 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(self, message)


# --- parsers --------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The cleaning command line: ``IN OUT`` or ``--fix/--check/--diff PATH...``.

    Options are grouped as ruff groups them: modes, rule selection, output,
    safety, then input format and parallelism.
    """
    parser = _Parser(
        prog="clean-articles",
        usage="%(prog)s IN OUT [options]\n"
        "       %(prog)s (--fix | --check | --diff) PATH... [options]\n"
        "       %(prog)s rules [--json] [--coverage CORPUS] | rule CODE | test-rules PATH...\n"
        "       %(prog)s revert OUT RESTORED | revert --in-place OUT\n"
        "       %(prog)s suggest CORPUS [-o RULES.toml]",
        description="Clean scraped, machine-translated news articles; log every change.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="IN OUT, or files/directories")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    modes = parser.add_argument_group(
        "modes",
        f"IN OUT (the default) mirrors IN into OUT, every article cleaned, and logs every\n"
        f"change in OUT/{LOG_DIR}/; IN may be a JSONL corpus. The others take files and\n"
        f"directories (a directory stands for its *{ARTICLE_SUFFIX} files, hidden ones skipped).",
    ).add_mutually_exclusive_group()
    modes.add_argument("--fix", action="store_true", help="clean the files in place")
    modes.add_argument("--check", action="store_true", help="list what would change; exit 1 if any")
    modes.add_argument("--diff", action="store_true", help="print the diff; exit 1 if any")
    rules = parser.add_argument_group("rule selection")
    _add_selection_options(rules)
    _add_rule_source_options(rules)
    rules.add_argument(
        "--lang", type=_language, help="document language (ISO 639-1); default: detect per file"
    )
    rules.add_argument(
        "--source-lang",
        type=_source_language,
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
        "--statistics",
        action="store_true",
        help="count fixes and findings per rule instead of listing changes",
    )
    output.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print only errors (and --diff/--statistics); no progress",
    )
    output.add_argument(
        "--log",
        metavar="DIR",
        help="with --fix: also write the change log (changes.jsonl, files.jsonl) into DIR, "
        "outside the tree; a later --fix with the same DIR keeps each file's source language",
    )
    output.add_argument(
        "--report",
        metavar="HTML",
        help="also write a self-contained HTML report: each article with its edits "
        "highlighted, per-rule counts, filters by rule and file",
    )
    guard = parser.add_argument_group("safety")
    guard.add_argument(
        "--unsafe-fixes",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="also apply fixes marked unsafe (default: from config, else no)",
    )
    guard.add_argument(
        "--max-prose-loss",
        type=_share,
        metavar="SHARE",
        help="damage guard: leave a document unchanged when the edits would remove more than "
        "this share of its prose (0-1 or a percentage; default 0.4)",
    )
    guard.add_argument(
        "--min-words",
        type=_count,
        metavar="N",
        help="damage guard: ... or leave fewer than N words of a text that had at least twice "
        "as many (default 50)",
    )
    guard.add_argument(
        "--force", action="store_true", help="apply the edits even where the damage guard objects"
    )
    guard.add_argument(
        "--regex-timeout",
        type=_seconds,
        metavar="SECONDS",
        help="regex time a rule group gets per pass and per started MiB of text; a rule that "
        "runs out is skipped for that document (default 1)",
    )
    _add_article_file_options(parser.add_argument_group("article files (in a directory)"))
    corpus = parser.add_argument_group("input format (IN OUT)")
    corpus.add_argument(
        "--format",
        choices=("auto", "text", "jsonl"),
        default="auto",
        help="text: each file --include picks (*.txt) is an article; jsonl: one JSON record "
        "per line, the article in --text-field. auto (default): jsonl for a *.jsonl IN or with "
        "--text-field/--id-field",
    )
    corpus.add_argument(
        "--text-field",
        metavar="NAME",
        help=f"JSONL: the field holding the article (default {jsonl.TEXT_FIELD!r})",
    )
    corpus.add_argument(
        "--id-field",
        metavar="NAME",
        help="JSONL: a field naming each record in the change log (besides its line number)",
    )
    work = parser.add_argument_group("parallelism")
    work.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        metavar="N",
        help="clean N files (or JSONL record batches) at a time, in N processes; default: all "
        "cores. Output and logs are the same for any N",
    )
    work.add_argument(
        "--engine",
        choices=ENGINES,
        default="local",
        help="local processes, or Ray actors (the ray extra: pip install '.[ray]' in a "
        "checkout; joins the cluster RAY_ADDRESS names, else starts a local one)",
    )
    return parser


def _language(value: str) -> str:
    """--lang: checked and lower-cased exactly as the configuration's ``lang``."""
    try:
        return language_code(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _source_language(value: str) -> str:
    try:
        return language_code(value, allow_none=True)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _share(value: str) -> float:
    try:
        share = float(value[:-1]) / 100 if value.endswith("%") else float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a share: {value!r}") from None
    if not 0.0 <= share <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1 (or 0% and 100%): {value!r}")
    return share


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {value!r}")
    return number


def _jobs(value: str) -> int:
    number = _count(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {value!r}")
    return number


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not seconds > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0: {value!r}")
    return seconds


# argparse's groups take add_argument like the parser itself.
ArgumentTarget = argparse.ArgumentParser | argparse._ArgumentGroup


def _add_article_file_options(parser: ArgumentTarget) -> None:
    parser.add_argument(
        "--include",
        action="append",
        metavar="GLOB",
        help="the files of a directory that are articles (repeatable; default *.txt, for a "
        "JSONL corpus *.jsonl and *.jsonl.gz); other files are skipped, never cleaned or "
        "copied; hidden files and directories (.git) always are",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        metavar="GLOB",
        help="files of a directory that are not articles even when --include matches "
        "(repeatable; a glob without / matches the file name anywhere)",
    )


def cli_article_files(args: argparse.Namespace, jsonl_corpus: bool = False) -> ArticleFiles:
    """The --include/--exclude globs (comma-separated or repeated) of the command line."""
    return article_files(_split(args.include), _split(args.exclude), jsonl=jsonl_corpus)


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
    parser.add_argument(
        "--coverage",
        metavar="CORPUS",
        help="clean CORPUS in memory (nothing written) and count how often each rule fires "
        "and in how many documents; list the rules that never fire",
    )
    parser.add_argument(
        "--include-disabled",
        action="store_true",
        help="with --coverage: also run rules marked enabled = false (suggested rules)",
    )
    parser.add_argument(
        "--lang", type=_language, help="with --coverage: document language (default: detect)"
    )
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


class _RevertParser(_Parser):
    def parse_args(self, args=None, namespace=None):  # type: ignore[override]
        parsed = super().parse_args(args, namespace)
        if (parsed.restored is None) == (not parsed.in_place):
            self.error("give RESTORED, or --in-place (not both)")
        return parsed


def _revert_parser() -> argparse.ArgumentParser:
    parser = _RevertParser(
        prog="clean-articles revert",
        usage="%(prog)s OUT RESTORED | %(prog)s --in-place OUT",
        description="Give back the inputs of an 'IN OUT' run byte for byte, from OUT and its "
        f"log (OUT/{LOG_DIR}/): into RESTORED (same tree), or over OUT's files in place. "
        "Each file is checked against the SHA-256 the run logged before and after; one that "
        "does not check out is named and left alone. Exit 0: all restored; 1: some could not "
        "be; 2: no usable log. 'revert --in-place DIR' undoes a '--fix --log DIR' run in place.",
    )
    parser.add_argument(
        "out", metavar="OUT", help="the OUT directory of an IN OUT run (or a --fix --log DIR)"
    )
    parser.add_argument("restored", nargs="?", metavar="RESTORED", help="where to restore to")
    parser.add_argument("--in-place", action="store_true", help="restore over OUT's files instead")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    return parser


def _suggest_parser() -> argparse.ArgumentParser:
    from . import suggest

    parser = _Parser(
        prog="clean-articles suggest",
        description="Mine CORPUS for lines that repeat across the articles of a site (a site "
        "is a top-level directory of CORPUS) and write candidate line-drop rules, disabled "
        "(enabled = false), with examples from the corpus, for a person to review. Lines the "
        "loaded rules already remove are listed as comments. Exit 0: written; 1: some "
        "articles could not be read (the others were mined).",
    )
    parser.add_argument("corpus", metavar="CORPUS", help="directory of articles (or one file)")
    parser.add_argument(
        "-o", "--output", metavar="RULES.toml", help="where to write the pack (default: stdout)"
    )
    parser.add_argument(
        "--min-docs",
        type=_count,
        default=suggest.MIN_DOCS,
        metavar="N",
        help=f"a line must be in at least N documents of a site (default {suggest.MIN_DOCS})",
    )
    parser.add_argument(
        "--min-share",
        type=_share,
        default=suggest.MIN_SHARE,
        metavar="SHARE",
        help="... and in at least this share of the site's documents "
        f"(default {suggest.MIN_SHARE})",
    )
    parser.add_argument(
        "--prefix",
        default=suggest.CODE_PREFIX,
        help=f"code prefix of the suggested rules (default {suggest.CODE_PREFIX})",
    )
    parser.add_argument(
        "--lang", type=_language, help="corpus language for the already-covered check"
    )
    _add_rule_source_options(parser)
    return parser


# --- entry point ------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        subcommand = _subcommand(arguments)
        if subcommand is not None:
            handler, args = subcommand
            return handler(args)
        return _clean_command(build_parser().parse_args(arguments), arguments)
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
        "rules": (_rules_parser, list_rules),
        "rule": (_rule_parser, show_rule),
        "test-rules": (_test_rules_parser, test_rules),
        "revert": (_revert_parser, revert_command),
        "suggest": (_suggest_parser, suggest_command),
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
    """One article to clean, and how (``problem``: why it cannot be, found while listing)."""

    path: Path
    shown: str  # the name used in output: relative to IN, or as the user wrote it
    cleaner: Cleaner | None
    lang: str | None = None
    source_lang: str | None = None
    problem: str | None = None


#: What listing the files found: (path, shown name, problem or None).


@dataclass
class Reporting:
    """What the user asked to see."""

    output_format: str = "text"
    statistics: bool = False
    quiet: bool = False
    report: HtmlReport | None = None


def _split(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _codes(values: list[str] | None) -> list[str] | None:
    """Rule codes or prefixes, upper-cased: ``bp101`` can only mean ``BP101``."""
    split = _split(values)
    return None if split is None else [value.upper() for value in split]


def cli_selection(args: argparse.Namespace) -> Selection:
    """The command line's --select/--extend-select/--ignore, a layer over the configuration."""
    select, extend, ignore = _codes(args.select), _codes(args.extend_select), _codes(args.ignore)
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
        max_prose_loss=args.max_prose_loss,
        min_words=args.min_words,
        regex_timeout=args.regex_timeout,
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
            print_pack_warnings(self._packs[key])
        return self._packs[key]

    def for_settings(self, settings: FileSettings) -> Cleaner:
        packs = self.packs(settings.rule_paths, settings.include_default)
        ignores = tuple(entry.value for entry in settings.per_file_ignores)
        key = (id(packs), settings.selections, ignores, settings.unsafe_fixes, settings.safeguards)
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
        key = (id(packs), chosen, settings.unsafe_fixes, settings.safeguards)
        if key not in self._by_rules:
            # Exact codes, with everything else ignored: an exact code is the
            # most specific prefix, so the api's prefix contest keeps this set
            # (even when it is empty, where select=[] alone would mean "all").
            self._by_rules[key] = Cleaner(
                packs,
                select=sorted(chosen),
                ignore=sorted(set(codes) - chosen),
                unsafe_fixes=settings.unsafe_fixes,
                safeguards=settings.safeguards,
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


def plan(
    files: Iterable[tuple[Path, str] | Found],
    cli: Options,
    *,
    isolated: bool,
    force: bool = False,
) -> list[Job]:
    """A job per file with its effective settings (raises ConfigError/RuleFileError)."""
    finder = ConfigFinder()
    cleaners = Cleaners()
    jobs = []
    for path, shown, *rest in files:
        problem = rest[0] if rest else None
        if problem is not None:
            jobs.append(Job(path, shown, None, problem=problem))
            continue
        config = None if isolated else finder.for_file(path)
        settings = settings_for(path, config, cli, force=force)
        cleaner = cleaners.for_settings(settings)
        jobs.append(Job(path, shown, cleaner, settings.lang, settings.source_lang))
    if not jobs:
        # Nothing to clean, but a --rules pack that does not load is still an error.
        cleaners.packs(cli.rules, not cli.no_default_rules)
    return jobs


def articles(source: Path, target: Path, files: ArticleFiles = TEXT_ARTICLES) -> list[Found]:
    """(path, relative name, problem) of every article under ``source`` (IN OUT mode).

    The articles are what :mod:`cleaner.discovery` says (default ``*.txt``,
    hidden files and directories skipped); the change log's directory and
    OUT inside IN are not entered.
    """
    return discover(source, target, files).found


# --- cleaning: run ------------------------------------------------------------------------


@dataclass
class Tally:
    """Counts for the summary line."""

    read: int = 0
    changed: int = 0
    failed: int = 0
    edits: int = 0
    families: Counter = field(default_factory=Counter)
    rules: Counter = field(default_factory=Counter)
    findings: int = 0
    empty: int = 0
    guarded: int = 0
    timeouts: int = 0
    fallbacks: int = 0

    def add(self, run: FileRun) -> None:
        self.edits += run.edits
        self.families.update(run.families)
        self.rules.update(run.rules)
        self.findings += run.findings
        self.empty += run.status == "empty"
        self.guarded += run.status == "guarded"
        self.timeouts += run.timeouts
        self.fallbacks += any(n.code == DECODE_FALLBACK[0] for n in run.notes)

    def extras(self) -> str:
        """The summary's tail: what went wrong or was held back, when anything was."""
        parts = []
        if self.empty:
            parts.append(f"{self.empty} empty")
        if self.fallbacks:
            parts.append(f"{self.fallbacks} read as cp1252")
        if self.guarded:
            parts.append(f"{self.guarded} left unchanged by the damage guard")
        if self.timeouts:
            parts.append(plural(self.timeouts, "rule timeout"))
        if self.failed:
            parts.append(f"{self.failed} failed")
        return "".join(f", {part}" for part in parts)

    @property
    def exit_code(self) -> int:
        return EXIT_FAILED if self.failed or self.timeouts else EXIT_OK


def _report(job: Job, run: FileRun, progress: Progress) -> None:
    """A file's errors and warnings on stderr, one line each, named by path."""
    lines = []
    if run.failed:
        lines.append(f"{job.path}: error: {run.reason}")
    lines.extend(f"{job.path}: warning: {message}" for message in run.warnings)
    lines.extend(f"{job.path}: warning: {n.code} {n.name}: {n.message}" for n in run.notes)
    if lines:
        progress.clear()
        print(printable("\n".join(lines)), file=sys.stderr)


def _account(
    job: Job,
    run: FileRun,
    tally: Tally,
    progress: Progress,
    report: HtmlReport | None = None,
    article: ReportArticle | None = None,
) -> None:
    """Count one cleaned (or failed) file and report it (also in the HTML report)."""
    tally.read += 1
    tally.add(run)
    if run.failed:
        tally.failed += 1
    if report is not None:
        report.finish(run, article)
    _report(job, run, progress)
    progress.advance(run.record.get("input_size", 0))


def _progress(jobs: Sequence[Job], reporting: Reporting) -> Progress:
    """Files and bytes to go, on stderr (nothing with --quiet); see :mod:`cleaner.progress`."""
    if reporting.quiet:
        return Progress(len(jobs), enabled=False)
    return Progress(len(jobs), total_size(job.path for job in jobs if job.problem is None))


def _cleaner_index(jobs: Sequence[Job]) -> tuple[list[Cleaner], dict[int, int]]:
    """The distinct cleaners of the jobs (sent to each worker once) and each one's index."""
    cleaners: list[Cleaner] = []
    index: dict[int, int] = {}
    for job in jobs:
        if job.cleaner is not None and id(job.cleaner) not in index:
            index[id(job.cleaner)] = len(cleaners)
            cleaners.append(job.cleaner)
    return cleaners, index


def _task(job: Job, index: dict[int, int], **kwargs) -> FileTask:
    cleaner = None if job.cleaner is None else index[id(job.cleaner)]
    return FileTask(job.path, job.shown, cleaner, job.lang, job.source_lang, job.problem, **kwargs)


class _Log:
    """The change log of an IN OUT run, written as it goes and committed at the end."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.changes = AtomicFile(directory / "changes.jsonl")
        self.diff = AtomicFile(directory / "changes.diff")
        self.files = AtomicFile(directory / "files.jsonl")

    def commit(self) -> None:
        for part in (self.changes, self.diff, self.files):
            part.commit()

    def abort(self) -> None:
        for part in (self.changes, self.diff, self.files):
            part.abort()


def mirror(
    jobs: Sequence[Job],
    target: Path,
    reporting: Reporting,
    runner: Executor | None = None,
    *,
    skipped: int = 0,
) -> int:
    """``IN OUT``: write every cleaned article under ``target`` and the log beside them.

    Articles and log are written through temporary files and renamed; files
    already in OUT are overwritten only where an article goes, never deleted.
    The articles are cleaned by ``runner`` (default: serial); results come
    back in input order, so the log is the same whatever the executor.
    """
    runner = runner or Serial()
    tally = Tally()
    progress = _progress(jobs, reporting)
    log = _Log(target / LOG_DIR)
    out_root = target.resolve()
    # Strings, not Paths: a Path object costs several times its text, once per file.
    inputs = {str(_real(job.path)) for job in jobs if job.problem is None}
    cleaners, index = _cleaner_index(jobs)
    spill = Path(tempfile.mkdtemp(prefix=".spill-", dir=target / LOG_DIR))
    planned: deque[Job] = deque()

    def tasks() -> Iterator[FileTask]:
        for job in jobs:
            destination = target / job.shown
            problem = job.problem or _destination_problem(destination, out_root, inputs)
            if problem is None:
                destination.parent.mkdir(parents=True, exist_ok=True)
            else:
                job = dataclasses.replace(job, problem=problem)
            planned.append(job)
            yield _task(
                job,
                index,
                output=Output(target=destination),
                changes="log",
                diff=True,
                spill=spill,
                report=reporting.report is not None,
            )

    try:
        for done in runner.map(clean_task, cleaners, tasks()):
            job = planned.popleft()
            _account(job, done.run, tally, progress, reporting.report, done.article)
            # A file's records reach the log only if the file was written whole.
            for part, sink in ((done.records, log.changes), (done.diff, log.diff)):
                if part is None:
                    continue
                if done.run.failed:
                    part.discard()
                    continue
                for block in part.blocks():
                    sink.write(block)
            log.files.write(
                (json.dumps(done.run.record, ensure_ascii=False) + "\n").encode("utf-8")
            )
            if done.run.changed:
                tally.changed += 1
        progress.clear()
        log.commit()
    except BaseException:
        log.abort()
        raise
    finally:
        shutil.rmtree(spill, ignore_errors=True)
    if reporting.statistics:
        sys.stdout.write(format_rule_counts(tally.rules, reporting.output_format))
    if not reporting.quiet:
        summary = (
            f"clean-articles: {plural(tally.read, 'file')} read, {tally.changed} changed, "
            f"{plural(tally.edits, 'change')}"
        )
        families = _families(tally.families)
        if families:
            summary += f" ({families})"
        if skipped:
            summary += f", {skipped} other files skipped (not articles)"
        print(summary + tally.extras(), file=sys.stderr)
    return tally.exit_code


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def _destination_problem(destination: Path, out_root: Path, inputs: set[str]) -> str | None:
    """Why an article must not be written to ``destination`` (``None``: it may).

    Not through a symlinked directory leading out of OUT, and never over a
    file of IN (OUT may contain IN).
    """
    parent = destination.parent
    existing = parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    real = existing.resolve()
    if real != out_root and out_root not in real.parents:
        return f"cannot write: {parent} leads outside OUT (a symlink?); not written"
    if str(_real(destination)) in inputs:
        return "cannot write: the output would overwrite an input file; not written"
    return None


def _families(families: Counter) -> str:
    return ", ".join(f"{family} {n}" for family, n in sorted(families.items()))


def lint(
    jobs: Sequence[Job],
    mode: str,
    reporting: Reporting,
    runner: Executor | None = None,
    *,
    log: FixLog | None = None,
) -> int:
    """``--fix``, ``--check`` or ``--diff`` over the jobs; see the exit codes in EPILOG."""
    runner = runner or Serial()
    tally = Tally()
    listed: list[Change] = []
    progress = _progress(jobs, reporting)
    show_listing = not reporting.quiet and not reporting.statistics and mode != "diff"
    streaming = reporting.output_format != "json"
    cleaners, index = _cleaner_index(jobs)
    output = None
    if mode == "fix":
        # In place: through symlinks, keeping the file's permissions, synced to disk.
        output = Output(durable=True, write_unchanged=False, keep_mode=True)

    def task(job: Job) -> FileTask:
        out = None if output is None else dataclasses.replace(output, target=job.path.resolve())
        return _task(
            job, index, output=out, diff=mode == "diff", report=reporting.report is not None
        )

    for job, done in zip(jobs, runner.map(clean_task, cleaners, map(task, jobs)), strict=True):
        run = done.run
        _account(job, run, tally, progress, reporting.report, done.article)
        if log is not None:
            log.add(job.path, job.shown, run, done.edits)
        if run.failed:
            continue
        changes = [Change(job.shown, edit) for edit in done.edits]
        if run.changed:
            tally.changed += 1
            if mode == "diff" and done.diff is not None:
                progress.clear()
                for block in done.diff.blocks():
                    sys.stdout.write(block.decode("utf-8"))
        if show_listing and streaming and changes:
            progress.clear()
            sys.stdout.write(format_changes(changes, reporting.output_format))
        if show_listing and not streaming:
            listed.extend(changes)
    if log is not None:
        log.commit()  # an interrupted run leaves the previous log as it was
    progress.clear()
    if show_listing and not streaming:
        sys.stdout.write(format_changes(listed, reporting.output_format))
    if reporting.statistics:
        sys.stdout.write(format_rule_counts(tally.rules, reporting.output_format))
    sys.stdout.flush()
    if not reporting.quiet:
        print(_lint_summary(tally, mode), file=sys.stderr)
    if tally.exit_code or (mode != "fix" and tally.changed):
        return EXIT_FAILED
    return EXIT_OK


def _lint_summary(tally: Tally, mode: str) -> str:
    verb = "fixed" if mode == "fix" else "would change"
    summary = (
        f"clean-articles: {plural(tally.read, 'file')} checked, {tally.changed} {verb}, "
        f"{plural(tally.edits, 'change')}"
    )
    families = _families(tally.families)
    if families:
        summary += f" ({families})"
    if tally.findings:
        summary += f", {plural(tally.findings, 'finding')} not fixed"
    return summary + tally.extras()


def _clean_command(args: argparse.Namespace, arguments: Sequence[str] = ()) -> int:
    mode = "fix" if args.fix else "check" if args.check else "diff" if args.diff else None
    reporting = Reporting(args.output_format or "text", args.statistics, args.quiet)
    if args.report is not None:
        from .report import HtmlReport

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
    from .report import RunInfo

    """What the HTML report's header says about this run."""
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
        _require_existing([source])
        _check_in_out(source, target)
        if _corpus_format(args, source) == "jsonl":
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
    if _corpus_format(args, None) == "jsonl" or any(jsonl.is_jsonl(Path(p)) for p in args.paths):
        raise UsageError(parser, f"--{mode} works on text files; clean a JSONL corpus with IN OUT")
    _require_existing(Path(p) for p in args.paths)
    targets = lint_targets(args.paths, cli_article_files(args))
    jobs = plan(targets, cli, isolated=args.isolated, force=args.force)
    fixing = [path for path, _ in targets] if mode == "fix" else []
    with locked_files(map(Path, args.paths), fixing):
        log = None
        if args.log is not None:
            jobs = _with_logged_source_languages(jobs, Path(args.log))
            log = FixLog(Path(args.log))
        return lint(jobs, mode, reporting, executor(args.engine, args.jobs, len(jobs)), log=log)


def _with_logged_source_languages(jobs: list[Job], log_dir: Path) -> list[Job]:
    """Jobs whose source language is open take the one an earlier run's log recorded."""
    decided = logged_source_languages(log_dir)
    return [
        dataclasses.replace(job, source_lang=decided[key])
        if job.source_lang is None and (key := str(absolute(job.path))) in decided
        else job
        for job in jobs
    ]


def _corpus_format(args: argparse.Namespace, source: Path | None) -> str:
    if args.format != "auto":
        return args.format
    if args.text_field is not None or args.id_field is not None:
        return "jsonl"
    return "jsonl" if source is not None and jsonl.is_jsonl(source) else "text"


def _clean_jsonl(
    args: argparse.Namespace, source: Path, target: Path, cli: Options, reporting: Reporting
) -> int:
    """``IN OUT`` over a JSONL corpus (see :mod:`cleaner.jsonl`)."""
    files = jsonl.corpus_files(source, target, cli_article_files(args, jsonl_corpus=True))
    jobs = plan(
        files,
        cli,
        isolated=args.isolated,
        force=args.force,
    )
    options = jsonl.Options(args.text_field or jsonl.TEXT_FIELD, args.id_field)

    progress = _progress(jobs, reporting)
    if any(job.path.suffix == ".gz" for job in jobs):
        progress.total_bytes = 0  # compressed sizes say nothing of the bytes to read

    def report(line: str) -> None:
        progress.clear()
        print(printable(line), file=sys.stderr)

    runner = executor(args.engine, args.jobs)
    totals = jsonl.clean_corpus(
        jobs, target, target / LOG_DIR, runner, options, report=report, progress=progress
    )
    progress.clear()
    if reporting.statistics:
        sys.stdout.write(format_rule_counts(Counter(totals.rules), reporting.output_format))
    if not reporting.quiet:
        print(totals.summary(), file=sys.stderr)
    return EXIT_FAILED if totals.failed else EXIT_OK


def _check_in_out(source: Path, target: Path) -> None:
    """Refuse an OUT that would overwrite IN, or that cannot be a directory (exit 2)."""
    real_out = target.resolve()
    if real_out == source.resolve():
        raise MissingPath(
            f"clean-articles: error: OUT {target} is IN; give another directory (or use --fix)"
        )
    if source.is_file() and (real_out / source.name).resolve() == source.resolve():
        raise MissingPath(f"clean-articles: error: OUT {target} would overwrite IN {source}")
    if target.exists() and not target.is_dir():
        raise MissingPath(f"clean-articles: error: OUT {target} exists and is not a directory")


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
    if args.coverage is not None:
        return coverage_command(args, packs, selected)
    if args.json:
        document = rules_document(packs, selected)
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    rules = [r for pack in packs for r in pack.rules if selected is None or r.code in selected]
    sys.stdout.write(rules_table(sorted(rules, key=lambda r: r.code)))
    return EXIT_OK


def coverage_command(
    args: argparse.Namespace, packs: Sequence[Pack], selected: set[str] | None
) -> int:
    """``clean-articles rules --coverage CORPUS [--json]``: see :mod:`cleaner.coverage`."""
    corpus = Path(args.coverage)
    _require_existing([corpus])
    codes = [r.code for pack in packs for r in pack.rules]
    chosen = sorted(codes if selected is None else selected)
    cleaner = Cleaner(
        packs,
        select=chosen,
        ignore=sorted(set(codes) - set(chosen)),
        include_disabled=args.include_disabled,
    )

    def failed(path: Path, reason: str) -> None:
        print(f"{path}: error: {reason}", file=sys.stderr)

    from . import coverage

    found = coverage.measure(cleaner, articles(corpus, corpus / LOG_DIR), failed, args.lang)
    if args.json:
        document = coverage.coverage_document(found)
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(coverage.coverage_table(found))
    return EXIT_FAILED if found.failed else EXIT_OK


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
    from .examples import check_rules

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


def revert_command(args: argparse.Namespace) -> int:
    """``clean-articles revert OUT RESTORED`` / ``revert --in-place OUT``."""
    parser = _revert_parser()
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
    return EXIT_FAILED if counts["failed"] else EXIT_OK


def suggest_command(args: argparse.Namespace) -> int:
    """``clean-articles suggest CORPUS -o rules.toml``: see :mod:`cleaner.suggest`."""
    from . import suggest

    corpus = Path(args.corpus)
    _require_existing([corpus])
    if not re.fullmatch(r"[A-Z]{1,4}", args.prefix) or args.prefix.startswith(RESERVED_PREFIXES):
        raise UsageError(_suggest_parser(), f"--prefix must be 1-4 capital letters: {args.prefix}")
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


def print_pack_warnings(packs: Iterable[Pack]) -> None:
    """The loader's warnings (patterns that may backtrack), once per load, on stderr."""
    for pack in packs:
        for warning in pack.warnings:
            print(warning, file=sys.stderr)


# --- files ------------------------------------------------------------------------------


def read_article(path: Path) -> str:
    """An article's whole text, decoded as the cleaner decodes it, line breaks as they are."""
    with Source(path) as source:
        sniffed = sniff(source)
        return b"".join(source.blocks())[len(sniffed.bom) :].decode(sniffed.encoding)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
