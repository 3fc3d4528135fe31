"""Progress of a long run on stderr: files, MB, rate and time left.

On a terminal, one line redrawn in place (at most ten times a second, and only
once the run has taken ``delay`` seconds, so short runs print nothing)::

    clean-articles: 1,234/10,000 files (12%)  45.2/380.1 MB  0.45 MB/s  ETA 12:25

Without a terminal (CI logs, ``2> file``), a *heartbeat*: the same figures as
one plain line every ``heartbeat`` seconds, so a long run is never silent for
minutes and a log is not flooded either. ``--quiet`` turns both off.

Hand-written rather than ``rich``/``tqdm``: it is one line of text, and the
runtime dependencies stay ``ftfy``, ``regex`` and ``langdetect``.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

#: Seconds between two heartbeat lines when stderr is not a terminal.
HEARTBEAT_SECONDS = 10.0
#: Seconds between two redraws on a terminal.
REDRAW_SECONDS = 0.1
MB = 1_000_000


def total_size(paths: Iterable[Path]) -> int:
    """Bytes of the files (one that cannot be read counts 0: it fails later, named)."""
    total = 0
    for path in paths:
        with contextlib.suppress(OSError):
            total += os.stat(path).st_size
    return total


def clock_label(seconds: float) -> str:
    """``42s``, ``12:05`` (minutes:seconds), ``3:02:10`` (hours)."""
    seconds = int(seconds + 0.5)
    if seconds < 60:
        return f"{seconds}s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}:{secs:02d}"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"


class Progress:
    """Counts files and bytes as they are done and shows it (see the module docstring)."""

    def __init__(
        self,
        total: int,
        total_bytes: int = 0,
        stream: TextIO | None = None,
        *,
        enabled: bool = True,
        delay: float = 0.5,
        heartbeat: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.total = total
        self.total_bytes = total_bytes
        self.enabled = enabled
        self.tty = self.stream.isatty()
        self.done = 0
        self.done_bytes = 0
        self._clock = clock
        self._started = clock()
        self._delay = delay
        self._heartbeat = HEARTBEAT_SECONDS if heartbeat is None else heartbeat
        self._last = self._started  # last redraw or heartbeat
        self._drawn = False

    def advance(self, size: int = 0) -> None:
        """One more file done, of ``size`` bytes."""
        self.done += 1
        self.add_bytes(size)

    def add_bytes(self, size: int) -> None:
        """``size`` more bytes done within the current file (a JSONL file's batch)."""
        self.done_bytes += size
        if not self.enabled:
            return
        now = self._clock()
        if self.tty:
            # Short runs never show it, and long ones redraw at most ten times a second.
            if now - self._started < self._delay or now - self._last < REDRAW_SECONDS:
                return
            self.stream.write(f"\r{self.line(now)}\033[K")
            self._drawn = True
        elif now - self._last >= self._heartbeat:
            self.stream.write(self.line(now) + "\n")
        else:
            return
        self._last = now
        self.stream.flush()

    def line(self, now: float | None = None) -> str:
        """The figures: files (share), MB, rate, time left (once there is a rate)."""
        elapsed = (self._clock() if now is None else now) - self._started
        parts = [f"clean-articles: {self.done:,}/{self.total:,} files"]
        if self.total:
            parts[0] += f" ({100 * self.done // self.total}%)"
        if self.total_bytes:
            parts.append(f"{self.done_bytes / MB:.1f}/{self.total_bytes / MB:.1f} MB")
        if elapsed > 0 and self.done:
            rate = self.done_bytes / MB / elapsed
            parts.append(
                f"{rate:.2f} MB/s" if self.total_bytes else f"{self.done / elapsed:.1f} files/s"
            )
            if self.total_bytes and self.done_bytes:
                left = (self.total_bytes - self.done_bytes) * elapsed / self.done_bytes
            else:
                left = (self.total - self.done) * elapsed / self.done
            parts.append(f"ETA {clock_label(max(0.0, left))}")
        return "  ".join(parts)

    def clear(self) -> None:
        """Erase the terminal line (before other output, and at the end)."""
        if self._drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self._drawn = False
