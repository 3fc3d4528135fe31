"""Planning a run: one job per file with its effective settings, the safety checks on IN,
OUT and each destination, before anything is written.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .. import fixmemory, jsonl
from ..api import Cleaner
from ..config import ConfigError, ConfigFinder, FileSettings, Options, absolute, settings_for
from ..discovery import TEXT_ARTICLES, ArticleFiles, Found, discover
from ..fixlog import logged_source_languages
from ..loader import Pack, load_rules
from ..selection import Selection, resolve, unmatched
from ..textio import InputError, Source, sha256_of, sniff
from .parser import MissingPath

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
        check_selectors(settings.layers, codes)
        chosen = resolve(codes, settings.layers)
        # Settings written differently can still pick the same rules: one Cleaner.
        key = (id(packs), chosen, settings.unsafe_fixes, settings.safeguards)
        if key not in self._by_rules:
            self._by_rules[key] = Cleaner(
                packs,
                selection=settings.layers,
                unsafe_fixes=settings.unsafe_fixes,
                safeguards=settings.safeguards,
            )
        return self._by_rules[key]


def check_selectors(layers: Iterable[Selection], codes: list[str]) -> None:
    """A selector no loaded rule matches is a typo: say where it was written."""
    for selector, origin in unmatched(layers, codes):
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


def real_path(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path.absolute()


def destination_problem(destination: Path, out_root: Path, inputs: set[str]) -> str | None:
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
    if str(real_path(destination)) in inputs:
        return "cannot write: the output would overwrite an input file; not written"
    return None


def with_remembered_source_languages(jobs: list[Job]) -> list[Job]:
    """Jobs whose source language is open take the one an earlier ``--fix`` inferred for a
    file of exactly these bytes (:mod:`cleaner.fixmemory`)."""
    if fixmemory.directory() is None:
        return jobs
    chosen = []
    for job in jobs:
        if job.source_lang is None and job.problem is None:
            try:
                remembered = fixmemory.recall(sha256_of(job.path)[0])
            except (OSError, InputError):  # reported when the file itself is cleaned
                remembered = None
            if remembered is not None:
                job = dataclasses.replace(job, source_lang=remembered)
        chosen.append(job)
    return chosen


def with_logged_source_languages(jobs: list[Job], log_dir: Path) -> list[Job]:
    """Jobs whose source language is open take the one an earlier run's log recorded."""
    decided = logged_source_languages(log_dir)
    return [
        dataclasses.replace(job, source_lang=decided[key])
        if job.source_lang is None and (key := str(absolute(job.path))) in decided
        else job
        for job in jobs
    ]


def corpus_format(args: argparse.Namespace, source: Path | None) -> str:
    if args.format != "auto":
        return args.format
    if args.text_field is not None or args.id_field is not None:
        return "jsonl"
    return "jsonl" if source is not None and jsonl.is_jsonl(source) else "text"


def check_in_out(source: Path, target: Path) -> None:
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


def require_existing(paths: Iterable[Path]) -> None:
    for path in paths:
        if not path.exists():
            raise MissingPath(f"clean-articles: error: {path}: no such file or directory")


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
