"""README "How it works" states the code's truth: phases, kinds, rounds, modules, places.

When the engine gains a phase, a kind moves, the rounds limit changes or a module is
renamed, this fails until the README says so too.
"""

from __future__ import annotations

import re
from pathlib import Path

from cleaner import engine
from cleaner.kinds import KINDS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("## How it works\n") : README.index("\n## Rules\n")]


def subsection(title: str) -> str:
    start = SECTION.index(f"### {title}\n")
    end = SECTION.find("\n### ", start + 1)
    return SECTION[start : end if end != -1 else len(SECTION)]


def exists(path: str) -> bool:
    """A module path of the README. ``cli/`` also stands for ``cli.py``: a module may be
    growing into a package of the same name."""
    target = ROOT / path
    if path.endswith("/"):
        return target.is_dir() or target.with_name(target.name + ".py").is_file()
    return target.exists()


def test_phases_in_order_with_their_kinds():
    listed = re.findall(r"^\d+\. `(\w+)`: (.+)$", SECTION, re.M)
    assert [phase for phase, _ in listed] == list(engine.PHASES)
    for phase, kinds in listed:
        named = {k.strip() for k in re.sub(r"\s*\(.*\)?", "", kinds).split(",")}
        actual = {name for name, kind in KINDS.items() if phase == kind.phase}
        if phase == "anywhere":
            actual = set(engine.RERUN_ANYWHERE)
        assert named == actual, phase
    whole_file = {phase for phase, kinds in listed if "whole files only" in kinds}
    assert whole_file == set(engine.WHOLE_FILE_PHASES)


def test_rounds_limit():
    (stated,) = re.findall(r"at most (\d+) rounds", SECTION)
    assert int(stated) == engine.MAX_ROUNDS


def test_module_table_names_real_modules_and_every_kind():
    table = subsection("Modules")
    named = re.findall(r"^\| `([\w/.]+)` \|", table, re.M)
    missing = [name for name in named if not exists(f"cleaner/{name}")]
    assert not missing, f"README names modules that do not exist: {missing}"
    kinds = {f"kinds/{p.name}" for p in (ROOT / "cleaner" / "kinds").glob("*.py")}
    kinds.discard("kinds/__init__.py")
    assert kinds <= set(named), f"kinds missing from the README: {sorted(kinds - set(named))}"


def test_where_things_live_names_real_places():
    places = subsection("Where things live")
    for topic in ("A rule kind", "A rule pack", "The run loop", "The log format"):
        assert f"**{topic}**" in places
    paths = re.findall(r"`((?:cleaner|rules)/[\w/.-]*)`", places)
    assert len(paths) >= 8
    missing = [path for path in paths if not exists(path)]
    assert not missing, f"README names places that do not exist: {missing}"
    example = re.search(r"`([\w-]+)` is\s+`cleaner/kinds/(\w+)\.py`", places)
    assert example and example.group(1) in KINDS
    assert KINDS[example.group(1)].matcher.__module__.endswith("." + example.group(2))
