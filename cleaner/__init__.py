"""clean-articles: repair scraping and machine-translation debris in news articles.

The public API (kept small and stable)::

    from cleaner import Cleaner
    result = Cleaner().clean(text)
    result.text       # the cleaned text
    result.edits      # every applied change, with rule code, position, before/after
    result.findings   # what report-only and not-enabled unsafe rules found
"""

from .api import Cleaner, select_rules
from .changelog import Edit, revert
from .engine import CleanResult
from .loader import Pack, RuleFileError, load_rules
from .rule import Rule, Safety

__version__ = "0.1.0"

__all__ = [
    "CleanResult",
    "Cleaner",
    "Edit",
    "Pack",
    "Rule",
    "RuleFileError",
    "Safety",
    "__version__",
    "load_rules",
    "revert",
    "select_rules",
]
