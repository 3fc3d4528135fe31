"""Unit tests of rule kinds' behaviour beyond their TOML examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from cleaner import RuleFileError
from cleaner.document import Document, words
from cleaner.engine import Engine
from cleaner.gates import gate, line_gate
from cleaner.kinds.fragment_repair import leftover_start
from cleaner.kinds.near_duplicates import similarity
from cleaner.loader import load_pack
from cleaner.matching import compile_regex, leftmost_hits, matches_at, trie_pattern

HEAD = '[pack]\nname = "k"\nlanguages = ["*"]\n'


def one_rule(tmp_path: Path, kind: str, params: str, safety: str = "safe") -> Engine:
    path = tmp_path / "k.toml"
    path.write_text(
        HEAD
        + f'[[rule]]\ncode = "KK001"\nname = "k"\nkind = "{kind}"\ndescription = "d"\n'
        + f'safety = "{safety}"\nkeep = ["-"]\n{params}\n[[rule.fix]]\ninput = "a"\noutput = "b"\n',
        encoding="utf-8",
    )
    return Engine(load_pack(path).rules)


def test_gate_literals():
    assert gate(r"source\s+(?:site|link)") == frozenset({"source"})
    assert gate(r"(?:previous|next)\s*article") == frozenset({"article"})
    assert gate(r"\d+") is None
    # Symbols are rare enough in prose to gate on, even alone; short words are not.
    assert gate(r"[^\n]{3,90}\s©\s\w+") == frozenset({"©"})
    assert gate(r"\w+\s(?:ap|dpa)/\w+") == frozenset({"/"})
    assert gate(r"\w+\s(?:ap|afp)\s\w+") is None
    assert gate(r"\p{Lu}+ gate") in (None, frozenset({" gate"}))  # regex-only syntax: no crash
    # Rare symbols as alternatives gate like their alternation (the parser makes a class
    # of them); ASCII or common punctuation, and negated classes, make none.
    assert gate(r"\S+\s*(?:→|➔)") == frozenset({"→", "➔"})
    assert line_gate(r"\S+[→➔]")[0] == frozenset({"→", "➔"})
    assert gate(r"\w+[.!?]") is None
    assert gate(r"\w+[–—]\w+") is None
    assert gate(r"[^©]+") is None


def test_gate_reads_lookarounds():
    keyword_anywhere = r"(?=[^\n]{0,400}$)(?=[^\n]*?(?:\bnewsletter\b|\bsubscribe\b))[^\n]+"
    assert gate(keyword_anywhere) == frozenset({"newsletter", "subscribe"})
    assert gate(r"(?!\w*said)\w+") is None  # a negative lookahead proves nothing


def test_next_to_prose_is_linear_in_blank_lines():
    """Each line is looked at once: a long run of blank lines (each of which looked
    down the rest of the run for the next paragraph: 20,000 took 9 s) is cheap."""
    import time

    from cleaner.kinds.pattern_replace import context_starts

    sentence = "The council said on Tuesday that the work would start in the spring."
    text = f"{sentence}\n" + "\n" * 100_000 + f"Share this\n{sentence}\n"
    began = time.process_time()
    starts = context_starts(Document(text), "next-to-prose")
    assert time.process_time() - began < 1.0
    share = len(sentence) + 1 + 100_000
    # Below the sentence and the blank line after it; 'Share this' above the sentence;
    # the sentence (nothing but a line break follows); the end.
    assert starts == [share - 100_000, share - 99_999, share, share + 11, len(text)]


def test_line_gate_is_what_a_match_needs_on_its_first_line():
    anchored = r"(?x) (?<![^\n])[^\S\n]*(?:share[^\S\n]+this|like[^\S\n]+us)[^\S\n]*(?:\n|\Z)"
    assert line_gate(anchored) == (frozenset({"share", "like"}), True)
    # Not anchored at a line start; a literal after a possible line break, or only in a
    # lookaround (which may look at other lines), is no gate of the first line.
    assert line_gate(r"\bshare this") == (frozenset({"share this"}), False)
    assert line_gate(r"(?<![^\n])\s*share") == (None, True)  # \s takes a line break
    assert line_gate(r"(?<![^\n])[^\n]*\nshare") == (None, True)
    assert line_gate(r"(?<![^\n])(?=[^\n]*share)\w+") == (None, True)
    assert line_gate(r"(?<![^\n])(?:news|\s+)letter") == (None, True)
    assert line_gate(r"(?<![^\n])(?:\w+\n)?share") == (None, True)
    # The first repetition's literals are on the first line; an optional part's are not.
    assert line_gate(r"(?<![^\n])(?:[^\S\n]*(?:twitter|mail)\n){2,}") == (
        frozenset({"twitter", "mail"}),
        True,
    )
    assert line_gate(r"(?<![^\n])(?:share)?[^\S\n]*tweet") == (frozenset({"tweet"}), True)
    # Letter properties read as \w; any other property leaves the pattern unread.
    assert line_gate(r"(?<![^\n])\p{Lu}\p{L}+ said") == (frozenset({" said"}), True)
    assert line_gate(r"(?<![^\n])\P{L}+ said") == (None, False)
    assert line_gate(r"(?<![^\n])[\p{Cc}]* said") == (None, False)
    assert line_gate(r"(?<![^\n]).*share") == (None, True)  # '.' may be (?s)


def _widget_fixtures() -> tuple[dict[str, list[str]], list[str]]:
    """The mid-article widget fixtures: article paragraphs by name, and every widget and
    look-alike line."""
    import tomllib

    path = Path(__file__).resolve().parent / "fixtures" / "mid-article-widgets.toml"
    fixtures = tomllib.loads(path.read_text("utf-8"))
    lines = [
        line
        for kind in ("widget", "keep")
        for case in fixtures.get(kind, [])
        for line in case.get("lines", [case.get("line")])
        if line
    ]
    return fixtures["articles"], lines


def test_line_gated_rules_hit_where_their_patterns_hit():
    """A pattern-replace rule whose matches start at line starts only (``(?<![^\\n])``
    or a context) is tried only at the starts of lines holding one of its first line's
    literals: the same hits as its whole pattern scanning the text, for every shipped
    rule so tried, on the samples, every pattern-replace rule's examples and look-alikes,
    and the widget fixtures' lines put between paragraphs, at the top and the bottom."""

    from cleaner import load_rules
    from cleaner.kinds import KINDS
    from cleaner.prefilter import can_prefilter

    root = Path(__file__).resolve().parent
    articles, lines = _widget_fixtures()
    groups = [[r for r in pack.rules if r.kind == "pattern-replace"] for pack in load_rules()]
    groups = [g for g in groups if g]
    for group in groups:
        for rule in group:
            lines.extend(ex.input for ex in rule.fixes)
            lines.extend(rule.keeps)
    texts = [p.read_text("utf-8") for p in sorted((root.parent / "samples" / "in").glob("*.txt"))]
    for i, line in enumerate(lines):
        paragraphs = articles[sorted(articles)[i % len(articles)]]
        texts.append(line)
        texts.append("\n\n".join([*paragraphs[:3], line, *paragraphs[3:]]) + "\n")
        texts.append(f"{line}\n\n" + "\n\n".join(paragraphs[1:]))
        texts.append("\n".join([*paragraphs[:3], f"{line}\n{line.upper()}", *paragraphs[3:]]))
        texts.append("\n\n".join(paragraphs) + f"\n  {line}")
    tried = hits = 0
    for group in groups:
        matcher = KINDS["pattern-replace"].compile(group)
        gated = [r for r in matcher._merged if matcher.compiled[r.code].line_gate]
        for text in texts:
            doc = Document(text)
            assert can_prefilter(doc.lower)
            for rule in gated:
                pattern = matcher.compiled[rule.code].re
                want = [m.span() for m in pattern.finditer(text)]
                fast = matcher._searcher(doc, rule, pattern)
                assert [m.span() for m in fast.finditer(text)] == want, (rule.code, text[:80])
                tried += 1
                hits += len(want)
    assert tried > 50_000 and hits > 500  # the texts do exercise the rules


def test_line_drop_keyword_anywhere_rule_is_gated_per_line(tmp_path):
    """A keyword-anywhere rule is tried only on lines holding its literal:
    the lines it drops must be exactly those it matches."""
    pattern = r"(?=[^\n]*?\bnewsletter\b)(?=[^\n]*\bour\b)[^\n]+"
    engine = one_rule(tmp_path, "line-drop", f"pattern = '''{pattern}'''\nignore_case = true")
    assert gate(engine.rules[0].params.pattern) == frozenset({"newsletter"})
    text = (
        "The vote was postponed.\nSign up for our NEWSLETTER today\n"
        "Our reporters wrote a newsletter.\nThe newsletter of the union grew.\n"
    )
    assert engine.clean(text).text == "The vote was postponed.\nThe newsletter of the union grew.\n"


def test_trie_pattern_prefers_longest_entry():
    import regex

    words = ["al-Kazimi", "Moustafa al-Kazimi", "Moustafa"]
    compiled = regex.compile(f"(?:{trie_pattern(words)})")
    assert compiled.findall("Moustafa al-Kazimi; al-Kazimi") == ["Moustafa al-Kazimi", "al-Kazimi"]


def test_document_zones():
    prose = "This is a long enough sentence to count as prose here."
    lines = ["Title", "By Jane", "", *[prose] * 6, "", "Source", "Link"]
    doc = Document("\n".join(lines) + "\n")
    # Head: up to the first prose line, tail: after the last one; each spans at
    # least three non-blank lines, so here both reach into the prose.
    assert [i for i in range(len(doc)) if doc.in_zone(i, "head")] == [0, 1, 2, 3]
    assert [i for i in range(len(doc)) if doc.in_zone(i, "tail")] == [8, 9, 10, 11]
    assert doc.in_zone(5, "any") and not doc.in_zone(5, "edges")


def test_block_drop_leaves_long_blocks_alone(tmp_path):
    engine = one_rule(tmp_path, "block-drop", "start = 'Comments'\nmax_lines = 3")
    short = "Body.\nComments\nOne\nTwo\n"
    long = "Body.\nComments\nOne\nTwo\nThree\nFour\n"
    assert engine.clean(short).text == "Body.\n"
    assert engine.clean(long).text == long


ITEMS_RULE = (
    "start = 'Related\\s*'\nend = 'items'\nmax_lines = 4\nline_pattern = '[^\\n]{3,80}(?<![.])'"
)


def test_block_drop_items_spread_over_paragraphs_go_where_the_article_goes_on(tmp_path):
    engine = one_rule(tmp_path, "block-drop", ITEMS_RULE)
    widget = "Related\n\nMayor faces vote\n\nFloods hit the north\n\n"
    after = "The vote passed.\n\nIt takes effect in May.\n"
    # The blank line under the block stays (the whitespace rules tidy it).
    assert engine.clean("Intro.\n\n" + widget + after).text == "Intro.\n\n\n" + after


def test_block_drop_items_leave_a_teaser_feed_and_long_runs(tmp_path):
    engine = one_rule(tmp_path, "block-drop", ITEMS_RULE)
    # Headlines and their summaries alternate: the heading is the end of the article.
    feed = (
        "Intro.\n\nRelated\n\nMayor faces vote\n\nA summary.\n\nFloods hit the north\n\nAnother.\n"
    )
    # More items than max_lines allows: a list.
    long = "Intro.\n\nRelated\n\nOne item\n\nTwo item\n\nThree item\n\nFour item\n\nEnd. Really.\n"
    # A sentence right under the heading: the article's own heading.
    heading = "Intro.\n\nRelated\nThe two cases are related.\n\nMore. Even more.\n"
    for text in (feed, long, heading):
        assert engine.clean(text).text == text


def test_block_drop_start_ending_in_white_space_stays_on_its_line(tmp_path):
    # 'Related\s*' could take the line break and match the blank line under it too.
    engine = one_rule(tmp_path, "block-drop", "start = 'Related\\s*'\nend = 'blank'")
    assert engine.clean("Intro.\n\nRelated\n\nThe vote passed.\n").text == (
        "Intro.\n\n\nThe vote passed.\n"
    )


def test_block_drop_items_needs_a_line_pattern(tmp_path):
    with pytest.raises(RuleFileError, match="line_pattern"):
        one_rule(tmp_path, "block-drop", "start = 'Related'\nend = 'items'")


def test_similarity_counts_truncated_copies():
    full = words("The minister resigned after weeks of pressure over the affair.")
    assert similarity(full[:7], full) >= 0.8
    assert similarity(full[:3], full) < 0.8


@pytest.mark.parametrize(
    ("before", "value", "expected_leftover"),
    [
        ("reality:EI", "Iraqi forces attack ISIS ", "EI"),
        (
            "would retain000 active combatants ",
            "in all 10,000 active combatants",
            "000 active combatants ",
        ),
        ("counted 12,000 voters", "12,000 voters", "12,000 voters"),
        ("The talks ended ", "Talks end", " "),  # nothing glued: only the space goes
    ],
)
def test_fragment_leftover(before, value, expected_leftover):
    assert before[leftover_start(before, value, ["EI"]) :] == expected_leftover


def test_unparseable_fragment_is_reported_not_changed(tmp_path):
    engine = one_rule(tmp_path, "fragment-repair", "")
    text = "A new reality:EI“,” text “:” Iraqi forces and no closing part at all.\n"
    result = engine.clean(text)
    assert result.text == text
    [finding] = result.findings
    assert finding.code == "KK001" and not finding.applied and "does not parse" in finding.message


def test_glossary_table_file_must_stay_inside_pack_dir(tmp_path):
    (tmp_path / "t.tsv").write_text("Bagdad\tBaghdad\n", encoding="utf-8")
    assert one_rule(tmp_path, "glossary", 'table_file = "t.tsv"').clean("In Bagdad.").text == (
        "In Baghdad."
    )
    with pytest.raises(RuleFileError, match="inside the pack's directory"):
        one_rule(tmp_path, "glossary", 'table_file = "../outside.tsv"')
    with pytest.raises(RuleFileError, match="inside the pack's directory"):
        one_rule(tmp_path, "glossary", 'table_file = "/etc/passwd"')


def test_glossary_bad_table_file_line(tmp_path):
    (tmp_path / "t.tsv").write_text("# ok\nno tab here\n", encoding="utf-8")
    with pytest.raises(RuleFileError, match=r"t.tsv:2: expected 'variant<TAB>canonical'"):
        one_rule(tmp_path, "glossary", 'table_file = "t.tsv"')


def test_glossary_whole_words_and_case(tmp_path):
    engine = one_rule(tmp_path, "glossary", '[rule.table]\n"Wien" = "Vienna"')
    assert engine.clean("Wien, Wiener, wien").text == "Vienna, Wiener, wien"


def test_institution_pronoun_object_and_possessive(tmp_path):
    engine = one_rule(
        tmp_path,
        "institution-pronoun",
        "institutions = 'alliance'\nblockers = 'woman'",
    )
    text = "The alliance met. Her members trust her, and she knows it."
    assert engine.clean(text).text == "The alliance met. Its members trust it, and it knows it."
    blocked = "The alliance met a woman. She spoke."
    assert engine.clean(blocked).text == blocked


def test_language_residue_needs_document_language(tmp_path):
    engine = one_rule(tmp_path, "language-residue", "min_words = 8")
    french = (
        "Le gouvernement a annoncé lundi que les négociations reprendraient bientôt à Genève.\n"
    )
    text = "The talks resumed.\n" + french
    assert engine.clean(text, lang="en").text == "The talks resumed.\n"
    assert engine.clean(text, lang=None).text == text


def test_harmless_characters_never_make_ftfy_badness_match():
    """mojibake.HARMLESS lets plain English text skip ftfy's regex: prove it on
    every short string of ASCII and those characters (ftfy's patterns are at
    most a few characters long)."""
    import itertools
    import string

    from ftfy.badness import BADNESS_RE

    from cleaner.kinds.mojibake import HARMLESS, could_be_bad

    everything = [*string.printable, *sorted(HARMLESS)]
    for n in (1, 2, 3):
        for chars in itertools.product(everything, repeat=n):
            assert not BADNESS_RE.search("".join(chars)), chars
    representatives = [*"aZ.,?! \n-0", *sorted(HARMLESS)]
    for chars in itertools.product(representatives, repeat=4):
        assert not BADNESS_RE.search("".join(chars)), chars
    assert not could_be_bad("“Quoted” — plain text…")
    assert could_be_bad("cafÃ© au lait")


def test_reduced_badness_regex_finds_what_ftfy_finds():
    """mojibake.badness_regex drops the alternatives a text cannot match: on
    random texts over the characters ftfy's regex is made of (and real
    mojibake), it must find exactly ftfy's matches."""
    import random

    from ftfy.badness import BADNESS_RE

    from cleaner.kinds.mojibake import _badness_branches, badness_regex

    branches = _badness_branches()
    assert branches is not None, "ftfy's badness regex changed shape: the fast path is off"
    pool = sorted({c for _, required in branches for chars in required for c in chars})
    words = ["café", "Müller", "naïve", "Москва", "Αθήνα", "بغداد", "€ 20", "50°C", "Œuvre"]
    broken = [w.encode("utf-8").decode("cp1252", errors="replace") for w in words]
    broken += [w.encode("utf-8").decode("cp1251", errors="replace") for w in words]
    broken += [w.encode("utf-8").decode("mac_roman", errors="replace") for w in words]
    rng = random.Random(11)
    for _ in range(3000):
        parts = []
        for _ in range(rng.randint(1, 12)):
            roll = rng.random()
            if roll < 0.4:
                parts.append("".join(rng.choices(pool, k=rng.randint(1, 4))))
            elif roll < 0.7:
                parts.append(rng.choice(broken))
            else:
                parts.append(rng.choice([*words, "the", "a", " ", "\n", "x"]))
        text = " ".join(parts)
        reduced = badness_regex(text)
        expected = [m.span() for m in BADNESS_RE.finditer(text)]
        found = [] if reduced is None else [m.span() for m in reduced.finditer(text)]
        assert found == expected, text


def test_similarity_bound_never_underestimates():
    """near_duplicates skips SequenceMatcher when the bound is below the threshold."""
    import random
    from collections import Counter

    from cleaner.kinds.near_duplicates import similarity_bound

    rng = random.Random(7)
    vocabulary = ["the", "a", "minister", "said", "on", "monday", "iraq", "x", "y"]
    for _ in range(2000):
        a = [rng.choice(vocabulary) for _ in range(rng.randint(0, 12))]
        b = [rng.choice(vocabulary) for _ in range(rng.randint(0, 12))]
        assert similarity_bound(a, b) >= similarity(a, b) - 1e-12, (a, b)
        # The same number as the multiset intersection of the Counters (how it was).
        shared = sum((Counter(a) & Counter(b)).values())
        shorter = min(len(a), len(b))
        ratio = 2 * shared / (len(a) + len(b)) if a or b else 1.0
        contained = shared / shorter if shorter and shorter >= 0.5 * max(len(a), len(b)) else 0.0
        assert similarity_bound(a, b) == max(ratio, contained)


def _body_trim(tmp_path: Path, params: str) -> Engine:
    (tmp_path / "stoplists").mkdir(exist_ok=True)  # no list: sentence ends stand in
    return one_rule(tmp_path, "body-trim", params)


_ARTICLE = [
    "Storm hits the coast",
    "The storm arrived at midnight and flooded the harbour, officials said on Monday morning.",
    "Residents were told to stay indoors, and the council opened two shelters in the town hall.",
    "The water is expected to go down within two or three days, the weather service said today.",
]
_NAV = ["Home", "News", "Sport", "Weather", "Markets", "Contact"]
_COOKIE = "We use cookies to give you the best experience on our site, and you agree to that."
_PEEL = "peel_gap = 3\npeel_max_chars = 400\npeel_list_item = '[-•]\\s'"


def test_body_trim_peels_a_detached_footer_sentence(tmp_path):
    text = "\n".join([*_ARTICLE, *_NAV, _COOKIE, "Imprint", "Privacy"]) + "\n"
    # Without peeling the cookie sentence is prose and holds the tail open.
    assert _body_trim(tmp_path, "").clean(text).text == text
    peeled = _body_trim(tmp_path, _PEEL).clean(text).text
    assert peeled == "\n".join(_ARTICLE) + "\n"


def test_body_trim_keeps_a_detached_cluster_after_a_list(tmp_path):
    items = ["- Warm-up at eleven", "- Contest at noon", "- Prizes at six", "Map", "Tickets"]
    text = "\n".join([*_ARTICLE, *items, _COOKIE, *_NAV]) + "\n"
    # The gap opens with the article's own list: only the navigation after the
    # cookie sentence goes, as without peeling.
    kept = "\n".join([*_ARTICLE, *items, _COOKIE]) + "\n"
    assert _body_trim(tmp_path, _PEEL).clean(text).text == kept


def test_body_trim_keeps_a_large_or_near_cluster(tmp_path):
    long_tail = [_COOKIE.replace("cookies", f"cookie {n}") for n in range(6)]  # > 400 chars
    text = "\n".join([*_ARTICLE, *_NAV, *long_tail, *_NAV]) + "\n"
    assert (
        _body_trim(tmp_path, _PEEL).clean(text).text
        == "\n".join([*_ARTICLE, *_NAV, *long_tail]) + "\n"
    )
    near = "\n".join([*_ARTICLE, *_NAV[:3], _COOKIE, *_NAV]) + "\n"  # a gap of 3: same cluster
    assert (
        _body_trim(tmp_path, _PEEL).clean(near).text
        == "\n".join([*_ARTICLE, *_NAV[:3], _COOKIE]) + "\n"
    )


def test_body_trim_rejects_negative_peel_gap(tmp_path):
    with pytest.raises(RuleFileError, match="peel_gap"):
        _body_trim(tmp_path, "peel_gap = -1")


# Long enough (over length_high = 100) to be a good block without a stop-list.
_LONG = [
    "The council met again on Tuesday evening and agreed, after a long and at times heated debate, "
    "to rebuild the sea wall.",
    "Work on the harbour will start in the spring, the mayor said, and should be finished before "
    "the storms of next winter.",
]
_TERM = "length_high = 100\nmin_body_chars = 50\nterminators = 'Comments'\n"


def test_body_trim_terminator_followed_by_paragraphs_ends_nothing(tmp_path):
    engine = _body_trim(tmp_path, _TERM + "strong_terminators = 'Comments'")
    # A 'Comments' link under the lead, then the article goes on: nothing is cut.
    text = "\n".join([*_ARTICLE, "Comments", *_LONG, *_ARTICLE[1:]]) + "\n"
    assert engine.clean(text).text == text
    # A real comment section: a name and short lines below the heading.
    comments = ["Comments", "Jane Doe", "Great article, thank you.", *_NAV]
    text = "\n".join([*_ARTICLE, *_LONG, *comments]) + "\n"
    assert engine.clean(text).text == "\n".join([*_ARTICLE, *_LONG]) + "\n"


def test_body_trim_keeps_the_standfirst_under_the_headline(tmp_path):
    title = "Storm hits the coast | Daily Example"
    standfirst = "Hundreds of homes were flooded as the storm reached the harbour in the night"
    audio = "Listen to the report on the flooded harbour in the town of Seaford"
    byline = ["By Jane Doe", audio, "3 March 2021", "Share"]
    text = "\n".join([title, *_NAV, _ARTICLE[0], standfirst, *byline, *_ARTICLE[1:]])
    kept = "\n".join([_ARTICLE[0], standfirst, *_ARTICLE[1:]]) + "\n"
    engine = _body_trim(tmp_path, "")
    # Stop-word density tells the standfirst (no full stop) from a byline.
    stops = "the\nas\nin\nof\non\nat\nand\nto\nwere\nfrom\n"
    (tmp_path / "stoplists" / "en.txt").write_text(stops, encoding="utf-8")
    # The first line with the words of prose stays; a second one goes.
    assert engine.clean(text + "\n", lang="en").text == kept


def test_body_trim_keeps_a_sentence_that_introduces_a_list(tmp_path):
    intro = "The shelters that are still open are listed here:"
    text = "\n".join([*_ARTICLE, intro, *_NAV]) + "\n"
    assert _body_trim(tmp_path, "").clean(text).text == "\n".join([*_ARTICLE, intro]) + "\n"
    # A label ending in ':' is not a sentence: it goes with the footer.
    text = "\n".join([*_ARTICLE, "Share this:", *_NAV]) + "\n"
    assert _body_trim(tmp_path, "").clean(text).text == "\n".join(_ARTICLE) + "\n"


def test_body_trim_keeps_a_list_after_the_prose_when_something_anchors_it(tmp_path):
    intro = "Our picks are below:"
    items = ["Sony WH-1000XM5", "Was £379, now £279", "Buy Now", "Jabra Elite 85h", "Buy Now"]
    # Introduced by a line ending in ':': the list is the article's, the menu after it goes.
    text = "\n".join([*_ARTICLE, intro, *items, *_NAV]) + "\n"
    kept = "\n".join([*_ARTICLE, intro, *items]) + "\n"
    assert _body_trim(tmp_path, "").clean(text).text == kept
    # Running into a terminator anchors it too.
    engine = _body_trim(tmp_path, "terminators = 'Related'")
    text = "\n".join([*_ARTICLE, *items, "Related", *_NAV]) + "\n"
    assert engine.clean(text).text == "\n".join([*_ARTICLE, *items]) + "\n"
    # With nothing to anchor it, a teaser list that fades into the menu goes.
    teasers = ["Council tax to rise by 4.9 per cent", "Bypass to close for 6 weeks"]
    text = "\n".join([*_ARTICLE, *teasers, *_NAV]) + "\n"
    assert _body_trim(tmp_path, "").clean(text).text == "\n".join(_ARTICLE) + "\n"


def test_body_trim_a_terminator_with_a_long_paragraph_below_ends_nothing(tmp_path):
    engine = _body_trim(tmp_path, _TERM.replace("'Comments'", "'Related'"))
    # 'Related' left between two paragraphs: the article resumes right below it.
    text = "\n".join([*_ARTICLE, *_LONG, "Related", _LONG[0], "Note", "x", *_NAV]) + "\n"
    assert "Related\n" + _LONG[0] in engine.clean(text).text
    # A 'Related' box after the article still ends it.
    text = "\n".join([*_ARTICLE, *_LONG, "Related", *_NAV, "Gone"]) + "\n"
    assert engine.clean(text).text == "\n".join([*_ARTICLE, *_LONG]) + "\n"


def test_body_trim_a_german_closing_quote_ends_a_sentence():
    from cleaner.kinds.body_trim.blocks import ends_sentence

    # „...“ closes with '“' in German: the paragraph is prose like one ending in '”'.
    assert ends_sentence("Die kleinen Kreolen heißen „bling hug“")
    assert ends_sentence("He called them “bling hugs”")
    assert not ends_sentence("Kreolen und Ohrringe")


def test_body_trim_a_terminator_with_two_short_paragraphs_below_ends_nothing(tmp_path):
    engine = _body_trim(tmp_path, _TERM.replace("'Comments'", "'Latest news'"))
    # News paragraphs are often shorter than length_high: two sentences in a row
    # right below the heading are the article going on.
    text = "\n".join([*_ARTICLE, *_LONG, "Latest news", *_ARTICLE[1:3], *_NAV]) + "\n"
    assert "Latest news\n" + _ARTICLE[1] in engine.clean(text).text
    # Look-alike: a feed's headlines ending in a quote, no full stop, are no paragraphs.
    headlines = ["Mayor on the sea wall: “We will rebuild it”", "Harbour master: “Not again”"]
    text = "\n".join([*_ARTICLE, *_LONG, "Latest news", *headlines, *_NAV]) + "\n"
    assert engine.clean(text).text == "\n".join([*_ARTICLE, *_LONG]) + "\n"


def test_body_trim_a_terminator_inside_a_numbered_list_ends_nothing(tmp_path):
    engine = _body_trim(tmp_path, "terminators = 'Share on Facebook|Related'")
    rows = [f"{n} Driver Number{n} {600 - n} 0 1 2" for n in range(1, 6)]
    more = [f"{n} Driver Number{n} {600 - n} 0 0 1" for n in range(6, 11)]
    # A share button dropped into a results table: the numbering goes on below it.
    text = "\n".join([*_ARTICLE, *rows, "Share on Facebook", *more]) + "\n"
    assert engine.clean(text).text == text
    # Look-alike: a 'Related' box whose teasers start with a number that does not
    # continue the list (a date, a count) still ends the article.
    teasers = ["3 things to know about the new bypass", "12 photos of the flooded harbour"]
    text = "\n".join([*_ARTICLE, *rows, "Related", *teasers, *_NAV]) + "\n"
    assert engine.clean(text).text == "\n".join([*_ARTICLE, *rows]) + "\n"


def test_body_trim_a_box_heading_below_a_bare_line_still_ends_the_article(tmp_path):
    engine = _body_trim(tmp_path, _TERM.replace("'Comments'", "'About the author'"))
    bio = (
        "Jane has written about the coast and its towns for the paper since 2009, and before that "
        "she reported on farming for the county's radio station."
    )
    # The heading sits under the author's name and title, not between two
    # paragraphs: the long paragraph below it is the box's, and it goes.
    page = [*_ARTICLE, *_LONG, "Jane Doe", "Staff Writer", "About the author", bio, *_NAV]
    out = engine.clean("\n".join(page) + "\n").text
    assert bio not in out and _LONG[1] in out
    # Between two paragraphs the same heading is a widget left in the article.
    page = [*_ARTICLE, *_LONG, "About the author", bio, _LONG[0], *_NAV]
    assert bio in engine.clean("\n".join(page) + "\n").text


def test_body_trim_headlines_with_commas_are_not_a_list(tmp_path):
    teasers = [
        "Floods, storms and a dry summer ahead",
        "Mayor and council agree, at last, on the bypass",
        "Harbour cafe reopens, fishermen return",
        "Schools, libraries to shut early",
        "Rail strike: what it means for you, and when",
    ]
    # A teaser box at the page end: a comma is in many headlines and proves no list.
    text = "\n".join([*_ARTICLE, *teasers]) + "\n"
    assert _body_trim(tmp_path, "").clean(text).text == "\n".join(_ARTICLE) + "\n"
    # Look-alike: an ingredient list, with quantities, at the page end stays.
    items = ["8 ripe pears, cored", "1 lemon, juiced", "6 tbsp pectin", "1 tsp cinnamon", "1 jar"]
    text = "\n".join([*_ARTICLE, *items]) + "\n"
    assert _body_trim(tmp_path, "").clean(text).text == text


def test_body_trim_keeps_a_paragraph_in_another_language(tmp_path):
    engine = _body_trim(tmp_path, "")
    english = "the\nand\non\nat\nto\nin\nof\na\nwere\nwas\nsaid\nis\nwithin\ntwo\nor\nuntil\n"
    (tmp_path / "stoplists" / "en.txt").write_text(english, encoding="utf-8")
    german = (
        "Es ist schon einige Zeit her, als Henry auf die Welt kam. Vor ein paar Tagen hat es "
        "auch Leo geschafft."
    )
    # The page reads as English (its long warnings and sidebar are), the post is
    # German: its stop-words are another language's, and it is prose all the same.
    title = "Nummer zwei: Leo | seelenradio"
    text = "\n".join([title, german, *_NAV, *_ARTICLE[1:], *_ARTICLE[1:]]) + "\n"
    assert german in engine.clean(text, lang="en").text
    # Look-alike: a line of the page's own language without its stop-words still goes.
    menu = "Home. News. Sport. Weather. Markets. Contact. Shop. Jobs. Events. Archive. Help."
    text = "\n".join([title, menu, *_NAV, *_ARTICLE[1:], *_ARTICLE[1:]]) + "\n"
    assert menu not in engine.clean(text, lang="en").text


def test_body_trim_keeps_headed_lists_of_quantities(tmp_path):
    # A recipe after the story: its name and 'Ingredients' are bare lines, the
    # quantities below them make them the list's headings.
    recipe = ["Spiced Pear Jam", "Ingredients", "8-9 ripe pears, cored", "1 lemon", "6 tbsp pectin"]
    text = "\n".join([*_ARTICLE, *recipe]) + "\n"
    assert _body_trim(tmp_path, "").clean(text).text == text
    # Look-alike: the same bare lines above more bare lines are a menu, and go.
    menu = ["Recipes", "Ingredients", "Seasonal", "Baking", "Preserves", "Contact"]
    text = "\n".join([*_ARTICLE, *menu]) + "\n"
    assert _body_trim(tmp_path, "").clean(text).text == "\n".join(_ARTICLE) + "\n"


_LISTS = "item_family = 3\nlist_headings = 'Pros|Cons|Ingredients'\n"


def test_body_trim_keeps_bare_items_under_a_list_heading(tmp_path):
    engine = _body_trim(tmp_path, _LISTS + "terminators = 'Share'")
    box = ["Pros", "Faster page turns", "Warm light", "Cons", "No physical buttons"]
    text = "\n".join([*_ARTICLE, *box, "Share", *_NAV]) + "\n"
    assert engine.clean(text).text == "\n".join([*_ARTICLE, *box]) + "\n"
    # Look-alike: the heading after a bare line (a menu entry) heads nothing.
    menu = ["Recipes", "Ingredients", "Seasonal", "Baking", "Share", *_NAV]
    text = "\n".join([*_ARTICLE, *menu]) + "\n"
    assert engine.clean(text).text == "\n".join(_ARTICLE) + "\n"


def test_body_trim_keeps_items_that_share_a_word(tmp_path):
    engine = _body_trim(tmp_path, _LISTS + "terminators = 'Most popular'")
    schools = ["Aviemore Primary School", "Badenoch High School", "Carrbridge Primary School"]
    text = "\n".join([*_ARTICLE, *schools, "Most popular", *_NAV]) + "\n"
    assert engine.clean(text).text == "\n".join([*_ARTICLE, *schools]) + "\n"
    # Look-alikes: two lines sharing a word, teasers sharing 'The' (too short a
    # word) and one line printed three times (distinct lines count) are no list.
    for lines in (
        ["World News", "Business News", "Sport"],
        ["The salt farmers", "The night markets", "The last ferry"],
        ["Zeit Online", "Zeit Online", "Zeit Online", "Menu", "Abo"],
    ):
        text = "\n".join([*_ARTICLE, *lines, "Most popular", *_NAV]) + "\n"
        assert engine.clean(text).text == "\n".join(_ARTICLE) + "\n", lines


def test_body_trim_a_label_under_every_item_anchors_the_list(tmp_path):
    engine = _body_trim(tmp_path, _LISTS)
    boxes = []
    for name, use in (("Ninja Foodi", "overall"), ("Tower Vortx", "budget"), ("Cosori", "small")):
        boxes += [name, f"Best {use}", "Buy Now"]
    text = "\n".join([*_ARTICLE, *boxes, "Why trust us", "Our team", *_NAV]) + "\n"
    assert engine.clean(text).text == "\n".join([*_ARTICLE, *boxes]) + "\n"
    # Look-alike: a prompt printed after every line, or twice in a row, is no label.
    for prompt in (
        ["Subscribe now", "Log in", "Subscribe now", "Log in", "Subscribe now", "Log in"],
        ["Skip to content", "Skip to content", "Skip to content", "Footer", "Social"],
    ):
        text = "\n".join([*_ARTICLE, *prompt, "Why trust us", "Our team", *_NAV]) + "\n"
        assert engine.clean(text).text == "\n".join(_ARTICLE) + "\n", prompt


def test_body_trim_rejects_negative_item_family(tmp_path):
    with pytest.raises(RuleFileError, match="item_family"):
        _body_trim(tmp_path, "item_family = -1")


_HEAD_PEEL = _PEEL.replace("peel_gap = 3", "peel_gap = 5") + "\npeel_head = true\n"
_TITLE = "Storm hits the coast - Daily Example"


def test_body_trim_peels_a_cookie_notice_above_the_headline(tmp_path):
    engine = _body_trim(tmp_path, _HEAD_PEEL)
    # The notice is prose and held the head open; above the headline it goes.
    text = "\n".join([_TITLE, _COOKIE, *_NAV, *_ARTICLE]) + "\n"
    assert engine.clean(text).text == "\n".join(_ARTICLE) + "\n"
    # Without peel_head the notice and the menu stay.
    assert _body_trim(tmp_path, _PEEL.replace("3", "5")).clean(text).text == text


def test_body_trim_never_peels_below_or_without_a_headline(tmp_path):
    engine = _body_trim(tmp_path, _HEAD_PEEL)
    lead = _ARTICLE[1]
    streets = ["Harbour Road", "Quay Street", "Mill Lane", "Station Road", "Bridge Street", "Mill"]
    # A later mention with words of its own ('... what we know') is no headline.
    mention = "Storm hits the coast: what we know"
    text = "\n".join([_TITLE, lead, *streets, mention, *_ARTICLE[2:], _LONG[0]]) + "\n"
    assert engine.clean(text).text == text
    # A subheading sharing a few of the title's words is none either.
    text = "\n".join([_TITLE, lead, *streets, "The coast", *_ARTICLE[2:], _LONG[0]]) + "\n"
    assert engine.clean(text).text == text


def test_body_trim_a_results_table_counts_as_article_before_a_terminator(tmp_path):
    engine = _body_trim(tmp_path, "min_body_chars = 50\nterminators = 'Share this on WhatsApp'")
    intro = (
        "The final standings of the season are updated after every race of the year.\n"
        "The final standings of the season, after thirty-six races, are below for you."
    )
    rows = [f"{n} Driver Number{n} {5040 - 7 * n} {n % 4} 1 17 27" for n in range(1, 31)]
    # A teaser box: a headline over its summaries (two sentences right below the
    # button would be the article going on).
    sidebar = ["Sea wall to be rebuilt", _LONG[0], _LONG[1], _ARTICLE[1]]
    text = "\n".join([intro, *rows, "Share this on WhatsApp", *sidebar, *_NAV]) + "\n"
    # The table is the article: with it, the article outweighs the sidebar's prose
    # below the terminator, which then ends it.
    assert engine.clean(text).text == "\n".join([intro, *rows]) + "\n"
    # Look-alike: the same intro over a few bare lines has less article than the
    # sidebar has prose, and the terminator ends nothing.
    bare = ["Kyle Busch", "Martin Truex", "Kevin Harvick"]
    text = "\n".join([intro, *bare, "Share this on WhatsApp", *sidebar, *_NAV]) + "\n"
    assert "Share this on WhatsApp" in engine.clean(text).text


def test_rule_by_rule_hits_replay_the_alternation():
    """pattern-replace finds its hits rule by rule (leftmost_hits); they are the hits
    one alternation of the same rules gives, empty matches and ties included."""
    import random

    patterns = [r"(?<=a)(?=b)", "ab", "b*", "a|ab", "(?=a)", r"\bb", "ba?", "(?<=b)", "a+b"]
    patterns += ["(?i:A)b?", "$", "^", "(?m:^)", "x?", "(?<=a)b?"]
    rng = random.Random(14)
    for _ in range(3000):
        chosen = rng.sample(patterns, rng.randint(1, 4))
        rules = [(code, compile_regex(code)) for code in chosen]
        text = "".join(rng.choice("abx \n") for _ in range(rng.randint(0, 12)))
        combined = compile_regex("|".join(f"(?:{p})" for p in chosen))
        old = [(code, m.span()) for code, m in matches_at(rules, text, combined)]
        new = [(code, m.span()) for code, m in leftmost_hits(rules, text)]
        assert new == old, (chosen, text)


def test_language_residue_judges_a_line_once_per_document(tmp_path, monkeypatch):
    """The confirming round sees the same lines again: their verdicts are kept, so
    langdetect runs once per line of a document, not once per round."""
    from cleaner import language

    engine = one_rule(tmp_path, "language-residue", "min_words = 8")
    calls: list[str] = []
    detect_line = language.detect_line

    def counted(line: str, min_probability: float) -> str | None:
        calls.append(line)
        return detect_line(line, min_probability)

    monkeypatch.setattr(language, "detect_line", counted)
    english = "The minister said on Tuesday that the new budget would be published next week."
    french = "Le ministre a déclaré mardi que le nouveau budget serait publié la semaine prochaine."
    result = engine.clean(f"{english}\n{french}\n", lang="en")
    assert result.text == f"{english}\n" and result.rounds == 2
    assert calls == [english, french]


_BIO = "Jane Doe is a reporter covering climate and energy for the paper since 2015."


def test_body_trim_drops_a_closing_author_box(tmp_path):
    engine = _body_trim(tmp_path, "author_bio_max_chars = 500")
    text = "\n".join([*_ARTICLE, *_LONG[:2], "Jane Doe", _BIO]) + "\n"
    assert engine.clean(text).text == "\n".join([*_ARTICLE, *_LONG[:2]]) + "\n"
    # Off by default.
    assert _body_trim(tmp_path, "").clean(text).text == text
    # Look-alikes: a last paragraph that does not open with the name alone on a
    # line above, or a long one, is the article's.
    quoted = "Jane Doe said the council would meet again in the spring to decide."
    text = "\n".join([*_ARTICLE, *_LONG[:2], "Jane Doe", quoted.replace("Jane Doe", "She")]) + "\n"
    assert engine.clean(text).text == text
    long_bio = _BIO + " " + " ".join([_LONG[0]] * 4)
    text = "\n".join([*_ARTICLE, *_LONG[:2], "Jane Doe", long_bio]) + "\n"
    assert engine.clean(text).text == text


def test_body_trim_author_box_heading_ends_the_article_under_a_pager(tmp_path):
    params = (
        "min_body_chars = 50\nterminator_min_lines = 1\nauthor_bio_max_chars = 500\n"
        "author_box_headings = 'about\\s+the\\s+author'"
    )
    engine = _body_trim(tmp_path, params)
    pager = "Next: Floods hit the north again"
    bio = "Writes about climate and energy for the paper since 2015, and bakes bread."
    text = "\n".join([*_ARTICLE, *_LONG[:2], pager, "About the author", "Jane Doe", bio]) + "\n"
    # Fewer lines than min_region_lines from the heading on: they go all the same.
    assert engine.clean(text).text == "\n".join([*_ARTICLE, *_LONG[:2], pager]) + "\n"
    # Without terminator_min_lines a short box is left, as before.
    short = _body_trim(tmp_path, params.replace("terminator_min_lines = 1", ""))
    assert short.clean(text).text == text


def test_body_trim_short_tail_after_a_terminator_goes_only_without_sentences(tmp_path):
    engine = _body_trim(
        tmp_path, "min_body_chars = 50\nterminator_min_lines = 1\nterminators = 'share this'"
    )
    body = [*_ARTICLE, *_LONG[:2]]
    text = "\n".join([*body, "Share this", "F T I"]) + "\n"
    assert engine.clean(text).text == "\n".join(body) + "\n"
    # Look-alike: a short last line with a sentence end may be the article's own.
    text = "\n".join([*body, "Share this", "He was 82."]) + "\n"
    assert engine.clean(text).text == text


def test_a_context_rule_hits_where_its_full_pattern_hits():
    """``context = "next-to-prose"``: each rule's pattern tried only at the line starts the
    context picked gives the hits of the pattern with the context in front, scanned over
    the whole text, on the widget fixtures' pages (every widget and look-alike line put
    between paragraphs, at the top and at the bottom) and the samples."""
    from itertools import pairwise

    import regex

    from cleaner import load_rules
    from cleaner.document import Document
    from cleaner.kinds.pattern_replace import CONTEXTS, AtStarts, PatternReplace, context_starts

    root = Path(__file__).resolve().parent
    articles, lines = _widget_fixtures()
    texts = [p.read_text("utf-8") for p in sorted((root.parent / "samples" / "in").glob("*.txt"))]
    for i, line in enumerate(lines):
        paragraphs = articles[sorted(articles)[i % len(articles)]]
        texts.append("\n\n".join([*paragraphs[:3], line, *paragraphs[3:]]) + "\n")
        texts.append(f"{line}\n\n" + "\n\n".join(paragraphs[1:]))  # top, nothing above
        texts.append("\n\n".join([*paragraphs[:3], f"{line}\n{line}", *paragraphs[3:]]))
        texts.append("\n\n".join(paragraphs) + f"\n{line}")  # bottom, no newline after
    sentence = "The council said on Tuesday that the work would start in the spring."
    for above in ("", sentence, sentence + " ", sentence[:-1] + ",", "\t" + sentence):
        for gap in ("\n", "\n\n", "\n \n", "\n\t\xa0\n", "\n\x1c\n", "\n\n\n"):
            for below in ("", sentence, " " + sentence + " \t", "Short line.", "\x1c" + sentence):
                for end in ("", "\n", "\n  ", "\n\n"):
                    texts.append(f"{above}{gap}Share this{gap}{below}{end}")
    for name in ("next-to-prose", "before-prose", "line-start", "after-body-trim"):
        context = regex.compile(CONTEXTS[name])
        for text in texts:  # the line-by-line starts are the context pattern's
            want = [m.start() for m in context.finditer(text)]
            assert context_starts(Document(text), name) == want, (name, text)
    rules = [r for pack in load_rules() for r in pack.rules if getattr(r.params, "context", "")]
    assert len(rules) >= 15
    hits = at_start = back_to_back = 0
    for rule in rules:
        compiled = PatternReplace.compile_rule(rule)
        for text in texts:
            doc = Document(text)
            fast = AtStarts(compiled.bare, context_starts(doc, rule.params.context))
            want = [m.span() for m in compiled.re.finditer(text)]
            assert [m.span() for m in fast.finditer(text)] == want, (rule.code, text[:80])
            hits += len(want)
            at_start += any(start == 0 for start, _ in want)
            back_to_back += any(a[1] == b[0] for a, b in pairwise(want))
    assert hits > 20  # the fixtures do exercise the rules
    assert at_start > 0 and back_to_back > 0  # a hit at 0, a hit where the last one ended


def test_body_trim_reads_a_sentence_end_before_an_emoji(tmp_path):
    from cleaner.kinds.body_trim.blocks import ends_sentence

    assert ends_sentence("We hope to see you soon! 🙂")
    assert ends_sentence("Thanks for reading.\u2764\ufe0f ")
    assert not ends_sentence("Watch now 🔔")
    assert not ends_sentence("©")
    # The article's last sentences end in an emoji; the menu below them still goes.
    closing = [
        "Book your tickets early and come to see this spectacular performance today! 🙂",
        "We hope to see you at the theatre soon, and thank you all for reading! 🎭",
    ]
    text = "\n".join([*_ARTICLE, *closing, *_NAV]) + "\n"
    assert _body_trim(tmp_path, "").clean(text).text == "\n".join([*_ARTICLE, *closing]) + "\n"


def test_a_glossary_trie_is_written_out_only_when_a_text_needs_it(tmp_path, monkeypatch):
    from cleaner import prefilter
    from cleaner.document import Document
    from cleaner.kinds import glossary

    calls = []
    real = glossary.trie_pattern

    def counted(terms):
        calls.append(len(terms))
        return real(terms)

    monkeypatch.setattr(glossary, "trie_pattern", counted)
    # Loading a user's pack checks the rule whole (the trie included)...
    rules = one_rule(tmp_path, "glossary", 'table = { Bagdad = "Baghdad", Wien = "Vienna" }').rules
    assert calls == [2]
    # ... but a matcher writes it out only once a text needs it.
    calls.clear()
    matcher = glossary.Glossary(rules)
    assert calls == []
    assert list(matcher.find(Document("Markets rose on Monday, traders said.\n"))) == []
    # With the accelerator a text holding no term never needs the trie.
    assert calls == ([] if prefilter.ACCELERATED else [2])
    found = list(matcher.find(Document("He flew to Bagdad, then to Wien.\n")))
    assert [c.after for c in found] == ["Baghdad", "Vienna"]
    assert calls == [2]  # written out once, then kept


def test_shipped_peel_list_item_reads_a_recipe_step_heading_as_an_item():
    """'Krok 5', 'Step 5': a recipe's steps in the gap before a tip keep the tip (and the
    steps) from being peeled as a detached footer cluster."""
    (rule,) = [
        r
        for r in load_pack(Path(__file__).parent.parent / "rules" / "body" / "neutral.toml").rules
        if r.code == "BD001"
    ]
    item = compile_regex(rule.params.peel_list_item)
    for line in ("Krok 5", "Step 12", "Paso 3", "Schritt 2", "Étape 4", "Passo 1", "Шаг 3"):
        assert item.match(line), line
    for line in ("Stepping down, the minister said so.", "Krokodyl uciekł z zoo."):
        assert not item.match(line), line


def test_body_trim_a_feed_of_dated_teasers_closing_the_page_goes():
    """Other stories under the article, each a date alone, a headline and a summary that
    reads like prose: a feed, cut at its first date. A chronology closing an article (a
    date, then the sentence saying what happened) is the article's and stays. (German:
    the English pack drops every bare date line before body-trim looks.)"""
    from cleaner import Cleaner

    article = [
        "Sturm an der Küste",
        "Der Sturm erreichte die Küste um Mitternacht und überflutete den Hafen, wie die "
        "Behörden am Montag mitteilten.",
        "Die Bewohner sollten in ihren Häusern bleiben, und die Stadt öffnete zwei Notunterkünfte "
        "in der Schule und im Rathaus.",
        "Das Wasser soll in zwei bis drei Tagen wieder sinken, sagte der Wetterdienst am "
        "Dienstag, und die Straßen werden dann gereinigt.",
        "Der Rat will sich am Donnerstag erneut treffen und über den Wiederaufbau der "
        "Hafenmauer beraten, die der Sturm zerstört hat.",
    ]
    teasers = []
    for day, topic in [(12, "den Hafen"), (9, "die Fähre"), (2, "den Strand"), (1, "das Ufer")]:
        teasers += [
            f"{day}.11.2021",
            f"Neue Regeln für {topic}",
            f"Der Rat hat nach einer langen Debatte am Montag neue Regeln für {topic} beschlossen.",
        ]
    cleaner = Cleaner()
    text = "\n\n".join([*article, *teasers]) + "\n"
    assert cleaner.clean(text, lang="de").text == "\n\n".join(article) + "\n"
    chronology = []
    events = ["Der Sturm erreicht die Küste", "Die Fähre stellt den Betrieb ein",
              "Der Strand wird gesperrt", "Das Ufer bricht ab"]  # fmt: skip
    for day, event in zip([12, 9, 2, 1], events, strict=True):
        chronology += [f"{day}.11.2021", f"{event}, und der Rat tagt in der Nacht."]
    text = "\n\n".join([*article, *chronology]) + "\n"
    out = cleaner.clean(text, lang="de").text
    assert all(line in out for line in [*article, *chronology[1::2], *chronology[:3:2]])
    # English too: its bare-date rule waits for body-trim, so the dates are still there.
    teasers = []
    for day, topic in [(12, "harbour"), (9, "ferry"), (2, "beach"), (1, "port")]:
        summary = f"The council agreed on new rules for the {topic} after a long debate."
        teasers += [f"{day}.11.2021", f"New rules for the {topic}", summary]
    article = [*_ARTICLE, *_LONG]
    text = "\n\n".join([*article, *teasers]) + "\n"
    assert cleaner.clean(text, lang="en").text == "\n\n".join(article) + "\n"


def _teasers(summaries_per_story: int = 1, headline_end: str = "") -> list[str]:
    stories = []
    for topic in ("harbour", "ferry", "beach"):
        stories.append(f"New rules for the {topic} agreed{headline_end}")
        stories += [
            f"The council agreed on new rules for the {topic} after a long debate on Monday, "
            f"and they will apply to everyone from the first day of next month ({n})."
            for n in range(summaries_per_story)
        ]
    return stories


def test_body_trim_peels_a_detached_feed_of_teasers_however_long(tmp_path):
    """Other stories under the article, each a headline and a one-paragraph summary,
    after navigation: however much more than peel_max_chars the summaries hold, they
    are a feed, not the article's last section."""
    article = [*_ARTICLE, *_LONG, *_LONG]
    teasers = _teasers()
    assert sum(len(x) for x in teasers[1::2]) > 400
    text = "\n".join([*article, *_NAV, *teasers]) + "\n"
    assert _body_trim(tmp_path, _PEEL).clean(text).text == "\n".join(article) + "\n"
    # Look-alikes: a closing section of two paragraphs under each heading, and
    # headings that end like sentences, are prose the article may end with: they stay.
    for tail in (_teasers(summaries_per_story=2), _teasers(headline_end=".")):
        text = "\n".join([*article, *_NAV, *tail]) + "\n"
        assert _body_trim(tmp_path, _PEEL).clean(text).text == text


def test_body_trim_a_copyright_line_is_no_prose(tmp_path):
    """A long copyright line at the foot of the page ends like a sentence, but it is
    the footer's (jusText's rule): it does not hold the tail open."""
    footer = (
        "© 2020 Example Media Group. All rights reserved, and no part of this site may be "
        "copied, reproduced or stored in any form without the written permission of the "
        "publisher and of its many partners in the region."
    )
    assert len(footer) > 200
    text = "\n".join([*_ARTICLE, *_LONG, *_NAV, footer]) + "\n"
    assert _body_trim(tmp_path, "").clean(text).text == "\n".join([*_ARTICLE, *_LONG]) + "\n"


def test_body_trim_keeps_a_list_labelled_like_the_articles_own_items(tmp_path):
    """A results post's last report (its 'Kickoff' and 'Attendance' lines, as in every
    report above) runs into the site's navigation: the labels it shares with the
    article make it the article's list. A feed under other labels still goes."""
    report = [
        "The home side won after a long and hard game in the rain on Sunday evening.",
        "Kickoff 14:00",
        "Attendance 1,500",
        "The visitors scored late, but the lead held until the final whistle went.",
        "The second game was closer, and it was decided by a penalty in the last minute.",
        "Kickoff 16:00",
        "Attendance 900",
        "Both coaches said after the game that the pitch had been in a poor state.",
    ]
    last = ["Kickoff 18:00", "Stadium North Park", "Attendance 2,000", "Referee Jane Roe"]
    text = "\n".join([*report, *last, "Kickoff 20:00", *_NAV]) + "\n"
    kept = "\n".join([*report, *last, "Kickoff 20:00"]) + "\n"
    assert _body_trim(tmp_path, "").clean(text).text == kept
    feed = ["Updated 18:00", "Storm warning for the coast", "Updated 17:30", "Ferry back"]
    text = "\n".join([*report, *feed, "Updated 17:00", *_NAV]) + "\n"
    assert _body_trim(tmp_path, "").clean(text).text == "\n".join(report) + "\n"
