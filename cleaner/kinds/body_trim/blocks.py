"""Body-trim's blocks: each non-blank line classified as jusText does, and what makes prose.

A block is ``bad`` (a copyright sign, or a low stop-word density), ``short``,
``near-good`` or ``good``; :func:`is_prose` is the verdict the body is found
from, :func:`attached` the short sentences that belong to the prose next to
them, :func:`prose_clusters` the prose grouped for peeling detached tails.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from unicodedata import category

from ...document import WORD, Document, words
from ...language import QUICK_MIN_LINE_TOKENS, quick_guess

GOOD, NEAR_GOOD, SHORT, BAD = "good", "near-good", "short", "bad"
#: Closing quotes count too: '”', '’', '»' and German '“' (which closes „so“).
SENTENCE_END = (".", "!", "?", "…", "。", "！", "？", '"', "”", "’", "“", "»", ")")
#: What may follow a sentence's end on its line: an emoji ('today! 🙂'), its variation
#: selector or joiner, a symbol.
_TRAILING = frozenset({"So", "Sk", "Cf", "Mn"})


def ends_sentence(text: str) -> bool:
    """Whether ``text`` (right-stripped) ends like a sentence, emoji after the end allowed."""
    if text.endswith(SENTENCE_END):
        return True
    end = len(text)
    while end and (text[end - 1].isspace() or category(text[end - 1]) in _TRAILING):
        end -= 1
    return end < len(text) and text[:end].endswith(SENTENCE_END)


@cache
def stoplist(directory: str, lang: str) -> frozenset[str]:
    path = Path(directory) / f"{lang}.txt"
    if not path.is_file():
        return frozenset()
    lines = path.read_text(encoding="utf-8").split("\n")
    return frozenset(w for w in lines if w and not w.startswith("#"))


def classify(line: str, stops: frozenset[str], p: dict) -> str:
    text = line.strip()
    if "©" in text:
        return BAD
    if len(text) < p["length_low"]:
        return SHORT
    tokens = words(text)
    if stops and tokens:
        density = sum(t in stops for t in tokens) / len(tokens)
    else:
        # No stop-list: a sentence end is the evidence of prose.
        density = p["stopwords_high"] if ends_sentence(text) else 0.0
    if density >= p["stopwords_high"]:
        return GOOD if len(text) > p["length_high"] else NEAR_GOOD
    if density >= p["stopwords_low"]:
        return NEAR_GOOD
    return BAD


def is_prose(line: str, stops: frozenset[str], p: dict) -> bool:
    if "©" in line:
        return False  # a copyright line, however long its sentences
    kind = classify(line, stops, p)
    text = line.rstrip()
    if kind == GOOD or (kind == NEAR_GOOD and ends_sentence(text)):
        return True
    # A long line of sentences is prose whatever the stop-words say (the
    # detected language may be wrong, or the paragraph in another one).
    if not ends_sentence(text):
        return False
    if len(text) >= p["length_high"]:
        return True
    # A shorter one is prose when it has the stop-words of another language:
    # a German post on a page whose PHP warnings made it look English.
    other = quick_guess(text, min_tokens=QUICK_MIN_LINE_TOKENS) if kind == BAD else None
    return other is not None and classify(text, stoplist(p["_dir"], other), p) != BAD


def past_attached(
    doc: Document, blocks: list[int], start: int, stop: int, stops: frozenset[str], p: dict
) -> int:
    """The first block from ``start`` (before ``stop``) not attached to the prose above."""
    while start < stop and attached(doc.lines[blocks[start]], stops, p):
        start += 1
    return start


def attached(line: str, stops: frozenset[str], p: dict) -> bool:
    """A line right next to the prose that belongs to it.

    Any line with the stop-words of prose, and short sentences: "When I
    woke up, there was nothing." or a quoted "Greetings."
    """
    text = line.strip()
    if classify(text, stops, p) in (GOOD, NEAR_GOOD):
        return True
    tokens = words(text)
    quoted = text[:1] in "\"“„«‘'"
    return ends_sentence(text) and (len(tokens) >= 3 or (quoted and tokens != []))


def is_dense(prose: list[bool], b: int, p: dict) -> bool:
    """A prose block with enough prose around it to be the article, not a teaser."""
    if not prose[b]:
        return False
    window = prose[max(0, b - p["density_window"]) : b + p["density_window"] + 1]
    return sum(window) >= p["density_min"]


def prose_clusters(prose: list[bool], start: int, stop: int, gap: int) -> list[list[int]]:
    """The prose blocks of ``start:stop`` grouped: neighbours at most ``gap`` blocks apart."""
    clusters: list[list[int]] = []
    for b in range(start, stop):
        if not prose[b]:
            continue
        if clusters and b - clusters[-1][-1] - 1 <= gap:
            clusters[-1].append(b)
        else:
            clusters.append([b])
    return clusters


def repeats_title(line: str, page_title: set[str]) -> bool:
    """A headline: 3 to 30 words, four in five of them from the page title."""
    tokens = words(line)
    return 3 <= len(tokens) <= 30 and sum(t in page_title for t in tokens) >= 0.8 * len(tokens)


def is_headline(line: str, page_title: set[str]) -> bool:
    """The page title without the site's name: 3 words or more, every one of them in
    the title, and at least half the title. A subheading sharing a few of its words, or
    a later mention with words of its own ('Product details "..."'), is not."""
    first = WORD.search(line.lower())
    if first is None or first.group() not in page_title:
        return False  # its first word is not the title's (most lines: no need for the rest)
    tokens = set(words(line))
    return len(tokens) >= 3 and tokens <= page_title and 2 * len(tokens) >= len(page_title)


def terminates(line: str, p: dict, memo: dict | None = None) -> bool:
    if memo is not None:
        return whole(p, "_terminator", line, memo) or whole(p, "_strong", line, memo)
    return any(rx is not None and rx.fullmatch(line) for rx in (p["_terminator"], p["_strong"]))


def whole(p: dict, name: str, line: str, memo: dict) -> bool:
    """Whether the whole-line pattern ``p[name]`` (terminators, strong terminators, author
    box headings) matches ``line``; kept in the rule's memo for the fixpoint's later
    rounds, which see the same lines again."""
    key = (name, line)
    found = memo.get(key)
    if found is None:
        pattern = p[name]
        found = memo[key] = pattern is not None and pattern.fullmatch(line) is not None
    return found
