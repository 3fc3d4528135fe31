"""Which files are articles: one definition for every mode.

``IN OUT``, ``--fix``/``--check``/``--diff`` on a directory, JSONL directory
runs, ``suggest`` and ``rules --coverage`` all walk a tree with
:class:`ArticleFiles`:

- a file is an article when its path relative to the walked directory
  matches one of the ``include`` globs (default ``*.txt``; ``*.jsonl`` and
  ``*.jsonl.gz`` for a JSONL corpus) and none of the ``exclude`` globs;
- hidden files and hidden directories (``.git``, ``.hg``, ``.svn``,
  ``.venv``, our own ``.clean-articles`` log) are never entered or taken,
  whatever the globs say;
- every other file is *skipped*: not cleaned, not copied into OUT. A
  ``meta.json``, a CSV, a README or a script beside the articles comes out
  untouched because nothing reads or writes it.

A file named explicitly on the command line (the files pre-commit passes,
a single-file IN) is always taken: whoever named it chose it.

Globs follow the configuration's (:func:`cleaner.config.glob_matches`): a
glob without ``/`` matches the file name in any directory, ``**`` crosses
directories.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .atomic import is_temporary
from .config import absolute, glob_matches

#: What a directory stands for by default.
TEXT_INCLUDE = ("*.txt",)
JSONL_INCLUDE = ("*.jsonl", "*.jsonl.gz")

#: (path, name relative to the walked directory, why it cannot be read or ``None``)
Found = tuple[Path, str, str | None]


@dataclass(frozen=True)
class ArticleFiles:
    """The include/exclude globs that pick the articles of a directory."""

    include: tuple[str, ...] = TEXT_INCLUDE
    exclude: tuple[str, ...] = ()

    def takes(self, relative: str) -> bool:
        """Whether the file at ``relative`` (``/``-separated) is an article."""
        if any(part.startswith(".") for part in relative.split("/")):
            return False
        if not any(glob_matches(glob, relative) for glob in self.include):
            return False
        return not any(glob_matches(glob, relative) for glob in self.exclude)


def article_files(
    include: Sequence[str] | None, exclude: Sequence[str] | None, jsonl: bool = False
) -> ArticleFiles:
    """The selection the command line asks for (``None``: the default of the format)."""
    default = JSONL_INCLUDE if jsonl else TEXT_INCLUDE
    return ArticleFiles(tuple(include) if include else default, tuple(exclude or ()))


#: ``*.txt``, the default of every text mode.
TEXT_ARTICLES = ArticleFiles()


@dataclass
class Discovery:
    """The articles of a tree, and how many other files were skipped."""

    found: list[Found] = field(default_factory=list)
    skipped: int = 0


def discover(source: Path, skip: Path | None, files: ArticleFiles = TEXT_ARTICLES) -> Discovery:
    """The articles under ``source`` (IN OUT, corpora), sorted by relative name.

    ``skip`` (OUT inside IN) is not entered, nor are temporary files of an
    interrupted write taken. Symbolic links are followed only while they
    stay inside ``source``: a link leading out of it, a broken link and a
    link loop are listed with the problem (reported, counted as failed) when
    they would have been taken; a linked directory inside is not entered (its
    files are reached by their own path).
    """
    if not source.is_dir():
        shown, problem = named(source.name)
        return Discovery([(source, shown, problem)])  # named explicitly
    found = Discovery()
    base = source.resolve()
    skip_dir = skip.resolve() if skip is not None else None
    for root, dirs, names in os.walk(source):
        root_path = Path(root)
        kept = []
        for name in sorted(dirs):
            path = root_path / name
            if name.startswith(".") or path.resolve() == skip_dir:
                continue
            if path.is_symlink():
                problem = link_problem(path, base)
                if problem is not None:
                    found.found.append((path, relative(path, source), problem))
                continue
            kept.append(name)
        dirs[:] = kept
        for name in sorted(names):
            if is_temporary(name):
                continue
            path = root_path / name
            shown = relative(path, source)
            if not files.takes(shown):
                found.skipped += not name.startswith(".")
                continue
            shown, problem = named(shown)
            if problem is None and path.is_symlink():
                problem = link_problem(path, base)
            found.found.append((path, shown, problem))
    found.found.sort(key=lambda item: item[1])
    return found


def relative(path: Path, source: Path) -> str:
    return path.relative_to(source).as_posix()


def printable(text: str) -> str:
    """``text`` with the undecodable bytes of a file name escaped (``\\xff``), for messages."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def named(shown: str) -> tuple[str, str | None]:
    """A file's name as the log and the messages can hold it, and why it is refused if it is.

    A name with bytes that are not UTF-8 (Python holds them as lone
    surrogates) cannot be written into the JSON log, so the file could not be
    reverted: it is refused, named with those bytes escaped (``bad\\xff.txt``).
    """
    try:
        shown.encode("utf-8")
    except UnicodeEncodeError:
        return printable(shown), "file name is not valid UTF-8 (no log could name it); not cleaned"
    return shown, None


def link_problem(path: Path, base: Path) -> str | None:
    """Why a symbolic link under IN is not followed (``None``: it is fine, or not a link)."""
    if not path.is_symlink():
        return None
    try:
        real = path.resolve(strict=True)
    except RuntimeError:
        return "symlink loop; not followed"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink loop; not followed"
        return f"broken symlink ({exc.strerror}); not followed"
    if real != base and base.resolve() not in real.parents:
        return f"symlink to {real}, outside IN; not followed"
    return None


def lint_targets(
    paths: Sequence[str], files: ArticleFiles = TEXT_ARTICLES
) -> list[tuple[Path, str]]:
    """(path, shown name) of the files --fix/--check/--diff work on, each once.

    Files named explicitly always count (pre-commit passes exactly the files
    to check); a directory stands for its articles (:class:`ArticleFiles`).
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
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    candidate = Path(root) / name
                    if files.takes(relative(candidate, path)) and not is_temporary(name):
                        add(candidate)
        else:
            add(path)
    return found
