"""Command line: ``clean-articles IN OUT``, linter modes and rule tooling.

Modes:

- ``clean-articles IN OUT`` mirrors IN (a file or a directory tree) into OUT
  with every article cleaned, and writes the change log under
  ``OUT/.clean-articles/``: ``changes.jsonl`` (one JSON record per change or
  finding), ``files.jsonl`` (one record per file: status, encoding, line
  endings, SHA-256 in and out; see :mod:`cleaner.runner`) and
  ``changes.diff`` (one unified diff per changed file). The log directory is
  hidden and holds no article-like files, so a glob of OUT for articles does
  not pick it up. ``clean-articles revert OUT RESTORED`` gives the inputs
  back from it, byte for byte (:mod:`cleaner.restore`).
- ``clean-articles --fix PATH...`` cleans files in place (atomically, CRLF
  kept) and prints what changed; nothing else is written into the tree.
- ``clean-articles --check PATH...`` writes nothing and lists what would
  change; ``--diff`` prints the unified diff instead. Both exit 1 when
  something would change, as ``ruff format --check/--diff`` do.
- Subcommands: ``rules`` (list or ``--json`` export; ``--coverage CORPUS``:
  how often each rule fires, :mod:`cleaner.coverage`), ``rule CODE`` (docs and
  examples), ``test-rules PATH...`` (run a pack's examples), ``revert``,
  ``suggest CORPUS`` (candidate rules mined from a corpus, :mod:`cleaner.suggest`).
- ``--report report.html`` with any cleaning mode also writes the HTML report
  (:mod:`cleaner.report`).

Every file is read by :mod:`cleaner.runner`: one that cannot be cleaned
(binary, undecodable, a FIFO, a symlink out of IN, a line too long) is named
on stderr with the reason and counted as failed (exit 1) while the others go
on; every output is written through a temporary file and renamed.

A first argument that names a subcommand is that subcommand, unless it is
also an existing path and the rest of the command line does not fit the
subcommand: ``clean-articles rules OUT`` still mirrors a directory named
``rules`` (the ``rules`` subcommand takes no path). ``./rules`` always means
the path.

Settings come from the command line and from the nearest configuration file
of each article (see :mod:`cleaner.config`). Everything is resolved before
anything is written, so a configuration or rule-pack error (exit 2) leaves
the files untouched.

Where things are: :mod:`.parser` (the command line's grammar), :mod:`.plan` (jobs,
discovery, the checks on IN, OUT and each destination), :mod:`.driver` (the one run
loop: executor results counted, reported and logged), :mod:`.entry` (``main``: the
subcommand or the cleaning command line, exit codes) and one module per subcommand
under :mod:`.commands`.
"""

from __future__ import annotations

from ..discovery import lint_targets
from .entry import main
from .parser import EXIT_FAILED, EXIT_OK, EXIT_USAGE, build_parser
from .plan import plan, read_article

__all__ = [
    "EXIT_FAILED",
    "EXIT_OK",
    "EXIT_USAGE",
    "build_parser",
    "lint_targets",
    "main",
    "plan",
    "read_article",
]
