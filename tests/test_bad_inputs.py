"""Bad inputs: each named on stderr with its reason, the others still processed, exit 1.

Every case runs through the real command line (``main``) on a small pack of
its own, so it says exactly what the cleaner did with the file. The table in
SECURITY.md lists the same cases.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from cleaner.atomic import TMP_SUFFIX
from cleaner.cli import main
from cleaner.textio import MAX_LINE_CHARS

PACK = r"""
[pack]
name = "bad-inputs"
languages = ["*"]

[[rule]]
code = "TT101"
name = "source-trailer"
kind = "line-drop"
description = "Drops 'source site-N' lines."
safety = "safe"
pattern = 'source site-\d+'
keep = ["The source site-3 was down."]
[[rule.fix]]
input = "Text.\nsource site-3\n"
output = "Text.\n"

[[rule]]
code = "TT901"
name = "final-newline"
kind = "whitespace"
description = "Exactly one line break at the end."
safety = "safe"
action = "document-end"
keep = ["Text.\n"]
[[rule.fix]]
input = "Text."
output = "Text.\n"
"""

CLEANED = "Storm hits the coast\n\nThe harbour flooded at midnight, officials said.\n"
ARTICLE = CLEANED + "source site-12\n"


@pytest.fixture()
def pack(tmp_path: Path) -> Path:
    path = tmp_path / "pack.toml"
    path.write_text(PACK, encoding="utf-8")
    return path


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    """IN with one good article, to show that the others are still processed."""
    root = tmp_path / "in"
    root.mkdir()
    (root / "good.txt").write_text(ARTICLE, encoding="utf-8")
    return root


def run(pack: Path, *argv: str) -> int:
    return main([*argv, "--rules", str(pack), "--no-default-rules", "--isolated"])


def mirror(pack: Path, source: Path, target: Path) -> int:
    return run(pack, str(source), str(target))


def files_log(out: Path) -> dict[str, dict]:
    lines = (out / ".clean-articles" / "files.jsonl").read_text(encoding="utf-8").splitlines()
    return {r["file"]: r for r in map(json.loads, lines)}


def assert_one_error(err: str, path: Path, reason: str) -> None:
    lines = [line for line in err.splitlines() if line.startswith(f"{path}: error: ")]
    assert len(lines) == 1, err
    assert reason in lines[0], lines[0]


def assert_good_done(out: Path) -> None:
    assert (out / "good.txt").read_text(encoding="utf-8") == CLEANED


# --- refused files -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"abc\x00def\n", "binary file (NUL byte at offset 3"),
        ("hello".encode("utf-16-le"), "binary file (NUL byte at offset 1; UTF-16 without"),
        (b"caf\xe9 \x81\n", "not valid UTF-8 (byte 3), and not cp1252 text either"),
        ("café".encode() + b" \xff broken\n", "as cp1252 it reads like mis-decoded UTF-8"),
        ("Привет мир".encode("cp1251"), "as cp1252 it reads like another encoding"),
        (b"abc\xe9\x01\n", "not cp1252 text either (control character U+0001)"),
        (b"\xff\xfe\x00\xd8x\x00", "not valid UTF-16-LE"),
    ],
    ids=["nul", "utf16-no-bom", "invalid-utf8", "broken-utf8", "cp1251", "control", "bad-utf16"],
)
def test_undecodable_files_are_refused_with_the_reason(
    pack, tree, tmp_path, content, reason, capsys
):
    bad = tree / "bad.txt"
    bad.write_bytes(content)
    assert mirror(pack, tree, tmp_path / "out") == 1
    err = capsys.readouterr().err
    assert_one_error(err, bad, reason)
    assert "1 failed" in err.splitlines()[-1]
    assert_good_done(tmp_path / "out")
    assert not (tmp_path / "out" / "bad.txt").exists()
    record = files_log(tmp_path / "out")["bad.txt"]
    assert record["status"] == "failed" and reason in record["reason"]


@pytest.mark.parametrize("mode", ["--check", "--fix", "--diff"])
def test_lint_modes_refuse_the_same_way(pack, tree, mode, capsys):
    bad = tree / "bad.txt"
    bad.write_bytes(b"abc\x00def\n")
    assert run(pack, mode, str(tree)) == 1
    assert_one_error(capsys.readouterr().err, bad, "binary file")
    assert bad.read_bytes() == b"abc\x00def\n"
    assert (tree / "good.txt").read_text() == (CLEANED if mode == "--fix" else ARTICLE)


def test_a_fifo_is_refused_without_blocking(pack, tree, tmp_path, capsys):
    fifo = tree / "pipe.txt"
    os.mkfifo(fifo)
    assert mirror(pack, tree, tmp_path / "out") == 1
    assert_one_error(capsys.readouterr().err, fifo, "a FIFO, not an article file")
    assert_good_done(tmp_path / "out")


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="root reads files whatever their mode"
)
def test_an_unreadable_file_is_refused(pack, tree, tmp_path, capsys):
    secret = tree / "secret.txt"
    secret.write_text(ARTICLE)
    secret.chmod(0)
    try:
        assert mirror(pack, tree, tmp_path / "out") == 1
    finally:
        secret.chmod(0o644)
    assert_one_error(capsys.readouterr().err, secret, "Permission denied")
    assert_good_done(tmp_path / "out")


def test_a_path_that_is_a_directory_is_a_read_error(pack, tmp_path, capsys):
    """Named explicitly to --check, a directory stands for its files; read directly, it fails."""
    from cleaner.runner import clean_file

    directory = tmp_path / "x.txt"
    directory.mkdir()
    from cleaner import Cleaner

    result = clean_file(directory, "x.txt", Cleaner(include_default=False, rules=[pack]))
    assert result.failed and result.reason == "a directory, not an article file"


def test_a_directory_in_out_where_an_article_goes_fails_that_article(pack, tree, tmp_path, capsys):
    out = tmp_path / "out"
    (out / "good.txt").mkdir(parents=True)
    (tree / "other.txt").write_text(ARTICLE)
    assert mirror(pack, tree, out) == 1
    err = capsys.readouterr().err
    assert_one_error(err, tree / "good.txt", "cannot write: Is a directory")
    assert (out / "other.txt").read_text() == CLEANED
    assert (out / "good.txt").is_dir()
    assert not [p for p in out.iterdir() if p.name.endswith(TMP_SUFFIX)]


def test_a_symlink_loop_is_reported(pack, tree, tmp_path, capsys):
    loop = tree / "loop.txt"
    loop.symlink_to("loop.txt")
    assert mirror(pack, tree, tmp_path / "out") == 1
    assert_one_error(capsys.readouterr().err, loop, "symlink loop; not followed")
    assert_good_done(tmp_path / "out")


def test_symlinks_out_of_in_are_not_followed(pack, tree, tmp_path, capsys):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "private.txt").write_text("private\n")
    (tree / "leak.txt").symlink_to(outside / "private.txt")
    (tree / "leakdir").symlink_to(outside)
    (tree / "inside.txt").symlink_to("good.txt")  # inside IN: followed
    assert mirror(pack, tree, tmp_path / "out") == 1
    err = capsys.readouterr().err
    assert_one_error(err, tree / "leak.txt", "outside IN; not followed")
    assert_one_error(err, tree / "leakdir", "outside IN; not followed")
    assert (tmp_path / "out" / "inside.txt").read_text() == CLEANED
    assert not (tmp_path / "out" / "leak.txt").exists()
    assert not (tmp_path / "out" / "leakdir").exists()


def test_a_line_too_long_to_be_text_is_refused(pack, tree, tmp_path, capsys):
    """A 20 MB single line (a minified blob, a dump) is not an article: refused, quickly."""
    blob = tree / "blob.txt"
    with blob.open("w") as handle:
        for _ in range(20):
            handle.write("word " * 200_000)  # 1 MB, no line break
    assert mirror(pack, tree, tmp_path / "out") == 1
    assert_one_error(
        capsys.readouterr().err,
        blob,
        f"line 1 is 20,000,000 characters long (the limit is {MAX_LINE_CHARS:,}): not article text",
    )
    assert_good_done(tmp_path / "out")


def test_text_the_input_encoding_cannot_hold_is_not_written(tmp_path, capsys):
    """A cp1252 file and a rule that writes a character cp1252 lacks: refused, input kept."""
    pack = tmp_path / "arrow.toml"
    pack.write_text(
        PACK
        + """
[[rule]]
code = "TT301"
name = "arrow"
kind = "pattern-replace"
description = "Writes an arrow."
safety = "safe"
pattern = '->'
replace = '\u2192'
keep = ["no arrow"]
[[rule.fix]]
input = "a -> b"
output = "a \u2192 b\\n"
""",
        encoding="utf-8",
    )
    article = tmp_path / "docs" / "old.txt"
    article.parent.mkdir()
    article.write_bytes("caf\u00e9 -> bar\n".encode("cp1252"))
    assert run(pack, "--fix", str(article)) == 1
    err = capsys.readouterr().err
    assert_one_error(err, article, "U+2192 '\u2192' (line 1), which cp1252 cannot encode")
    assert article.read_bytes() == "caf\u00e9 -> bar\n".encode("cp1252")
    assert [p.name for p in article.parent.iterdir()] == ["old.txt"]


# --- files that are fine ----------------------------------------------------------------


@pytest.mark.parametrize("content", [b"", b"  \n\n\t\n"], ids=["empty", "whitespace"])
def test_empty_and_blank_files_are_written_through_unchanged(pack, tree, tmp_path, content, capsys):
    """An empty article is not a corrupt one: copied byte for byte, counted, no error."""
    (tree / "empty.txt").write_bytes(content)
    assert mirror(pack, tree, tmp_path / "out") == 0
    err = capsys.readouterr().err
    assert "error" not in err and "1 empty" in err
    assert (tmp_path / "out" / "empty.txt").read_bytes() == content
    assert files_log(tmp_path / "out")["empty.txt"]["status"] == "empty"
    assert run(pack, "--check", str(tree / "empty.txt")) == 0


def test_out_with_other_files_keeps_them(pack, tree, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "good.txt").write_text("old output\n")
    (out / "notes.md").write_text("mine\n")
    (out / "keep.txt").write_text("not from IN\n")
    assert mirror(pack, tree, out) == 0
    assert_good_done(out)
    assert (out / "notes.md").read_text() == "mine\n"
    assert (out / "keep.txt").read_text() == "not from IN\n"


def test_out_inside_in_is_not_cleaned_again(pack, tree):
    out = tree / "out"
    assert mirror(pack, tree, out) == 0
    assert mirror(pack, tree, out) == 0
    assert sorted(p.name for p in out.iterdir()) == [".clean-articles", "good.txt"]


@pytest.mark.parametrize("same", ["in", "./in/", "link"])
def test_out_equal_to_in_is_refused(pack, tree, tmp_path, monkeypatch, same, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "link").symlink_to("in")
    assert mirror(pack, Path("in"), Path(same)) == 2
    assert "is IN" in capsys.readouterr().err
    assert (tree / "good.txt").read_text() == ARTICLE
    assert not (tree / ".clean-articles").exists()


def test_a_single_file_into_its_own_directory_is_refused(pack, tree, capsys):
    assert mirror(pack, tree / "good.txt", tree) == 2
    assert "would overwrite IN" in capsys.readouterr().err
    assert (tree / "good.txt").read_text() == ARTICLE


def test_out_that_is_a_file_is_refused(pack, tree, tmp_path, capsys):
    (tmp_path / "out").write_text("a file\n")
    assert mirror(pack, tree, tmp_path / "out") == 2
    assert "exists and is not a directory" in capsys.readouterr().err


def test_in_inside_out_never_overwrites_an_input(pack, tmp_path, capsys):
    """IN = OUT/sub: an article of IN whose mirror path is itself is refused, not clobbered."""
    out = tmp_path / "out"
    source = out / "sub"
    (source / "sub").mkdir(parents=True)
    (source / "sub" / "a.txt").write_text(ARTICLE)  # mirrors to out/sub/a.txt ...
    (source / "a.txt").write_text("another input\n")  # ... which is this input
    assert mirror(pack, source, out) == 1
    err = capsys.readouterr().err
    assert_one_error(err, source / "sub" / "a.txt", "would overwrite an input file")
    assert (source / "a.txt").read_text() == "another input\n"
    assert (out / "a.txt").read_text() == "another input\n"  # the other one is mirrored


def test_a_symlinked_directory_in_out_that_leads_out_is_not_written_through(
    pack, tree, tmp_path, capsys
):
    (tree / "sub").mkdir()
    (tree / "sub" / "a.txt").write_text(ARTICLE)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "sub").symlink_to(elsewhere)
    assert mirror(pack, tree, out) == 1
    assert_one_error(capsys.readouterr().err, tree / "sub" / "a.txt", "leads outside OUT")
    assert list(elsewhere.iterdir()) == []


def test_malformed_rule_pack_exits_2_before_anything_is_written(tree, tmp_path, capsys):
    broken = tmp_path / "broken.toml"
    broken.write_text("[pack]\nname = 'x'\nlanguages = ['*']\n[[rule]]\ncode = 'bad'\n")
    assert mirror(broken, tree, tmp_path / "out") == 2
    assert capsys.readouterr().err.startswith(f"{broken}:")
    assert not (tmp_path / "out").exists()


def test_deeply_nested_toml_is_a_problem_not_a_crash(tree, tmp_path, capsys):
    deep = tmp_path / "deep.toml"
    deep.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    assert mirror(deep, tree, tmp_path / "out") == 2
    assert capsys.readouterr().err.startswith(f"{deep}:1: invalid TOML: nested too deeply")


def test_an_out_that_cannot_be_created_is_one_error_line(pack, tree, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("a file where OUT's parent should be\n")
    assert mirror(pack, tree, blocker / "out") == 1
    err = capsys.readouterr().err
    assert err.startswith("clean-articles: error: ") and "Traceback" not in err
