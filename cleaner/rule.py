"""What a rule is once loaded: plain data, no behaviour.

A rule is a row of a TOML pack. Its ``kind`` names the engine primitive that
runs it (``cleaner/kinds/<kind>.py``); ``params`` are that kind's parameters
(its frozen ``Params`` dataclass), validated; what the kind compiles from them
lives on the kind's matcher, not here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Safety(StrEnum):
    """How far a rule's fix may be trusted.

    ``safe`` fixes are applied by default, ``unsafe`` ones only with
    ``--unsafe-fixes`` (they depend on context a pattern cannot fully see),
    ``display`` rules only report and never change text.
    """

    SAFE = "safe"
    UNSAFE = "unsafe"
    DISPLAY = "display"


@dataclass(frozen=True)
class FixExample:
    """An input the rule must fix and the exact output it must produce."""

    input: str
    output: str


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    kind: str
    description: str
    languages: tuple[str, ...]
    safety: Safety
    #: The kind's frozen ``Params`` (:mod:`cleaner.kinds`): data only, never compiled state.
    params: Any = field(hash=False, compare=False)
    fixes: tuple[FixExample, ...] = ()
    keeps: tuple[str, ...] = ()
    source_langs: tuple[str, ...] = ()
    pack: str = ""
    origin: str = ""  # "path:line" of the rule's table, for messages
    #: The pack file's real directory: the only place the rule may read data files from.
    directory: str = ""
    #: ``enabled = false`` in the pack: loaded, listed and its examples tested, but never
    #: run by a Cleaner until a person sets it to true (how ``suggest`` writes its rules).
    enabled: bool = True
    #: Why what the rule matches is debris, not article text (ruff's "Why is this bad?").
    why: str = ""

    @property
    def family(self) -> str:
        """The code's letter prefix (``BP`` for ``BP101``), as in ruff."""
        return self.code.rstrip("0123456789")

    def applies_to(self, lang: str | None, source_lang: str | None = None) -> bool:
        """Whether the rule runs on a document in ``lang`` translated from ``source_lang``.

        Language-neutral rules (``*``) apply to every document language; rules
        with ``source_langs`` run only when the translation's source language
        is known and listed (it is never guessed).
        """
        if self.source_langs and source_lang not in self.source_langs:
            return False
        if "*" in self.languages:
            return True
        return lang is not None and lang in self.languages


class RuleFileError(Exception):
    """One or more problems in rule files, each formatted ``path:line: message``."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))
