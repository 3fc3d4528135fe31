"""A learned line classifier: is this line of a cleaned page article text? (experimental)

Issue 16 asks for body detection whose parameters are learned and measured
on pages they were not learned on, instead of hand-tuned thresholds. This
module is the run-time half, pure Python: the features of a line (plain
text only: length, stop-word density in the document's language, sentence
and list punctuation, capitals, digits and prices, link-ish characters,
position, the neighbours' prose) and a logistic model over them, whose
weights are data (``rules/body/line-model.json``, written by
``tools/train_line_model.py`` with the cross-validated scores it reached).

It is not wired into the engine: the cross-validated measurement in the
weights file says whether it would help, and by how much, before it does.
``bench/line_model_stage.py`` measures it as a last stage on what must not
get worse. Dropping every line under 0.2 (the weights file's choice) costs
recall on the trafilatura pages (dev 0.956 -> 0.943) and article text on
injected-debris bodies (deletion precision, dev 0.724 -> 0.665, held-out
1.00 -> 0.86); trimming only the edges, to a fixpoint, at 0.1 keeps both
but gains at most 0.002 AEB F1 in-sample. So the rules stay the decision.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path

from .document import is_prose, words
from .loader import default_rules_dir

#: The shipped weights, relative to the rules directory.
MODEL_FILE = Path("body") / "line-model.json"

_SENTENCE_END = (".", "!", "?", "…", '"', "”", "’", "»", ")")
_LIST_MARK = re.compile(r"^\s*(?:[-–—•·*▪►✓→]\s|\(?\d{1,3}[.)]\s)")
_LINKISH = re.compile(r"https?://|www\.|@|\||»|›|>|/")
_PRICE = re.compile(r"[£$€¥₹]\s?\d|\d\s?(?:€|EUR|USD)")
_DIGIT = re.compile(r"\d")

FEATURES = (
    "bias",
    "log_chars",
    "log_words",
    "stop_density",
    "sentence_end",
    "colon_end",
    "upper_share",
    "title_share",
    "digit_share",
    "price",
    "linkish",
    "list_mark",
    "repeated",
    "prose",
    "position",
    "prose_before",
    "prose_after",
    "neighbour_prose",
    "neighbour_stop_density",
)


def _stop_density(tokens: list[str], stops: frozenset[str]) -> float:
    if not tokens or not stops:
        return 0.0
    return sum(t.casefold() in stops for t in tokens) / len(tokens)


def line_features(lines: list[str], stops: frozenset[str]) -> list[list[float]]:
    """One feature vector (in ``FEATURES`` order) per non-blank line of ``lines``."""
    text = [line.strip() for line in lines if line.strip()]
    n = len(text)
    counts = Counter(t.casefold() for t in text)
    toks = [words(t) for t in text]
    prose = [is_prose(t) for t in text]
    density = [_stop_density(t, stops) for t in toks]
    prose_seen = [0] * (n + 1)
    for i in range(n):
        prose_seen[i + 1] = prose_seen[i] + prose[i]
    rows = []
    for i, t in enumerate(text):
        letters = [c for c in t if c.isalpha()]
        tokens = toks[i]
        window = [j for j in (i - 2, i - 1, i + 1, i + 2) if 0 <= j < n]
        rows.append(
            [
                1.0,
                math.log1p(len(t)),
                math.log1p(len(tokens)),
                density[i],
                float(t.endswith(_SENTENCE_END)),
                float(t.endswith(":")),
                sum(c.isupper() for c in letters) / len(letters) if letters else 0.0,
                sum(w[:1].isupper() for w in tokens) / len(tokens) if tokens else 0.0,
                len(_DIGIT.findall(t)) / len(t),
                float(bool(_PRICE.search(t))),
                min(len(_LINKISH.findall(t)), 5) / 5,
                float(bool(_LIST_MARK.match(t))),
                float(counts[t.casefold()] > 1),
                float(prose[i]),
                i / max(n - 1, 1),
                prose_seen[i] / max(prose_seen[n], 1),
                (prose_seen[n] - prose_seen[i + 1]) / max(prose_seen[n], 1),
                sum(prose[j] for j in window) / len(window) if window else 0.0,
                sum(density[j] for j in window) / len(window) if window else 0.0,
            ]
        )
    return rows


def load(path: Path | None = None) -> dict:
    """The trained model: ``{"features": [...], "weights": [...], ...}``."""
    path = path or default_rules_dir() / MODEL_FILE
    model = json.loads(path.read_text(encoding="utf-8"))
    if model.get("features") != list(FEATURES):
        raise ValueError(f"{path}: trained on other features than this version computes")
    return model


def probability(model: dict, row: list[float]) -> float:
    """The model's probability that a line with features ``row`` is article text."""
    z = sum(w * x for w, x in zip(model["weights"], row, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))
