"""clean-articles beside its peers, on the same documents, in one run: MB per CPU second.

    .venv/bin/pip install -e '.[bench,fast]'
    taskset -c 0 .venv/bin/python bench/sidebyside.py --mb 10 [--docs 300]

Every tool gets the documents of the seeded benchmark corpus (bench/make_corpus.py)
as plain text, one after the other, in this process (one core when run under
``taskset``); the CLI runs ``clean-articles --jobs 1 IN OUT`` on the corpus tree as a
child process, its CPU time read from the operating system. CPU seconds, not wall
clock: the machine is shared, and a core's work is what compares. The tools, in
turn: ``ftfy.fix_text``, ``trafilatura.extract``, ``justext.justext`` (English
stop-list), ``cleantext.clean`` (clean-text), ``cleaner.Cleaner.clean`` and the CLI.
A tool that is not installed is skipped with a note. The table gives MB per CPU
second and each tool's speed as a ratio to ftfy and to clean-articles in process.
"""

from __future__ import annotations

import argparse
import html
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from throughput import corpus, documents

ROOT = Path(__file__).resolve().parent.parent


def cpu_seconds(func: Callable[[str], object], docs: list[str]) -> float:
    start = time.process_time()
    for doc in docs:
        func(doc)
    return time.process_time() - start


def as_html(text: str) -> str:
    """The page as the HTML extractors expect it: each non-blank line a paragraph (the
    wrapping is part of their measured time; the MB are the plain text's)."""
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.split("\n") if line.strip())
    return f"<html><body>\n{body}</body></html>"


def peers() -> list[tuple[str, Callable[[str], object] | None, str]]:
    """(name, function or None, why it is missing)."""
    found: list[tuple[str, Callable[[str], object] | None, str]] = []
    try:
        import ftfy

        found.append(("ftfy.fix_text", ftfy.fix_text, ""))
    except ImportError:
        found.append(("ftfy.fix_text", None, "pip install ftfy"))
    try:
        import trafilatura

        found.append(("trafilatura.extract", lambda d: trafilatura.extract(as_html(d)), ""))
    except ImportError:
        found.append(("trafilatura.extract", None, "pip install trafilatura"))
    try:
        import justext

        stoplist = justext.get_stoplist("English")
        found.append(("justext.justext", lambda d: justext.justext(as_html(d), stoplist), ""))
    except ImportError:
        found.append(("justext.justext", None, "pip install justext"))
    try:
        from cleantext import clean

        found.append(("clean-text", clean, ""))
    except ImportError:
        found.append(("clean-text", None, "pip install clean-text"))
    return found


def cli_cpu_seconds(tree: Path) -> float:
    """CPU seconds of ``clean-articles --jobs 1 IN OUT`` (its process and children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [str(ROOT / ".venv" / "bin" / "clean-articles"), "--isolated", "-q", "--jobs", "1"]
        subprocess.run(
            [*cmd, str(tree), str(Path(tmp) / "out")], check=False, stderr=subprocess.DEVNULL
        )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=int, default=10)
    parser.add_argument("--docs", type=int, default=0, help="first N documents (0: all)")
    parser.add_argument("--no-cli", action="store_true", help="skip the CLI run")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "ca-bench")
    args = parser.parse_args()
    tree = corpus(args.mb, args.cache) / "tree"
    docs = documents(tree)
    if args.docs:
        docs = docs[: args.docs]
    mb = sum(len(d.encode("utf-8")) for d in docs) / 2**20
    from cleaner import Cleaner

    cleaning = Cleaner()
    cleaning.clean("Warm-up text, so pack loading is not counted. " * 5)
    rows: list[tuple[str, float]] = []
    for name, func, missing in peers():
        if func is None:
            print(f"{name}: not installed ({missing}); skipped")
            continue
        rows.append((name, mb / cpu_seconds(func, docs)))
    rows.append(("clean-articles in process", mb / cpu_seconds(cleaning.clean, docs)))
    if not args.no_cli and not args.docs:
        rows.append(("clean-articles CLI --jobs 1", mb / cli_cpu_seconds(tree)))
    ftfy_speed = dict(rows).get("ftfy.fix_text")
    ours = dict(rows)["clean-articles in process"]
    print(f"{len(docs)} documents, {mb:.1f} MB, one process")
    print(f"{'MB/cpu-s':>9} {'x ftfy':>7} {'x ours':>7}  tool")
    for name, speed in rows:
        vs_ftfy = f"{speed / ftfy_speed:7.2f}" if ftfy_speed else "      -"
        print(f"{speed:9.2f} {vs_ftfy} {speed / ours:7.2f}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
