"""Ray: clean_dataset (Ray Data) and --engine ray, on a local 2-CPU runtime.

Both must give exactly what the local engine gives. One runtime for the module
(starting Ray takes seconds).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ray = pytest.importorskip("ray", reason="pip install '.[ray]'")
np = pytest.importorskip("numpy")

from cleaner import Cleaner, Edit, revert  # noqa: E402
from cleaner.cli import main  # noqa: E402
from cleaner.integrations.ray import CleanBatch, clean_dataset  # noqa: E402

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "in"
TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]


@pytest.fixture(scope="module", autouse=True)
def runtime():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}  # fmt: skip


def test_clean_dataset_matches_the_local_cleaner():
    rows = [{"id": n, "text": text, "url": f"https://example.org/{n}"}
            for n, text in enumerate(TEXTS * 2)]  # fmt: skip
    ds = ray.data.from_items(rows, override_num_blocks=3)
    options = {"select": ["BP", "WS", "ND"]}
    out = clean_dataset(ds, cleaner_options=options, concurrency=2, batch_size=3).take_all()
    local = Cleaner(**options)
    # Ray Data may hand blocks back in any order (unless preserve_order is set): match by id.
    by_id = {r["id"]: r for r in out}
    assert sorted(by_id) == [r["id"] for r in rows] and len(out) == len(rows)
    for row in rows:
        got = by_id[row["id"]]
        expected = local.clean(row["text"])
        assert got["text"] == expected.text and got["url"] == row["url"]
        assert got["language"] == expected.language
        edits = [Edit.from_json(e) for e in json.loads(got["edits"])]
        assert revert(got["text"], edits) == row["text"]
    assert any(by_id[row["id"]]["text"] != row["text"] for row in rows)


def test_the_batch_function_refuses_to_overwrite_a_column():
    # The check itself, without a Ray job (an error inside an actor is retried by Ray).
    batch = {"text": np.array([TEXTS[0]], dtype=object), "language": np.array(["en"])}
    with pytest.raises(ValueError, match="already has a column 'language'"):
        CleanBatch()(batch)
    renamed = CleanBatch(language_column="detected")(batch)
    assert list(renamed["language"]) == ["en"] and len(renamed["detected"]) == 1


def test_engine_ray_writes_what_the_local_engine_writes(tmp_path, capsys):
    tree = tmp_path / "tree"
    for n, text in enumerate(TEXTS):
        (tree / f"d{n % 2}").mkdir(parents=True, exist_ok=True)
        (tree / f"d{n % 2}" / f"{n}.txt").write_text(text, encoding="utf-8")
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"text": t}) + "\n" for t in TEXTS * 2))
    for source in (tree, corpus):
        local, distributed = tmp_path / f"local-{source.name}", tmp_path / f"ray-{source.name}"
        assert main([str(source), str(local), "--jobs", "1"]) == 0
        local_err = capsys.readouterr().err
        assert main([str(source), str(distributed), "--engine", "ray", "--jobs", "2"]) == 0
        assert capsys.readouterr().err == local_err
        assert tree_bytes(local) == tree_bytes(distributed)
        assert len(tree_bytes(local)) >= 4
