"""Site statistics: which lines repeat across the articles of a site.

The best boilerplate rules come from the corpus itself: a line that repeats
across many articles of one site is page chrome, not news. This module reads
every article once and counts, per site, in how many documents each line
occurs, after normalising it:

- lower case; every run of digits becomes ``0`` (``source site-12`` and
  ``source site-3`` are one line); every run of punctuation and spacing
  becomes one space, stripped at the ends (``— 3 min read —`` is ``0 min read``).

**Site.** The top-level directory of the corpus an article lies in
(``CORPUS/site-a/2024/x.txt`` belongs to ``site-a``); articles directly in
CORPUS form one site of their own. Shares are taken within a site, so a
small site's boilerplate is not drowned by a large site's articles.

Two families of candidates are kept:

- **Repeated lines**: a normalised line found in at least ``min_docs``
  documents and at least ``min_share`` of its site's documents. A long line
  that reads like prose (:func:`cleaner.document.is_prose`) in the middle of
  the text also needs half of the site's documents: a sentence quoted by a
  few articles is news, a disclaimer in every article is not.
- **Near-constant prefixes** (``Previous article <title>``): lines whose
  first 1-4 words are the same while the rest varies (at least
  a quarter of the lines have a rest of their own), found as often as a
  repeated line must be, mostly (80%) at the edges of the text (head or tail
  zone, as the rules see them: :class:`cleaner.document.Document`), mostly
  not ending like a sentence, and not starting with function words only
  ("The ...").

Everything is deterministic: files are read in sorted order and ties are
broken by the normalised text. :mod:`cleaner.suggest` turns the candidates
into rules.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .document import Document, is_prose
from .textio import InputError, Reader, Source, sniff

#: Defaults of the command line (see the module docstring).
MIN_DOCS = 3
MIN_SHARE = 0.1
#: Lines longer than this are paragraphs, not chrome: not counted.
MAX_LINE_CHARS = 300
#: Prefix families: the constant part has 1..4 words; longer lines are not titles.
PREFIX_WORDS = (1, 2, 3, 4)
PREFIX_MAX_LINE_WORDS = 30
#: Share of a prefix family's occurrences that must sit in the head or tail zone.
PREFIX_EDGE_SHARE = 0.8
#: At most this share of a prefix family's lines may end like a sentence.
PREFIX_SENTENCE_SHARE = 0.5
#: A prose-like repeated line in the body needs this share of its site's documents.
PROSE_SHARE = 0.5
#: Keep at most this many distinct spellings / remainders per candidate (memory bound).
MAX_VARIANTS = 64

_DIGITS = re.compile(r"\d+")
_FOLD = re.compile(r"[^\w]+")
_LETTER = re.compile(r"[^\W\d_]")
#: Function words a prefix family may not consist of alone ("The ...", "In the ...").
STOPWORDS = frozenset(
    """a an and are as at be but by de del der des die das du el en et for from he her his
    i il in is it its la las le les los of on or our she so than that the their them they
    this those to un una une und was we were what when which who will with you""".split()  # noqa: SIM905
)

Reporter = Callable[[Path, str], None]


def normalise(line: str) -> str:
    """The form lines are compared in: lower case, digits ``0``, punctuation folded."""
    folded = _FOLD.sub(" ", _DIGITS.sub("0", line.lower()))
    return " ".join(folded.split())


def site_of(shown: str) -> str:
    """The site of an article named ``shown`` relative to the corpus: its top directory."""
    head, sep, _rest = shown.partition("/")
    return head if sep else ""


@dataclass
class Example:
    """One occurrence kept for the fix example: the line and a neighbour from its article."""

    line: str
    neighbour: str
    neighbour_after: bool  # the neighbour follows the line (the line is at the head)
    file: str


@dataclass
class Stat:
    """Counts of one normalised line (or prefix) in one site, one count per document."""

    docs: int = 0
    head: int = 0
    tail: int = 0
    edge: int = 0
    sentence: int = 0
    prose: int = 0
    words: int = 0
    longest: int = 0
    variants: Counter = field(default_factory=Counter)
    remainders: set[str] = field(default_factory=set)
    examples: list[Example] = field(default_factory=list)

    def add(self, other: Stat) -> None:
        for name in ("docs", "head", "tail", "edge", "sentence", "prose", "words"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.longest = max(self.longest, other.longest)
        self.variants.update(other.variants)
        self.remainders |= other.remainders
        self.examples.extend(other.examples)


@dataclass
class Candidate:
    """A line (``prefix`` false) or prefix family found often enough in some sites."""

    key: str
    prefix: bool
    stat: Stat
    sites: dict[str, tuple[int, int]]  # site -> (documents with it, documents of the site)

    @property
    def sort_key(self) -> tuple:
        return (-self.stat.docs, self.prefix, self.key)


@dataclass
class Corpus:
    """What mining read: documents per site, failures, and the counts."""

    sites: Counter = field(default_factory=Counter)
    failed: int = 0
    lines: dict[tuple[str, str], Stat] = field(default_factory=dict)
    prefixes: dict[tuple[str, str], Stat] = field(default_factory=dict)
    samples: dict[str, list[str]] = field(default_factory=dict)  # site -> texts for language

    @property
    def documents(self) -> int:
        return sum(self.sites.values())


def read_text(path: Path) -> str:
    """An article's text as the cleaner sees it (decoded, ``\\n`` line breaks)."""
    with Source(path) as source:
        sniffed = sniff(source)
        if sniffed.empty:
            return ""
        return "".join(piece.text for piece in Reader(source, sniffed).pieces())


def mine(files: Iterable[tuple[Path, str, str | None]], on_error: Reporter | None = None) -> Corpus:
    """Count lines and prefixes of every readable article; report the others and go on.

    ``files`` are (path, name relative to the corpus, problem found while listing).
    """
    corpus = Corpus()
    for path, shown, problem in files:
        if problem is None:
            try:
                text = read_text(path)
            except InputError as exc:
                problem = str(exc)
            except OSError as exc:
                problem = exc.strerror or str(exc)
        if problem is not None:
            corpus.failed += 1
            if on_error is not None:
                on_error(path, problem)
            continue
        site = site_of(shown)
        corpus.sites[site] += 1
        samples = corpus.samples.setdefault(site, [])
        if len(samples) < 3:
            samples.append(text[:4000])
        _count(corpus, site, shown, text)
    return corpus


def _count(corpus: Corpus, site: str, shown: str, text: str) -> None:
    doc = Document(text)
    lines = doc.lines
    nonblank = doc.nonblank
    seen: set[str] = set()
    seen_prefixes: set[str] = set()
    for position, index in enumerate(nonblank):
        raw = lines[index].strip()
        if len(raw) > MAX_LINE_CHARS:
            continue
        key = normalise(raw)
        if not key or not _LETTER.search(key):
            continue
        head, tail = index < doc.head_end, index >= doc.tail_start
        tokens = key.split()
        if key not in seen:
            seen.add(key)
            stat = corpus.lines.setdefault((site, key), Stat())
            _note(stat, raw, head, tail, len(tokens), doc, position, shown, len(raw))
        if len(tokens) > PREFIX_MAX_LINE_WORDS:
            continue
        for k in PREFIX_WORDS:
            if len(tokens) <= k:
                break
            prefix = " ".join(tokens[:k])
            if prefix in seen_prefixes:
                continue
            seen_prefixes.add(prefix)
            stat = corpus.prefixes.setdefault((site, prefix), Stat())
            _note(stat, raw, head, tail, len(tokens), doc, position, shown, len(raw))
            if len(stat.remainders) < MAX_VARIANTS:
                stat.remainders.add(" ".join(tokens[k:]))


def _note(
    stat: Stat,
    raw: str,
    head: bool,
    tail: bool,
    words: int,
    doc: Document,
    position: int,
    shown: str,
    length: int,
) -> None:
    stat.docs += 1
    stat.head += head
    stat.tail += tail
    stat.edge += head or tail
    stat.sentence += raw.rstrip()[-1:] in ".!?…"
    stat.prose += is_prose(raw)
    stat.words += words
    stat.longest = max(stat.longest, length)
    if raw in stat.variants or len(stat.variants) < MAX_VARIANTS:
        stat.variants[raw] += 1
    if len(stat.examples) < 3 and len(doc.nonblank) > 1:
        nonblank = doc.nonblank
        # The neighbour on the article's side: after a head line, before anything else.
        last = position + 1 == len(nonblank)
        after = position == 0 or (not last and head and not tail)
        neighbour = doc.lines[nonblank[position + 1 if after else position - 1]].strip()
        stat.examples.append(Example(raw, neighbour, after, shown))


# --- choosing candidates ----------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    min_docs: int = MIN_DOCS
    min_share: float = MIN_SHARE

    def frequent(self, docs: int, site_docs: int) -> bool:
        return docs >= self.min_docs and docs >= self.min_share * site_docs


def candidates(corpus: Corpus, thresholds: Thresholds | None = None) -> list[Candidate]:
    """The lines and prefix families worth a rule, merged across sites, most frequent first."""
    limits = thresholds or Thresholds()
    prefixes: dict[str, set[str]] = {}  # site -> chosen prefixes
    chosen: dict[tuple[bool, str], Candidate] = {}
    qualifying = {
        (site, key): stat
        for (site, key), stat in corpus.prefixes.items()
        if _prefix_ok(key, stat, corpus.sites[site], limits)
    }
    for (site, key), stat in qualifying.items():
        # A longer prefix that keeps nearly all of this family's documents is the family.
        superseded = any(
            other_site == site
            and other.startswith(key + " ")
            and other.count(" ") == key.count(" ") + 1
            and other_stat.docs >= 0.8 * stat.docs
            for (other_site, other), other_stat in qualifying.items()
        )
        if not superseded:
            prefixes.setdefault(site, set()).add(key)
    for site, keys in prefixes.items():
        # A family inside a shorter chosen family is that family again.
        keys -= {k for k in keys if any(k.startswith(p + " ") for p in keys)}
        for key in keys:
            _merge(chosen, True, key, site, corpus.prefixes[(site, key)], corpus.sites[site])
    for (site, key), stat in corpus.lines.items():
        site_docs = corpus.sites[site]
        if not limits.frequent(stat.docs, site_docs):
            continue
        sentences = max(stat.prose, stat.sentence)
        body_prose = sentences * 2 > stat.docs and stat.edge * 2 < stat.docs
        if body_prose and stat.docs < PROSE_SHARE * site_docs:
            continue  # a sentence some articles share: news, not chrome
        if any(key == p or key.startswith(p + " ") for p in prefixes.get(site, ())):
            continue  # the prefix family's rule drops it
        _merge(chosen, False, key, site, stat, site_docs)
    return sorted(chosen.values(), key=lambda c: c.sort_key)


def _prefix_ok(key: str, stat: Stat, site_docs: int, limits: Thresholds) -> bool:
    if not limits.frequent(stat.docs, site_docs) or not _LETTER.search(key):
        return False
    if all(word in STOPWORDS or not _LETTER.search(word) for word in key.split()):
        return False
    # A quarter: a title varies freely, a section name ('Filed under X desk') less so.
    varied = len(stat.remainders) >= max(limits.min_docs, stat.docs / 4)
    return (
        varied
        and stat.edge >= PREFIX_EDGE_SHARE * stat.docs
        and stat.sentence <= PREFIX_SENTENCE_SHARE * stat.docs
    )


def _merge(
    chosen: dict[tuple[bool, str], Candidate],
    prefix: bool,
    key: str,
    site: str,
    stat: Stat,
    site_docs: int,
) -> None:
    found = chosen.get((prefix, key))
    if found is None:
        chosen[(prefix, key)] = Candidate(key, prefix, dataclasses.replace(stat), {})
        chosen[(prefix, key)].stat.variants = Counter(stat.variants)
        chosen[(prefix, key)].stat.remainders = set(stat.remainders)
        chosen[(prefix, key)].stat.examples = list(stat.examples)
        found = chosen[(prefix, key)]
    else:
        found.stat.add(stat)
    found.sites[site] = (stat.docs, site_docs)
