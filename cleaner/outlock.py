"""One run at a time per OUT: an exclusive lock on ``OUT/.clean-articles/lock``.

Two ``IN OUT`` runs into the same OUT would interleave their outputs and
corrupt each other's change log (and so the revert). The second run takes
the lock without waiting and, finding it held, stops at once with a clear
message, before it writes anything. The lock is the kernel's POSIX record
lock (``lockf``): it belongs to the process that took it (worker processes
forked from it do not inherit it) and goes away with it, also when it is
killed, so a stale lock file never blocks a later run. Where ``fcntl`` does not
exist (Windows) runs are not locked.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = "lock"


class OutputBusy(Exception):
    """Another run holds the lock on OUT."""


@contextlib.contextmanager
def locked(log_dir: Path) -> Iterator[None]:
    """Hold the lock of the run whose log goes to ``log_dir`` (raises :class:`OutputBusy`)."""
    if fcntl is None:
        yield
        return
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EAGAIN):
                raise
            raise OutputBusy(
                f"clean-articles: error: {log_dir.parent} is being written by another "
                f"clean-articles run (it holds {path}); wait for it to finish or choose "
                "another OUT"
            ) from None
        yield
    finally:
        os.close(fd)
