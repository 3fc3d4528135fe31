"""How the integrations get a :class:`~cleaner.Cleaner`: one given, or options to build one."""

from __future__ import annotations

from typing import Any

from ..api import Cleaner


def make_cleaner(cleaner: Cleaner | None, options: dict[str, Any] | None) -> Cleaner:
    """``cleaner`` itself, or ``Cleaner(**options)`` (not both)."""
    if cleaner is not None and options:
        raise ValueError("give a cleaner or cleaner_options, not both")
    return cleaner if cleaner is not None else Cleaner(**(options or {}))
