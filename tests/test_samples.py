"""The bundled samples, through the real CLI, against the hand-cleaned versions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
NAMES = sorted(p.name for p in (SAMPLES / "in").iterdir())


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cleaner", *args], capture_output=True, text=True, check=False
    )


@pytest.fixture(scope="module")
def cleaned(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out")
    proc = run_cli(str(SAMPLES / "in"), str(out))
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.fixture(scope="module")
def cleaned_unsafe(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out-unsafe")
    proc = run_cli("--unsafe-fixes", str(SAMPLES / "in"), str(out))
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.mark.parametrize("name", NAMES)
def test_samples_match_expected_exactly(cleaned, name):
    expected = (SAMPLES / "expected" / name).read_text(encoding="utf-8")
    assert (cleaned / name).read_text(encoding="utf-8") == expected


@pytest.mark.parametrize("name", NAMES)
def test_samples_match_expected_unsafe_exactly(cleaned_unsafe, name):
    expected = (SAMPLES / "expected-unsafe" / name).read_text(encoding="utf-8")
    assert (cleaned_unsafe / name).read_text(encoding="utf-8") == expected


@pytest.mark.parametrize("name", NAMES)
def test_every_line_expected_drops_is_dropped(cleaned, name):
    source = (SAMPLES / "in" / name).read_text(encoding="utf-8").splitlines()
    expected = set((SAMPLES / "expected" / name).read_text(encoding="utf-8").splitlines())
    output = set((cleaned / name).read_text(encoding="utf-8").splitlines())
    dropped = [line for line in source if line.strip() and line not in expected]
    # Lines the expected output rewrote (translation debris) are not drops.
    rewritten_away = {line for line in dropped if _rewritten(line, expected)}
    for line in dropped:
        if line not in rewritten_away:
            assert line not in output, f"{name}: should be dropped: {line!r}"


def _rewritten(line: str, expected: set[str]) -> bool:
    """True when ``line`` survives in ``expected`` in an edited form."""
    words = set(line.split())
    return any(len(words & set(e.split())) >= 0.6 * len(words) for e in expected if e.strip())


def test_nothing_expected_is_removed(cleaned):
    """Every line the expected output keeps verbatim is still in ours."""
    for name in NAMES:
        source = set((SAMPLES / "in" / name).read_text(encoding="utf-8").splitlines())
        expected = (SAMPLES / "expected" / name).read_text(encoding="utf-8").splitlines()
        output = set((cleaned / name).read_text(encoding="utf-8").splitlines())
        for line in expected:
            if line in source:
                assert line in output, f"{name}: lost {line!r}"


def test_second_run_changes_nothing(cleaned, tmp_path):
    proc = run_cli(str(cleaned), str(tmp_path / "again"))
    assert proc.returncode == 0, proc.stderr
    for name in NAMES:
        assert (tmp_path / "again" / name).read_bytes() == (cleaned / name).read_bytes()
    log = (tmp_path / "again" / ".clean-articles" / "changes.jsonl").read_text()
    assert not [r for r in map(json.loads, log.splitlines()) if r["applied"]]
    assert "0 changed" in proc.stderr
