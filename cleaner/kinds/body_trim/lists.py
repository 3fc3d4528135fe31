"""Body-trim's lists: tables, results, recipes and Q&A after the prose are the article's.

Step 6 of :mod:`cleaner.kinds.body_trim`: after the last kept line, a run of
lines that look like a list (digits, prices, list marks, sentence ends, a
label repeated per item, a family of items sharing a word) is kept when
something anchors it; a numbered list goes on past a widget dropped into it.
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

from ...document import Document, words
from ...matching import compile_regex
from .blocks import ends_sentence, terminates

#: The gap before a detached cluster is kept when at least LIST_MIN of its first
#: LIST_WINDOW lines are list items: the article's own list, not navigation.
LIST_WINDOW = 6
LIST_MIN = 2

#: A line ending in ':' with this many words introduces a list: a sentence, not a label.
INTRO_WORDS = 5

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


def past_structure(
    doc: Document,
    blocks: list[int],
    prose: list[bool],
    tail_start: int,
    p: dict,
    memo: dict,
    first: int,
) -> int:
    """Where the tail starts once the article's lists after its last prose are kept.

    A deals round-up's product boxes, a programme, results, a recipe's
    steps, Q&A: lines that carry digits, prices, list marks or
    sentence ends, or repeat a label ('Buy Now'), continue the article.
    The walk stops at a terminator, or at ``STRUCTURE_MISSES + 1`` lines in
    a row that look like navigation (short, no digits, no punctuation).
    ``first`` is the article's first block: its lines' labels anchor a run too.
    """
    if tail_start == 0:
        return tail_start
    region = [doc.lines[i].strip() for i in blocks[tail_start:]]
    repeats = Counter(line.casefold() for line in region)
    # Items of one list share a shape: 'Aviemore Primary School', 'Badenoch High
    # School'; 'Best overall', 'Best budget'. A menu's entries share no word.
    # Counted up to the first terminator: the teasers' bylines below a 'More
    # from ...' box ('von Ella Glover') are no list of the article's.
    stop = next((k for k, x in enumerate(region) if terminates(x, p, memo)), len(region))
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
    item_labels: list[str | None] = []  # of the run's items, for the article-label anchor
    # Bare lines under a list heading ('Pros', 'Ingredients') that follows
    # the article's lines straight on are its items ('Warm light').
    headed = 0
    heading = p["_heading"]
    for b in range(tail_start, len(blocks)):
        line = region[b - tail_start]
        if terminates(line, p, memo) and not numbering_goes_on(doc, blocks, b):
            anchored = True
            break
        if heading and misses == 0 and heading.fullmatch(line):
            headed = LIST_WINDOW
        else:
            headed = max(0, headed - 1)
        if prose[b]:
            end, misses, anchored = b + 1, 0, True
        elif content_shaped(line, repeats, p) or families[b - tail_start] or headed:
            end, misses = b + 1, 0
            item_labels.append(_label_of(line, p))
        else:
            misses += 1
            if misses > STRUCTURE_MISSES and not _items_follow(region, b - tail_start + 1):
                break
    else:
        anchored |= misses == 0
    anchored |= opens and end > tail_start + 1
    if not anchored and len(item_labels) >= LABELLED_ITEMS:
        labels = _article_labels(doc, blocks, first, tail_start, p)
        anchored = sum(label in labels for label in item_labels) >= LABELLED_ITEMS
    # A label printed under every item ('Buy Now' in a deals round-up's
    # product boxes) makes the run a list of the article's own items.
    anchored |= _labelled(region[: end - tail_start], p)
    return end if anchored else tail_start


#: Lines of a run that open with the article's own labels ('Hora:', 'Estadio ...') and make
#: it the article's list, however it ends: a results post's last match report.
LABELLED_ITEMS = 3


def _label_of(line: str, p: dict) -> str | None:
    """The line's first word when it is long enough to be a label ('Attendance', not 'The')."""
    tokens = words(line[:40])
    return tokens[0] if tokens and len(tokens[0]) >= p["family_word"] else None


def _article_labels(doc: Document, blocks: list[int], first: int, stop: int, p: dict) -> set[str]:
    """First words (of ``family_word`` letters or more) that open two or more of the
    article's lines: the labels of its own items ('Hora', 'Estadio', 'Goles')."""
    seen = Counter(_label_of(doc.lines[i].strip(), p) for i in blocks[first:stop])
    return {label for label, n in seen.items() if label is not None and n >= 2}


def content_shaped(line: str, repeats: Counter[str], p: dict) -> bool:
    """A line that reads as part of an article's list or table, not as a menu entry."""
    if STRUCTURE_MARKS.search(line) or line.endswith(":") or ends_sentence(line):
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


def numbering_goes_on(doc: Document, blocks: list[int], b: int) -> bool:
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


def leads_with_number(line: str) -> bool:
    """``LEADING_NUMBER.match(line)``, the pattern only tried when the first character
    after the white space may start a match: '(', a digit, or any non-ASCII character
    (every character the ``regex`` module's ``\\s`` takes is white space to ``str.lstrip``,
    and an ASCII ``\\d`` is a digit to ``str.isdigit``)."""
    rest = line.lstrip()
    if not rest or not (rest[0] == "(" or rest[0].isdigit() or not rest[0].isascii()):
        return False
    return LEADING_NUMBER.match(line) is not None


def _items_follow(region: list[str], start: int) -> bool:
    """The lines from ``start`` open a list of quantities or numbered items (a recipe's
    ingredients under 'Ingredients'): the bare lines above them are its headings."""
    following = region[start : start + HEADED_ITEMS]
    return len(following) == HEADED_ITEMS and all(LEADING_NUMBER.match(x) for x in following)


def _item_number(line: str) -> int | None:
    match = ITEM_NUMBER.match(line)
    return int(match.group(1)) if match else None


def introduces(line: str) -> bool:
    text = line.strip()
    return text.endswith(":") and len(words(text)) >= INTRO_WORDS


def opens_list(doc: Document, blocks: list[int], start: int, stop: int, p: dict) -> bool:
    """The gap ``blocks[start:stop]`` begins with a list (the article's schedule, references...)."""
    item = p["_list_item"]
    if item is None:
        return False
    heading = p["_heading"]
    window = [doc.lines[blocks[b]].strip() for b in range(start, min(stop, start + LIST_WINDOW))]
    found = sum(bool(item.match(x) or (heading and heading.fullmatch(x))) for x in window)
    return found >= LIST_MIN
