"""Rule selection: which rule codes a run uses, from layers of select/ignore prefixes.

One algorithm, ruff's, for everything that picks rules: :class:`cleaner.Cleaner`
(``select=``/``ignore=``), the configuration files and the command line.

Each layer (a :class:`Selection`: ``Cleaner(select=, ignore=)``, then each
configuration file, then the command line, then a file's ``per-file-ignores``)
applies its ``select``/``extend-select`` and ``ignore`` from the least to the most
specific prefix, so the more specific one wins and an ``ignore`` wins a tie; a layer
that sets ``select`` starts from nothing instead of building on the layers before it,
and one that only ignores removes what it matches whatever was selected.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .redirects import redirect

if TYPE_CHECKING:
    from .rule import Rule

#: A code or a code prefix: ``BP``, ``BP1``, ``BP101``.
SELECTOR = re.compile(r"^[A-Z]{1,4}[0-9]{0,4}$")


@dataclass(frozen=True)
class Selection:
    """One layer of rule selection: a configuration file or the command line.

    ``origins`` says where each key was set (``path:line`` or a flag), for
    messages about selectors that match no rule.
    """

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    origins: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self) -> None:
        # A renumbered code selects the rule it became, with a warning (cleaner.redirects).
        for key, attr in (("select", "select"), ("extend-select", "extend_select")):
            values = getattr(self, attr)
            if values:
                object.__setattr__(self, attr, redirect(values, self.origins.get(key, key)))
        if self.ignore:
            object.__setattr__(
                self, "ignore", redirect(self.ignore, self.origins.get("ignore", ""))
            )

    def selectors(self) -> Iterable[tuple[str, str]]:
        """Every (selector, where it was set) of the layer."""
        for key, values in (
            ("select", self.select or ()),
            ("extend-select", self.extend_select),
            ("ignore", self.ignore),
        ):
            for value in values:
                yield value, self.origins.get(key, key)


def resolve(codes: Iterable[str], layers: Sequence[Selection]) -> frozenset[str]:
    """The rule codes the layers leave enabled, starting from every code (ruff's algorithm)."""
    all_codes = sorted(set(codes))
    enabled = set(all_codes)
    for layer in layers:
        updates: dict[str, bool] = {}
        enabling = [*(layer.select or ()), *layer.extend_select]
        for specificity in sorted({len(s) for s in [*enabling, *layer.ignore]}):
            # Less specific first, so a more specific selector overrides it;
            # at one specificity an ignore comes last and wins.
            for code in all_codes:
                if any(len(s) == specificity and code.startswith(s) for s in enabling):
                    updates[code] = True
            for code in all_codes:
                if any(len(s) == specificity and code.startswith(s) for s in layer.ignore):
                    updates[code] = False
        if layer.select is not None:
            enabled = {code for code, on in updates.items() if on}
        else:
            enabled |= {code for code, on in updates.items() if on}
            enabled -= {code for code, on in updates.items() if not on}
    return frozenset(enabled)


def layer(select: Sequence[str] | None = None, ignore: Sequence[str] | None = None) -> Selection:
    """The layer of ``Cleaner(select=, ignore=)``: ``select=None`` keeps every rule."""
    return Selection(select=None if select is None else tuple(select), ignore=tuple(ignore or ()))


def select_rules(
    rules: Iterable[Rule],
    select: Sequence[str] | None = None,
    ignore: Sequence[str] | None = None,
    layers: Sequence[Selection] = (),
) -> list[Rule]:
    """Pick rules by code or code prefix, ruff style: the more specific prefix wins.

    ``select=None`` means every rule; an empty list selects none. ``layers``
    apply after ``select``/``ignore``, in order (see :func:`resolve`).
    """
    rules = list(rules)
    chosen = resolve((rule.code for rule in rules), [layer(select, ignore), *layers])
    return [rule for rule in rules if rule.code in chosen]


def unmatched(layers: Iterable[Selection], codes: Sequence[str]) -> list[tuple[str, str]]:
    """The (selector, where it was written) no code starts with: typos, to report."""
    return [
        (selector, origin)
        for selection in layers
        for selector, origin in selection.selectors()
        if not any(code.startswith(selector) for code in codes)
    ]
