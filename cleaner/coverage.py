"""Rule coverage over a corpus: ``clean-articles rules --coverage CORPUS``.

Runs the cleaner over every article of CORPUS without writing anything and
counts, per rule, how often it fired (applied edits and findings: display
rules, unsafe fixes not applied, edits the damage guard withheld) and in how
many documents. Rules that never fire are listed: dead patterns, or a
corpus they do not apply to (language, source language, zone). Notes of the
engine (``DG001`` damage guard, ``RX001`` regex timeouts, ``IO`` decoding)
are counted apart, per document.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .api import Cleaner
from .changelog import Edit
from .rule import Rule
from .runner import clean_file

COVERAGE_FORMAT = "clean-articles-coverage"
COVERAGE_VERSION = 1


@dataclass
class Coverage:
    """Counts of one run over a corpus."""

    rules: Sequence[Rule]
    documents: int = 0
    failed: int = 0
    fired: Counter = field(default_factory=Counter)  # code -> edits + findings
    applied: Counter = field(default_factory=Counter)  # code -> applied edits
    files: Counter = field(default_factory=Counter)  # code -> documents it fired in
    notes: Counter = field(default_factory=Counter)  # note code -> documents

    @property
    def never_fired(self) -> list[Rule]:
        return [rule for rule in self.rules if not self.fired[rule.code]]


def measure(
    cleaner: Cleaner,
    files: Iterable[tuple[Path, str, str | None]],
    on_error: Callable[[Path, str], None] | None = None,
    lang: str | None = None,
) -> Coverage:
    """Clean every article in memory and count the rules of ``cleaner`` that fire."""
    coverage = Coverage(sorted(cleaner.rules, key=lambda r: r.code))
    for path, shown, problem in files:
        codes: set[str] = set()
        notes: set[str] = set()

        def count(edits: list[Edit], codes: set[str] = codes, notes: set[str] = notes) -> None:
            for edit in edits:
                if edit.is_note:
                    notes.add(edit.code)
                    continue
                codes.add(edit.code)
                coverage.fired[edit.code] += 1
                coverage.applied[edit.code] += edit.applied

        reason = problem
        if reason is None:
            run = clean_file(path, shown, cleaner, lang=lang, on_changes=count)
            reason = run.reason if run.failed else None
        if reason is not None:
            coverage.failed += 1
            if on_error is not None:
                on_error(path, reason)
            continue
        coverage.documents += 1
        coverage.files.update(codes)
        coverage.notes.update(notes)
    return coverage


def coverage_table(coverage: Coverage) -> str:
    """Per rule: code, name, firings, applied, documents; then the rules that never fired."""
    rows = [("code", "name", "fired", "applied", "documents")]
    for rule in coverage.rules:
        code = rule.code
        fired, applied, docs = coverage.fired[code], coverage.applied[code], coverage.files[code]
        rows.append((code, rule.name, str(fired), str(applied), str(docs)))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = [
        "  ".join(
            cell.rjust(width) if i >= 2 else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]
    never = coverage.never_fired
    lines.append("")
    lines.append(
        f"{coverage.documents} documents; {len(coverage.rules) - len(never)} of "
        f"{len(coverage.rules)} rules fired; never fired ({len(never)}):"
    )
    lines.extend(f"  {rule.code} {rule.name}" for rule in never)
    for code, docs in sorted(coverage.notes.items()):
        lines.append(f"note {code}: {docs} documents")
    return "\n".join(lines) + "\n"


def coverage_document(coverage: Coverage) -> dict:
    """The ``--json`` form: stable keys, one record per rule."""
    return {
        "format": COVERAGE_FORMAT,
        "version": COVERAGE_VERSION,
        "documents": coverage.documents,
        "failed": coverage.failed,
        "rules": [
            {
                "code": rule.code,
                "name": rule.name,
                "enabled": rule.enabled,
                "fired": coverage.fired[rule.code],
                "applied": coverage.applied[rule.code],
                "documents": coverage.files[rule.code],
            }
            for rule in coverage.rules
        ],
        "never_fired": [rule.code for rule in coverage.never_fired],
        "notes": dict(sorted(coverage.notes.items())),
    }
