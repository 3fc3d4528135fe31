"""Shared regex machinery: literal prefilters and combined matchers.

Speed by design: a rule's regex runs only when a literal it cannot match
without occurs in the document (its *gate*), and the rules of one kind and
pack that pass their gates run as one combined alternation, compiled once per
distinct set of active rules and cached.
"""

from __future__ import annotations

import re._constants as sre_constants
import re._parser as sre_parse
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache

import regex

from .rule import Rule

#: Literals shorter than this make a poor gate (they occur everywhere).
MIN_GATE_LEN = 3
#: Patterns with group references cannot be merged into one alternation.
_BACKREF = regex.compile(r"\\[1-9]|\(\?P=|\\g<")
_LEADING_FLAGS = regex.compile(r"^\(\?([aiLmsux]+)\)")

REGEX_FLAGS = regex.V0


def scoped(pattern: str, ignore_case: bool) -> str:
    """Turn leading global flags into a scoped group so patterns can be merged."""
    flags = ""
    m = _LEADING_FLAGS.match(pattern)
    if m:
        flags = m.group(1)
        pattern = pattern[m.end() :]
    if ignore_case and "i" not in flags:
        flags += "i"
    return f"(?{flags}:{pattern})" if flags else f"(?:{pattern})"


def compile_regex(pattern: str, flags: int = 0) -> regex.Pattern:
    """Compile with the ``regex`` module; raises ``ValueError`` on a bad pattern."""
    try:
        return regex.compile(pattern, flags | REGEX_FLAGS)
    except regex.error as exc:
        raise ValueError(f"bad regex {pattern!r}: {exc}") from None


def mergeable(pattern: str) -> bool:
    return not _BACKREF.search(pattern)


def _foldable(ch: str) -> bool:
    low = ch.lower()
    return len(low) == 1 and ch.upper().lower() == low


def _seq_gate(items: list) -> frozenset[str] | None:
    """Best gate of a parsed sequence: its longest mandatory literal run."""
    best: frozenset[str] | None = None
    best_len = 0
    run: list[str] = []

    def close_run() -> None:
        nonlocal best, best_len
        lit = "".join(run).lower()
        if len(lit) >= MIN_GATE_LEN and len(lit) > best_len:
            best, best_len = frozenset([lit]), len(lit)
        run.clear()

    for op, arg in items:
        if op is sre_constants.LITERAL and _foldable(chr(arg)):
            run.append(chr(arg))
            continue
        close_run()
        sub: frozenset[str] | None = None
        if op is sre_constants.SUBPATTERN:
            sub = _seq_gate(list(arg[-1]))
        elif op is sre_constants.BRANCH:
            alts = [_seq_gate(list(alt)) for alt in arg[1]]
            if all(alts):
                sub = frozenset().union(*alts)  # type: ignore[arg-type]
        elif op in (
            sre_constants.MAX_REPEAT,
            sre_constants.MIN_REPEAT,
            sre_constants.POSSESSIVE_REPEAT,
        ):
            low, _high, body = arg
            if low >= 1:
                sub = _seq_gate(list(body))
        elif op is sre_constants.ATOMIC_GROUP:
            sub = _seq_gate(list(arg))
        if sub:
            shortest = min(len(s) for s in sub)
            if shortest > best_len:
                best, best_len = sub, shortest
    close_run()
    return best


@lru_cache(maxsize=4096)
def gate(pattern: str) -> frozenset[str] | None:
    """Lower-cased literals of which at least one must occur for ``pattern`` to match.

    ``None`` when no useful literal can be proven (the rule then always runs).
    The pattern is read with the stdlib parser; syntax only the ``regex``
    module knows simply yields no gate.
    """
    try:
        parsed = sre_parse.parse(pattern)
    except Exception:
        return None
    return _seq_gate(list(parsed))


def passes_gate(rule_gate: frozenset[str] | None, lowered_text: str) -> bool:
    return rule_gate is None or any(lit in lowered_text for lit in rule_gate)


class Combined:
    """One alternation over many rules, cached per set of active rules."""

    def __init__(self, wrap: Callable[[str], str], flags: int = 0) -> None:
        self._wrap = wrap
        self._flags = flags
        self._cache: dict[tuple[str, ...], regex.Pattern] = {}

    def pattern(self, rules: Sequence[Rule], source: Callable[[Rule], str]) -> regex.Pattern:
        key = tuple(r.code for r in rules)
        compiled = self._cache.get(key)
        if compiled is None:
            body = "|".join(source(r) for r in rules)
            compiled = compile_regex(self._wrap(body), self._flags)
            if len(self._cache) > 256:
                self._cache.clear()
            self._cache[key] = compiled
        return compiled


def matches_at(
    rules: Sequence[Rule], text: str, combined: regex.Pattern
) -> Iterator[tuple[Rule, regex.Match]]:
    """Every (rule, match) the combined alternation stands for.

    An alternation reports one alternative per position; where it hits, each
    active rule is tried at that position on its own, so a rule listed later
    is not shadowed (the engine's overlap resolution then decides). Hits are
    rare, so this costs little.
    """
    for hit in combined.finditer(text):
        for rule in rules:
            m = rule.params["_re"].match(text, hit.start())
            if m is not None:
                yield rule, m


def trie_pattern(words: Iterable[str]) -> str:
    """One regex matching any of ``words``, shaped as a trie.

    A flat alternation of thousands of literals makes the engine try each in
    turn at every position; a trie shares prefixes, so a table of any size
    compiles into one matcher that costs about one step per character.
    Longer continuations are tried first, so the longest entry wins.
    """
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_regex(root)


def _trie_regex(node: dict) -> str:
    ends_here = "" in node
    branches = [regex.escape(ch) + _trie_regex(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    if len(branches) == 1 and not ends_here:
        return branches[0]
    body = "(?:" + "|".join(branches) + ")"
    return body + "?" if ends_here else body
