"""Train the line classifier of ``cleaner/line_model.py`` and measure it by cross-validation.

    .venv/bin/pip install -e '.[train]'
    .venv/bin/python tools/train_line_model.py            # writes rules/body/line-model.json

Data: the dev pages of the article-extraction benchmark (``bench/splits.py``
keeps the held-out fifth out; this script never reads it). Each page is
cleaned with the default rules first; every non-blank line of the *cleaned*
page is an example, labelled 1 when it is in the page's gold body (white
space aside). So the model is a second stage after the rules: it learns which
of the lines the rules kept are still not article.

Measurement: 5-fold cross-validation over pages (``bench.splits.fold``). For
each fold the model is fitted on the other four and applied to this one; the
line-level precision/recall of "article" and the benchmark's shingle F1 of
(a) the rules' output and (b) the rules' output without the lines the model
gives a probability below a threshold are computed on the fold's pages
only, then averaged. The training folds' scores are never reported.

The weights fitted on all dev pages are written with the cross-validated
scores beside them, so whoever wires the model in sees what it is worth.
scikit-learn is used here only (the ``train`` extra); run time is pure Python.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from quality import AEB, SCORE  # noqa: E402
from splits import FOLDS, fold, held_out  # noqa: E402

from cleaner import Cleaner  # noqa: E402
from cleaner.kinds.body_trim import stoplist  # noqa: E402
from cleaner.language import detect  # noqa: E402
from cleaner.line_model import FEATURES, MODEL_FILE, line_features  # noqa: E402

STOPLISTS = ROOT / "rules" / "body" / "stoplists"
#: Thresholds tried for the second stage: a line the model gives less is dropped. The
#: one written to the model is the best cross-validated F1 whose recall stays within
#: MAX_RECALL_COST of the rules' (precision over recall: no F1 bought with article text).
THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5)
MAX_RECALL_COST = 0.003
#: Inverse regularisation strength of the logistic regression.
C = 1.0


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def examples() -> list[dict]:
    """One record per dev page: cleaned lines, their features and labels."""
    cleaner = Cleaner()
    pages = []
    for path in sorted((AEB / "in").glob("*.txt")):
        if held_out(path.name):
            continue
        gold = norm((AEB / "gold" / path.name).read_text(encoding="utf-8"))
        out = cleaner.clean(path.read_text(encoding="utf-8")).text
        lines = [line for line in out.split("\n") if line.strip()]
        lang = detect(out) or ""
        stops = stoplist(str(STOPLISTS), lang) if lang else frozenset()
        pages.append(
            {
                "name": path.name,
                "fold": fold(path.name),
                "lines": lines,
                "x": line_features(lines, stops),
                "y": [int(norm(line) in gold) for line in lines],
            }
        )
    return pages


def shingle_f1(pages: list[dict], outputs: dict[str, str]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        gold, out = Path(tmp) / "gold", Path(tmp) / "out"
        gold.mkdir()
        out.mkdir()
        for page in pages:
            (gold / page["name"]).symlink_to(AEB / "gold" / page["name"])
            (out / page["name"]).write_text(outputs[page["name"]], encoding="utf-8")
        result = subprocess.run(
            [sys.executable, str(SCORE), "--shingles", "--gold", str(gold), "--output", str(out),
             "--json"],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
    return json.loads(result.stdout)


def fit(pages: list[dict]):
    from sklearn.linear_model import LogisticRegression

    x = [row for page in pages for row in page["x"]]
    y = [label for page in pages for label in page["y"]]
    model = LogisticRegression(C=C, fit_intercept=False, max_iter=2000)
    model.fit(x, y)
    return model


def cross_validate(pages: list[dict], drop_below: float) -> dict:
    folds = []
    for k in range(FOLDS):
        test = [p for p in pages if p["fold"] == k]
        train = [p for p in pages if p["fold"] != k]
        model = fit(train)
        tp = fp = fn = 0
        rules, second = {}, {}
        for page in test:
            probs = model.predict_proba(page["x"])[:, 1] if page["x"] else []
            kept = [line for line, pr in zip(page["lines"], probs, strict=True) if pr >= drop_below]
            rules[page["name"]] = "\n".join(page["lines"]) + "\n"
            second[page["name"]] = "\n".join(kept) + "\n"
            for pr, label in zip(probs, page["y"], strict=True):
                keep = pr >= 0.5
                tp += keep and label
                fp += keep and not label
                fn += (not keep) and label
        a, b = shingle_f1(test, rules), shingle_f1(test, second)
        folds.append(
            {
                "fold": k,
                "pages": len(test),
                "line_precision": float(tp / (tp + fp)) if tp + fp else 1.0,
                "line_recall": float(tp / (tp + fn)) if tp + fn else 1.0,
                "rules_f1": a["f1"],
                "rules_recall": a["recall"],
                "second_stage_f1": b["f1"],
                "second_stage_recall": b["recall"],
            }
        )
    mean = {
        key: round(sum(f[key] for f in folds) / len(folds), 4)
        for key in folds[0]
        if key not in ("fold", "pages")
    }
    return {"folds": folds, "mean": mean}


def held_out_scores(model, drop_below: float) -> dict:
    """The fitted model on the held-out pages: reported, never used to choose anything."""
    cleaner = Cleaner()
    pages, rules, second = [], {}, {}
    for path in sorted((AEB / "in").glob("*.txt")):
        if not held_out(path.name):
            continue
        out = cleaner.clean(path.read_text(encoding="utf-8")).text
        lines = [line for line in out.split("\n") if line.strip()]
        lang = detect(out) or ""
        stops = stoplist(str(STOPLISTS), lang) if lang else frozenset()
        x = line_features(lines, stops)
        probs = model.predict_proba(x)[:, 1] if x else []
        kept = [line for line, pr in zip(lines, probs, strict=True) if pr >= drop_below]
        pages.append({"name": path.name})
        rules[path.name] = "\n".join(lines) + "\n"
        second[path.name] = "\n".join(kept) + "\n"
    a, b = shingle_f1(pages, rules), shingle_f1(pages, second)
    return {
        "pages": len(pages),
        "rules_f1": a["f1"],
        "rules_recall": a["recall"],
        "second_stage_f1": b["f1"],
        "second_stage_recall": b["recall"],
    }


def main() -> int:
    pages = examples()
    sweep = {t: cross_validate(pages, t) for t in THRESHOLDS}
    for t, cv in sweep.items():
        print(t, cv["mean"])
    floor = max(cv["mean"]["rules_recall"] for cv in sweep.values()) - MAX_RECALL_COST
    allowed = [t for t, cv in sweep.items() if cv["mean"]["second_stage_recall"] >= floor]
    best = max(allowed or [min(THRESHOLDS)], key=lambda t: sweep[t]["mean"]["second_stage_f1"])
    cv = sweep[best]
    model = fit(pages)
    held = held_out_scores(model, best)
    data = {
        "about": "Logistic line classifier (is a cleaned line article text?); see "
        "cleaner/line_model.py. Trained by tools/train_line_model.py on the dev pages of "
        "the article-extraction benchmark; 'cross_validation' holds 5-fold scores over "
        "pages, each measured on the fold the model was not fitted on.",
        "command": ".venv/bin/python tools/train_line_model.py",
        "features": list(FEATURES),
        "weights": [round(float(w), 6) for w in model.coef_[0]],
        "drop_below": best,
        "cross_validation": cv,
        "threshold_sweep": {str(t): sweep[t]["mean"] for t in THRESHOLDS},
        "held_out": held,
    }
    (ROOT / "rules" / MODEL_FILE).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print("chosen drop_below", best, json.dumps(cv["mean"]))
    print("held-out", json.dumps(held))
    return 0


if __name__ == "__main__":
    sys.exit(main())
