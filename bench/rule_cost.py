"""What each rule costs on its own: its patterns run over a corpus, µs per line, sorted.

    .venv/bin/python bench/rule_cost.py --mb 10 [--docs 300] [--top 40]
    .venv/bin/python bench/rule_cost.py --samples        # the bundled samples only

Each rule runs alone, through its kind's matcher as the engine runs it (gates
included), over every document taken to be in the rule's language: what the rule
costs wherever it applies. The table gives microseconds per line of text and the
ratios to a reference rule (a cheap line rule with no gate, so it runs on every line)
and to the median rule, so the rules that cost more than all the others together
stand out (anchored literals first, no leading ``.*``, no nested
quantifiers, a gate literal the prefilter can use is how to fix them).
tests/test_rule_cost.py runs the same measure on the samples and fails when a rule
whose cost is its pattern is more than ``MAX_RATIO`` times the reference rule.
The numbers go to BENCHMARKS.md ("Rule cost").
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from cleaner.document import Document
from cleaner.kinds import KINDS
from cleaner.loader import load_pack, load_rules
from cleaner.rule import Rule

ROOT = Path(__file__).resolve().parent.parent
#: A rule whose cost is their pattern (not an algorithm: language detection, body
#: detection, near-duplicates) may cost at most this many times the reference rule.
MAX_RATIO = 5.0
#: Kinds whose cost is the rule's pattern.
PATTERN_KINDS = frozenset(
    {"line-drop", "block-drop", "pattern-replace", "glossary", "fragment-repair"}
    | {"institution-pronoun"}
)
#: The reference: a line rule with no gate literal (so it runs on every line) and a
#: cheap anchored pattern, i.e. what an ordinary rule costs where it applies.
REFERENCE = r"""
[pack]
name = "reference"
languages = ["*"]

[[rule]]
code = "RF001"
name = "ruler-line"
kind = "line-drop"
description = "A line of dashes or stars (the reference rule of bench/rule_cost.py)."
safety = "safe"
keep = ["a - b"]
pattern = '[-*_=~]{3,}'
[[rule.fix]]
input = "a\n---\n"
output = "a\n"
"""


def documents_of(texts: Sequence[str]) -> list[Document]:
    """One view per text, its line index and zones computed up front (not timed)."""
    docs = []
    for text in texts:
        doc = Document(text)
        _ = doc.lines, doc.lower, doc.nonblank, doc.prose, doc.head_end, doc.tail_start
        docs.append(doc)
    return docs


def cost(rule: Rule, docs: Sequence[Document], repeat: int = 1) -> float:
    """Seconds the rule's matcher takes over ``docs`` on its own (best of ``repeat``).

    The rule runs as the engine runs it (its kind's matcher, gates included), on
    documents taken to be in its language and from its source language, each
    with an empty memo (every line is judged, as on a first pass).
    """
    matcher = KINDS[rule.kind].compile([rule])
    lang = next((lang for lang in rule.languages if lang != "*"), "en")
    source = rule.source_langs[0] if rule.source_langs else None
    for doc in docs[:1]:  # compiles what the matcher compiles on first use (not timed)
        doc.lang, doc.source_lang, doc.memo = lang, source, {}
        for _candidate in matcher.find(doc):
            pass
    best = float("inf")
    for _ in range(repeat):
        spent = 0.0
        for doc in docs:
            doc.lang, doc.source_lang, doc.memo = lang, source, {}
            start = time.perf_counter()
            for _candidate in matcher.find(doc):
                pass
            spent += time.perf_counter() - start
        best = min(best, spent)
    return best


def rule_costs(texts: Sequence[str], repeat: int = 1) -> list[tuple[Rule, float]]:
    """(rule, µs per line) for every shipped rule, costliest first."""
    docs = documents_of(texts)
    lines = max(1, sum(len(doc) for doc in docs))
    rows = []
    for pack in load_rules():
        for rule in pack.rules:
            rows.append((rule, cost(rule, docs, repeat) / lines * 1e6))
    return sorted(rows, key=lambda row: -row[1])


def reference_rule() -> Rule:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "reference.toml"
        path.write_text(REFERENCE, encoding="utf-8")
        [rule] = load_pack(path).rules
    return rule


def sample_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples" / "in").glob("*.txt"))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=int, default=10)
    parser.add_argument("--docs", type=int, default=300, help="first N documents (0: all)")
    parser.add_argument("--samples", action="store_true", help="the bundled samples instead")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs per rule")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "ca-bench")
    args = parser.parse_args()
    if args.samples:
        texts = sample_texts()
    else:
        sys.path.insert(0, str(ROOT / "bench"))
        from throughput import corpus, documents

        texts = documents(corpus(args.mb, args.cache) / "tree")
        if args.docs:
            texts = texts[: args.docs]
    rows = rule_costs(texts, args.repeat)
    median = statistics.median(c for _, c in rows)
    total = sum(c for _, c in rows)
    lines = sum(t.count("\n") + 1 for t in texts)
    docs = documents_of(texts)
    reference = cost(reference_rule(), docs, args.repeat) / max(1, sum(len(d) for d in docs)) * 1e6
    print(
        f"{len(rows)} rules over {len(texts)} documents, {lines} lines; median {median:.3f} µs/line"
    )
    print(f"reference rule (no gate, runs on every line): {reference:.3f} µs/line")
    print(f"{'µs/line':>8} {'x ref':>6} {'x median':>8} {'share':>6}  code   kind / pack")
    for rule, c in rows[: args.top]:
        print(
            f"{c:8.3f} {c / reference:6.1f} {c / median:8.1f} {c / total:6.1%}  "
            f"{rule.code:6} {rule.kind} / {rule.pack}"
        )
    over = [r.code for r, c in rows if r.kind in PATTERN_KINDS and c > MAX_RATIO * reference]
    print(f"pattern rules over {MAX_RATIO:g}x the reference: {', '.join(over) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
