"""Rule suggestions mined from a corpus: ``clean-articles suggest CORPUS -o rules.toml``.

The corpus is counted by :mod:`cleaner.sitestats` (a line that repeats
across many articles of one site is page chrome, not news). Each candidate
becomes a ``line-drop`` rule in pack TOML: an anchored pattern built from the
normalised line (words escaped, digits ``\\d+``, punctuation and spacing
``[^\\w\\n]+``), ``ignore_case``, the zone the line was seen in, ``fix``
examples cut from the corpus (the line with its neighbour line) and ``keep``
look-alikes (the line inside a longer sentence), with comments giving the hit
counts and shares. Every rule is written with ``enabled = false``: a person
reviews it and enables it; the examples are checked here with the same code as
``test-rules``, and a candidate whose examples do not hold is left out (listed
in a comment). Candidates the loaded rules already remove are listed as
comments, not rules.

Everything is deterministic: files are read in sorted order and ties are
broken by the normalised text.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from . import language
from .api import Cleaner
from .engine import Engine
from .examples import EXAMPLE_SAFEGUARDS, check_rule, layout_rules
from .kinds import KINDS, line_drop
from .rule import FixExample, Rule, Safety
from .sitestats import (  # noqa: F401  (the command line's defaults)
    MAX_LINE_CHARS,
    MIN_DOCS,
    MIN_SHARE,
    PREFIX_EDGE_SHARE,
    Candidate,
    Corpus,
    Example,
    Stat,
    Thresholds,
    candidates,
    mine,
)

CODE_PREFIX = "SG"
#: Why a suggested rule's line is debris (its ``why``).
WHY = "A line repeated across a site's articles is page chrome, not news."
#: Share of occurrences in one zone for a rule to be limited to it.
ZONE_SHARE = 0.9
MAX_RULES = 999  # three-digit codes: no code starts another
_SLUG = re.compile(r"[^a-z0-9]+")
SEPARATOR = r"[^\w\n]+"
EDGE = r"[^\w\n]*"


@dataclass
class Suggestion:
    """A candidate turned into a rule, or the reason it was not."""

    candidate: Candidate
    rule: Rule | None = None
    toml: str = ""
    covered_by: tuple[str, ...] = ()
    problem: str = ""


# --- candidates to rules ----------------------------------------------------------------


def pattern_for(candidate: Candidate) -> str:
    """The line-drop pattern: the normalised words, digits generalised, separators folded.

    The kind anchors it to the whole line; ``ignore_case`` covers the lower-casing.
    A prefix family's pattern takes any rest of the line after a non-word
    character, up to twice the longest line seen (a paragraph starting with
    the same words is not dropped).
    """
    words = SEPARATOR.join(_word_pattern(token) for token in candidate.key.split())
    if not candidate.prefix:
        return f"{EDGE}{words}{EDGE}"
    room = min(2 * MAX_LINE_CHARS, max(80, 2 * candidate.stat.longest))
    return f"{EDGE}{words}(?![^\\W_])[^\\n]{{0,{room}}}"


def _word_pattern(token: str) -> str:
    return r"\d+".join(re.escape(part) for part in token.split("0"))


def zone_for(stat: Stat) -> str:
    """The zone a rule is limited to: where (nearly) all its occurrences were."""
    if stat.head >= ZONE_SHARE * stat.docs:
        return "head"
    if stat.tail >= ZONE_SHARE * stat.docs:
        return "tail"
    if stat.edge >= ZONE_SHARE * stat.docs or stat.edge >= PREFIX_EDGE_SHARE * stat.docs:
        return "edges"
    return "any"


def _slug(key: str) -> str:
    slug = _SLUG.sub("-", key.replace("0", "n")).strip("-")
    return "-".join(slug.split("-")[:5]) or "line"


def _keeps(example: str) -> list[str]:
    """Look-alikes: the line inside longer sentences, which a line rule must leave alone."""
    return [
        f"Editors said the words '{example}' were shown above the story.",
        f"Readers who saw «{example}» on the page asked what it meant.",
    ]


def build_rule(candidate: Candidate, code: str, layout: Sequence[Rule]) -> Suggestion:
    """Turn a candidate into a (disabled) rule with examples; ``problem`` when they fail."""
    stat = candidate.stat
    common = stat.variants.most_common(1)[0][0] if stat.variants else candidate.key
    zone = zone_for(stat)
    what = (
        f"lines starting '{_shown_prefix(common, candidate.key)}' with a varying rest"
        if candidate.prefix
        else f"the line '{common}'"
    )
    description = (
        f"Suggested from a corpus: {what}, in {stat.docs} documents "
        f"({_sites_label(candidate)}), {_zone_label(stat)}. Review the examples, then set "
        "enabled = true."
    )
    params = line_drop.Params(pattern=pattern_for(candidate), ignore_case=True, zone=zone)
    safety = Safety.UNSAFE if candidate.prefix else Safety.SAFE
    rule = Rule(
        code=code,
        name=f"{code.lower()}-{_slug(candidate.key)}",
        kind="line-drop",
        description=description,
        languages=("*",),
        safety=safety,
        params=params,
        pack="suggested",
        origin=f"suggested:{code}",
        enabled=False,
        why=WHY,
    )
    KINDS["line-drop"].check(rule)
    fixes = _fixes(rule, stat.examples, layout)
    if not fixes:
        return Suggestion(candidate, problem="no corpus example the rule fixes cleanly")
    keeps = [k for k in _keeps(common) if not _fires(rule, k)]
    if not keeps:
        return Suggestion(candidate, problem="every look-alike is dropped too")
    rule = dataclasses.replace(rule, fixes=tuple(fixes), keeps=tuple(keeps))
    problems = check_rule(rule, layout)
    if problems:
        return Suggestion(candidate, problem=problems[0])
    return Suggestion(candidate, rule=rule, toml=_toml(rule, params, candidate))


def _shown_prefix(line: str, key: str) -> str:
    """The first words of an original line, as many as the prefix key has."""
    words = len(key.split())
    found = re.match(rf"\W*(?:\w+\W+){{{words - 1}}}\w+", line)
    return found.group(0).strip() if found else key


def _fixes(rule: Rule, examples: Sequence[Example], layout: Sequence[Rule]) -> list[FixExample]:
    engine = Engine(
        [dataclasses.replace(rule, safety=Safety.SAFE), *layout], safeguards=EXAMPLE_SAFEGUARDS
    )
    fixes: list[FixExample] = []
    for example in examples:
        if example.neighbour_after:
            text = f"{example.line}\n{example.neighbour}\n"
        else:
            text = f"{example.neighbour}\n{example.line}\n"
        result = engine.clean(text)
        dropped = [e for e in result.edits if e.code == rule.code]
        # The example shows the line going and its neighbour staying, nothing more.
        if (
            len(dropped) == 1
            and dropped[0].before.strip() == example.line
            and example.neighbour in result.text
            and all(f.input != text for f in fixes)
        ):
            fixes.append(FixExample(text, result.text))
        if len(fixes) == 2:
            break
    return fixes


def _fires(rule: Rule, text: str) -> bool:
    engine = Engine([dataclasses.replace(rule, safety=Safety.SAFE)], safeguards=EXAMPLE_SAFEGUARDS)
    return any(e.code == rule.code for e in engine.clean(text).edits)


def _sites_label(candidate: Candidate) -> str:
    parts = []
    for site, (docs, total) in sorted(candidate.sites.items(), key=lambda s: (-s[1][0], s[0])):
        parts.append(f"{docs} of {total} in {site or '(top level)'}")
    if len(parts) > 4:
        parts = [*parts[:4], f"{len(parts) - 4} more sites"]
    return "; ".join(parts)


def _zone_label(stat: Stat) -> str:
    return (
        f"{_percent(stat.head, stat.docs)} in the head zone, "
        f"{_percent(stat.tail, stat.docs)} in the tail zone"
    )


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "0%"


# --- TOML ---------------------------------------------------------------------------------


def toml_string(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's, except DEL, which TOML wants escaped)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_pattern(pattern: str) -> str:
    """A literal string when it can be one (readable regexes), else a basic string."""
    if "'" not in pattern and "\n" not in pattern and "\x7f" not in pattern:
        return f"'{pattern}'"
    return toml_string(pattern)


def _param_lines(params: line_drop.Params) -> list[str]:
    """``key = value`` for each parameter that differs from the kind's default."""
    lines = []
    for key, spec in KINDS["line-drop"].specs.items():
        value = getattr(params, key)
        if spec.required or value != spec.default:
            if key == "pattern":
                shown = _toml_pattern(value)
            elif isinstance(value, bool):
                shown = "true" if value else "false"
            elif isinstance(value, str):
                shown = toml_string(value)
            else:
                shown = str(value)
            lines.append(f"{key} = {shown}")
    return lines


def _toml(rule: Rule, params: line_drop.Params, candidate: Candidate) -> str:
    stat = candidate.stat
    spellings = ", ".join(toml_string(v) for v, _n in stat.variants.most_common(3))
    lines = [
        f"# {stat.docs} documents: {_sites_label(candidate)}.",
        f"# {_zone_label(stat)}; {len(stat.variants)} spelling(s), e.g. {spellings}.",
    ]
    if candidate.prefix:
        lines.append(
            f"# Prefix family: {len(stat.remainders)}+ different rests after the same words."
        )
    lines += [
        "[[rule]]",
        f"code = {toml_string(rule.code)}",
        f"name = {toml_string(rule.name)}",
        'kind = "line-drop"',
        f"description = {toml_string(rule.description)}",
        f"why = {toml_string(rule.why)}",
        f"safety = {toml_string(rule.safety.value)}",
        "enabled = false",
        *_param_lines(params),
        f"keep = [{', '.join(toml_string(k) for k in rule.keeps)}]",
    ]
    for fix in rule.fixes:
        lines += [
            "[[rule.fix]]",
            f"input = {toml_string(fix.input)}",
            f"output = {toml_string(fix.output)}",
        ]
    return "\n".join(lines) + "\n"


@dataclass
class Report:
    """The outcome of ``suggest``: the pack text and what went into it."""

    toml: str
    rules: list[Suggestion]
    covered: list[Suggestion]
    rejected: list[Suggestion]
    corpus: Corpus


def suggest(
    corpus: Corpus,
    *,
    thresholds: Thresholds | None = None,
    existing: Cleaner | None = None,
    lang: str | None = None,
    prefix: str = CODE_PREFIX,
    source: str = "",
) -> Report:
    """Rules for the corpus's candidates, as one pack (every rule disabled).

    ``existing``: the rules already in use; a candidate they remove is listed
    as covered instead of suggested. ``lang`` is the corpus language for that
    check (default: detected per site from its first articles).
    """
    layout = layout_rules()
    site_langs = {
        site: lang or language.detect("\n".join(texts)) for site, texts in corpus.samples.items()
    }
    rules: list[Suggestion] = []
    covered: list[Suggestion] = []
    rejected: list[Suggestion] = []
    for candidate in candidates(corpus, thresholds):
        if len(rules) >= MAX_RULES:
            break
        codes = _covered_by(candidate, existing, site_langs)
        if codes:
            covered.append(Suggestion(candidate, covered_by=codes))
            continue
        suggestion = build_rule(candidate, f"{prefix}{len(rules) + 1:03d}", layout)
        (rules if suggestion.rule is not None else rejected).append(suggestion)
    return Report(_pack(rules, covered, rejected, corpus, source), rules, covered, rejected, corpus)


def _covered_by(
    candidate: Candidate, existing: Cleaner | None, site_langs: dict[str, str | None]
) -> tuple[str, ...]:
    """Codes of the loaded rules that already drop this candidate's example lines."""
    if existing is None or not candidate.stat.examples:
        return ()
    site = max(candidate.sites, key=lambda s: (candidate.sites[s][0], s))
    for example in candidate.stat.examples:
        if example.neighbour_after:
            text = f"{example.line}\n{example.neighbour}\n"
        else:
            text = f"{example.neighbour}\n{example.line}\n"
        result = existing.clean(text, lang=site_langs.get(site), source_lang="none")
        codes = {e.code for e in result.edits if example.line in e.before}
        if not codes:
            return ()
    return tuple(sorted(codes))


def _pack(
    rules: list[Suggestion],
    covered: list[Suggestion],
    rejected: list[Suggestion],
    corpus: Corpus,
    source: str,
) -> str:
    header = [
        "# Rules suggested by `clean-articles suggest` from "
        f"{corpus.documents} documents in {len(corpus.sites)} site(s){source}.",
        "# Every rule is disabled (enabled = false): review the pattern, the zone and the",
        "# examples, then enable the ones that are page chrome. `clean-articles test-rules`",
        "# runs the examples; `clean-articles rules --coverage CORPUS --rules THIS",
        "# --include-disabled` shows how often each would fire.",
    ]
    if covered:
        header.append("#")
        header.append("# Already removed by the loaded rules (not suggested):")
        for item in covered:
            common = item.candidate.stat.variants.most_common(1)[0][0]
            header.append(
                f"#   {toml_string(common)} ({item.candidate.stat.docs} documents): "
                f"{', '.join(item.covered_by)}"
            )
    if rejected:
        header.append("#")
        header.append("# Candidates left out because their examples did not hold:")
        for item in rejected:
            common = item.candidate.stat.variants.most_common(1)[0][0]
            header.append(f"#   {toml_string(common)}: {item.problem}")
    parts = [
        "\n".join(header),
        "[pack]\n"
        'name = "suggested"\n'
        'description = "Lines that repeat across the articles of a site (suggested, '
        'disabled until reviewed)."\n'
        'languages = ["*"]',
        *(item.toml for item in rules),
    ]
    return "\n\n".join(parts) + "\n"
