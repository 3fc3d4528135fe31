"""Peak memory of ``clean-articles`` over JSONL corpora of growing size: is it flat?

    .venv/bin/python bench/memory.py --mb 50 200 --jobs 2
    .venv/bin/python bench/memory.py --mb 1024 --jobs 2 -- --select BP,WS --lang en

For each size it builds (or reuses, under ``--cache``) a seeded JSONL corpus of
that many MiB with bench/make_corpus.py (no tree: a 1 GB corpus is only written
once), runs ``clean-articles corpus.jsonl OUT --jobs N`` on it and samples the
memory of the whole process tree (bench/procmem.py): PSS (shared pages counted
once; what the run costs), the sum of RSS (an upper bound) and the largest
single process. Arguments after ``--`` go to clean-articles (a rule selection
makes a 1 GB run take minutes instead of an hour; memory is what is measured).
The corpus is generated to a temporary directory, never into the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from make_corpus import build  # noqa: E402
from procmem import run_measured  # noqa: E402

MB = 1024 * 1024


def corpus(mb: float, cache: Path) -> Path:
    out = cache / f"jsonl-{mb:g}mb"
    path = out / "corpus.jsonl"
    if not path.exists():
        build(mb, out, tree_too=False)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, nargs="+", default=[50, 200], help="corpus sizes")
    parser.add_argument("--jobs", type=int, nargs="+", default=[2])
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "ca-bench")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("extra", nargs="*", help="after --: more clean-articles arguments")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    rows = []
    for mb in args.mb:
        source = corpus(mb, args.cache)
        size = source.stat().st_size
        for jobs in args.jobs:
            with tempfile.TemporaryDirectory(dir=args.cache) as tmp:
                cmd = [str(ROOT / ".venv" / "bin" / "clean-articles"), str(source),
                       str(Path(tmp) / "out"), "--jobs", str(jobs), "-q", *args.extra]  # fmt: skip
                result = run_measured(cmd, interval=0.5)
            if result["returncode"] not in (0, 1):
                raise SystemExit(f"clean-articles failed: {result['stderr_tail']}")
            rows.append({"corpus_mb": round(size / MB, 1), "jobs": jobs, **result,
                         "mb_per_s": round(size / MB / result["seconds"], 2)})  # fmt: skip
    if args.json:
        print(json.dumps(rows, indent=1))
    else:
        print(f"{'corpus':>8} {'jobs':>4} {'seconds':>8} {'MB/s':>6} {'PSS':>8} {'sum RSS':>8} "
              f"{'max RSS':>8}")  # fmt: skip
        for r in rows:
            print(f"{r['corpus_mb']:>6.0f}MB {r['jobs']:>4} {r['seconds']:>8.0f} "
                  f"{r['mb_per_s']:>6.2f} {r['pss_mb']:>6.0f}MB {r['rss_mb']:>6.0f}MB "
                  f"{r['max_rss_mb']:>6.0f}MB")  # fmt: skip
    print(f"(clean-articles {' '.join(args.extra) or '(default rules)'}; "
          f"python {sys.version.split()[0]}, {os.cpu_count()} cores)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
