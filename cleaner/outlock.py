"""One run at a time per OUT, and per file fixed in place.

**IN OUT**: an exclusive lock on ``OUT/.clean-articles/lock`` (:func:`locked`).

Two ``IN OUT`` runs into the same OUT would interleave their outputs and
corrupt each other's change log (and so the revert). The second run takes
the lock without waiting and, finding it held, stops at once with a clear
message, before it writes anything. The lock is the kernel's POSIX record
lock (``lockf``): it belongs to the process that took it (worker processes
forked from it do not inherit it) and goes away with it, also when it is
killed, so a stale lock file never blocks a later run. Where ``fcntl`` does not
exist (Windows) runs are not locked.

**--fix** (:func:`locked_files`): the same kind of lock, on byte ranges of one
lock file of the user's, outside the tree (``$XDG_RUNTIME_DIR/clean-articles-fix.lock``,
else ``clean-articles-UID/fix.lock`` in the temporary directory): the byte a
file's real path hashes to stands for the file, so nothing is written beside
the articles and runs on different files (pre-commit runs a hook in parallel
on parts of the file list) do not get in each other's way. A run takes its
files' bytes exclusively and their directories' (and the directories above)
shared; a run over more than :data:`MAX_FILE_LOCKS` files takes the paths it
was given exclusively instead (the kernel's cost grows with the square of the
ranges one process holds), which a smaller run under them meets through its
shared directory locks. Runs of different users are not locked against each
other.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = "lock"
#: A --fix run over more files locks the paths it was given, not each file.
MAX_FILE_LOCKS = 4096


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


@contextlib.contextmanager
def locked_files(given: Iterable[Path], files: Iterable[Path]) -> Iterator[None]:
    """Hold the ``--fix`` lock on ``files`` (found from the paths ``given``); see above.

    Raises :class:`OutputBusy` naming the first path another run holds, before
    anything is written.
    """
    files = list(files)
    lock_file = _fix_lock_file() if fcntl is not None and files else None
    if lock_file is None:
        yield
        return
    files = [Path(os.path.realpath(f)) for f in files]  # where --fix writes: through links
    exclusive = (
        files if len(files) <= MAX_FILE_LOCKS else [Path(os.path.realpath(g)) for g in given]
    )
    # A given file inside a given directory: its byte is held exclusively, never shared
    # (a process's shared lock on a byte it holds exclusively would replace that lock).
    shared = sorted({parent for path in exclusive for parent in path.parents} - set(exclusive))
    try:
        fd = os.open(lock_file, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError:  # no lock file to be had (a read-only runtime directory): run unlocked
        yield
        return
    try:
        for path, mode in [*((p, fcntl.LOCK_EX) for p in exclusive),
                           *((p, fcntl.LOCK_SH) for p in shared)]:  # fmt: skip
            try:
                fcntl.lockf(fd, mode | fcntl.LOCK_NB, 1, _slot(path))
            except OSError as exc:
                if exc.errno not in (errno.EACCES, errno.EAGAIN):
                    raise
                raise OutputBusy(
                    f"clean-articles: error: {path} is being fixed by another clean-articles "
                    "run; wait for it to finish"
                ) from None
        yield
    finally:
        os.close(fd)  # releases every range


def _slot(path: Path) -> int:
    """The byte of the lock file that stands for ``path`` (63-bit: collisions are remote)."""
    digest = hashlib.sha256(os.fsencode(path)).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def _fix_lock_file() -> Path | None:
    """The user's --fix lock file; ``None`` (no locking) where no private place for it exists."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and os.path.isdir(runtime):
        return Path(runtime) / "clean-articles-fix.lock"
    directory = Path(tempfile.gettempdir()) / f"clean-articles-{os.getuid()}"
    try:
        with contextlib.suppress(FileExistsError):
            directory.mkdir(mode=0o700)
        info = os.lstat(directory)
    except OSError:
        return None
    # Another user's directory (or a link planted in a shared /tmp) is not ours to use.
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022:
        return None
    return directory / "fix.lock"
