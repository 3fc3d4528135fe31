"""The library API: picklable, thread-safe, edits as JSON that revert a result exactly."""

from __future__ import annotations

import json
import pickle
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import cleaner
from cleaner import Cleaner, Edit, Safeguards, load_rules, revert

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

TEXTS = [p.read_text(encoding="utf-8") for p in sorted((SAMPLES / "in").glob("*.txt"))]


def summary(result: cleaner.CleanResult) -> tuple:
    return (
        result.text,
        [e.to_json() for e in result.edits],
        [e.to_json() for e in result.findings],
        result.language,
        result.source_language,
    )


@pytest.fixture(scope="module")
def shared() -> Cleaner:
    return Cleaner()


def test_samples_are_changed(shared):
    # Otherwise the comparisons below would hold for a cleaner that does nothing.
    assert any(shared.clean(text).edits for text in TEXTS)


def test_pickle_round_trip_cleans_identically(shared):
    options = Cleaner(
        select=["BP", "WS"], ignore=["BP1"], unsafe_fixes=True, safeguards=Safeguards(min_words=5)
    )
    for original in (shared, options):
        copy = pickle.loads(pickle.dumps(original))
        assert copy.select == original.select and copy.ignore == original.ignore
        assert copy.unsafe_fixes == original.unsafe_fixes
        assert copy.safeguards == original.safeguards
        assert [r.code for r in copy.rules] == [r.code for r in original.rules]
        for text in TEXTS:
            assert summary(copy.clean(text)) == summary(original.clean(text))


def test_every_shipped_pack_pickles():
    # A lambda or open handle in a compiled rule would break worker processes and Ray.
    for pack in load_rules():
        assert pickle.loads(pickle.dumps(pack)).name == pack.name


def test_threads_give_the_serial_results(shared):
    serial = [summary(shared.clean(text)) for text in TEXTS * 3]
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(lambda t: summary(shared.clean(t)), TEXTS * 3))
    assert threaded == serial


def test_edits_as_json_revert_the_result(shared):
    for text in TEXTS:
        result = shared.clean(text)
        wire = json.dumps([e.to_json() for e in result.edits], ensure_ascii=False)
        edits = [Edit.from_json(record) for record in json.loads(wire)]
        assert revert(result.text, edits) == text


def test_packs_load_individually():
    packs = load_rules()
    assert len({p.name for p in packs}) == len(packs) > 1
    one = Cleaner([packs[0]])
    assert {r.pack for r in one.rules} <= {packs[0].name}


def test_public_api_is_typed():
    assert (Path(cleaner.__file__).parent / "py.typed").exists()
