"""Kind ``fragment-repair``: JSON/HTML attribute leaks in the visible text.

A widget's data attribute (``data-x='{"...":"EI","text":"<value>"}}'>``)
leaks into the text and its quotes get mangled by translation::

    reality:EI“,” text “:” Iraqi forces ... attack ISIS “}}”>Iraqi forces ... tackle ...
    retain000 active combatants “,” text “:” in all 10,000 ... “}} ‘>in all 10,000 ...

The visible text (after ``>``) is kept once; the key/value residue goes, and
so does the leftover glued before it: a tail of the attribute value, or a
short token glued to the preceding word (a source-language abbreviation
such as ``EI``). A residue whose structure does not parse is only reported.

Parameters: ``keys`` (attribute keys to recognise), ``max_value`` (longest
attribute value, in characters), ``abbreviations`` (leftover tokens to remove
even when not glued).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import regex

from ..document import Document
from ..matching import GuardedPattern, compile_regex
from ..rule import Rule
from . import Candidate, KindParams, RuleGroup, kind, param


@dataclass(frozen=True)
class Params(KindParams):
    keys: list[str] = param(["text", "title", "alt", "caption", "label", "description"])
    max_value: int = 600
    abbreviations: list[str] = param([])

    def check(self) -> None:
        keys = self.keys
        if not keys or not all(isinstance(k, str) and regex.fullmatch(r"\w+", k) for k in keys):
            raise ValueError("keys must be a non-empty list of attribute names")
        if not all(isinstance(a, str) and a for a in self.abbreviations):
            raise ValueError("abbreviations must be a list of strings")


@dataclass(frozen=True)
class Compiled:
    #: A whole residue, from its head to its closing '}}">'.
    full: GuardedPattern
    #: Where a residue starts ('“,” text “:” “').
    head: GuardedPattern


QUOTE = "[“”„‟\"'‘’‚‛«»]"
SPACE = r"[^\S\n]*"
#: A glued leftover token is at most this long.
MAX_GLUED = 12
#: A value tail counts as a leftover from this many characters on.
MIN_TAIL = 4
#: A tail this long, of two words or more, is the value's copy even when it
#: starts inside a glued word ("carryssengers a day" for "passengers a day").
SURE_TAIL = 8
#: Characters before a residue, beyond its value's length, searched for a glued leftover.
LOOKBACK = 256


def _compile(rule: Rule) -> Compiled:
    p = rule.params
    key = "(?P<key>" + "|".join(map(regex.escape, p.keys)) + ")"
    opener = f"(?:{QUOTE}{SPACE},{SPACE}{QUOTE}|\\{{{SPACE}{QUOTE})"
    head = f"{opener}{SPACE}{key}{SPACE}{QUOTE}{SPACE}:{SPACE}{QUOTE}"
    full = compile_regex(
        f"(?i){head}{SPACE}(?P<value>[^\\n]{{0,{p.max_value}}}?){SPACE}{QUOTE}?{SPACE}"
        f"\\}}{{1,3}}{SPACE}{QUOTE}?{SPACE}>"
    )
    return Compiled(full=full, head=compile_regex(f"(?i){head}"))


def _common_tail(before: str, value: str) -> int:
    """Length of the longest common suffix of ``before`` and ``value``."""
    n = 0
    while n < min(len(before), len(value)) and before[-1 - n] == value[-1 - n]:
        n += 1
    return n


def _is_glue_point(text: str, i: int) -> bool:
    """A word boundary with no space: after punctuation, lower->upper, letter<->digit."""
    if i <= 0 or i >= len(text):
        return False
    a, b = text[i - 1], text[i]
    if a.isspace() or b.isspace():
        return False
    return (
        (not a.isalnum() and b.isalnum())
        or (a.islower() and b.isupper())
        or (a.isalpha() and b.isdigit())
        or (a.isdigit() and b.isalpha())
    )


def leftover_start(before: str, value: str, abbreviations: Sequence[str]) -> int:
    """Where the debris glued before the residue starts, in ``before``."""
    stripped = before.rstrip()
    end = len(stripped)
    tail = _common_tail(stripped, value.rstrip())
    if tail >= MIN_TAIL:
        start = end - tail
        # The copy must start a word, or be glued on: never cut a word in two.
        if start == 0 or stripped[start - 1].isspace() or _is_glue_point(stripped, start):
            return start
        if tail >= SURE_TAIL and " " in stripped[start:end].strip():
            return start
        # Otherwise shrink to the next word start or glue point inside the tail.
        for i in range(start + 1, end - MIN_TAIL + 1):
            if stripped[i - 1].isspace() or _is_glue_point(stripped, i):
                return i
    token_start = end
    while token_start > 0 and not stripped[token_start - 1].isspace():
        token_start -= 1
    token = stripped[token_start:end]
    for abbreviation in abbreviations:
        if token.endswith(abbreviation):
            start = end - len(abbreviation)
            if start == token_start or _is_glue_point(stripped, start):
                return start
    # A short alphanumeric token glued onto a whole word ("reality:EI").
    for i in range(end - 2, max(token_start, end - MAX_GLUED) - 1, -1):
        if _is_glue_point(stripped, i) and stripped[i:end].isalnum():
            word = stripped[token_start:i].rstrip(":;,.")
            if len(word) >= 2 and word.isalpha():
                return i
            break
    return len(before) if before == stripped else end


@kind("fragment-repair", phase="fragments", params=Params)
class FragmentRepair(RuleGroup):
    compile_rule = staticmethod(_compile)

    def find(self, doc: Document) -> Iterator[Candidate]:
        text = doc.text
        for rule in self.rules:
            p, c = rule.params, self.compiled[rule.code]
            if not any(key.lower() in doc.lower for key in p.keys):
                continue
            # Every residue starts with a head ('“,” text “:” “'); the full parse
            # runs only where a '}' follows on the same line, so a line of heads
            # and no closing brace costs one scan, not one per head.
            reach = p.max_value + LOOKBACK
            closing = _NextIndex(text, "}")
            newline = _NextIndex(text, "\n")
            done = 0  # end of the last repaired residue
            for head in c.head.finditer(text):
                if head.start() < done:
                    continue
                close = closing.after(head.end())
                m = None
                if close >= 0 and close < newline.after(head.end()):
                    m = c.full.match(text, head.start())
                if m is None:
                    yield Candidate(
                        head.start(),
                        head.end(),
                        head.group(0),
                        rule,
                        message="attribute residue whose structure does not parse; left alone",
                        report=True,
                    )
                    continue
                # What is glued before a residue is looked for in a bounded window
                # (the value's length and a glued token): linear on any line length.
                line_start = max(
                    text.rfind("\n", max(0, m.start() - reach), m.start()) + 1, m.start() - reach
                )
                before = text[line_start : m.start()]
                start = line_start + leftover_start(before, m.group("value"), p.abbreviations)
                after = text[m.end() : m.end() + 1]
                glue = start > line_start and not text[start - 1].isspace()
                replacement = " " if glue and after and not after.isspace() else ""
                done = m.end()
                yield Candidate(start, m.end(), replacement, rule)


class _NextIndex:
    """Where a character next occurs at or after a position that only moves forward."""

    def __init__(self, text: str, char: str) -> None:
        self.text = text
        self.char = char
        self.found = -2  # not searched yet

    def after(self, position: int) -> int:
        """Index of the next occurrence at or after ``position`` (len(text) if none)."""
        if self.found == -2 or (0 <= self.found < position):
            index = self.text.find(self.char, position)
            self.found = index if index >= 0 else len(self.text)
        return self.found
