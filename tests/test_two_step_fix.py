"""``--fix`` then ``--fix --unsafe-fixes``, without a log, against one ``--fix --unsafe-fixes``.

The source language of a translation is inferred from its residue, and a
language's safe fixes repair that residue: a text whose evidence they remove
entirely (fewer than ``MIN_MARKERS`` markers left) can only get its unsafe
source-language fixes in a second step from ``--source-lang`` or the
``--log DIR`` of the first. Everywhere else the two steps give the one-step
result, and where they cannot the first step says so and names the language.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.cli import main
from cleaner.runner import lost_evidence

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "source_language" / "translated.toml"
ARTICLES = [a["text"] for a in tomllib.loads(FIXTURES.read_text(encoding="utf-8"))["article"]]


@pytest.fixture(scope="module")
def cleaners() -> tuple[Cleaner, Cleaner]:
    return Cleaner(), Cleaner(unsafe_fixes=True)


@pytest.mark.parametrize("text", ARTICLES, ids=range(len(ARTICLES)))
def test_two_steps_give_one_unless_the_first_says_why(cleaners, text):
    safe, unsafe = cleaners
    one = unsafe.clean(text)
    first = safe.clean(text)
    two = unsafe.clean(first.text)
    warning = lost_evidence(safe, first)
    if warning is None:
        assert two.text == one.text
        return
    # The evidence is gone: the first step named the language, which gives the rest.
    assert f"source language {first.source_language!r} was inferred" in warning
    assert two.source_language is None
    assert unsafe.clean(first.text, source_lang=first.source_language).text == one.text


def test_the_seeds_in_two_steps_without_a_log(tmp_path):
    """The first --fix remembers the source language it inferred for the file it wrote,
    so the second gives the one-step result everywhere, sample 003 included."""
    one, two = tmp_path / "one", tmp_path / "two"
    shutil.copytree(ROOT / "samples" / "in", one)
    shutil.copytree(ROOT / "samples" / "in", two)
    assert main(["--fix", str(one), "--isolated", "--unsafe-fixes", "-q"]) == 0
    assert main(["--fix", str(two), "--isolated", "-q"]) == 0
    assert main(["--fix", str(two), "--isolated", "--unsafe-fixes", "-q"]) == 0
    differ = {p.name for p in one.iterdir() if p.read_bytes() != (two / p.name).read_bytes()}
    assert differ == set()


def test_a_file_edited_between_the_steps_is_inferred_afresh(tmp_path):
    from cleaner import fixmemory
    from cleaner.textio import sha256_of

    article = tmp_path / "article.txt"
    # The sample translated from French whose residue the safe fixes repair entirely.
    shutil.copy(next((ROOT / "samples" / "in").glob("003_*.txt")), article)
    assert main(["--fix", str(article), "--isolated", "-q"]) == 0
    assert fixmemory.recall(sha256_of(article)[0]) == "fr"
    with article.open("a", encoding="utf-8") as handle:
        handle.write("One more line.\n")
    assert fixmemory.recall(sha256_of(article)[0]) is None


def test_the_seeds_in_two_steps_with_nothing_remembered(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CLEAN_ARTICLES_STATE_DIR", "")
    one, two = tmp_path / "one", tmp_path / "two"
    shutil.copytree(ROOT / "samples" / "in", one)
    shutil.copytree(ROOT / "samples" / "in", two)
    assert main(["--fix", str(one), "--isolated", "--unsafe-fixes", "-q"]) == 0
    assert main(["--fix", str(two), "--isolated", "-q"]) == 0
    warned = dict(
        re.findall(
            r"^(.+?): warning: source language '(\w+)' was inferred", capsys.readouterr().err, re.M
        )
    )
    assert main(["--fix", str(two), "--isolated", "--unsafe-fixes", "-q"]) == 0
    differ = {p.name for p in one.iterdir() if p.read_bytes() != (two / p.name).read_bytes()}
    # Only the articles the first step warned about differ (sample 003: its French
    # residue is all repaired by safe fixes); --source-lang as warned makes them equal.
    assert differ == {Path(name).name for name in warned}
    for name, language in warned.items():
        argv = ["--fix", name, "--isolated", "--unsafe-fixes", "--source-lang", language, "-q"]
        assert main(argv) == 0
        assert Path(name).read_bytes() == (one / Path(name).name).read_bytes()
