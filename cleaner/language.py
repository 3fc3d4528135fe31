"""Document language: which language packs apply.

Two steps, both on a bounded sample of the document's sentence-like lines
so the cost does not grow with its length:

1. A quick stop-word check: the most frequent words of each language that
   has rule packs (jusText's frequency-ordered lists, shipped under
   ``rules/body/stoplists``), each word weighted by how many of those
   languages share it. One clear winner with enough of its words is the
   answer (on the public benchmarks it agrees with langdetect every time it
   answers, and answers for nine pages in ten, at a twentieth of the cost).
2. Otherwise langdetect with a fixed seed (deterministic).

Unsure or unknown means ``None``: only language-neutral rules apply then.
"""

from __future__ import annotations

import contextlib
import marshal
import mmap
import threading
from array import array
from collections import Counter
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from . import diskcache
from .document import ends_like_sentence, words

if TYPE_CHECKING:
    from langdetect.detector_factory import DetectorFactory

#: Characters of text given to langdetect at most.
SAMPLE_CHARS = 2000
#: Below this many letters the guess is too weak to act on.
MIN_LETTERS = 40
#: langdetect's probability needed to accept its answer.
MIN_PROBABILITY = 0.80

#: Languages the quick check can answer: those with shipped rule packs.
QUICK_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "pl", "ru", "tr", "ar")
#: Most frequent stop-words per language the quick check reads.
QUICK_WORDS = 100
#: The winner's weighted share of the sample's words, and its lead over the next.
QUICK_MIN_SHARE = 0.15
QUICK_MIN_LEAD = 2.0
QUICK_MIN_TOKENS = 20
#: A single line (a paragraph judged on its own) needs fewer words.
QUICK_MIN_LINE_TOKENS = 8
#: A text too short for langdetect is judged on its stop-words from this many words...
SHORT_MIN_TOKENS = 4
#: ... when at least this many distinct words of the winner's stop-list occur.
SHORT_MIN_STOPWORDS = 2

# langdetect is imported on first use (its import and its 55 profiles are the slow part
# of a short run; the quick stop-word check answers most documents without it).
_factory: DetectorFactory | None = None
_lock = threading.Lock()


def _get_factory() -> DetectorFactory:
    global _factory
    with _lock:
        if _factory is None:
            from langdetect.detector_factory import DetectorFactory

            factory = DetectorFactory()
            factory.word_lang_prob_map, factory.langlist = _profiles()
            factory.set_seed(0)
            _factory = factory
    return _factory


#: Bumped when the layout of the cached profiles (:func:`_encode`) changes.
_LAYOUT = 1


class _Profiles(dict):
    """langdetect's n-gram -> per-language probabilities, read from one flat array.

    langdetect builds 87,000 lists of 55 floats from its JSON profiles on every
    start (half a second). The same numbers are kept in the user cache
    (:mod:`cleaner.diskcache`) as one array of doubles; a row becomes the list
    langdetect expects the first time a detection asks for its n-gram. It is
    the same mapping for everything langdetect does with it (``in`` and ``[]``),
    so detection gives the same answers, bit for bit.
    """

    def __init__(self, index: dict[str, int], values: memoryview, width: int) -> None:
        super().__init__()
        self._index = index
        self._values = values
        self._width = width

    def __contains__(self, word: object) -> bool:
        return word in self._index

    def __missing__(self, word: str) -> list[float]:
        start = self._index[word] * self._width
        row = self[word] = self._values[start : start + self._width].tolist()
        return row


def _profiles() -> tuple[dict[str, list[float]], list[str]]:
    """langdetect's profiles (the cached array, or loaded and then cached)."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    # Keyed by the profiles' names and sizes, not their path or times: every install of
    # one langdetect release shares one entry (39 MB), instead of one per virtualenv.
    profiles = sorted((p.name, p.stat().st_size) for p in Path(PROFILES_DIRECTORY).iterdir())
    name = "langdetect-" + diskcache.key("langdetect-profiles", _LAYOUT, profiles)
    cached = diskcache.mapped(name)
    if cached is not None:
        with contextlib.suppress(ValueError, EOFError, TypeError):
            return _decode(cached)
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    diskcache.write(name, _encode(factory.word_lang_prob_map, factory.langlist))
    return factory.word_lang_prob_map, factory.langlist


def _encode(table: dict[str, list[float]], langlist: list[str]) -> bytes:
    """8 bytes of header length, the header (languages, n-grams), padding to a
    multiple of 8, then every row's doubles in n-gram order."""
    words = list(table)
    head = marshal.dumps((list(langlist), words))
    head += b"\0" * (-len(head) % 8)
    values = array("d", (p for word in words for p in table[word]))
    return len(head).to_bytes(8, "little") + head + values.tobytes()


def _decode(data: bytes | mmap.mmap) -> tuple[dict[str, list[float]], list[str]]:
    size = int.from_bytes(data[:8], "little")
    langlist, words = marshal.loads(data[8 : 8 + size])
    body = memoryview(data)[8 + size :]
    width = len(langlist) if isinstance(langlist, list) else 0
    if not (isinstance(words, list) and width and len(body) == len(words) * width * 8):
        raise ValueError("damaged langdetect profile cache")
    values = body.cast("d")
    return _Profiles({word: i for i, word in enumerate(words)}, values, width), langlist


def sample(text: str, limit: int = SAMPLE_CHARS) -> str:
    """Up to ``limit`` characters of the document's body text.

    Sentence-like lines (ending like a sentence) first, longest first, then
    other long lines: on a whole web page the menus are long lines too, and
    they are often in another language than the article.
    """
    lines = [stripped for line in text.split("\n") if (stripped := line.strip())]
    # Names, labels and menu items say little about the language.
    wordy = [line for line in lines if len(line.split()) >= 5]
    lines = wordy or lines
    lines.sort(key=lambda line: (not ends_like_sentence(line), -len(line)))
    picked: list[str] = []
    size = 0
    for line in lines:
        if size >= limit:
            break
        picked.append(line[: limit - size])
        size += len(picked[-1])
    return "\n".join(picked)


@cache
def _detector() -> type:
    """langdetect's ``Detector`` with its two per-step loops over the 55 languages
    written as comprehensions: the same floating-point operations in the same order,
    so the same probabilities bit for bit (tests/test_engine.py compares),
    in about half the time (they are most of a detection)."""
    from langdetect.detector import Detector

    class Fast(Detector):
        def __init__(self, factory: DetectorFactory) -> None:
            super().__init__(factory)
            self._rows = rows = self.word_lang_prob_map
            # Detector only asks whether an n-gram is known (``in``) but here: a plain
            # dict of the same keys answers that without a Python-level __contains__.
            self.word_lang_prob_map = getattr(rows, "_index", rows)

        def _update_lang_prob(self, prob: list, word: str | None, alpha: float) -> bool:
            if word is None or word not in self.word_lang_prob_map:
                return False
            weight = alpha / self.BASE_FREQ
            # prob[i] *= weight + row[i], for every language i.
            row = self._rows[word]
            prob[:] = [p * (weight + q) for p, q in zip(prob, row, strict=True)]
            return True

        def _normalize_prob(self, prob: list) -> float:
            total = sum(prob)
            prob[:] = [p / total for p in prob]
            most = 0.0
            for p in prob:
                if most < p:
                    most = p
            return most

    return Fast


def _best(snippet: str) -> tuple[str, float] | None:
    from langdetect.lang_detect_exception import LangDetectException

    detector = _detector()(_get_factory())
    detector.append(snippet)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return None
    return best.lang.split("-")[0], best.prob


@cache
def _quick_index() -> dict[str, tuple[tuple[str, ...], float]]:
    """word -> (languages whose top words include it, 1 / their number)."""
    from .loader import default_rules_dir

    directory = default_rules_dir() / "body" / "stoplists"
    owners: dict[str, list[str]] = {}
    for lang in QUICK_LANGUAGES:
        path = directory / f"{lang}.txt"
        if not path.is_file():
            continue
        lines = [w for w in path.read_text(encoding="utf-8").split("\n") if w and w[0] != "#"]
        for word in lines[:QUICK_WORDS]:
            owners.setdefault(word, []).append(lang)
    return {word: (tuple(langs), 1 / len(langs)) for word, langs in owners.items()}


def quick_guess(text: str, min_tokens: int = QUICK_MIN_TOKENS) -> str | None:
    """The language the stop-words clearly point to, or ``None`` (ask langdetect)."""
    tokens = words(text)
    if len(tokens) < min_tokens:
        return None
    index = _quick_index()
    scores: Counter[str] = Counter()
    for token in tokens:
        entry = index.get(token)
        if entry:
            for lang in entry[0]:
                scores[lang] += entry[1]
    ranked = scores.most_common(2)
    if not ranked:
        return None
    best, best_score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if best_score >= QUICK_MIN_SHARE * len(tokens) and best_score >= QUICK_MIN_LEAD * runner_up:
        return best
    return None


def detect_line(line: str, min_probability: float) -> str | None:
    """Language of one line (a paragraph), or ``None`` when unsure."""
    quick = quick_guess(line, min_tokens=QUICK_MIN_LINE_TOKENS)
    if quick is not None:
        return quick
    best = _best(line[:SAMPLE_CHARS])
    if best is None or best[1] < min_probability:
        return None
    return best[0]


@cache
def _short_index() -> dict[str, tuple[str, ...]]:
    """word -> the languages whose whole stop-list holds it (for short texts)."""
    from .loader import default_rules_dir

    directory = default_rules_dir() / "body" / "stoplists"
    owners: dict[str, list[str]] = {}
    for lang in QUICK_LANGUAGES:
        path = directory / f"{lang}.txt"
        if path.is_file():
            for word in path.read_text(encoding="utf-8").split("\n"):
                if word and word[0] != "#":
                    owners.setdefault(word, []).append(lang)
    return {word: tuple(langs) for word, langs in owners.items()}


def short_text_guess(snippet: str) -> str | None:
    """The language of a text too short for langdetect, from its stop-words alone.

    A one-sentence record (``Markets rose on Monday, traders said.``) has too
    few letters for langdetect, which is confidently wrong on a few words
    (``Photo: Reuters`` is German to it), yet its stop-words still say which
    language it is in; without an answer it would get no language rules at
    all. The quick stage's test first, on fewer words; then each language's
    whole stop-list, where a shared word weighs less, with twice the
    runner-up's score. Either way the winner needs :data:`SHORT_MIN_STOPWORDS`
    distinct words of its own list: one ``more`` in a list of labels is not
    English.
    """
    tokens = words(snippet)
    if len(tokens) < SHORT_MIN_TOKENS:
        return None
    quick = quick_guess(snippet, min_tokens=SHORT_MIN_TOKENS)
    if quick is not None:
        top = _quick_index()
        own = {token for token in tokens if quick in top.get(token, ((), 0))[0]}
        if len(own) >= SHORT_MIN_STOPWORDS:
            return quick
    index = _short_index()
    scores: Counter[str] = Counter()
    hits: dict[str, set[str]] = {}
    for token in set(tokens):
        for lang in index.get(token, ()):
            scores[lang] += 1 / len(index[token])
            hits.setdefault(lang, set()).add(token)
    ranked = scores.most_common(2)
    if not ranked:
        return None
    best, best_score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if len(hits[best]) >= SHORT_MIN_STOPWORDS and best_score >= QUICK_MIN_LEAD * runner_up:
        return best
    return None


def _has_letters(text: str, count: int) -> bool:
    """Whether ``text`` holds at least ``count`` letters (counting stops there)."""
    if count <= 0:
        return True
    for ch in text:
        if ch.isalpha():
            count -= 1
            if count == 0:
                return True
    return False


def detect(text: str) -> str | None:
    """ISO 639-1 code of the document's language, or ``None`` when unsure."""
    snippet = sample(text)
    if not _has_letters(snippet, MIN_LETTERS):
        return short_text_guess(snippet)
    quick = quick_guess(snippet)
    if quick is not None:
        return quick
    best = _best(snippet)
    if best is None or best[1] < MIN_PROBABILITY:
        return None
    return best[0]
