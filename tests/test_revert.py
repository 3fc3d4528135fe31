"""``clean-articles revert``: the inputs back, byte for byte, from OUT and its log."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from test_bad_inputs import ARTICLE, PACK

from cleaner import revert_output
from cleaner.cli import main
from cleaner.restore import RevertError


@pytest.fixture()
def pack(tmp_path: Path) -> Path:
    path = tmp_path / "pack.toml"
    path.write_text(PACK, encoding="utf-8")
    return path


def inputs(root: Path) -> dict[str, bytes]:
    """A tree of every kind of file the run treats differently."""
    files = {
        "plain.txt": ARTICLE.encode(),
        "crlf.txt": ARTICLE.replace("\n", "\r\n").encode(),
        "cr.txt": ARTICLE.replace("\n", "\r").encode(),
        "mixed.txt": b"a\r\nb\nsource site-1\r\nc",
        "bom.txt": b"\xef\xbb\xbf" + ARTICLE.encode(),
        "utf16.txt": ("\ufeff" + ARTICLE).encode("utf-16-le"),
        "cp1252.txt": ARTICLE.replace("harbour", "caf\u00e9").encode("cp1252"),
        "clean.txt": b"Nothing to clean.\n",
        "empty.txt": b"",
        "blank.txt": b" \n\n",
        "deep/er/nested.txt": ARTICLE.encode(),
        "no-newline.txt": b"Text\nsource site-4",
    }
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return files


def clean(pack: Path, source: Path, out: Path) -> int:
    return main([str(source), str(out), "--rules", str(pack), "--no-default-rules", "--isolated"])


@pytest.fixture()
def cleaned(pack: Path, tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    source = tmp_path / "in"
    source.mkdir()
    files = inputs(source)
    (source / "binary.txt").write_bytes(b"\x00\x01")  # fails: revert names it
    assert clean(pack, source, tmp_path / "out") == 1
    return tmp_path / "out", files


def test_revert_into_a_directory_restores_every_input_byte_for_byte(cleaned, tmp_path, capsys):
    out, files = cleaned
    capsys.readouterr()
    assert main(["revert", str(out), str(tmp_path / "back")]) == 1  # binary.txt never got to OUT
    for name, data in files.items():
        assert (tmp_path / "back" / name).read_bytes() == data, name
    err = capsys.readouterr().err
    assert f"{out / 'binary.txt'}: error: not in OUT: the run could not clean it" in err
    assert "12 files restored (3 unchanged), 1 failed" in err
    assert not (tmp_path / "back" / "binary.txt").exists()


def test_revert_in_place_and_again(cleaned, capsys):
    out, files = cleaned
    assert main(["revert", "--in-place", str(out)]) == 1
    for name, data in files.items():
        assert (out / name).read_bytes() == data, name
    capsys.readouterr()
    assert main(["revert", "--in-place", str(out)]) == 1  # only binary.txt, again
    assert "9 already reverted" in capsys.readouterr().err


def test_a_changed_output_is_not_reverted(cleaned, tmp_path, capsys):
    out, files = cleaned
    (out / "plain.txt").write_text("edited by hand\n")
    assert main(["revert", str(out), str(tmp_path / "back")]) == 1
    err = capsys.readouterr().err
    assert f"{out / 'plain.txt'}: error: changed since the run" in err
    assert not (tmp_path / "back" / "plain.txt").exists()
    assert (tmp_path / "back" / "crlf.txt").read_bytes() == files["crlf.txt"]


def test_a_tampered_log_never_writes_a_wrong_file(cleaned, tmp_path, capsys):
    out, _files = cleaned
    log = out / ".clean-articles" / "changes.jsonl"
    records = [json.loads(x) for x in log.read_text().splitlines()]
    for record in records:
        if record["file"] == "plain.txt" and record["applied"]:
            record["before"] = record["before"].replace("12", "99")  # another input
    log.write_text("".join(json.dumps(r) + "\n" for r in records))
    assert main(["revert", str(out), str(tmp_path / "back")]) == 1
    assert "does not rebuild the input" in capsys.readouterr().err
    assert not (tmp_path / "back" / "plain.txt").exists()


@pytest.mark.parametrize("name", ["../escape.txt", "/etc/passwd", "a/../../x.txt", "a//b.txt"])
def test_log_paths_cannot_leave_the_directories(cleaned, tmp_path, name, capsys):
    out, _files = cleaned
    files_log = out / ".clean-articles" / "files.jsonl"
    records = [json.loads(x) for x in files_log.read_text().splitlines()]
    records[0]["file"] = name
    files_log.write_text("".join(json.dumps(r) + "\n" for r in records))
    changes = out / ".clean-articles" / "changes.jsonl"
    changes.write_text("")  # keep the two logs consistent
    main(["revert", str(out), str(tmp_path / "back" / "inner")])
    assert "not a relative path inside OUT" in capsys.readouterr().err
    assert not (tmp_path / "escape.txt").exists() and not (tmp_path / "back" / "x.txt").exists()


def test_no_log_is_exit_2(tmp_path, capsys):
    (tmp_path / "out").mkdir()
    assert main(["revert", str(tmp_path / "out"), str(tmp_path / "back")]) == 2
    assert "files.jsonl: no such file" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [["revert", "OUT"], ["revert", "OUT", "X", "--in-place"], ["revert"]],
)
def test_revert_usage_errors(tmp_path, monkeypatch, argv, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "OUT").mkdir()
    assert main(argv) == 2
    assert "usage: clean-articles revert" in capsys.readouterr().err


def test_restored_cannot_be_out(cleaned, capsys):
    out, _files = cleaned
    assert main(["revert", str(out), str(out)]) == 2
    assert "use --in-place" in capsys.readouterr().err


def test_a_directory_named_revert_is_still_in(pack, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("revert").mkdir()
    Path("revert", "a.txt").write_text(ARTICLE)
    argv = ["revert", "out", "--rules", str(pack), "--no-default-rules", "--isolated"]
    assert main(argv) == 0
    assert Path("out", "a.txt").exists()


def test_revert_api(cleaned, tmp_path):
    out, files = cleaned
    results = revert_output(out, tmp_path / "api")
    assert {r.file: r.status for r in results}["plain.txt"] == "restored"
    assert {r.file: r.status for r in results}["clean.txt"] == "copied"
    assert (tmp_path / "api" / "cr.txt").read_bytes() == files["cr.txt"]
    with pytest.raises(RevertError):
        revert_output(tmp_path / "api", tmp_path / "again")


def test_a_copied_out_tree_reverts_elsewhere(cleaned, tmp_path):
    """The log names files relative to OUT: a moved or copied OUT still reverts."""
    out, files = cleaned
    shutil.copytree(out, tmp_path / "moved")
    assert main(["revert", "-q", str(tmp_path / "moved"), str(tmp_path / "back")]) == 1
    assert (tmp_path / "back" / "utf16.txt").read_bytes() == files["utf16.txt"]
