"""JSONL corpora: the text field cleaned, everything else kept, per-record log, streamed."""

from __future__ import annotations

import gzip
import json
import tracemalloc
from collections import defaultdict
from pathlib import Path

import pytest

import cleaner.jsonl as jsonl
from cleaner import Cleaner, Edit, revert
from cleaner.cli import main

SAMPLES = Path(__file__).resolve().parent.parent / "samples" / "in"
TEXTS = [p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt"))]


def write_corpus(path: Path, copies: int = 2, bad: bool = True) -> list[bytes]:
    lines = []
    for n, text in enumerate(TEXTS * copies):
        record = {"id": f"doc-{n}", "meta": {"url": "https://x/é", "score": 1.50}, "text": text}
        line = json.dumps(record, ensure_ascii=n % 2 == 0)
        if n % 3 == 0:
            line = line.replace(", ", ",")  # compact separators must survive too
        lines.append(line.encode("utf-8") + (b"\r\n" if n == 1 else b"\n"))
    if bad:
        lines[2:2] = [b"not json at all\n", b'{"id": "x", "text": 5}\n', b"\n"]
        lines.append(b'{"id": "last", "body": "no text field"}')  # no final newline either
    path.write_bytes(b"".join(lines))
    return lines


def run(*args: str) -> int:
    return main([*args, "-q"])


def changes_by_record(out: Path) -> dict[int, list[dict]]:
    grouped: dict[int, list[dict]] = defaultdict(list)
    for line in (out / ".clean-articles" / "changes.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        grouped[record["record"]].append(record)
    return grouped


def test_text_is_cleaned_and_everything_else_kept(tmp_path, capsys):
    source = tmp_path / "corpus.jsonl"
    lines_in = write_corpus(source)
    out = tmp_path / "out"
    assert run(str(source), str(out), "--id-field", "id") == 1  # the bad records
    err = capsys.readouterr().err
    assert f"{source}:3: error: not a JSON object" in err
    assert f"{source}:4: error: 'text' is int, not a string" in err
    assert f"{source}:{len(lines_in)}: error: no 'text' field" in err
    lines_out = (out / "corpus.jsonl").read_bytes().splitlines(keepends=True)
    assert len(lines_out) == len(lines_in)
    shared = Cleaner()
    changed = 0
    for before, after in zip(lines_in, lines_out, strict=True):
        if before.strip() in (b"not json at all", b'{"id": "x", "text": 5}', b""):
            assert after == before
            continue
        if b'"body"' in before:
            assert after == before
            continue
        assert after[-2:] == before[-2:]  # the same line terminator
        a, b = json.loads(before), json.loads(after)
        assert list(a) == list(b) and {**a, "text": None} == {**b, "text": None}
        assert b["text"] == shared.clean(a["text"]).text
        assert before.isascii() == after.isascii()
        # Outside the text value, the line is the same bytes.
        start, end, _, _ = jsonl.text_span(before.decode().rstrip("\r\n"), "text")
        s2, e2, _, _ = jsonl.text_span(after.decode().rstrip("\r\n"), "text")
        assert before.decode()[:start] == after.decode()[:s2]
        assert before.decode()[end:] == after.decode()[e2:]
        changed += a["text"] != b["text"]
    assert changed >= len(TEXTS)


def test_the_log_reverts_every_record(tmp_path):
    source = tmp_path / "corpus.jsonl"
    lines_in = write_corpus(source, bad=False)
    out = tmp_path / "out"
    assert run(str(source), str(out), "--id-field", "id") == 0
    grouped = changes_by_record(out)
    assert grouped and all(r["id"].startswith("doc-") for rs in grouped.values() for r in rs)
    lines_out = (out / "corpus.jsonl").read_bytes().splitlines()
    for number, (before, after) in enumerate(zip(lines_in, lines_out, strict=True), 1):
        original, cleaned = json.loads(before)["text"], json.loads(after)["text"]
        edits = [Edit.from_json(r) for r in grouped.get(number, [])]
        assert revert(cleaned, edits) == original
    records = [json.loads(x) for x in (out / ".clean-articles" / "records.jsonl").open()]
    assert {r["status"] for r in records} == {"cleaned"}
    [files] = [json.loads(x) for x in (out / ".clean-articles" / "files.jsonl").open()]
    assert files["format"] == "jsonl" and files["records"] == len(lines_in)
    assert files["changed"] == len(records)


def test_any_jobs_gives_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(jsonl, "BATCH_RECORDS", 2)  # many batches, out of order in the pool
    source = tmp_path / "in"
    source.mkdir()
    write_corpus(source / "a.jsonl")
    (source / "sub").mkdir()
    write_corpus(source / "sub" / "b.jsonl", copies=1, bad=False)
    with gzip.open(source / "sub" / "c.jsonl.gz", "wb") as handle:
        handle.write((source / "sub" / "b.jsonl").read_bytes())
    (source / "notes.txt").write_text("not part of a JSONL corpus")
    trees = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        assert run(str(source), str(out), "--format", "jsonl", "--jobs", jobs) == 1
        trees.append({p.relative_to(out).as_posix(): p.read_bytes()
                      for p in sorted(out.rglob("*")) if p.is_file()})  # fmt: skip
    assert trees[0] == trees[1]
    assert "notes.txt" not in trees[0]
    unzipped = gzip.decompress(trees[0]["sub/c.jsonl.gz"])
    assert unzipped == trees[0]["sub/b.jsonl"]


def test_text_span_walks_only_the_top_level():
    line = '{"a": {"text": "inner"}, "text": "first", "b": [1, "x"], "text" : "last" }'
    start, end, value, fields = jsonl.text_span(line, "text")
    assert value == "last" and line[start:end] == '"last"'
    assert fields["a"] == {"text": "inner"}
    for bad, reason in [
        ("[1, 2]", "not a JSON object"),
        ('{"text": "x"', "invalid JSON"),
        ('{"text": "x"} trailing', "extra data"),
        ('{"title": "x"}', "no 'text' field"),
        ('{"text": null}', "NoneType, not a string"),
    ]:
        with pytest.raises(jsonl.RecordError, match=reason):
            jsonl.text_span(bad, "text")


def test_lint_modes_refuse_jsonl(tmp_path, capsys):
    source = tmp_path / "corpus.jsonl"
    write_corpus(source, copies=1)
    assert main(["--check", str(source)]) == 2
    assert "clean a JSONL corpus with IN OUT" in capsys.readouterr().err


def test_revert_gives_the_corpus_back_byte_for_byte(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    lines = write_corpus(source / "a.jsonl")
    tricky = [
        # Cleaning removes the only non-ASCII character (a no-break space): the output
        # line is ASCII, the input's raw spelling has to come from the log.
        json.dumps(
            {"text": "Storm\u00a0warning issued\n\nThe storm came.\n\nsource site-3"},
            ensure_ascii=False,
        ),
        # Escapes json.dumps would not write (\/, \u00e9 in a non-ASCII line).
        r'{"n": "é", "text": "Caf\u00e9 \/ bar opens\n\nIt opened.\n\nsource site-4"}',
    ]
    (source / "b.jsonl").write_text("\n".join(tricky) + "\n", encoding="utf-8")
    with gzip.open(source / "c.jsonl.gz", "wb") as handle:
        handle.write(b"".join(lines))
    out = tmp_path / "out"
    assert run(str(source), str(out), "--format", "jsonl", "--jobs", "2") == 1  # bad records
    assert (out / "b.jsonl").read_bytes() != (source / "b.jsonl").read_bytes()
    assert (out / "b.jsonl").read_bytes().splitlines()[0].isascii()
    back = tmp_path / "back"
    assert main(["revert", str(out), str(back), "-q"]) == 0
    for name in ("a.jsonl", "b.jsonl"):
        assert (back / name).read_bytes() == (source / name).read_bytes(), name
    assert gzip.decompress((back / "c.jsonl.gz").read_bytes()) == b"".join(lines)
    # In place, then again: the second time there is nothing left to do.
    assert main(["revert", "--in-place", str(out), "-q"]) == 0
    assert (out / "a.jsonl").read_bytes() == (source / "a.jsonl").read_bytes()
    assert main(["revert", "--in-place", str(out), "-q"]) == 0


def test_revert_refuses_a_jsonl_output_changed_since(tmp_path, capsys):
    source = tmp_path / "corpus.jsonl"
    write_corpus(source, copies=1, bad=False)
    out = tmp_path / "out"
    assert run(str(source), str(out)) == 0
    with open(out / "corpus.jsonl", "ab") as handle:
        handle.write(b'{"text": "added later"}\n')
    assert main(["revert", str(out), str(tmp_path / "back")]) == 1
    assert "changed since the run" in capsys.readouterr().err
    assert not (tmp_path / "back" / "corpus.jsonl").exists()


def peak_of_run(source: Path, out: Path) -> int:
    tracemalloc.start()
    try:
        run(str(source), str(out), "--jobs", "1", "--lang", "en", "--select", "BP,WS")
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_corpus(tmp_path, monkeypatch):
    monkeypatch.setattr(jsonl, "BATCH_RECORDS", 8)
    record = json.dumps({"text": "Headline\n\nA paragraph of news text.\n\nsource site-3"})
    peaks = {}
    for count in (500, 2_000):
        source = tmp_path / f"c{count}.jsonl"
        source.write_text((record + "\n") * count, encoding="utf-8")
        peaks[count] = peak_of_run(source, tmp_path / f"out{count}")
        assert (tmp_path / f"out{count}" / source.name).stat().st_size < source.stat().st_size
    # Four times the records, about the same peak (the log is streamed to disk too).
    assert peaks[2_000] < 1.3 * peaks[500], peaks


def test_a_large_record_is_cleaned_in_the_pieces_of_a_text_file(tmp_path, monkeypatch):
    """A record over the piece size: the pieces, the result and the revert of a .txt file."""
    from cleaner import pieces

    monkeypatch.setattr(pieces, "PIECE_CHARS", 3 << 10)
    monkeypatch.setattr(pieces, "MAX_PIECE_CHARS", 12 << 10)
    monkeypatch.setattr(jsonl, "_ESCAPE_CHARS", 1000)  # long strings escaped in windows too
    text = "\n\n".join(t.replace("\r\n", "\n") for t in TEXTS * 2)
    assert len(text) > 6 * pieces.PIECE_CHARS
    tree, corpus = tmp_path / "tree", tmp_path / "corpus.jsonl"
    tree.mkdir()
    (tree / "big.txt").write_text(text, encoding="utf-8")
    small = json.dumps({"id": "small", "text": "Rain.\n\nsource site-3"})
    big = json.dumps({"id": "big", "meta": [1, 2], "text": text}, ensure_ascii=False)
    escaped = json.dumps(
        {"id": "escaped", "text": text.replace("Maan said", "Ma\U0001d11ean said")}
    )
    corpus.write_text(f"{small}\n{big}\n{escaped}\n", encoding="utf-8")
    assert run(str(tree), str(tmp_path / "tree-out"), "--jobs", "1") == 0
    assert run(str(corpus), str(tmp_path / "out"), "--jobs", "1", "--id-field", "id") == 0
    [file_record] = map(
        json.loads, (tmp_path / "tree-out" / ".clean-articles" / "files.jsonl").open()
    )
    log = tmp_path / "out" / ".clean-articles"
    entries = {r["id"]: r for r in map(json.loads, (log / "records.jsonl").open())}
    assert len(file_record["pieces"]) > 2
    assert entries["big"]["pieces"] == file_record["pieces"]
    assert "pieces" not in entries["small"]
    out_lines = (tmp_path / "out" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    cleaned = (tmp_path / "tree-out" / "big.txt").read_text(encoding="utf-8")
    assert cleaned != text and json.loads(out_lines[1])["text"] == cleaned
    assert out_lines[1].startswith('{"id": "big", "meta": [1, 2], "text": "')
    assert out_lines[2].isascii() and "\\ud834\\udd1e" in out_lines[2]
    assert json.loads(out_lines[2])["text"] != json.loads(escaped)["text"]
    # Edits say their piece; those of later pieces count lines in the whole text.
    changes = [r for r in map(json.loads, (log / "changes.jsonl").open()) if r["id"] == "big"]
    assert {r["piece"] for r in changes} == set(range(len(file_record["pieces"])))
    assert max(r["line"] for r in changes) > text[: pieces.MAX_PIECE_CHARS].count("\n")
    back = tmp_path / "back"
    assert main(["revert", str(tmp_path / "out"), str(back), "-q"]) == 0
    assert (back / "corpus.jsonl").read_bytes() == corpus.read_bytes()
