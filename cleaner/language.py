"""Document language: which language packs apply.

langdetect with a fixed seed (deterministic), run on a bounded sample of the
document's longest lines so the cost does not grow with its length. Unsure
or unknown means ``None``: only language-neutral rules apply then.
"""

from __future__ import annotations

import threading

from langdetect.detector_factory import DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from .document import SENTENCE_END

#: Characters of text given to langdetect at most.
SAMPLE_CHARS = 2000
#: Below this many letters the guess is too weak to act on.
MIN_LETTERS = 40
#: langdetect's probability needed to accept its answer.
MIN_PROBABILITY = 0.80

_factory: DetectorFactory | None = None
_lock = threading.Lock()


def _get_factory() -> DetectorFactory:
    global _factory
    with _lock:
        if _factory is None:
            from langdetect.detector_factory import PROFILES_DIRECTORY

            factory = DetectorFactory()
            factory.load_profile(PROFILES_DIRECTORY)
            factory.set_seed(0)
            _factory = factory
    return _factory


def sample(text: str, limit: int = SAMPLE_CHARS) -> str:
    """Up to ``limit`` characters of the document's body text.

    Sentence-like lines (ending like a sentence) first, longest first, then
    other long lines: on a whole web page the menus are long lines too, and
    they are often in another language than the article.
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    # Names, labels and menu items say little about the language.
    wordy = [line for line in lines if len(line.split()) >= 5]
    lines = wordy or lines
    lines.sort(key=lambda line: (not SENTENCE_END.search(line), -len(line)))
    picked: list[str] = []
    size = 0
    for line in lines:
        if size >= limit:
            break
        picked.append(line[: limit - size])
        size += len(picked[-1])
    return "\n".join(picked)


def _best(snippet: str) -> tuple[str, float] | None:
    detector = _get_factory().create()
    detector.append(snippet)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return None
    return best.lang.split("-")[0], best.prob


def detect_line(line: str, min_probability: float) -> str | None:
    """Language of one line (a paragraph), or ``None`` when unsure."""
    best = _best(line[:SAMPLE_CHARS])
    if best is None or best[1] < min_probability:
        return None
    return best[0]


def detect(text: str) -> str | None:
    """ISO 639-1 code of the document's language, or ``None`` when unsure."""
    snippet = sample(text)
    if sum(ch.isalpha() for ch in snippet) < MIN_LETTERS:
        return None
    best = _best(snippet)
    if best is None or best[1] < MIN_PROBABILITY:
        return None
    return best[0]
