"""The damage guard: removing the page around an article is the job, gutting it is not.

After the rules have run, the guard compares the document before and after:

- **prose loss**: the share of the input's prose paragraphs (lines of ten
  words or more that end like a sentence, :func:`cleaner.document.is_prose`)
  that the edits removed, weighed by their words (five one-line teasers in a
  menu are a small share of an article), and only once at least three
  paragraphs go (in a short text one sentence-like debris line is already a
  large share). A paragraph counts as removed when at least half of its
  characters lie in text the edits deleted (an edit deletes its span when
  what it writes is less than half as long: a dropped line, a cut block; a
  repair that rewrites a paragraph, or white space collapsing, deletes
  nothing).
- **words left**: the words of the output, when the input had clearly more
  (at least twice the minimum).

A line cut off mid-sentence by the site ('... may soon...': a letter, digit or
comma right before the ellipsis) is no paragraph of the article but a teaser's
summary truncated to fit its box; it counts neither way.

Two kinds of removal do not count, because they remove no content of the
article:

- ``near-duplicates``: the paragraph is still there, in its other copy;
- the *tail* that ``body-trim`` cuts after the article's last paragraph
  (comments, related stories, footers): a comment section is prose, and
  dropping it is precisely the job. Its *head* cut, and any cut a pattern
  rule makes, count: a body-trim that started the article too late, or a
  block rule that ran to the end of the document from a marker at the top,
  is what the guard is for.

The guard also refuses **growth**: a rule whose insertions would make the
document more than ``max_growth`` times (default 2) as long, and more than
:data:`GROWTH_SLACK` characters longer (a glossary turning ``EI`` into
``Islamic State`` in a one-line text is not growth), is as wrong as one that
guts it: a 100-byte article must not come out as 13 MB.

When the prose loss exceeds ``max_prose_loss`` (default 40 %), fewer than
``min_words`` words (default 50) would be left, or the text would grow
beyond ``max_growth``, the document is left unchanged and the reason is
recorded (``DG001 damage-guard``); ``force`` applies the edits anyway (and
still records the numbers).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .changelog import Edit, PassMap
from .document import WORD, Document

#: Share of the prose paragraphs the edits may remove before the document is left alone.
DEFAULT_MAX_PROSE_LOSS = 0.40
#: The prose-loss test needs at least this many paragraphs removed: in a short text one
#: sentence-like debris line (a newsletter prompt, a comment policy) is already a large share.
MIN_PROSE_LOST = 3
#: Fewer words than this left (when the input had at least twice as many) trips the guard.
DEFAULT_MIN_WORDS = 50
#: The output may be at most this many times as long as the input...
DEFAULT_MAX_GROWTH = 2.0
#: ... unless it grew by no more than this many characters (short texts, examples).
GROWTH_SLACK = 256
#: A line the site cut off mid-sentence: a teaser's summary, never the article's paragraph.
TRUNCATED = re.compile(r"[\w,;:](?:\.\.\.|…)\s*$")
#: Kinds whose removals are not losses (the text survives elsewhere).
EXEMPT_KINDS = frozenset({"near-duplicates"})
#: The kind whose tail cut (after the article's last paragraph) is not a loss.
BODY_TRIM = "body-trim"


@dataclass(frozen=True)
class Safeguards:
    """Limits the engine enforces on every document (see the module docstring)."""

    max_prose_loss: float = DEFAULT_MAX_PROSE_LOSS
    min_words: int = DEFAULT_MIN_WORDS
    force: bool = False
    #: Seconds of regex time a rule group gets per pass and per started MiB of text.
    regex_timeout: float = 1.0
    #: Growth guard: the output may be at most this many times as long as the input.
    max_growth: float = DEFAULT_MAX_GROWTH

    def __post_init__(self) -> None:
        if not 0.0 <= self.max_prose_loss <= 1.0:
            raise ValueError("max_prose_loss must be between 0 and 1")
        if self.min_words < 0:
            raise ValueError("min_words must be 0 or more")
        if self.regex_timeout <= 0:
            raise ValueError("regex_timeout must be more than 0 seconds")
        if self.max_growth < 1:
            raise ValueError("max_growth must be 1 or more")


@dataclass(frozen=True)
class Damage:
    """What the edits would do to the document's prose.

    The loss is weighed in words: five one-line teasers in a menu are five
    "paragraphs" but a small share of an article's prose.
    """

    prose_lines: int
    prose_lost: int
    prose_words: int
    prose_words_lost: int
    words_before: int
    words_after: int
    chars_before: int = 0
    chars_after: int = 0

    @property
    def prose_loss(self) -> float:
        return self.prose_words_lost / self.prose_words if self.prose_words else 0.0

    def verdict(self, limits: Safeguards) -> str | None:
        """Why the guard trips, or ``None`` when the edits may stand."""
        reasons = []
        if self.prose_lost >= MIN_PROSE_LOST and self.prose_loss > limits.max_prose_loss:
            reasons.append(
                f"would remove {self.prose_lost} of {self.prose_lines} prose paragraphs "
                f"({self.prose_loss:.0%} of their words > {limits.max_prose_loss:.0%})"
            )
        if self.words_after < limits.min_words <= self.words_before / 2:
            reasons.append(
                f"would leave {self.words_after} of {self.words_before} words "
                f"(< {limits.min_words})"
            )
        growth = self.chars_after - self.chars_before
        if growth > GROWTH_SLACK and self.chars_after > limits.max_growth * self.chars_before:
            reasons.append(
                f"would grow the text from {self.chars_before} to {self.chars_after} characters "
                f"(> {limits.max_growth:g}x)"
            )
        return "; ".join(reasons) or None

    def details(self) -> dict:
        return {
            "prose_paragraphs": self.prose_lines,
            "prose_removed": self.prose_lost,
            "prose_words": self.prose_words,
            "prose_words_removed": self.prose_words_lost,
            "prose_loss": round(self.prose_loss, 4),
            "words_before": self.words_before,
            "words_after": self.words_after,
            "chars_before": self.chars_before,
            "chars_after": self.chars_after,
        }


def original_span(edit: Edit, maps: Sequence[PassMap]) -> tuple[int, int]:
    """Where an edit's span lies in the original input (mapped back through earlier passes)."""
    start, end = edit.start, edit.end
    for pass_map in reversed(maps[: edit.pass_index]):
        start, end = pass_map.to_input(start), pass_map.to_input_end(end)
    return start, max(start, end)


def _removes(edit: Edit) -> bool:
    """Whether an edit deletes text: what it writes is less than half of what it replaces.

    White space does not count: collapsing blank lines removes no content.
    """
    before = edit.before.strip()
    return bool(before) and 2 * len(edit.after.strip()) < len(before)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        elif end > start:
            merged.append((start, end))
    return merged


def _minus(span: tuple[int, int], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``span`` without the (merged, sorted) ``holes``."""
    start, end = span
    parts = []
    for hole_start, hole_end in holes:
        if hole_end <= start or hole_start >= end:
            continue
        if hole_start > start:
            parts.append((start, hole_start))
        start = max(start, hole_end)
    if end > start:
        parts.append((start, end))
    return parts


def removed_spans(
    edits: Sequence[Edit], maps: Sequence[PassMap], kinds: dict[str, str], body_tail: set[int]
) -> list[tuple[int, int]]:
    """Merged spans of the original that the edits deleted and that count as loss.

    Text an exempt edit removed in an earlier pass is not charged to a later
    edit whose span, mapped back, happens to enclose it.
    """
    exempt: list[tuple[int, tuple[int, int]]] = []
    counted: list[tuple[int, tuple[int, int]]] = []
    for index, edit in enumerate(edits):
        if not edit.applied or edit.is_note or not _removes(edit):
            continue
        is_exempt = kinds.get(edit.code) in EXEMPT_KINDS or index in body_tail
        (exempt if is_exempt else counted).append((edit.pass_index, original_span(edit, maps)))
    spans: list[tuple[int, int]] = []
    for pass_index, span in counted:
        earlier = _merge([s for p, s in exempt if p < pass_index])
        spans.extend(_minus(span, earlier))
    return _merge(spans)


def assess(
    original: str,
    cleaned: str,
    edits: Sequence[Edit],
    maps: Sequence[PassMap],
    kinds: dict[str, str],
    body_tail: set[int],
    memo: dict | None = None,
) -> Damage:
    """Measure what ``edits`` (which turned ``original`` into ``cleaned``) do to the prose.

    ``kinds`` maps rule codes to kinds; ``body_tail`` holds the indices (in
    ``edits``) of body-trim's tail cuts. ``memo`` is the engine's per-document memo
    (:meth:`cleaner.document.Document.memo_for`): lines judged while cleaning are not
    judged again.
    """
    doc = Document(original, memo=memo)
    spans = removed_spans(edits, maps, kinds, body_tail)
    lost = words = words_lost = lines = 0
    k = 0
    for index in doc.prose:
        line = doc.lines[index]
        if TRUNCATED.search(line):
            continue
        start = doc.line_starts[index]
        end = start + len(line)
        weight = doc.prose_words(index)  # a prose line's words, counted once
        words += weight
        lines += 1
        while k < len(spans) and spans[k][1] <= start:
            k += 1
        covered = 0
        j = k
        while j < len(spans) and spans[j][0] < end:
            covered += min(end, spans[j][1]) - max(start, spans[j][0])
            j += 1
        if 2 * covered >= len(line):
            lost += 1
            words_lost += weight
    return Damage(
        prose_lines=lines,
        prose_lost=lost,
        prose_words=words,
        prose_words_lost=words_lost,
        words_before=_count_words(original),
        words_after=_count_words(cleaned),
        chars_before=len(original),
        chars_after=len(cleaned),
    )


def _count_words(text: str) -> int:
    return len(WORD.findall(text))
