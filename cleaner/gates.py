"""Gates: the literals a pattern cannot match without, read from the pattern itself.

A rule's *gate* (:func:`gate`) is a set of lower-cased literals of which at
least one must occur in a text for the rule's pattern to match there; a
*line gate* (:func:`line_gate`) holds the literals that must occur on the
line where a match starts. The prefilter (:mod:`cleaner.prefilter`) finds
them all in one scan, and a rule's regex runs only where its gate passed.
A gate may only say "cannot match": a pattern whose literals cannot be
proven gets none and always runs. Patterns are read with the standard
library's parser (:mod:`cleaner.reparser`); syntax only the ``regex`` module
knows yields no gate.
"""

from __future__ import annotations

from functools import lru_cache

import regex

from .reparser import opcodes, parse

#: Literals shorter than this make a poor gate (they occur everywhere).
MIN_GATE_LEN = 3


def _foldable(ch: str) -> bool:
    low = ch.lower()
    return len(low) == 1 and ch.upper().lower() == low


def _useful(literal: str) -> bool:
    """Whether a literal is worth gating on: three characters or more, or symbols only
    (``©``, ``|``, ``(``: rarer in prose than any short word)."""
    return len(literal) >= MIN_GATE_LEN or (
        bool(literal) and not any(ch.isalnum() or ch.isspace() for ch in literal)
    )


class _Best:
    """The best gate found so far along a parsed sequence (the set whose shortest
    literal is the longest), and the run of literal characters being read."""

    __slots__ = ("gate", "length", "run")

    def __init__(self) -> None:
        self.gate: frozenset[str] | None = None
        self.length = 0
        self.run: list[str] = []

    def close_run(self) -> None:
        literal = "".join(self.run).lower()
        if _useful(literal) and len(literal) > self.length:
            self.gate, self.length = frozenset([literal]), len(literal)
        self.run.clear()

    def take(self, sub: frozenset[str] | None) -> None:
        if sub:
            shortest = min(len(s) for s in sub)
            if shortest > self.length:
                self.gate, self.length = sub, shortest


#: A class of at most this many literal symbols gates like their alternation:
#: ``[→➔➜➤]`` is what the parser makes of ``(?:→|➔|➜|➤)``.
MAX_CLASS_GATE = 8
#: Symbols in most texts, which make no gate: ASCII punctuation, typographic quotes and
#: dashes, the ellipsis and list bullets.
_COMMON_SYMBOLS = frozenset("‘’“”„‚«»–—…·•")


def _class_gate(members: list) -> frozenset[str] | None:
    """The symbols of a parsed class made only of rare literal symbols (``[→➔➜➤]``,
    ``[©®]``), one of which the class must match; ``None`` for any other class (letters,
    ASCII or common punctuation, ranges, categories, negation: in most texts, or nothing
    to name)."""
    if len(members) > MAX_CLASS_GATE:
        return None
    found = set()
    for op, arg in members:
        if op is not opcodes.LITERAL or arg == 10 or not _foldable(chr(arg)):
            return None
        symbol = chr(arg).lower()
        if symbol.isascii() or symbol in _COMMON_SYMBOLS or not _useful(symbol):
            return None
        found.add(symbol)
    return frozenset(found) or None


def _seq_gate(items: list) -> frozenset[str] | None:
    """Best gate of a parsed sequence: its longest mandatory literal run."""
    best = _Best()
    for op, arg in items:
        if op is opcodes.LITERAL and _foldable(chr(arg)):
            best.run.append(chr(arg))
            continue
        best.close_run()
        sub: frozenset[str] | None = None
        if op is opcodes.SUBPATTERN:
            sub = _seq_gate(list(arg[-1]))
        elif op is opcodes.BRANCH:
            alts = [_seq_gate(list(alt)) for alt in arg[1]]
            if all(alts):
                sub = frozenset().union(*alts)  # type: ignore[arg-type]
        elif op in (
            opcodes.MAX_REPEAT,
            opcodes.MIN_REPEAT,
            opcodes.POSSESSIVE_REPEAT,
        ):
            low, _high, body = arg
            if low >= 1:
                sub = _seq_gate(list(body))
        elif op is opcodes.ATOMIC_GROUP:
            sub = _seq_gate(list(arg))
        elif op is opcodes.IN:
            sub = _class_gate(arg)
        elif op is opcodes.ASSERT:
            # What a positive lookaround needs must be in the text too.
            sub = _seq_gate(list(arg[1]))
        best.take(sub)
    best.close_run()
    return best.gate


#: Gates worked out by an earlier process (:mod:`cleaner.packcache`), by pattern.
_SEEDED: dict[str, frozenset[str] | None] = {}


def seed_gates(gates: dict[str, frozenset[str] | None]) -> None:
    """Take gates computed before (the pack cache) instead of parsing those patterns again."""
    _SEEDED.update(gates)


def gate(pattern: str) -> frozenset[str] | None:
    """Lower-cased literals of which at least one must occur for ``pattern`` to match
    (see :func:`_gate`; seeded by :func:`seed_gates`)."""
    try:
        return _SEEDED[pattern]
    except KeyError:
        return _gate(pattern)


@lru_cache(maxsize=4096)
def _gate(pattern: str) -> frozenset[str] | None:
    """Lower-cased literals of which at least one must occur for ``pattern`` to match.

    ``None`` when no useful literal can be proven (the rule then always runs).
    The pattern is read with the stdlib parser; syntax only the ``regex``
    module knows simply yields no gate.
    """
    try:
        parsed = parse(_stdlib_syntax(pattern))
    except Exception:
        return None
    return _seq_gate(list(parsed))


#: ``\p{L}``, ``\P{Lu}``, ``\pL``: Unicode properties, which only the ``regex`` module
#: reads (not escaped themselves: an even number of backslashes before them).
_PROPERTY = regex.compile(r"(?<!\\)((?:\\\\)*)\\[pP](?:\{[^}\\]*\}|[A-Za-z])")


def _stdlib_syntax(pattern: str) -> str:
    r"""``pattern`` with Unicode properties read as ``\w``, so the stdlib parser can read it.

    A class never yields a gate literal, so this loses nothing a gate could use
    and proves nothing the pattern does not require.
    """
    return _PROPERTY.sub(lambda m: m.group(1) + r"\w", pattern)


#: Character-class categories that hold the line break (``\s``, ``\D``, ``\W``).
_BREAK_CATEGORIES = frozenset(
    getattr(opcodes, name, None)
    for name in ("CATEGORY_SPACE", "CATEGORY_NOT_DIGIT", "CATEGORY_NOT_WORD")
)
_NO_BREAK_CATEGORIES = frozenset(
    getattr(opcodes, name, None)
    for name in ("CATEGORY_NOT_SPACE", "CATEGORY_DIGIT", "CATEGORY_WORD")
)


def _class_takes_break(members: list) -> bool:
    """Whether a parsed character class can match a line break (when unsure: yes)."""
    negate = False
    holds = False
    for op, arg in members:
        if op is opcodes.NEGATE:
            negate = True
        elif op is opcodes.LITERAL:
            holds |= arg == 10
        elif op is opcodes.RANGE:
            holds |= arg[0] <= 10 <= arg[1]
        elif op is opcodes.CATEGORY and arg in _NO_BREAK_CATEGORIES:
            continue
        elif op is opcodes.CATEGORY and arg in _BREAK_CATEGORIES:
            holds = True
        else:
            return True
    return holds != negate


def _first_line_gate(items: list) -> tuple[frozenset[str] | None, bool]:
    """``(gate, breaks)``: the best gate among the literals a match of the sequence
    passes before it can consume a line break, and whether it can consume one (what
    comes after that point does not count). Zero-width assertions consume nothing:
    their literals may lie on another line, so they give none, but they do not end
    the line either. Anything not understood ends it."""
    best = _Best()
    for op, arg in items:
        if op is opcodes.LITERAL and arg != 10:
            if _foldable(chr(arg)):
                best.run.append(chr(arg))
            else:
                best.close_run()
            continue
        best.close_run()
        if op in (opcodes.ASSERT, opcodes.ASSERT_NOT, opcodes.AT):
            continue
        if op is opcodes.NOT_LITERAL and arg == 10:
            continue
        if op is opcodes.IN and not _class_takes_break(arg):
            best.take(_class_gate(arg))
            continue
        if op is opcodes.SUBPATTERN:
            sub, breaks = _first_line_gate(list(arg[-1]))
        elif op is opcodes.ATOMIC_GROUP:
            sub, breaks = _first_line_gate(list(arg))
        elif op is opcodes.BRANCH:
            alts = [_first_line_gate(list(alt)) for alt in arg[1]]
            gates = [g for g, _ in alts]
            sub = frozenset().union(*gates) if all(gates) else None  # type: ignore[arg-type]
            breaks = any(b for _, b in alts)
        elif op in (opcodes.MAX_REPEAT, opcodes.MIN_REPEAT, opcodes.POSSESSIVE_REPEAT):
            low, _high, body = arg
            sub, breaks = _first_line_gate(list(body))
            if low < 1:
                sub = None
        else:
            return best.gate, True
        best.take(sub)
        if breaks:
            return best.gate, True
    best.close_run()
    return best.gate, False


def _is_line_start_anchor(item: tuple) -> bool:
    """``(?<![^\\n])``: the position is a line start."""
    op, arg = item
    if op is not opcodes.ASSERT_NOT or arg[0] != -1:
        return False
    body = list(arg[1])
    return len(body) == 1 and body[0][0] is opcodes.NOT_LITERAL and body[0][1] == 10


#: ``\p{L}``, ``\p{Lu}``, ``\p{Cyrillic}``: properties of letters, marks and digits only,
#: read as ``\w`` by :func:`line_gate` (neither takes a line break nor gives a literal);
#: any other property (``\P{L}``, ``\p{Cc}``) leaves the pattern unread.
_LETTER_PROPERTY = regex.compile(
    r"(?<!\\)((?:\\\\)*)\\p\{(?:L[ultmo]?|M[nce]?|N[dlo]?|Latin|Greek|Cyrillic|Arabic|Hebrew)\}"
)


#: Line gates worked out by an earlier process (:mod:`cleaner.packcache`), by pattern.
_SEEDED_LINE: dict[str, tuple[frozenset[str] | None, bool]] = {}


def seed_line_gates(found: dict[str, tuple[frozenset[str] | None, bool]]) -> None:
    """Take line gates computed before (the pack cache) instead of parsing again."""
    _SEEDED_LINE.update(found)


def line_gate(pattern: str) -> tuple[frozenset[str] | None, bool]:
    """``(gate, anchored)`` of ``pattern`` (see :func:`_line_gate`; seeded by
    :func:`seed_line_gates`)."""
    try:
        return _SEEDED_LINE[pattern]
    except KeyError:
        return _line_gate(pattern)


@lru_cache(maxsize=4096)
def _line_gate(pattern: str) -> tuple[frozenset[str] | None, bool]:
    """``(gate, anchored)``: lower-cased literals of which one must occur on the line
    where a match of ``pattern`` starts (between its start and the first line break it
    could take), and whether its matches start only at line starts (it opens with
    ``(?<![^\\n])``). ``(None, False)`` when nothing can be proven: syntax the standard
    library's parser does not read (such as ``\\p{L}``), for one."""
    try:
        parsed = list(parse(_LETTER_PROPERTY.sub(lambda m: m.group(1) + r"\w", pattern)))
    except Exception:
        return None, False
    gate, _breaks = _first_line_gate(parsed)
    return gate, bool(parsed) and _is_line_start_anchor(parsed[0])


def passes_gate(rule_gate: frozenset[str] | None, lowered_text: str) -> bool:
    return rule_gate is None or any(lit in lowered_text for lit in rule_gate)
