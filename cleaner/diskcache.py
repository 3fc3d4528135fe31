"""The user cache directory: derived data kept between runs, safe to delete.

What is kept here is only ever *derived* from files the package ships (never
from articles or user packs), is stored as plain data (never pickled code),
and is keyed by everything it was derived from, this package's version
included: an entry made by another version, or from other files, is simply
not found. A missing, unreadable or damaged entry is rebuilt; a cache
directory that cannot be written is not an error, only a slower start.

Where: ``$CLEAN_ARTICLES_CACHE_DIR``, else ``$XDG_CACHE_HOME/clean-articles``,
else ``~/.cache/clean-articles``. ``CLEAN_ARTICLES_CACHE_DIR=`` (empty) turns
the cache off.
"""

from __future__ import annotations

import contextlib
import hashlib
import mmap
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path


def directory() -> Path | None:
    """The cache directory, or ``None`` when caching is turned off."""
    chosen = os.environ.get("CLEAN_ARTICLES_CACHE_DIR")
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "clean-articles"


def key(*parts: object, files: Iterable[Path] = ()) -> str:
    """A name for data derived from ``parts`` and ``files`` by this package version.

    Files count by name, size and modification time (what changes when a
    package is upgraded or a file edited), not by content, which would cost a
    read of every file.
    """
    from . import __version__  # here: the package imports this module before defining it

    digest = hashlib.sha256(repr((__version__, *parts)).encode("utf-8"))
    for path in sorted(files):
        stat = path.stat()
        digest.update(f"\0{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:32]


def read(name: str) -> bytes | None:
    """The entry ``name``, or ``None`` if it is not there (or caching is off)."""
    where = directory()
    if where is None:
        return None
    try:
        return (where / name).read_bytes()
    except OSError:
        return None


def mapped(name: str) -> mmap.mmap | None:
    """The entry ``name`` mapped read-only into memory (pages are read as they are
    touched), or ``None`` if it is not there (or caching is off)."""
    where = directory()
    if where is None:
        return None
    try:
        with open(where / name, "rb") as handle:
            return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # ValueError: an empty file cannot be mapped
        return None


def write(name: str, data: bytes) -> None:
    """Store ``data`` as ``name`` (atomically: a reader sees all of it or none)."""
    where = directory()
    if where is None:
        return
    try:
        where.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, where / name)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError:
        pass  # a read-only or full disk only makes the next start slower
