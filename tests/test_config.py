"""Configuration files: discovery, keys, per-file tables, CLI overrides, errors."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest
from test_cli_modes import TEXT, write_letters_pack

from cleaner.cli import lint_targets, main, plan
from cleaner.config import (
    ConfigError,
    ConfigFinder,
    Options,
    glob_matches,
    read_config,
)
from cleaner.selection import Selection, resolve

CODES = ["AB101", "AB102", "AB201", "CD101"]


@pytest.fixture()
def letters(tmp_path: Path) -> Path:
    """The TT pack of test_cli_modes: TT101 ALPHA, TT102 BETA, TT201 GAMMA, TT301 DELTA (unsafe)."""
    return write_letters_pack(tmp_path)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def check(paths: list[Path], letters: Path, *flags: str) -> tuple[int, list[str]]:
    """Run --check with the letters pack; the exit code and the (file, code) of each change."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["--check", *map(str, paths), "--rules", str(letters), *flags])
    rows = [
        (line.split(":")[0], line.split(": ")[1].split()[0]) for line in out.getvalue().splitlines()
    ]
    return code, [f"{Path(file).name} {rule}" for file, rule in rows]


# --- rule selection (ruff's algorithm) ------------------------------------------------


@pytest.mark.parametrize(
    ("layers", "expected"),
    [
        ([], CODES),
        ([Selection(select=("AB",))], ["AB101", "AB102", "AB201"]),
        ([Selection(ignore=("AB1",))], ["AB201", "CD101"]),
        ([Selection(ignore=("AB",), extend_select=("AB102",))], ["AB102", "CD101"]),
        ([Selection(select=("AB102",), ignore=("AB",))], ["AB102"]),
        ([Selection(select=("AB1",), ignore=("AB1",))], []),
        # A later layer's select starts afresh...
        ([Selection(select=("AB",)), Selection(select=("CD",))], ["CD101"]),
        # ...one without select builds on the earlier layers.
        ([Selection(select=("AB",)), Selection(extend_select=("CD",))], [*CODES]),
        ([Selection(select=("AB",)), Selection(ignore=("AB2",))], ["AB101", "AB102"]),
        ([Selection(ignore=("AB",)), Selection(extend_select=("AB201",))], ["AB201", "CD101"]),
        ([Selection(select=())], []),
    ],
)
def test_resolve_selection(layers, expected):
    assert sorted(resolve(CODES, layers)) == sorted(expected)


# --- globs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("*.txt", "a.txt", True),
        ("*.txt", "deep/down/a.txt", True),  # no slash: the file name, anywhere
        ("wire/*.txt", "wire/a.txt", True),
        ("wire/*.txt", "wire/x/a.txt", False),
        ("wire/**", "wire/x/y/a.txt", True),
        ("wire/**/*.txt", "wire/a.txt", True),
        ("**/wire/*.txt", "wire/a.txt", True),
        ("**/wire/*.txt", "x/wire/a.txt", True),
        ("./wire/?.txt", "wire/a.txt", True),
        ("wire/[ab].txt", "wire/c.txt", False),
        ("wire/[!ab].txt", "wire/c.txt", True),
        ("wire", "wire/a.txt", False),
    ],
)
def test_glob_matches(pattern, path, matches):
    assert glob_matches(pattern, path) is matches


# --- discovery --------------------------------------------------------------------------


def test_nearest_configuration_wins(tmp_path, letters):
    write(tmp_path / "pyproject.toml", '[tool.clean-articles]\nselect = ["TT1"]\n')
    write(tmp_path / "sub" / "pyproject.toml", '[tool.clean-articles]\nselect = ["TT2"]\n')
    top = write(tmp_path / "top.txt", TEXT)
    deep = write(tmp_path / "sub" / "deeper" / "deep.txt", TEXT)
    assert check([top, deep], letters) == (
        1,
        ["top.txt TT101", "top.txt TT102", "deep.txt TT201"],
    )


def test_clean_articles_toml_beats_pyproject_in_the_same_directory(tmp_path, letters):
    write(tmp_path / "pyproject.toml", '[tool.clean-articles]\nselect = ["TT1"]\n')
    write(tmp_path / "clean-articles.toml", 'select = ["TT201"]\n')
    article = write(tmp_path / "a.txt", TEXT)
    assert check([article], letters) == (1, ["a.txt TT201"])


def test_a_pyproject_without_our_table_is_passed_over(tmp_path, letters):
    write(tmp_path / "clean-articles.toml", 'select = ["TT201"]\n')
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "clean-articles-fan"\n')
    write(tmp_path / "sub" / "deeper" / "pyproject.toml", "not toml at all [[[\n")
    article = write(tmp_path / "sub" / "deeper" / "a.txt", TEXT)
    assert check([article], letters) == (1, ["a.txt TT201"])


def test_discovery_reads_each_directory_once(tmp_path):
    config = write(tmp_path / "clean-articles.toml", "")
    finder = ConfigFinder()
    first = finder.for_file(tmp_path / "a" / "b" / "x.txt")
    config.unlink()  # cached: the second lookup does not read the disk again
    assert finder.for_file(tmp_path / "a" / "y.txt") is first
    assert first is not None and first.path == config


def test_one_config_builds_one_cleaner(tmp_path, letters):
    write(tmp_path / "clean-articles.toml", '[per-file-ignores]\n"b/*" = ["TT2"]\n')
    for name in ("a/1.txt", "a/2.txt", "c/3.txt", "b/4.txt", "b/5.txt"):
        write(tmp_path / name, TEXT)
    cli = Options(rules=(letters,), no_default_rules=True)
    jobs = plan(lint_targets([str(tmp_path)]), cli, isolated=False)
    cleaners = {job.path.name: id(job.cleaner) for job in jobs}
    assert cleaners["1.txt"] == cleaners["2.txt"] == cleaners["3.txt"]
    assert cleaners["4.txt"] == cleaners["5.txt"] != cleaners["1.txt"]


def test_isolated_ignores_configuration(tmp_path, letters):
    write(tmp_path / "clean-articles.toml", 'select = ["TT201"]\n')
    article = write(tmp_path / "a.txt", TEXT)
    assert len(check([article], letters, "--isolated")[1]) == 4


# --- keys ----------------------------------------------------------------------------------


def test_per_file_ignores(tmp_path, letters):
    write(
        tmp_path / "pyproject.toml",
        '[tool.clean-articles]\nignore = ["TT3"]\n\n[tool.clean-articles.per-file-ignores]\n'
        '"wire/**" = ["TT1"]\n"*.special.txt" = ["TT201"]\n',
    )
    plain = write(tmp_path / "plain.txt", TEXT)
    wire = write(tmp_path / "wire" / "x" / "w.txt", TEXT)
    special = write(tmp_path / "wire" / "s.special.txt", TEXT)
    assert check([plain, wire, special], letters)[1] == [
        "plain.txt TT101",
        "plain.txt TT102",
        "plain.txt TT201",
        "w.txt TT201",
    ]


FR_PACK = """
[pack]
name = "from-french"
languages = ["*"]
source_langs = ["fr"]

[[rule]]
code = "FR101"
name = "drop-daech"
kind = "line-drop"
description = "Drops Daech lines."
safety = "safe"
pattern = "Daech"
keep = ["Daech inside a sentence."]
[[rule.fix]]
input = "Text.\\nDaech\\nMore."
output = "Text.\\nMore.\\n"
"""


def test_per_file_source_lang(tmp_path):
    pack = write(tmp_path / "fr.toml", FR_PACK)
    write(
        tmp_path / "clean-articles.toml",
        'source-lang = "none"\n[per-file-source-lang]\n"afp/**" = "de"\n"afp/fr/*.txt" = "fr"\n',
    )
    french = write(tmp_path / "afp" / "fr" / "a.txt", "Text.\nDaech\n")
    german = write(tmp_path / "afp" / "de" / "b.txt", "Text.\nDaech\n")
    other = write(tmp_path / "c.txt", "Text.\nDaech\n")
    assert check([french, german, other], pack, "--no-default-rules")[1] == ["a.txt FR101"]
    # The command line wins over every configured source language.
    assert (
        len(check([french, german, other], pack, "--no-default-rules", "--source-lang", "fr")[1])
        == 3
    )


def test_rules_are_relative_to_the_config_and_no_default_rules(tmp_path, letters):
    (tmp_path / "project" / "house").mkdir(parents=True)
    letters.rename(tmp_path / "project" / "house" / "letters.toml")
    write(
        tmp_path / "project" / "clean-articles.toml",
        'rules = ["house"]\nno-default-rules = true\nunsafe-fixes = true\n',
    )
    article = write(tmp_path / "project" / "a.txt", TEXT + "\nsource site-12\n")
    assert main(["--fix", str(article)]) == 0
    assert article.read_text() == "Text.\nMore.\n\nsource site-12\n"  # no BP, DELTA gone (unsafe)


def test_command_line_overrides_configuration(tmp_path, letters):
    write(tmp_path / "clean-articles.toml", 'select = ["TT1"]\nunsafe-fixes = true\n')
    article = write(tmp_path / "a.txt", TEXT)
    assert check([article], letters, "--select", "TT2")[1] == ["a.txt TT201"]
    assert check([article], letters, "--extend-select", "TT2")[1] == [
        "a.txt TT101",
        "a.txt TT102",
        "a.txt TT201",
    ]
    assert check([article], letters, "--ignore", "TT102")[1] == ["a.txt TT101"]
    assert main(["--fix", str(article), "--rules", str(letters), "--select", "TT3"]) == 0
    assert "DELTA" not in article.read_text()  # unsafe-fixes from the config
    write(article, TEXT)
    argv = ["--fix", str(article), "--rules", str(letters), "--select", "TT3", "--no-unsafe-fixes"]
    assert main(argv) == 0
    assert "DELTA" in article.read_text()


def test_lang_from_config_and_command_line(tmp_path):
    write(tmp_path / "clean-articles.toml", 'lang = "de"\n')
    article = write(tmp_path / "a.txt", "Text.\n\nsource site-12\n")
    cli = Options()
    [job] = plan([(article, "a.txt")], cli, isolated=False)
    assert job.lang == "de"
    [job] = plan([(article, "a.txt")], Options(lang="en"), isolated=False)
    assert job.lang == "en"


# --- errors: path:line, exit 2 -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "line", "message"),
    [
        ("clean-articles.toml", 'lang = "en"\nselekt = ["BP"]\n', 2, "unknown key 'selekt'"),
        ("clean-articles.toml", 'select = "BP"\n', 1, "select must be a list of strings"),
        ("clean-articles.toml", "unsafe-fixes = 1\n", 1, "unsafe-fixes must be true or false"),
        ("clean-articles.toml", 'lang = "en"\nselect = [\n', 2, "invalid TOML"),
        ("clean-articles.toml", 'lang = "en"\nlang = "de"\n', 2, "invalid TOML"),
        ("clean-articles.toml", 'select = ["b-p"]\n', 1, "'B-P' is not a rule code or prefix"),
        ("clean-articles.toml", 'lang = "xx"\n', 1, "lang must be an ISO 639-1 code"),
        ("clean-articles.toml", 'lang = "english"\n', 1, "lang must be an ISO 639-1 code"),
        ("clean-articles.toml", 'rules = ["nowhere"]\n', 1, "no such file or directory"),
        (
            "clean-articles.toml",
            '\n[per-file-ignores]\n"a/*" = "BP"\n',
            3,
            "per-file-ignores 'a/*' must be a list of codes",
        ),
        (
            "clean-articles.toml",
            '[per-file-source-lang]\n"x" = "french"\n',
            2,
            "must be an ISO 639-1 code like 'en' or 'none', got 'french'",
        ),
        (
            "pyproject.toml",
            '[project]\nname = "x"\n\n[tool.clean-articles]\nlang = "en"\nfoo = 1\n',
            6,
            "unknown key 'foo' in [tool.clean-articles]",
        ),
        ("pyproject.toml", '[tool.clean-articles]\nignore = ["ZZ9"]\n', 2, "no rule code starts"),
        (
            "clean-articles.toml",
            '[per-file-ignores]\n"*.txt" = ["ZZ"]\n',
            2,
            "no rule code starts with 'ZZ'",
        ),
    ],
)
def test_bad_configuration_exits_2_with_path_and_line(tmp_path, capsys, name, text, line, message):
    config = write(tmp_path / name, text)
    article = write(tmp_path / "a.txt", "Text.\n\nsource site-12\n")
    assert main(["--fix", str(article), "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{config}:{line}: "), err
    assert message in err and "Traceback" not in err
    assert err.count("\n") == 1
    assert article.read_text() == "Text.\n\nsource site-12\n"  # nothing written


def test_bad_configuration_in_in_out_mode_writes_nothing(tmp_path, capsys):
    write(tmp_path / "in" / "clean-articles.toml", "nope = true\n")
    write(tmp_path / "in" / "a.txt", "Text.\n")
    assert main([str(tmp_path / "in"), str(tmp_path / "out")]) == 2
    assert "unknown key 'nope'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_read_config_returns_none_for_foreign_pyproject(tmp_path):
    assert read_config(write(tmp_path / "pyproject.toml", "[tool.ruff]\n")) is None
    with pytest.raises(ConfigError):
        read_config(write(tmp_path / "pyproject.toml", '[tool."clean-articles"]\nx = 1\n'))


def test_command_line_selects_rules_of_a_configured_pack(tmp_path, letters):
    write(
        tmp_path / "clean-articles.toml", f'rules = ["{letters.name}"]\nno-default-rules = true\n'
    )
    article = write(tmp_path / "a.txt", TEXT)
    assert main(["--fix", str(article), "--select", "TT2"]) == 0
    assert article.read_text() == TEXT.replace("GAMMA\n", "")
