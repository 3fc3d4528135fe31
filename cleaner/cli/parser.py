"""The command line's grammar: the cleaning parser, the subcommands' parsers, argument types."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn, TypeVar

from .. import __version__, jsonl
from ..config import Options
from ..discovery import TEXT_INCLUDE, ArticleFiles, article_files
from ..executors import ENGINES
from ..langcodes import language_code
from ..output import OUTPUT_FORMATS
from ..restore import LOG_DIR
from ..selection import Selection

T = TypeVar("T")

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


def _parsed(value: str, convert: Callable[[str], T], what: str) -> T:
    try:
        return convert(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not {what}: {value!r}") from None


def _count(value: str) -> int:
    number = _parsed(value, int, "a whole number")
    if number < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {value!r}")
    return number


def _jobs(value: str) -> int:
    number = _count(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {value!r}")
    return number


def _seconds(value: str) -> float:
    seconds = _parsed(value, float, "a number of seconds")
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


def rules_parser() -> argparse.ArgumentParser:
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


def rule_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="clean-articles rule", description="Show a rule's documentation and examples."
    )
    parser.add_argument("code", metavar="CODE", help="rule code (BP101) or name")
    _add_rule_source_options(parser)
    return parser


def test_rules_parser() -> argparse.ArgumentParser:
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


def revert_parser() -> argparse.ArgumentParser:
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


def suggest_parser() -> argparse.ArgumentParser:
    from .. import suggest

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
