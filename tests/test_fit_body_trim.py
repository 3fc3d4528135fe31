"""tools/fit_body_trim.py's selection and cross-validation, on small made-up score tables.

Nothing is cleaned here: the tool keeps one per-page table per candidate and
does the fold selection on the tables, so the logic is tested on tables.
"""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tools" / "fit_body_trim.py"


def load_tool():
    """tools/fit_body_trim.py loaded by path (tools/ is not a package)."""
    name = "fit_body_trim_under_test"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, SCRIPT)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


fit = load_tool()

#: Two pages of each benchmark per fold, 5 folds.
FOLDS = {f"{b}/p{k}{i}": k for k in range(5) for i in range(2) for b in ("aeb", "traf", "inj")}
GOOD = {"aeb": (0.9, 0.98), "traf": (9, 1, 1), "inj": (10, 5, 10, 8, 8)}


def table(**changes: tuple) -> dict:
    """A per-page table: GOOD on every page, ``changes`` (page id with '_' for '/') aside."""
    rows = {page: GOOD[page.split("/")[0]] for page in FOLDS}
    rows.update({page.replace("_", "/"): row for page, row in changes.items()})
    return rows


def lookup(tables: dict):
    def tables_of(keys):
        return {k: tables.get(k) for k in keys}

    return tables_of


START = {"x": 1}


def test_aggregate_sums_as_the_shared_scorer_does():
    rows = {
        "aeb/a": (1.0, 1.0),
        "aeb/b": (0.5, None),  # no gold shingles: no recall term
        "traf/a": (3, 1, 1),
        "traf/b": (1, 1, 0),
        "inj/a": (10, 4, 8, 6, 6),
        "inj/b": (10, 2, 2, 4, 1),
    }
    s = fit.aggregate(rows, rows)
    assert s["aeb_p"] == 0.75 and s["aeb_r"] == 1.0  # macro over pages
    assert abs(s["traf_f1"] - 2 * (4 / 5) * (4 / 6) / (4 / 5 + 4 / 6)) < 1e-12  # micro
    assert s["del_p"] == 7 / 10 and s["closed"] == (20 - 6) / 20


def test_a_better_f1_that_deletes_article_text_is_not_selected():
    better_f1_worse_del_p = table(traf_p00=(10, 0, 0), inj_p00=(10, 5, 12, 8, 8))
    better_f1 = table(traf_p00=(10, 0, 0))
    tables = {
        fit.key_of({"x": 1}): table(),
        fit.key_of({"x": 2}): better_f1_worse_del_p,
        fit.key_of({"x": 3}): better_f1,
    }
    assert fit.select(START, {"x": (1, 2)}, lookup(tables), list(FOLDS)) == START
    assert fit.select(START, {"x": (1, 2, 3)}, lookup(tables), list(FOLDS)) == {"x": 3}


def test_a_lower_aeb_recall_is_not_selected_whatever_the_f1():
    tables = {
        fit.key_of({"x": 1}): table(),
        fit.key_of({"x": 2}): table(aeb_p00=(1.0, 0.97), traf_p10=(10, 0, 0)),
    }
    assert fit.select(START, {"x": (1, 2)}, lookup(tables), list(FOLDS)) == START


def test_invalid_candidates_are_skipped():
    tables = {fit.key_of({"x": 1}): table(), fit.key_of({"x": 2}): None}
    assert fit.select(START, {"x": (1, 2)}, lookup(tables), list(FOLDS)) == START


def test_each_fold_is_scored_with_parameters_chosen_without_it():
    # x=2 is better on fold 3's pages only, the same elsewhere: every training set
    # holding fold 3 selects it; the one for scoring fold 3 does not hold it, sees
    # no gain and keeps the shipped value.
    only_fold3 = table(traf_p30=(10, 0, 0), traf_p31=(10, 0, 0))
    tables = {fit.key_of({"x": 1}): table(), fit.key_of({"x": 2}): only_fold3}
    rows = fit.cross_validate(START, {"x": (1, 2)}, lookup(tables), FOLDS)
    assert [row["fold"] for row in rows] == [0, 1, 2, 3, 4]
    assert all(row["pages"] == {"aeb": 2, "traf": 2, "inj": 2} for row in rows)
    assert [row["chosen"] for row in rows] == [{"x": 2}, {"x": 2}, {"x": 2}, {}, {"x": 2}]
    # Scored on its own pages only: no gain where the choice changes nothing.
    assert rows[0]["chosen_score"] == rows[0]["current_score"]
    assert rows[3]["chosen_score"] == rows[3]["current_score"]


def test_coordinate_descent_moves_one_parameter_at_a_time_from_the_best_so_far():
    start = {"a": 0, "b": 0}
    gain = {(0, 0): 0, (1, 0): 1, (0, 1): 1, (1, 1): 3}

    def tables_of(keys):
        out = {}
        for key in keys:
            params = dict(key)
            extra = gain[params["a"], params["b"]]
            out[key] = table(traf_p00=(9 + extra, 1, 1))
        return out

    grid = {"a": (0, 1), "b": (0, 1)}
    assert fit.select(start, grid, tables_of, list(FOLDS)) == {"a": 1, "b": 1}


def test_the_shipped_value_is_always_in_the_grid():
    grid = fit.grid_with(
        {"length_low": 65, "peel_gap": 5}, {"length_low": (50, 70), "peel_gap": (4,)}
    )
    assert grid == {"length_low": (50, 65, 70), "peel_gap": (4, 5)}


def test_bit_parallel_distance_is_the_scorers_edit_distance():
    sc = fit._scorer() if fit.SCORE.exists() else None
    rng = random.Random(16)
    for _ in range(200):
        a = [rng.choice("abcde") for _ in range(rng.randint(0, 90))]
        b = [rng.choice("abcde") for _ in range(rng.randint(0, 90))]
        expected = sc._distance_dp(a, b) if sc else _dp(a, b)
        assert fit.levenshtein(a, b) == expected


def _dp(a, b):
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def test_one_benchmark_is_not_traded_for_the_other():
    # x=2: trafilatura F1 up a lot, AEB F1 down a little (precision: recall stays).
    traded = table(traf_p00=(10, 0, 0), traf_p10=(10, 0, 0), aeb_p00=(0.85, 0.98))
    tables = {fit.key_of({"x": 1}): table(), fit.key_of({"x": 2}): traded}
    s = fit.aggregate(traded, FOLDS)
    assert fit.objective(s) > fit.objective(fit.aggregate(table(), FOLDS))
    assert fit.select(START, {"x": (1, 2)}, lookup(tables), list(FOLDS)) == START


def test_only_fits_the_named_parameters_and_refuses_unknown_ones():
    assert fit.only(["peel_gap"]) == {"peel_gap": fit.TUNED["peel_gap"]}
    with pytest.raises(ValueError, match="peel_share"):
        fit.only(["peel_gap", "peel_share"])
