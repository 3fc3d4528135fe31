"""Kind ``source-sentence``: a sentence left in the source language between English ones.

A translation pipeline skips what it cannot parse: a quote, a slogan, a
sentence with markup inside it. The paragraph around it is English; the
sentence is still in the language the article was translated from.
``language-residue`` judges whole lines of a dozen words or more; this kind
judges the sentences of a line, so it finds the one sentence left inside an
English paragraph, and short lines between English ones.

It needs no word list per language: a sentence is flagged when it has at
least ``min_words`` words, few of them are English stop-words, and the
language detector (langdetect, fixed seed) finds the document's *source*
language in it with at least ``min_probability``. It runs only when the
source language is known or inferred and differs from the document's.
The fix drops the sentence, so rules of this kind should be ``unsafe``.

Parameters: ``min_words``, ``min_probability``, ``stopwords`` /
``stopword_share`` (as in ``language-residue``), ``whole_line_words`` (a
line that is one sentence of at least this many words is left to
``language-residue``), ``max_detections`` (sentences judged per document).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar

import regex

from .. import language
from ..document import Document, words
from ..rule import Rule
from . import Candidate, RuleGroup, kind, language_residue, param


@dataclass(frozen=True)
class Params(language_residue.Params):
    min_words: int = 5
    min_probability: float = 0.9
    stopword_share: float = 0.15
    max_detections: int = param(24, doc="sentences judged per document at most")
    whole_line_words: int = param(12, doc="longer one-sentence lines: not judged")

    FEWEST_WORDS: ClassVar[int] = 4


#: A sentence: up to its end punctuation and closing quotes, with the space after it.
_SENTENCE = regex.compile(r"[^\s].*?(?:[.!?…]+[\"'”’»)\]]*(?=\s|$)|$)[^\S\n]*")


def sentences(line: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``line``, the space after it included."""
    return [m.span() for m in _SENTENCE.finditer(line) if m.group(0).strip()]


@kind("source-sentence", phase="lines", params=Params)
class SourceSentence(RuleGroup):
    compile_rule = staticmethod(language_residue.stopwords)

    def find(self, doc: Document) -> Iterator[Candidate]:
        if doc.source_lang is None or doc.lang is None or doc.source_lang == doc.lang:
            return
        for rule in self.rules:
            yield from _find(rule, self.compiled[rule.code], doc)


def _find(rule: Rule, stopwords: frozenset[str], doc: Document) -> Iterator[Candidate]:
    p = rule.params
    source = doc.source_lang
    judged = 0
    for index in doc.nonblank:
        line = doc.lines[index]
        spans = sentences(line)
        line_start = doc.line_span(index)[0]
        for start, end in spans:
            tokens = [t for t in words(line[start:end]) if t.isalpha()]
            if len(tokens) < p.min_words:
                continue
            if len(spans) == 1 and len(tokens) >= p.whole_line_words:
                continue  # a whole foreign line: language-residue's
            if stopwords:
                share = sum(t in stopwords for t in tokens) / len(tokens)
                if share >= p.stopword_share:
                    continue
            if judged >= p.max_detections:
                return
            judged += 1
            if language.detect_line(line[start:end].strip(), p.min_probability) != source:
                continue
            if end == len(line) and start > 0:
                # The last sentence of its line: drop the space before it instead.
                start = len(line[:start].rstrip())
            elif start == 0 and end == len(line) and line_start + end < len(doc.text):
                end += 1  # the whole line: its line break goes with it
            message = f"sentence in '{source}' (the source language) in '{doc.lang}' text"
            yield Candidate(line_start + start, line_start + end, "", rule, message=message)
