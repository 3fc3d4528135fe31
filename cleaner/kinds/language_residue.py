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

from collections.abc import Iterator, Sequence

from .. import language
from ..document import Document, words
from ..rule import Rule
from . import Candidate, Param, RuleGroup

NAME = "language-residue"
PHASE = "lines"
PARAMS = {
    "min_words": Param(int, default=12),
    "min_probability": Param(float, default=0.95),
    "stopwords": Param(list, default=[]),
    "stopword_share": Param(float, default=0.2),
    "max_detections": Param(int, default=12, doc="lines judged per document at most"),
}


def prepare(rule: Rule) -> None:
    p = rule.params
    if p["min_words"] < 5:
        raise ValueError("min_words below 5 makes language detection unreliable")
    if not 0.5 <= p["min_probability"] <= 1.0:
        raise ValueError("min_probability must be between 0.5 and 1.0")
    p["_stopwords"] = frozenset(w.lower() for w in p["stopwords"])


class LanguageResidue(RuleGroup):
    def find(self, doc: Document) -> Iterator[Candidate]:
        if doc.lang is None:
            return
        for rule in self.rules:
            p = rule.params
            judged = 0
            for index in doc.nonblank:
                line = doc.lines[index]
                # Numbers, dates and handles say nothing about the language.
                tokens = [t for t in words(line) if t.isalpha()]
                if len(tokens) < p["min_words"]:
                    continue
                if p["_stopwords"]:
                    share = sum(t in p["_stopwords"] for t in tokens) / len(tokens)
                    if share >= p["stopword_share"]:
                        continue
                # langdetect misreads text in capitals; judge it in lower case.
                sample = line.lower() if sum(c.isupper() for c in line) > len(line) / 3 else line
                if judged >= p["max_detections"]:
                    break
                judged += 1
                found = language.detect_line(sample, p["min_probability"])
                if found is not None and found != doc.lang:
                    start, end = doc.line_span(index)
                    message = f"line in '{found}', document in '{doc.lang}'"
                    yield Candidate(start, end, "", rule, message=message)


def compile(rules: Sequence[Rule]) -> LanguageResidue:
    return LanguageResidue(rules)
