"""Configuration files and rule selection for the command line.

Settings come from ``[tool.clean-articles]`` in a ``pyproject.toml`` or from
the top level of a ``clean-articles.toml``. Each article uses the *nearest*
configuration: the search walks up from the article's directory to the
filesystem root, and in one directory ``clean-articles.toml`` beats
``pyproject.toml`` (as ``ruff.toml`` beats ``pyproject.toml`` for ruff). A
``pyproject.toml`` counts only when it has a ``[tool.clean-articles]`` table;
one that does not even mention ``clean-articles`` is not parsed at all, so a
broken unrelated ``pyproject.toml`` higher up cannot break a run.

Keys (all optional)::

    select = ["BP", "WS"]            # codes or prefixes; default: every rule
    extend-select = ["TR101"]        # added to select
    ignore = ["BP3"]                 # removed; the more specific prefix wins
    unsafe-fixes = false
    rules = ["house-rules/"]         # extra packs, relative to this file, inside its tree
    no-default-rules = false
    lang = "en"                      # default: detected per file
    source-lang = "fr"               # or "none"; default: inferred per file
    max-prose-loss = 0.4             # damage guard: share of prose the edits may remove
    min-words = 50                   # damage guard: fewest words an edited text may keep
                                     # (a file may only tighten the guard, not loosen it)
    regex-timeout = 1.0              # seconds of regex time per rule group, pass and MiB
    [per-file-ignores]               # glob -> codes or prefixes
    "wire/**" = ["BP3"]
    [per-file-source-lang]           # glob -> language (the last match wins)
    "afp/**/*.txt" = "fr"

Globs are relative to the configuration file's directory: ``*`` and ``?``
stay within one path segment, ``**`` crosses segments (``**/`` also matches
no directory at all), and a glob without ``/`` matches the file name in any
directory, like a ``.gitignore`` line.

Rule selection follows ruff (:mod:`cleaner.selection`): each layer (the
configuration, then the command line) applies its ``select``/``extend-select``
and ``ignore`` from the least to the most specific prefix, so the more specific
one wins and an ``ignore`` wins a tie; a layer that sets ``select`` starts from
nothing instead of building on the layers before it. ``per-file-ignores`` then
removes rules for matching files whatever was selected.

A configuration file is *input*: it may lie beside the data (a planted
``clean-articles.toml`` in a parent of the articles), so it cannot take
control of the run. It may load packs only from its own directory tree, and
may tighten the damage guard but not loosen it beyond its defaults; loading
packs from elsewhere and loosening the guard are for the command line.

Every problem is reported as ``path:line: message`` (:class:`ConfigError`).
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .guard import DEFAULT_MAX_PROSE_LOSS, DEFAULT_MIN_WORDS, Safeguards
from .langcodes import language_code
from .redirects import redirect
from .selection import SELECTOR, Selection

CONFIG_FILE = "clean-articles.toml"
PYPROJECT = "pyproject.toml"
TOOL_NAME = "clean-articles"


class ConfigError(Exception):
    """A configuration problem, formatted ``path:line: message``."""


@dataclass(frozen=True)
class Options:
    """Settings from one source; ``None`` means "not set here"."""

    selection: Selection = field(default_factory=Selection)
    unsafe_fixes: bool | None = None
    rules: tuple[Path, ...] = ()
    no_default_rules: bool | None = None
    lang: str | None = None
    source_lang: str | None = None
    max_prose_loss: float | None = None
    min_words: int | None = None
    regex_timeout: float | None = None


@dataclass(frozen=True)
class GlobEntry:
    """One ``per-file-*`` row: a glob, its value and where it was written."""

    glob: str
    value: Any
    origin: str


@dataclass(frozen=True)
class Config:
    """One configuration file, validated."""

    path: Path
    options: Options
    per_file_ignores: tuple[GlobEntry, ...] = ()
    per_file_source_lang: tuple[GlobEntry, ...] = ()

    @property
    def directory(self) -> Path:
        return self.path.parent

    def relative(self, file: Path) -> str:
        """``file`` relative to this configuration's directory, with ``/``."""
        return Path(os.path.relpath(absolute(file), self.directory)).as_posix()

    def ignores_for(self, file: Path) -> tuple[GlobEntry, ...]:
        rel = self.relative(file)
        return tuple(e for e in self.per_file_ignores if glob_matches(e.glob, rel))

    def source_lang_for(self, file: Path) -> str | None:
        rel = self.relative(file)
        matches = [e.value for e in self.per_file_source_lang if glob_matches(e.glob, rel)]
        return matches[-1] if matches else None


def absolute(path: Path) -> Path:
    """An absolute, normalised path without resolving symlinks (as the user sees the tree)."""
    return Path(os.path.normpath(os.path.abspath(path)))


# --- globs ------------------------------------------------------------------


def glob_matches(pattern: str, relative_path: str) -> bool:
    """Whether a config glob matches a ``/``-separated path relative to the config."""
    if "/" not in pattern:
        relative_path = relative_path.rsplit("/", 1)[-1]
    return _glob_regex(pattern.removeprefix("./")).match(relative_path) is not None


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    parts: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            parts.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            parts.append(".*")
            i += 2
        elif pattern[i] == "*":
            parts.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            parts.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1 : end]
            negate = body.startswith("!")
            body = re.escape(body[1:] if negate else body).replace(r"\-", "-")
            parts.append(f"[{'^' if negate else ''}{body}]")
            i = end + 1
        else:
            parts.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(parts) + r"\Z", re.DOTALL)


# --- reading and validating ---------------------------------------------------


class _KeyLines:
    """Finds the line a key or glob is written on, for messages (best effort)."""

    def __init__(self, raw: str, table_header: str | None) -> None:
        self.lines = raw.splitlines()
        self.start = 0
        if table_header is not None:
            header = re.compile(table_header)
            for n, line in enumerate(self.lines):
                if header.match(line):
                    self.start = n
                    break

    def find(self, key: str, default: int | None = None) -> int:
        quoted = re.escape(key)
        pattern = re.compile(
            rf"""^\s*(?:\[\s*(?:[\w."'-]*\.)?)?["']?{quoted}["']?\s*(?:=|\]|\.)"""
            rf"""|["']{quoted}["']\s*="""
        )
        for n in range(self.start, len(self.lines)):
            if pattern.search(self.lines[n]):
                return n + 1
        return default if default is not None else self.start + 1


_PYPROJECT_TABLE = r"""^\s*\[\s*tool\s*\.\s*["']?clean-articles["']?\s*\]"""

_LIST_KEYS = ("select", "extend-select", "ignore", "rules")
_BOOL_KEYS = ("unsafe-fixes", "no-default-rules")
_STR_KEYS = ("lang", "source-lang")
_TABLE_KEYS = ("per-file-ignores", "per-file-source-lang")
#: key -> (smallest value, largest value, needs an integer)
_NUMBER_KEYS = {
    "max-prose-loss": (0.0, 1.0, False),
    "min-words": (0, None, True),
    "regex-timeout": (0.001, None, False),
}
KNOWN_KEYS = (*_LIST_KEYS, *_BOOL_KEYS, *_STR_KEYS, *_NUMBER_KEYS, *_TABLE_KEYS)


def read_config(path: Path) -> Config | None:
    """Read one configuration file; ``None`` for a pyproject.toml that is not ours."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}:1: cannot read configuration: {exc}") from None
    is_pyproject = path.name == PYPROJECT
    if is_pyproject and TOOL_NAME not in raw:
        return None
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{path}:{_toml_error_line(exc, raw)}: invalid TOML: {_toml_message(exc)}"
        ) from None
    if is_pyproject:
        table = data.get("tool", {}).get(TOOL_NAME) if isinstance(data.get("tool"), dict) else None
        if table is None:
            return None
        lines = _KeyLines(raw, _PYPROJECT_TABLE)
        section = f"[tool.{TOOL_NAME}]"
        if not isinstance(table, dict):
            raise ConfigError(f"{path}:{lines.find(TOOL_NAME)}: {section} must be a table")
    else:
        table, lines, section = data, _KeyLines(raw, None), path.name
    return _validate(path, table, lines, section)


def _toml_error_line(exc: tomllib.TOMLDecodeError, raw: str) -> int:
    m = re.search(r"\(at line (\d+), column \d+\)", str(exc))
    if m:
        return int(m.group(1))
    # "(at end of document)": the last line is where it went wrong.
    return max(1, len(raw.splitlines()))


def _toml_message(exc: tomllib.TOMLDecodeError) -> str:
    return re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)", "", str(exc))


def _validate(path: Path, table: dict[str, Any], lines: _KeyLines, section: str) -> Config:
    def fail(key: str, message: str) -> ConfigError:
        return ConfigError(f"{path}:{lines.find(key)}: {message}")

    for key in table:
        if key not in KNOWN_KEYS:
            raise fail(key, f"unknown key {key!r} in {section} (known: {', '.join(KNOWN_KEYS)})")
    for key in _LIST_KEYS:
        if key in table and not _is_str_list(table[key]):
            raise fail(key, f"{key} must be a list of strings")
    for key in _BOOL_KEYS:
        if key in table and not isinstance(table[key], bool):
            raise fail(key, f"{key} must be true or false")
    for key in _STR_KEYS:
        if key in table and not isinstance(table[key], str):
            raise fail(key, f"{key} must be a string")
    for key, (low, high, integer) in _NUMBER_KEYS.items():
        if key in table:
            problem = number_problem(table[key], low, high, integer)
            if problem:
                raise fail(key, f"{key} {problem}")
    for key in ("select", "extend-select", "ignore"):
        # Codes are letters and digits: bp101 can only mean BP101.
        table[key] = [selector.upper() for selector in table.get(key, ())] if key in table else None
        for selector in table[key] or ():
            if not SELECTOR.match(selector):
                raise fail(key, f"{key}: {selector!r} is not a rule code or prefix (like BP, BP1)")
        if table[key] is None:
            del table[key]
    lang = source_lang = None
    try:
        if "lang" in table:
            lang = language_code(table["lang"])
    except ValueError as exc:
        raise fail("lang", f"lang {exc}") from None
    try:
        if "source-lang" in table:
            source_lang = language_code(table["source-lang"], allow_none=True)
    except ValueError as exc:
        raise fail("source-lang", f"source-lang {exc}") from None

    for key in _LOOSENING:
        problem = loosening_problem(key, table.get(key))
        if problem:
            raise fail(key, problem)

    directory = absolute(path).parent
    rule_paths = []
    for entry in table.get("rules", ()):
        rule_path = directory / entry
        if not rule_path.exists():
            raise fail("rules", f"rules: no such file or directory: {entry}")
        if not _inside(rule_path, directory):
            raise fail(
                "rules",
                f"rules: {entry} lies outside this configuration's directory; a configuration "
                "file may only load packs from its own directory tree (name others with --rules "
                "on the command line)",
            )
        rule_paths.append(rule_path)

    def where(key: str) -> str:
        return f"{path}:{lines.find(key)}"

    selection = Selection(
        select=tuple(table["select"]) if "select" in table else None,
        extend_select=tuple(table.get("extend-select", ())),
        ignore=tuple(table.get("ignore", ())),
        origins={key: where(key) for key in ("select", "extend-select", "ignore") if key in table},
    )
    options = Options(
        selection=selection,
        unsafe_fixes=table.get("unsafe-fixes"),
        rules=tuple(rule_paths),
        no_default_rules=table.get("no-default-rules"),
        lang=lang,
        source_lang=source_lang,
        max_prose_loss=_float(table.get("max-prose-loss")),
        min_words=table.get("min-words"),
        regex_timeout=_float(table.get("regex-timeout")),
    )
    return Config(
        path=absolute(path),
        options=options,
        per_file_ignores=_per_file_ignores(table, lines, path),
        per_file_source_lang=_per_file_source_lang(table, lines, path),
    )


def _per_file_ignores(table: dict[str, Any], lines: _KeyLines, path: Path) -> tuple[GlobEntry, ...]:
    key = "per-file-ignores"
    rows = table.get(key, {})
    key_line = lines.find(key)
    if not isinstance(rows, dict):
        raise ConfigError(f"{path}:{key_line}: {key} must be a table of glob = [codes]")
    entries = []
    for glob, codes in rows.items():
        line = lines.find(glob, key_line)
        if not _is_str_list(codes):
            raise ConfigError(f"{path}:{line}: {key} {glob!r} must be a list of codes")
        for code in codes:
            if not SELECTOR.match(code):
                raise ConfigError(
                    f"{path}:{line}: {key} {glob!r}: {code!r} is not a rule code or prefix"
                )
        entries.append(GlobEntry(glob, redirect(codes, f"{path}:{line}"), f"{path}:{line}"))
    return tuple(entries)


def _per_file_source_lang(
    table: dict[str, Any], lines: _KeyLines, path: Path
) -> tuple[GlobEntry, ...]:
    key = "per-file-source-lang"
    rows = table.get(key, {})
    key_line = lines.find(key)
    if not isinstance(rows, dict):
        raise ConfigError(f"{path}:{key_line}: {key} must be a table of glob = language")
    entries = []
    for glob, language in rows.items():
        line = lines.find(glob, key_line)
        try:
            if not isinstance(language, str):
                raise ValueError(f"must be a language code, got {language!r}")
            code = language_code(language, allow_none=True)
        except ValueError as exc:
            raise ConfigError(f"{path}:{line}: {key} {glob!r} {exc}") from None
        entries.append(GlobEntry(glob, code, f"{path}:{line}"))
    return tuple(entries)


def number_problem(value: Any, low: float, high: float | None, integer: bool) -> str | None:
    """What is wrong with a numeric setting, or ``None``."""
    kind = "an integer" if integer else "a number"
    if isinstance(value, bool) or not isinstance(value, int if integer else (int, float)):
        return f"must be {kind}"
    if value < low or (high is not None and value > high):
        limits = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
        return f"must be {limits}, got {value!r}"
    return None


#: Damage-guard keys and the direction that loosens them: a configuration file is input
#: (it may lie beside the data), so it may tighten the guard but only the command line
#: may loosen it beyond its defaults.
_LOOSENING = {
    "max-prose-loss": (DEFAULT_MAX_PROSE_LOSS, "above", "--max-prose-loss"),
    "min-words": (DEFAULT_MIN_WORDS, "below", "--min-words"),
}


def loosening_problem(key: str, value: Any) -> str | None:
    """Why a configuration file may not set ``key`` to ``value`` (``None``: it may)."""
    if value is None or key not in _LOOSENING:
        return None
    default, direction, flag = _LOOSENING[key]
    loosens = value > default if direction == "above" else value < default
    if not loosens:
        return None
    return (
        f"{key} = {value!r} loosens the damage guard (default {default:g}); a configuration "
        f"file may only tighten it: loosen it on the command line ({flag})"
    )


def _inside(path: Path, directory: Path) -> bool:
    """Whether ``path`` really lies in ``directory`` (``..`` and symlinks resolved)."""
    try:
        real, base = path.resolve(strict=True), directory.resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    return real == base or base in real.parents


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


# --- discovery --------------------------------------------------------------------


class ConfigFinder:
    """Finds the nearest configuration of a file; every directory is looked at once."""

    def __init__(self) -> None:
        self._by_directory: dict[Path, Config | None] = {}

    def for_file(self, file: Path) -> Config | None:
        return self.for_directory(absolute(file).parent)

    def for_directory(self, directory: Path) -> Config | None:
        directory = absolute(directory)
        visited: list[Path] = []
        found: Config | None = None
        current: Path | None = directory
        while current is not None:
            if current in self._by_directory:
                found = self._by_directory[current]
                break
            visited.append(current)
            found = self._config_in(current)
            if found is not None:
                break
            current = current.parent if current.parent != current else None
        for seen in visited:
            self._by_directory[seen] = found
        return found

    @staticmethod
    def _config_in(directory: Path) -> Config | None:
        for name in (CONFIG_FILE, PYPROJECT):
            candidate = directory / name
            if candidate.is_file():
                config = read_config(candidate)
                if config is not None:
                    return config
        return None


# --- effective settings of one file ----------------------------------------------


@dataclass(frozen=True)
class FileSettings:
    """Everything that decides how one file is cleaned."""

    rule_paths: tuple[Path, ...]
    include_default: bool
    selections: tuple[Selection, ...]
    per_file_ignores: tuple[GlobEntry, ...]
    unsafe_fixes: bool
    lang: str | None
    source_lang: str | None
    safeguards: Safeguards = field(default_factory=Safeguards)

    @property
    def layers(self) -> tuple[Selection, ...]:
        """The selection layers, each per-file ignore last (an ignore-only layer)."""
        per_file = (
            Selection(ignore=tuple(entry.value), origins={"ignore": entry.origin})
            for entry in self.per_file_ignores
        )
        return (*self.selections, *per_file)


def settings_for(
    file: Path, config: Config | None, cli: Options, *, force: bool = False
) -> FileSettings:
    """Combine a file's configuration with the command line (which wins)."""
    conf = config.options if config else Options()
    rule_paths = _unique_paths([*conf.rules, *cli.rules])
    no_default = cli.no_default_rules or conf.no_default_rules or False
    unsafe = cli.unsafe_fixes if cli.unsafe_fixes is not None else conf.unsafe_fixes
    source_lang = cli.source_lang
    if source_lang is None and config is not None:
        source_lang = config.source_lang_for(file) or conf.source_lang
    return FileSettings(
        rule_paths=rule_paths,
        include_default=not no_default,
        selections=(conf.selection, cli.selection),
        per_file_ignores=config.ignores_for(file) if config else (),
        unsafe_fixes=bool(unsafe),
        lang=cli.lang or conf.lang,
        source_lang=source_lang,
        safeguards=safeguards_for(conf, cli, force),
    )


def safeguards_for(conf: Options, cli: Options, force: bool = False) -> Safeguards:
    """The damage guard and regex budget: command line, else configuration, else defaults."""
    defaults = Safeguards()

    def pick(name: str) -> Any:
        for source in (cli, conf):
            value = getattr(source, name)
            if value is not None:
                return value
        return getattr(defaults, name)

    return Safeguards(
        max_prose_loss=pick("max_prose_loss"),
        min_words=pick("min_words"),
        force=force,
        regex_timeout=pick("regex_timeout"),
    )


def _unique_paths(paths: Iterable[Path]) -> tuple[Path, ...]:
    """Drop repeats (a pack named in the config and on the command line loads once)."""
    seen: set[Path] = set()
    unique = []
    for path in paths:
        key = absolute(path)
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return tuple(unique)
