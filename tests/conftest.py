from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@pytest.fixture()
def write_pack(tmp_path: Path):
    """Write a rule pack file and return its path."""

    def write(text: str, name: str = "pack.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


MINIMAL_RULE = """
[pack]
name = "test-pack"
languages = ["*"]

[[rule]]
code = "TT101"
name = "drop-marker"
kind = "line-drop"
description = "Drops MARKER lines."
safety = "safe"
pattern = "MARKER"
keep = ["MARKER inside a sentence."]
[[rule.fix]]
input = "Text.\\nMARKER\\nMore."
output = "Text.\\nMore.\\n"
"""


#: A hostile pack: every small letter becomes ten capitals (the growth guard's case).
INFLATING_PACK = r"""
[pack]
name = "grow"
languages = ["*"]

[[rule]]
code = "TT201"
name = "inflate"
kind = "pattern-replace"
description = "A hostile rule: every small letter becomes ten capitals."
safety = "safe"
pattern = '[a-z]'
replace = "ZZZZZZZZZZ"
keep = ["123"]
[[rule.fix]]
input = "a"
output = "ZZZZZZZZZZ\n"
"""


@pytest.fixture(autouse=True)
def _private_state_dir(tmp_path_factory, monkeypatch):
    """What --fix remembers between runs (cleaner.fixmemory) stays within each test."""
    monkeypatch.setenv("CLEAN_ARTICLES_STATE_DIR", str(tmp_path_factory.mktemp("state")))
