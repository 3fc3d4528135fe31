"""Encodings and line endings: decoded without silent guesses, written back as they came."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from test_bad_inputs import ARTICLE, CLEANED, PACK

from cleaner.cli import main
from cleaner.textio import InputError, Reader, Source, sniff

ENCODED = [
    ("utf-8", b"", "\n"),
    ("utf-8", codecs.BOM_UTF8, "\n"),
    ("utf-8", codecs.BOM_UTF8, "\r\n"),
    ("utf-16-le", codecs.BOM_UTF16_LE, "\r\n"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "\n"),
    ("utf-32-le", codecs.BOM_UTF32_LE, "\n"),
    ("utf-32-be", codecs.BOM_UTF32_BE, "\r"),
    ("cp1252", b"", "\r\n"),
    ("utf-8", b"", "\r"),
]
IDS = ["utf8", "utf8-bom", "utf8-bom-crlf", "utf16le", "utf16be", "utf32le", "utf32be-cr",
       "cp1252-crlf", "cr"]  # fmt: skip


def encode(text: str, encoding: str, bom: bytes, newline: str) -> bytes:
    return bom + text.replace("\n", newline).encode(encoding)


@pytest.fixture()
def pack(tmp_path: Path) -> Path:
    path = tmp_path / "pack.toml"
    path.write_text(PACK, encoding="utf-8")
    return path


def args(pack: Path) -> list[str]:
    return ["--rules", str(pack), "--no-default-rules", "--isolated"]


# Accented text so that cp1252 and UTF-8 differ.
TEXT = ARTICLE.replace("harbour", "harbour caf\u00e9 \u201cna\u00efve\u201d")
EXPECTED = CLEANED.replace("harbour", "harbour caf\u00e9 \u201cna\u00efve\u201d")


@pytest.mark.parametrize(("encoding", "bom", "newline"), ENCODED, ids=IDS)
def test_in_out_writes_the_input_encoding_bom_and_line_endings_back(
    pack, tmp_path, encoding, bom, newline, capsys
):
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_bytes(encode(TEXT, encoding, bom, newline))
    assert main([str(source), str(tmp_path / "out"), *args(pack)]) == 0
    assert (tmp_path / "out" / "a.txt").read_bytes() == encode(EXPECTED, encoding, bom, newline)
    record = json.loads((tmp_path / "out/.clean-articles/files.jsonl").read_text())
    assert (record["encoding"], record["bom"], record["newline"]) == (encoding, bom.hex(), newline)
    err = capsys.readouterr().err
    assert ("IO001 decode-fallback" in err) == (encoding == "cp1252")


@pytest.mark.parametrize(("encoding", "bom", "newline"), ENCODED, ids=IDS)
def test_fix_keeps_the_encoding_so_a_repository_does_not_change_encodings(
    pack, tmp_path, encoding, bom, newline
):
    article = tmp_path / "a.txt"
    article.write_bytes(encode(TEXT, encoding, bom, newline))
    assert main(["--fix", str(article), *args(pack)]) == 0
    assert article.read_bytes() == encode(EXPECTED, encoding, bom, newline)
    assert main(["--check", str(article), *args(pack)]) == 0


def test_a_cp1252_fallback_is_logged_as_a_note(pack, tmp_path, capsys):
    source = tmp_path / "in"
    source.mkdir()
    (source / "old.txt").write_bytes(encode(TEXT, "cp1252", b"", "\n"))
    assert main([str(source), str(tmp_path / "out"), *args(pack)]) == 0
    err = capsys.readouterr().err
    assert f"{source / 'old.txt'}: warning: IO001 decode-fallback: not valid UTF-8 (byte" in err
    assert "read as cp1252" in err
    records = [json.loads(x) for x in (tmp_path / "out/.clean-articles/changes.jsonl").open()]
    note = next(r for r in records if r["code"] == "IO001")
    assert note["applied"] is False and note["details"]["encoding"] == "cp1252"


def test_mixed_line_endings_are_normalised_reported_and_revertible(pack, tmp_path, capsys):
    source = tmp_path / "in"
    source.mkdir()
    data = b"one\r\ntwo\r\nthree\nfour\r\nsource site-1\r\n"
    (source / "m.txt").write_bytes(data)
    assert main([str(source), str(tmp_path / "out"), *args(pack)]) == 0
    assert (tmp_path / "out" / "m.txt").read_bytes() == b"one\r\ntwo\r\nthree\r\nfour\r\n"
    assert "IO002 mixed-line-endings: mixed line endings (4 CRLF, 1 LF): written as CRLF" in (
        capsys.readouterr().err
    )
    assert main(["revert", str(tmp_path / "out"), str(tmp_path / "back")]) == 0
    assert (tmp_path / "back" / "m.txt").read_bytes() == data


def test_a_crlf_split_across_read_blocks_is_one_line_break(tmp_path, monkeypatch):
    import cleaner.textio as textio

    monkeypatch.setattr(textio, "BLOCK_BYTES", 4)
    monkeypatch.setattr(textio, "IN_MEMORY_BYTES", 0)  # stream even a tiny file
    path = tmp_path / "a.txt"
    path.write_bytes(b"abc\r\ndef\r\ngh\r\n")  # the first CRLF straddles bytes 4|5
    with Source(path) as source:
        sniffed = sniff(source)
        assert (sniffed.stats.crlf, sniffed.stats.lf, sniffed.stats.cr) == (3, 0, 0)
        pieces = list(Reader(source, sniffed).pieces())
    assert "".join(p.text for p in pieces) == "abc\ndef\ngh\n"


def test_utf8_errors_are_located_in_the_file_when_streamed(tmp_path, monkeypatch):
    import cleaner.textio as textio

    monkeypatch.setattr(textio, "BLOCK_BYTES", 3)
    monkeypatch.setattr(textio, "IN_MEMORY_BYTES", 0)
    path = tmp_path / "a.txt"
    path.write_bytes("ab\u00e9cd".encode() + b"\x81\x81")  # a 2-byte character straddles 3|4
    with Source(path) as source, pytest.raises(InputError, match=r"not valid UTF-8 \(byte 6\)"):
        sniff(source)


def test_plausible_cp1252_is_western_text(tmp_path):
    """Accented letters inside words are Western text; words of them alone are not."""

    def verdict(text: str) -> str:
        path = tmp_path / "t.txt"
        path.write_bytes(text.encode("cp1252"))
        with Source(path) as source:
            try:
                return sniff(source).encoding
            except InputError as exc:
                return str(exc)

    for ok in ("informa\u00e7\u00e3o", "Stra\u00dfe", "na\u00efve \u00e0 la", "S\u00e3o Paulo"):
        assert verdict(ok) == "cp1252"
    assert "another encoding" in verdict("\u00cf\u00f0\u00e8\u00e2\u00e5\u00f2 text")
    assert "another encoding" in verdict("caf\u00e9 \u00ff\u00fe")
