"""What one ``--fix`` remembers for the next: the source language it inferred.

The source language of a machine translation is inferred from residue in
the text (:mod:`cleaner.source_language`), and a language's safe fixes
repair exactly that residue: after ``--fix``, a text may hold no evidence
left, and ``--fix --unsafe-fixes`` would find no source language and skip
the unsafe fixes one ``--fix --unsafe-fixes`` run makes. So a ``--fix`` that
inferred a source language records it under the SHA-256 of the file it
wrote, and a later ``--fix`` of a file with exactly those bytes (and no
source language of its own from the command line or a configuration) takes
it. A file edited in between has other bytes and is inferred afresh.

Only the hash and a language code are kept, never text, in the user's state
directory: ``$CLEAN_ARTICLES_STATE_DIR``, else ``$XDG_STATE_HOME/clean-articles``,
else ``~/.local/state/clean-articles``; an empty ``CLEAN_ARTICLES_STATE_DIR``
turns it off. It is safe to delete. ``--fix --log DIR`` records the same in
DIR (:mod:`cleaner.fixlog`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from .atomic import write_bytes_atomic

_SHA256 = re.compile(r"[0-9a-f]{64}")
_LANGUAGE = re.compile(rb"[a-z]{2,3}")
SUBDIRECTORY = "fixed-source-languages"


def directory() -> Path | None:
    """Where the remembered languages are, or ``None`` when remembering is off."""
    chosen = os.environ.get("CLEAN_ARTICLES_STATE_DIR")
    if chosen is not None:
        return Path(chosen) / SUBDIRECTORY if chosen else None
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(
        os.path.expanduser("~"), ".local", "state"
    )
    return Path(base) / "clean-articles" / SUBDIRECTORY


def remember(sha256: str, source_language: str) -> None:
    """Record that the file with these bytes was translated from ``source_language``."""
    where = directory()
    if where is None or not _SHA256.fullmatch(sha256):
        return
    data = source_language.encode("ascii", "replace")
    if not _LANGUAGE.fullmatch(data):
        return
    try:
        where.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(where / sha256, [data])
    except OSError:
        pass  # remembering is a convenience: a read-only home only loses it


def recall(sha256: str) -> str | None:
    """The source language remembered for a file with these bytes, if any."""
    where = directory()
    if where is None or not _SHA256.fullmatch(sha256):
        return None
    try:
        data = (where / sha256).read_bytes()[:4]
    except OSError:
        return None
    return data.decode("ascii") if _LANGUAGE.fullmatch(data) else None
