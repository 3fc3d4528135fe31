"""Rule files: validated, reported as path:line: message, never executed."""

from __future__ import annotations

import pytest
from conftest import MINIMAL_RULE

from cleaner import Cleaner, RuleFileError, load_rules
from cleaner.kinds import KINDS
from cleaner.loader import default_rules_dir, load_pack


def problems_of(path) -> list[str]:
    with pytest.raises(RuleFileError) as info:
        load_pack(path)
    return info.value.problems


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_minimal_pack_loads(write_pack):
    pack = load_pack(write_pack(MINIMAL_RULE))
    assert [r.code for r in pack.rules] == ["TT101"]
    rule = pack.rules[0]
    assert rule.params.zone == "any"  # kind defaults filled in
    assert rule.origin.endswith(f":{line_of(MINIMAL_RULE, '[[rule]]')}")


def test_shipped_packs_load():
    packs = load_rules()
    assert {"boilerplate-en", "layout", "duplicates"} <= {p.name for p in packs}
    assert default_rules_dir().is_dir()


def test_shipped_packs_pass_every_check_when_prepared_strictly():
    """The shipped packs load deferred (each rule is compiled the first time its group
    runs); this is the check they skip: every rule prepares, no pattern warns."""
    from cleaner.loader import pack_files

    for path in pack_files(default_rules_dir()):
        pack = load_pack(path)  # raises RuleFileError on any problem
        assert pack.warnings == [], path


PLAIN_DATA = (str, int, float, bool, list, dict)


def test_rules_hold_data_only():
    """A rule's parameters are its kind's frozen Params of TOML values: what a kind
    compiles from them lives on its matcher."""
    import dataclasses

    for pack in load_rules():
        for rule in pack.rules:
            assert isinstance(rule.params, KINDS[rule.kind].params), rule.code
            values = [getattr(rule.params, f.name) for f in dataclasses.fields(rule.params)]
            assert all(isinstance(v, PLAIN_DATA) for v in values), rule.code
            with pytest.raises(dataclasses.FrozenInstanceError):
                rule.params.zone = "head"


def _compiled_groups(cleaner: Cleaner) -> dict[str, bool]:
    """Pack name -> whether any of its groups has compiled its matcher yet."""
    compiled: dict[str, bool] = {}
    for groups in cleaner._engine._phases.values():
        for matcher, rules in groups:
            pack = rules[0].pack
            compiled[pack] = compiled.get(pack, False) or matcher._matcher is not None
    return compiled


def test_shipped_rules_are_compiled_only_when_their_group_runs():
    cleaner = Cleaner(load_rules())
    assert not any(_compiled_groups(cleaner).values())
    cleaner.clean("Share this article\n\n" + "The council met on Monday to discuss it. " * 8)
    compiled = _compiled_groups(cleaner)
    assert compiled["boilerplate-en"]
    assert not compiled["boilerplate-de"]


def test_a_deferred_rule_that_cannot_compile_names_its_line(tmp_path):
    """Were a shipped rule broken, its group's first run reports it as path:line."""
    path = tmp_path / "broken.toml"
    path.write_text(MINIMAL_RULE.replace('pattern = "MARKER"', 'pattern = "MARKER"\nmin_run = 0'))
    [rule] = load_pack(path, deferred=True).rules
    with pytest.raises(RuleFileError) as info:
        KINDS[rule.kind].compile([rule])
    [problem] = info.value.problems
    line = line_of(MINIMAL_RULE, "[[rule]]")
    assert problem == f"{path}:{line}: rule TT101: min_run must be at least 1"


def test_a_bad_pattern_in_a_users_pack_is_reported_at_load(tmp_path):
    """Patterns a kind compiles on first use are still compiled when a user's pack
    loads, so a bad one is a path:line problem before anything runs."""
    path = tmp_path / "broken.toml"
    path.write_text(MINIMAL_RULE.replace('pattern = "MARKER"', 'pattern = "(MARKER"'))
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:{line_of(MINIMAL_RULE, '[[rule]]')}: rule TT101: bad regex")


def test_unknown_key_is_reported_at_its_line(write_pack):
    text = MINIMAL_RULE.replace('pattern = "MARKER"', 'pattern = "MARKER"\npatern = "typo"')
    path = write_pack(text)
    [problem] = problems_of(path)
    assert problem == f"{path}:{line_of(text, 'patern')}: unknown key 'patern' for a line-drop rule"


def test_bad_regex_is_reported(write_pack):
    text = MINIMAL_RULE.replace('pattern = "MARKER"', 'pattern = "MARK(ER"')
    path = write_pack(text)
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:{line_of(text, '[[rule]]')}: rule TT101: bad regex")


def test_missing_examples_are_reported(write_pack):
    text = MINIMAL_RULE.split("[[rule.fix]]")[0].replace(
        'keep = ["MARKER inside a sentence."]\n', ""
    )
    path = write_pack(text)
    problems = problems_of(path)
    header = line_of(text, "[[rule]]")
    assert f"{path}:{header}: rule needs 'keep'" in problems
    assert f"{path}:{header}: rule needs 'fix'" in problems


def test_empty_keep_list_is_reported(write_pack):
    text = MINIMAL_RULE.replace('keep = ["MARKER inside a sentence."]', "keep = []")
    [problem] = problems_of(write_pack(text))
    assert "at least one look-alike" in problem


def test_duplicate_code_across_packs(write_pack, tmp_path):
    write_pack(MINIMAL_RULE, "a.toml")
    other = MINIMAL_RULE.replace('name = "test-pack"', 'name = "other-pack"').replace(
        'name = "drop-marker"', 'name = "drop-marker-two"'
    )
    write_pack(other, "b.toml")
    with pytest.raises(RuleFileError) as info:
        load_rules([tmp_path], include_default=False)
    [problem] = info.value.problems
    assert "b.toml:" in problem and "duplicate rule code TT101" in problem and "a.toml:" in problem


def test_duplicate_code_with_shipped_pack(write_pack):
    text = MINIMAL_RULE.replace("TT101", "BP101")
    with pytest.raises(RuleFileError, match="duplicate rule code BP101"):
        load_rules([write_pack(text)])


def test_invalid_toml_reports_line(write_pack):
    text = MINIMAL_RULE.replace('safety = "safe"', "safety = safe")
    path = write_pack(text)
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:{line_of(text, 'safety = safe')}: invalid TOML")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('kind = "line-drop"', 'kind = "line-dorp"', "unknown kind 'line-dorp'"),
        ('safety = "safe"', 'safety = "maybe"', "safety must be safe, unsafe or display"),
        ('code = "TT101"', 'code = "tt-101"', "code 'tt-101' must be a family prefix"),
        ('name = "drop-marker"', 'name = "Drop Marker"', "must be kebab-case"),
        ('pattern = "MARKER"', "pattern = 3", "pattern must be of type string"),
        ('pattern = "MARKER"', 'pattern = "MARKER"\nzone = "middle"', "zone must be one of"),
        ('languages = ["*"]', 'languages = ["english"]', "languages must be a list of ISO 639"),
        ('output = "Text.\\nMore.\\n"', 'output = "Text.\\nMARKER\\nMore."', "equals its input"),
    ],
)
def test_validation_messages(write_pack, old, new, message):
    text = MINIMAL_RULE.replace(old, new)
    assert text != MINIMAL_RULE
    path = write_pack(text)
    problems = problems_of(path)
    assert any(message in p for p in problems), problems
    assert all(p.startswith(f"{path}:") for p in problems)


def test_missing_kind_parameter(write_pack):
    text = MINIMAL_RULE.replace('pattern = "MARKER"\n', "")
    [problem] = problems_of(write_pack(text))
    assert "a line-drop rule needs 'pattern'" in problem


def test_bad_replacement_template(write_pack):
    text = MINIMAL_RULE.replace('kind = "line-drop"', 'kind = "pattern-replace"').replace(
        'pattern = "MARKER"', 'pattern = "MARKER"\nreplace = "\\\\2"'
    )
    [problem] = problems_of(write_pack(text))
    assert "group 2" in problem


def test_rule_files_are_never_executed(write_pack, tmp_path):
    """A pack is data: Python in a string stays a string."""
    marker = tmp_path / "pwned"
    text = MINIMAL_RULE.replace(
        'description = "Drops MARKER lines."',
        f"description = \"__import__('pathlib').Path('{marker}').touch()\"",
    )
    pack = load_pack(write_pack(text))
    assert not marker.exists()
    assert pack.rules[0].description.startswith("__import__")


def test_missing_rules_path():
    with pytest.raises(RuleFileError, match="no such rule file"):
        load_rules(["/nonexistent/pack.toml"])


def test_invalid_toml_at_end_of_file_reports_last_line(write_pack):
    text = MINIMAL_RULE + 'dangling = "unterminated'
    path = write_pack(text)
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:{len(text.splitlines())}: invalid TOML")


def test_code_that_starts_another_code_is_rejected(write_pack, tmp_path):
    write_pack(MINIMAL_RULE, "a.toml")
    other = (
        MINIMAL_RULE.replace('name = "test-pack"', 'name = "other-pack"')
        .replace('name = "drop-marker"', 'name = "drop-marker-two"')
        .replace("TT101", "TT1015")
    )
    write_pack(other, "b.toml")
    with pytest.raises(RuleFileError, match="code TT1015 starts with code TT101"):
        load_rules([tmp_path], include_default=False)


def test_disabled_rule_loads_and_is_tested_but_never_runs(write_pack, capsys):
    from cleaner import Cleaner
    from cleaner.cli import main

    text = MINIMAL_RULE.replace('safety = "safe"', 'safety = "safe"\nenabled = false')
    path = write_pack(text)
    [rule] = load_pack(path).rules
    assert rule.enabled is False
    packs = [load_pack(path)]
    assert Cleaner(packs).clean("Text.\nMARKER\n", lang="en").text == "Text.\nMARKER\n"
    # Still selectable on purpose, for a reviewer measuring it (rules --coverage).
    opted_in = Cleaner(packs, include_disabled=True)
    assert opted_in.clean("Text.\nMARKER\n", lang="en").text == "Text.\n"
    # test-rules still runs its examples; `rules` says it is disabled.
    assert main(["test-rules", str(path)]) == 0
    assert main(["rules", "--rules", str(path), "--select", "TT"]) == 0
    assert "disabled" in capsys.readouterr().out


def test_enabled_must_be_a_boolean(write_pack):
    text = MINIMAL_RULE.replace('safety = "safe"', 'safety = "safe"\nenabled = "no"')
    path = write_pack(text)
    [problem] = problems_of(path)
    assert problem.endswith("enabled must be a bool")


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("body-trim", "terminators = '(Comments'"),
        ("glossary", "table = { Bagdad = 'Baghdad' }\nbefore = '(in '"),
        ("block-drop", "start = 'Comments'\nconfirm = '(reply'"),
    ],
)
def test_a_bad_deferred_pattern_of_any_kind_is_reported_at_load(tmp_path, kind, params):
    """Whatever a kind compiles on first use, a user's pack has it compiled at load."""
    rule = MINIMAL_RULE.replace('kind = "line-drop"', f'kind = "{kind}"')
    (tmp_path / "stoplists").mkdir()
    path = tmp_path / "broken.toml"
    path.write_text(rule.replace('pattern = "MARKER"', params))
    [problem] = problems_of(path)
    assert f"{path}:{line_of(rule, '[[rule]]')}: rule TT101: " in problem
    assert "regex" in problem
