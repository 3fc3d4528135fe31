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
from ftfy.badness import is_bad

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


def prepare(rule: Rule) -> None:
    """Nothing to compile: the repair is ftfy's."""


def explain(steps: list[tuple[str, str]] | None) -> str:
    return "ftfy: " + ", ".join(f"{action} {arg}" for action, arg in steps or [])


class Mojibake(RuleGroup):
    def find(self, doc: Document) -> Iterator[Candidate]:
        if not self.rules or not is_bad(doc.text):
            return  # one regex over the whole text: most documents stop here
        rule = self.rules[0]
        for index, line in enumerate(doc.lines):
            if not is_bad(line):
                continue
            fixed = fix_and_explain(line, CONFIG)
            if fixed.text != line:
                start = doc.line_starts[index]
                yield Candidate(
                    start, start + len(line), fixed.text, rule, message=explain(fixed.explanation)
                )


compile = Mojibake
