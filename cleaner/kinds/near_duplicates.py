"""Kind ``near-duplicates``: the same text printed twice; keep one.

Lines are compared as lower-cased word sequences (punctuation, case and
spacing do not count). Only the first ``window`` non-blank lines are looked
at (``window = 0``: the whole document, for the modes that stay linear:
``repeated-line``, ``truncated-line``, ``similar-paragraph``), so the cost
is bounded whatever the document's length. The rules of a
pack run in code order and see each other's drops: a line one rule drops is
no longer a reference for the next.

Modes (parameter ``mode``):

- ``repeated-line``: a line equal to an earlier one (a headline printed
  twice); the later copy goes, unless the earlier one is in capitals and
  the later one is not (an all-caps copy of the lead): then the capitals go.
  With ``max_copies``, a line printed more often is structure and stays, and
  so is a line right under such a recurring line (a plan's 'Breakfast' each
  day, the same menu under it).
- ``split-line``: two consecutive lines that together equal an earlier line
  (a headline repeated as title + subtitle); both go.
- ``prefixed-line``: a line made of a short prefix (at most ``max_extra``
  words: a breadcrumb, a section label) followed by a headline that a later
  line repeats; the prefix is cut and the later copy goes.
- ``truncated-line``: a line whose words are the start of the next line's
  (a caption cut short, then printed in full); the truncated copy goes,
  and so does a truncated copy after the full one.
- ``similar-paragraph``: a line whose words are at least ``threshold``
  similar to a later line within ``lookahead`` non-blank lines (a standfirst
  or teaser repeating the first paragraph); the earlier copy goes, the body
  keeps its paragraph, unless the earlier says more: a fifth of its words or
  more missing from the later (a sentence quoting a shorter one below it).

``min_words``: shorter lines are never compared.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import pairwise

from ..document import WORD, Document, words
from ..rule import Rule
from . import Candidate, KindParams, kind, param

MODES = ("repeated-line", "split-line", "prefixed-line", "truncated-line", "similar-paragraph")
#: Modes that compare every pair in the window: a whole document is too many.
QUADRATIC = ("split-line", "prefixed-line")


@dataclass(frozen=True)
class Params(KindParams):
    mode: str = param(choices=MODES)
    window: int = param(8, doc="non-blank lines from the top compared; 0 = all")
    min_words: int = 3
    max_copies: int = param(0, doc="repeated-line: lines printed more often are kept")
    max_extra: int = param(5, doc="prefixed-line: most words in the prefix")
    threshold: float = param(0.8, doc="similar-paragraph: similarity ratio")
    lookahead: int = param(6, doc="similar-paragraph: non-blank lines ahead")

    def check(self) -> None:
        if not 0.5 <= self.threshold <= 1.0:
            raise ValueError("threshold must be between 0.5 and 1.0")
        for key in ("min_words", "lookahead"):
            if getattr(self, key) < 1:
                raise ValueError(f"{key} must be at least 1")
        if self.window < 0 or (self.window == 0 and self.mode in QUADRATIC):
            raise ValueError(f"window must be at least 1 for {self.mode} (0 only for linear modes)")


#: similar-paragraph: longer lines are never compared (a standfirst is a paragraph, and
#: comparing two huge lines word by word could take quadratic time).
MAX_COMPARED_WORDS = 2000


def similarity(a: list[str], b: list[str]) -> float:
    """Word-sequence similarity; a truncated copy of ``b`` counts as similar."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    shorter = min(len(a), len(b))
    containment = matched / shorter if shorter else 0.0
    # Containment only counts when the shorter copy is most of a sentence.
    if shorter < 0.5 * max(len(a), len(b)):
        containment = 0.0
    return max(matcher.ratio(), containment)


def similarity_bound(a: list[str], b: list[str]) -> float:
    """An upper bound of :func:`similarity`, in linear time.

    Matching blocks can only pair words the two lines share, so the shared
    multiset bounds both the ratio and the containment; most pairs of
    paragraphs share too few words to need the quadratic comparison.
    """
    return _bound(Counter(a), Counter(b), len(a), len(b))


def _bound(counts_a: Counter, counts_b: Counter, len_a: int, len_b: int) -> float:
    """:func:`similarity_bound` from the two lines' word counts and lengths."""
    if len(counts_a) > len(counts_b):
        counts_a, counts_b = counts_b, counts_a
    # The size of the multiset intersection (Counter's ``&``, without building it).
    shared = 0
    for word, count in counts_a.items():
        other = counts_b.get(word)
        if other is not None:
            shared += count if count < other else other
    shorter = min(len_a, len_b)
    ratio = 2 * shared / (len_a + len_b) if len_a or len_b else 1.0  # as SequenceMatcher
    containment = shared / shorter if shorter and shorter >= 0.5 * max(len_a, len_b) else 0.0
    return max(ratio, containment)


def _words(line: str, memo: dict[str, list[str]]) -> list[str]:
    found = memo.get(line)
    if found is None:
        found = memo[line] = words(line)
    return found


@kind("near-duplicates", phase="duplicates", params=Params)
class NearDuplicates:
    @staticmethod
    def compile_rule(rule: Rule) -> Params:
        """Nothing to compile: the modes read the parameters."""
        return rule.params

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = sorted(rules, key=lambda r: r.code)

    def find(self, doc: Document) -> Iterator[Candidate]:
        dropped: set[int] = set()
        memo = doc.memo_for(NearDuplicates)  # tokens of a line, for every rule and round
        for rule in self.rules:
            size = rule.params.window
            if size and not doc.at_start:
                continue  # the top of a later piece is not the top of the document
            window = doc.nonblank if size == 0 else doc.nonblank[: size + 1]
            tokens = {i: _words(doc.lines[i], memo) for i in window}
            finder = _MODES[rule.params.mode]
            for first, last, cut_words in finder(rule.params, window, tokens, dropped, doc.lines):
                if cut_words:
                    start = doc.line_starts[first]
                    yield Candidate(
                        start, start + _word_offset(doc.lines[first], cut_words), "", rule
                    )
                    continue
                dropped.update(range(first, last + 1))
                start, end = doc.lines_span(first, last)
                yield Candidate(start, end, "", rule)


def _word_offset(line: str, n: int) -> int:
    """Offset in ``line`` where its ``n``-th word (0-based) starts."""
    for index, m in enumerate(WORD.finditer(line)):
        if index == n:
            return m.start()
    return len(line)


Window = list[int]
Tokens = dict[int, list[str]]
#: (first line, last line, words to cut from the start; 0 = drop the lines)
Span = tuple[int, int, int]


def _live(window: Window, dropped: set[int]) -> Window:
    return [i for i in window if i not in dropped]


def _repeated_line(
    p: Params, window: Window, tokens: Tokens, dropped: set[int], lines: list[str]
) -> Iterator[Span]:
    live = _live(window, dropped)
    counts = Counter(tuple(tokens[i]) for i in live)
    seen: dict[tuple[str, ...], int] = {}
    for k, i in enumerate(live):
        key = tuple(tokens[i])
        if len(key) < p.min_words:
            continue
        if p.max_copies and counts[key] > p.max_copies:
            continue  # a recurring line (an interview's question) is structure, not debris
        if p.max_copies and k and counts[tuple(tokens[live[k - 1]])] > p.max_copies:
            # Right under a recurring line ('Meal 1', 'Breakfast'): a section
            # of a plan or a schedule printed once a day, not a copy.
            continue
        if key not in seen:
            seen[key] = i
            continue
        first = seen[key]
        if _shouting(lines[first]) and not _shouting(lines[i]):
            # An all-caps copy of the lead above the lead itself: the page's
            # styled teaser goes, the article's own paragraph stays.
            dropped.add(first)
            seen[key] = i
            yield first, first, 0
        else:
            dropped.add(i)
            yield i, i, 0


def _shouting(line: str) -> bool:
    """A line whose letters are all capitals (and that has a few of them)."""
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 12 and not any(c.islower() for c in letters)


def _split_line(
    p: Params, window: Window, tokens: Tokens, dropped: set[int], lines: list[str]
) -> Iterator[Span]:
    live = _live(window, dropped)
    for k in range(len(live) - 1):
        a, b = live[k], live[k + 1]
        if b != a + 1 or a in dropped:
            continue  # the two halves must be adjacent lines
        joined = tokens[a] + tokens[b]
        if min(len(tokens[a]), len(tokens[b])) < 2 or len(joined) < p.min_words:
            continue
        if any(tokens[ref] == joined for ref in live[:k] if ref not in dropped):
            dropped.update((a, b))
            yield a, b, 0


def _prefixed_line(
    p: Params, window: Window, tokens: Tokens, dropped: set[int], lines: list[str]
) -> Iterator[Span]:
    live = _live(window, dropped)
    for k, i in enumerate(live):
        long = tokens[i]
        for j in live[k + 1 :]:
            short = tokens[j]
            extra = len(long) - len(short)
            if len(short) >= p.min_words and 0 < extra <= p.max_extra and long[extra:] == short:
                # Strip the prefix (keeping the headline where it stood) and
                # drop the later copy.
                dropped.add(j)
                yield i, i, extra
                yield j, j, 0
                break


def _truncated_line(
    p: Params, window: Window, tokens: Tokens, dropped: set[int], lines: list[str]
) -> Iterator[Span]:
    live = _live(window, dropped)
    for a, b in pairwise(live):
        if a in dropped or b in dropped:
            continue
        short, long = (a, b) if len(tokens[a]) < len(tokens[b]) else (b, a)
        n = len(tokens[short])
        if n < p.min_words or n >= len(tokens[long]) or tokens[long][:n] != tokens[short]:
            continue
        # A headline that merely starts like the first paragraph is not a copy:
        # a truncated copy is most of the line, or says it was cut.
        if n >= len(tokens[long]) / 2 or lines[short].rstrip().endswith(("…", "...")):
            dropped.add(short)
            yield short, short, 0


def _similar_paragraph(
    p: Params, window: Window, tokens: Tokens, dropped: set[int], lines: list[str]
) -> Iterator[Span]:
    live = _live(window, dropped)
    counts: dict[int, Counter] = {}  # each line's word counts, built once, not once a pair

    def counted(index: int) -> Counter:
        found = counts.get(index)
        if found is None:
            found = counts[index] = Counter(tokens[index])
        return found

    for k, i in enumerate(live):
        if i in dropped or not p.min_words <= len(tokens[i]) <= MAX_COMPARED_WORDS:
            continue
        for j in live[k + 1 : k + 1 + p.lookahead]:
            if j in dropped or not p.min_words <= len(tokens[j]) <= MAX_COMPARED_WORDS:
                continue
            bound = _bound(counted(i), counted(j), len(tokens[i]), len(tokens[j]))
            if (
                bound >= p.threshold
                and similarity(tokens[i], tokens[j]) >= p.threshold
                and _says_no_more(tokens[i], tokens[j])
            ):
                dropped.add(i)
                yield i, i, 0
                break


#: Share of the earlier copy's words that the later one may lack: a teaser says no
#: more than the paragraph it repeats ('The minister resigned on Friday ...').
MAX_UNSAID = 0.2


def _says_no_more(earlier: list[str], later: list[str]) -> bool:
    """Whether ``later`` says (nearly) all that ``earlier`` does, so ``earlier`` may go.

    A paragraph that holds a later, shorter one and more ('After raising the
    motion, the Senate resolved to observe a minute of silence ...' above
    'Observe a minute silence ...', a quoted resolution) is the article's own.
    """
    matcher = SequenceMatcher(None, earlier, later, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    return len(earlier) - matched <= MAX_UNSAID * len(earlier)


_MODES = {
    "repeated-line": _repeated_line,
    "split-line": _split_line,
    "prefixed-line": _prefixed_line,
    "truncated-line": _truncated_line,
    "similar-paragraph": _similar_paragraph,
}
