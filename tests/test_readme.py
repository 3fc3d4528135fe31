"""The README's Python examples run as written, and it documents what CI and the CLI do."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", README, flags=re.S)
#: Examples of an extra run only where it is installed (CI installs every extra).
EXTRAS = {"ray": r"^import ray$", "datatrove": r"^from datatrove"}


def test_readme_has_python_examples():
    assert BLOCKS
    assert {name for name, pattern in EXTRAS.items()
            if any(re.search(pattern, b, re.M) for b in BLOCKS)} == set(EXTRAS)  # fmt: skip


@pytest.mark.parametrize("block", BLOCKS)
def test_readme_example_runs(block, capsys):
    integration = False
    for module, pattern in EXTRAS.items():
        if re.search(pattern, block, re.M):
            pytest.importorskip(module, reason=f"pip install '.[{module}]'")
            integration = True
    exec(compile(block, "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert printed  # the examples print something
    if integration:
        # The integrations' example text is one short sentence and a trailer: its
        # language must still be decided, so the trailer is visibly gone.
        assert "source site-3" in block and "Markets rose on Monday" in printed
        assert "source site" not in printed


def test_readme_test_command_is_what_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert f"\n{ci}\n" in README


def test_rules_json_fields_are_all_documented():
    out = subprocess.run(
        [sys.executable, "-m", "cleaner", "rules", "--json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    document = json.loads(out)
    section = README.split("### `rules --json`", 1)[1].split("\n### ", 1)[0]
    documented = set(re.findall(r"^\| `([\w\[\].]+)`", section, re.M))
    found = {*document} | {f"packs[].{k}" for p in document["packs"] for k in p}
    found |= {f"rules[].{k}" for p in document["packs"] for r in p["rules"] for k in r}
    assert found == documented


def test_readme_install_lines_install_from_a_path():
    """The distribution is on no package index: every install names a path (``.``)."""
    import tomllib

    extras = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    )
    installs = re.findall(r"pip install((?: -[-\w]+)*) ('[^']*'|\S+)", README)
    assert len(installs) >= 4
    for _options, target in installs:
        target = target.strip("'")
        assert target.startswith((".", "/")), f"pip install {target}: not a path"
        named = re.fullmatch(r"[./\w-]*(?:\[([\w,]+)\])?", target)
        assert named, target
        assert set(filter(None, (named.group(1) or "").split(","))) <= extras, target
    assert not re.search(r"pip install\s+'?clean-articles", README)
