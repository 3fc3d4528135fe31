"""Rule kinds: the engine's primitives, one module each.

A kind module defines

- ``NAME``: the ``kind = "..."`` value rules use,
- ``PHASE``: when the engine runs it (see :data:`cleaner.engine.PHASES`),
- ``PARAMS``: the TOML keys it takes, as :class:`Param` specs,
- ``prepare(rule)``: compile a rule's parameters (raises ``ValueError``),
- ``compile(rules)``: build one matcher for all the rules of that kind and
  pack, whose ``find(doc)`` yields :class:`Candidate` edits.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Protocol

from ..document import Document
from ..rule import Rule, RuleFileError

#: Key a deferred rule carries in ``params`` until its kind has prepared it
#: (see :func:`cleaner.loader.load_pack`).
UNPREPARED = "_unprepared"
_PREPARING = threading.Lock()


@dataclass(frozen=True)
class Param:
    """One TOML parameter of a kind."""

    type: type | tuple[type, ...]
    required: bool = False
    default: Any = None
    choices: tuple[Any, ...] = ()
    doc: str = ""


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


class Matcher(Protocol):
    def find(self, doc: Document) -> Iterable[Candidate]: ...


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


class RuleGroup:
    """Base of a kind's matcher: the rules (of one kind and pack) it runs."""

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = list(rules)


def prepare(rule: Rule, *, strict: bool = True) -> None:
    """Let the rule's kind compile its parameters; ``ValueError("rule CODE: ...")`` if it can't.

    ``strict`` also compiles the patterns a kind defers to their first use, so a
    bad one is reported now (how the loader prepares a user's pack).
    """
    from ..matching import GuardedPattern

    try:
        KINDS[rule.kind].prepare(rule)
        if strict:
            for value in rule.params.values():
                for item in value if isinstance(value, list | tuple) else (value,):
                    if isinstance(item, GuardedPattern):
                        item.compile()
    except ValueError as exc:
        raise ValueError(f"rule {rule.code}: {exc}") from None
    except Exception as exc:  # a pack is untrusted data: report, never crash
        raise ValueError(f"rule {rule.code}: cannot prepare: {type(exc).__name__}: {exc}") from None
    rule.params.pop(UNPREPARED, None)


def prepared(rules: Sequence[Rule]) -> list[Rule]:
    """``rules``, each prepared by its kind if the loader deferred that.

    Safe to call from several threads (a cleaner is shared by threads). A
    deferred rule that fails here raises :class:`~cleaner.rule.RuleFileError`
    naming its ``path:line``, as the loader would have.
    """
    rules = list(rules)
    if any(UNPREPARED in r.params for r in rules):
        with _PREPARING:
            for rule in rules:
                if UNPREPARED in rule.params:
                    try:
                        prepare(rule, strict=False)
                    except ValueError as exc:
                        raise RuleFileError([f"{rule.origin}: {exc}"]) from None
    return rules


def _registry() -> dict[str, ModuleType]:
    from . import (
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

    modules = (
        mojibake,
        fragment_repair,
        pattern_replace,
        glossary,
        acronym_expansion,
        false_friend,
        institution_pronoun,
        block_drop,
        line_drop,
        language_residue,
        source_sentence,
        body_trim,
        near_duplicates,
        whitespace,
    )
    return {m.NAME: m for m in modules}


KINDS: dict[str, ModuleType] = _registry()
