"""Invisible characters made visible, for text people read (diffs, listings).

A no-break space fixed into a space gives ``-`` and ``+`` lines that look the
same; like ``git diff`` highlighting whitespace, the diffs this tool prints
write each invisible or look-alike character as ``<U+00A0>`` instead. What is
marked: control characters other than tab, line feed and carriage return;
spaces other than U+0020 (no-break, thin, ideographic, ...); zero-width and
direction marks; the soft hyphen; line and paragraph separators; the BOM.
"""

from __future__ import annotations

import re

#: The characters :func:`visible` marks (a table, so adding one is one edit).
INVISIBLE = re.compile(
    "["
    "\x00-\x08\x0b\x0c\x0e-\x1f"  # C0 controls but \t \n \r
    "\x7f-\xa0"  # DEL, C1 controls, no-break space
    "\xad"  # soft hyphen
    "\u1680\u180e"  # ogham space mark, Mongolian vowel separator
    "\u2000-\u200f"  # en quad .. hair space, zero-width space/joiners, LRM/RLM
    "\u2028-\u202f"  # line/paragraph separators, bidi embeddings, narrow no-break space
    "\u205f-\u206f"  # medium mathematical space, word joiner, invisible operators, bidi isolates
    "\u3000"  # ideographic space
    "\ufeff"  # zero-width no-break space (BOM)
    "]"
)


def visible(text: str) -> str:
    """``text`` with each :data:`INVISIBLE` character written as ``<U+XXXX>``."""
    return INVISIBLE.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)
