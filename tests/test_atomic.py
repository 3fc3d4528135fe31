"""Atomic writes: a run killed at any moment leaves no partial file, and a rerun completes it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_bad_inputs import PACK

from cleaner.atomic import TMP_SUFFIX, AtomicFile, is_temporary

PARAGRAPH = "The council met on Tuesday and agreed to repair the bridge, the mayor said.\n"


def make_tree(root: Path, files: int, size: int) -> None:
    root.mkdir()
    for n in range(files):
        lines = []
        total = 0
        k = 0
        while total < size:
            k += 1
            line = f"{n}.{k} {PARAGRAPH}" + ("source site-1\n" if k % 5 == 0 else "") + "\n"
            lines.append(line)
            total += len(line)
        (root / f"a{n:03}.txt").write_text("".join(lines))


def command(pack: Path, *argv: str) -> list[str]:
    return [sys.executable, "-m", "cleaner", *argv, "--rules", str(pack), "--no-default-rules",
            "--isolated", "-q"]  # fmt: skip


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def visible(tree: dict[str, bytes]) -> dict[str, bytes]:
    return {name: data for name, data in tree.items() if not is_temporary(Path(name).name)}


@pytest.fixture()
def pack(tmp_path: Path) -> Path:
    path = tmp_path / "pack.toml"
    path.write_text(PACK, encoding="utf-8")
    return path


def kill_midway(argv: list[str], watch: Path, pattern: str, count: int) -> None:
    """Start the command, SIGKILL it once ``count`` files match ``pattern`` under ``watch``."""
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if watch.exists() and len(list(watch.glob(pattern))) >= count:
                break
            time.sleep(0.005)
        assert proc.poll() is None, "the run ended before it could be killed; make it larger"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()


def test_in_out_killed_midway_leaves_only_whole_files_and_a_rerun_completes(pack, tmp_path):
    source = tmp_path / "in"
    make_tree(source, files=30, size=150_000)
    ref = tmp_path / "ref"
    subprocess.run(command(pack, str(source), str(ref)), check=True)
    expected = snapshot(ref)

    out = tmp_path / "out"
    kill_midway(command(pack, str(source), str(out)), out, "*.txt", 8)
    killed = snapshot(out)
    articles = {name: data for name, data in visible(killed).items() if name.endswith(".txt")}
    assert 8 <= len(articles) < 30
    for name, data in articles.items():
        assert data == expected[name], f"{name} is not whole"
    for name in set(killed) - set(visible(killed)):
        assert Path(name).name.startswith(".") and name.endswith(TMP_SUFFIX)
    assert sorted(p.name for p in out.glob("*.txt")) == sorted(articles)  # a glob sees no temp
    assert not (out / ".clean-articles" / "changes.jsonl").exists()  # the log comes last

    subprocess.run(command(pack, str(source), str(out)), check=True)
    assert snapshot(out) == expected  # complete, and no temporary file left


def test_fix_killed_midway_leaves_each_file_old_or_new(pack, tmp_path):
    source = tmp_path / "docs"
    make_tree(source, files=30, size=150_000)
    before = snapshot(source)
    ref = tmp_path / "ref"
    subprocess.run(command(pack, str(source), str(ref)), check=True)
    after = {k: v for k, v in snapshot(ref).items() if k.endswith(".txt")}

    kill_midway(command(pack, "--fix", str(source)), source, f".*{TMP_SUFFIX}", 1)
    killed = snapshot(source)
    fixed = 0
    for name, data in visible(killed).items():
        assert data in (before[name], after[name]), f"{name} is neither old nor new"
        fixed += data == after[name]
    assert fixed < 30
    subprocess.run(command(pack, "--fix", str(source)), check=True)
    assert snapshot(source) == after


def test_a_leftover_temporary_file_is_replaced_not_followed(tmp_path):
    target = tmp_path / "a.txt"
    victim = tmp_path / "victim"
    victim.write_text("keep me\n")
    (tmp_path / f".a.txt{TMP_SUFFIX}").symlink_to(victim)  # planted, or left by a killed run
    with AtomicFile(target) as out:
        out.write(b"new\n")
        out.commit()
    assert target.read_text() == "new\n" and victim.read_text() == "keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "victim"]


def test_a_failed_write_leaves_the_old_file(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old\n")
    with pytest.raises(RuntimeError), AtomicFile(target) as out:
        out.write(b"half")
        raise RuntimeError("disk full, say")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_new_files_get_ordinary_permissions_and_fix_keeps_them(pack, tmp_path):
    source = tmp_path / "in"
    make_tree(source, files=1, size=1000)
    article = source / "a000.txt"
    article.chmod(0o640)
    old = os.umask(0o022)
    try:
        subprocess.run(command(pack, str(source), str(tmp_path / "out")), check=True)
        subprocess.run(command(pack, "--fix", str(article)), check=True)
    finally:
        os.umask(old)
    assert (tmp_path / "out" / "a000.txt").stat().st_mode & 0o777 == 0o644
    assert article.stat().st_mode & 0o777 == 0o640


def test_workers_end_when_the_main_process_is_killed(pack, tmp_path):
    """--jobs 2 killed with SIGKILL: its worker processes do not live on."""
    source = tmp_path / "in"
    make_tree(source, files=30, size=150_000)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [*command(pack, str(source), str(out)), "--jobs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    children: set[int] = set()
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None and len(children) < 2:
            listing = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
            if listing.exists():
                children = {int(pid) for pid in listing.read_text().split()}
            time.sleep(0.01)
        assert proc.poll() is None and len(children) >= 2, "the run ended before it was killed"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in children):
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in children)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"  # a zombie has ended (its parent, gone, cannot reap it)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_a_killed_run_puts_no_more_files_in_place(pack, tmp_path):
    """--jobs 2 killed with SIGKILL: no worker finishes its file afterwards (on Linux the
    kernel ends the workers with their parent; the polling thread alone left them up to
    PARENT_CHECK_SECONDS to put the file in hand in place)."""
    from cleaner.executors import PARENT_CHECK_SECONDS

    source = tmp_path / "in"
    make_tree(source, files=30, size=150_000)
    out = tmp_path / "out"
    kill_midway([*command(pack, str(source), str(out)), "--jobs", "2"], out, "*.txt", 4)
    right_after = sorted(p.name for p in out.glob("*.txt"))
    time.sleep(3 * PARENT_CHECK_SECONDS)
    assert sorted(p.name for p in out.glob("*.txt")) == right_after
