"""The engine: phases, overlaps, safety, positions, fixpoint, revert."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from cleaner import Cleaner, Safety, load_rules, revert
from cleaner.engine import Engine
from cleaner.gates import gate
from cleaner.kinds import KINDS
from cleaner.loader import load_pack

PACK_HEAD = """
[pack]
name = "engine-test"
languages = ["*"]
"""


def rule_toml(
    code: str, kind: str, params: str, *, safety: str = "safe", name: str | None = None
) -> str:
    return f'''
[[rule]]
code = "{code}"
name = "{name or code.lower()}"
kind = "{kind}"
description = "test rule"
safety = "{safety}"
keep = ["nothing"]
{params}
[[rule.fix]]
input = "x"
output = "y"
'''


def engine_for(tmp_path: Path, *rules: str, unsafe_fixes: bool = False) -> Engine:
    path = tmp_path / "p.toml"
    path.write_text(PACK_HEAD + "".join(rules), encoding="utf-8")
    return Engine(load_pack(path).rules, unsafe_fixes=unsafe_fixes)


def test_positions_refer_to_the_original_input(tmp_path):
    engine = engine_for(
        tmp_path,
        rule_toml("TT001", "line-drop", 'pattern = "DROP ME"'),
        rule_toml("TT002", "pattern-replace", "pattern = 'colour'\nreplace = 'color'"),
    )
    text = "one\nDROP ME\nDROP ME\nthe colour is red\nand colour again\n"
    result = engine.clean(text)
    assert result.text == "one\nthe color is red\nand color again\n"
    located = sorted((e.code, e.line, e.column) for e in result.edits)
    assert located == [("TT001", 2, 1), ("TT001", 3, 1), ("TT002", 4, 5), ("TT002", 5, 5)]


def test_positions_after_earlier_passes_changed_lengths(tmp_path):
    # The replace runs first (inline phase) and shortens line 1; the later
    # line drop must still be located on line 3 of the original.
    engine = engine_for(
        tmp_path,
        rule_toml("TT001", "pattern-replace", "pattern = 'long word'\nreplace = 'w'"),
        rule_toml("TT002", "line-drop", 'pattern = "gone"'),
    )
    result = engine.clean("a long word long word\nkeep\ngone\n")
    drop = next(e for e in result.edits if e.code == "TT002")
    assert (drop.line, drop.column) == (3, 1)


def test_revert_restores_input_exactly(tmp_path):
    engine = engine_for(
        tmp_path,
        rule_toml("TT001", "pattern-replace", "pattern = 'ab'\nreplace = 'xyz'"),
        rule_toml("TT002", "line-drop", 'pattern = "drop"'),
        rule_toml("TT003", "whitespace", 'action = "blank-line-runs"'),
    )
    text = "ab ab\n\n\ndrop\n\n\nab end"
    result = engine.clean(text)
    assert result.text != text
    assert revert(result.text, result.edits) == text


def test_overlapping_edits_resolve_deterministically(tmp_path):
    rules = [
        rule_toml("TT002", "pattern-replace", "pattern = 'abc'\nreplace = 'X'"),
        rule_toml("TT001", "pattern-replace", "pattern = 'bcd'\nreplace = 'Y'"),
    ]
    first = engine_for(tmp_path, *rules).clean("abcd").text
    second = engine_for(tmp_path, *reversed(rules)).clean("abcd").text
    # Earliest start wins, whatever the rule order in the file.
    assert first == second == "Xd"


def test_longer_span_wins_at_same_start(tmp_path):
    engine = engine_for(
        tmp_path,
        rule_toml("TT001", "pattern-replace", "pattern = 'ab'\nreplace = '1'"),
        rule_toml("TT002", "pattern-replace", "pattern = 'abcd'\nreplace = '2'"),
    )
    assert engine.clean("abcd!").text == "2!"


def test_unsafe_fixes_only_when_asked(tmp_path):
    rules = [
        rule_toml("TT001", "pattern-replace", "pattern = 'she'\nreplace = 'it'", safety="unsafe")
    ]
    default = engine_for(tmp_path, *rules).clean("she said")
    assert default.text == "she said"
    assert [(f.code, f.applied, f.after) for f in default.findings] == [("TT001", False, "it")]
    unsafe = engine_for(tmp_path, *rules, unsafe_fixes=True).clean("she said")
    assert unsafe.text == "it said" and not unsafe.findings


def test_display_rules_never_change_text(tmp_path):
    rules = [rule_toml("TT001", "line-drop", 'pattern = "odd"', safety="display")]
    for unsafe in (False, True):
        result = engine_for(tmp_path, *rules, unsafe_fixes=unsafe).clean("odd\nfine\n")
        assert result.text == "odd\nfine\n"
        assert [(f.code, f.line, f.safety) for f in result.findings] == [("TT001", 1, "display")]


def test_fixpoint_reaches_idempotence(tmp_path):
    # Dropping a line exposes a new blank-line run: the next round fixes it.
    engine = engine_for(
        tmp_path,
        rule_toml("TT001", "line-drop", 'pattern = "x"'),
        rule_toml("TT002", "whitespace", 'action = "blank-line-runs"'),
    )
    once = engine.clean("a\n\nx\n\nx\n\nb\n")
    assert once.text == "a\n\nb\n"
    assert engine.clean(once.text).text == once.text
    assert once.converged


def test_non_convergence_is_reported(tmp_path):
    engine = engine_for(
        tmp_path,
        rule_toml("TT001", "pattern-replace", "pattern = 'ping'\nreplace = 'pong'"),
        rule_toml("TT002", "line-drop", 'pattern = "never"'),
        rule_toml("TT003", "whitespace", 'action = "document-end"'),
        rule_toml("TT004", "pattern-replace", "pattern = 'pong'\nreplace = 'ping'", name="back"),
    )
    result = engine.clean("ping")
    assert not result.converged
    assert result.rounds > 1


def test_language_scoped_rules(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(
        PACK_HEAD.replace('languages = ["*"]', 'languages = ["fr"]')
        + rule_toml("TT001", "pattern-replace", "pattern = 'x'\nreplace = 'y'"),
        encoding="utf-8",
    )
    engine = Engine(load_pack(path).rules)
    assert engine.clean("x", lang="fr").text == "y"
    assert engine.clean("x", lang="en").text == "x"
    assert engine.clean("x", lang=None).text == "x"


def test_gate_skips_rules_whose_literal_is_absent(tmp_path):
    engine = engine_for(
        tmp_path, rule_toml("TT001", "line-drop", "pattern = 'source\\s+site-\\d+'")
    )
    rule = engine.rules[0]
    assert gate(rule.params.pattern) == frozenset({"source"})
    tried: list[str] = []
    matcher = KINDS["line-drop"].compile([rule])
    compiled = matcher.compiled[rule.code]
    pattern = compiled.re

    class Spy:
        def match(self, line, *args, **kwargs):
            tried.append(line)
            return pattern.match(line, *args, **kwargs)

    matcher.compiled[rule.code] = dataclasses.replace(compiled, re=Spy())
    # The per-line loop keeps each gated rule with its pattern, by literal.
    matcher._by_literal = {lit: ((rule, Spy()),) for lit in matcher._by_literal}
    engine._phases["lines"] = [(matcher, (rule,))]
    assert engine.clean("nothing here\n").text == "nothing here\n"
    assert tried == []  # no line holds the literal: the pattern never ran
    text = "nothing here\nsource of it\nsource site-4\n"
    assert engine.clean(text).text == "nothing here\nsource of it\n"
    assert sorted(set(tried)) == ["source of it", "source site-4"]  # only lines with 'source'


def test_cleaner_select_and_ignore_by_prefix():
    everything = Cleaner()
    only_ws = Cleaner(select=["WS"])
    assert {r.family for r in only_ws.rules} == {"WS"}
    no_bp2 = Cleaner(ignore=["BP2"])
    assert not any(r.code.startswith("BP2") for r in no_bp2.rules)
    assert any(r.code.startswith("BP1") for r in no_bp2.rules)
    # The more specific prefix wins, as in ruff.
    one_back = Cleaner(ignore=["BP"], select=["BP101", "WS"])
    assert {r.code for r in one_back.rules if r.family == "BP"} == {"BP101"}
    assert len(everything.rules) > len(no_bp2.rules)


def test_cleaner_is_reusable_and_language_detected(samples):
    cleaner = Cleaner()
    text = (samples / "in" / "001_988967f5c6e1c539.txt").read_text(encoding="utf-8")
    first = cleaner.clean(text)
    assert first.language == "en"
    assert "source site-34" not in first.text
    assert cleaner.clean(text).text == first.text


def test_unknown_language_runs_only_neutral_rules():
    cleaner = Cleaner()
    result = cleaner.clean("source site-3\n\n\n\nok", lang=None)
    # Too short to detect: BP101 (English) does not run, layout rules do.
    assert result.language is None
    assert result.text == "source site-3\n\nok\n"


@pytest.mark.parametrize(
    "path", sorted((Path(__file__).parent.parent / "samples" / "in").iterdir())
)
def test_samples_revert_and_idempotence(path):
    text = path.read_text(encoding="utf-8")
    for unsafe in (False, True):
        cleaner = Cleaner(unsafe_fixes=unsafe)
        result = cleaner.clean(text)
        assert revert(result.text, result.edits) == text
        assert cleaner.clean(result.text).text == result.text
        assert all(e.safety == Safety.SAFE.value or unsafe for e in result.edits)


def test_load_rules_gives_packs_individually():
    packs = {p.name: p for p in load_rules()}
    assert all(r.pack == "layout" for r in packs["layout"].rules)


def test_a_rule_matching_empty_lines_never_drops_the_line_before_the_end(tmp_path):
    """``(?m)^...$`` also matches after the last line break, where there is no line."""
    engine = engine_for(
        tmp_path,
        rule_toml("TT001", "line-drop", "pattern = '(?:x*)'"),
        rule_toml("TT002", "block-drop", "start = '(?:y*)'\nend = 'blank'"),
    )
    assert engine.clean("Text.\n").text == "Text.\n"
    assert engine.clean("").text == ""
    lines = engine_for(tmp_path, rule_toml("TT001", "line-drop", "pattern = '(?:x*)'"))
    assert lines.clean("Text.\n\nMore.\n").text == "Text.\nMore.\n"


def _record_finds(monkeypatch) -> list[tuple[str, str]]:
    """(first rule's code, text) of every rule group the engine runs, in order."""
    seen: list[tuple[str, str]] = []
    find = Engine._find

    def recording(self, matcher, rules, doc, run):
        seen.append((rules[0].code, doc.text))
        return find(self, matcher, rules, doc, run)

    monkeypatch.setattr(Engine, "_find", recording)
    return seen


def test_report_only_rules_run_once_on_the_final_text(tmp_path, monkeypatch):
    """Rules that may not change the text are not rerun every fixpoint round:
    they run once, after the last round, and describe the final text."""
    engine = engine_for(
        tmp_path,
        rule_toml("TT001", "line-drop", 'pattern = "x"'),
        rule_toml("TT002", "whitespace", 'action = "blank-line-runs"'),
        rule_toml("TT003", "pattern-replace", "pattern = 'b'\nreplace = 'B'", safety="unsafe"),
    )
    seen = _record_finds(monkeypatch)
    result = engine.clean("a\n\nx\n\nx\n\nb\n")
    assert result.rounds == 2 and result.text == "a\n\nb\n"
    assert [text for code, text in seen if code == "TT003"] == ["a\n\nb\n"]
    assert len([code for code, _ in seen if code == "TT001"]) == 2
    assert [(f.code, f.line, f.before) for f in result.findings] == [("TT003", 7, "b")]


def test_line_drop_judges_each_line_on_its_own(tmp_path):
    r"""A pattern whose \s could run on into the next line still matches the line
    it describes whole (the next line is not part of the match)."""
    engine = engine_for(
        tmp_path, rule_toml("TT001", "line-drop", r"pattern = 'By(?:\s+[A-Z]\w+){1,3}'")
    )
    result = engine.clean("By Jane Doe\nNews\nBy the river we sat.\n")
    assert result.text == "News\nBy the river we sat.\n"
    assert [(e.code, e.line) for e in result.edits] == [("TT001", 1)]


def test_confirming_round_skips_a_phase_whose_text_did_not_change(tmp_path, monkeypatch):
    """A phase that changed nothing, and whose text nothing changed since, would find the
    same again: the confirming round keeps what it found instead of running it."""
    engine = engine_for(
        tmp_path,
        rule_toml("TT001", "pattern-replace", "pattern = '-'\nreplace = ' '"),
        rule_toml("TT002", "line-drop", 'pattern = "zzz"'),
    )
    seen = _record_finds(monkeypatch)
    result = engine.clean("a-b\nkeep\n")
    assert result.rounds == 2 and result.text == "a b\nkeep\n"
    assert seen == [("TT001", "a-b\nkeep\n"), ("TT002", "a b\nkeep\n"), ("TT001", "a b\nkeep\n")]


def test_language_detection_gives_langdetects_own_probabilities(samples):
    """The document language's detector (langdetect's, with its per-step loops
    rewritten) gives langdetect's own probabilities, bit for bit."""
    from langdetect.detector import Detector

    from cleaner import language

    factory = language._get_factory()
    texts = [p.read_text(encoding="utf-8")[:2000] for p in sorted((samples / "in").iterdir())]
    texts += ["Le ministre a déclaré mardi que le budget serait publié.", "Das ist gut.", "x"]
    for text in texts:
        ours, theirs = language._detector()(factory), Detector(factory)
        ours.append(text)
        theirs.append(text)
        try:
            expected = [(p.lang, p.prob) for p in theirs.get_probabilities()]
        except Exception as exc:  # no features: both refuse alike
            with pytest.raises(type(exc)):
                ours.get_probabilities()
            continue
        assert [(p.lang, p.prob) for p in ours.get_probabilities()] == expected


def test_a_context_rule_takes_its_line_anywhere_once_body_trim_is_done(tmp_path):
    """A rule held to ``next-to-prose`` leaves a line away from prose to body-trim (it may
    be the end marker body-trim cuts at); with nothing left for body-trim to cut, the
    ``anywhere`` phase takes it wherever it stands, and says which rule did."""
    widget = "pattern = 'WIDGET\\n'\ncontext = \"next-to-prose\""
    engine = engine_for(tmp_path, rule_toml("TT001", "pattern-replace", widget))
    result = engine.clean("short\nWIDGET\nlines\n")
    assert result.text == "short\nlines\n"
    assert [(e.code, e.line) for e in result.edits] == [("TT001", 2)]
    assert engine.clean(result.text).text == result.text


class _LastMarkerCut:
    """A stand-in for body-trim: cuts from the last line matching the rule's pattern to
    the end, one marker a round (as body-trim peels a page's tail)."""

    compile_rule = staticmethod(lambda rule: rule.params.pattern)

    def __init__(self, rules):
        self.rules = list(rules)

    def find(self, doc):
        from cleaner.kinds import Candidate

        for rule in self.rules:
            starts = [i for i, line in enumerate(doc.lines) if line == rule.params.pattern]
            if starts and doc.line_starts[starts[-1]] > 0:
                yield Candidate(doc.line_starts[starts[-1]], len(doc.text), "", rule)


def _marker_rule_and_tail_cut(tmp_path, monkeypatch, context: str) -> Engine:
    """An engine with TT001, a pattern-replace rule taking an 'END' line under
    ``context``, and TT002, a stand-in body-trim cutting from the last 'END' line."""
    from cleaner.kinds import Kind
    from cleaner.kinds.pattern_replace import Params

    monkeypatch.setitem(KINDS, "tail-cut", Kind("tail-cut", "body", Params, _LastMarkerCut))
    marker = f"pattern = 'END\\n'\ncontext = \"{context}\""
    return engine_for(
        tmp_path,
        rule_toml("TT001", "pattern-replace", marker),
        rule_toml("TT002", "tail-cut", "pattern = 'END'"),
    )


def test_the_anywhere_phase_waits_until_body_trim_has_cut_what_it_will(tmp_path, monkeypatch):
    """Body-trim may cut in several rounds, each at an end marker; a context rule taking
    the next marker away in between would stop it halfway."""
    engine = _marker_rule_and_tail_cut(tmp_path, monkeypatch, "next-to-prose")
    result = engine.clean("story\nEND\nteaser\nEND\nfooter\n")
    assert result.text == "story\n"
    assert [e.code for e in result.edits] == ["TT002", "TT002"]


def test_a_line_run_goes_on_across_blank_lines(tmp_path):
    """Scraped widgets often put a blank line between their labels: ``min_run`` counts
    matching lines with only blank lines between them as one run; another line ends it,
    and a ``whole_block`` run stays within one block."""
    run = "pattern = '(?:Link|Embed|Copy|Close)'\nmin_run = 3"
    engine = engine_for(tmp_path, rule_toml("TT001", "line-drop", run))
    assert engine.clean("Story.\nLink\nEmbed\n\nCopy\n\nClose\nMore.\n").text == "Story.\nMore.\n"
    kept = "Link\nEmbed\nStory.\nCopy\nClose\n"
    assert engine.clean(kept).text == kept
    block = "pattern = '(?:Link|Embed|Copy)'\nmin_run = 3\nwhole_block = true"
    engine = engine_for(tmp_path, rule_toml("TT002", "line-drop", block))
    assert engine.clean("Story.\n\nLink\nEmbed\n\nCopy\n").text == "Story.\n\nLink\nEmbed\n\nCopy\n"


def test_an_after_body_trim_rule_leaves_its_line_to_body_trim(tmp_path, monkeypatch):
    """``context = "after-body-trim"``: the line is one of body-trim's end markers, so the
    rule never takes it before body-trim has cut what it will; a line body-trim leaves
    goes after."""
    engine = _marker_rule_and_tail_cut(tmp_path, monkeypatch, "after-body-trim")
    result = engine.clean("story\nEND\nteaser\n")
    assert result.text == "story\n"
    assert [e.code for e in result.edits] == ["TT002"]
    alone = "pattern = 'END\\n'\ncontext = \"after-body-trim\""
    engine = engine_for(tmp_path, rule_toml("TT001", "pattern-replace", alone))
    assert engine.clean("a\nEND\nb\n").text == "a\nb\n"


def test_a_group_runs_only_the_rules_that_apply_to_the_document(tmp_path, monkeypatch):
    """A rule naming other languages than its pack's is not run (and its candidates thrown
    away) on a page in another language: the group is matched with the rules that apply."""
    german = rule_toml("TT002", "line-drop", 'pattern = "Zzz"\nlanguages = ["de"]')
    engine = engine_for(tmp_path, rule_toml("TT001", "line-drop", 'pattern = "zzz"'), german)
    ran: list[tuple[str, ...]] = []
    find = Engine._find

    def recording(self, matcher, rules, doc, run):
        ran.append(tuple(r.code for r in matcher._rules))  # what the matcher was built of
        return find(self, matcher, rules, doc, run)

    monkeypatch.setattr(Engine, "_find", recording)
    assert engine.clean("zzz\nZzz\nkeep\n", lang="en").text == "Zzz\nkeep\n"
    assert ran and all(codes == ("TT001",) for codes in ran)
    assert engine.clean("Zzz\nkeep\n", lang="de").text == "keep\n"
    assert ("TT001", "TT002") in ran
