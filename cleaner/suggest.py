"""Rule suggestions mined from a corpus: ``clean-articles suggest CORPUS -o rules.toml``.

The best boilerplate rules come from the corpus itself: a line that repeats
across many articles of one site is page chrome, not news. This module reads
every article once and counts, per site, in how many documents each line
occurs, after normalising it:

- lower case; every run of digits becomes ``0`` (``source site-12`` and
  ``source site-3`` are one line); every run of punctuation and spacing
  becomes one space, stripped at the ends (``— 3 min read —`` is ``0 min read``).

**Site.** The top-level directory of the corpus an article lies in
(``CORPUS/site-a/2024/x.txt`` belongs to ``site-a``); articles directly in
CORPUS form one site of their own. Shares are taken within a site, so a
small site's boilerplate is not drowned by a large site's articles.

Two families of candidates are kept:

- **Repeated lines**: a normalised line found in at least ``min_docs``
  documents and at least ``min_share`` of its site's documents. A long line
  that reads like prose (:func:`cleaner.document.is_prose`) in the middle of
  the text also needs half of the site's documents: a sentence quoted by a
  few articles is news, a disclaimer in every article is not.
- **Near-constant prefixes** (``Previous article <title>``): lines whose
  first 1-4 words are the same while the rest varies (at least
  a quarter of the lines have a rest of their own), found as often as a
  repeated line must be, mostly (80%) at the edges of the text (head or tail
  zone, as the rules see them: :class:`cleaner.document.Document`), mostly
  not ending like a sentence, and not starting with function words only
  ("The ...").

Each candidate becomes a ``line-drop`` rule in pack TOML: an anchored
pattern built from the normalised line (words escaped, digits ``\\d+``,
punctuation and spacing ``[^\\w\\n]+``), ``ignore_case``, the zone the line
was seen in, ``fix`` examples cut from the corpus (the line with its
neighbour line) and ``keep`` look-alikes (the line inside a longer
sentence), with comments giving the hit counts and shares. Every rule is
written with ``enabled = false``: a person reviews it and enables it; the
examples are checked here with the same code as ``test-rules``, and a
candidate whose examples do not hold is left out (listed in a comment).
Candidates the loaded rules already remove are listed as comments, not rules.

Everything is deterministic: files are read in sorted order and ties are
broken by the normalised text.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import language
from .api import Cleaner
from .document import Document, is_prose
from .engine import Engine
from .examples import EXAMPLE_SAFEGUARDS, check_rule, layout_rules
from .kinds import KINDS
from .rule import FixExample, Rule, Safety
from .textio import InputError, Reader, Source, sniff

#: Defaults of the command line (see the module docstring).
MIN_DOCS = 3
MIN_SHARE = 0.1
CODE_PREFIX = "SG"
#: Lines longer than this are paragraphs, not chrome: not counted.
MAX_LINE_CHARS = 300
#: Prefix families: the constant part has 1..4 words; longer lines are not titles.
PREFIX_WORDS = (1, 2, 3, 4)
PREFIX_MAX_LINE_WORDS = 30
#: Share of a prefix family's occurrences that must sit in the head or tail zone.
PREFIX_EDGE_SHARE = 0.8
#: At most this share of a prefix family's lines may end like a sentence.
PREFIX_SENTENCE_SHARE = 0.5
#: A prose-like repeated line in the body needs this share of its site's documents.
PROSE_SHARE = 0.5
#: Share of occurrences in one zone for a rule to be limited to it.
ZONE_SHARE = 0.9
#: Keep at most this many distinct spellings / remainders per candidate (memory bound).
MAX_VARIANTS = 64
MAX_RULES = 999  # three-digit codes: no code starts another

_DIGITS = re.compile(r"\d+")
_FOLD = re.compile(r"[^\w]+")
_LETTER = re.compile(r"[^\W\d_]")
_SLUG = re.compile(r"[^a-z0-9]+")
#: Function words a prefix family may not consist of alone ("The ...", "In the ...").
STOPWORDS = frozenset(
    """a an and are as at be but by de del der des die das du el en et for from he her his
    i il in is it its la las le les los of on or our she so than that the their them they
    this those to un una une und was we were what when which who will with you""".split()  # noqa: SIM905
)
SEPARATOR = r"[^\w\n]+"
EDGE = r"[^\w\n]*"

Reporter = Callable[[Path, str], None]


def normalise(line: str) -> str:
    """The form lines are compared in: lower case, digits ``0``, punctuation folded."""
    folded = _FOLD.sub(" ", _DIGITS.sub("0", line.lower()))
    return " ".join(folded.split())


def site_of(shown: str) -> str:
    """The site of an article named ``shown`` relative to the corpus: its top directory."""
    head, sep, _rest = shown.partition("/")
    return head if sep else ""


@dataclass
class Example:
    """One occurrence kept for the fix example: the line and a neighbour from its article."""

    line: str
    neighbour: str
    neighbour_after: bool  # the neighbour follows the line (the line is at the head)
    file: str


@dataclass
class Stat:
    """Counts of one normalised line (or prefix) in one site, one count per document."""

    docs: int = 0
    head: int = 0
    tail: int = 0
    edge: int = 0
    sentence: int = 0
    prose: int = 0
    words: int = 0
    longest: int = 0
    variants: Counter = field(default_factory=Counter)
    remainders: set[str] = field(default_factory=set)
    examples: list[Example] = field(default_factory=list)

    def add(self, other: Stat) -> None:
        for name in ("docs", "head", "tail", "edge", "sentence", "prose", "words"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.longest = max(self.longest, other.longest)
        self.variants.update(other.variants)
        self.remainders |= other.remainders
        self.examples.extend(other.examples)


@dataclass
class Candidate:
    """A line (``prefix`` false) or prefix family found often enough in some sites."""

    key: str
    prefix: bool
    stat: Stat
    sites: dict[str, tuple[int, int]]  # site -> (documents with it, documents of the site)

    @property
    def sort_key(self) -> tuple:
        return (-self.stat.docs, self.prefix, self.key)


@dataclass
class Suggestion:
    """A candidate turned into a rule, or the reason it was not."""

    candidate: Candidate
    rule: Rule | None = None
    toml: str = ""
    covered_by: tuple[str, ...] = ()
    problem: str = ""


@dataclass
class Corpus:
    """What mining read: documents per site, failures, and the counts."""

    sites: Counter = field(default_factory=Counter)
    failed: int = 0
    lines: dict[tuple[str, str], Stat] = field(default_factory=dict)
    prefixes: dict[tuple[str, str], Stat] = field(default_factory=dict)
    samples: dict[str, list[str]] = field(default_factory=dict)  # site -> texts for language

    @property
    def documents(self) -> int:
        return sum(self.sites.values())


def read_text(path: Path) -> str:
    """An article's text as the cleaner sees it (decoded, ``\\n`` line breaks)."""
    with Source(path) as source:
        sniffed = sniff(source)
        if sniffed.empty:
            return ""
        return "".join(piece.text for piece in Reader(source, sniffed).pieces())


def mine(files: Iterable[tuple[Path, str, str | None]], on_error: Reporter | None = None) -> Corpus:
    """Count lines and prefixes of every readable article; report the others and go on.

    ``files`` are (path, name relative to the corpus, problem found while listing).
    """
    corpus = Corpus()
    for path, shown, problem in files:
        if problem is None:
            try:
                text = read_text(path)
            except InputError as exc:
                problem = str(exc)
            except OSError as exc:
                problem = exc.strerror or str(exc)
        if problem is not None:
            corpus.failed += 1
            if on_error is not None:
                on_error(path, problem)
            continue
        site = site_of(shown)
        corpus.sites[site] += 1
        samples = corpus.samples.setdefault(site, [])
        if len(samples) < 3:
            samples.append(text[:4000])
        _count(corpus, site, shown, text)
    return corpus


def _count(corpus: Corpus, site: str, shown: str, text: str) -> None:
    doc = Document(text)
    lines = doc.lines
    nonblank = doc.nonblank
    seen: set[str] = set()
    seen_prefixes: set[str] = set()
    for position, index in enumerate(nonblank):
        raw = lines[index].strip()
        if len(raw) > MAX_LINE_CHARS:
            continue
        key = normalise(raw)
        if not key or not _LETTER.search(key):
            continue
        head, tail = index < doc.head_end, index >= doc.tail_start
        tokens = key.split()
        if key not in seen:
            seen.add(key)
            stat = corpus.lines.setdefault((site, key), Stat())
            _note(stat, raw, head, tail, len(tokens), doc, position, shown, len(raw))
        if len(tokens) > PREFIX_MAX_LINE_WORDS:
            continue
        for k in PREFIX_WORDS:
            if len(tokens) <= k:
                break
            prefix = " ".join(tokens[:k])
            if prefix in seen_prefixes:
                continue
            seen_prefixes.add(prefix)
            stat = corpus.prefixes.setdefault((site, prefix), Stat())
            _note(stat, raw, head, tail, len(tokens), doc, position, shown, len(raw))
            if len(stat.remainders) < MAX_VARIANTS:
                stat.remainders.add(" ".join(tokens[k:]))


def _note(
    stat: Stat,
    raw: str,
    head: bool,
    tail: bool,
    words: int,
    doc: Document,
    position: int,
    shown: str,
    length: int,
) -> None:
    stat.docs += 1
    stat.head += head
    stat.tail += tail
    stat.edge += head or tail
    stat.sentence += raw.rstrip()[-1:] in ".!?…"
    stat.prose += is_prose(raw)
    stat.words += words
    stat.longest = max(stat.longest, length)
    if raw in stat.variants or len(stat.variants) < MAX_VARIANTS:
        stat.variants[raw] += 1
    if len(stat.examples) < 3 and len(doc.nonblank) > 1:
        nonblank = doc.nonblank
        # The neighbour on the article's side: after a head line, before anything else.
        last = position + 1 == len(nonblank)
        after = position == 0 or (not last and head and not tail)
        neighbour = doc.lines[nonblank[position + 1 if after else position - 1]].strip()
        stat.examples.append(Example(raw, neighbour, after, shown))


# --- choosing candidates ----------------------------------------------------------------


@dataclass(frozen=True)
class Thresholds:
    min_docs: int = MIN_DOCS
    min_share: float = MIN_SHARE

    def frequent(self, docs: int, site_docs: int) -> bool:
        return docs >= self.min_docs and docs >= self.min_share * site_docs


def candidates(corpus: Corpus, thresholds: Thresholds | None = None) -> list[Candidate]:
    """The lines and prefix families worth a rule, merged across sites, most frequent first."""
    limits = thresholds or Thresholds()
    prefixes: dict[str, set[str]] = {}  # site -> chosen prefixes
    chosen: dict[tuple[bool, str], Candidate] = {}
    qualifying = {
        (site, key): stat
        for (site, key), stat in corpus.prefixes.items()
        if _prefix_ok(key, stat, corpus.sites[site], limits)
    }
    for (site, key), stat in qualifying.items():
        # A longer prefix that keeps nearly all of this family's documents is the family.
        superseded = any(
            other_site == site
            and other.startswith(key + " ")
            and other.count(" ") == key.count(" ") + 1
            and other_stat.docs >= 0.8 * stat.docs
            for (other_site, other), other_stat in qualifying.items()
        )
        if not superseded:
            prefixes.setdefault(site, set()).add(key)
    for site, keys in prefixes.items():
        # A family inside a shorter chosen family is that family again.
        keys -= {k for k in keys if any(k.startswith(p + " ") for p in keys)}
        for key in keys:
            _merge(chosen, True, key, site, corpus.prefixes[(site, key)], corpus.sites[site])
    for (site, key), stat in corpus.lines.items():
        site_docs = corpus.sites[site]
        if not limits.frequent(stat.docs, site_docs):
            continue
        sentences = max(stat.prose, stat.sentence)
        body_prose = sentences * 2 > stat.docs and stat.edge * 2 < stat.docs
        if body_prose and stat.docs < PROSE_SHARE * site_docs:
            continue  # a sentence some articles share: news, not chrome
        if any(key == p or key.startswith(p + " ") for p in prefixes.get(site, ())):
            continue  # the prefix family's rule drops it
        _merge(chosen, False, key, site, stat, site_docs)
    return sorted(chosen.values(), key=lambda c: c.sort_key)


def _prefix_ok(key: str, stat: Stat, site_docs: int, limits: Thresholds) -> bool:
    if not limits.frequent(stat.docs, site_docs) or not _LETTER.search(key):
        return False
    if all(word in STOPWORDS or not _LETTER.search(word) for word in key.split()):
        return False
    # A quarter: a title varies freely, a section name ('Filed under X desk') less so.
    varied = len(stat.remainders) >= max(limits.min_docs, stat.docs / 4)
    return (
        varied
        and stat.edge >= PREFIX_EDGE_SHARE * stat.docs
        and stat.sentence <= PREFIX_SENTENCE_SHARE * stat.docs
    )


def _merge(
    chosen: dict[tuple[bool, str], Candidate],
    prefix: bool,
    key: str,
    site: str,
    stat: Stat,
    site_docs: int,
) -> None:
    found = chosen.get((prefix, key))
    if found is None:
        chosen[(prefix, key)] = Candidate(key, prefix, dataclasses.replace(stat), {})
        chosen[(prefix, key)].stat.variants = Counter(stat.variants)
        chosen[(prefix, key)].stat.remainders = set(stat.remainders)
        chosen[(prefix, key)].stat.examples = list(stat.examples)
        found = chosen[(prefix, key)]
    else:
        found.stat.add(stat)
    found.sites[site] = (stat.docs, site_docs)


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
        f"({_sites_label(candidate)}), {_zone_label(stat)}. A line repeated across a "
        "site's articles is page chrome, not news. Review the examples, then set "
        "enabled = true."
    )
    params = {
        "pattern": pattern_for(candidate),
        "ignore_case": True,
        "zone": zone,
        "min_run": 1,
        "whole_block": False,
    }
    safety = Safety.UNSAFE if candidate.prefix else Safety.SAFE
    rule = Rule(
        code=code,
        name=f"{code.lower()}-{_slug(candidate.key)}",
        kind="line-drop",
        description=description,
        languages=("*",),
        safety=safety,
        params=dict(params),
        pack="suggested",
        origin=f"suggested:{code}",
        enabled=False,
    )
    KINDS["line-drop"].prepare(rule)
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


def _toml(rule: Rule, params: dict, candidate: Candidate) -> str:
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
        f"safety = {toml_string(rule.safety.value)}",
        "enabled = false",
        f"zone = {toml_string(params['zone'])}",
        "ignore_case = true",
        f"pattern = {_toml_pattern(params['pattern'])}",
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
