"""Command line: ``clean-articles IN OUT``.

Mirrors IN (a file or a directory tree) into OUT with every article cleaned,
and writes the change log under ``OUT/.clean-articles/``:

- ``changes.jsonl``: one JSON record per change or finding (file, rule code
  and name, line and column in the original, before, after, safety, applied);
- ``changes.diff``: one unified diff (original -> cleaned) per changed file.

The log directory is hidden and holds no article-like files, so a glob of
OUT for articles does not pick it up. Exit codes: 0 success, 1 some files
could not be processed, 2 usage or rule-file errors.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .api import Cleaner
from .changelog import jsonl, unified_diff
from .loader import RuleFileError

LOG_DIR = ".clean-articles"
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clean-articles",
        description="Clean scraped, machine-translated news articles; log every change.",
        epilog=f"The change log is written to OUT/{LOG_DIR}/ (changes.jsonl, changes.diff).",
    )
    parser.add_argument("input", metavar="IN", help="article file or directory of articles")
    parser.add_argument("output", metavar="OUT", help="where the cleaned tree is written")
    parser.add_argument("--unsafe-fixes", action="store_true", help="also apply unsafe fixes")
    parser.add_argument("--lang", help="document language (ISO 639-1); default: detect per file")
    parser.add_argument(
        "--source-lang",
        help="language the articles were machine-translated from (ISO 639-1), or 'none' "
        "(never infer); default: inferred per file from evidence in the text, else unknown",
    )
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
    parser.add_argument(
        "--select", action="append", metavar="CODE", help="only these codes or prefixes"
    )
    parser.add_argument(
        "--ignore", action="append", metavar="CODE", help="skip these codes or prefixes"
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def _split(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    source, target = Path(args.input), Path(args.output)
    if not source.exists():
        print(f"clean-articles: error: {source}: no such file or directory", file=sys.stderr)
        return EXIT_USAGE
    try:
        cleaner = Cleaner(
            rules=args.rules,
            include_default=not args.no_default_rules,
            select=_split(args.select),
            ignore=_split(args.ignore),
            unsafe_fixes=args.unsafe_fixes,
        )
    except RuleFileError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_USAGE
    return run(cleaner, source, target, lang=args.lang, source_lang=args.source_lang)


def articles(source: Path, target: Path) -> list[tuple[Path, str]]:
    """(path, relative name) of every article under ``source``, sorted."""
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


def run(
    cleaner: Cleaner,
    source: Path,
    target: Path,
    *,
    lang: str | None = None,
    source_lang: str | None = None,
) -> int:
    files = articles(source, target)
    log_dir = target / LOG_DIR
    log_dir.mkdir(parents=True, exist_ok=True)
    changed = 0
    failed = 0
    per_family: Counter[str] = Counter()
    log_parts: list[str] = []
    diff_parts: list[str] = []
    for path, rel in files:
        try:
            original = read_article(path)
        except (OSError, UnicodeDecodeError) as exc:
            print(f"{path}: error: {_reason(exc)}", file=sys.stderr)
            failed += 1
            continue
        text, newline = original.replace("\r\n", "\n"), "\r\n" if "\r\n" in original else "\n"
        result = cleaner.clean(text, lang=lang, source_lang=source_lang)
        if not result.converged:
            print(
                f"{path}: warning: rules did not converge after {result.rounds} rounds",
                file=sys.stderr,
            )
        cleaned = result.text.replace("\n", newline) if newline != "\n" else result.text
        write_atomic(target / rel, cleaned)
        log_parts.append(jsonl([*result.edits, *result.findings], rel))
        if result.edits:
            changed += 1
            per_family.update(e.family for e in result.edits)
            diff_parts.append(unified_diff(original, cleaned, rel))
    write_atomic(log_dir / "changes.jsonl", "".join(log_parts))
    write_atomic(log_dir / "changes.diff", "".join(diff_parts))
    families = ", ".join(f"{fam} {n}" for fam, n in sorted(per_family.items()))
    total = sum(per_family.values())
    summary = f"clean-articles: {len(files)} files read, {changed} changed, {total} changes"
    if families:
        summary += f" ({families})"
    if failed:
        summary += f", {failed} failed"
    print(summary, file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK


def read_article(path: Path) -> str:
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def _reason(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"not valid UTF-8 (byte {exc.start})"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)


def write_atomic(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path`` and rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
