"""Rule packs are data: loading one cannot run code or read (or write) outside its directory."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import MINIMAL_RULE

from cleaner import RuleFileError, load_rules
from cleaner.cli import main
from cleaner.kinds import KINDS
from cleaner.loader import default_rules_dir, load_pack

GLOSSARY = """
[pack]
name = "names"
languages = ["en"]

[[rule]]
code = "TT201"
name = "names"
kind = "glossary"
description = "Names from a table file."
safety = "safe"
table_file = "{table}"
keep = ["Nothing here."]
[[rule.fix]]
input = "Moustafa came."
output = "Mustafa came.\\n"
"""

BODY = """
[pack]
name = "body"
languages = ["*"]

[[rule]]
code = "TT301"
name = "body"
kind = "body-trim"
description = "Page around the article."
safety = "safe"
stoplists = "{stoplists}"
keep = ["Short."]
[[rule.fix]]
input = "x"
output = "y"
"""


@pytest.fixture()
def outside(tmp_path: Path) -> Path:
    """A directory beside the pack's, holding what a pack must not read."""
    directory = tmp_path / "outside"
    directory.mkdir()
    (directory / "secret.tsv").write_text("Moustafa\tMustafa\n")
    (directory / "en.txt").write_text("the\n")
    (directory / "evil.toml").write_text(MINIMAL_RULE)
    return directory


@pytest.fixture()
def pack_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "pack"
    directory.mkdir()
    (directory / "names.tsv").write_text("Moustafa\tMustafa\n")
    (directory / "stoplists").mkdir()
    (directory / "stoplists" / "en.txt").write_text("the\n")
    return directory


def problems(path: Path) -> str:
    with pytest.raises(RuleFileError) as info:
        load_pack(path)
    return "\n".join(info.value.problems)


def test_a_table_inside_the_pack_loads(pack_dir):
    path = pack_dir / "p.toml"
    path.write_text(GLOSSARY.format(table="names.tsv"))
    [rule] = load_pack(path).rules
    assert KINDS["glossary"].compile([rule]).compiled[rule.code].lookup == {"Moustafa": "Mustafa"}


@pytest.mark.parametrize(
    "table",
    ["../outside/secret.tsv", "{outside}/secret.tsv", "sub/../../outside/secret.tsv", "link.tsv"],
)
def test_table_file_cannot_leave_the_pack(pack_dir, outside, table):
    (pack_dir / "link.tsv").symlink_to(outside / "secret.tsv")
    path = pack_dir / "p.toml"
    path.write_text(GLOSSARY.format(table=table.format(outside=outside)))
    assert "must be a relative path inside the pack's directory" in problems(path)


def test_a_nul_byte_in_a_file_name_is_a_problem_not_a_crash(pack_dir):
    path = pack_dir / "p.toml"
    path.write_text(GLOSSARY.format(table="names.tsv\\u0000"))
    assert "is not a file name" in problems(path)


@pytest.mark.parametrize("stoplists", ["..", "../outside", "{outside}", "/", "linkdir"])
def test_stoplists_cannot_leave_the_pack(pack_dir, outside, stoplists):
    (pack_dir / "linkdir").symlink_to(outside)
    path = pack_dir / "p.toml"
    path.write_text(BODY.format(stoplists=stoplists.format(outside=outside)))
    assert "inside the pack's directory" in problems(path)


def test_a_stoplist_file_that_links_out_is_refused(pack_dir, outside):
    (pack_dir / "stoplists" / "fr.txt").symlink_to(outside / "en.txt")
    path = pack_dir / "p.toml"
    path.write_text(BODY.format(stoplists="stoplists"))
    assert "fr.txt is a symlink leading outside the pack's directory" in problems(path)


def test_a_pack_directory_yields_no_pack_that_links_out(pack_dir, outside, capsys):
    (pack_dir / "evil.toml").symlink_to(outside / "evil.toml")
    with pytest.raises(RuleFileError, match="a symlink leading outside"):
        load_rules([pack_dir], include_default=False)
    article = pack_dir.parent / "a.txt"
    article.write_text("Text.\n")
    assert main(["--check", str(article), "--rules", str(pack_dir), "--isolated"]) == 2
    assert f"{pack_dir / 'evil.toml'}:0: a symlink leading outside" in capsys.readouterr().err


def test_private_parameters_cannot_be_set_from_a_pack(write_pack):
    text = MINIMAL_RULE.replace('pattern = "MARKER"', 'pattern = "MARKER"\n_pack_dir = "/"')
    assert "unknown key '_pack_dir'" in problems(write_pack(text))


@pytest.mark.parametrize("code", ["DG101", "RX001", "IO202"])
def test_the_engines_own_codes_are_reserved(write_pack, code):
    assert "reserved for the engine's own records" in problems(
        write_pack(MINIMAL_RULE.replace("TT101", code))
    )


def test_a_fifo_named_as_a_pack_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pack.toml"
    os.mkfifo(fifo)
    assert "not a regular file" in problems(fifo)


@contextmanager
def opened_files():
    """The paths every ``open`` in the block names (an audit hook, active only in the block)."""
    seen: list[str] = []
    state = {"on": True}

    def hook(event: str, args: tuple) -> None:
        if state["on"] and event == "open" and isinstance(args[0], str | bytes | os.PathLike):
            seen.append(os.fsdecode(args[0]))

    sys.addaudithook(hook)  # hooks cannot be removed: this one switches itself off
    try:
        yield seen
    finally:
        state["on"] = False


def test_loading_a_hostile_pack_opens_nothing_outside_the_packs(pack_dir, outside):
    (pack_dir / "link.tsv").symlink_to(outside / "secret.tsv")
    hostile = GLOSSARY.format(table="link.tsv").replace('"names"', '"names-two"')
    (pack_dir / "bad.toml").write_text(hostile.replace("TT201", "TT202"))
    (pack_dir / "p.toml").write_text(GLOSSARY.format(table="names.tsv"))
    with opened_files() as seen, pytest.raises(RuleFileError):
        load_rules([pack_dir])
    # The packs, and Python's own modules (imported lazily, e.g. importlib.readers).
    allowed = (pack_dir.resolve(), default_rules_dir().resolve())
    allowed += tuple(Path(p).resolve() for p in (sys.prefix, sys.base_prefix))
    # ... and the user cache, where the shipped packs are kept as loaded (cleaner.packcache).
    from cleaner import diskcache

    if diskcache.directory() is not None:
        allowed += (diskcache.directory().resolve(),)
    for name in seen:
        real = Path(name).resolve()
        assert any(real == root or root in real.parents for root in allowed), name
    assert any(name.endswith("p.toml") for name in seen)  # the hook saw the loads
    assert not any("outside" in name for name in seen)
