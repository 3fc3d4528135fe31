"""Hostile inputs: what a planted file, a crafted name or a crafted record can do to a run.

Each case is one way an attacker (or an unlucky tree) tried to make the
cleaner damage text, touch files that are not articles, or abort a run: the
cleaner must refuse it with a clear one-line message, or process it while
the other files still get cleaned, and never crash with a traceback. Every
case runs through the real command line (``main``) on small packs of its
own, so the battery stays fast.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import INFLATING_PACK

from cleaner.cli import main

#: A pack that empties any article: the damage guard is all that stands in its way.
GUT = r"""
[pack]
name = "gut"
languages = ["*"]

[[rule]]
code = "TT101"
name = "every-line"
kind = "line-drop"
description = "A hostile rule: drops every line with a letter."
safety = "safe"
pattern = '.*\w.*'
keep = ["   "]
[[rule.fix]]
input = "A line.\n"
output = ""
"""

PARAGRAPH = (
    "The council met on Tuesday evening to discuss the plans for the new bridge over the "
    "river, which has been closed to traffic since the spring floods damaged its piers."
)
ARTICLE = "Bridge plans approved\n\n" + "\n\n".join([PARAGRAPH] * 6) + "\n"


def articles(root: Path, count: int = 3) -> list[Path]:
    root.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = root / f"article-{n}.txt"
        path.write_text(ARTICLE, encoding="utf-8")
        paths.append(path)
    return paths


# --- configuration files are input ---------------------------------------------------


@pytest.mark.parametrize("where", ["absolute", "parent"])
def test_planted_config_cannot_load_a_pack_from_outside_its_tree(tmp_path, capsys, where):
    outside = tmp_path / "elsewhere" / "gut.toml"
    outside.parent.mkdir()
    outside.write_text(GUT, encoding="utf-8")
    data = tmp_path / "data"
    paths = articles(data / "news")
    entry = str(outside) if where == "absolute" else "../elsewhere/gut.toml"
    config = data / "clean-articles.toml"
    config.write_text(f'rules = ["{entry}"]\nno-default-rules = true\n', encoding="utf-8")
    assert main(["--fix", str(data / "news")]) == 2
    err = capsys.readouterr().err
    assert f"{config}:1: rules: " in err and "outside this configuration's directory" in err
    assert all(path.read_text(encoding="utf-8") == ARTICLE for path in paths)


def test_planted_config_cannot_reach_out_through_a_symlink(tmp_path, capsys):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "gut.toml").write_text(GUT, encoding="utf-8")
    data = tmp_path / "data"
    paths = articles(data)
    (data / "packs").symlink_to(outside, target_is_directory=True)
    (data / "clean-articles.toml").write_text('rules = ["packs"]\n', encoding="utf-8")
    assert main(["--fix", str(data)]) == 2
    assert "outside this configuration's directory" in capsys.readouterr().err
    assert all(path.read_text(encoding="utf-8") == ARTICLE for path in paths)


def test_the_planted_config_of_the_report_is_refused(tmp_path, capsys):
    """A pack beside the config (allowed) plus a loosened guard (refused): nothing emptied."""
    data = tmp_path / "data"
    paths = articles(data / "a" / "b", count=14)
    (data / "gut.toml").write_text(GUT, encoding="utf-8")
    config = data / "clean-articles.toml"
    config.write_text(
        'rules = ["gut.toml"]\nno-default-rules = true\nmax-prose-loss = 1.0\nmin-words = 0\n',
        encoding="utf-8",
    )
    assert main(["--fix", str(data / "a")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{config}:3: max-prose-loss = 1.0 loosens the damage guard")
    assert len(err.splitlines()) == 1
    assert all(path.read_text(encoding="utf-8") == ARTICLE for path in paths)


def test_config_min_words_zero_is_refused(tmp_path, capsys):
    data = tmp_path / "data"
    articles(data)
    config = data / "pyproject.toml"
    config.write_text("[tool.clean-articles]\nmin-words = 0\n", encoding="utf-8")
    assert main(["--check", str(data)]) == 2
    assert f"{config}:2: min-words = 0 loosens the damage guard" in capsys.readouterr().err


def test_with_its_own_pack_and_default_guard_a_config_cannot_gut(tmp_path):
    data = tmp_path / "data"
    paths = articles(data)
    (data / "gut.toml").write_text(GUT, encoding="utf-8")
    (data / "clean-articles.toml").write_text(
        'rules = ["gut.toml"]\nno-default-rules = true\n', encoding="utf-8"
    )
    assert main(["--fix", str(data)]) == 0
    assert all(path.read_text(encoding="utf-8") == ARTICLE for path in paths)


def test_the_command_line_may_still_loosen_the_guard(tmp_path):
    data = tmp_path / "data"
    (path,) = articles(data, count=1)
    pack = tmp_path / "gut.toml"
    pack.write_text(GUT, encoding="utf-8")
    argv = ["--fix", str(data), "--rules", str(pack), "--no-default-rules", "--isolated"]
    assert main([*argv, "--max-prose-loss", "1", "--min-words", "0"]) == 0
    assert path.read_text(encoding="utf-8").strip() == ""


# --- only articles are touched ---------------------------------------------------------

DEBRIS = (
    "Storm hits the coast\n\nThe harbour flooded at midnight, officials said.\n\nsource site-3\n"
)
#: Files that are not articles, each with something a rule would "clean" in it.
NOT_ARTICLES = {
    "meta.json": '{"title": "x",  "note": "source site-3"}\n',
    "table.csv": 'id,text\n1,"two  spaces"\nsource site-3\n',
    "README.md": "# Notes\n\nsource site-3\n\n\n\nPrevious article\n",
    "tool.py": "def f():\n    return 1\n# source site-3\n",
    "NOTES": "source site-3\n",
    "records.jsonl": '{"text": "Storm.\\n\\nsource site-3"}\n',
    ".hidden.txt": DEBRIS,
    ".git/config": "[core]\n\tbare = false\n",
    ".git/notes.txt": DEBRIS,
    "sub/.cache/x.txt": DEBRIS,
}


def mixed_tree(root: Path) -> dict[Path, bytes]:
    """IN with one article and every kind of file that is not one; returns their bytes."""
    (root / "news").mkdir(parents=True)
    (root / "news" / "storm.txt").write_text(DEBRIS, encoding="utf-8")
    before = {}
    for name, text in NOT_ARTICLES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        before[path] = path.read_bytes()
    return before


def test_in_out_cleans_only_articles(tmp_path, capsys):
    source, out = tmp_path / "in", tmp_path / "out"
    mixed_tree(source)
    assert main([str(source), str(out), "--isolated"]) == 0
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert [name for name in written if not name.startswith(".clean-articles/")] == [
        "news/storm.txt"
    ]
    assert "source site" not in (out / "news" / "storm.txt").read_text(encoding="utf-8")
    err = capsys.readouterr().err
    assert "1 file read, 1 changed" in err and "6 other files skipped (not articles)" in err
    log = (out / ".clean-articles" / "files.jsonl").read_text(encoding="utf-8")
    assert [json.loads(line)["file"] for line in log.splitlines()] == ["news/storm.txt"]


def test_fix_on_a_directory_touches_only_articles(tmp_path):
    before = mixed_tree(tmp_path / "repo")
    assert main(["--fix", str(tmp_path / "repo"), "--isolated", "-q"]) == 0
    assert all(path.read_bytes() == data for path, data in before.items())
    assert "source site" not in (tmp_path / "repo" / "news" / "storm.txt").read_text()


def test_include_and_exclude_pick_the_articles(tmp_path):
    source = tmp_path / "in"
    mixed_tree(source)
    (source / "news" / "draft.txt").write_text(DEBRIS, encoding="utf-8")
    out = tmp_path / "out"
    argv = [str(source), str(out), "--isolated", "--include", "*.txt,NOTES"]
    assert main([*argv, "--exclude", "draft.txt"]) == 0
    assert (out / "NOTES").is_file()  # an article now
    assert (out / "news" / "storm.txt").is_file() and not (out / "news" / "draft.txt").exists()
    assert not (out / ".hidden.txt").exists() and not (out / ".git").exists()


def test_a_jsonl_directory_run_takes_only_jsonl(tmp_path):
    source, out = tmp_path / "in", tmp_path / "out"
    mixed_tree(source)
    assert main([str(source), str(out), "--format", "jsonl", "--isolated", "-q"]) == 0
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert [name for name in written if not name.startswith(".clean-articles/")] == [
        "records.jsonl"
    ]


# --- crafted records and names: one error each, the run goes on ----------------------------


def test_deeply_nested_json_is_one_bad_record(tmp_path, capsys):
    source = tmp_path / "corpus.jsonl"
    deep = "[" * 100_000 + "]" * 100_000
    good = json.dumps({"text": DEBRIS})
    source.write_text(f'{{"text": "x", "meta": {deep}}}\n{good}\n', encoding="utf-8")
    out = tmp_path / "out"
    assert main([str(source), str(out), "--isolated", "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert f"{source}:1: error: invalid JSON: nested too deeply" in err
    assert "Traceback" not in err
    lines = (out / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines[0].endswith(deep + "}") and "source site" not in json.loads(lines[1])["text"]
    assert main(["revert", str(out), str(tmp_path / "back")]) == 0
    assert (tmp_path / "back" / "corpus.jsonl").read_bytes() == source.read_bytes()


@pytest.mark.parametrize("corpus", ["text", "jsonl"])
def test_a_file_name_that_is_not_utf8_is_one_failed_file(tmp_path, capsys, corpus):
    source = tmp_path / "in"
    source.mkdir()
    suffix = ".txt" if corpus == "text" else ".jsonl"
    content = DEBRIS.encode() if corpus == "text" else json.dumps({"text": DEBRIS}).encode()
    bad = Path(os.fsdecode(bytes(source) + b"/bad\xff name" + suffix.encode()))
    bad.write_bytes(content + b"\n")
    (source / f"good{suffix}").write_bytes(content + b"\n")
    out = tmp_path / "out"
    argv = [str(source), str(out), "--isolated", "--lang", "en", "--format", corpus]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "error: file name is not valid UTF-8" in err and "Traceback" not in err
    assert "source site" not in (out / f"good{suffix}").read_text(encoding="utf-8")
    # The failed file is named again by revert (exit 1); the others come back.
    assert main(["revert", str(out), str(tmp_path / "back")]) in (0, 1)
    assert (tmp_path / "back" / f"good{suffix}").read_bytes() == content + b"\n"


def test_a_file_name_with_a_backslash_reverts(tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    (source / "a\\b.txt").write_text(DEBRIS, encoding="utf-8")
    out = tmp_path / "out"
    assert main([str(source), str(out), "--isolated", "--lang", "en", "-q"]) == 0
    assert "source site" not in (out / "a\\b.txt").read_text(encoding="utf-8")
    assert main(["revert", str(out), str(tmp_path / "back"), "-q"]) == 0
    assert (tmp_path / "back" / "a\\b.txt").read_text(encoding="utf-8") == DEBRIS


# --- rule packs: data files that are not files ---------------------------------------------

TABLE_PACK = """
[pack]
name = "table"
languages = ["*"]

[[rule]]
code = "TT301"
name = "name-spelling"
kind = "glossary"
description = "Spells a name the house way."
safety = "safe"
table_file = "names.tsv"
keep = ["Nobody here."]
[[rule.fix]]
input = "Moustafa spoke."
output = "Mustafa spoke.\\n"
"""


@pytest.mark.parametrize("special", ["fifo", "device"])
def test_a_table_file_that_is_not_a_regular_file_is_refused(tmp_path, capsys, special):
    pack = tmp_path / "pack" / "table.toml"
    pack.parent.mkdir()
    pack.write_text(TABLE_PACK, encoding="utf-8")
    if special == "fifo":
        os.mkfifo(pack.parent / "names.tsv")  # nobody ever writes to it: a read would hang
    else:
        zero = os.stat("/dev/zero").st_rdev  # a read would never end
        try:
            os.mknod(pack.parent / "names.tsv", 0o600 | stat.S_IFCHR, zero)
        except PermissionError:
            pytest.skip("making a device node needs root")
    article = tmp_path / "a.txt"
    article.write_text("Moustafa spoke.\n", encoding="utf-8")
    assert main(["--check", str(article), "--rules", str(pack), "--isolated"]) == 2
    err = capsys.readouterr().err
    assert "table_file: 'names.tsv' is not a regular file" in err and "Traceback" not in err


def test_a_rule_that_inflates_the_text_is_refused(tmp_path, capsys):
    pack = tmp_path / "grow.toml"
    pack.write_text(INFLATING_PACK, encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    argv = ["--fix", str(article), "--rules", str(pack), "--no-default-rules", "--isolated"]
    assert main(argv) == 0
    assert article.read_text(encoding="utf-8") == ARTICLE
    assert "DG001 damage-guard: the edits would grow the text" in capsys.readouterr().err


# --- interrupted and concurrent runs ------------------------------------------------------


def test_ctrl_c_is_one_line_exit_130_and_no_half_file(tmp_path, capsys, monkeypatch):
    import cleaner.tree

    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    for n in range(5):
        (source / f"article-{n}.txt").write_text(DEBRIS, encoding="utf-8")
    real = cleaner.tree.clean_file
    calls = []

    def interrupted(*args, **kwargs):
        calls.append(args[0])
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(cleaner.tree, "clean_file", interrupted)
    assert main([str(source), str(out), "--isolated", "-j", "1", "--lang", "en"]) == 130
    err = capsys.readouterr().err
    assert err == "clean-articles: interrupted; no file was left half written\n"
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    # Whole files, no temporary, no log (only the lock file of the run).
    assert written == [".clean-articles/lock", "article-0.txt", "article-1.txt"]


def test_a_second_run_into_the_same_out_stops_at_once(tmp_path, capsys):
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    (source / "a.txt").write_text(DEBRIS, encoding="utf-8")
    # The first run, still going: another process holding OUT's lock.
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(out / ".clean-articles")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        assert main([str(source), str(out), "--isolated"]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"clean-articles: error: {out} is being written by another")
        assert not (out / "a.txt").exists()
        assert not (out / ".clean-articles" / "files.jsonl").exists()
    finally:
        holder.communicate("")  # lets it exit
    assert main([str(source), str(out), "--isolated", "-q"]) == 0  # the lock went with it
    assert (out / "a.txt").is_file()


HOLD_LOCK = """
import sys
from pathlib import Path
from cleaner.outlock import locked
with locked(Path(sys.argv[1])):
    print("locked", flush=True)
    sys.stdin.read()
"""


# --- settings that used to turn rules off silently ------------------------------------------


@pytest.mark.parametrize("value", ["english", "xx", "e", "en-GB"])
def test_a_lang_that_names_no_language_is_refused(tmp_path, capsys, value):
    article = tmp_path / "a.txt"
    article.write_text(DEBRIS, encoding="utf-8")
    assert main(["--check", str(article), "--lang", value, "--isolated"]) == 2
    assert f"argument --lang: must be an ISO 639-1 code like 'en', got {value!r}" in (
        capsys.readouterr().err
    )
    (tmp_path / "clean-articles.toml").write_text(f'lang = "{value}"\n', encoding="utf-8")
    assert main(["--check", str(article)]) == 2
    assert "lang must be an ISO 639-1 code like 'en'" in capsys.readouterr().err


def test_lang_and_source_lang_are_case_normalised(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text(DEBRIS, encoding="utf-8")
    argv = ["--check", str(article), "--isolated", "--source-lang", "FR"]
    assert main([*argv, "--lang", "EN"]) == 1
    assert "BP101 source-site-trailer" in capsys.readouterr().out
    (tmp_path / "clean-articles.toml").write_text('lang = "EN"\n', encoding="utf-8")
    assert main(["--check", str(article)]) == 1
    assert "BP101 source-site-trailer" in capsys.readouterr().out


def test_rule_codes_are_case_insensitive(tmp_path, capsys):
    assert main(["rule", "bp101"]) == 0
    assert "(BP101)" in capsys.readouterr().out
    article = tmp_path / "a.txt"
    article.write_text(DEBRIS, encoding="utf-8")
    assert main(["--check", str(article), "--isolated", "--lang", "en", "--select", "bp1"]) == 1
    assert capsys.readouterr().out.count("BP101") == 1


def test_a_short_text_gets_its_language_rules(tmp_path):
    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    (source / "a.txt").write_text(
        "Markets rose on Monday, traders said.\n\nsource site-3", encoding="utf-8"
    )
    assert main([str(source), str(out), "--isolated", "-q"]) == 0
    assert (out / "a.txt").read_text(encoding="utf-8") == "Markets rose on Monday, traders said.\n"
    (record,) = map(json.loads, (out / ".clean-articles" / "files.jsonl").read_text().splitlines())
    assert record["language"] == "en" and "source_language" in record


def test_fixing_in_two_steps_says_how_to_keep_the_unsafe_fixes(tmp_path, capsys):
    """The safe fixes remove the evidence of the source language: the first step says so."""
    samples = Path(__file__).resolve().parent.parent / "samples" / "in"
    original = samples / "003_6a6f46bd9ccf6216.txt"
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    for path in (one, two):
        path.write_bytes(original.read_bytes())
    assert main(["--fix", str(one), "--isolated", "--unsafe-fixes", "-q"]) == 0
    assert main(["--fix", str(two), "--isolated", "-q"]) == 0
    err = capsys.readouterr().err
    assert "warning: source language 'fr' was inferred from evidence these fixes remove" in err
    assert "--source-lang fr to a later one (a later --fix of the file as fixed remembers" in err
    assert main(["--fix", str(two), "--isolated", "--unsafe-fixes", "--source-lang", "fr"]) == 0
    assert two.read_bytes() == one.read_bytes()


def test_fixing_in_two_steps_with_a_log_gives_the_one_step_result(tmp_path, capsys):
    samples = Path(__file__).resolve().parent.parent / "samples" / "in"
    original = samples / "003_6a6f46bd9ccf6216.txt"
    one, two = tmp_path / "one.txt", tmp_path / "two.txt"
    for path in (one, two):
        path.write_bytes(original.read_bytes())
    log = tmp_path / "fix-log"
    assert main(["--fix", str(one), "--isolated", "--unsafe-fixes", "-q"]) == 0
    assert main(["--fix", str(two), "--isolated", "-q", "--log", str(log)]) == 0
    (record,) = map(json.loads, (log / "files.jsonl").read_text(encoding="utf-8").splitlines())
    assert record["source_language"] == "fr" and record["path"] == str(two)
    assert record["input_sha256"] != record["output_sha256"]
    changes = (log / "changes.jsonl").read_text(encoding="utf-8").splitlines()
    assert changes and all(json.loads(line)["file"] == str(two) for line in changes)
    argv = ["--fix", str(two), "--isolated", "--unsafe-fixes", "--log", str(log)]
    assert main(argv) == 0
    assert two.read_bytes() == one.read_bytes()
    assert main(["--check", str(two), "--log", str(log)]) == 2  # a log only goes with --fix
    assert "--log goes with --fix" in capsys.readouterr().err


HOLD_FIX_LOCK = """
import sys
from pathlib import Path
from cleaner import outlock
outlock.MAX_FILE_LOCKS = int(sys.argv[1])
with outlock.locked_files([Path(sys.argv[2])], [Path(p) for p in sys.argv[3:]]):
    print("locked", flush=True)
    sys.stdin.read()
"""


@pytest.mark.parametrize("whole_tree", [False, True])
def test_a_second_fix_of_the_same_files_fails_at_once(tmp_path, capsys, monkeypatch, whole_tree):
    """Another --fix holds a.txt (or, over many files, the tree): a --fix of a.txt stops
    before writing, exit 2, one line; b.txt, which the other run does not hold, is fixed."""
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    tree = tmp_path / "tree"
    (tree / "sub").mkdir(parents=True)
    a, b = tree / "sub" / "a.txt", tmp_path / "b.txt"
    for path in (a, b):
        path.write_text(DEBRIS, encoding="utf-8")
    limit = "0" if whole_tree else "4096"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_FIX_LOCK, limit, str(tree), str(a)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline() == "locked\n"
        assert main(["--fix", str(a), "--isolated"]) == 2
        held = (tree if whole_tree else a).resolve()
        assert capsys.readouterr().err == (
            f"clean-articles: error: {held} is being fixed by another clean-articles "
            "run; wait for it to finish\n"
        )
        assert a.read_text(encoding="utf-8") == DEBRIS
        assert main(["--fix", str(tree), "--isolated", "-q"]) == 2
        assert main(["--fix", str(b), "--isolated", "-q"]) == 0
        assert b.read_text(encoding="utf-8") != DEBRIS
    finally:
        holder.communicate("")
    assert main(["--fix", str(a), "--isolated", "-q"]) == 0  # the lock went with the run
    assert a.read_text(encoding="utf-8") != DEBRIS


def test_the_log_of_fix_reverts_the_fixed_files_in_place(tmp_path, capsys):
    tree, log = tmp_path / "tree", tmp_path / "fix-log"
    (tree / "sub").mkdir(parents=True)
    samples = Path(__file__).resolve().parent.parent / "samples" / "in"
    originals = {
        tree / "a.txt": (samples / "003_6a6f46bd9ccf6216.txt").read_bytes(),
        tree / "sub" / "crlf.txt": DEBRIS.replace("\n", "\r\n").encode("utf-8"),
        tree / "clean.txt": b"Markets rose on Monday, traders said.\n",
    }
    for path, data in originals.items():
        path.write_bytes(data)
    (tree / "sub" / "crlf.txt").chmod(0o640)
    assert main(["--fix", str(tree), "--isolated", "-q", "--log", str(log)]) == 0
    fixed = {path: path.read_bytes() for path in originals}
    assert fixed[tree / "a.txt"] != originals[tree / "a.txt"]
    assert fixed[tree / "sub" / "crlf.txt"] != originals[tree / "sub" / "crlf.txt"]
    assert main(["revert", str(log), str(tmp_path / "elsewhere")]) == 2  # in place only
    assert "the log of a --fix run" in capsys.readouterr().err
    assert main(["revert", "--in-place", str(log)]) == 0
    assert "3 files restored (1 unchanged)" in capsys.readouterr().err
    for path, data in originals.items():
        assert path.read_bytes() == data, path
    assert stat.S_IMODE((tree / "sub" / "crlf.txt").stat().st_mode) == 0o640
    assert main(["revert", "--in-place", str(log)]) == 0  # done already: nothing to do
    assert "2 already reverted" in capsys.readouterr().err
    # A file changed since the fix is named and left alone; the others are restored.
    assert main(["--fix", str(tree), "--isolated", "-q", "--log", str(log)]) == 0
    (tree / "a.txt").write_bytes(b"edited by hand\n")
    assert main(["revert", "--in-place", str(log)]) == 1
    err = capsys.readouterr().err
    assert f"{tree / 'a.txt'}: error: changed since the run" in err
    assert (tree / "a.txt").read_bytes() == b"edited by hand\n"
    assert (tree / "sub" / "crlf.txt").read_bytes() == originals[tree / "sub" / "crlf.txt"]


def test_a_second_fix_with_the_same_log_keeps_the_first_runs_log(tmp_path, capsys):
    """--fix then --fix --unsafe-fixes into one --log DIR: both runs can be undone,
    newest first, the first from DIR/earlier/1."""
    article, log = tmp_path / "tree" / "a.txt", tmp_path / "fix-log"
    article.parent.mkdir()
    sample = Path(__file__).resolve().parent.parent / "samples" / "in" / "003_6a6f46bd9ccf6216.txt"
    original = sample.read_bytes()
    article.write_bytes(original)
    assert main(["--fix", str(article), "--isolated", "-q", "--log", str(log)]) == 0
    safe = article.read_bytes()
    first_log = (log / "changes.jsonl").read_bytes()
    argv = ["--fix", str(article), "--isolated", "-q", "--unsafe-fixes", "--log", str(log)]
    assert main(argv) == 0
    unsafe = article.read_bytes()
    assert len({original, safe, unsafe}) == 3
    assert (log / "earlier" / "1" / "changes.jsonl").read_bytes() == first_log
    assert [p.name for p in (log / "earlier").iterdir()] == ["1"]  # no staging left behind
    assert main(["revert", "--in-place", str(log)]) == 0
    err = capsys.readouterr().err
    assert article.read_bytes() == safe
    assert f"logged in {log / 'earlier' / '1'}" in err
    assert main(["revert", "--in-place", str(log / "earlier" / "1")]) == 0
    assert article.read_bytes() == original
    assert "the run before this one" not in capsys.readouterr().err
    # A third run files the second's log in turn: no log is ever overwritten.
    assert main(["--fix", str(article), "--isolated", "-q", "--log", str(log)]) == 0
    assert sorted(p.name for p in (log / "earlier").iterdir()) == ["1", "2"]
