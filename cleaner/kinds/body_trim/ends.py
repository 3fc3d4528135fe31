"""Body-trim's ends: where the article stops (terminators, author boxes, short tails).

Step 3 of :mod:`cleaner.kinds.body_trim` (a terminating line such as
'Related articles' or a comment section's heading, unless the article goes
on below it), an author box's bio after the last paragraph, and the short
tails that go however few their lines.
"""

from __future__ import annotations

from collections import Counter

from ...document import Document, ends_like_sentence
from ...matching import compile_regex
from .blocks import GOOD, classify, ends_sentence, terminates, whole
from .lists import content_shaped, leads_with_number, numbering_goes_on

#: A terminator followed by this many long paragraphs ends nothing: the article goes on.
CONTINUES = 2

#: A terminator with a long paragraph this close below it ends nothing: the article resumes.
RESUME_WINDOW = 2

#: Lines after a terminator that may go in a tail shorter than min_region_lines: buttons
#: and labels this short, with no sentence end (an article's last lines may have one).
SHORT_END_CHARS = 40

#: How many lines above an author's bio its name may stand alone ('Jane Doe', '+ Follow').
BIO_NAME_REACH = 3
#: An author's name: two to four capitalised words.
AUTHOR_NAME = compile_regex(r"\p{Lu}[\p{L}.'’-]*(?:[ ]\p{Lu}[\p{L}.'’-]*){1,3}", deferred=True)


def terminate(
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
        len(doc.lines[i]) if prose[b] or leads_with_number(doc.lines[i]) else 0
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
        strong = has_body and whole(p, "_strong", line, memo)
        # An author box's heading ('About the author'): the prose below it is
        # the bio, whatever is above.
        box = once and ends_body and whole(p, "_box", line, memo)
        # Whether the article resumes is only asked of a line that would end it
        # (most lines are no terminator: working it out for each cost a third of
        # the kind's time).
        ends_here = (
            box
            or (
                once
                and ends_body
                and whole(p, "_terminator", line, memo)
                and not _resumes(doc, blocks, prose, b, seen, stops, p)
            )
            or strong
        )
        # Two long paragraphs right below a would-be heading are the article
        # going on: a caption credit ('Quelle: ...') or a comment-count link
        # under the lead, not a comment section or a related-links box.
        if ends_here:
            below = [doc.lines[i] for i in blocks[b + 1 : b + 1 + CONTINUES]]
            if len(below) < CONTINUES or any(classify(x, stops, p) != GOOD for x in below):
                return b
        before += lengths[b]
    return tail_start


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

    A label with prose or an item of its list right above it and a long paragraph or
    two sentences right below it ('Related Articles', 'Share on Facebook', 'Tags: ...'
    left in the article) is a widget in the article, not the end of it; a comment
    section's heading (strong) still is. Below a bare heading or a name ('About the
    author' under the author's name and title), the prose is the box's. Nor does a
    block inside a numbered list end anything.
    """
    above = doc.lines[blocks[b - 1]].strip()
    if prose[b - 1] or content_shaped(above, seen, p):
        # Paragraphs right below: one long one, or two sentences in a row (news
        # paragraphs are often shorter than length_high; a teaser feed puts a
        # headline between its summaries, and a headline ending in a quote has no
        # full stop).
        window = blocks[b + 1 : b + 1 + RESUME_WINDOW]
        if any(classify(doc.lines[i], stops, p) == GOOD for i in window) or (
            len(window) == RESUME_WINDOW
            and all(prose[b + 1 : b + 1 + RESUME_WINDOW])
            and all(ends_like_sentence(doc.lines[i]) for i in window)
        ):
            return True
    return numbering_goes_on(doc, blocks, b)


def author_box(doc: Document, blocks: list[int], first: int, tail_start: int, p: dict) -> int:
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


def short_end(doc: Document, blocks: list[int], prose: list[bool], start: int, p: dict) -> bool:
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
        terminates(line, p)
        and not any(prose[start:])
        and all(len(x) <= SHORT_END_CHARS and not ends_sentence(x) for x in rest)
    )


def feed_start(
    doc: Document, blocks: list[int], first: int, tail_start: int, p: dict, memo: dict
) -> int:
    """Where a feed of dated teasers closing the article's part of the page starts.

    A date alone on its line (``feed_dates``), then the teaser's headline (no full
    stop; '!' and '?' are a headline's too) and its summary, then the next date at
    most ``feed_max_period`` lines on: ``feed_min_items`` such dates in a row, the
    last of them at most two periods before the tail starts, are another box's list
    of stories, even when their summaries read like the article's prose. The feed
    starts at its first date; the article is what is above it. A chronology closing
    an article (a date, then the sentence saying what happened, full stop) is the
    article's own and stays.
    """
    if p["_feed_date"] is None or tail_start - first < p["feed_min_items"] * 3:
        return tail_start
    period = p["feed_max_period"]
    dates = [
        b
        for b in range(first + 1, tail_start - 2)
        if whole(p, "_feed_date", doc.lines[blocks[b]].strip(), memo)
        and not doc.lines[blocks[b + 1]].rstrip().endswith(".")
    ]
    # The last teaser's date may be gone already (an edge-zone date rule took it).
    if len(dates) < p["feed_min_items"] or tail_start - dates[-1] > 2 * period:
        return tail_start
    # The run of dates, each 3 to `period` lines after the one before (a headline and a
    # summary between), that reaches the tail.
    start = len(dates) - 1
    while start > 0 and 3 <= dates[start] - dates[start - 1] <= period:
        start -= 1
    if len(dates) - start < p["feed_min_items"]:
        return tail_start
    return dates[start]
