"""``--report report.html``: the self-contained HTML report, checked as a page in Chromium."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLES

from cleaner import Cleaner
from cleaner.cli import main
from cleaner.report import FAMILY_COLOURS, MAX_ARTICLE_CHARS, OTHER_COLOUR, segments

ROOT = Path(__file__).resolve().parent.parent
#: The tests' output directory, where the report's screenshots are kept for people to look
#: at (build/ is ignored by git; CLEAN_ARTICLES_SCREENSHOTS puts them elsewhere).
SCREENSHOTS = Path(
    os.environ.get("CLEAN_ARTICLES_SCREENSHOTS") or ROOT / "build" / "test-output" / "report"
)
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TRAILER = "The vote was postponed until next week, the speaker said.\n\nsource site-12\n"


def make_tree(root: Path) -> None:
    for sample in sorted((SAMPLES / "in").glob("*.txt")):
        shutil.copy(sample, root / sample.name)
    (root / "site").mkdir()
    (root / "site" / "trailer.txt").write_text(TRAILER, encoding="utf-8")
    (root / "site" / "clean.txt").write_text("Nothing to do here.\n", encoding="utf-8")
    (root / "site" / "broken.txt").write_bytes(b"binary\0data")


@pytest.fixture()
def report(tmp_path) -> Path:
    tree = tmp_path / "in"
    tree.mkdir()
    make_tree(tree)
    path = tmp_path / "report.html"
    code = main([str(tree), str(tmp_path / "out"), "--lang", "en", "--report", str(path), "-q"])
    assert code == 1  # broken.txt failed; the others were cleaned and reported
    return path


def _blocks(page: str) -> list[dict]:
    found = re.findall(r'<script type="application/json" id="a\d+">(.*?)</script>', page)
    return [json.loads(block) for block in found]


def test_segments_spell_the_input_and_the_output():
    cleaner = Cleaner()
    for sample in sorted((SAMPLES / "in").glob("*.txt")):
        text = sample.read_text(encoding="utf-8")
        result = cleaner.clean(text)
        segs = segments(text, result.edits)
        assert "".join(t for kind, t, _ in segs if kind in "kd") == text
        assert "".join(t for kind, t, _ in segs if kind in "ki") == result.text
        changed = [s for s in segs if s[0] != "k"]
        assert len(changed) >= 1 and all(0 <= s[2] < len(result.edits) for s in changed)


def test_report_is_one_self_contained_file(report):
    page = report.read_text(encoding="utf-8")
    # Nothing is fetched: no external scripts, styles or images, and a policy forbidding it.
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "@import" not in page and "url(" not in page
    assert "default-src 'none'" in page
    files = {block["f"]: block for block in _blocks(page)}
    assert set(files) >= {"site/trailer.txt", "site/clean.txt", "site/broken.txt"}
    assert files["site/broken.txt"]["s"] == "failed" and "binary" in files["site/broken.txt"]["r"]
    trailer = files["site/trailer.txt"]
    deleted = [(t, trailer["e"][ref][0]) for kind, t, ref in trailer["g"] if kind == "d"]
    assert ("source site-12\n", "BP101") in deleted
    assert "</script" not in "".join(re.findall(r"<script[^>]*json[^>]*>(.*?)</script>", page))


def test_report_with_check_writes_nothing_else(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(TRAILER, encoding="utf-8")
    path = tmp_path / "check.html"
    assert main(["--check", str(article), "--lang", "en", "--report", str(path), "-q"]) == 1
    assert article.read_text(encoding="utf-8") == TRAILER
    [block] = _blocks(path.read_text(encoding="utf-8"))
    assert block["f"] == str(article) and any(e[0] == "BP101" for e in block["e"])


def test_long_article_is_elided_but_keeps_its_edits(tmp_path):
    article = tmp_path / "long.txt"
    rng = random.Random(4)
    words = [
        "the",
        "committee",
        "met",
        "again",
        "to",
        "discuss",
        "budget",
        "river",
        "harbour",
        "plan",
        "vote",
        "council",
    ]
    paragraphs = []
    while sum(map(len, paragraphs)) < MAX_ARTICLE_CHARS + 10_000:
        # Words in random order: no two paragraphs are near-duplicates of each other.
        paragraphs.append(" ".join(rng.choice(words) for _ in range(300)).capitalize() + ".")
    text = "\n\n".join(paragraphs) + "\n\n" + TRAILER
    article.write_text(text, encoding="utf-8")
    path = tmp_path / "long.html"
    main(["--check", str(article), "--lang", "en", "--report", str(path), "-q"])
    [block] = _blocks(path.read_text(encoding="utf-8"))
    assert any(kind == "e" for kind, _t, _r in block["g"])
    assert sum(len(t) for _k, t, _r in block["g"]) < len(text) / 2
    assert any(kind == "d" and "source site-12" in t for kind, t, _r in block["g"])


def _chromium_or_fail():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs the Debian chromium package")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    return pytest.importorskip("playwright.sync_api")


def test_report_in_headless_chromium(report, tmp_path):
    sync_api = _chromium_or_fail()
    requests: list[str] = []
    with sync_api.sync_playwright() as play:
        browser = play.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 1600})
            page.on("request", lambda request: requests.append(request.url))
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(report.as_uri())
            page.wait_for_selector("article")
            assert not errors

            # Highlights: removed and inserted spans, coloured, with code, name and safety.
            spans = page.locator("span.seg")
            assert spans.count() > 10
            assert page.locator("span.seg.ins").count() >= 1
            trailer = page.locator('article[data-file="site/trailer.txt"] span.seg.del')
            codes = trailer.evaluate_all("s => s.map(x => x.dataset.code)")
            assert "BP101" in codes and "WS007" in codes  # the trailer and the blank left
            trailer = trailer.filter(has_text="source site-12")
            assert trailer.count() == 1
            assert trailer.first.get_attribute("title").startswith(
                "BP101 source-site-trailer (safe)"
            )
            colour = trailer.first.evaluate("e => getComputedStyle(e).getPropertyValue('--c')")
            assert colour.strip() == FAMILY_COLOURS["BP"]  # the boilerplate family's colour
            assert page.locator("#rules tbody tr").count() >= 5

            total = page.locator("article").count()
            assert total == 8  # 5 samples + 3 files, one page
            page.screenshot(path=str(tmp_path / "report.png"), full_page=False)
            _run_header_and_summary(page)
            _findings_in_place(page, tmp_path)
            _full_height_and_collapse(page, tmp_path)
            _colours_differ_by_family(page)

            # Filter by rule: only the articles BP101 fired in remain.
            page.select_option("#rule-filter", "BP101")
            files = page.locator("article").evaluate_all("a => a.map(x => x.dataset.file)")
            assert "site/trailer.txt" in files and len(files) < total
            for name in files:
                codes = page.locator(f'article[data-file="{name}"] [data-code="BP101"]')
                assert codes.count() >= 1
            # Clicking the rule's row in the summary toggles the same filter off.
            page.click('#rules tbody tr[data-code="BP101"]')
            assert page.locator("article").count() == total

            # Filter by file name.
            page.fill("#file-filter", "trailer")
            files = page.locator("article").evaluate_all("a => a.map(x => x.dataset.file)")
            assert files == ["site/trailer.txt"]
            page.fill("#file-filter", "")
            page.check("#changed-filter")
            assert page.locator('article[data-file="site/clean.txt"]').count() == 0
            page.uncheck("#changed-filter")
            page.select_option("#rule-filter", "BP101")
            page.screenshot(path=str(tmp_path / "report-filtered.png"), full_page=False)
        finally:
            browser.close()
    assert [url for url in requests if not url.startswith("file:")] == []
    shots = ["report.png", "report-long-article.png", "report-finding.png", "report-filtered.png"]
    for name in shots:
        assert (tmp_path / name).stat().st_size > 2_000, name
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name in shots:  # for people to look at after the run
        shutil.copy(tmp_path / name, SCREENSHOTS / name)
    print(f"screenshots in {SCREENSHOTS}: {', '.join(shots)}")


def _run_header_and_summary(page) -> None:
    """The header names the run; the summary's heading is short, its terms explained."""
    header = page.locator("header#run").inner_text()
    assert "clean-articles --lang en --report" in header or "clean-articles " in header
    for label in ("command", "version", "input", "output", "date"):
        assert re.search(rf"^{label}\s", header, re.M), label
    assert re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", header)
    totals = page.locator("#overview .totals").inner_text()
    assert "8 files" in totals and "1 failed" in totals and "edits" in totals
    # The summary comes before the articles on screen, though written after them.
    overview = page.locator("#overview").bounding_box()
    first = page.locator("article").first.bounding_box()
    assert overview["y"] < first["y"]
    assert page.locator("#overview h2").first.inner_text() == "Rules"
    assert "findings" in page.locator("#overview .explain").inner_text()


def _findings_in_place(page, tmp_path: Path) -> None:
    """A finding not applied is marked where it is, with the fix it proposes."""
    marks = page.locator('mark.seg.find[data-code="TR151"]')
    assert marks.count() >= 1
    mark = marks.first
    assert mark.inner_text().lower() in ("she", "her")
    proposed = mark.locator("xpath=following-sibling::*[1]")
    assert proposed.get_attribute("class") == "proposed"
    assert proposed.inner_text().lower() in ("→ it", "→ its")
    assert "not applied" in mark.get_attribute("title")
    item = page.locator('.findings li[data-code="TR151"]').first.inner_text()
    assert "→" in item and '"it' in item.lower()
    mark.scroll_into_view_if_needed()
    box = mark.bounding_box()
    page.screenshot(
        path=str(tmp_path / "report-finding.png"),
        clip={"x": 0, "y": max(0, box["y"] - 120), "width": 1200, "height": 300},
    )


def _full_height_and_collapse(page, tmp_path: Path) -> None:
    """An article is as tall as its text (no inner scroll box) and folds away."""
    heights = page.locator("article pre.text").evaluate_all(
        "ps => ps.map(p => [p.scrollHeight, p.clientHeight, getComputedStyle(p).overflowY])"
    )
    assert heights and all(sh <= ch + 1 and ov == "visible" for sh, ch, ov in heights)
    longest = max(range(len(heights)), key=lambda i: heights[i][0])
    article = page.locator("article").filter(has=page.locator("pre.text")).nth(longest)
    assert heights[longest][0] > 1000  # the old inner box stopped at 40rem (640 px)
    article.screenshot(path=str(tmp_path / "report-long-article.png"))
    text = article.locator("pre.text")
    assert text.is_visible()
    article.locator("summary").first.click()
    assert not text.is_visible()
    article.locator("summary").first.click()
    assert text.is_visible()
    page.evaluate("window.scrollTo(0, 0)")


def _colours_differ_by_family(page) -> None:
    colours = page.locator("span.seg").evaluate_all(
        "s => s.map(x => [x.dataset.code.slice(0, 2), "
        "getComputedStyle(x).getPropertyValue('--c').trim()])"
    )
    by_family = {family: colour for family, colour in colours}
    assert {"BP", "TR", "WS"} <= set(by_family)
    assert len(set(by_family.values())) == len(by_family)  # one colour per family
    assert by_family["BP"] != by_family["TR"]


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str = "#ffffff") -> float:
    """The WCAG 2 contrast ratio of two colours."""
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _hue_saturation(colour: str) -> tuple[float, float]:
    import colorsys

    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, _light, saturation = colorsys.rgb_to_hls(r, g, b)
    return hue * 360, saturation


def test_family_colours_have_contrast_and_differ():
    """WCAG AA for text (4.5:1 on white) for each family colour, and hues far apart:
    BP and TR used to be two near-identical oranges."""
    for family, colour in [*FAMILY_COLOURS.items(), ("other", OTHER_COLOUR)]:
        assert contrast(colour) >= 4.5, (family, colour, contrast(colour))
    assert contrast("#ffffff", "#ffffff") == 1.0 and round(contrast("#000000"), 1) == 21.0
    hues = {f: _hue_saturation(c) for f, c in FAMILY_COLOURS.items()}
    vivid = [f for f, (_h, s) in hues.items() if s > 0.3]
    for i, a in enumerate(vivid):
        for b in vivid[i + 1 :]:
            apart = abs(hues[a][0] - hues[b][0])
            assert min(apart, 360 - apart) >= 30, (a, b)


def test_report_reads_without_javascript(report, tmp_path):
    """The totals, the rules and the files are plain HTML: readable with JavaScript off."""
    page_text = report.read_text(encoding="utf-8")
    overview = page_text.split('<section id="overview">', 1)[1].split("</section>", 1)[0]
    assert overview.count("<tr data-code=") >= 5
    assert overview.count("<tr data-file=") == 8
    assert "site/broken.txt" in overview and "<noscript>" in page_text
    sync_api = _chromium_or_fail()
    with sync_api.sync_playwright() as play:
        browser = play.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                java_script_enabled=False, viewport={"width": 1200, "height": 900}
            )
            page = context.new_page()
            page.goto(report.as_uri())
            assert page.locator("#overview .totals").is_visible()
            assert "8 files" in page.locator("#overview .totals").inner_text()
            assert page.locator("#rules tbody tr").count() >= 5
            assert page.locator(".noscript").is_visible()
            assert page.locator("article").count() == 0
            page.click("#files summary")
            assert page.locator("#files tbody tr").count() == 8
            page.screenshot(path=str(tmp_path / "report-no-js.png"), full_page=False)
        finally:
            browser.close()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(tmp_path / "report-no-js.png", SCREENSHOTS / "report-no-js.png")


def test_report_is_the_same_whatever_the_number_of_workers(tmp_path):
    """Workers gather each article's report data and send it back with the result."""
    source = tmp_path / "in"
    source.mkdir()
    make_tree(source)
    pages = []
    for jobs in ("1", "2"):
        page = tmp_path / f"report-{jobs}.html"
        argv = [str(source), str(tmp_path / f"out-{jobs}"), "--report", str(page)]
        assert main([*argv, "--jobs", jobs, "--isolated", "-q"]) in (0, 1)
        pages.append(page.read_text(encoding="utf-8"))
    # The same but for the header (its command line and date name the run).
    bodies = [page.split("</header>", 1)[1] for page in pages]
    assert bodies[0] == bodies[1]
    assert any(block["e"] for block in _blocks(pages[0]))


def test_report_refuses_a_jsonl_corpus(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"text": "Hello."}\n', encoding="utf-8")
    page = tmp_path / "r.html"
    assert main([str(corpus), str(tmp_path / "out"), "--report", str(page)]) == 2
    assert not page.exists()


def test_findings_in_place_keep_the_segments_spelling_input_and_output():
    from cleaner.report import ReportArticle

    cleaner = Cleaner()
    marked = 0
    for sample in sorted((SAMPLES / "in").glob("*.txt")):
        text = sample.read_text(encoding="utf-8")
        result = cleaner.clean(text)
        article = ReportArticle(sample.name)
        article.add(text, result)
        segs = article.segments
        assert "".join(t for kind, t, _ in segs if kind in "kdf") == text
        assert "".join(t for kind, t, _ in segs if kind in "kif") == result.text
        for kind, t, ref in segs:
            if kind == "f":
                marked += 1
                assert article.findings[ref][6] == t  # the finding's text, where it is
    assert marked >= 3  # sample 001's "she"/"her" (TR151) at least
