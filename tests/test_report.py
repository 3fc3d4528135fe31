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
from cleaner.report import MAX_ARTICLE_CHARS, segments

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
            assert colour.strip() == "#e8590c"  # the boilerplate family's colour
            assert page.locator("#rules tbody tr").count() >= 5

            total = page.locator("article").count()
            assert total == 8  # 5 samples + 3 files, one page
            page.screenshot(path=str(tmp_path / "report.png"), full_page=False)

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
    shot = tmp_path / "report.png"
    assert shot.stat().st_size > 10_000
    print(f"screenshots: {shot} {tmp_path / 'report-filtered.png'}")
    keep = os.environ.get("CLEAN_ARTICLES_SCREENSHOTS")
    if keep:  # for looking at it after the run
        shutil.copy(shot, Path(keep) / "report.png")
        shutil.copy(tmp_path / "report-filtered.png", Path(keep) / "report-filtered.png")


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
    assert pages[0] == pages[1]
    assert any(block["e"] for block in _blocks(pages[0]))


def test_report_refuses_a_jsonl_corpus(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text('{"text": "Hello."}\n', encoding="utf-8")
    page = tmp_path / "r.html"
    assert main([str(corpus), str(tmp_path / "out"), "--report", str(page)]) == 2
    assert not page.exists()
