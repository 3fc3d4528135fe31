"""Which benchmark pages are dev (tuned on) and which are held out (never tuned on).

Tuning rules on every page of a benchmark measures how well the rules fit
those pages, not how they do on pages nobody has seen. So a fixed fifth of
each benchmark is set aside: a page is *held out* when the SHA-256 of its
group key (below), read as a number, is 0 modulo ``FOLDS``. The choice
depends only on the name, never on the content or on a score, so it cannot
drift towards easy pages, and adding pages does not move the others.

The group key is the file name without extension, lower-cased: the public
benchmarks hold one page per site (the article-extraction benchmark names
pages by a hash; the trafilatura pages by site and slug), so a page-level
split is a site-level split. The same hash, taken from a different byte
range, gives the cross-validation fold of each dev page (:func:`fold`), so
a fold's pages never overlap the held-out fifth.

    from bench.splits import held_out, fold
"""

from __future__ import annotations

import hashlib
from pathlib import PurePath

#: One page in FOLDS is held out; the dev pages are split into FOLDS folds.
FOLDS = 5


def group_key(name: str) -> str:
    """The unit a split keeps together: the page (one per site in these benchmarks)."""
    path = PurePath(name)
    return path.name.removesuffix(path.suffix).casefold() if path.suffix == ".txt" else path.name


def _digest(name: str) -> bytes:
    return hashlib.sha256(group_key(name).encode("utf-8")).digest()


def held_out(name: str) -> bool:
    """Whether the page ``name`` belongs to the held-out fifth (never tuned on)."""
    return int.from_bytes(_digest(name)[:8], "big") % FOLDS == 0


def fold(name: str) -> int:
    """The cross-validation fold (0 .. FOLDS-1) of a dev page."""
    return int.from_bytes(_digest(name)[8:16], "big") % FOLDS


def split(names: list[str]) -> tuple[list[str], list[str]]:
    """``(dev, held_out)`` names, each in the given order."""
    return [n for n in names if not held_out(n)], [n for n in names if held_out(n)]
