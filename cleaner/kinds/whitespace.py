"""Kind ``whitespace``: spacing and layout normalisation.

Parameter ``action`` picks one entry of :data:`ACTIONS`, a table of
(pattern, replacement) pairs kept apart from the logic. Layout actions
(blank lines, document edges) are what tidies the gaps a dropped line leaves.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..document import Document
from ..matching import GuardedPattern, compile_regex
from ..rule import Rule
from . import Candidate, KindParams, RuleGroup, kind, param

_H = r"[^\S\n]"  # horizontal white space, NBSP included
_NBSP = "\u00a0\u202f\u2007"

#: action -> (pattern, replacement). Patterns never cross or remove text.
ACTIONS: dict[str, tuple[str, str]] = {
    # A no-break space (with any spaces around it) between two words, except
    # where typography wants one: before : ; ? ! » % €, after «, between digits.
    "nbsp-runs": (
        rf"(?<=[^\s«])(?!(?<=\d){_H}*[{_NBSP}]{_H}*\d){_H}*[{_NBSP}]{_H}*(?=[^\s:;?!»%€])",
        " ",
    ),
    # Two or more plain spaces between words.
    "inner-spaces": (r"(?<=\S) {2,}(?=\S)", " "),
    # (A run is found from its first character, so no look-behind is needed.)
    "trailing-spaces": (rf"(?m){_H}+$", ""),
    "leading-spaces": (rf"(?m)^{_H}+(?=\S)", ""),
    # Two or more blank lines (white space only) become one.
    "blank-line-runs": (rf"(?<=\n)(?:{_H}*\n){{2,}}", "\n"),
    # No blank lines before the text ...
    "document-start": (r"\A\s+(?=\S)", ""),
    # ... and exactly one line break after it (like pre-commit's end-of-file-fixer).
    # (Searched backwards from the end: a forward scan would try every position.)
    "document-end": (r"(?r)(?<=\S)\s*\Z", "\n"),
}

#: Actions that match at most once, at a document edge: one search, not a scan.
EDGE_ACTIONS = frozenset({"document-start", "document-end"})

#: action -> characters of which one must occur for the action to match.
REQUIRED: dict[str, tuple[str, ...]] = {
    "nbsp-runs": tuple(_NBSP),
    "inner-spaces": ("  ",),
}


@dataclass(frozen=True)
class Params(KindParams):
    action: str = param(choices=tuple(ACTIONS))


def _compile(rule: Rule) -> tuple[GuardedPattern, str]:
    pattern, replacement = ACTIONS[rule.params.action]
    return compile_regex(pattern, deferred=True), replacement


@kind("whitespace", phase="layout", params=Params)
class Whitespace(RuleGroup):
    compile_rule = staticmethod(_compile)

    def find(self, doc: Document) -> Iterator[Candidate]:
        text = doc.text
        for rule in self.rules:
            action = rule.params.action
            if (action == "document-start" and not doc.at_start) or (
                action == "document-end" and not doc.at_end
            ):
                continue  # a piece of a larger file: its edges are not the document's
            required = REQUIRED.get(action)
            if required and not any(r in text for r in required):
                continue
            pattern, replacement = self.compiled[rule.code]
            if action in EDGE_ACTIONS:
                edge = pattern.search(text)
                matches = [edge] if edge is not None else []
            else:
                matches = pattern.finditer(text)
            for m in matches:
                if m.group(0) != replacement:
                    yield Candidate(m.start(), m.end(), replacement, rule)
