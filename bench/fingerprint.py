"""Every output of cleaning the benchmark corpus, as one line per document, to prove a
change output-identical.

    .venv/bin/python bench/fingerprint.py --mb 10 --out before.tsv
    ... change the engine ...
    .venv/bin/python bench/fingerprint.py --mb 10 --out after.tsv --compare before.tsv

Each line holds a document's index and a SHA-256 of everything cleaning it produced in
process with the default rules and language detection: the text, the language and source
language, and every edit, finding and note (code, offsets, before/after, applied, line,
column, message, details). ``--unsafe-fixes`` fingerprints the other mode. ``--compare``
prints the documents whose fingerprints differ (with their first differing record) and
exits 1 when any does. Only the order-independent facts go in: timings do not.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import sys
import tempfile
from pathlib import Path

from throughput import corpus, documents

from cleaner import Cleaner


def records(result) -> list:  # type: ignore[no-untyped-def]
    """What cleaning one document produced, in a stable JSON-able form."""
    head = {
        "text": result.text,
        "language": result.language,
        "source_language": result.source_language,
        "converged": result.converged,
    }
    body = [
        # A note is hashed in its logged record shape (an edit of no text), as notes were.
        [kind, dataclasses.asdict(edit.as_edit() if hasattr(edit, "as_edit") else edit)]
        for kind, edits in (
            ("edit", result.edits),
            ("finding", result.findings),
            ("note", result.notes),
        )
        for edit in edits
    ]
    return [head, *body]


def fingerprint(result) -> str:  # type: ignore[no-untyped-def]
    raw = json.dumps(records(result), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=int, default=10)
    parser.add_argument("--docs", type=int, default=0, help="first N documents only")
    parser.add_argument("--unsafe-fixes", action="store_true")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--compare", type=Path, help="an earlier --out file")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "ca-bench")
    args = parser.parse_args()
    docs = documents(corpus(args.mb, args.cache) / "tree")
    if args.docs:
        docs = docs[: args.docs]
    cleaning = Cleaner(unsafe_fixes=args.unsafe_fixes)
    results = [cleaning.clean(doc) for doc in docs]
    lines = [f"{i}\t{fingerprint(r)}" for i, r in enumerate(results)]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} documents fingerprinted into {args.out}")
    if not args.compare:
        return 0
    before = dict(line.split("\t") for line in args.compare.read_text().splitlines())
    differ = [i for i, line in enumerate(lines) if before.get(str(i)) != line.split("\t")[1]]
    for i in differ[:20]:
        first = json.dumps(records(results[i])[1:3], default=str)[:300]
        print(f"document {i} differs; its first records now: {first}")
    print(f"{len(differ)} of {len(lines)} documents differ from {args.compare}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
