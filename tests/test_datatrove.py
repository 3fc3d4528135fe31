"""datatrove: the CleanArticles step in a local pipeline, JSONL in and out."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

pytest.importorskip("datatrove", reason="pip install '.[datatrove]'")

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

from cleaner import Cleaner, Edit, revert
from cleaner.integrations.datatrove import CleanArticles

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "in"
TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]


def test_pipeline_cleans_each_document(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    for part in range(2):
        with open(source / f"part{part}.jsonl", "w", encoding="utf-8") as handle:
            for n, text in enumerate(TEXTS):
                handle.write(json.dumps({"id": f"{part}-{n}", "text": text}) + "\n")
    out = tmp_path / "out"
    LocalPipelineExecutor(
        pipeline=[
            JsonlReader(str(source)),
            CleanArticles(cleaner_options={"unsafe_fixes": False}, keep_edits=True),
            JsonlWriter(str(out), output_filename="${rank}.jsonl.gz"),
        ],
        tasks=2,
        workers=2,
        logging_dir=str(tmp_path / "logs"),
    ).run()
    docs = []
    for path in sorted(out.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            docs.extend(json.loads(line) for line in handle)
    assert len(docs) == 2 * len(TEXTS)
    local = Cleaner()
    originals = {f"{p}-{n}": t for p in range(2) for n, t in enumerate(TEXTS)}
    changed = 0
    for doc in docs:
        expected = local.clean(originals[doc["id"]])
        assert doc["text"] == expected.text
        meta = doc["metadata"]
        assert meta["clean_articles_edits"] == len(expected.edits)
        assert meta["language"] == expected.language
        edits = [Edit.from_json(e) for e in json.loads(meta["clean_articles_log"])]
        assert revert(doc["text"], edits) == originals[doc["id"]]
        changed += doc["text"] != originals[doc["id"]]
    assert changed >= len(TEXTS)


def test_step_takes_a_cleaner_or_options_not_both():
    with pytest.raises(ValueError):
        CleanArticles(Cleaner(), cleaner_options={"select": ["BP"]})
