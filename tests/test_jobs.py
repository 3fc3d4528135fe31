"""``--jobs N``: the same outputs, logs and listings as ``--jobs 1``; bounded, crash-safe."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import cleaner.cli.driver as driver
from cleaner.cli import main
from cleaner.executors import ProcessPool, Serial, WorkerError, executor

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples" / "in"


def corpus(root: Path, copies: int = 4) -> Path:
    """The samples several times over, in nested directories, with a file that fails."""
    for n in range(copies):
        for sample in sorted(SAMPLES.glob("*.txt")):
            target = root / f"d{n % 3}" / f"{n}-{sample.name}"
            target.parent.mkdir(parents=True, exist_ok=True)
            text = sample.read_text(encoding="utf-8")
            target.write_text(text.replace("\n", "\r\n") if n == 1 else text, encoding="utf-8")
    (root / "d0" / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    return root


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    return corpus(tmp_path_factory.mktemp("jobs") / "in")


def test_in_out_is_identical_for_any_jobs(articles, tmp_path, capsys):
    results = {}
    for jobs in ("1", "2", "3"):
        out = tmp_path / f"out{jobs}"
        results[jobs] = run_cli([str(articles), str(out), "--jobs", jobs], capsys)
        assert results[jobs][0] == 1  # the binary file fails, the others are cleaned
        assert "binary.txt: error:" in results[jobs][2]
    one, two, three = (tree_bytes(tmp_path / f"out{j}") for j in ("1", "2", "3"))
    assert len(one) > 20 and ".clean-articles/changes.jsonl" in one
    assert one[".clean-articles/changes.jsonl"]  # something was changed and logged
    assert one == two == three
    assert results["1"] == results["2"] == results["3"]
    assert not list((tmp_path / "out2" / ".clean-articles").glob(".spill-*"))


@pytest.mark.parametrize("mode", ["--check", "--diff"])
def test_lint_listing_is_identical_for_any_jobs(articles, mode, capsys):
    one = run_cli(
        [mode, str(articles), "--jobs", "1", "--output-format", "json"]
        if mode == "--check"
        else [mode, str(articles), "--jobs", "1"],
        capsys,
    )
    two = run_cli(
        [mode, str(articles), "--jobs", "2", "--output-format", "json"]
        if mode == "--check"
        else [mode, str(articles), "--jobs", "2"],
        capsys,
    )
    assert one[0] == 1 and one[1]
    assert one == two


def test_fix_is_identical_for_any_jobs(articles, tmp_path, capsys):
    trees = []
    for jobs in ("1", "2"):
        copy = tmp_path / f"fix{jobs}"
        shutil.copytree(articles, copy)
        code, out, _ = run_cli(["--fix", str(copy), "--jobs", jobs], capsys)
        trees.append((code, out.replace(str(copy), "X"), tree_bytes(copy)))
    assert trees[0] == trees[1]
    assert trees[0][2] != tree_bytes(articles)  # something was fixed


def square(state: int, item: int) -> int:
    return state + item * item


def die_on_three(state: int, item: int) -> int:
    if item == 3:
        os._exit(9)  # what the OOM killer does to a worker
    return item


def test_pool_keeps_order_and_bounds_the_work_in_flight():
    pulled = []

    def items():
        for n in range(200):
            pulled.append(n)
            yield n

    pool = ProcessPool(2, window=4)
    results = pool.map(square, 1, items())
    assert next(results) == 1
    # Only the window is pulled ahead of the first result: a corpus streams through.
    assert len(pulled) <= 4
    assert list(results) == [1 + n * n for n in range(1, 200)]
    assert list(Serial().map(square, 1, range(5))) == [1, 2, 5, 10, 17]


def test_a_dying_worker_fails_the_run_instead_of_hanging():
    with pytest.raises(WorkerError):
        list(ProcessPool(2).map(die_on_three, 0, range(10)))


def test_executor_choice():
    assert isinstance(executor("local", 1), Serial)
    assert isinstance(executor("local", 4, items=1), Serial)
    assert executor("local", 2, items=10).workers == 2
    with pytest.raises(ValueError):
        executor("spark", 2)


#: The real task, taken before the test patches ``driver.clean_task`` with :func:`crash`
#: (calling the patched name from inside it recursed, and which of that RecursionError and
#: the dead worker the run saw first was a race).
CLEAN_TASK = driver.clean_task


def crash(cleaners, task):
    if task.shown.endswith("001_988967f5c6e1c539.txt"):
        os._exit(9)
    return CLEAN_TASK(cleaners, task)


def test_a_worker_crash_leaves_no_partial_files_and_no_log(tmp_path, monkeypatch, capsys):
    source = corpus(tmp_path / "in", copies=1)
    monkeypatch.setattr(driver, "clean_task", crash)
    out = tmp_path / "out"
    code, _, err = run_cli([str(source), str(out), "--jobs", "2"], capsys)
    assert code == 1
    assert "worker process died" in err
    assert not (out / ".clean-articles" / "changes.jsonl").exists()
    leftovers = [p for p in out.rglob("*") if p.is_file() and "tmp" in p.name]
    assert leftovers == []


def test_a_worker_crash_in_fix_leaves_no_temporary_file_beside_the_articles(
    tmp_path, monkeypatch, capsys
):
    source = corpus(tmp_path / "in", copies=2)
    before = {p: p.read_bytes() for p in source.rglob("*") if p.is_file()}
    monkeypatch.setattr(driver, "clean_task", crash)
    code, _, err = run_cli(["--fix", str(source), "--jobs", "2", "--isolated"], capsys)
    assert code == 1
    assert "worker process died" in err
    after = {p for p in source.rglob("*") if p.is_file()}
    assert after == set(before)  # no .NAME.clean-articles.tmp left in the user's tree
    # Each article is either as it was or whole (fixed), never cut short.
    assert all(
        p.read_bytes() == data or p.read_bytes().endswith(b"\n") for p, data in before.items()
    )


@pytest.mark.slow
def test_ctrl_c_leaves_only_whole_files(tmp_path):
    # Enough files that the run is still going when the signal comes (a run that has
    # already written its log by then is not what this tests).
    source = corpus(tmp_path / "in", copies=40)
    reference = tmp_path / "ref"
    subprocess.run(
        [sys.executable, "-m", "cleaner", str(source), str(reference), "--jobs", "1", "-q"],
        check=False,
    )
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "cleaner", str(source), str(out), "--jobs", "2", "-q"],
        start_new_session=True,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not list(out.rglob("*.txt")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)  # the terminal sends it to the whole group
    proc.wait(timeout=60)
    assert proc.returncode != 0
    written = [p for p in out.rglob("*") if p.is_file()]
    assert [p for p in written if ".clean-articles.tmp" in p.name or ".spill-" in p.name] == []
    if (out / ".clean-articles" / "changes.jsonl").exists():
        # The signal came after the log was committed (a loaded machine can hold this
        # test back that long): then every article must be there, whole.
        expected = sorted(p.relative_to(reference) for p in reference.rglob("*.txt"))
        assert sorted(p.relative_to(out) for p in out.rglob("*.txt")) == expected
    for path in written:
        if path.suffix == ".txt":
            assert path.read_bytes() == (reference / path.relative_to(out)).read_bytes()


def test_engine_ray_without_ray_is_a_usage_error(tmp_path, monkeypatch, capsys):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "ray" else real(name, *a)
    )
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Text.\n")
    assert main([str(tmp_path / "in"), str(tmp_path / "out"), "--engine", "ray"]) == 2
    assert "pip install '.[ray]'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
