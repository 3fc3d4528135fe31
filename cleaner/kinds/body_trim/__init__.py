"""Kind ``body-trim``: keep the article body, drop the page around it.

Plain text of a whole web page is navigation, then the article, then
footers. This kind finds the article as the densest run of prose and drops
only what lies *outside* it, at the top and at the bottom (NeMo Curator's
guard: never holes in the middle).

1. Each non-blank line is a block, classified as jusText does: ``bad``
   (copyright sign, or low stop-word density), ``short`` (under
   ``length_low`` characters), ``near-good`` or ``good`` (stop-word density
   at least ``stopwords_high`` and longer than ``length_high``). Stop-word
   lists are jusText's, per language (``stoplists`` directory beside the
   pack); without a list for the document's language, sentence punctuation
   stands in for stop-word density. A line with a copyright sign is never
   prose, however long its sentences (the page's footer). A sentence
   without the document language's stop-words is still prose when it has
   another language's (:func:`cleaner.language.quick_guess`): a post on a
   page whose sidebar or error messages made it look like another language.
2. Blocks score their length (good), half of it (near-good), minus a fixed
   ``short_penalty`` (short) or minus their length (bad); the body is the
   maximum-sum run of blocks (as in Body Text Extraction).
3. A terminating block (boilerpy3's idea: a whole line such as 'Related
   articles' or 'Tags:', from ``terminators``) after the article ends it,
   once the article has had more prose than what follows (lines starting
   with a number, a table's rows, count as its prose); a comment
   section's heading (``strong_terminators``) ends it as soon as there has
   been some article. No terminator counts when the next two blocks are
   good ones: the article goes on below a caption credit ('Quelle: ...') or
   a comment-count link under the lead. Nor does a (not strong) terminator
   with one good block among the next ``RESUME_WINDOW`` (or that many
   sentences in a row right below it) and prose or a list item right above
   it: a 'Related Articles' or 'Share on Facebook' left between two
   paragraphs ('About the author' under a name is a box). Nor any
   terminator inside a numbered list (item n above it, n + 1 below): a
   widget dropped into a results table, a ranking or a recipe's steps.
4. Precision guards: a top or bottom region is dropped only when it has at
   least ``min_region_lines`` non-blank lines, and never past a good block of
   ``length_high`` characters or more: a long prose paragraph stays even
   when it sits beyond a navigation block. The headline (a line above the
   body that repeats the page title on the first line) stays, and so does
   the first good or near-good line between it and the body (the
   standfirst, often without a full stop); bylines, dates and share buttons
   around it go. After the body, a line of five words or more ending in ':'
   ('The shelters still open are listed here:') is the article's last
   sentence and stays; a label such as 'Share this:' does not.
5. Detached tail prose (``peel_gap``, ``peel_max_chars``, ``peel_list_item``):
   a footer sentence ('We use cookies...', 'Sign up for our newsletter...'),
   a teaser ending in '?' or a site's self-description is prose too, and
   would hold the tail open. So the prose lines are grouped into clusters
   (neighbours at most ``peel_gap`` non-prose lines apart); the last cluster
   goes, with the gap before it, when it holds fewer than ``peel_max_chars``
   characters and less than all the clusters before it, and so on while the
   new last cluster qualifies. A cluster of other stories' teasers goes
   however long (``feed_min_items`` short summaries or more, each right
   under its own headline: a line of three words or more without a sentence
   end), still only when less than all the clusters before it. Unless the
   gap opens with a list (two of its first six lines match
   ``peel_list_item``: bullets, numbers, times, 'Label: value'): an
   article may end with a schedule, references or ingredients, and those
   are not prose. The tail then starts after the
   last kept cluster (and the short sentences attached to it), also when a
   terminator cut it further down. ``peel_gap = 0`` (the default) turns
   this off. With ``peel_head``, the same goes above the article, but only
   above its headline (a line at least ``min_region_lines`` down that
   repeats at least half the page title and has no word of its own): a
   cookie notice or a strapline over the menu goes, the head is cut at the
   headline, and nothing below the headline is ever peeled (a short lead
   above a list is the article's).
6. Lists are content: after the last kept line, a run of lines that look
   like a list, a table or Q&A (digits, prices, list marks,
   sentence ends, a label repeated per item such as 'Buy Now') is the
   article's own, when something anchors it: a line ending in ':' just
   before it ('Our picks below:', 'The programme:'), prose after it, a
   terminator right after it, or the end of the page. A run that fades into
   navigation (two short bare lines in a row, unless lines starting with a
   number follow them: 'Ingredients' above the quantities) with no anchor is
   a teaser list and goes. Bare lines are items too when they share a first
   or last word with ``item_family`` nearby lines ('Aviemore Primary School',
   'Badenoch High School'), or sit under a list heading (``list_headings``:
   'Pros', 'Ingredients') that follows the article straight on; a label
   under every item ('Buy Now', ``item_family`` times at one spacing of
   ``label_spacing`` lines or more) anchors the run, and so do three items
   opening with a word that opens two or more of the article's own lines
   above ('Kickoff', 'Attendance': a results post's last report runs into
   the menu like the reports before it). A list heading also
   opens a list in the gap before a detached cluster (5.).
7. Dated feeds (``feed_dates``, ``feed_min_items``, ``feed_max_period``):
   other stories under the article, each a date alone on its line, a
   headline without a full stop and a summary, ``feed_min_items`` in a row
   reaching the tail, are a feed however much the summaries read like
   prose; the article ends above the first date. A chronology (a date, then
   a sentence with its full stop) stays.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields
from itertools import pairwise
from pathlib import Path

from ...document import Document, words
from ...matching import compile_regex
from ...rule import Rule
from .. import Candidate, KindParams, RuleGroup, kind, pack_file, param
from .blocks import (
    GOOD,
    NEAR_GOOD,
    attached,
    classify,
    ends_sentence,
    is_dense,
    is_headline,
    is_prose,
    past_attached,
    prose_clusters,
    repeats_title,
    stoplist,
)
from .ends import author_box, feed_start, short_end, terminate
from .lists import introduces, opens_list, past_structure

__all__ = ["BodyTrim", "Params", "classify", "settings", "stoplist"]


@dataclass(frozen=True)
class Params(KindParams):
    stoplists: str = param("stoplists", doc="directory of <lang>.txt stop-lists")
    length_low: int = 70
    length_high: int = 200
    stopwords_low: float = 0.30
    stopwords_high: float = 0.32
    min_region_lines: int = 5
    title_lookback: int = 12
    density_window: int = 3
    density_min: int = 2
    terminators: str = param("", doc="regex of whole lines that end the article")
    author_box_headings: str = param(
        "", doc="regex of whole lines heading an author box, which end the article"
    )
    strong_terminators: str = param(
        "", doc="regex of whole lines that end it even before more prose"
    )
    min_body_chars: int = 300
    terminator_ratio: float = param(
        1.0, doc="a terminator needs this times more prose before than after"
    )
    terminator_min_lines: int = param(
        0, doc="lines from a terminator on that go even when fewer than min_region_lines (0: off)"
    )
    author_bio_max_chars: int = param(
        0, doc="a last paragraph this short opening with the name on a line above is a bio (0: off)"
    )
    trim_head: bool = True
    trim_tail: bool = True
    peel_gap: int = param(
        0, doc="non-prose lines that separate the article from a detached cluster"
    )
    peel_max_chars: int = param(400, doc="a detached tail cluster shorter than this goes")
    peel_list_item: str = param("", doc="regex (at a line start) of list items that keep a gap")
    peel_head: bool = param(False, doc="also let detached prose clusters above the article go")
    list_headings: str = param("", doc="regex of whole lines that head a list ('Pros', 'Method')")
    item_family: int = param(
        0, doc="lines after the prose sharing a first or last word that make a list (0: off)"
    )
    family_word: int = param(4, doc="letters of the shared word ('School', not 'The' or 'Le')")
    family_reach: int = param(12, doc="lines on either side where an item's family is looked for")
    label_spacing: int = param(3, doc="a label under every item comes back every this many lines")
    feed_dates: str = param(
        "", doc="regex of whole lines that date a feed's teasers (a date alone on its line)"
    )
    feed_min_items: int = param(3, doc="dated teasers in a row after the article that make a feed")
    feed_max_period: int = param(4, doc="lines from one teaser's date to the next, at most")

    def check(self) -> None:
        if not 0 < self.length_low <= self.length_high:
            raise ValueError("need 0 < length_low <= length_high")
        if not 0 <= self.stopwords_low <= self.stopwords_high <= 1:
            raise ValueError("need 0 <= stopwords_low <= stopwords_high <= 1")
        if self.peel_gap < 0 or self.peel_max_chars < 0:
            raise ValueError("need peel_gap >= 0 and peel_max_chars >= 0")
        if min(self.item_family, self.family_word, self.family_reach, self.label_spacing) < 0:
            raise ValueError("need item_family, family_word, family_reach, label_spacing >= 0")


def settings(rule: Rule) -> dict:
    """The rule's parameters by name, with what is compiled from them under ``_`` keys:
    the stop-list directory, the terminator and list-item patterns (compiled on first use).
    """
    p = rule.params
    found = {f.name: getattr(p, f.name) for f in fields(p)}
    found["_dir"] = str(pack_file(rule.directory, p.stoplists))
    if not Path(found["_dir"]).is_dir():
        raise ValueError(f"stoplists directory {p.stoplists!r} not found beside the pack")
    found["_terminator"] = (
        compile_regex(f"(?i:{p.terminators})", deferred=True) if p.terminators else None
    )
    strong = p.strong_terminators
    found["_strong"] = compile_regex(f"(?i:{strong})", deferred=True) if strong else None
    box = p.author_box_headings
    found["_box"] = compile_regex(f"(?i:{box})", deferred=True) if box else None
    item = p.peel_list_item
    found["_list_item"] = compile_regex(item, deferred=True) if item else None
    heads = p.list_headings
    found["_heading"] = compile_regex(f"(?i:{heads})", deferred=True) if heads else None
    dates = p.feed_dates
    found["_feed_date"] = compile_regex(f"(?i:{dates})", deferred=True) if dates else None
    return found


@kind("body-trim", phase="body", params=Params)
class BodyTrim(RuleGroup):
    compile_rule = staticmethod(settings)

    def find(self, doc: Document) -> Iterator[Candidate]:
        for rule in self.rules:
            yield from self._trim(doc, rule)

    def _trim(self, doc: Document, rule: Rule) -> Iterator[Candidate]:
        p = self.compiled[rule.code]
        blocks = doc.nonblank
        if len(blocks) < p["min_region_lines"] + 1:
            return
        stops = stoplist(p["_dir"], doc.lang) if doc.lang else frozenset()
        # A line's verdict depends on the line, the language and the rule: the
        # fixpoint's later rounds look it up instead of classifying it again.
        memo = doc.memo_for(rule)
        prose = []
        for i in blocks:
            verdict = memo.get(doc.lines[i])
            if verdict is None:
                verdict = memo[doc.lines[i]] = is_prose(doc.lines[i], stops, p)
            prose.append(verdict)
        dense = [is_dense(prose, b, p) for b in range(len(blocks))]
        first = next((b for b in range(len(blocks)) if dense[b]), None)
        if first is None:
            return  # no article found: unsure, keep everything
        last = next(b for b in range(len(blocks) - 1, -1, -1) if dense[b])
        # Never cut a prose block: the regions end at the outermost prose.
        head_end = next(b for b in range(len(blocks)) if prose[b])
        tail_start = next(b for b in range(len(blocks) - 1, -1, -1) if prose[b]) + 1
        head_end, tail_start = min(head_end, first), max(tail_start, last + 1)
        # Sentences right next to the prose are part of it ("When I woke up, ...").
        while head_end > 0 and attached(doc.lines[blocks[head_end - 1]], stops, p):
            head_end -= 1
        tail_start = past_attached(doc, blocks, tail_start, len(blocks), stops, p)
        tail_start = terminate(doc, blocks, prose, first, tail_start, stops, p, memo)
        headline = None  # known when the head peel reached it
        if p["peel_gap"] > 0:
            peeled = _peel(doc, blocks, prose, head_end, tail_start, p)
            # A short sentence right after the article's last cluster is still its own.
            tail_start = past_attached(doc, blocks, peeled, tail_start, stops, p)
            if p["peel_head"]:
                head_end, headline = _peel_head(doc, blocks, prose, head_end, tail_start, p)
        # A sentence that introduces what follows ('Speakers in the region are listed
        # here:') is the article's own last sentence.
        if tail_start < len(blocks) and introduces(doc.lines[blocks[tail_start]]):
            tail_start += 1
        # Lists, tables and Q&A after the last prose are the article's own when
        # something anchors them (an intro ending in ':', prose below, a
        # terminator or the page end), up to the first lines that look like a menu.
        tail_start = past_structure(doc, blocks, prose, tail_start, p, memo, first)
        # Other stories' teasers under the article, each under its date, are a feed
        # however much their summaries read like prose.
        tail_start = feed_start(doc, blocks, first, tail_start, p, memo)
        boxed = author_box(doc, blocks, first, tail_start, p)
        box = boxed if boxed < tail_start else None  # an author box goes however short
        tail_start = boxed
        if p["trim_head"] and head_end >= p["min_region_lines"]:
            cut = doc.line_starts[blocks[head_end]]
            title = _title(doc, blocks, head_end, p) if headline is None else headline
            if title is None:
                yield Candidate(0, cut, "", rule)
            else:
                if title > 0:
                    yield Candidate(0, doc.line_starts[blocks[title]], "", rule)
                # Between the headline and the body, the first line with the
                # stop-words of prose is the standfirst (often without a full
                # stop); bylines, dates, captions and share buttons around it go.
                lead = next(
                    (
                        b
                        for b in range(title + 1, head_end)
                        if classify(doc.lines[blocks[b]], stops, p) in (GOOD, NEAR_GOOD)
                    ),
                    None,
                )
                kept = [title, head_end] if lead is None else [title, lead, head_end]
                for a, b in pairwise(kept):
                    start, end = doc.line_span(blocks[a])[1], doc.line_starts[blocks[b]]
                    if start < end:
                        yield Candidate(start, end, "", rule)
        least = p["min_region_lines"]
        if tail_start == box:
            least = 1
        elif p["terminator_min_lines"] > 0 and short_end(doc, blocks, prose, tail_start, p):
            least = p["terminator_min_lines"]
        if p["trim_tail"] and len(blocks) - tail_start >= least:
            start = doc.line_span(blocks[tail_start - 1])[1]
            yield Candidate(start, len(doc.text), "", rule)


def _peel(
    doc: Document, blocks: list[int], prose: list[bool], head_end: int, tail_start: int, p: dict
) -> int:
    """Where the tail starts once detached prose clusters after the article are let go."""
    clusters = prose_clusters(prose, head_end, tail_start, p["peel_gap"])
    if not clusters:
        return tail_start
    size = [sum(len(doc.lines[blocks[b]].strip()) for b in c) for c in clusters]
    last = len(clusters) - 1
    while last > 0:
        gap_start = clusters[last - 1][-1] + 1
        before = sum(size[:last])
        small = (
            size[last] < p["peel_max_chars"] or _teaser_feed(doc, blocks, clusters[last], p)
        ) and size[last] < before
        if not small or opens_list(doc, blocks, gap_start, clusters[last][0], p):
            break
        last -= 1
    # Also when nothing was let go: a terminator may have cut the tail, and the
    # lines between the last prose and that terminator are the tail's too.
    return clusters[last][-1] + 1


def _teaser_feed(doc: Document, blocks: list[int], cluster: list[int], p: dict) -> bool:
    """A detached cluster of other stories' teasers: ``feed_min_items`` summaries or
    more, each a short paragraph right under its own headline (a line of three words
    or more without a sentence end), nothing else between them."""
    # One line between summaries (the next headline), so no summary's headline is prose.
    if len(cluster) < p["feed_min_items"] or cluster[0] == 0:
        return False
    if any(b - a != 2 for a, b in pairwise(cluster)):
        return False
    for b in cluster:
        head = doc.lines[blocks[b - 1]].strip()
        if len(doc.lines[blocks[b]].strip()) > p["length_high"] or ends_sentence(head):
            return False
        if len(words(head)) < 3:
            return False
    return True


def _peel_head(
    doc: Document, blocks: list[int], prose: list[bool], head_end: int, tail_start: int, p: dict
) -> tuple[int, int | None]:
    """Where the body starts once detached prose clusters above the article are
    let go, and the headline when they all went (else None).

    The mirror of :func:`_peel`: a cookie notice, a site's strapline or a
    teaser's summary above the menu is prose and held the head open.
    """
    # Only above the headline (a line below the first that repeats most of
    # the page title, not a subheading sharing a few of its words, and at
    # least min_region_lines below it): the article's first lines, short or
    # alone as they may be, are below it. Without a headline, nothing goes.
    page_title = set(words(doc.lines[blocks[0]]))
    if len(page_title) < 3:
        return head_end, None  # no headline can repeat it
    headline = next(
        (
            b
            for b in range(p["min_region_lines"], tail_start)
            if is_headline(doc.lines[blocks[b]], page_title)
        ),
        None,
    )
    if headline is None:
        return head_end, None
    clusters = prose_clusters(prose, head_end, headline, p["peel_gap"])
    # The headline closes the last cluster: one too near it is the article's start.
    if clusters and headline - clusters[-1][-1] - 1 <= p["peel_gap"]:
        clusters[-1].append(headline)
    else:
        clusters.append([headline])
    size = [sum(len(doc.lines[blocks[b]].strip()) for b in c) for c in clusters]
    first = 0
    while first < len(clusters) - 1:
        small = size[first] < p["peel_max_chars"]
        gap_start = clusters[first][-1] + 1
        if not small or opens_list(doc, blocks, gap_start, clusters[first + 1][0], p):
            break
        first += 1
    if first == 0:
        return head_end, None
    if clusters[first] != [headline]:
        return clusters[first][0], None
    # All went: the body starts at the first prose below the headline.
    below = next((b for b in range(headline + 1, tail_start) if prose[b]), None)
    return (head_end, None) if below is None else (below, headline)


def _title(doc: Document, blocks: list[int], head_end: int, p: dict) -> int | None:
    """Block index of the headline just above the body, if the page title repeats it."""
    page_title = set(words(doc.lines[blocks[0]]))
    if len(page_title) < 3:
        return None
    for b in range(head_end - 1, max(0, head_end - p["title_lookback"]) - 1, -1):
        if repeats_title(doc.lines[blocks[b]], page_title):
            return b
    return None
