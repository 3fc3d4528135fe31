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
   stands in for stop-word density. A sentence without the document
   language's stop-words is still prose when it has another language's
   (:func:`cleaner.language.quick_guess`): a post on a page whose sidebar or
   error messages made it look like another language.
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
   with one good block among the next ``RESUME_WINDOW`` and prose or a list
   item right above it: a 'Related Articles' or 'Share on Facebook' left
   between two paragraphs ('About the author' under a name is a box). Nor any
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
   new last cluster qualifies. Unless the gap opens with a list (two of its
   first six lines match ``peel_list_item``: bullets, numbers, times,
   'Label: value'): an article may end with a schedule, references or
   ingredients, and those are not prose. The tail then starts after the
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
   ``label_spacing`` lines or more) anchors the run. A list heading also
   opens a list in the gap before a detached cluster (5.).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, fields
from functools import cache
from itertools import pairwise
from pathlib import Path

from ..document import WORD, Document, words
from ..language import QUICK_MIN_LINE_TOKENS, quick_guess
from ..matching import compile_regex
from ..rule import Rule
from . import Candidate, KindParams, RuleGroup, kind, pack_file, param


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

    def check(self) -> None:
        if not 0 < self.length_low <= self.length_high:
            raise ValueError("need 0 < length_low <= length_high")
        if not 0 <= self.stopwords_low <= self.stopwords_high <= 1:
            raise ValueError("need 0 <= stopwords_low <= stopwords_high <= 1")
        if self.peel_gap < 0 or self.peel_max_chars < 0:
            raise ValueError("need peel_gap >= 0 and peel_max_chars >= 0")
        if min(self.item_family, self.family_word, self.family_reach, self.label_spacing) < 0:
            raise ValueError("need item_family, family_word, family_reach, label_spacing >= 0")


#: The gap before a detached cluster is kept when at least LIST_MIN of its first
#: LIST_WINDOW lines are list items: the article's own list, not navigation.
LIST_WINDOW = 6
LIST_MIN = 2

#: A line ending in ':' with this many words introduces a list: a sentence, not a label.
INTRO_WORDS = 5

#: A terminator followed by this many long paragraphs ends nothing: the article goes on.
CONTINUES = 2

#: A terminator with a long paragraph this close below it ends nothing: the article resumes.
RESUME_WINDOW = 2

#: Navigation-looking lines in a row that end a list after the article's prose.
STRUCTURE_MISSES = 1
#: Digits and prices: what a list item, a result or a spec has and a menu entry lacks. Not a
#: comma: teaser headlines have them as often ('Floods, storms and a dry summer ahead').
STRUCTURE_MARKS = compile_regex(r"\d|[£$€¥₹%]", deferred=True)

#: Lines starting with a number that make the bare lines above them a list's headings.
HEADED_ITEMS = 2
#: A line that starts with a number or a quantity: '8-9 ripe pears', '1 tsp cinnamon', '3) Rinse'.
LEADING_NUMBER = compile_regex(r"\s*\(?\d", deferred=True)

#: A numbered item this many lines above and below a terminator: the list goes on past it.
NUMBER_REACH = 3
#: The number a list item, a ranking or a results row starts with: '7)', '7.', '(7)', '25 Name'.
ITEM_NUMBER = compile_regex(r"\s*\(?(\d{1,3})(?:[.)]\)?)?\s", deferred=True)

#: Lines after a terminator that may go in a tail shorter than min_region_lines: buttons
#: and labels this short, with no sentence end (an article's last lines may have one).
SHORT_END_CHARS = 40

GOOD, NEAR_GOOD, SHORT, BAD = "good", "near-good", "short", "bad"
_SENTENCE_END = (".", "!", "?", "…", "。", "！", "？", '"', "”", "’", "»", ")")


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
    return found


@cache
def stoplist(directory: str, lang: str) -> frozenset[str]:
    path = Path(directory) / f"{lang}.txt"
    if not path.is_file():
        return frozenset()
    lines = path.read_text(encoding="utf-8").split("\n")
    return frozenset(w for w in lines if w and not w.startswith("#"))


def classify(line: str, stops: frozenset[str], p: dict) -> str:
    text = line.strip()
    if "©" in text:
        return BAD
    if len(text) < p["length_low"]:
        return SHORT
    tokens = words(text)
    if stops and tokens:
        density = sum(t in stops for t in tokens) / len(tokens)
    else:
        # No stop-list: a sentence end is the evidence of prose.
        density = p["stopwords_high"] if text.endswith(_SENTENCE_END) else 0.0
    if density >= p["stopwords_high"]:
        return GOOD if len(text) > p["length_high"] else NEAR_GOOD
    if density >= p["stopwords_low"]:
        return NEAR_GOOD
    return BAD


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
                verdict = memo[doc.lines[i]] = self._is_prose(doc.lines[i], stops, p)
            prose.append(verdict)
        dense = [self._dense(prose, b, p) for b in range(len(blocks))]
        first = next((b for b in range(len(blocks)) if dense[b]), None)
        if first is None:
            return  # no article found: unsure, keep everything
        last = next(b for b in range(len(blocks) - 1, -1, -1) if dense[b])
        # Never cut a prose block: the regions end at the outermost prose.
        head_end = next(b for b in range(len(blocks)) if prose[b])
        tail_start = next(b for b in range(len(blocks) - 1, -1, -1) if prose[b]) + 1
        head_end, tail_start = min(head_end, first), max(tail_start, last + 1)
        # Sentences right next to the prose are part of it ("When I woke up, ...").
        while head_end > 0 and self._attached(doc.lines[blocks[head_end - 1]], stops, p):
            head_end -= 1
        tail_start = self._past_attached(doc, blocks, tail_start, len(blocks), stops, p)
        tail_start = self._terminate(doc, blocks, prose, first, tail_start, stops, p, memo)
        headline = None  # known when the head peel reached it
        if p["peel_gap"] > 0:
            peeled = self._peel(doc, blocks, prose, head_end, tail_start, p)
            # A short sentence right after the article's last cluster is still its own.
            tail_start = self._past_attached(doc, blocks, peeled, tail_start, stops, p)
            if p["peel_head"]:
                head_end, headline = self._peel_head(doc, blocks, prose, head_end, tail_start, p)
        # A sentence that introduces what follows ('Speakers in the region are listed
        # here:') is the article's own last sentence.
        if tail_start < len(blocks) and _introduces(doc.lines[blocks[tail_start]]):
            tail_start += 1
        # Lists, tables and Q&A after the last prose are the article's own when
        # something anchors them (an intro ending in ':', prose below, a
        # terminator or the page end), up to the first lines that look like a menu.
        tail_start = self._past_structure(doc, blocks, prose, tail_start, p, memo)
        boxed = _author_box(doc, blocks, first, tail_start, p)
        box = boxed if boxed < tail_start else None  # an author box goes however short
        tail_start = boxed
        if p["trim_head"] and head_end >= p["min_region_lines"]:
            cut = doc.line_starts[blocks[head_end]]
            title = self._title(doc, blocks, head_end, p) if headline is None else headline
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
        elif p["terminator_min_lines"] > 0 and _short_end(doc, blocks, prose, tail_start, p):
            least = p["terminator_min_lines"]
        if p["trim_tail"] and len(blocks) - tail_start >= least:
            start = doc.line_span(blocks[tail_start - 1])[1]
            yield Candidate(start, len(doc.text), "", rule)

    @staticmethod
    def _terminate(
        doc: Document,
        blocks: list[int],
        prose: list[bool],
        first: int,
        tail_start: int,
        stops: frozenset[str],
        p: dict,
        memo: dict,
    ) -> int:
        """Cut at the first terminating block (boilerpy3): 'Comments', 'Related articles'...

        A terminator counts only once the article has had more prose than what
        follows it: a 'Related' box in the middle of a report does not end it.
        A strong terminator (a comment section's heading) needs only
        ``min_body_chars`` of article before it: comments can outgrow it.
        """
        # The article's tables and numbered lists count with its prose ('1 Kyle
        # Busch 5040 5 1 17 27'): a results page has more article than its prose.
        lengths = [
            len(doc.lines[i]) if prose[b] or _leads_with_number(doc.lines[i]) else 0
            for b, i in enumerate(blocks)
        ]
        total = sum(lengths)
        before = sum(lengths[: first + 1])
        # A heading printed more than once (a listicle's "More info" after each
        # item) belongs to the article's structure: it ends nothing.
        seen = Counter(doc.lines[i].strip().casefold() for i in blocks)
        for b in range(first + 1, tail_start):
            has_body = before >= p["min_body_chars"]
            ends_body = has_body and before > p["terminator_ratio"] * (total - before)
            line = doc.lines[blocks[b]].strip()
            once = seen[line.casefold()] == 1
            strong = has_body and _whole(p, "_strong", line, memo)
            # An author box's heading ('About the author'): the prose below it is
            # the bio, whatever is above.
            box = once and ends_body and _whole(p, "_box", line, memo)
            # Whether the article resumes is only asked of a line that would end it
            # (most lines are no terminator: working it out for each cost a third of
            # the kind's time).
            terminates = (
                box
                or bool(
                    once
                    and ends_body
                    and _whole(p, "_terminator", line, memo)
                    and not _resumes(doc, blocks, prose, b, seen, stops, p)
                )
                or strong
            )
            # Two long paragraphs right below a would-be heading are the article
            # going on: a caption credit ('Quelle: ...') or a comment-count link
            # under the lead, not a comment section or a related-links box.
            if terminates:
                below = [doc.lines[i] for i in blocks[b + 1 : b + 1 + CONTINUES]]
                if len(below) < CONTINUES or any(classify(x, stops, p) != GOOD for x in below):
                    return b
            before += lengths[b]
        return tail_start

    @staticmethod
    def _past_structure(
        doc: Document, blocks: list[int], prose: list[bool], tail_start: int, p: dict, memo: dict
    ) -> int:
        """Where the tail starts once the article's lists after its last prose are kept.

        A deals round-up's product boxes, a programme, results, a recipe's
        steps, Q&A: lines that carry digits, prices, list marks or
        sentence ends, or repeat a label ('Buy Now'), continue the article.
        The walk stops at a terminator, or at ``STRUCTURE_MISSES + 1`` lines in
        a row that look like navigation (short, no digits, no punctuation).
        """
        if tail_start == 0:
            return tail_start
        region = [doc.lines[i].strip() for i in blocks[tail_start:]]
        repeats = Counter(line.casefold() for line in region)
        # Items of one list share a shape: 'Aviemore Primary School', 'Badenoch High
        # School'; 'Best overall', 'Best budget'. A menu's entries share no word.
        # Counted up to the first terminator: the teasers' bylines below a 'More
        # from ...' box ('von Ella Glover') are no list of the article's.
        stop = next((k for k, x in enumerate(region) if _terminates(x, p, memo)), len(region))
        families = _families(region[:stop], p) + [False] * (len(region) - stop)
        # Anchored: introduced by a line ending in ':' ('Our picks:', 'The
        # programme:'), or running into prose, a terminator or the end of the
        # page. A list that fades into navigation with nothing to hold it is a
        # teaser list, not the article's.
        anchored = doc.lines[blocks[tail_start - 1]].rstrip().endswith(":")
        # A label such as 'Share this:' introduces nothing: the intro needs an item after it.
        opens = bool(region) and region[0].endswith(":")
        end = tail_start
        misses = 0
        # Bare lines under a list heading ('Pros', 'Ingredients') that follows
        # the article's lines straight on are its items ('Warm light').
        headed = 0
        heading = p["_heading"]
        for b in range(tail_start, len(blocks)):
            line = region[b - tail_start]
            if _terminates(line, p, memo) and not _numbering_goes_on(doc, blocks, b):
                anchored = True
                break
            if heading and misses == 0 and heading.fullmatch(line):
                headed = LIST_WINDOW
            else:
                headed = max(0, headed - 1)
            if prose[b]:
                end, misses, anchored = b + 1, 0, True
            elif _content_shaped(line, repeats, p) or families[b - tail_start] or headed:
                end, misses = b + 1, 0
            else:
                misses += 1
                if misses > STRUCTURE_MISSES and not _items_follow(region, b - tail_start + 1):
                    break
        else:
            anchored |= misses == 0
        anchored |= opens and end > tail_start + 1
        # A label printed under every item ('Buy Now' in a deals round-up's
        # product boxes) makes the run a list of the article's own items.
        anchored |= _labelled(region[: end - tail_start], p)
        return end if anchored else tail_start

    @staticmethod
    def _peel(
        doc: Document, blocks: list[int], prose: list[bool], head_end: int, tail_start: int, p: dict
    ) -> int:
        """Where the tail starts once detached prose clusters after the article are let go."""
        clusters = _clusters(prose, head_end, tail_start, p["peel_gap"])
        if not clusters:
            return tail_start
        size = [sum(len(doc.lines[blocks[b]].strip()) for b in c) for c in clusters]
        last = len(clusters) - 1
        while last > 0:
            gap_start = clusters[last - 1][-1] + 1
            small = size[last] < p["peel_max_chars"] and size[last] < sum(size[:last])
            if not small or _opens_list(doc, blocks, gap_start, clusters[last][0], p):
                break
            last -= 1
        # Also when nothing was let go: a terminator may have cut the tail, and the
        # lines between the last prose and that terminator are the tail's too.
        return clusters[last][-1] + 1

    @staticmethod
    def _peel_head(
        doc: Document, blocks: list[int], prose: list[bool], head_end: int, tail_start: int, p: dict
    ) -> tuple[int, int | None]:
        """Where the body starts once detached prose clusters above the article are
        let go, and the headline when they all went (else None).

        The mirror of :meth:`_peel`: a cookie notice, a site's strapline or a
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
                if _is_headline(doc.lines[blocks[b]], page_title)
            ),
            None,
        )
        if headline is None:
            return head_end, None
        clusters = _clusters(prose, head_end, headline, p["peel_gap"])
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
            if not small or _opens_list(doc, blocks, gap_start, clusters[first + 1][0], p):
                break
            first += 1
        if first == 0:
            return head_end, None
        if clusters[first] != [headline]:
            return clusters[first][0], None
        # All went: the body starts at the first prose below the headline.
        below = next((b for b in range(headline + 1, tail_start) if prose[b]), None)
        return (head_end, None) if below is None else (below, headline)

    @staticmethod
    def _is_prose(line: str, stops: frozenset[str], p: dict) -> bool:
        kind = classify(line, stops, p)
        text = line.rstrip()
        if kind == GOOD or (kind == NEAR_GOOD and text.endswith(_SENTENCE_END)):
            return True
        # A long line of sentences is prose whatever the stop-words say (the
        # detected language may be wrong, or the paragraph in another one).
        if not text.endswith(_SENTENCE_END):
            return False
        if len(text) >= p["length_high"]:
            return True
        # A shorter one is prose when it has the stop-words of another language:
        # a German post on a page whose PHP warnings made it look English.
        other = quick_guess(text, min_tokens=QUICK_MIN_LINE_TOKENS) if kind == BAD else None
        return other is not None and classify(text, stoplist(p["_dir"], other), p) != BAD

    @classmethod
    def _past_attached(
        cls, doc: Document, blocks: list[int], start: int, stop: int, stops: frozenset[str], p: dict
    ) -> int:
        """The first block from ``start`` (before ``stop``) not attached to the prose above."""
        while start < stop and cls._attached(doc.lines[blocks[start]], stops, p):
            start += 1
        return start

    @staticmethod
    def _attached(line: str, stops: frozenset[str], p: dict) -> bool:
        """A line right next to the prose that belongs to it.

        Any line with the stop-words of prose, and short sentences: "When I
        woke up, there was nothing." or a quoted "Greetings."
        """
        text = line.strip()
        if classify(text, stops, p) in (GOOD, NEAR_GOOD):
            return True
        tokens = words(text)
        quoted = text[:1] in "\"“„«‘'"
        return text.endswith(_SENTENCE_END) and (len(tokens) >= 3 or (quoted and tokens != []))

    @staticmethod
    def _dense(prose: list[bool], b: int, p: dict) -> bool:
        """A prose block with enough prose around it to be the article, not a teaser."""
        if not prose[b]:
            return False
        window = prose[max(0, b - p["density_window"]) : b + p["density_window"] + 1]
        return sum(window) >= p["density_min"]

    @staticmethod
    def _title(doc: Document, blocks: list[int], head_end: int, p: dict) -> int | None:
        """Block index of the headline just above the body, if the page title repeats it."""
        page_title = set(words(doc.lines[blocks[0]]))
        if len(page_title) < 3:
            return None
        for b in range(head_end - 1, max(0, head_end - p["title_lookback"]) - 1, -1):
            if _repeats_title(doc.lines[blocks[b]], page_title):
                return b
        return None


#: How many lines above an author's bio its name may stand alone ('Jane Doe', '+ Follow').
BIO_NAME_REACH = 3
#: An author's name: two to four capitalised words.
AUTHOR_NAME = compile_regex(r"\p{Lu}[\p{L}.'’-]*(?:[ ]\p{Lu}[\p{L}.'’-]*){1,3}", deferred=True)


def _author_box(doc: Document, blocks: list[int], first: int, tail_start: int, p: dict) -> int:
    """Where the article ends when its last paragraph is an author box's bio.

    The box is the author's name alone on a line and, at most ``BIO_NAME_REACH``
    lines below it, a short paragraph opening with that name ('Jane Doe' /
    'Jane Doe is a reporter covering ...'): a bio, not the article's last word.
    """
    limit = p["author_bio_max_chars"]
    last = tail_start - 1
    if limit <= 0 or last <= first + 1:
        return tail_start
    bio = doc.lines[blocks[last]].strip()
    if len(bio) > limit:
        return tail_start
    for b in range(last - 1, max(first, last - BIO_NAME_REACH - 1), -1):
        name = doc.lines[blocks[b]].strip()
        if len(name) <= 50 and AUTHOR_NAME.fullmatch(name) and bio.startswith(name + " "):
            return b
    return tail_start


def _clusters(prose: list[bool], start: int, stop: int, gap: int) -> list[list[int]]:
    """The prose blocks of ``start:stop`` grouped: neighbours at most ``gap`` blocks apart."""
    clusters: list[list[int]] = []
    for b in range(start, stop):
        if not prose[b]:
            continue
        if clusters and b - clusters[-1][-1] - 1 <= gap:
            clusters[-1].append(b)
        else:
            clusters.append([b])
    return clusters


def _repeats_title(line: str, page_title: set[str]) -> bool:
    """A headline: 3 to 30 words, four in five of them from the page title."""
    tokens = words(line)
    return 3 <= len(tokens) <= 30 and sum(t in page_title for t in tokens) >= 0.8 * len(tokens)


def _is_headline(line: str, page_title: set[str]) -> bool:
    """The page title without the site's name: 3 words or more, every one of them in
    the title, and at least half the title. A subheading sharing a few of its words, or
    a later mention with words of its own ('Product details "..."'), is not."""
    first = WORD.search(line.lower())
    if first is None or first.group() not in page_title:
        return False  # its first word is not the title's (most lines: no need for the rest)
    tokens = set(words(line))
    return len(tokens) >= 3 and tokens <= page_title and 2 * len(tokens) >= len(page_title)


def _short_end(doc: Document, blocks: list[int], prose: list[bool], start: int, p: dict) -> bool:
    """Whether the tail from ``start`` goes however short: it opens with a terminator
    and holds no prose nor sentence ('Diese Seite teilen', a share row), or it is an author box:
    its heading and at most ``author_bio_max_chars`` below it. A short paragraph
    under any other terminator may be the article's own last one.
    """
    if start >= len(blocks):
        return False
    line = doc.lines[blocks[start]].strip()
    if p["_box"] and p["_box"].fullmatch(line):
        below = sum(len(doc.lines[i].strip()) for i in blocks[start + 1 :])
        return below <= p["author_bio_max_chars"]
    rest = [doc.lines[i].strip() for i in blocks[start + 1 :]]
    return (
        _terminates(line, p)
        and not any(prose[start:])
        and all(len(x) <= SHORT_END_CHARS and not x.endswith(_SENTENCE_END) for x in rest)
    )


def _resumes(
    doc: Document,
    blocks: list[int],
    prose: list[bool],
    b: int,
    seen: Counter[str],
    stops: frozenset[str],
    p: dict,
) -> bool:
    """Block ``b`` sits between two parts of the article, so as a terminator it ends
    nothing.

    A label with prose or an item of its list right above it and prose right below
    it ('Related Articles', 'Share on Facebook', 'Tags: ...' left in the article) is a
    widget in the article, not the end of it; a comment section's heading (strong)
    still is. Below a bare heading or a name ('About the author' under the author's
    name and title), the prose is the box's. Nor does a block inside a numbered list
    end anything.
    """
    above = doc.lines[blocks[b - 1]].strip()
    return (
        (prose[b - 1] or _content_shaped(above, seen, p))
        and any(
            classify(doc.lines[i], stops, p) == GOOD for i in blocks[b + 1 : b + 1 + RESUME_WINDOW]
        )
    ) or _numbering_goes_on(doc, blocks, b)


def _terminates(line: str, p: dict, memo: dict | None = None) -> bool:
    if memo is not None:
        return _whole(p, "_terminator", line, memo) or _whole(p, "_strong", line, memo)
    return any(rx is not None and rx.fullmatch(line) for rx in (p["_terminator"], p["_strong"]))


def _whole(p: dict, name: str, line: str, memo: dict) -> bool:
    """Whether the whole-line pattern ``p[name]`` (terminators, strong terminators, author
    box headings) matches ``line``; kept in the rule's memo for the fixpoint's later
    rounds, which see the same lines again."""
    key = (name, line)
    found = memo.get(key)
    if found is None:
        pattern = p[name]
        found = memo[key] = pattern is not None and pattern.fullmatch(line) is not None
    return found


def _leads_with_number(line: str) -> bool:
    """``LEADING_NUMBER.match(line)``, the pattern only tried when the first character
    after the white space may start a match: '(', a digit, or any non-ASCII character
    (every character the ``regex`` module's ``\\s`` takes is white space to ``str.lstrip``,
    and an ASCII ``\\d`` is a digit to ``str.isdigit``)."""
    rest = line.lstrip()
    if not rest or not (rest[0] == "(" or rest[0].isdigit() or not rest[0].isascii()):
        return False
    return LEADING_NUMBER.match(line) is not None


def _content_shaped(line: str, repeats: Counter[str], p: dict) -> bool:
    """A line that reads as part of an article's list or table, not as a menu entry."""
    if STRUCTURE_MARKS.search(line) or line.endswith((*_SENTENCE_END, ":")):
        return True
    if repeats[line.casefold()] >= 2:
        return True  # a label of every item: 'Buy Now', 'Photograph: ...'
    item = p["_list_item"]
    if item and item.match(line):
        return True
    heading = p["_heading"]
    return bool(heading and heading.fullmatch(line))  # 'Pros', 'Ingredients', 'Method'


def _families(region: list[str], p: dict) -> list[bool]:
    """Per line of ``region``: a short line that shares its first or last word (of
    ``family_word`` letters or more) with ``item_family`` distinct lines or more, itself
    included, among its ``family_reach`` neighbours on either side."""
    n = p["item_family"]
    if n <= 0:
        return [False] * len(region)
    ends: list[tuple[str | None, str | None]] = []
    for line in region:
        tokens = words(line) if len(line) < p["length_low"] else []
        ends.append(
            (
                tokens[0] if tokens and len(tokens[0]) >= p["family_word"] else None,
                tokens[-1] if tokens and len(tokens[-1]) >= p["family_word"] else None,
            )
        )
    found = []
    folded = [line.casefold() for line in region]
    for k, (first, last) in enumerate(ends):
        reach = p["family_reach"]
        lo, hi = max(0, k - reach), min(len(region), k + reach + 1)
        near = {folded[j]: ends[j] for j in range(lo, hi)}  # distinct lines
        found.append(
            any(
                word is not None and sum(e[side] == word for e in near.values()) >= n
                for side, word in enumerate((first, last))
            )
        )
    return found


def _labelled(run: list[str], p: dict) -> bool:
    """A short line (a label: 'Buy Now') under every item of ``run``: ``item_family``
    times or more, at one spacing of ``label_spacing`` lines or more (a name and
    a detail between two labels, not a prompt printed twice in a row)."""
    n = p["item_family"]
    if n <= 0:
        return False
    at: dict[str, list[int]] = {}
    for k, line in enumerate(run):
        if len(line) < p["length_low"]:
            at.setdefault(line.casefold(), []).append(k)
    for spots in at.values():
        gaps = {b - a for a, b in pairwise(spots)}
        if len(spots) >= n and len(gaps) == 1 and min(gaps) >= p["label_spacing"]:
            return True
    return False


def _numbering_goes_on(doc: Document, blocks: list[int], b: int) -> bool:
    """Block ``b`` interrupts a numbered list: the item above it is n, the one below n + 1.

    A results table, a ranking or a recipe's steps with a widget ('Share on
    Facebook', 'Related Articles') dropped into it: a teaser box never
    continues the article's numbering.
    """
    above = [_item_number(doc.lines[i]) for i in blocks[max(0, b - NUMBER_REACH) : b]]
    below = [_item_number(doc.lines[i]) for i in blocks[b + 1 : b + 1 + NUMBER_REACH]]
    last = next((n for n in reversed(above) if n is not None), None)
    following = next((n for n in below if n is not None), None)
    return last is not None and following == last + 1


def _items_follow(region: list[str], start: int) -> bool:
    """The lines from ``start`` open a list of quantities or numbered items (a recipe's
    ingredients under 'Ingredients'): the bare lines above them are its headings."""
    following = region[start : start + HEADED_ITEMS]
    return len(following) == HEADED_ITEMS and all(LEADING_NUMBER.match(x) for x in following)


def _item_number(line: str) -> int | None:
    match = ITEM_NUMBER.match(line)
    return int(match.group(1)) if match else None


def _introduces(line: str) -> bool:
    text = line.strip()
    return text.endswith(":") and len(words(text)) >= INTRO_WORDS


def _opens_list(doc: Document, blocks: list[int], start: int, stop: int, p: dict) -> bool:
    """The gap ``blocks[start:stop]`` begins with a list (the article's schedule, references...)."""
    item = p["_list_item"]
    if item is None:
        return False
    heading = p["_heading"]
    window = [doc.lines[blocks[b]].strip() for b in range(start, min(stop, start + LIST_WINDOW))]
    found = sum(bool(item.match(x) or (heading and heading.fullmatch(x))) for x in window)
    return found >= LIST_MIN
