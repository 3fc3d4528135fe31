"""The codes of the engine's own records, in one place.

Rules have codes their packs give them (``BP101``); the engine and the runner
write records of their own beside the rules' edits, under these codes. No
rule pack may use a code starting with one of :data:`RESERVED_PREFIXES` (the
loader refuses it), so a code in a log always says who wrote the record.
"""

from __future__ import annotations

#: The damage guard withheld a document's edits (:mod:`cleaner.guard`).
DAMAGE_GUARD = ("DG001", "damage-guard")
#: A rule's regex ran out of its time budget and was skipped for the document.
REGEX_TIMEOUT = ("RX001", "regex-timeout")
#: A file was not valid UTF-8 and was decoded with a fallback (:mod:`cleaner.textio`).
DECODE_FALLBACK = ("IO001", "decode-fallback")
#: A file mixed line-ending styles; the log keeps the exceptions for a byte-exact revert.
MIXED_NEWLINES = ("IO002", "mixed-line-endings")

RESERVED: tuple[tuple[str, str], ...] = (
    DAMAGE_GUARD,
    REGEX_TIMEOUT,
    DECODE_FALLBACK,
    MIXED_NEWLINES,
)
#: Code prefixes of the engine's own records (``DG``, ``RX``, ``IO``).
RESERVED_PREFIXES: tuple[str, ...] = tuple(
    dict.fromkeys(code.rstrip("0123456789") for code, _name in RESERVED)
)
