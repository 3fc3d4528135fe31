"""The shipped packs as loaded, kept in the user cache so a start need not parse them.

Reading the ~30 shipped TOML packs (``tomllib`` is pure Python), checking them
and working out every pattern's gate literals (the stdlib regex parser, also
pure Python) took a third of a one-file run. A shipped pack loads the same way
every time until the package or the pack file changes, so the result is kept
in the user cache (:mod:`cleaner.diskcache`) as plain data (``marshal``: no
code is ever loaded from it), keyed by the package version and the path, size
and modification time of the pack file and of the code that loads packs. A
damaged or unreadable entry is ignored and rebuilt. Only shipped packs are
cached (packs a user names are always read and checked afresh), and only what
loading produced: rules still compile their patterns and read their tables on
first use.
"""

from __future__ import annotations

import dataclasses
import marshal
from pathlib import Path
from typing import TYPE_CHECKING

from . import diskcache
from .gates import gate, line_gate, seed_gates, seed_line_gates
from .rule import FixExample, Rule, Safety

if TYPE_CHECKING:
    from .loader import Pack

#: Bumped when the layout of an entry changes.
LAYOUT = 3


#: The code that turns a pack file into rules and gates: an entry made by other code (a
#: new checkout of the same version) is not used.
_LOADING_CODE = (
    "loader.py",
    "rule.py",
    "matching.py",
    "gates.py",
    "reparser.py",
    "packcache.py",
    "kinds",
)


def _code_files() -> list[Path]:
    here = Path(__file__).resolve().parent
    files = []
    for name in _LOADING_CODE:
        path = here / name
        files.extend(sorted(path.glob("*.py")) if path.is_dir() else [path])
    return files


def _name(path: Path) -> str:
    return "pack-" + diskcache.key(
        "pack", LAYOUT, str(path.resolve()), files=[path, *_code_files()]
    )


def load(path: Path) -> Pack | None:
    """The cached pack of ``path``, or ``None`` (not cached, or unusable)."""
    data = diskcache.read(_name(path))
    if data is None:
        return None
    try:
        return _decode(marshal.loads(data))
    except (ValueError, EOFError, TypeError, KeyError, IndexError):
        return None


def store(path: Path, pack: Pack) -> None:
    """Cache ``pack`` as loaded from ``path`` (with the gates of its patterns)."""
    try:
        data = marshal.dumps(_encode(pack))
    except ValueError:  # a parameter value marshal cannot write: just not cached
        return
    diskcache.write(_name(path), data)


def _patterns(pack: Pack) -> set[str]:
    """Every string a rule or the evidence could be gated on (gate() of a string that is
    not a pattern is merely None)."""
    found = {p.pattern for p in pack.evidence}
    for rule in pack.rules:
        found.update(v for v in _fields(rule.params).values() if isinstance(v, str))
    return found


def _fields(data: object) -> dict:
    return {f.name: getattr(data, f.name) for f in dataclasses.fields(data)}  # type: ignore[arg-type]


def _encode_rule(rule: Rule) -> dict:
    record = _fields(rule)
    for name, value in record.items():
        if isinstance(value, tuple):
            record[name] = list(value)
    record["params"] = _fields(rule.params)
    record["fixes"] = [[f.input, f.output] for f in rule.fixes]
    record["safety"] = rule.safety.value
    return record


def _decode_rule(record: dict) -> Rule:
    from .kinds import KINDS

    values = {name: tuple(v) if isinstance(v, list) else v for name, v in record.items()}
    values["params"] = KINDS[values["kind"]].params(**record["params"])
    values["fixes"] = tuple(FixExample(i, o) for i, o in record["fixes"])
    values["safety"] = Safety(values["safety"])
    return Rule(**values)


def _encode(pack: Pack) -> dict:
    gates = {}
    for pattern in sorted(_patterns(pack)):
        found = gate(pattern)
        gates[pattern] = None if found is None else sorted(found)
    # What a pattern-replace rule is tried on (its line gate: the stdlib parser again).
    line_gates = {}
    for rule in pack.rules:
        if rule.kind == "pattern-replace":
            on_line, anchored = line_gate(rule.params.pattern)
            line_gates[rule.params.pattern] = [
                None if on_line is None else sorted(on_line),
                anchored,
            ]
    return {
        "pack": [
            pack.name,
            pack.path,
            pack.description,
            list(pack.languages),
            list(pack.source_langs),
            [p.pattern for p in pack.evidence],
            list(pack.warnings),
        ],
        "rules": [_encode_rule(r) for r in pack.rules],
        "gates": gates,
        "line_gates": line_gates,
    }


def _decode(data: dict) -> Pack:
    from .loader import Pack
    from .matching import compile_regex

    name, path, description, languages, source_langs, evidence, warnings = data["pack"]
    rules = [_decode_rule(record) for record in data["rules"]]
    seed_gates(
        {pattern: None if g is None else frozenset(g) for pattern, g in data["gates"].items()}
    )
    seed_line_gates(
        {
            pattern: (None if g is None else frozenset(g), anchored)
            for pattern, (g, anchored) in data["line_gates"].items()
        }
    )
    return Pack(
        name=name,
        path=path,
        description=description,
        languages=tuple(languages),
        source_langs=tuple(source_langs),
        rules=rules,
        evidence=tuple(compile_regex(p, deferred=True) for p in evidence),
        warnings=list(warnings),
    )
