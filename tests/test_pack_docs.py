"""The packs read like documentation, and what they say about themselves is true.

Every shipped rule says what it does (``description``) and why that is debris
(``why``) in English; the header comment of each language pack states its code
prefix and name families, and the section comments of the English pack its code
ranges, as the rules really are; each directory of ``rules/`` is named after the
code family of its rules.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

import pytest

from cleaner.loader import default_rules_dir, load_rules

RULES = default_rules_dir()
STOPLISTS = RULES / "body" / "stoplists"
#: Quoted examples (in any language) and parenthesised glosses are not the prose.
QUOTED = re.compile(r"`[^`]*`|'[^'\n]*'(?!\w)|\"[^\"]*\"|\([^)]*\)")
#: English running text is some 40% function words; the five descriptions that were not in
#: English scored 2-12% on this measure, the English ones 17% and more.
MIN_ENGLISH_SHARE = 0.15


@cache
def english_stopwords() -> frozenset[str]:
    lines = (STOPLISTS / "en.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def english_share(text: str) -> float:
    words = re.findall(r"[^\W\d_]+", QUOTED.sub(" ", text).lower())
    return sum(w in english_stopwords() for w in words) / max(1, len(words))


SHIPPED = [rule for pack in load_rules() for rule in pack.rules]


@pytest.mark.parametrize("rule", SHIPPED, ids=lambda r: r.code)
def test_every_shipped_rule_says_what_and_why_in_english(rule):
    assert rule.why, f"{rule.code} has no why"
    for field in ("description", "why"):
        text = getattr(rule, field)
        share = english_share(text)
        assert share >= MIN_ENGLISH_SHARE, f"{rule.code} {field} is not English: {text[:80]!r}"
    assert rule.why != rule.description


def test_english_measure_tells_other_languages_apart():
    german = (
        "Ein Newsletter-Aufruf als Satz. Die Zeile braucht ein Stichwort der Familie und eine "
        "Aufforderung; Zitate bleiben, und nur die Ränder der Seite werden durchsucht."
    )
    english = (
        "A newsletter call to action written as a sentence. The line needs a keyword of the "
        "family and a call to action; quotes are kept, and only the edges of the page are searched."
    )
    assert english_share(german) < MIN_ENGLISH_SHARE <= english_share(english)


# --- header comments ---------------------------------------------------------------------

LANGUAGE_PACKS = sorted(p for p in (RULES / "boilerplate").glob("*.toml") if len(p.stem) == 2)
HEADER_CODES = re.compile(r'^# Codes: (\w+) \+ 3 digits\. Names: .*then "-(\w+)";$', re.M)


def header(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("\n[pack]", 1)[0]


@pytest.mark.parametrize("path", [p for p in LANGUAGE_PACKS if p.stem != "en"], ids=str)
def test_language_pack_header_states_its_codes_and_families(path):
    text = header(path)
    m = HEADER_CODES.search(text)
    assert m, f"{path.name}: no '# Codes: PREFIX + 3 digits. Names: ...' line"
    prefix, suffix = m.groups()
    listing = text[text.index("# the families:") :].split("# Every rule", 1)[0]
    families = re.findall(r"[a-z]+(?:-[a-z]+)*", listing.replace("# the families:", ""))
    rules = tomllib.loads(path.read_text(encoding="utf-8"))["rule"]
    for rule in rules:
        assert re.fullmatch(prefix + r"\d{3}", rule["code"]), rule["code"]
        assert rule["name"].endswith("-" + suffix), rule["name"]
        assert any(rule["name"].startswith(f + "-") for f in families), rule["name"]
    for family in families:
        assert any(r["name"].startswith(family + "-") for r in rules), f"{family}: no rule"


def test_english_pack_sections_state_their_code_ranges():
    """``# --- BP2xx: ...`` sections hold exactly the BP2nn rules, and the header names them."""
    path = RULES / "boilerplate" / "en.toml"
    text = path.read_text(encoding="utf-8")
    section = None
    seen = set()
    for line in text.splitlines():
        m = re.match(r"# --- (BP\d)xx:", line)
        if m:
            section = m.group(1)
            seen.add(section)
        code = re.match(r'code = "(\w+)"', line)
        if code:
            assert section and code.group(1).startswith(section), (code.group(1), section)
    stated = set(re.findall(r"(BP\d)xx", header(path)))
    assert stated == seen


# --- directories and code families -------------------------------------------------------


def abbreviates(prefix: str, name: str) -> bool:
    """``BD`` abbreviates ``body``: its first letter starts the name, the rest follow in order."""
    letters = prefix.lower()
    if not name.startswith(letters[0]):
        return False
    rest = iter(name[1:])
    return all(ch in rest for ch in letters[1:])


def test_abbreviation_rule():
    assert abbreviates("ND", "near-duplicates") and abbreviates("WS", "whitespace")
    assert not abbreviates("ND", "duplicates") and not abbreviates("MJ", "encoding")


def test_every_rules_directory_is_named_after_its_code_family():
    families: dict[str, set[str]] = {}
    for pack in load_rules():
        directory = Path(pack.path).parent.relative_to(RULES).parts[0]
        families.setdefault(directory, set()).update(rule.code[:2] for rule in pack.rules)
    for directory, prefixes in families.items():
        assert len(prefixes) == 1, f"rules/{directory} mixes code families {sorted(prefixes)}"
        (prefix,) = prefixes
        assert abbreviates(prefix, directory), f"rules/{directory} holds {prefix} rules"
    owners = [next(iter(p)) for p in families.values()]
    assert len(owners) == len(set(owners)), "a code family is spread over directories"


# --- long patterns ------------------------------------------------------------------------

#: The parameters whose patterns the kinds compile with their own flags scoped
#: (:func:`cleaner.matching.scoped`), so a leading ``(?x)`` stays theirs.
VERBOSE_ABLE = {
    "line-drop": ("pattern",),
    "block-drop": ("start", "confirm", "line_pattern"),
    "pattern-replace": ("pattern",),
}
LONG = 120
#: The longest line a verbose pattern may have (a class or a run that cannot be split).
MAX_LINE = 160


@pytest.mark.parametrize("rule", SHIPPED, ids=lambda r: r.code)
def test_long_patterns_are_verbose(rule):
    """A pattern over 120 characters is a (?x) pattern laid out over lines, except one that
    must start with a run of white space (pattern-replace anchors such runs, which only the
    pattern's first characters tell)."""
    from cleaner.kinds.pattern_replace import _LEADING_RUN

    for key in VERBOSE_ABLE.get(rule.kind, ()):
        value = getattr(rule.params, key) or ""
        if rule.kind == "pattern-replace" and _LEADING_RUN.match(value):
            continue
        if re.match(r"\(\?[a-z]*x[a-z]*\)\n", value):
            longest = max(len(line) for line in value.splitlines())
            assert longest <= MAX_LINE, f"{rule.code} {key}: a line of {longest} characters"
        else:
            assert len(value) <= LONG, f"{rule.code} {key}: {len(value)} characters on one line"
