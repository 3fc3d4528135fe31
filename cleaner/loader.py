"""The rule loader: TOML packs in, validated :class:`~cleaner.rule.Rule` objects out.

Rule files are data: they are parsed with :mod:`tomllib` and never executed.
Every problem is reported as ``path:line: message`` (all problems of a file at
once), never as a traceback.

Packs may come from untrusted sources, so loading one is confined: a pack
reads its own file and the data files it names inside its own directory
(:func:`cleaner.kinds.pack_file`), a directory of packs yields only the
``*.toml`` files that really lie inside it (a symlink leading out is a
problem, not a pack), and nothing else is opened. Patterns that can
backtrack catastrophically (nested quantifiers such as ``(a+)+`` or
``(\\w+\\s*)*``) load with a warning (:attr:`Pack.warnings`, printed by the
command line as ``path:line: warning: ...``); the engine's time budget
bounds them at run time whatever they are. Codes starting with ``DG``,
``RX`` or ``IO`` are reserved for the engine's own records.

Pack layout::

    [pack]
    name = "boilerplate-en"          # unique
    description = "..."
    languages = ["en"]               # "*" = language-neutral
    source_langs = ["fr"]            # optional: translation packs

    [[rule]]
    code = "BP101"                   # family prefix + digits, unique
    name = "source-site-trailer"     # kebab-case, unique
    kind = "line-drop"               # a module of cleaner/kinds
    description = "What it matches."
    why = "Why that is debris, not article text."
    safety = "safe"                  # safe | unsafe | display
    enabled = false                  # optional (default true): load and test, never run
    languages = ["en"]               # optional, defaults to the pack's
    keep = ["a look-alike it must leave alone"]
    pattern = '...'                  # the kind's own parameters
    [[rule.fix]]
    input = "text with the debris"
    output = "the text it must produce"
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Any

from . import packcache
from .codes import RESERVED_PREFIXES
from .kinds import KINDS, Kind, Param
from .matching import compile_regex, nested_quantifiers
from .rule import FixExample, Rule, RuleFileError, Safety

CODE = re.compile(r"^[A-Z]{1,4}[0-9]{3,4}$")
NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
LANG = re.compile(r"^(?:\*|[a-z]{2,3})$")

PACK_KEYS = {
    "name": str,
    "description": str,
    "languages": list,
    "source_langs": list,
    "evidence": list,
}
RULE_KEYS = {
    "code": str,
    "name": str,
    "kind": str,
    "description": str,
    "safety": str,
    "languages": list,
    "source_langs": list,
    "keep": list,
    "fix": list,
    "enabled": bool,
    "why": str,
}
REQUIRED_RULE_KEYS = ("code", "name", "kind", "description", "safety", "keep", "fix")


@dataclass
class Pack:
    name: str
    path: str
    description: str
    languages: tuple[str, ...]
    source_langs: tuple[str, ...] = ()
    rules: list[Rule] = field(default_factory=list)
    #: Compiled patterns whose presence in a text is evidence that it was
    #: translated from one of ``source_langs`` (see cleaner.source_language).
    evidence: tuple = ()
    #: ``path:line: warning: ...`` lines about patterns that may backtrack catastrophically.
    warnings: list[str] = field(default_factory=list)

    @cached_property
    def directory(self) -> str:
        """The pack file's real directory: the only place its rules may read data from."""
        return str(Path(self.path).resolve().parent)


def default_rules_dir() -> Path:
    """Where the shipped packs are: inside the installed package, else the source tree."""
    shipped = resources.files("cleaner") / "rules"
    if shipped.is_dir():
        return Path(str(shipped))
    return Path(__file__).resolve().parent.parent / "rules"


def pack_files(path: Path) -> list[Path]:
    """The pack files ``path`` stands for: itself, or the ``*.toml`` files under a directory.

    Symlinked directories are not entered; a ``*.toml`` symlink under the
    directory that leads outside it raises :class:`RuleFileError` (a pack
    directory from elsewhere must not make the loader read other files).
    """
    if not path.is_dir():
        return [path]
    base = path.resolve()
    files = []
    escapes = []
    for candidate in sorted(path.rglob("*.toml")):
        real = candidate.resolve()
        if real != base and base not in real.parents:
            escapes.append(f"{candidate}:0: a symlink leading outside {path}; not loaded")
        elif candidate.is_file():
            files.append(candidate)
    if escapes:
        raise RuleFileError(escapes)
    return files


def load_rules(
    paths: Iterable[str | Path] | None = None, *, include_default: bool = True
) -> list[Pack]:
    """Load and validate rule packs.

    ``paths`` are extra pack files or directories; the shipped packs come first
    unless ``include_default`` is false. Raises :class:`RuleFileError` listing
    every problem found.
    """
    files: list[Path] = []
    problems: list[str] = []
    shipped: set[Path] = set()
    if include_default:
        shipped.update(pack_files(default_rules_dir()))
        files.extend(sorted(shipped))
    for p in paths or ():
        path = Path(p)
        if not path.exists():
            raise RuleFileError([f"{path}:0: no such rule file or directory"])
        try:
            files.extend(pack_files(path))
        except RuleFileError as exc:
            problems.extend(exc.problems)
    packs: list[Pack] = []
    for file in files:
        try:
            packs.append(load_pack(file, deferred=file in shipped))
        except RuleFileError as exc:
            problems.extend(exc.problems)
    problems.extend(_cross_pack_problems(packs))
    if problems:
        raise RuleFileError(problems)
    return packs


def _cross_pack_problems(packs: list[Pack]) -> list[str]:
    problems = []
    seen_codes: dict[str, str] = {}
    seen_names: dict[str, str] = {}
    seen_packs: dict[str, str] = {}
    for pack in packs:
        if pack.name in seen_packs:
            other = seen_packs[pack.name]
            problems.append(f"{pack.path}:1: duplicate pack name {pack.name!r} (also in {other})")
        seen_packs.setdefault(pack.name, pack.path)
        for rule in pack.rules:
            if rule.code in seen_codes:
                other = seen_codes[rule.code]
                problems.append(f"{rule.origin}: duplicate rule code {rule.code} (also at {other})")
            if rule.name in seen_names:
                other = seen_names[rule.name]
                problems.append(
                    f"{rule.origin}: duplicate rule name {rule.name!r} (also at {other})"
                )
            seen_codes.setdefault(rule.code, rule.origin)
            seen_names.setdefault(rule.name, rule.origin)
    # In sorted order a code that starts another comes right before it (or
    # before codes that start with it too): adjacent pairs are enough.
    ordered = sorted(seen_codes)
    for short, long in pairwise(ordered):
        if long.startswith(short):
            # Selecting the shorter code would silently select the longer one too.
            problems.append(
                f"{seen_codes[long]}: code {long} starts with code {short} "
                f"(at {seen_codes[short]}); selecting {short} would select both"
            )
    return problems


class _Lines:
    """The line of every key in the raw TOML, for messages (read in one pass)."""

    _RULE = re.compile(r"^\s*\[\[\s*rule\s*\]\]")
    _PACK = re.compile(r"^\s*\[\s*pack\s*\]")
    _KEY = re.compile(
        r'^\s*(?:"([^"]+)"|([A-Za-z0-9_-]+))\s*=|^\s*\[\[\s*rule\.([A-Za-z0-9_-]+)\s*\]\]'
    )

    def __init__(self, raw: str) -> None:
        self.rule_headers: list[int] = []
        pack_headers: list[int] = []
        #: section start line -> key -> first line it is set on
        self._keys: dict[int, dict[str, int]] = {1: {}}
        #: rule start line -> lines of its [[rule.fix]] headers
        self._fixes: dict[int, list[int]] = {}
        section = 1
        for number, line in enumerate(raw.splitlines(), 1):
            if self._RULE.match(line):
                self.rule_headers.append(number)
                section = number
                self._keys[section] = {}
                continue
            if self._PACK.match(line):
                pack_headers.append(number)
                if section == 1 or section in pack_headers:
                    section = number
                    self._keys.setdefault(section, {})
                continue
            m = self._KEY.match(line)
            if m:
                key = m.group(1) or m.group(2) or m.group(3)
                self._keys[section].setdefault(key, number)
                if m.group(3) == "fix":
                    self._fixes.setdefault(section, []).append(number)
        self.pack_header = pack_headers[0] if pack_headers else 1

    def rule(self, index: int) -> int:
        return self.rule_headers[index] if index < len(self.rule_headers) else 1

    def key(self, start: int, key: str) -> int:
        return self._keys.get(start, {}).get(key, start)

    def fix(self, rule_start: int, j: int) -> int:
        hits = self._fixes.get(rule_start, [])
        return hits[j] if j < len(hits) else rule_start


def load_pack(path: Path, *, deferred: bool = False) -> Pack:
    """Load one pack file; raises :class:`RuleFileError` with every problem in it.

    ``deferred`` leaves each rule's compilation (its patterns, its tables) to
    the first time the engine runs the rule's group: a run that never meets a
    German document never compiles the German pack. Only the shipped packs
    load this way; the test suite compiles every one of them strictly, so for
    them those checks have already passed. A pack given by a user is checked
    at once (:meth:`cleaner.kinds.Kind.check`), so its problems are reported
    as ``path:line`` before anything runs. A deferred pack is kept in the user cache as loaded
    (:mod:`cleaner.packcache`), so the next start does not parse it again.
    """
    if deferred:
        cached = packcache.load(path)
        if cached is not None:
            return cached
        pack = _load_pack(path, deferred=True)
        packcache.store(path, pack)
        return pack
    return _load_pack(path, deferred=False)


def _load_pack(path: Path, *, deferred: bool) -> Pack:
    where = str(path)
    if path.exists() and not path.is_file():
        raise RuleFileError([f"{where}:0: cannot read rule file: not a regular file"])
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleFileError([f"{where}:0: cannot read rule file: {exc}"]) from None
    try:
        data = tomllib.loads(raw)
    except RecursionError:
        raise RuleFileError([f"{where}:1: invalid TOML: nested too deeply"]) from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        # tomllib says "(at end of document)" for errors on the last line.
        line = m.group(1) if m else str(max(1, raw.count("\n") + (not raw.endswith("\n"))))
        message = re.sub(r"\s*\(at (?:line \d+, column \d+|end of document)\)", "", str(exc))
        raise RuleFileError([f"{where}:{line}: invalid TOML: {message}"]) from None
    lines = _Lines(raw)
    problem = _Problems(where)

    for key in data:
        if key not in ("pack", "rule"):
            problem(1, f"unknown top-level key {key!r} (expected [pack] and [[rule]])")
    meta = data.get("pack")
    if not isinstance(meta, dict):
        problem(1, "missing [pack] table")
        meta = {}
    for key, value in meta.items():
        if key not in PACK_KEYS:
            problem(lines.key(lines.pack_header, key), f"unknown key {key!r} in [pack]")
        elif not isinstance(value, PACK_KEYS[key]):
            problem(
                lines.key(lines.pack_header, key),
                f"[pack] {key} must be a {PACK_KEYS[key].__name__}",
            )
    for key in ("name", "languages"):
        if meta and key not in meta:
            problem(lines.pack_header, f"[pack] needs {key!r}")
    pack = Pack(
        name=str(meta.get("name", path.stem)),
        path=where,
        description=str(meta.get("description", "")),
        languages=_langs(
            meta.get("languages", ["*"]), lines.key(lines.pack_header, "languages"), problem
        ),
        source_langs=_langs(
            meta.get("source_langs", []), lines.key(lines.pack_header, "source_langs"), problem
        ),
    )
    pack.evidence = _evidence(meta.get("evidence", []), pack, lines, problem, deferred=deferred)
    rules = data.get("rule", [])
    if not isinstance(rules, list):
        problem(1, "[[rule]] must be an array of tables")
        rules = []
    for index, table in enumerate(rules):
        rule = _rule(table, index, pack, lines, where, problem, deferred=deferred)
        if rule is not None:
            pack.rules.append(rule)
    if problem.items:
        raise RuleFileError(problem.items)
    return pack


class _Problems:
    """Collects ``path:line: message`` strings for one file."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.items: list[str] = []

    def __call__(self, line: int, message: str) -> None:
        self.items.append(f"{self.where}:{line}: {message}")


def _evidence(
    value: Any, pack: Pack, lines: _Lines, problem: _Problems, *, deferred: bool = False
) -> tuple:
    line = lines.key(lines.pack_header, "evidence")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problem(line, "[pack] evidence must be a list of regex strings")
        return ()
    if value and not pack.source_langs:
        problem(line, "[pack] evidence needs source_langs (which language it is evidence of)")
    compiled = []
    for pattern in value:
        if deferred:  # a shipped pack: checked strictly by the test suite
            compiled.append(compile_regex(pattern, deferred=True))
            continue
        try:
            compiled.append(compile_regex(pattern))
        except ValueError as exc:
            problem(line, f"[pack] evidence: {exc}")
            continue
        if nested_quantifiers(pattern):
            pack.warnings.append(_backtracking_warning(pack.path, line, None, "[pack] evidence"))
    return tuple(compiled)


def _langs(value: Any, line: int, problem: _Problems) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and LANG.match(v) for v in value):
        problem(line, f"languages must be a list of ISO 639 codes or '*', got {value!r}")
        return ()
    return tuple(value)


def _rule(
    table: dict,
    index: int,
    pack: Pack,
    lines: _Lines,
    where: str,
    problem: _Problems,
    *,
    deferred: bool = False,
) -> Rule | None:
    """One ``[[rule]]`` table as a rule, or ``None`` after reporting its problems."""
    start = lines.rule(index)
    before = len(problem.items)
    kind = _kind(table, start, lines, problem)
    _check_keys(table, kind, start, lines, problem)
    _check_identity(table, start, lines, problem)
    fixes = _fixes(table.get("fix"), start, lines, problem)
    keeps = _keeps(table.get("keep"), start, lines, problem)
    languages = pack.languages
    if "languages" in table:
        languages = _langs(table["languages"], lines.key(start, "languages"), problem)
    source_langs = pack.source_langs
    if "source_langs" in table:
        source_langs = _langs(table["source_langs"], lines.key(start, "source_langs"), problem)
    if len(problem.items) > before or kind is None:
        return None
    rule = Rule(
        code=table["code"],
        name=table["name"],
        kind=kind.name,
        description=table["description"].strip(),
        languages=languages,
        safety=Safety(table["safety"]),
        params=kind.params(**{key: table[key] for key in kind.specs if key in table}),
        fixes=fixes,
        keeps=keeps,
        source_langs=source_langs,
        pack=pack.name,
        origin=f"{where}:{start}",
        enabled=table.get("enabled", True),
        why=table.get("why", "").strip(),
        # Kinds that read data files resolve them inside the pack's own directory.
        directory=pack.directory,
    )
    if deferred:
        return rule
    try:
        kind.check(rule)
    except ValueError as exc:
        problem(start, str(exc))
        return None
    for key, value in table.items():
        if key in kind.specs and isinstance(value, str) and nested_quantifiers(value):
            pack.warnings.append(
                _backtracking_warning(where, lines.key(start, key), rule.code, key)
            )
    return rule


def _kind(table: dict, start: int, lines: _Lines, problem: _Problems) -> Kind | None:
    kind_name = table.get("kind")
    kind = KINDS.get(kind_name) if isinstance(kind_name, str) else None
    if kind_name is not None and kind is None:
        problem(
            lines.key(start, "kind"),
            f"unknown kind {kind_name!r} (known: {', '.join(sorted(KINDS))})",
        )
    return kind


def _check_keys(
    table: dict, kind: Kind | None, start: int, lines: _Lines, problem: _Problems
) -> None:
    """Every key known, of its type, required ones present (the kind's and the rule's)."""
    kind_name = table.get("kind")
    params_spec: dict[str, Param] = kind.specs if kind else {}
    for key, value in table.items():
        line = lines.key(start, key)
        if key in RULE_KEYS:
            if not isinstance(value, RULE_KEYS[key]):
                problem(line, f"{key} must be a {RULE_KEYS[key].__name__}")
        elif key in params_spec:
            spec = params_spec[key]
            if spec.type is float and isinstance(value, int) and not isinstance(value, bool):
                table[key] = value = float(value)
            if not isinstance(value, spec.type) or (spec.type is int and isinstance(value, bool)):
                problem(line, f"{key} must be of type {_type_name(spec.type)}")
            elif spec.choices and value not in spec.choices:
                problem(
                    line, f"{key} must be one of {', '.join(map(str, spec.choices))}; got {value!r}"
                )
        elif kind is not None or kind_name is None:
            problem(line, f"unknown key {key!r} for a {kind_name or 'rule'} rule")
    for key in REQUIRED_RULE_KEYS:
        if key not in table:
            problem(start, f"rule needs {key!r}")
    for key, spec in params_spec.items():
        if spec.required and key not in table:
            problem(start, f"a {kind_name} rule needs {key!r}")


def _check_identity(table: dict, start: int, lines: _Lines, problem: _Problems) -> None:
    """The rule's code, name, safety and description are well formed."""
    code, name = table.get("code"), table.get("name")
    if isinstance(code, str) and not CODE.match(code):
        problem(
            lines.key(start, "code"),
            f"code {code!r} must be a family prefix and digits, like BP101",
        )
    elif isinstance(code, str) and code.startswith(RESERVED_PREFIXES):
        problem(
            lines.key(start, "code"),
            f"code {code!r}: the prefixes {', '.join(RESERVED_PREFIXES)} are reserved "
            "for the engine's own records",
        )
    if isinstance(name, str) and not NAME.match(name):
        problem(lines.key(start, "name"), f"name {name!r} must be kebab-case")
    safety = table.get("safety")
    if isinstance(safety, str) and safety not in {s.value for s in Safety}:
        problem(
            lines.key(start, "safety"), f"safety must be safe, unsafe or display; got {safety!r}"
        )
    if isinstance(table.get("description"), str) and not table["description"].strip():
        problem(lines.key(start, "description"), "description is empty")
    if isinstance(table.get("why"), str) and not table["why"].strip():
        problem(lines.key(start, "why"), "why is empty")


def _keeps(value: Any, start: int, lines: _Lines, problem: _Problems) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    if not value:
        problem(lines.key(start, "keep"), "a rule needs at least one look-alike in keep")
    if not all(isinstance(k, str) for k in value):
        problem(lines.key(start, "keep"), "keep must be a list of strings")
    return tuple(value)


def _backtracking_warning(where: str, line: int, code: str | None, key: str) -> str:
    subject = f"rule {code}: {key}" if code else key
    return (
        f"{where}:{line}: warning: {subject} has a nested quantifier (like (a+)+ or "
        "(\\w+\\s*)*) that can backtrack catastrophically; it runs under the regex time "
        "budget and is skipped for a document where it runs out"
    )


def _fixes(value: Any, start: int, lines: _Lines, problem: _Problems) -> tuple[FixExample, ...]:
    if not isinstance(value, list):
        return ()
    if not value:
        problem(lines.key(start, "fix"), "a rule needs at least one [[rule.fix]] example")
    fixes = []
    for j, example in enumerate(value):
        line = lines.fix(start, j)
        if not isinstance(example, dict):
            problem(line, "each fix example is a table with input and output")
            continue
        unknown = set(example) - {"input", "output"}
        if unknown:
            problem(line, f"unknown key(s) {', '.join(sorted(unknown))} in a fix example")
        if not isinstance(example.get("input"), str) or not isinstance(example.get("output"), str):
            problem(line, "a fix example needs string input and output")
            continue
        if example["input"] == example["output"]:
            problem(line, "a fix example's output equals its input (put look-alikes in keep)")
        fixes.append(FixExample(example["input"], example["output"]))
    return tuple(fixes)


def _type_name(t: type | tuple[type, ...]) -> str:
    if isinstance(t, tuple):
        return " or ".join(x.__name__ for x in t)
    return {str: "string", int: "integer", float: "number", bool: "boolean"}.get(t, t.__name__)
