"""How often the cheap language stages agree with langdetect, the arbiter.

Language identification has a cheap first stage everywhere it runs, and
langdetect (fixed seed) decides only what that stage leaves open:

- the document's language (:func:`cleaner.language.detect`): the stop-word
  check :func:`~cleaner.language.quick_guess` on the document's sample;
- a line's language for ``TR001`` (:func:`cleaner.language.detect_line`): the
  same check on the line; and before it, the rule's own screen, which skips
  a line whose words are a fifth or more the document language's stop-words
  (``stopword_share`` in ``rules/translation/residue-en.toml``).

This runs every page of both public benchmarks (as given, not cleaned) and
compares each cheap answer with langdetect's on the same text: how often the
cheap stage answers, and, when it does, how often langdetect (at the
probability the caller needs) says the same or something else. Nothing here
is tuned on: it measures.

    .venv/bin/python bench/langid_agreement.py [--max-lines-per-page 60]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quality import AEB, TRAF

from cleaner import language
from cleaner.document import words
from cleaner.kinds.language_residue import stopwords as residue_stopwords
from cleaner.loader import load_rules


def _langdetect(text: str, min_probability: float) -> str | None:
    best = language._best(text[: language.SAMPLE_CHARS])
    return best[0] if best is not None and best[1] >= min_probability else None


def _tr001():
    for pack in load_rules():
        for rule in pack.rules:
            if rule.code == "TR001":
                return rule
    raise SystemExit("TR001 not found in the shipped packs")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-lines-per-page", type=int, default=60)
    args = parser.parse_args()
    tr001 = _tr001()
    english_stops = residue_stopwords(tr001)
    docs: Counter[str] = Counter()
    lines: Counter[str] = Counter()
    screen: Counter[str] = Counter()
    for name, directory in (("aeb", AEB / "in"), ("traf", TRAF / "in")):
        for path in sorted(directory.glob("*.txt")):
            text = path.read_text(encoding="utf-8", errors="replace")
            snippet = language.sample(text)
            quick = language.quick_guess(snippet)
            arbiter = _langdetect(snippet, language.MIN_PROBABILITY)
            document = language.detect(text)
            docs["pages"] += 1
            if quick is not None:
                docs["quick answered"] += 1
                docs["quick = langdetect" if quick == arbiter else "quick != langdetect"] += 1
                if arbiter is None:
                    docs["langdetect unsure"] += 1
            judged = 0
            for line in text.split("\n"):
                if judged >= args.max_lines_per_page:
                    break
                if len(words(line)) < language.QUICK_MIN_LINE_TOKENS:
                    continue
                judged += 1
                lines["lines"] += 1
                verdict = _langdetect(line, tr001.params.min_probability)
                quick_line = language.quick_guess(line, min_tokens=language.QUICK_MIN_LINE_TOKENS)
                if quick_line is not None:
                    lines["quick answered"] += 1
                    if verdict is None:
                        lines["langdetect unsure"] += 1
                    elif verdict == quick_line:
                        lines["quick = langdetect"] += 1
                    else:
                        lines["quick != langdetect"] += 1
                # TR001's screen, in English documents: a line with a fifth or more of
                # English stop-words is never given to langdetect.
                tokens = [t for t in words(line) if t.isalpha()]
                if document != "en" or len(tokens) < tr001.params.min_words:
                    continue
                share = sum(t in english_stops for t in tokens) / len(tokens)
                if share >= tr001.params.stopword_share:
                    screen["skipped"] += 1
                    if verdict is not None and verdict != "en":
                        screen["skipped, langdetect says another language"] += 1
                else:
                    screen["judged"] += 1
            print(f"{name}: {path.name}", file=sys.stderr, end="\r")
    print(file=sys.stderr)
    for title, counts in (("document", docs), ("line", lines), ("TR001 screen", screen)):
        print(f"{title}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    answered = docs["quick answered"]
    if answered:
        print(
            f"document: quick answers {answered / docs['pages']:.1%} of pages; "
            f"agrees with langdetect on {docs['quick = langdetect'] / answered:.1%} of those"
        )
    answered = lines["quick answered"]
    if answered:
        sure = answered - lines["langdetect unsure"]
        print(
            f"line: quick answers {answered / lines['lines']:.1%} of lines; where langdetect "
            f"is sure (p >= {tr001.params.min_probability}), they agree on "
            f"{lines['quick = langdetect'] / max(sure, 1):.1%}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
