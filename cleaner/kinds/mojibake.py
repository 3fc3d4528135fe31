"""Kind ``mojibake``: text decoded with the wrong encoding, repaired by ftfy.

``Mayorâ€™s`` is UTF-8 read as Windows-1252. ftfy (the standard for this)
reverses it. It runs only on lines its own badness check flags, and with
every fix that changes what is not broken turned off: no quote uncurling,
no width or ligature changes, no Unicode normalisation, no HTML unescaping,
line breaks kept. Each repair is logged with ftfy's explanation (the
encode/decode steps it replayed).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from types import ModuleType

from ..document import Document
from ..reparser import opcodes, parse
from . import Candidate, KindParams, RuleGroup, kind


@dataclass(frozen=True)
class Params(KindParams):
    """No parameters: the repair is ftfy's."""


#: Only encoding repairs: everything that would touch unbroken text is off
#: (the arguments of ``ftfy.TextFixerConfig``).
CONFIG = dict(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_control_chars=False,
    normalization=None,
    explain=True,
)


#: Non-ASCII characters that common clean text is full of (typographic quotes,
#: dashes, bullets, no-break space) and that ftfy's badness regex cannot match
#: with ASCII alone: a text with no other non-ASCII character is not mojibake.
#: tests/test_kinds.py checks this against the installed ftfy.
HARMLESS = frozenset("\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u2022\u00a0\u00ab\u00bb\u00b7")


@cache
def _ftfy() -> ModuleType:
    """ftfy, imported on first use: it takes a third of the package's import time,
    and most short runs meet no text that needs it."""
    import ftfy
    import ftfy.badness

    return ftfy


@cache
def _config() -> object:
    return _ftfy().TextFixerConfig(**CONFIG)


def _badness_re() -> re.Pattern:
    return _ftfy().badness.BADNESS_RE


def could_be_bad(text: str) -> bool:
    """False when ``text`` holds nothing ftfy's badness regex could match."""
    return not text.isascii() and any(ord(c) > 127 and c not in HARMLESS for c in set(text))


def _top_level_pieces(pattern: str) -> list[str]:
    """``pattern`` (a verbose regex) split at its top-level ``|``."""
    pieces: list[str] = []
    current: list[str] = []
    depth, in_class, in_comment, i = 0, False, False, 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and not in_comment:
            current.append(pattern[i : i + 2])
            i += 2
            continue
        if in_comment:
            in_comment = ch != "\n"
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "#":
            in_comment = True
        elif ch in "()":
            depth += 1 if ch == "(" else -1
        elif ch == "|" and depth == 0:
            pieces.append("".join(current))
            current = []
            i += 1
            continue
        current.append(ch)
        i += 1
    pieces.append("".join(current))
    return pieces


def _required_sets(items: list) -> list[frozenset[str]]:
    """The character sets a branch must take one character from, item by item."""
    required = []
    for op, arg in items:
        if op is opcodes.LITERAL:
            required.append(frozenset(chr(arg)))
        elif op is opcodes.IN:
            chars: set[str] = set()
            for member_op, member in arg:
                if member_op is opcodes.LITERAL:
                    chars.add(chr(member))
                elif member_op is opcodes.RANGE:
                    chars.update(map(chr, range(member[0], member[1] + 1)))
                else:  # a category or a negation: anything may match
                    break
            else:
                required.append(frozenset(chars))
    return required


@cache
def _badness_branches() -> tuple[tuple[str, list[frozenset[str]]], ...] | None:
    """ftfy's badness regex as (source, required character sets) per alternative.

    ``None`` when the installed ftfy's regex does not have the expected shape
    (one top-level alternation whose pieces parse back to its branches): then
    the whole regex is used, as ftfy does.
    """
    try:
        tree = parse(_badness_re().pattern, _badness_re().flags)
        ((op, (_, branches)),) = tree.data
        pieces = _top_level_pieces(_badness_re().pattern)
        if op is not opcodes.BRANCH or len(pieces) != len(branches):
            return None
        pairs = list(zip(pieces, branches, strict=True))
        for piece, branch in pairs:
            if str(parse(piece, _badness_re().flags).data) != str(branch.data):
                return None
        return tuple((piece, _required_sets(branch.data)) for piece, branch in pairs)
    except (ValueError, TypeError, re.error):
        return None


@cache
def _alternation(indices: tuple[int, ...]) -> re.Pattern | None:
    branches = _badness_branches()
    assert branches is not None
    if not indices:
        return None
    # A new line before each "|": a piece may end in a verbose-mode comment.
    return re.compile("\n|".join(branches[i][0] for i in indices), _badness_re().flags)


def badness_regex(text: str) -> re.Pattern | None:
    """ftfy's badness regex reduced to the alternatives that can match in ``text``.

    An alternative that needs a character from a set ``text`` has none of
    cannot match anywhere in it, and dropping it changes no match of the
    others; most documents leave three or four of the 37, which scan several
    times faster. ``None``: nothing can match.
    """
    branches = _badness_branches()
    if branches is None:
        return _badness_re()
    chars = set(text)
    viable = tuple(
        i
        for i, (_, required) in enumerate(branches)
        if all(not needed.isdisjoint(chars) for needed in required)
    )
    return _alternation(viable)


def explain(steps: list[tuple[str, str]] | None) -> str:
    return "ftfy: " + ", ".join(f"{action} {arg}" for action, arg in steps or [])


@kind("mojibake", phase="encoding", params=Params)
class Mojibake(RuleGroup):
    def find(self, doc: Document) -> Iterator[Candidate]:
        if not self.rules:
            return
        rule = self.rules[0]
        for index in _bad_lines(doc, doc.memo_for(self)):
            line = doc.lines[index]
            fixed = _ftfy().fix_and_explain(line, _config())
            if fixed.text != line:
                start = doc.line_starts[index]
                yield Candidate(
                    start, start + len(line), fixed.text, rule, message=explain(fixed.explanation)
                )


def _bad_lines(doc: Document, memo: dict[str, bool]) -> list[int]:
    """Indices of the lines ftfy's ``is_bad`` flags, judged on their own.

    The first pass over a document scans it once and remembers every line's
    verdict; later passes (the fixpoint's rounds) only judge lines they have
    not seen, which are the few that changed.
    """
    if not memo:
        # Every repair this configuration makes involves a non-ASCII character other
        # than common punctuation; checking that is far cheaper than the regex.
        suspects = set(_suspect_lines(doc)) if could_be_bad(doc.text) else set()
        for index, line in enumerate(doc.lines):
            memo[line] = index in suspects and _ftfy().badness.is_bad(line)
        memo[""] = memo.get("", False)  # the memo is not empty from now on
    bad = []
    for index, line in enumerate(doc.lines):
        verdict = memo.get(line)
        if verdict is None:
            verdict = memo[line] = could_be_bad(line) and _ftfy().badness.is_bad(line)
        if verdict:
            bad.append(index)
    return bad


def _suspect_lines(doc: Document) -> list[int]:
    """Lines touched by a match of ftfy's badness regex over the whole text.

    One scan of the document instead of one search a line; a line is only
    repaired if ``is_bad`` also flags it on its own, as before.
    """
    suspects: set[int] = set()
    pattern = badness_regex(doc.text)
    if pattern is None:
        return []
    for m in pattern.finditer(doc.text):
        suspects.update(range(doc.line_of(m.start()), doc.line_of(max(m.end() - 1, m.start())) + 1))
    return sorted(suspects)
