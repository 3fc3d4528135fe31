"""Kind ``mojibake``: text decoded with the wrong encoding, repaired by ftfy.

``Mayorâ€™s`` is UTF-8 read as Windows-1252. ftfy (the standard for this)
reverses it. It runs only on lines its own badness check flags, and with
every fix that changes what is not broken turned off: no quote uncurling,
no width or ligature changes, no Unicode normalisation, no HTML unescaping,
line breaks kept. Each repair is logged with ftfy's explanation (the
encode/decode steps it replayed).
"""

from __future__ import annotations

from collections.abc import Iterator

from ftfy import TextFixerConfig, fix_and_explain
from ftfy.badness import BADNESS_RE, is_bad

from ..document import Document
from ..rule import Rule
from . import Candidate, RuleGroup

NAME = "mojibake"
PHASE = "encoding"
PARAMS: dict = {}

#: Only encoding repairs: everything that would touch unbroken text is off.
CONFIG = TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_control_chars=False,
    normalization=None,
    explain=True,
)


#: Non-ASCII characters that common clean text is full of (typographic quotes,
#: dashes, bullets, no-break space) and that ftfy's badness regex cannot match
#: with ASCII alone: a text with no other non-ASCII character is not mojibake.
#: tests/test_kinds.py checks this against the installed ftfy.
HARMLESS = frozenset("\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u2022\u00a0\u00ab\u00bb\u00b7")


def could_be_bad(text: str) -> bool:
    """False when ``text`` holds nothing ftfy's badness regex could match."""
    return not text.isascii() and any(ord(c) > 127 and c not in HARMLESS for c in set(text))


def prepare(rule: Rule) -> None:
    """Nothing to compile: the repair is ftfy's."""


def explain(steps: list[tuple[str, str]] | None) -> str:
    return "ftfy: " + ", ".join(f"{action} {arg}" for action, arg in steps or [])


class Mojibake(RuleGroup):
    def find(self, doc: Document) -> Iterator[Candidate]:
        if not self.rules:
            return
        rule = self.rules[0]
        for index in _bad_lines(doc, doc.memo_for(self)):
            line = doc.lines[index]
            fixed = fix_and_explain(line, CONFIG)
            if fixed.text != line:
                start = doc.line_starts[index]
                yield Candidate(
                    start, start + len(line), fixed.text, rule, message=explain(fixed.explanation)
                )


def _bad_lines(doc: Document, memo: dict[str, bool]) -> list[int]:
    """Indices of the lines ftfy's ``is_bad`` flags, judged on their own.

    The first pass over a document scans it once and remembers every line's
    verdict; later passes (the fixpoint's rounds) only judge lines they have
    not seen, which are the few that changed.
    """
    if not memo:
        # Every repair this configuration makes involves a non-ASCII character other
        # than common punctuation; checking that is far cheaper than the regex.
        suspects = set(_suspect_lines(doc)) if could_be_bad(doc.text) else set()
        for index, line in enumerate(doc.lines):
            memo[line] = index in suspects and is_bad(line)
        memo[""] = memo.get("", False)  # the memo is not empty from now on
    bad = []
    for index, line in enumerate(doc.lines):
        verdict = memo.get(line)
        if verdict is None:
            verdict = memo[line] = could_be_bad(line) and is_bad(line)
        if verdict:
            bad.append(index)
    return bad


def _suspect_lines(doc: Document) -> list[int]:
    """Lines touched by a match of ftfy's badness regex over the whole text.

    One scan of the document instead of one search a line; a line is only
    repaired if ``is_bad`` also flags it on its own, as before.
    """
    suspects: set[int] = set()
    for m in BADNESS_RE.finditer(doc.text):
        suspects.update(range(doc.line_of(m.start()), doc.line_of(max(m.end() - 1, m.start())) + 1))
    return sorted(suspects)


compile = Mojibake
