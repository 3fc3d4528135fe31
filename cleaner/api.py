"""The :class:`Cleaner`: packs + options -> a reusable, thread-safe cleaner."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from . import language, source_language
from .engine import REGEX_TIMEOUT, CleanResult, Engine, note
from .guard import Safeguards
from .langcodes import NO_SOURCE_LANG
from .loader import Pack, load_rules
from .matching import regex_timeout
from .selection import Selection, select_rules


class Cleaner:
    """Cleans texts with a fixed set of rules.

    Built once, used for many texts (and from many threads: it keeps no
    per-text state). ``lang=None`` detects each document's language.

    A cleaner pickles as what it was built from (its packs, which are data,
    and its options) and compiles its engine again when unpickled, so it can
    be sent to worker processes and cluster nodes (``multiprocessing``, Ray,
    datatrove).

    ``safeguards`` sets the damage guard and the regex time budget
    (:class:`cleaner.guard.Safeguards`: ``max_prose_loss=0.4``,
    ``min_words=50``, ``force=False``, ``regex_timeout=1.0``).

    Rules a pack marks ``enabled = false`` (suggested rules waiting for review)
    are left out, selected or not, unless ``include_disabled`` is true.

    ``select``/``ignore`` pick rules by code or prefix (the more specific wins);
    ``selection`` adds layers after them, as configuration files and the command
    line write them (:mod:`cleaner.selection`).
    """

    def __init__(
        self,
        packs: Sequence[Pack] | None = None,
        *,
        rules: Sequence[str | Path] = (),
        include_default: bool = True,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] | None = None,
        unsafe_fixes: bool = False,
        safeguards: Safeguards | None = None,
        include_disabled: bool = False,
        selection: Sequence[Selection] = (),
    ) -> None:
        if packs is None:
            packs = load_rules(rules, include_default=include_default)
        self._build(
            list(packs),
            select,
            ignore,
            unsafe_fixes,
            safeguards or Safeguards(),
            include_disabled,
            tuple(selection),
        )

    def _build(
        self,
        packs: list[Pack],
        select: Sequence[str] | None,
        ignore: Sequence[str] | None,
        unsafe_fixes: bool,
        safeguards: Safeguards,
        include_disabled: bool = False,
        selection: tuple[Selection, ...] = (),
    ) -> None:
        self.packs = packs
        self.select = None if select is None else list(select)
        self.ignore = None if ignore is None else list(ignore)
        self.include_disabled = include_disabled
        self.selection = selection
        all_rules = [
            rule for pack in self.packs for rule in pack.rules if rule.enabled or include_disabled
        ]
        self.rules = select_rules(all_rules, select, ignore, selection)
        self.unsafe_fixes = unsafe_fixes
        self.safeguards = safeguards
        self._engine = Engine(self.rules, unsafe_fixes=unsafe_fixes, safeguards=self.safeguards)
        self._evidence = source_language.evidence_table(self.packs)
        #: Document languages the translation packs are written for (a text in another
        #: language is no translation they know: its source language is not inferred).
        self._translated_into = {
            lang for pack in self.packs if pack.source_langs for lang in pack.languages
        }

    @property
    def evidence(self) -> dict[str, list]:
        """source language -> the evidence patterns of the loaded translation packs."""
        return self._evidence

    def __getstate__(self) -> dict:
        # The construction arguments only: the engine's compiled matchers are
        # rebuilt on the other side rather than shipped (smaller, and nothing
        # compiled has to be picklable).
        return {
            "packs": self.packs,
            "select": self.select,
            "ignore": self.ignore,
            "unsafe_fixes": self.unsafe_fixes,
            "safeguards": self.safeguards,
            "include_disabled": self.include_disabled,
            "selection": self.selection,
        }

    def __setstate__(self, state: dict) -> None:
        self._build(
            state["packs"],
            state["select"],
            state["ignore"],
            state["unsafe_fixes"],
            state["safeguards"],
            state.get("include_disabled", False),
            state.get("selection", ()),
        )

    def clean(
        self,
        text: str,
        lang: str | None = None,
        source_lang: str | None = None,
        *,
        at_start: bool = True,
        at_end: bool = True,
    ) -> CleanResult:
        """Clean one text.

        ``lang`` (ISO 639-1) skips language detection. ``source_lang`` is the
        language the text was machine-translated from; when ``None`` it is
        inferred from evidence in the text (only for a text in a language the
        translation packs translate into), or left unknown; ``"none"`` means
        unknown without inference (no source-language rule runs).
        ``at_start``/``at_end`` false say the text is a piece of a larger
        document, not its beginning/end (see :mod:`cleaner.textio`).
        """
        if lang is None:
            lang = language.detect(text)
        timed_out: list[str] = []
        if source_lang is None:
            if lang in self._translated_into or "*" in self._translated_into:
                with regex_timeout(self.safeguards.regex_timeout):
                    source_lang = source_language.infer(text, self._evidence, timed_out)
        elif source_lang == NO_SOURCE_LANG:
            source_lang = None
        result = self._engine.clean(
            text, lang=lang, source_lang=source_lang, at_start=at_start, at_end=at_end
        )
        for pattern in timed_out:
            result.notes.append(
                note(
                    REGEX_TIMEOUT,
                    f"evidence pattern {pattern!r} used up its regex time and was skipped",
                    {"evidence": pattern},
                )
            )
        return result
