"""Rule codes that were renumbered, and the codes they became (ruff's rule redirects).

Configurations, command lines and callers select rules by code, so a renumbered
rule keeps its old code as a redirect: selecting or ignoring the old code (or a
prefix that only old codes had, such as ``BP5``) selects or ignores the rules it
became, with a one-line deprecation warning (:class:`RedirectWarning`).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable

#: Old code -> new code. The English boilerplate pack's BP5xx appendix, folded into the
#: families BP1xx-BP4xx its rules belong to.
RENUMBERED: dict[str, str] = {
    "BP501": "BP410",
    "BP502": "BP411",
    "BP503": "BP412",
    "BP504": "BP106",
    "BP505": "BP207",
    "BP506": "BP208",
    "BP507": "BP107",
    "BP508": "BP413",
    "BP509": "BP414",
    "BP510": "BP209",
    "BP511": "BP210",
    "BP512": "BP415",
    "BP513": "BP416",
    "BP514": "BP211",
    "BP515": "BP417",
    "BP516": "BP307",
    "BP517": "BP212",
    "BP518": "BP108",
    "BP519": "BP213",
    "BP520": "BP214",
}

#: Prefixes that selected only renumbered codes: they select what those codes became.
RETIRED_PREFIXES = ("BP5", "BP50", "BP51", "BP52")


class RedirectWarning(FutureWarning):
    """A selector used a rule code that was renumbered; it selected the new code."""


def targets(selector: str) -> tuple[str, ...] | None:
    """The codes an old code or retired prefix stands for now; ``None`` for any other."""
    if selector in RENUMBERED:
        return (RENUMBERED[selector],)
    if selector in RETIRED_PREFIXES:
        return tuple(sorted(new for old, new in RENUMBERED.items() if old.startswith(selector)))
    return None


def redirect(selectors: Iterable[str], origin: str = "") -> tuple[str, ...]:
    """``selectors`` with old codes replaced by their new ones, warning once for each."""
    result: list[str] = []
    for selector in selectors:
        new = targets(selector)
        if new is None:
            result.append(selector)
            continue
        where = f"{origin}: " if origin else ""
        warnings.warn(
            f"{where}{selector} has been renumbered to {', '.join(new)}; "
            f"select {', '.join(new)} instead",
            RedirectWarning,
            stacklevel=2,
        )
        result.extend(new)
    return tuple(result)
