"""The learned line classifier's run-time half: features, shipped weights, probabilities."""

from __future__ import annotations

import json

import pytest

from cleaner.line_model import FEATURES, MODEL_FILE, line_features, load, probability
from cleaner.loader import default_rules_dir

PAGE = [
    "Home",
    "News",
    "Storm hits the coast",
    "The storm arrived at midnight and flooded the harbour, and officials said on Monday "
    "that the water would go down again within two or three days.",
    "Residents were told to stay indoors until the water went down again, and the council "
    "opened two shelters in the town hall and in the school.",
    "Privacy policy",
    "© 2024 Example Media",
]
STOPS = frozenset({"the", "and", "on", "in", "to", "that", "was", "would", "were", "at"})


def test_one_row_of_every_feature_per_nonblank_line():
    rows = line_features([*PAGE[:2], "", *PAGE[2:]], STOPS)
    assert len(rows) == len(PAGE)
    assert all(len(row) == len(FEATURES) for row in rows)


def test_the_shipped_weights_match_the_features_and_carry_their_measurement():
    model = load()
    assert len(model["weights"]) == len(FEATURES)
    cv = model["cross_validation"]
    assert len(cv["folds"]) == 5 and "second_stage_f1" in cv["mean"]
    assert "held_out" in model


def test_prose_scores_higher_than_page_furniture():
    model = load()
    probs = [probability(model, row) for row in line_features(PAGE, STOPS)]
    assert all(0.0 <= p <= 1.0 for p in probs)
    assert min(probs[3], probs[4]) > max(probs[0], probs[1], probs[5])


def test_weights_for_other_features_are_refused(tmp_path):
    data = json.loads((default_rules_dir() / MODEL_FILE).read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]
    path = tmp_path / "m.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="other features"):
        load(path)
