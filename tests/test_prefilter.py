"""The literal prefilter may only say "cannot match": the same verdicts with it,
without it, and with or without the Aho-Corasick accelerator."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.document import Document
from cleaner.kinds import KINDS
from cleaner.loader import load_rules
from cleaner.prefilter import ACCELERATED, Prefilter, line_starts

ROOT = Path(__file__).resolve().parent.parent
MODES = [False, True] if ACCELERATED else [False]

words = st.sampled_from(["news", "newsletter", "ws", "Share", "é", "İ", "ß", "ab", "a", "\n", " "])
texts = st.lists(words, max_size=40).map("".join)


@pytest.mark.parametrize("accelerated", MODES)
@settings(max_examples=200, deadline=None)
@given(text=texts)
def test_occurrences_are_every_place_a_literal_starts(accelerated, text):
    literals = ["news", "newsletter", "ws", "share", "é", "i̇", "ss", "a\nb"]
    prefilter = Prefilter(literals, accelerated=accelerated)
    lowered = text.lower()
    expected = sorted(
        (i, lit) for lit in literals for i in range(len(lowered)) if lowered.startswith(lit, i)
    )
    assert sorted(prefilter.occurrences(lowered)) == expected
    assert line_starts(lowered) == [0] + [i + 1 for i, ch in enumerate(lowered) if ch == "\n"]
    assert prefilter.found_in(lowered) == {lit for _, lit in expected}
    by_line = prefilter.by_line(lowered, line_starts(lowered))
    lines = lowered.split("\n")
    for index, line in enumerate(lines):
        on_line = {lit for lit in literals if "\n" not in lit and lit in line}
        assert on_line <= by_line.get(index, set())


def shipped_line_drop_groups():
    groups = {}
    for pack in load_rules():
        rules = [r for r in pack.rules if r.kind == "line-drop"]
        if rules:
            groups[pack.name] = rules
    return groups


def sample_lines() -> list[str]:
    lines = []
    for path in sorted((ROOT / "samples" / "in").glob("*.txt")):
        lines.extend(path.read_text(encoding="utf-8").split("\n"))
    for group in shipped_line_drop_groups().values():
        for rule in group:
            for example in rule.fixes:
                lines.extend(example.input.split("\n"))
            for keep in rule.keeps:
                lines.extend(keep.split("\n"))
    return sorted(set(lines))


@pytest.mark.parametrize("accelerated", MODES)
def test_line_drop_prefilter_gives_the_verdict_of_every_pattern(accelerated, monkeypatch):
    """Every shipped line-drop group, on every line of the samples and of every rule's
    examples and look-alikes: the rules it finds on a line are exactly the rules whose
    own pattern matches that line."""
    import cleaner.kinds.line_drop as line_drop

    def prefilter(literals):
        return Prefilter(literals, accelerated=accelerated)

    monkeypatch.setattr(line_drop, "Prefilter", prefilter)
    lines = sample_lines()
    for name, rules in shipped_line_drop_groups().items():
        matcher = KINDS["line-drop"].compile(rules)
        per_line = [r for r in rules if r.params.min_run == 1 and not r.params.whole_block]
        doc = Document("\n".join(lines) + "\n")
        by_line, _present = matcher._scan(doc)
        for index, line in enumerate(lines):
            found = {r.code for r in matcher._match_line(line, by_line.get(index, ()))}
            expected = {
                r.code
                for r in per_line
                if r not in matcher._alone and matcher.compiled[r.code].re.match(line)
            }
            assert found == expected, (name, line)


def test_fold_sensitive_table_is_every_such_character():
    import sys

    derived = {
        ch
        for ch in map(chr, range(sys.maxunicode + 1))
        if len(ch.casefold()) == 1
        and ch.casefold() != ch.lower()
        and not ("\u13a0" <= ch <= "\u13ff" or "\uab70" <= ch <= "\uabbf")  # Cherokee
    }
    from cleaner.prefilter import FOLD_SENSITIVE

    assert derived == FOLD_SENSITIVE


def test_a_long_s_is_matched_as_the_pattern_matches_it(tmp_path):
    """'ſ' lower-cases to itself, but a case-insensitive pattern reads it as 's': the
    prefilter must not hide 'ſource' from a rule gated on 'source'."""
    from cleaner.engine import Engine
    from cleaner.loader import load_pack

    pack = tmp_path / "p.toml"
    pack.write_text(
        '[pack]\nname = "p"\nlanguages = ["*"]\n[[rule]]\ncode = "PP001"\nname = "p"\n'
        'kind = "line-drop"\ndescription = "d"\nsafety = "safe"\nkeep = ["x"]\n'
        "ignore_case = true\npattern = 'source\\s+site-\\d+'\n"
        '[[rule.fix]]\ninput = "a\\nsource site-1\\n"\noutput = "a\\n"\n',
        encoding="utf-8",
    )
    engine = Engine(load_pack(pack).rules)
    assert engine.clean("Text.\nſource site-3\n").text == "Text.\n"


def test_confirming_round_keeps_each_lines_literals(tmp_path, monkeypatch):
    """A text whose every line line-drop judged before is not scanned for literals again:
    the literals of each line were kept with its verdict."""
    from cleaner.engine import Engine
    from cleaner.kinds.line_drop import LineDrop
    from cleaner.loader import load_pack

    path = tmp_path / "p.toml"
    path.write_text(
        '[pack]\nname = "t"\nlanguages = ["*"]\n'
        '[[rule]]\ncode = "TT001"\nname = "t"\nkind = "line-drop"\ndescription = "d"\n'
        'safety = "safe"\nkeep = ["-"]\npattern = "share this"\nignore_case = true\n'
        '[[rule.fix]]\ninput = "a"\noutput = "b"\n',
        encoding="utf-8",
    )
    scans: list[str] = []
    scan = LineDrop._scan

    def counted(self, doc):
        scans.append(doc.text)
        return scan(self, doc)

    monkeypatch.setattr(LineDrop, "_scan", counted)
    engine = Engine(load_pack(path).rules)
    result = engine.clean("Share this\nThe share price fell.\nSHARE THIS\n")
    assert result.text == "The share price fell.\n" and result.rounds == 2
    assert len(scans) == 1
    # A line not judged before (here: with a literal) makes the scan run.
    assert engine.clean("Share this!\nshare this\n").text == "Share this!\n"
