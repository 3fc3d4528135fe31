"""The wheel ships the rule packs: a non-editable install works from anywhere."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.packaging


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
    )
    [built] = dist.glob("clean_articles-*.whl")
    return built


def test_wheel_contains_every_rule_pack(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    packs = {p.relative_to(ROOT).as_posix() for p in (ROOT / "rules").rglob("*.toml")}
    assert packs
    assert {f"cleaner/{p}" for p in packs} <= names


def test_wheel_contains_the_report_assets(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"cleaner/report_assets/report.css", "cleaner/report_assets/report.js"} <= names


def test_wheel_is_typed(wheel):
    # PEP 561: type checkers read the public API's annotations only with the marker.
    assert "cleaner/py.typed" in zipfile.ZipFile(wheel).namelist()


def test_installed_cli_finds_default_rules(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    subprocess.run([bin_dir / "pip", "install", "-q", str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = subprocess.run(
        [bin_dir / "clean-articles", str(ROOT / "samples" / "in"), "out"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    name = "004_27c0b94053af0fad.txt"
    expected = (ROOT / "samples" / "expected" / name).read_text(encoding="utf-8")
    assert (elsewhere / "out" / name).read_text(encoding="utf-8") == expected
    assert "BP" in proc.stderr  # boilerplate rules were loaded and fired
