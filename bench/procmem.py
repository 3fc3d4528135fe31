"""Run a command and measure the peak memory of its whole process tree (Linux /proc).

``--jobs N`` runs N worker processes beside the main one, so the peak RSS of
one process (``getrusage``) says little. This samples every process of the
tree every ``interval`` seconds and records the peak of:

- ``pss_mb``: the sum of proportional set sizes (memory shared between the
  forked workers is counted once, split between them): what the run costs
  the machine;
- ``rss_mb``: the sum of resident set sizes (shared pages counted in every
  process: an upper bound);
- ``max_rss_mb``: the largest single process (what ``getrusage`` reports).

No dependency beyond the standard library: it reads ``/proc``.
"""

from __future__ import annotations

import contextlib
import resource
import subprocess
import threading
import time
from pathlib import Path

MB = 1024 * 1024


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found.extend(int(c) for c in (task / "children").read_text().split())
    return found


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        todo.extend(_children(current))
    return pids


def _kb(path: Path, key: str) -> int:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def run_measured(cmd: list[str], interval: float = 0.2) -> dict:
    """Run ``cmd``; its seconds (wall and CPU), exit code and peak tree memory (MB).

    CPU seconds (user + system, of the command and every process it waited
    for) hardly change with the load other programs put on the machine, so
    they compare runs made minutes apart better than wall time does.
    """
    peaks = {"pss_mb": 0.0, "rss_mb": 0.0, "max_rss_mb": 0.0}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            pss = rss = biggest = 0
            for pid in _tree(proc.pid):
                pss += _kb(Path(f"/proc/{pid}/smaps_rollup"), "Pss:")
                one = _kb(Path(f"/proc/{pid}/status"), "VmRSS:")
                rss += one
                biggest = max(biggest, one)
            peaks["pss_mb"] = max(peaks["pss_mb"], pss / 1024)
            peaks["rss_mb"] = max(peaks["rss_mb"], rss / 1024)
            peaks["max_rss_mb"] = max(peaks["max_rss_mb"], biggest / 1024)
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "seconds": time.perf_counter() - start,
        "cpu_seconds": cpu,
        "returncode": proc.returncode,
        "stderr_tail": err.decode("utf-8", "replace").strip().splitlines()[-1:] or [""],
        **{k: round(v, 1) for k, v in peaks.items()},
    }
