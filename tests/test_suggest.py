"""``clean-articles suggest``: rules mined from a corpus with planted site boilerplate.

The corpus is generated (seeded): several sites, each with its own header and
footer lines (some with varying numbers or titles), article bodies made of
varied sentences, and sentences that repeat in exactly two articles, which
must not be proposed.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from cleaner import Cleaner, Safeguards
from cleaner.cli import main
from cleaner.loader import load_pack
from cleaner.sitestats import normalise, site_of
from cleaner.suggest import pattern_for

SUBJECTS = [
    "The finance minister", "Local farmers", "A coalition of unions", "The city council",
    "Researchers at the university", "The central bank", "Opposition lawmakers",
    "The port authority", "Several hospitals", "The football federation", "Train drivers",
    "The energy regulator", "Residents of the old quarter", "The supreme court",
]  # fmt: skip
VERBS = [
    "announced", "rejected", "postponed", "criticised", "approved", "questioned",
    "welcomed", "defended", "examined", "proposed",
]  # fmt: skip
OBJECTS = [
    "a new budget plan", "the disputed reform", "tighter water rules", "an emergency fund",
    "the merger of two regional lines", "a ban on night flights", "higher import duties",
    "the long-delayed bridge project", "a review of pension rules", "cheaper rail fares",
    "a pilot scheme for rural clinics", "the proposed wage increase",
]  # fmt: skip
TAILS = [
    "on Monday", "after weeks of talks", "despite strong protests", "in a late-night vote",
    "according to officials", "ahead of the elections", "for the second time this year",
    "without giving details", "amid rising prices", "in a short statement",
]  # fmt: skip
TITLE_WORDS = [
    "storm", "budget", "election", "harbour", "strike", "vaccine", "border", "festival",
    "court", "bridge", "market", "river", "school", "tariff", "summit", "drought",
]  # fmt: skip


@dataclass
class Family:
    """A planted boilerplate family: how to make a line, where it goes, how often."""

    site: str
    make: object  # Callable[[random.Random], str]
    where: str  # head | tail
    share: float


def _title(rng: random.Random) -> str:
    words = rng.sample(TITLE_WORDS, rng.randint(3, 6))
    return " ".join(words).capitalize() + rng.choice(["", " as talks resume", " in focus"])


FAMILIES = [
    # Classic chrome the shipped rules already know (suggest lists it as covered) ...
    Family("site-a", lambda r: f"{r.randint(2, 15)} min read", "head", 0.8),
    Family("site-a", lambda r: f"Previous article {_title(r)}", "tail", 0.9),
    Family("site-b", lambda r: f"source site-{r.randint(1, 99)}", "tail", 0.6),
    # ... and site-specific lines no shipped rule knows, which only mining finds.
    Family("site-a", lambda r: "Harbour Times newsroom, tips welcome", "tail", 0.7),
    Family("site-b", lambda r: f"Filed under {r.choice(TITLE_WORDS)} desk", "head", 0.75),
    Family("site-b", lambda r: f"Elsewhere on Lakeside Post: {_title(r)}", "tail", 0.8),
    Family("site-c", lambda r: f"DAILY GAZETTE | Edition {r.randint(100, 999)}", "head", 0.9),
    Family("site-c", lambda r: "Support independent journalism - subscribe today!", "tail", 0.5),
    Family("site-c", lambda r: f"Gazette picks: {_title(r)}", "tail", 0.7),
    Family("site-d", lambda r: "Listen to this story", "head", 0.6),
    Family("site-d", lambda r: f"Courier dispatch no. {r.randint(1, 9999)} / desk 4", "head", 0.35),
    Family("site-d", lambda r: "Northern Courier Media Group", "tail", 0.9),
]
SITES = sorted({f.site for f in FAMILIES})
DOCS_PER_SITE = 30
SHARED_PAIRS = 24


def _sentence(rng: random.Random) -> str:
    subject, verb, obj, tail = (rng.choice(x) for x in (SUBJECTS, VERBS, OBJECTS, TAILS))
    figure = rng.randint(2, 980)
    return f"{subject} {verb} {obj} {tail}, a plan worth {figure} million."


def make_corpus(root: Path, seed: int = 9) -> dict:
    """Write the corpus; returns what was planted (lines per family, shared sentences)."""
    rng = random.Random(seed)
    docs: dict[str, list[str]] = {}
    planted: dict[int, list[str]] = {i: [] for i in range(len(FAMILIES))}
    for site in SITES:
        for n in range(DOCS_PER_SITE):
            paragraphs = [
                " ".join(_sentence(rng) for _ in range(rng.randint(2, 4)))
                for _ in range(rng.randint(3, 7))
            ]
            docs[f"{site}/{n:03d}.txt"] = paragraphs
    # Sentences (short quotes and full sentences) that two articles share by chance.
    names = sorted(docs)
    shared: list[str] = []
    while len(shared) < SHARED_PAIRS:
        text = (
            f"“We will not give up on the {rng.choice(TITLE_WORDS)},” {rng.choice(SUBJECTS)} said."
            if len(shared) % 2
            else _sentence(rng)
        )
        if text in shared:
            continue  # each in exactly two articles
        shared.append(text)
        for name in rng.sample(names, 2):
            spot = rng.choice([0, len(docs[name]), rng.randint(0, len(docs[name]))])
            docs[name].insert(spot, text)
    for name in names:
        head, tail = [], []
        for i, family in enumerate(FAMILIES):
            if family.site == site_of(name) and rng.random() < family.share:
                line = family.make(rng)
                planted[i].append(line)
                (head if family.where == "head" else tail).append(line)
        text = "\n\n".join([*head, *docs[name], *tail]) + "\n"
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return {"planted": planted, "shared": shared, "docs": docs}


@pytest.fixture(scope="module")
def suggested(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus")
    corpus = root / "corpus"
    truth = make_corpus(corpus)
    out = root / "suggested.toml"
    assert main(["suggest", str(corpus), "-o", str(out)]) == 0
    return corpus, out, truth


def test_suggested_pack_passes_test_rules_and_is_disabled(suggested, capsys):
    _corpus, out, _truth = suggested
    pack = load_pack(out)
    assert pack.rules, out.read_text()
    assert all(not rule.enabled for rule in pack.rules)
    assert all(re.fullmatch(r"SG\d{3}", rule.code) for rule in pack.rules)
    assert all(rule.kind == "line-drop" and rule.fixes and rule.keeps for rule in pack.rules)
    assert main(["test-rules", str(out)]) == 0, capsys.readouterr().out
    text = out.read_text(encoding="utf-8")
    assert "enabled = false" in text and "documents" in text  # counts in the comments
    # Disabled means the default command line does not run them.
    assert Cleaner([pack]).rules == []


def test_suggest_finds_planted_boilerplate_and_not_shared_sentences(suggested):
    corpus, out, truth = suggested
    pack = load_pack(out)
    text = out.read_text(encoding="utf-8")
    covered = text.split("[pack]")[0]  # the header lists lines the shipped rules remove
    cleaner = Cleaner(
        [pack], include_disabled=True, unsafe_fixes=True, safeguards=Safeguards(force=True)
    )
    planted_lines = {line for lines in truth["planted"].values() for line in lines}
    removed: dict[str, set[str]] = {}  # code -> lines it removed
    for path in sorted(corpus.rglob("*.txt")):
        result = cleaner.clean(path.read_text(encoding="utf-8"), lang="en")
        for edit in result.edits:
            removed.setdefault(edit.code, set()).add(edit.before.strip())
    all_removed = set().union(*removed.values())

    found = 0
    for lines in truth["planted"].values():
        hit = sum(line in all_removed for line in lines) / len(lines)
        already = any(f'"{line}"' in covered for line in lines)
        found += hit >= 0.9 or already
    recall = found / len(truth["planted"])

    good = [code for code, lines in removed.items() if lines <= planted_lines]
    precision = len(good) / len(pack.rules)
    print(f"suggest: recall {recall:.2f}, precision {precision:.2f}, {len(pack.rules)} rules")
    assert recall >= 0.9
    assert precision >= 0.9
    # No article sentence is proposed, and no rule touches one.
    keys = {normalise(s) for s in truth["shared"]}
    assert not keys & {normalise(v) for lines in removed.values() for v in lines}
    assert len(pack.rules) >= 8


def test_covered_lines_are_listed_not_suggested(suggested):
    _corpus, out, _truth = suggested
    header = out.read_text(encoding="utf-8").split("[pack]")[0]
    # `source site-N` is the shipped BP101's; it is named, not suggested again.
    assert re.search(r'"source site-\d+" \(\d+ documents\): BP101', header), header


def test_prefix_family_pattern_generalises_titles(suggested):
    _corpus, out, _truth = suggested
    pack = load_pack(out)
    patterns = {rule.params.pattern for rule in pack.rules}
    picks = [p for p in patterns if "picks" in p]
    assert len(picks) == 1, patterns  # one family, not one rule per title
    [rule] = [r for r in pack.rules if r.params.pattern in picks]
    assert rule.params.zone == "tail"
    assert rule.safety.value == "unsafe"  # it drops a varying rest: a person decides
    editions = [r for r in pack.rules if "gazette" in r.params.pattern and r is not rule]
    assert len(editions) == 1 and r"\d+" in editions[0].params.pattern
    assert editions[0].params.zone == "head"


def test_normalise_folds_case_digits_and_punctuation():
    assert normalise("— Source Site-12 —") == normalise("source site 3") == "source site 0"
    assert normalise("3  min   read") == "0 min read"
    assert normalise("...") == ""


def test_site_is_the_top_directory():
    assert site_of("site-a/2024/x.txt") == "site-a"
    assert site_of("x.txt") == ""


def test_unreadable_file_is_named_and_the_rest_mined(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    make_corpus(corpus, seed=3)
    bad = corpus / "site-a" / "broken.txt"
    bad.write_bytes(b"binary\0data")
    out = tmp_path / "out.toml"
    assert main(["suggest", str(corpus), "-o", str(out), "--min-share", "0.2"]) == 1
    err = capsys.readouterr().err.splitlines()
    [line] = [e for e in err if "broken.txt" in e]
    assert line.startswith(f"{bad}: error: binary file")
    assert "1 failed" in err[-1]
    assert load_pack(out).rules  # the others were mined


def test_suggest_is_deterministic(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    make_corpus(corpus, seed=5)
    assert main(["suggest", str(corpus)]) == 0
    first = capsys.readouterr().out
    assert main(["suggest", str(corpus)]) == 0
    assert capsys.readouterr().out == first


def test_pattern_escapes_and_anchors(tmp_path):
    from cleaner.sitestats import Candidate, Stat

    candidate = Candidate("a b 0 c", False, Stat(docs=3), {})
    pattern = pattern_for(candidate)
    assert re.fullmatch(pattern, "A.B (12) c!", re.IGNORECASE)
    assert not re.fullmatch(pattern, "A.B (12) cats", re.IGNORECASE)
    family = Candidate("previous article", True, Stat(docs=3, longest=40), {})
    prefix = pattern_for(family)
    assert re.fullmatch(prefix, "Previous article: Storm hits the coast", re.IGNORECASE)
    assert not re.fullmatch(prefix, "Previous articles show a trend", re.IGNORECASE)
    assert not re.fullmatch(prefix, "Previous article " + "x" * 200, re.IGNORECASE)
