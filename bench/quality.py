"""Rerun the quality scores on the public benchmarks and print them beside the baselines.

Needs ``../shared`` (the benchmarks and the scorer) beside the checkout; the
benchmark data is read from there, never copied into the project.

    .venv/bin/python bench/quality.py            # or: bash bench/quality.sh

Runs the installed ``clean-articles`` CLI (the real end-to-end path) on
``scrapinghub-aeb/text/in`` and ``trafilatura-evaldata/text/in`` plus the
bundled samples, then ``shared/tools/score.py`` on each output, and prints one
table. Exit status 1 when a score misses its acceptance goal.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SCORE = SHARED / "tools" / "score.py"
AEB = SHARED / "benchmarks" / "scrapinghub-aeb" / "text"
TRAF = SHARED / "benchmarks" / "trafilatura-evaldata" / "text"

#: (benchmark, metric) -> (no cleaning, published alternatives), from the benchmarks' notes.
BASELINES = {
    "aeb": "no cleaning 0.684 · jusText (HTML) 0.804 · trafilatura (HTML) 0.958",
    "traf": "no cleaning 0.681",
    "samples": "exact 5/5 expected",
}
GOALS = {"aeb": (0.88, 0.95), "traf": (0.85, None)}


def cli() -> list[str]:
    exe = shutil.which("clean-articles", path=str(ROOT / ".venv" / "bin")) or shutil.which(
        "clean-articles"
    )
    return [exe] if exe else [sys.executable, "-m", "cleaner"]


def clean(source: Path, target: Path, *extra: str) -> None:
    subprocess.run([*cli(), *extra, str(source), str(target)], check=True, capture_output=True)


def score(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, str(SCORE), *args, "--json"], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout)


def main() -> int:
    if not SCORE.exists():
        print(f"bench/quality.py: {SHARED} not found (needs ../shared beside the checkout)")
        return 2
    failed = False
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        clean(AEB / "in", out / "aeb")
        aeb = score("--shingles", "--gold", str(AEB / "gold"), "--output", str(out / "aeb"))
        clean(TRAF / "in", out / "traf")
        traf = score("--snippets", str(TRAF / "snippets.json"), "--output", str(out / "traf"))
        samples = ROOT / "samples"
        clean(samples / "in", out / "samples")
        safe = score(
            "--input", str(samples / "in"), "--gold", str(samples / "expected"),
            "--output", str(out / "samples"),
        )  # fmt: skip
        clean(samples / "in", out / "samples-u", "--unsafe-fixes")
        unsafe = score(
            "--input", str(samples / "in"), "--gold", str(samples / "expected-unsafe"),
            "--output", str(out / "samples-u"),
        )  # fmt: skip
    for name, res in (("aeb", aeb), ("traf", traf)):
        goal_f1, goal_r = GOALS[name]
        ok = res["f1"] >= goal_f1 and (goal_r is None or res["recall"] >= goal_r)
        failed |= not ok
        goal = f"F1 >= {goal_f1}" + (f", R >= {goal_r}" if goal_r else "")
        rows.append((name, res["precision"], res["recall"], res["f1"], goal, ok, BASELINES[name]))
    print(f"{'benchmark':<10} {'P':>6} {'R':>6} {'F1':>6}  {'goal':<20} {'ok':<4} baselines")
    for name, p, r, f, goal, ok, base in rows:
        verdict = "yes" if ok else "NO"
        print(f"{name:<10} {p:>6.3f} {r:>6.3f} {f:>6.3f}  {goal:<20} {verdict:<4} {base}")
    for name, res, total in (("samples", safe, 5), ("samples-u", unsafe, 5)):
        ok = res["exact"] == total and res["del_p"] == 1.0
        failed |= not ok
        print(
            f"{name:<10} exact {res['exact']}/{total}, del_p {res['del_p']}, "
            f"closed {res['closed']}  {'yes' if ok else 'NO'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
