"""Shipped packs kept in the user cache load exactly as parsed, and never stale."""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from cleaner import packcache
from cleaner.gates import _gate, _line_gate
from cleaner.loader import default_rules_dir, load_pack, pack_files
from cleaner.rule import Rule


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("CLEAN_ARTICLES_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


RULE_FIELDS = tuple(f.name for f in dataclasses.fields(Rule))


def facts(pack):
    return (
        pack.name,
        pack.path,
        pack.description,
        pack.languages,
        pack.source_langs,
        [p.pattern for p in pack.evidence],
        pack.warnings,
        [[getattr(r, field) for field in RULE_FIELDS] for r in pack.rules],
    )


def test_every_shipped_pack_loads_from_the_cache_as_it_parses(cache_dir):
    for path in pack_files(default_rules_dir()):
        parsed = load_pack(path, deferred=True)  # parsed, then cached
        assert packcache.load(path) is not None, path
        cached = load_pack(path, deferred=True)
        assert facts(cached) == facts(parsed)


def test_cached_gates_are_the_parsers(cache_dir):
    path = default_rules_dir() / "boilerplate" / "en.toml"
    load_pack(path, deferred=True)
    entry = next(cache_dir.glob("pack-*"))
    import marshal

    gates = marshal.loads(entry.read_bytes())["gates"]
    assert gates
    for pattern, found in gates.items():
        expected = _gate(pattern)
        assert (None if expected is None else sorted(expected)) == found


def test_cached_line_gates_are_the_parsers(cache_dir):
    path = default_rules_dir() / "boilerplate" / "en.toml"
    load_pack(path, deferred=True)
    entry = next(cache_dir.glob("pack-*"))
    import marshal

    line_gates = marshal.loads(entry.read_bytes())["line_gates"]
    assert any(found is not None and anchored for found, anchored in line_gates.values())
    for pattern, (found, anchored) in line_gates.items():
        expected, expected_anchored = _line_gate(pattern)
        assert (None if expected is None else sorted(expected)) == found
        assert expected_anchored == anchored


def test_a_gate_module_change_is_a_new_entry():
    # The gates an entry holds are worked out by gates.py and the parser it reads with.
    names = {path.name for path in packcache._code_files()}
    assert {"gates.py", "reparser.py", "loader.py"} <= names


def test_an_edited_pack_is_read_again(cache_dir, tmp_path):
    path = tmp_path / "en.toml"
    shutil.copy(default_rules_dir() / "boilerplate" / "en.toml", path)
    first = load_pack(path, deferred=True)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('name = "boilerplate-en"', 'name = "boilerplate-en-edited"'))
    assert load_pack(path, deferred=True).name == "boilerplate-en-edited" != first.name


def test_a_damaged_entry_is_ignored(cache_dir):
    path = default_rules_dir() / "whitespace" / "neutral.toml"
    fresh = load_pack(path, deferred=True)
    for entry in cache_dir.glob("pack-*"):
        entry.write_bytes(entry.read_bytes()[:50])
    assert packcache.load(path) is None
    assert facts(load_pack(path, deferred=True)) == facts(fresh)


def test_other_loading_code_does_not_use_the_entry(cache_dir, tmp_path, monkeypatch):
    """A new checkout of the same version (changed kinds or loader) reads packs afresh."""
    code = tmp_path / "loader.py"
    code.write_text("one")
    monkeypatch.setattr(packcache, "_code_files", lambda: [code])
    path = default_rules_dir() / "whitespace" / "neutral.toml"
    load_pack(path, deferred=True)
    assert packcache.load(path) is not None
    code.write_text("other code")
    assert packcache.load(path) is None
