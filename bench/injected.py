"""Real article bodies with debris injected: how much debris goes, how much article stays.

The article-extraction benchmark's gold files are article bodies without the
page. This puts scraping debris into each (a few lines at random line
boundaries, anywhere: top, middle, bottom, plus a glued form now and then),
cleans the result with the installed CLI and scores it with the shared
scorer's edit mode against the untouched body:

- ``del_p``: of the tokens the cleaner removed, the share that were debris
  (1.0: no article text lost; the number that matters most);
- ``closed``: the share of the injected debris' edit distance it closed.

Dev and held-out pages (``bench/splits.py``) are scored apart. The debris
is drawn with a random generator seeded by the page name, so a run is
reproducible. The pool is generic scraping debris (the issue-16 list and
the debris catalogue's families), written here, not taken from any page.

    .venv/bin/python bench/injected.py [--keep DIR] [--held-out]

The held-out pages are scored only with ``--held-out``: a tuning session should
decide on the dev rows alone and look at the held-out row once, at its end.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from quality import AEB, SCORE, cli
from splits import held_out

#: Lines a scraper leaves on their own line.
LINES = [
    "Share this article",
    "Print this page",
    "[ad_1]",
    "[ad_2]",
    "Source link",
    "Advertisement",
    "Editor's Picks",
    "Most Read",
    "World News",
    "By Laura Kim",
    "Author: Tom Becker",
    "Related Articles",
    "Follow us on Twitter",
    "Sign up for our newsletter",
    "© 2024 Example Media Group. All rights reserved.",
    "Home » News » World",
    "Tags: politics, economy, elections",
    "Share on Facebook",
    "Tweet",
    "Read more: Ministers meet again on Friday",
    "Previous articleThe week in pictures",
    "Next articleMarkets close higher on Friday",
    "2 min read",
    "Photo: Reuters",
    "Continue reading below",
]
#: Forms glued to a line of the article: (prefix, suffix).
GLUED = [
    ("Home LATEST NEWS ", ""),
    ("", " | Reuters"),
    ("[ad_1] ", ""),
]
LINES_PER_PAGE = (3, 6)


def inject(body: str, rng: random.Random) -> str:
    lines = body.rstrip("\n").split("\n")
    for _ in range(rng.randint(*LINES_PER_PAGE)):
        at = rng.randint(0, len(lines))
        lines[at:at] = ["", rng.choice(LINES), ""]
    if rng.random() < 0.5:
        prefix, suffix = rng.choice(GLUED)
        spots = [i for i, line in enumerate(lines) if line.rstrip().endswith((".", '"', "”"))]
        if spots:
            i = spots[0] if prefix else rng.choice(spots)
            lines[i] = prefix + lines[i] + suffix
    return "\n".join(lines) + "\n"


def score(source: Path, gold: Path, output: Path) -> dict:
    out = subprocess.run(
        [sys.executable, str(SCORE), "--input", str(source), "--gold", str(gold),
         "--output", str(output), "--json"],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return json.loads(out.stdout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", type=Path, help="write the injected pages and outputs here")
    parser.add_argument(
        "--held-out", action="store_true", help="also score the held-out pages (once, at the end)"
    )
    args = parser.parse_args()
    sides = (("dev", False), ("held-out", True)) if args.held_out else (("dev", False),)
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        rows = {}
        for side, keep in sides:
            source, gold, output = root / side / "in", root / side / "gold", root / side / "out"
            source.mkdir(parents=True, exist_ok=True)
            gold.mkdir(parents=True, exist_ok=True)
            for path in sorted((AEB / "gold").glob("*.txt")):
                if held_out(path.name) != keep:
                    continue
                body = path.read_text(encoding="utf-8")
                (gold / path.name).write_text(body, encoding="utf-8")
                page = inject(body, random.Random(path.name))
                (source / path.name).write_text(page, encoding="utf-8")
            subprocess.run([*cli(), str(source), str(output)], check=True, capture_output=True)
            rows[side] = score(source, gold, output)
    print(f"{'injected':<10} {'del_p':>6} {'del_r':>6} {'closed':>7} {'exact':>6}")
    for side, res in rows.items():
        print(
            f"{side:<10} {res['del_p']:>6.3f} {res['del_r']:>6.3f} {res['closed']:>7.3f} "
            f"{res['exact']:>6}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
