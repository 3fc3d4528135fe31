"""What the command line prints: change listings, statistics, rule docs.

Progress is :mod:`cleaner.progress`.

Change listings (``--output-format``), one record per change or finding:

- ``text``: ``path:line:col: CODE name: 'before' -> 'after'``, ruff style;
  a finding whose fix was not applied says why in brackets;
- ``json``: one JSON array of :meth:`cleaner.changelog.Edit.to_json` records,
  each with a ``file`` field (the same records as ``changes.jsonl``);
- ``jsonl``: the same records, one per line;
- ``github``: GitHub workflow commands, ``::warning file=…,line=…,col=…,title=CODE
  name::message`` for changes and ``::notice`` for findings.

The rule export (``clean-articles rules --json``) is a stable document::

    {"format": "clean-articles-rules", "version": 1, "packs": [
      {"name", "description", "file", "languages", "source_langs", "evidence",
       "rules": [{"code", "name", "kind", "description", "why", "languages",
                  "source_langs", "safety", "parameters", "fixes", "keeps"}]}]}

``file`` is ``rules/<family>/<name>.toml`` for a shipped pack and the path as
given for others; ``evidence`` lists the pack's regex patterns; ``parameters``
are the kind's parameters with defaults filled in (a glossary's
``table_file`` is read and merged into ``table``, so the export stands
alone); ``fixes`` is a list of ``{"input", "output"}``. New fields may be
added within a version; a field is never renamed or removed without a new
version.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .changelog import Edit
from .loader import Pack, default_rules_dir
from .rule import Rule, Safety

OUTPUT_FORMATS = ("text", "json", "jsonl", "github")
RULES_FORMAT = "clean-articles-rules"
RULES_FORMAT_VERSION = 1
#: How much of a change's text a one-line listing shows.
SHOWN_CHARS = 60


@dataclass(frozen=True)
class Change:
    """One change or finding, and the file it is in (as the user named it)."""

    file: str
    edit: Edit


# --- change listings ----------------------------------------------------------------


def format_changes(changes: Sequence[Change], output_format: str) -> str:
    """The listing of ``changes`` in one of :data:`OUTPUT_FORMATS` ('' for none)."""
    if output_format == "json":
        return json.dumps([_record(c) for c in changes], ensure_ascii=False, indent=2) + "\n"
    line = {"text": text_line, "jsonl": jsonl_line, "github": github_line}[output_format]
    return "".join(line(c) + "\n" for c in changes)


def _record(change: Change) -> dict[str, Any]:
    return change.edit.to_json(change.file)


def jsonl_line(change: Change) -> str:
    return json.dumps(_record(change), ensure_ascii=False)


def text_line(change: Change) -> str:
    edit = change.edit
    return f"{change.file}:{edit.line}:{edit.column}: {edit.code} {edit.name}: {describe(edit)}"


def describe(edit: Edit) -> str:
    """What a change does, in one line: ``'before' -> 'after'``, or why it was not applied.

    A note about the whole file (damage guard, regex timeout, decoding) is its message.
    """
    if edit.is_note:
        return edit.message
    # Quoted from the input as it is on disk, even where an earlier pass changed it.
    before = shown(edit.original_text)
    change = f"{before} -> {shown(edit.after)}"
    if edit.applied:
        return change
    note = f": {edit.message}" if edit.message else ""
    if edit.safety == Safety.DISPLAY:
        return f"{before} [report only{note}]"
    if edit.safety == Safety.UNSAFE:
        return f"{change} [unsafe fix, not applied{note}; see --unsafe-fixes]"
    # A safe rule's finding: its kind could not make a trustworthy fix.
    return f"{before} [not fixed{note}]"


def shown(text: str) -> str:
    """A change's text quoted on one line (newlines and odd spaces visible), shortened."""
    if len(text) > SHOWN_CHARS:
        text = text[: SHOWN_CHARS - 1] + "…"
    return repr(text)


def github_line(change: Change) -> str:
    edit = change.edit
    level = "warning" if edit.applied else "notice"
    properties = ",".join(
        f"{key}={_github_escape(str(value), is_property=True)}"
        for key, value in (
            ("file", change.file),
            ("line", edit.line),
            ("col", edit.column),
            ("title", f"{edit.code} {edit.name}"),
        )
    )
    return f"::{level} {properties}::{_github_escape(describe(edit))}"


def _github_escape(value: str, *, is_property: bool = False) -> str:
    """Escape a workflow-command value (as @actions/core does)."""
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if is_property:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_rule_counts(counts: Counter, output_format: str) -> str:
    """``--statistics`` from (code, name, applied) -> count: fixes and findings per rule.

    Fixes are the changes made (or, for ``--check``, that ``--fix`` would make);
    findings are reported only (display rules, unsafe fixes not enabled, edits
    the damage guard withheld). Most frequent rule first.
    """
    rows: dict[tuple[str, str], list[int]] = {}
    for (code, name, applied), n in counts.items():
        rows.setdefault((code, name), [0, 0])[0 if applied else 1] += n
    ordered = sorted(rows.items(), key=lambda item: (-sum(item[1]), item[0][0]))
    if output_format in ("json", "jsonl"):
        records = [
            {"code": code, "name": name, "count": fixes + found, "fixes": fixes, "findings": found}
            for (code, name), (fixes, found) in ordered
        ]
        if output_format == "json":
            return json.dumps(records, indent=2) + "\n"
        return "".join(json.dumps(r) + "\n" for r in records)
    if not ordered:
        return ""
    table = [("fixes", "findings", "code", "name")]
    table += [(str(f), str(x), code, name) for (code, name), (f, x) in ordered]
    widths = [max(len(row[i]) for row in table) for i in range(3)]
    return "".join(
        f"{row[0]:>{widths[0]}}  {row[1]:>{widths[1]}}  {row[2]:<{widths[2]}}  {row[3]}\n"
        for row in table
    )


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """``1 file``, ``2 files``, ``0 files`` (``plural_form`` for irregular nouns)."""
    return f"{count} {noun if count == 1 else plural_form or noun + 's'}"


# --- rules: listing, documentation, export ------------------------------------------


RULES_TABLE_HEADER = ("code", "name", "kind", "safety", "languages")


def rules_table(rules: Sequence[Rule]) -> str:
    """A header, then one aligned line per rule: code, name, kind, safety, languages."""
    rows = [
        (r.code, r.name, r.kind, r.safety.value, languages_label(r) + _disabled_label(r))
        for r in rules
    ]
    if not rows:
        return ""
    rows.insert(0, RULES_TABLE_HEADER)
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row[:4], widths, strict=True))
        + f"  {row[4]}\n"
        for row in rows
    )


def _disabled_label(rule: Rule) -> str:
    return "" if rule.enabled else "  disabled (enabled = false: not run until enabled)"


def languages_label(rule: Rule) -> str:
    """``en``, ``*`` (any), or ``en from fr`` for a translation rule."""
    label = ",".join(rule.languages)
    if rule.source_langs:
        label += f" from {','.join(rule.source_langs)}"
    return label


def rule_page(rule: Rule) -> str:
    """A rule's documentation in Markdown, like ``ruff rule``."""
    lines = [
        f"# {rule.name} ({rule.code})",
        "",
        f"Pack: {rule.pack}. Kind: {rule.kind}. Safety: {_safety_label(rule.safety)}.",
        f"Languages: {languages_label(rule)}. Defined at {_origin_label(rule)}.",
        *([] if rule.enabled else ["Disabled: `enabled = false` in its pack; never run."]),
        "",
        "## What it does",
        "",
        rule.description,
        "",
        *(["## Why it is debris", "", rule.why, ""] if rule.why else []),
    ]
    parameters = public_parameters(rule)
    if parameters:
        lines += ["## Parameters", "", "```toml"]
        lines += [f"{key} = {_toml_value(value)}" for key, value in parameters.items()]
        lines += ["```", ""]
    lines += ["## Examples", ""]
    for n, example in enumerate(rule.fixes, 1):
        lines += [f"Fix {n}, input:", "", *_fenced(example.input), "Output:", ""]
        lines += _fenced(example.output)
    for n, text in enumerate(rule.keeps, 1):
        lines += [f"Left alone ({n}):", "", *_fenced(text)]
    return "\n".join(lines).rstrip("\n") + "\n"


def _origin_label(rule: Rule) -> str:
    path, _, line = rule.origin.rpartition(":")
    return f"{path_label(path)}:{line}"


def _safety_label(safety: Safety) -> str:
    return {
        Safety.SAFE: "safe (applied by default)",
        Safety.UNSAFE: "unsafe (applied with --unsafe-fixes)",
        Safety.DISPLAY: "display (reported, never applied)",
    }[safety]


def _fenced(text: str) -> list[str]:
    # A final newline is how a file ends, not an empty line to show.
    return ["```text", *text.removesuffix("\n").split("\n"), "```", ""]


def _toml_value(value: Any) -> str:
    if isinstance(value, dict) and len(value) > 8:
        return f"{{ … {len(value)} entries }}"
    if isinstance(value, str) and "\n" in value and "'''" not in value:
        # A (?x) pattern as its pack writes it, one alternative a line.
        return f"'''\n{value}'''"
    return json.dumps(value, ensure_ascii=False)


def public_parameters(rule: Rule) -> dict[str, Any]:
    """The rule's kind parameters by name; table files inlined."""
    params = {f.name: getattr(rule.params, f.name) for f in dataclasses.fields(rule.params)}
    if params.get("table_file"):
        from .kinds.glossary import read_table_file

        table = dict(params.get("table") or {})
        table.update(read_table_file(rule.directory, params["table_file"]))
        params["table"] = table
        del params["table_file"]
    return params


def rules_document(packs: Sequence[Pack], selected: set[str] | None = None) -> dict[str, Any]:
    """The stable JSON export of ``packs`` (only the ``selected`` codes, when given)."""
    records = []
    for pack in packs:
        rules = [r for r in pack.rules if selected is None or r.code in selected]
        if rules or selected is None:
            records.append(_pack_record(pack, rules))
    return {"format": RULES_FORMAT, "version": RULES_FORMAT_VERSION, "packs": records}


def _pack_record(pack: Pack, rules: Sequence[Rule]) -> dict[str, Any]:
    return {
        "name": pack.name,
        "description": pack.description,
        "file": path_label(pack.path),
        "languages": list(pack.languages),
        "source_langs": list(pack.source_langs),
        "evidence": [pattern.pattern for pattern in pack.evidence],
        "rules": [_rule_record(rule) for rule in rules],
    }


def _rule_record(rule: Rule) -> dict[str, Any]:
    return {
        "code": rule.code,
        "name": rule.name,
        "kind": rule.kind,
        "description": rule.description,
        "why": rule.why,
        "languages": list(rule.languages),
        "source_langs": list(rule.source_langs),
        "safety": rule.safety.value,
        "enabled": rule.enabled,
        "parameters": public_parameters(rule),
        "fixes": [{"input": f.input, "output": f.output} for f in rule.fixes],
        "keeps": list(rule.keeps),
    }


def path_label(pack_path: str) -> str:
    """``rules/…`` for a shipped pack (the same wherever it is installed), else the path."""
    shipped = default_rules_dir().resolve()
    path = Path(pack_path).resolve()
    if shipped in path.parents:
        return "rules/" + path.relative_to(shipped).as_posix()
    return pack_path
