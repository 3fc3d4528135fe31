"""Atomic writes: every output is written beside its target and renamed over it.

Every file is written to ``.NAME.clean-articles.tmp`` beside its target and
renamed over it (:class:`AtomicFile`): a run killed at any moment leaves either
the old file or the new one, never a part. The temporary name is hidden (no
``*.txt`` glob matches it) and fixed, so a rerun replaces a leftover instead of
adding another, and the directory walkers skip it (:func:`is_temporary`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

#: Suffix of the temporary files writes go through.
TMP_SUFFIX = ".clean-articles.tmp"


def _tmp_name(target: Path) -> Path:
    name = target.name
    if len(name.encode("utf-8", "surrogateescape")) > 200:
        name = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return target.parent / f".{name}{TMP_SUFFIX}"


def is_temporary(name: str) -> bool:
    """Whether a file name is one of the temporary files writes go through."""
    return name.startswith(".") and name.endswith(TMP_SUFFIX)


def remove_leftover(target: Path) -> None:
    """Delete the temporary file of a write to ``target`` that was cut short, if any.

    For a worker process killed mid-write (its pool broke when another worker
    died): it cannot abort its own :class:`AtomicFile`, so the main process does.
    """
    with contextlib.suppress(FileNotFoundError):
        _tmp_name(target).unlink()


class AtomicFile:
    """Bytes written beside ``target`` and renamed over it on :meth:`commit`.

    ``mode`` sets the new file's permissions (default: 0666 less the umask,
    like any new file); ``durable`` also syncs the data and the directory
    (for in-place fixes, where the old content is the only copy).
    """

    def __init__(self, target: Path, *, mode: int | None = None, durable: bool = False) -> None:
        self.target = target
        self.tmp = _tmp_name(target)
        self.mode = mode
        self.durable = durable
        self.size = 0
        self._digest = hashlib.sha256()
        with contextlib.suppress(FileNotFoundError):
            self.tmp.unlink()  # a leftover of a killed run
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        self._fd = os.open(self.tmp, flags | getattr(os, "O_CLOEXEC", 0), 0o600)

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()

    def write(self, data: bytes) -> None:
        self._digest.update(data)
        self.size += len(data)
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]

    def commit(self) -> None:
        try:
            os.fchmod(self._fd, self.mode if self.mode is not None else 0o666 & ~_umask())
            if self.durable:
                os.fsync(self._fd)
        finally:
            os.close(self._fd)
            self._fd = -1
        os.replace(self.tmp, self.target)
        if self.durable:
            _sync_directory(self.target.parent)

    def abort(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        with contextlib.suppress(FileNotFoundError):
            self.tmp.unlink()

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is not None or self._fd >= 0:
            self.abort()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _sync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_bytes_atomic(
    target: Path, parts: Iterator[bytes] | list[bytes], *, mode: int | None = None
) -> None:
    """Write ``parts`` to ``target`` through a temporary file (see :class:`AtomicFile`)."""
    with AtomicFile(target, mode=mode) as out:
        for part in parts:
            out.write(part)
        out.commit()
