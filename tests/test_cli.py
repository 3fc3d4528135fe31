"""``clean-articles IN OUT``: tree mirroring, change log, summary, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import MINIMAL_RULE

from cleaner import revert
from cleaner.changelog import Edit
from cleaner.cli import main

ARTICLE = (
    "Storm hits the coast\n\n"
    "The storm arrived at midnight and flooded the harbour, officials said on Monday.\n\n"
    "Residents were told to stay indoors until the water went down again.\n\n"
    "source site-12"
)


def make_tree(root: Path) -> None:
    (root / "a" / "b").mkdir(parents=True)
    (root / "one.txt").write_text(ARTICLE, encoding="utf-8")
    (root / "a" / "b" / "two.txt").write_text(ARTICLE.replace("12", "7"), encoding="utf-8")
    (root / "a" / "clean.txt").write_text("Already clean.\n", encoding="utf-8")


def test_mirrors_tree_and_writes_log(tmp_path, capsys):
    make_tree(tmp_path / "in")
    code = main([str(tmp_path / "in"), str(tmp_path / "out"), "--lang", "en"])
    assert code == 0
    out = tmp_path / "out"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.txt")) == [
        "a/b/two.txt",
        "a/clean.txt",
        "one.txt",
    ]
    assert "source site" not in (out / "one.txt").read_text()
    assert (out / "a" / "clean.txt").read_text() == "Already clean.\n"

    records = [json.loads(line) for line in (out / ".clean-articles" / "changes.jsonl").open()]
    assert {r["file"] for r in records} == {"one.txt", "a/b/two.txt"}
    trailer = next(r for r in records if r["code"] == "BP101" and r["file"] == "one.txt")
    assert trailer == {
        **trailer,
        "name": "source-site-trailer",
        "line": 7,
        "column": 1,
        "before": "source site-12",
        "after": "",
        "safety": "safe",
        "applied": True,
    }
    diff = (out / ".clean-articles" / "changes.diff").read_text()
    assert "--- a/one.txt" in diff and "--- a/a/b/two.txt" in diff and "clean.txt" not in diff
    assert "-source site-12" in diff

    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("clean-articles: 3 files read, 2 changed, ")
    assert "BP 2" in err[0] and "WS" in err[0]


def test_log_replays_to_the_originals(tmp_path):
    make_tree(tmp_path / "in")
    assert main([str(tmp_path / "in"), str(tmp_path / "out"), "--lang", "en"]) == 0
    records = [json.loads(line) for line in (tmp_path / "out/.clean-articles/changes.jsonl").open()]
    for rel in ("one.txt", "a/b/two.txt"):
        edits = [Edit.from_json(r) for r in records if r["file"] == rel]
        cleaned = (tmp_path / "out" / rel).read_text(encoding="utf-8")
        assert revert(cleaned, edits) == (tmp_path / "in" / rel).read_text(encoding="utf-8")


def test_single_file_input(tmp_path):
    src = tmp_path / "article.txt"
    src.write_text(ARTICLE, encoding="utf-8")
    assert main([str(src), str(tmp_path / "out"), "--lang", "en"]) == 0
    assert (tmp_path / "out" / "article.txt").read_text().endswith("down again.\n")


def test_unsafe_fixes_flag(tmp_path, write_pack):
    pack = write_pack(MINIMAL_RULE.replace('safety = "safe"', 'safety = "unsafe"'), "unsafe.toml")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "x.txt").write_text("Text.\nMARKER\nMore.\n")
    base = [str(tmp_path / "in"), "--rules", str(pack), "--no-default-rules"]
    assert main([*base[:1], str(tmp_path / "safe"), *base[1:]]) == 0
    assert "MARKER" in (tmp_path / "safe" / "x.txt").read_text()
    logged = json.loads((tmp_path / "safe/.clean-articles/changes.jsonl").read_text())
    assert (logged["code"], logged["applied"]) == ("TT101", False)
    assert main([*base[:1], str(tmp_path / "unsafe"), *base[1:], "--unsafe-fixes"]) == 0
    assert "MARKER" not in (tmp_path / "unsafe" / "x.txt").read_text()


def test_bad_rule_file_exits_2_with_path_line(tmp_path, write_pack, capsys):
    pack = write_pack(MINIMAL_RULE.replace('pattern = "MARKER"', 'pattern = "MARK(ER"'))
    (tmp_path / "in").mkdir()
    code = main([str(tmp_path / "in"), str(tmp_path / "out"), "--rules", str(pack)])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{pack}:") and "bad regex" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_usage_errors_exit_2(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner", str(tmp_path / "missing"), str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "no such file or directory" in proc.stderr
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 2


def test_undecodable_file_is_reported_and_others_processed(tmp_path, capsys):
    make_tree(tmp_path / "in")
    (tmp_path / "in" / "bad.txt").write_bytes(b"caf\xe9 \xff\xfe")
    code = main([str(tmp_path / "in"), str(tmp_path / "out"), "--lang", "en"])
    assert code == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'in' / 'bad.txt'}: error: not valid UTF-8" in err
    assert (tmp_path / "out" / "one.txt").exists()
    assert not (tmp_path / "out" / "bad.txt").exists()


def test_crlf_line_endings_are_kept(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "w.txt").write_bytes(ARTICLE.replace("\n", "\r\n").encode())
    assert main([str(tmp_path / "in"), str(tmp_path / "out"), "--lang", "en"]) == 0
    data = (tmp_path / "out" / "w.txt").read_bytes()
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert b"source site" not in data


def test_output_inside_input_is_not_reprocessed(tmp_path):
    make_tree(tmp_path / "in")
    assert main([str(tmp_path / "in"), str(tmp_path / "in" / "out"), "--lang", "en"]) == 0
    assert main([str(tmp_path / "in"), str(tmp_path / "in" / "out"), "--lang", "en"]) == 0
    assert not (tmp_path / "in" / "out" / "out").exists()


def test_mirrored_files_get_ordinary_permissions(tmp_path):
    import os

    make_tree(tmp_path / "in")
    old = os.umask(0o022)
    try:
        assert main([str(tmp_path / "in"), str(tmp_path / "out"), "--lang", "en"]) == 0
    finally:
        os.umask(old)
    assert (tmp_path / "out" / "one.txt").stat().st_mode & 0o777 == 0o644
