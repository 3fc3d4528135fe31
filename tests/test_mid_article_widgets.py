"""Widgets in the middle of an article go; lines that only look like them stay (issue 16).

The cases are data (``fixtures/mid-article-widgets.toml``): each widget or
look-alike line is put between the second and third paragraphs of a short
article in its language, so prose stands above and below it and no head or
tail zone reaches it, and the page is cleaned with the default rules.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from cleaner import Cleaner

DATA = tomllib.loads(
    (Path(__file__).parent / "fixtures" / "mid-article-widgets.toml").read_text(encoding="utf-8")
)
ARTICLES: dict[str, list[str]] = DATA["articles"]


def _lines(kind: str) -> list[tuple[str, str, str | None]]:
    cases = []
    for case in DATA[kind]:
        for line in case.get("lines", [case.get("line")]):
            cases.append((case["lang"], line, case.get("output")))
    return cases


WIDGETS = _lines("widget")
KEEPS = _lines("keep")


def page(lang: str, middle: str | None) -> str:
    """The article of ``lang`` with ``middle`` between its second and third paragraphs."""
    title, *paragraphs = ARTICLES[lang]
    body = [*paragraphs[:2], *([middle] if middle is not None else []), *paragraphs[2:]]
    return "\n\n".join([title, *body]) + "\n"


@pytest.fixture(scope="module")
def cleaner() -> Cleaner:
    return Cleaner()


def test_enough_cases_in_enough_languages():
    assert len(WIDGETS) >= 40
    assert len({lang for lang, _, _ in WIDGETS}) >= 5
    assert len({lang for lang, _, _ in KEEPS}) >= 5


def test_the_articles_alone_are_left_as_they_are(cleaner):
    for lang in ARTICLES:
        assert cleaner.clean(page(lang, None), lang=lang).text == page(lang, None)


@pytest.mark.parametrize(("lang", "line", "output"), WIDGETS, ids=[w[1][:40] for w in WIDGETS])
def test_a_widget_in_the_middle_goes(cleaner, lang, line, output):
    got = cleaner.clean(page(lang, line), lang=lang).text
    assert got == page(lang, output or None)


@pytest.mark.parametrize(("lang", "line", "output"), KEEPS, ids=[k[1][:40] for k in KEEPS])
def test_a_look_alike_in_the_middle_stays(cleaner, lang, line, output):
    text = page(lang, line)
    assert cleaner.clean(text, lang=lang).text == text


@pytest.mark.parametrize(
    ("lang", "prefix"),
    [(c["lang"], p) for c in DATA["lead"] for p in c["prefixes"]],
)
def test_a_breadcrumb_run_into_the_first_paragraph_goes(cleaner, lang, prefix):
    title, first, *rest = ARTICLES[lang]
    text = "\n\n".join([title, prefix + first, *rest]) + "\n"
    assert cleaner.clean(text, lang=lang).text == "\n\n".join([title, first, *rest]) + "\n"


@pytest.mark.parametrize("lang", sorted(ARTICLES))
def test_an_all_caps_copy_of_the_lead_goes_and_the_lead_stays(cleaner, lang):
    title, first, *rest = ARTICLES[lang]
    text = "\n\n".join([title, first.upper(), first, *rest]) + "\n"
    assert cleaner.clean(text, lang=lang).text == page(lang, None)
