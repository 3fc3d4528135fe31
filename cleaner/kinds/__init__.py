"""Rule kinds: the engine's primitives, one module each.

A kind module defines

- a frozen ``Params`` dataclass: the TOML keys the kind takes, with their
  types, defaults and documentation (:func:`param`), and a ``check()`` for
  constraints between them;
- a matcher class registered with :func:`kind` (its name, its phase, see
  :data:`cleaner.engine.PHASES`, and its ``Params``). The class is built from
  all the rules of that kind and pack, holds their compiled state (patterns,
  tables, gates), and its ``find(doc)`` yields :class:`Candidate` edits.
  Its ``compile_rule(rule)`` compiles one rule's state (raising
  ``ValueError`` when it cannot), which is how a user's pack is checked at
  load time.

A :class:`~cleaner.rule.Rule` itself holds only data: its ``params`` are the
kind's ``Params``, never compiled state.
"""

from __future__ import annotations

import dataclasses
import os
import stat
import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from ..document import ZONES, Document
from ..rule import Rule, RuleFileError

_REQUIRED: Any = dataclasses.MISSING


@dataclass(frozen=True)
class Param:
    """One TOML parameter of a kind, as the loader checks it and ``rule CODE`` shows it."""

    type: type | tuple[type, ...]
    required: bool = False
    default: Any = None
    choices: tuple[Any, ...] = ()
    doc: str = ""


def param(default: Any = _REQUIRED, *, choices: tuple[Any, ...] = (), doc: str = "") -> Any:
    """A field of a kind's ``Params``: no ``default`` means the key is required.

    A list or dict default is copied for each rule (a dataclass field must not
    share a mutable default).
    """
    metadata = {"choices": tuple(choices), "doc": doc}
    if isinstance(default, list | dict):
        copy = default.copy
        return dataclasses.field(default_factory=copy, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


class KindParams:
    """Base of every kind's frozen ``Params`` dataclass."""

    def check(self) -> None:
        """Raise ``ValueError`` when values contradict each other or leave their bounds."""


@dataclass(frozen=True, kw_only=True)
class ZonedParams(KindParams):
    """The parameters of the pattern kinds that match in either case and in a zone
    (line-drop, block-drop, pattern-replace)."""

    ignore_case: bool = param(False, doc="match in any case")
    zone: str = param("any", choices=ZONES, doc="where a match may be (see cleaner.document)")


@cache
def param_specs(params: type) -> dict[str, Param]:
    """The TOML keys a ``Params`` dataclass takes, read from its fields."""
    hints = typing.get_type_hints(params)
    specs = {}
    for f in dataclasses.fields(params):
        toml_type = typing.get_origin(hints[f.name]) or hints[f.name]
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if f.default is not dataclasses.MISSING:
            default = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        else:
            default = None
        specs[f.name] = Param(
            toml_type,
            required=required,
            default=default,
            choices=f.metadata.get("choices", ()),
            doc=f.metadata.get("doc", ""),
        )
    return specs


@dataclass
class Candidate:
    """A proposed edit: replace ``doc.text[start:end]`` with ``after``.

    ``report`` marks a finding the kind only reports (it could not make a
    trustworthy fix), whatever the rule's safety.
    """

    start: int
    end: int
    after: str
    rule: Rule
    message: str = ""
    report: bool = False


#: Largest data file a pack may name (the shipped exonym table is under 100 KB).
MAX_DATA_FILE_BYTES = 64 << 20


def read_data_file(path: Path, name: str) -> str:
    """The text of a pack's data file; refuses anything but a regular file of sane size.

    Opened without blocking and checked on the open descriptor, so a FIFO
    (which would hang the load) or a character device such as ``/dev/zero``
    (read until memory runs out) is refused, also when swapped in late.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise ValueError(f"cannot read {name!r}: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"{name!r} is not a regular file")
        if info.st_size > MAX_DATA_FILE_BYTES:
            raise ValueError(f"{name!r} is larger than {MAX_DATA_FILE_BYTES >> 20} MiB")
        data = handle.read(MAX_DATA_FILE_BYTES + 1)
    if len(data) > MAX_DATA_FILE_BYTES:
        raise ValueError(f"{name!r} is larger than {MAX_DATA_FILE_BYTES >> 20} MiB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{name!r} is not UTF-8 ({exc.reason} at byte {exc.start})") from None


def pack_file(pack_dir: str, name: str) -> Path:
    """A data file (or directory) a rule names, refusing paths that leave its pack's directory.

    Rule packs may come from untrusted sources: they can read their own data
    files, nothing else. The path is resolved (``..`` and symlinks followed)
    before the check, so neither ``../x`` nor a symlink leading out gets
    through; a directory is checked entry by entry the same way, since its
    files are read later (stop-lists).
    """
    if not name or "\0" in name:
        raise ValueError(f"{name!r} is not a file name")
    base = Path(pack_dir).resolve()
    inside = _inside(base)
    path = (base / name).resolve()
    if Path(name).is_absolute() or not inside(path):
        raise ValueError(f"{name!r} must be a relative path inside the pack's directory")
    if path.is_dir():
        for entry in path.rglob("*"):
            if not inside(entry.resolve()):
                raise ValueError(
                    f"{name!r}: {entry.relative_to(path)} is a symlink leading outside "
                    "the pack's directory"
                )
    return path


def _inside(base: Path) -> Callable[[Path], bool]:
    return lambda path: path == base or base in path.parents


class Matcher(Protocol):
    def find(self, doc: Document) -> Iterable[Candidate]: ...


class RuleGroup:
    """Base of a kind's matcher: the rules (of one kind and pack) it runs, and the
    compiled state of each (``self.compiled[code]``, built by :meth:`compile_rule`)."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = list(rules)
        self.compiled = compile_each(self.rules, self.compile_rule)

    @staticmethod
    def compile_rule(rule: Rule) -> Any:
        """A rule's compiled state; the kinds with nothing to compile use the parameters."""
        return rule.params


def compile_each(rules: Sequence[Rule], compile_rule: Callable[[Rule], Any]) -> dict[str, Any]:
    """Each rule's compiled state by code. A rule that cannot be compiled (a shipped
    pack's rule is compiled on first use) raises :class:`~cleaner.rule.RuleFileError`
    naming its ``path:line``, as the loader would have."""
    compiled = {}
    for rule in rules:
        try:
            rule.params.check()
            compiled[rule.code] = compile_rule(rule)
        except ValueError as exc:
            raise RuleFileError([f"{rule.origin}: rule {rule.code}: {exc}"]) from None
    return compiled


@dataclass(frozen=True)
class Kind:
    """A registered rule kind: its name in packs, its phase, its parameters, its matcher."""

    name: str
    phase: str
    params: type
    matcher: type

    @property
    def specs(self) -> dict[str, Param]:
        return param_specs(self.params)

    @property
    def doc(self) -> str:
        return self.matcher.__doc__ or ""

    def compile(self, rules: Sequence[Rule]) -> Matcher:
        """One matcher for ``rules`` (all of this kind): compiles their state."""
        return self.matcher(rules)

    def check(self, rule: Rule) -> None:
        """Compile ``rule`` now, patterns deferred to first use included, and throw the
        result away: ``ValueError("rule CODE: ...")`` if it cannot be compiled.

        How the loader checks a user's pack, so its problems are ``path:line``
        errors at load time rather than surprises mid-run.
        """
        from ..matching import GuardedPattern, LazyPattern

        try:
            rule.params.check()
            compiled = self.matcher.compile_rule(rule)
            for value in _values(compiled):
                if isinstance(value, GuardedPattern | LazyPattern):
                    value.compile()
        except ValueError as exc:
            raise ValueError(f"rule {rule.code}: {exc}") from None
        except Exception as exc:  # a pack is untrusted data: report, never crash
            raise ValueError(
                f"rule {rule.code}: cannot prepare: {type(exc).__name__}: {exc}"
            ) from None


def _values(compiled: Any, depth: int = 3) -> Iterable[Any]:
    """Every value a kind's compiled state holds: dataclasses, dicts, lists and tuples
    are walked into (to ``depth`` levels)."""
    yield compiled
    if depth == 0:
        return
    if dataclasses.is_dataclass(compiled) and not isinstance(compiled, type):
        inner: Iterable[Any] = (getattr(compiled, f.name) for f in dataclasses.fields(compiled))
    elif isinstance(compiled, dict):
        inner = compiled.values()
    elif isinstance(compiled, list | tuple):
        inner = compiled
    else:
        return
    for value in inner:
        yield from _values(value, depth - 1)


#: Every kind by its name in packs, filled by :func:`kind` as the modules are imported.
KINDS: dict[str, Kind] = {}


def kind(name: str, *, phase: str, params: type) -> Callable[[type], type]:
    """Register the decorated matcher class as the rule kind ``name``."""

    def register(matcher: type) -> type:
        if name in KINDS:
            raise RuntimeError(f"rule kind {name!r} registered twice")
        KINDS[name] = Kind(name, phase, params, matcher)
        return matcher

    return register


from . import (  # noqa: E402  (the kind modules register themselves with the names above)
    acronym_expansion,
    block_drop,
    body_trim,
    false_friend,
    fragment_repair,
    glossary,
    institution_pronoun,
    language_residue,
    line_drop,
    mojibake,
    near_duplicates,
    pattern_replace,
    source_sentence,
    whitespace,
)

__all__ = [
    "KINDS",
    "Candidate",
    "Kind",
    "KindParams",
    "Matcher",
    "Param",
    "RuleGroup",
    "ZonedParams",
    "acronym_expansion",
    "block_drop",
    "body_trim",
    "compile_each",
    "false_friend",
    "fragment_repair",
    "glossary",
    "institution_pronoun",
    "kind",
    "language_residue",
    "line_drop",
    "mojibake",
    "near_duplicates",
    "param",
    "pattern_replace",
    "source_sentence",
    "whitespace",
]
