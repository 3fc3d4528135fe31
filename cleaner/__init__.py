"""clean-articles: repair scraping and machine-translation debris in news articles.

The public API (kept small and stable)::

    from cleaner import Cleaner
    result = Cleaner().clean(text)
    result.text       # the cleaned text
    result.edits      # every applied change, with rule code, position, before/after
    result.findings   # what report-only and not-enabled unsafe rules found
    result.notes      # Notes: damage guard (DG001) and regex timeouts (RX001), if any

    revert(result.text, result.edits) == text      # always
    revert_output(out_dir, restored_dir)           # an IN OUT run's inputs, byte for byte

A :class:`Cleaner` is thread-safe and picklable (it travels as its packs and
options), so worker processes, Ray actors and datatrove tasks each build it
once: see :mod:`cleaner.integrations.ray` and :mod:`cleaner.integrations.datatrove`.
Edits serialise with :meth:`Edit.to_json` / :meth:`Edit.from_json`.
"""

from .api import Cleaner
from .changelog import Edit, Note, revert
from .engine import CleanResult
from .guard import Safeguards
from .loader import Pack, RuleFileError, load_rules
from .restore import revert_output
from .rule import Rule, Safety
from .selection import select_rules

__version__ = "0.1.0"

__all__ = [
    "CleanResult",
    "Cleaner",
    "Edit",
    "Note",
    "Pack",
    "Rule",
    "RuleFileError",
    "Safeguards",
    "Safety",
    "__version__",
    "load_rules",
    "revert",
    "revert_output",
    "select_rules",
]
