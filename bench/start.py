"""How long one pre-commit-style call takes: ``clean-articles --check ONE_FILE``, wall clock.

    .venv/bin/python bench/start.py [--runs 5] [FILE]

Runs the installed CLI on one small article (a built-in three-line one unless FILE
is given) ``--runs`` times and prints each wall time and the median, beside the
median of a bare ``python -c pass`` measured in the same loop (the interpreter's
own start, which no change here can remove). The goal is a median of 0.3 s or less
with the default packs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "Markets rose on Monday, traders said.\n\nsource site-3\n"


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file", nargs="?", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.file or Path(tmp) / "one.txt"
        if args.file is None:
            path.write_text(ARTICLE, encoding="utf-8")
        cli = [str(ROOT / ".venv" / "bin" / "clean-articles"), "--check", str(path)]
        bare = [str(ROOT / ".venv" / "bin" / "python"), "-c", "pass"]
        wall(cli)  # warm the file system cache
        ours, python = [], []
        for _ in range(args.runs):
            ours.append(wall(cli))
            python.append(wall(bare))
    print("clean-articles --check:", " ".join(f"{t:.3f}" for t in ours), "s")
    print(
        f"median {statistics.median(ours):.3f} s (goal <= 0.3 s); "
        f"bare python start median {statistics.median(python):.3f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
