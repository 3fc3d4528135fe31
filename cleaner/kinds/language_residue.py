"""Kind ``language-residue``: a paragraph left in another language.

Machine-translation pipelines skip what they cannot parse (a quote, a
related-links list, a caption) and leave it in the source language. A line
long enough for detection to be reliable whose language (langdetect, fixed
seed) differs from the document's with high probability is flagged; the fix
drops the line, so rules of this kind are ``unsafe`` (reported by default).

Parameters: ``min_words`` (shorter lines are never judged), ``min_probability``,
``stopwords`` (document-language words: a line where at least
``stopword_share`` of the words are among them is clearly in the document's
language and skips langdetect, which is slow), ``max_detections`` (lines
judged per document at most, so a page of foreign menus stays cheap).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar, Final

from .. import language
from ..document import Document, words
from ..rule import Rule
from . import Candidate, KindParams, RuleGroup, kind, param


@dataclass(frozen=True)
class Params(KindParams):
    """Which lines are judged, and how sure langdetect must be (``source-sentence``
    judges sentences with the same parameters and other defaults)."""

    min_words: int = 12
    min_probability: float = 0.95
    stopwords: list[str] = param([])
    stopword_share: float = 0.2
    max_detections: int = param(12, doc="lines judged per document at most")

    #: Below this many words langdetect's verdict is unreliable.
    FEWEST_WORDS: ClassVar[int] = 5

    def check(self) -> None:
        if self.min_words < self.FEWEST_WORDS:
            raise ValueError(
                f"min_words below {self.FEWEST_WORDS} makes language detection unreliable"
            )
        if not 0.5 <= self.min_probability <= 1.0:
            raise ValueError("min_probability must be between 0.5 and 1.0")


def stopwords(rule: Rule) -> frozenset[str]:
    """The rule's document-language stop-words, lower-cased (its compiled state)."""
    return frozenset(w.lower() for w in rule.params.stopwords)


#: A line the rule never judges (too short, or clearly in the document's language).
_SKIP: Final = object()
#: langdetect has not judged the line yet.
_UNJUDGED: Final = object()


@kind("language-residue", phase="lines", params=Params)
class LanguageResidue(RuleGroup):
    """Flags lines in another language than the document's.

    A line's verdict depends on the line and the rule alone, so it is kept in the
    document's memo: the fixpoint's later rounds see the same lines again and do not
    run langdetect on them twice.
    """

    compile_rule = staticmethod(stopwords)

    def find(self, doc: Document) -> Iterator[Candidate]:
        if doc.lang is None:
            return
        memo = doc.memo_for(self)
        for rule in self.rules:
            p, stopwords = rule.params, self.compiled[rule.code]
            judged = 0
            for index in doc.nonblank:
                line = doc.lines[index]
                key = (rule.code, line)
                verdict = memo.get(key)
                if verdict is None:
                    verdict = memo[key] = _screen(line, p, stopwords)
                if verdict is _SKIP:
                    continue
                if judged >= p.max_detections:
                    break
                judged += 1
                sample, found = verdict
                if found is _UNJUDGED:
                    found = language.detect_line(sample, p.min_probability)
                    memo[key] = (sample, found)
                if found is not None and found != doc.lang:
                    start, end = doc.line_span(index)
                    message = f"line in '{found}', document in '{doc.lang}'"
                    yield Candidate(start, end, "", rule, message=message)


def _screen(line: str, p: Params, stopwords: frozenset[str]) -> object:
    """``_SKIP`` for a line the rule does not judge, else ``(sample, _UNJUDGED)``: the
    text langdetect is to judge, its verdict not known yet."""
    # Numbers, dates and handles say nothing about the language.
    tokens = [t for t in words(line) if t.isalpha()]
    if len(tokens) < p.min_words:
        return _SKIP
    if stopwords:
        share = sum(t in stopwords for t in tokens) / len(tokens)
        if share >= p.stopword_share:
            return _SKIP
    # langdetect misreads text in capitals; judge it in lower case.
    sample = line.lower() if sum(c.isupper() for c in line) > len(line) / 3 else line
    return sample, _UNJUDGED
