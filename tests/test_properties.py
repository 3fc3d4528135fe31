"""Property tests (hypothesis, fixed seed): no exception, idempotent, revertible, text kept.

For arbitrary text and for generated articles (real paragraphs from the
samples with debris lines from the rules' own fix examples), cleaning:

- raises nothing;
- is idempotent: ``clean(clean(x)) == clean(x)``;
- is revertible: ``revert(clean(x).text, clean(x).edits) == x``;
- leaves every piece of text outside its edits byte for byte as it was, in order.

And a file of any encoding and line endings comes back byte for byte from
``clean-articles IN OUT`` followed by ``revert``.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner, revert, revert_output
from cleaner.changelog import Edit, PassMap
from cleaner.document import is_prose
from cleaner.guard import original_span
from cleaner.loader import load_rules
from cleaner.runner import Output, clean_file

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
PROFILE = settings(
    derandomize=True,  # the same examples every run: a failure is reproducible
    database=None,  # and nothing written into the checkout
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
CLEANER = Cleaner()
UNSAFE = Cleaner(unsafe_fixes=True)

PROSE = sorted(
    {
        line
        for path in (SAMPLES / "expected").iterdir()
        for line in path.read_text(encoding="utf-8").splitlines()
        if is_prose(line)
    }
)


def _debris() -> list[str]:
    """Lines the English and language-neutral line and block rules remove in their examples."""
    found = set()
    for pack in load_rules():
        for rule in pack.rules:
            if rule.kind not in ("line-drop", "block-drop") or rule.source_langs:
                continue
            if not {"en", "*"} & set(rule.languages):
                continue
            for example in rule.fixes:
                kept = set(example.output.splitlines())
                found.update(
                    line for line in example.input.splitlines() if line.strip() and line not in kept
                )
    return sorted(found)


DEBRIS = _debris()

# Letters, digits, punctuation, quotes, white space of every kind, a few scripts.
ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    + list(" \t\n\n\n.,;:!?-()[]{}<>/|'\"“”‘’«»…—–•©®°%€$#@&*+=_~^")
    + ["\u00a0", "\u202f", "\u2007", "\u200b", "\ufeff", "\r", "é", "ü", "ß", "ç", "ñ"]
    + ["Ж", "ы", "ع", "ل", "中", "文", "🙂", "\u0301"]
)
TEXT = st.text(ALPHABET, max_size=400)
WORDISH = st.lists(
    st.sampled_from(
        ["source", "site-12", "Read", "more", "Advertisement", "[ad_1]", "Share", "Tweet",
         "the", "Islamic", "State", "EI", "Daech", "said", "2", "min", "read", "\u00a0", "\n"]
    ),
    max_size=60,
).map(" ".join)  # fmt: skip


@st.composite
def articles(draw) -> str:
    """A headline, real paragraphs and debris lines in the head, the middle and the tail."""
    paragraphs = draw(st.lists(st.sampled_from(PROSE), min_size=1, max_size=8))
    blocks = [draw(st.sampled_from(PROSE)).split(",")[0], *paragraphs]
    for _ in range(draw(st.integers(0, 10))):
        position = draw(st.integers(0, len(blocks)))
        blocks.insert(position, draw(st.sampled_from(DEBRIS)))
    separator = draw(st.sampled_from(["\n\n", "\n", "\n\n\n", "\n \n"]))
    return separator.join(blocks) + draw(st.sampled_from(["", "\n", "\n\n"]))


def pass_maps(edits: list[Edit]) -> list[PassMap]:
    by_pass: dict[int, list[Edit]] = {}
    for edit in edits:
        by_pass.setdefault(edit.pass_index, []).append(edit)
    return [PassMap(sorted(by_pass.get(i, []), key=lambda e: e.start)) for i in range(
        max(by_pass, default=-1) + 1
    )]  # fmt: skip


def untouched(text: str, edits: list[Edit]) -> list[str]:
    """The runs of ``text`` no applied edit touched (mapped back through the passes)."""
    maps = pass_maps(edits)
    spans = sorted(original_span(edit, maps) for edit in edits)
    runs, cursor = [], 0
    for start, end in spans:
        if start > cursor:
            runs.append(text[cursor:start])
        cursor = max(cursor, end)
    runs.append(text[cursor:])
    return [run for run in runs if run]


def in_order(parts: list[str], text: str) -> bool:
    position = 0
    for part in parts:
        found = text.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


def check(cleaner: Cleaner, text: str, lang: str | None = "en") -> None:
    result = cleaner.clean(text, lang=lang, source_lang="fr")
    assert revert(result.text, result.edits) == text
    assert in_order(untouched(text, result.edits), result.text)
    if result.converged:
        again = cleaner.clean(result.text, lang=lang, source_lang="fr")
        assert again.text == result.text, (text, result.text, again.edits)


@settings(PROFILE, max_examples=300)
@given(TEXT)
def test_arbitrary_text(text):
    check(CLEANER, text)


@settings(PROFILE, max_examples=500)
@given(st.text(alphabet=st.sampled_from(list("ab .!?…:;\"'”’»)]\t\n\u2003\u00a0,-x")), max_size=40))
def test_is_prose_is_its_definition(line):
    """is_prose checks the end of the line first; the answer is the definition's."""
    from cleaner.document import PROSE_MIN_WORDS, SENTENCE_END, WORD, prose_words

    defined = len(WORD.findall(line)) >= PROSE_MIN_WORDS and bool(SENTENCE_END.search(line))
    assert is_prose(line) == defined
    assert (prose_words(line) >= PROSE_MIN_WORDS) == defined
    if defined:
        assert prose_words(line) == len(WORD.findall(line))


@settings(PROFILE, max_examples=200)
@given(st.text(max_size=60), st.integers(min_value=-1, max_value=50))
def test_letter_count_stops_early_with_the_same_answer(text, count):
    from cleaner.language import _has_letters

    assert _has_letters(text, count) == (sum(ch.isalpha() for ch in text) >= count)


@settings(PROFILE, max_examples=150)
@given(WORDISH)
def test_debris_words_in_any_order(text):
    check(UNSAFE, text)


@settings(PROFILE, max_examples=150)
@given(articles())
def test_generated_articles(text):
    check(CLEANER, text)
    check(UNSAFE, text)


@settings(PROFILE, max_examples=40)
@given(articles())
def test_generated_articles_with_language_detection(text):
    result = CLEANER.clean(text)
    assert revert(result.text, result.edits) == text


ENCODINGS = [
    ("utf-8", b""),
    ("utf-8", codecs.BOM_UTF8),
    ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE),
    ("cp1252", b""),
]


@settings(PROFILE, max_examples=60)
@given(
    articles(),
    st.sampled_from(ENCODINGS),
    st.lists(st.sampled_from(["\n", "\r\n", "\r"]), min_size=1, max_size=3),
)
def test_files_come_back_byte_for_byte(tmp_path_factory, text, encoding, newlines):
    codec, bom = encoding
    text = text.replace("\u2026", "...")
    lines = text.split("\n")
    data = "".join(
        line + (newlines[i % len(newlines)] if i < len(lines) - 1 else "")
        for i, line in enumerate(lines)
    )
    try:
        raw = bom + data.encode(codec)
    except UnicodeEncodeError:
        raw = bom + data.encode(codec, "replace")
    root = tmp_path_factory.mktemp("file")
    (root / "in").mkdir()
    (root / "in" / "a.txt").write_bytes(raw)
    from cleaner.cli import main

    code = main([str(root / "in"), str(root / "out"), "--lang", "en", "-q", "--isolated"])
    [restored] = revert_output(root / "out", root / "back")
    if code == 0 or restored.status != "failed":
        assert (root / "back" / "a.txt").read_bytes() == raw
    else:  # refused (e.g. cp1252 'replace' made it implausible): nothing written
        assert not (root / "out" / "a.txt").exists()


def test_a_piece_can_be_cleaned_like_a_file(tmp_path):
    """clean_file is what the CLI runs; it gives the same text as the API for a small file."""
    text = "\n\n".join([PROSE[0], DEBRIS[0], PROSE[1]]) + "\n"
    (tmp_path / "a.txt").write_text(text)
    run = clean_file(tmp_path / "a.txt", "a.txt", CLEANER, lang="en", output=Output(tmp_path / "b"))
    assert run.status in ("cleaned", "unchanged")
    assert (tmp_path / "b").read_text() == CLEANER.clean(text, lang="en").text


def test_debris_and_prose_are_there():
    assert len(PROSE) > 20 and len(DEBRIS) > 50
