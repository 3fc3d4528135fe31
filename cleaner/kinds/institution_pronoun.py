"""Kind ``institution-pronoun``: an institution called "she" by translation.

French (and other) nouns have grammatical gender: "la coalition ... elle a
multiplié ses annonces" is machine-translated as "the coalition ... she has
multiplied her announcements". Where the nearest antecedent is an
institution and nothing in the window points to a woman, ``she``/``her``
become ``it``/``its``. Context-dependent, so rules of this kind should be
``unsafe``.

Parameters: ``institutions`` (regex of institution nouns), ``blockers``
(regex of cues that a woman may be meant: female nouns, titles, names;
matched in any case),
``pronouns`` (table of pronoun -> replacement; ``her`` is decided in code:
``its`` before a noun, ``it`` otherwise), ``window_lines`` (how many
non-blank lines before the pronoun's line are searched for the antecedent)
and ``blocker_window_lines`` (how far back a blocker still counts: a woman
named by title two paragraphs up may be "she" by surname alone).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass

from ..document import Document
from ..matching import GuardedPattern, compile_regex, trie_pattern
from ..rule import Rule
from . import Candidate, KindParams, RuleGroup, kind, param


@dataclass(frozen=True)
class Params(KindParams):
    institutions: str = param()
    blockers: str = param()
    pronouns: dict[str, str] = param(
        {"she": "it", "her": "its", "herself": "itself", "hers": "its"}
    )
    window_lines: int = 1
    blocker_window_lines: int = 3

    def check(self) -> None:
        if not self.pronouns or not all(isinstance(v, str) for v in self.pronouns.values()):
            raise ValueError("pronouns must be a table of strings")
        if not 0 <= self.window_lines <= self.blocker_window_lines:
            raise ValueError("need 0 <= window_lines <= blocker_window_lines")


@dataclass(frozen=True)
class Compiled:
    institution: GuardedPattern
    blocker: GuardedPattern
    pronoun: GuardedPattern


#: After these words (or punctuation) "her" is an object pronoun: "it".
_OBJECT_CONTEXT = compile_regex(
    r"(?i)[^\S\n]*(?:[.,;:!?)\"”’]|$|(?:to|in|of|on|at|for|with|by|from|as|and|or|but|that|"
    r"which|who|because|if|when|while|since|after|before|into|over|again|too|also)\b)"
)


def _compile(rule: Rule) -> Compiled:
    p = rule.params
    return Compiled(
        institution=compile_regex(f"(?i)\\b(?:{p.institutions})\\b"),
        blocker=compile_regex(f"(?i)\\b(?:{p.blockers})\\b"),
        pronoun=compile_regex(f"(?i)(?<![\\w'’-])(?:{trie_pattern(p.pronouns)})(?![\\w'’-])"),
    )


def _match_case(word: str, replacement: str) -> str:
    return replacement[:1].upper() + replacement[1:] if word[:1].isupper() else replacement


@kind("institution-pronoun", phase="inline", params=Params)
class InstitutionPronoun(RuleGroup):
    compile_rule = staticmethod(_compile)

    def find(self, doc: Document) -> Iterator[Candidate]:
        text = doc.text
        for rule in self.rules:
            p, c = rule.params, self.compiled[rule.code]
            for m in c.pronoun.finditer(text):
                context = text[self._window_start(doc, m.start(), p.window_lines) : m.start()]
                if not c.institution.search(context):
                    continue
                wider_start = self._window_start(doc, m.start(), p.blocker_window_lines)
                if c.blocker.search(text, wider_start, m.start()):
                    continue
                word = m.group(0)
                replacement = p.pronouns[word.lower()]
                if word.lower() == "her" and _OBJECT_CONTEXT.match(text, m.end()):
                    replacement = p.pronouns.get("she", "it")
                yield Candidate(m.start(), m.end(), _match_case(word, replacement), rule)

    @staticmethod
    def _window_start(doc: Document, offset: int, lines_back: int) -> int:
        index = doc.line_of(offset)
        k = bisect_left(doc.nonblank, index)
        first = doc.nonblank[max(0, k - lines_back)] if lines_back and k > 0 else index
        return doc.line_starts[first]
