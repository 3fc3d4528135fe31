"""Build a deterministic benchmark corpus of N MB from real page text.

Sources: the plain-text pages of ``../shared/benchmarks/*/text/in`` (many
languages, real boilerplate) and ``samples/in``. Each document is a source
page perturbed so that no two documents are identical (numbers shifted, a
few lines swapped or repeated, a marker line added), which keeps caches and
duplicate detection from flattering the throughput. Seeded: the same
arguments give the same corpus, byte for byte.

    .venv/bin/python bench/make_corpus.py --mb 10 --out /tmp/corpus10
    # -> /tmp/corpus10/tree/<nnnnn>/<doc>.txt  and  /tmp/corpus10/corpus.jsonl

The benchmark pages are test data: they are read from ../shared, never
copied into the project.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "benchmarks"
NUMBER = re.compile(r"\d+")


def sources() -> list[tuple[str, str]]:
    paths = sorted(SHARED.glob("*/text/in/*.txt")) + sorted((ROOT / "samples" / "in").glob("*.txt"))
    docs = []
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        if text.strip():
            docs.append((path.stem, text))
    if not docs:
        raise SystemExit(f"no source pages found under {SHARED} or samples/in")
    return docs


def perturb(text: str, rng: random.Random, serial: int) -> str:
    """A variant of ``text``: same shape and debris, different bytes."""
    shift = rng.randint(1, 9)
    text = NUMBER.sub(
        lambda m: str(int(m.group()) + shift) if len(m.group()) < 9 else m.group(), text
    )
    lines = text.split("\n")
    if len(lines) > 4:
        for _ in range(rng.randint(1, 3)):
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        k = rng.randrange(len(lines))
        lines.insert(k, lines[rng.randrange(len(lines))])
    lines.append(f"source site-{serial % 97}")
    return "\n".join(lines)


def build(mb: float, out: Path, seed: int = 20261121, tree_too: bool = True) -> tuple[int, int]:
    """Write ``out/corpus.jsonl`` (and ``out/tree/``, unless ``tree_too`` is false)."""
    rng = random.Random(seed)
    pool = sources()
    target = int(mb * 1024 * 1024)
    tree = out / "tree"
    tree.mkdir(parents=True, exist_ok=True)
    size = count = 0
    with open(out / "corpus.jsonl", "w", encoding="utf-8") as jsonl:
        while size < target:
            name, text = pool[count % len(pool)]
            doc = perturb(text, rng, count)
            rel = f"{count // 1000:05d}/{count:07d}-{name[:40]}.txt"
            if tree_too:
                path = tree / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(doc, encoding="utf-8")
            jsonl.write(json.dumps({"id": rel, "text": doc}, ensure_ascii=False) + "\n")
            size += len(doc.encode("utf-8"))
            count += 1
    return count, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, required=True, help="corpus size in MB (MiB)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--jsonl-only", action="store_true", help="no tree (a 1 GB corpus)")
    args = parser.parse_args()
    count, size = build(args.mb, args.out, args.seed, tree_too=not args.jsonl_only)
    print(f"{count} documents, {size / 1024 / 1024:.1f} MB -> {args.out}/tree and corpus.jsonl")


if __name__ == "__main__":
    main()
