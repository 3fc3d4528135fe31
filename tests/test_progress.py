"""The progress display: a redrawn line on a terminal, a heartbeat line in a log."""

from __future__ import annotations

import io

from test_cli import ARTICLE

from cleaner import progress as progress_module
from cleaner.cli import main
from cleaner.progress import Progress, clock_label


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_terminal_line_has_files_share_megabytes_rate_and_eta():
    clock, terminal = Clock(), Terminal()
    progress = Progress(4, 4_000_000, terminal, delay=0.5, clock=clock)
    clock.now += 0.1
    progress.advance(1_000_000)
    assert terminal.getvalue() == ""  # a short run shows nothing
    clock.now += 0.9
    progress.advance(1_000_000)
    expected = "clean-articles: 2/4 files (50%)  2.0/4.0 MB  2.00 MB/s  ETA 1s"
    assert terminal.getvalue() == f"\r{expected}\x1b[K"
    clock.now += 0.05
    progress.advance(1_000_000)  # redrawn at most ten times a second
    assert terminal.getvalue() == f"\r{expected}\x1b[K"
    progress.clear()
    assert terminal.getvalue().endswith("\r\x1b[K")


def test_without_a_terminal_a_heartbeat_line_every_interval():
    clock, log = Clock(), io.StringIO()
    progress = Progress(100, 0, log, heartbeat=10, clock=clock)
    for _ in range(50):
        clock.now += 0.5  # 25 s in all
        progress.advance()
    lines = log.getvalue().splitlines()
    assert lines == [
        "clean-articles: 20/100 files (20%)  2.0 files/s  ETA 40s",
        "clean-articles: 40/100 files (40%)  2.0 files/s  ETA 30s",
    ]
    assert "\r" not in log.getvalue()
    progress.clear()  # nothing to erase in a log
    assert log.getvalue().count("\n") == 2


def test_disabled_progress_prints_nothing():
    clock, log = Clock(), io.StringIO()
    progress = Progress(3, 30, log, enabled=False, heartbeat=0, clock=clock)
    clock.now += 60
    progress.advance(10)
    assert log.getvalue() == ""


def test_clock_labels():
    assert [clock_label(s) for s in (0.2, 42, 725, 10_930)] == ["0s", "42s", "12:05", "3:02:10"]


def test_cli_heartbeat_and_quiet(tmp_path, monkeypatch, capsys):
    source = tmp_path / "in"
    source.mkdir()
    for n in range(3):
        (source / f"{n}.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.setattr(progress_module, "HEARTBEAT_SECONDS", 0.0)
    assert main([str(source), str(tmp_path / "out"), "--lang", "en", "--jobs", "1"]) == 0
    err = capsys.readouterr().err.splitlines()
    size = len(ARTICLE.encode()) * 3 / 1_000_000
    assert err[0].startswith(f"clean-articles: 1/3 files (33%)  0.0/{size:.1f} MB  ")
    assert "ETA" in err[0] and err[2].startswith("clean-articles: 3/3 files (100%)")
    assert main(["--check", str(source), "--lang", "en", "--quiet"]) == 1  # would change
    assert capsys.readouterr().err == ""


def test_jsonl_runs_show_progress_too(tmp_path, monkeypatch, capsys):
    import json

    corpus = tmp_path / "corpus.jsonl"
    records = [{"id": n, "text": ARTICLE} for n in range(4)]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    monkeypatch.setattr(progress_module, "HEARTBEAT_SECONDS", 0.0)
    assert main([str(corpus), str(tmp_path / "out"), "--lang", "en", "--jobs", "1"]) == 0
    lines = [line for line in capsys.readouterr().err.splitlines() if " MB " in line]
    assert lines, "no progress line"
    assert lines[-1].startswith("clean-articles: 1/1 files (100%)")
    total = corpus.stat().st_size / 1_000_000
    assert f"/{total:.1f} MB" in lines[-1]
    assert main([str(corpus), str(tmp_path / "out2"), "--lang", "en", "-q"]) == 0
    assert capsys.readouterr().err == ""
