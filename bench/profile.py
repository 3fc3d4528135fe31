"""Where the cleaning time goes: per rule group, and pyinstrument's hottest functions.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/profile.py --mb 10 [--docs 400] [--top 25]

Cleans the documents of the seeded benchmark corpus (bench/make_corpus.py,
the same one bench/throughput.py times) in this process with the default
rules and language detection, no I/O, and prints:

1. the share of the cleaning time each rule group (kind and pack) takes,
   and document language detection; every group runs through
   ``Engine._find``, which this script times (a measuring wrapper, nothing
   else changes);
2. a second pass under pyinstrument, its flat profile (self time per
   function, sampled): what inside a group is slow, the regex engine, ftfy,
   langdetect. The profiler slows the run down; read its shares, not its
   seconds.

``--speed-only`` prints only the in-process speed (no wrappers, no
profiler): with ``PYTHONPATH=OLD_CHECKOUT`` it times an older engine on the
same documents, for a ratio measured in the same go.

The numbers go to BENCHMARKS.md ("Where the time goes").
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

# cleaner comes from the installed package or PYTHONPATH (an older checkout to compare).
from throughput import corpus, documents

import cleaner.api
import cleaner.engine
from cleaner import Cleaner


def group_timer(spent: Counter) -> Callable[[], None]:
    """Charge the time of every rule group's search to (kind, pack) in ``spent``;
    returns the function that takes the wrappers off again."""
    find = cleaner.engine.Engine._find

    def timed(self, matcher, rules, *args):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return find(self, matcher, rules, *args)
        finally:
            spent[(rules[0].kind, rules[0].pack)] += time.perf_counter() - start

    cleaner.engine.Engine._find = timed  # type: ignore[method-assign]
    detect = cleaner.api.language.detect

    def timed_detect(text: str) -> str | None:
        start = time.perf_counter()
        try:
            return detect(text)
        finally:
            spent[("document language", "-")] += time.perf_counter() - start

    cleaner.api.language.detect = timed_detect  # type: ignore[assignment]

    def restore() -> None:
        cleaner.engine.Engine._find = find  # type: ignore[method-assign]
        cleaner.api.language.detect = detect

    return restore


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=int, default=10, help="corpus size (built if missing)")
    parser.add_argument("--docs", type=int, default=0, help="first N documents only")
    parser.add_argument("--top", type=int, default=25, help="rows of each table")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "ca-bench")
    parser.add_argument("--speed-only", action="store_true", help="only the in-process speed")
    args = parser.parse_args()
    docs = documents(corpus(args.mb, args.cache) / "tree")
    if args.docs:
        docs = docs[: args.docs]
    nbytes = sum(len(d.encode("utf-8")) for d in docs)
    cleaning = Cleaner()
    cleaning.clean("Warm-up text, so pack loading is not counted. " * 5)
    if args.speed_only:
        start, cpu = time.perf_counter(), time.process_time()
        for doc in docs:
            cleaning.clean(doc)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        print(
            f"{cleaner.__file__}: {len(docs)} documents, {nbytes / 2**20:.1f} MB, "
            f"{wall:.1f} s, {nbytes / 2**20 / wall:.2f} MB/s, {nbytes / 2**20 / cpu:.2f} MB/cpu-s"
        )
        return 0
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("pyinstrument is not installed: pip install -e '.[bench]'")
        return 2
    spent: Counter = Counter()
    restore = group_timer(spent)
    start = time.perf_counter()
    for doc in docs:
        cleaning.clean(doc)
    total = time.perf_counter() - start
    restore()
    print(
        f"{len(docs)} documents, {nbytes / 2**20:.1f} MB, {total:.1f} s, "
        f"{nbytes / 2**20 / total:.2f} MB/s in process"
    )
    print(f"\n{'share':>6} {'seconds':>8}  rule group (kind, pack)")
    for (kind, pack), seconds in spent.most_common(args.top):
        print(f"{seconds / total:6.1%} {seconds:8.2f}  {kind}, {pack}")
    rest = total - sum(spent.values())
    print(f"{rest / total:6.1%} {rest:8.2f}  engine (resolution, edits, documents)")
    profiler = Profiler(interval=0.001)
    profiler.start()
    for doc in docs:
        cleaning.clean(doc)
    profiler.stop()
    flat = profiler.output_text(flat=True, time="percent_of_total")
    print("\npyinstrument (second pass), self time per function:")
    print("\n".join(line for line in flat.splitlines()[: args.top + 8] if "%" in line))
    return 0


if __name__ == "__main__":
    sys.exit(main())
