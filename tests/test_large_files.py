"""Large files: cleaned in pieces with bounded memory, logged and reverted byte for byte.

The fast test shrinks the piece size so a few MB make many pieces (and
measures memory with tracemalloc); the ``slow`` one runs the command line on
a generated 200 MB file and checks the child process's peak memory.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest
from test_bad_inputs import PACK

import cleaner.pieces as pieces
import cleaner.textio as textio
import cleaner.tree as tree
from cleaner.cli import main

ROOT = Path(__file__).resolve().parent.parent
PARAGRAPH = (
    "The council met on Tuesday evening and agreed, after a long debate, to repair the old "
    "bridge before the winter storms arrive, the mayor told reporters outside the hall.\n"
)


def write_big(path: Path, size: int, newline: str = "\n") -> tuple[str, str]:
    """Paragraphs with a debris line in every 7th; returns the input's and expected SHA-256."""
    original, expected = hashlib.sha256(), hashlib.sha256()
    written = n = 0
    with path.open("wb") as handle:
        while written < size:
            n += 1
            debris = f"source site-{n}\n" if n % 7 == 0 else ""
            data = f"{n}. {PARAGRAPH}{debris}\n".replace("\n", newline).encode()
            handle.write(data)
            original.update(data)
            written += len(data)
            kept = f"{n}. {PARAGRAPH}" + ("" if written >= size else "\n")  # one final break
            expected.update(kept.replace("\n", newline).encode())
    return original.hexdigest(), expected.hexdigest()


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@pytest.fixture()
def pack(tmp_path: Path) -> Path:
    path = tmp_path / "pack.toml"
    path.write_text(PACK, encoding="utf-8")
    return path


def clean_measured(pack: Path, source: Path, target: Path) -> int:
    """Run IN OUT in this process; the peak of traced memory."""
    argv = [str(source), str(target), "--rules", str(pack), "--no-default-rules", "--isolated"]
    tracemalloc.start()
    try:
        assert main(argv) == 0
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_pieces_are_cleaned_logged_and_reverted_with_bounded_memory(pack, tmp_path, monkeypatch):
    monkeypatch.setattr(pieces, "PIECE_CHARS", 16 << 10)
    monkeypatch.setattr(pieces, "MAX_PIECE_CHARS", 64 << 10)
    monkeypatch.setattr(textio, "BLOCK_BYTES", 16 << 10)
    monkeypatch.setattr(textio, "IN_MEMORY_BYTES", 0)
    monkeypatch.setattr(tree, "SPILL_BYTES", 16 << 10)
    peaks = {}
    for size in (256 << 10, 1 << 20):
        source = tmp_path / f"in-{size}"
        source.mkdir()
        before, after = write_big(source / "big.txt", size, newline="\r\n")
        out = tmp_path / f"out-{size}"
        peaks[size] = clean_measured(pack, source, out)
        assert sha256(out / "big.txt") == after
    # Memory does not grow with the file: four times the text, about the same peak.
    assert peaks[1 << 20] < 1.5 * peaks[256 << 10] and peaks[1 << 20] < 4 << 20, peaks
    record = json.loads((out / ".clean-articles/files.jsonl").read_text())
    assert len(record["pieces"]) > 40 and record["newline"] == "\r\n"
    changes = [json.loads(x) for x in (out / ".clean-articles/changes.jsonl").open()]
    assert {c["piece"] for c in changes} >= set(range(1, 40))
    # Lines are counted in the whole file: every dropped line is a 'source site-N' line.
    lines = (source / "big.txt").read_bytes().split(b"\r\n")
    for change in changes:
        if change["code"] == "TT101":
            assert lines[change["line"] - 1].decode() == change["before"].rstrip("\n")
    # The diffs of the pieces make one patch of the whole file.
    diff = (out / ".clean-articles/changes.diff").read_text()
    assert diff.count("--- a/big.txt") == 1
    assert diff.count("\n-source site-") == sum(c["code"] == "TT101" for c in changes)
    for hunk in re.finditer(r"^@@ -(\d+),\d+ \+\d+,\d+ @@\n[ -](.*)\n", diff, re.MULTILINE):
        assert lines[int(hunk.group(1)) - 1].decode() == hunk.group(2).rstrip("\r")
    assert main(["revert", str(out), str(tmp_path / "back")]) == 0
    assert sha256(tmp_path / "back" / "big.txt") == before


def test_a_piece_boundary_does_not_change_what_a_small_file_gets(pack, tmp_path, monkeypatch):
    """Head and tail zones, document start and end belong to the first and last piece only."""
    monkeypatch.setattr(pieces, "PIECE_CHARS", 200)
    text = "\n\n" + "".join(f"{n}. {PARAGRAPH}\n" for n in range(10)) + "source site-1\n\n\n"
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_text(text)
    argv = [str(source), str(tmp_path / "out"), "--rules", str(pack), "--no-default-rules"]
    assert main([*argv, "--isolated"]) == 0
    cleaned = (tmp_path / "out" / "a.txt").read_text()
    assert cleaned == "\n\n" + "".join(f"{n}. {PARAGRAPH}\n" for n in range(10)).rstrip() + "\n"
    assert cleaned.count("\n\n") == 10  # no paragraph break lost at a boundary


PEAK_WRAPPER = (
    "import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(code)"
)


@pytest.mark.slow
def test_a_200_mb_file_streams_with_bounded_memory(pack, tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    size = 200 << 20
    before, after = write_big(source / "big.txt", size)
    layout = ROOT / "rules" / "whitespace" / "neutral.toml"  # the shipped layout rules, and
    trailer = tmp_path / "trailer.toml"  # the 'source site-N' rule of PACK (without its
    trailer.write_text(PACK.split('\n[[rule]]\ncode = "TT901"')[0])  # layout rule)
    # The CLI runs under a fresh wrapper process whose RUSAGE_CHILDREN covers the CLI
    # alone: this test process's own figure is the largest child it ever had (pip, ...).
    proc = subprocess.run(
        [sys.executable, "-c", PEAK_WRAPPER, sys.executable, "-m", "cleaner", str(source),
         str(tmp_path / "out"), "--rules", str(trailer), "--rules", str(layout),
         "--no-default-rules", "--isolated", "--lang", "en"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    peak_kb = int(proc.stdout.strip().splitlines()[-1])
    assert proc.returncode == 0, proc.stderr
    assert peak_kb * 1024 < 150 << 20, f"peak {peak_kb} KiB for a 200 MB file"
    assert sha256(tmp_path / "out" / "big.txt") == after
    (source / "big.txt").unlink()
    proc = subprocess.run(
        [sys.executable, "-m", "cleaner", "revert", str(tmp_path / "out"), str(tmp_path / "back")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert sha256(tmp_path / "back" / "big.txt") == before
