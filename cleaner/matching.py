"""Shared regex machinery: combined matchers, time budgets, ReDoS shapes.

Speed by design: a rule's regex runs only when a literal it cannot match
without occurs in the document (its *gate*, :mod:`cleaner.gates`), and the
rules of one kind and pack that pass their gates run as one combined
alternation, compiled once per distinct set of active rules and cached.

Safety by design: rule patterns come from packs, which may be untrusted or
simply wrong, and a pattern such as ``(a+)+$`` backtracks for ever on the
right input (ReDoS). Every pattern compiled here is a :class:`GuardedPattern`
whose calls pass the ``regex`` module's ``timeout=``: the engine gives each
rule group a :class:`Budget` of matching time per pass (``regex_timeout``
seconds per started MiB of text, 1 s by default), and a call that runs out
raises :class:`TimeoutError`, which the engine turns into "this rule is
skipped for this document" (see :mod:`cleaner.engine`). Outside a budget
(examples, evidence, tools), each call gets the same allowance on its own.
:func:`nested_quantifiers` finds the classic catastrophic shapes at load
time, for a warning.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

import regex

from .reparser import min_width, opcodes, parse
from .rule import Rule

#: Patterns with group references cannot be merged into one alternation.
_BACKREF = regex.compile(r"\\[1-9]|\(\?P=|\\g<")
LEADING_FLAGS = regex.compile(r"^\(\?([aiLmsux]+)\)")

REGEX_FLAGS = regex.V0

#: Seconds of matching time a rule (or rule group) gets per pass, per started MiB of text.
DEFAULT_REGEX_TIMEOUT = 1.0
MIB = 1 << 20
_clock = time.perf_counter


class Budget:
    """Matching time left for one rule group on one pass; shared by all its regex calls."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.remaining = seconds

    def allowance(self) -> float:
        if self.remaining <= 0:
            raise TimeoutError(f"regex time budget of {self.seconds:.3g} s used up")
        return self.remaining

    def spend(self, seconds: float) -> None:
        self.remaining -= seconds


#: Seconds per started MiB for calls outside an engine budget (settable per context).
_PER_MIB: ContextVar[float] = ContextVar("regex_timeout", default=DEFAULT_REGEX_TIMEOUT)
_BUDGET: ContextVar[Budget | None] = ContextVar("regex_budget", default=None)


def allowance_for(length: int, per_mib: float | None = None) -> float:
    """Matching time for a text of ``length`` characters: ``per_mib`` per started MiB."""
    per = _PER_MIB.get() if per_mib is None else per_mib
    return per * max(1.0, length / MIB)


@contextmanager
def budget(seconds: float) -> Iterator[Budget]:
    """Run the block with ``seconds`` of matching time shared by every guarded call in it."""
    current = Budget(seconds)
    token = _BUDGET.set(current)
    try:
        yield current
    finally:
        _BUDGET.reset(token)


@contextmanager
def regex_timeout(per_mib: float) -> Iterator[None]:
    """Set the per-MiB allowance of calls made outside an engine budget."""
    token = _PER_MIB.set(per_mib)
    try:
        yield
    finally:
        _PER_MIB.reset(token)


class GuardedPattern:
    """A compiled ``regex`` pattern whose every call runs under a time budget.

    Same methods and attributes as ``regex.Pattern``; each call passes
    ``timeout=`` (the current :class:`Budget`'s remainder, or the allowance
    for the string's length) and charges the time it took to the budget.
    Raises :class:`TimeoutError` when the time is used up.
    """

    __slots__ = ("_compiled", "_flags", "_source")

    def __init__(self, compiled: regex.Pattern) -> None:
        self._compiled = compiled

    @classmethod
    def deferred(cls, pattern: str, flags: int = 0) -> GuardedPattern:
        """A pattern compiled the first time it is used (a rule tried on no line of a
        run never pays for its compilation)."""
        self = cls.__new__(cls)
        self._source, self._flags = pattern, flags
        return self

    def __getattr__(self, name: str) -> Any:
        # Only reached while the ``_compiled`` slot is empty (a deferred pattern).
        if name != "_compiled":
            raise AttributeError(name)
        try:
            self._compiled = regex.compile(self._source, self._flags | REGEX_FLAGS)
        except (regex.error, OverflowError, RecursionError) as exc:
            raise ValueError(f"bad regex {self._source!r}: {exc}") from None
        return self._compiled

    def __getstate__(self) -> tuple[str, int]:
        # Pickled as its source (compiled again on first use on the other side).
        try:
            compiled = object.__getattribute__(self, "_compiled")
        except AttributeError:
            return self._source, self._flags
        return compiled.pattern, compiled.flags

    def __setstate__(self, state: tuple[str, int]) -> None:
        self._source, self._flags = state

    def compile(self) -> None:
        """Compile now (raises ``ValueError`` on a bad pattern)."""
        self._compiled  # noqa: B018 - the attribute access compiles

    @property
    def pattern(self) -> str:
        # A deferred pattern's source is known without compiling it (gates read it).
        try:
            return object.__getattribute__(self, "_compiled").pattern
        except AttributeError:
            return self._source

    @property
    def groups(self) -> int:
        return self._compiled.groups

    @property
    def groupindex(self) -> Any:
        return self._compiled.groupindex

    @property
    def flags(self) -> int:
        return self._compiled.flags

    @property
    def raw(self) -> regex.Pattern:
        """The unguarded pattern (for callers that set their own timeout)."""
        return self._compiled

    def __repr__(self) -> str:
        return f"GuardedPattern({self._compiled.pattern!r})"

    def _call(self, method: str, string: str, args: tuple, kwargs: dict) -> Any:
        current = _BUDGET.get()
        if current is None:
            kwargs["timeout"] = allowance_for(len(string))
            return getattr(self._compiled, method)(string, *args, **kwargs)
        kwargs["timeout"] = current.allowance()
        start = time.perf_counter()
        try:
            return getattr(self._compiled, method)(string, *args, **kwargs)
        finally:
            current.spend(time.perf_counter() - start)

    # search, match and fullmatch run once per line and rule: _call written out, without
    # its method lookup by name and keyword dictionary (the same budget, charged the same).

    def search(self, string: str, *args: Any, **kwargs: Any) -> regex.Match | None:
        current = _BUDGET.get()
        if current is None or kwargs:
            return self._call("search", string, args, kwargs)
        remaining = current.remaining
        if remaining <= 0:
            current.allowance()  # raises TimeoutError
        start = _clock()
        try:
            return self._compiled.search(string, *args, timeout=remaining)
        finally:
            current.remaining -= _clock() - start

    def match(self, string: str, *args: Any, **kwargs: Any) -> regex.Match | None:
        current = _BUDGET.get()
        if current is None or kwargs:
            return self._call("match", string, args, kwargs)
        remaining = current.remaining
        if remaining <= 0:
            current.allowance()  # raises TimeoutError
        start = _clock()
        try:
            return self._compiled.match(string, *args, timeout=remaining)
        finally:
            current.remaining -= _clock() - start

    def fullmatch(self, string: str, *args: Any, **kwargs: Any) -> regex.Match | None:
        current = _BUDGET.get()
        if current is None or kwargs:
            return self._call("fullmatch", string, args, kwargs)
        remaining = current.remaining
        if remaining <= 0:
            current.allowance()  # raises TimeoutError
        start = _clock()
        try:
            return self._compiled.fullmatch(string, *args, timeout=remaining)
        finally:
            current.remaining -= _clock() - start

    def findall(self, string: str, *args: Any, **kwargs: Any) -> list:
        return self._call("findall", string, args, kwargs)

    def sub(self, repl: Any, string: str, *args: Any, **kwargs: Any) -> str:
        return self._sub("sub", repl, string, args, kwargs)

    def subn(self, repl: Any, string: str, *args: Any, **kwargs: Any) -> tuple[str, int]:
        return self._sub("subn", repl, string, args, kwargs)

    def _sub(self, method: str, repl: Any, string: str, args: tuple, kwargs: dict) -> Any:
        current = _BUDGET.get()
        kwargs["timeout"] = allowance_for(len(string)) if current is None else current.allowance()
        start = time.perf_counter()
        try:
            return getattr(self._compiled, method)(repl, string, *args, **kwargs)
        finally:
            if current is not None:
                current.spend(time.perf_counter() - start)

    def finditer(self, string: str, *args: Any, **kwargs: Any) -> Iterator[regex.Match]:
        current = _BUDGET.get()
        kwargs["timeout"] = allowance_for(len(string)) if current is None else current.allowance()
        matches = self._compiled.finditer(string, *args, **kwargs)
        if current is None:
            return matches
        return _charged(matches, current)


class LazyPattern:
    """A :class:`GuardedPattern` whose source is written out on first use.

    ``build`` returns the source (a module-level function or a ``partial`` of
    one: matchers are pickled to workers). A glossary's trie of a thousand terms
    costs more to write out than a start that meets none of them should pay.
    """

    __slots__ = ("_build", "_flags", "_pattern")

    def __init__(self, build: Callable[[], str], flags: int = 0) -> None:
        self._build, self._flags = build, flags

    def get(self) -> GuardedPattern:
        """The pattern (its source written out, compiled on first use)."""
        try:
            return self._pattern
        except AttributeError:
            self._pattern: GuardedPattern = GuardedPattern.deferred(self._build(), self._flags)
            return self._pattern

    def compile(self) -> None:
        """Write out and compile now (raises ``ValueError`` on a bad pattern)."""
        self.get().compile()


def _charged(matches: Iterator[regex.Match], current: Budget) -> Iterator[regex.Match]:
    """Iterate ``matches``, charging the time each step takes to ``current``."""
    while True:
        current.allowance()
        start = time.perf_counter()
        try:
            m = next(matches)
        except StopIteration:
            current.spend(time.perf_counter() - start)
            return
        current.spend(time.perf_counter() - start)
        yield m


def scoped(pattern: str, ignore_case: bool) -> str:
    """Turn leading global flags into a scoped group so patterns can be merged."""
    flags = ""
    m = LEADING_FLAGS.match(pattern)
    if m:
        flags = m.group(1)
        pattern = pattern[m.end() :]
    if ignore_case and "i" not in flags:
        flags += "i"
    return f"(?{flags}:{pattern})" if flags else f"(?:{pattern})"


def compile_regex(pattern: str, flags: int = 0, *, deferred: bool = False) -> GuardedPattern:
    """Compile with the ``regex`` module; raises ``ValueError`` on a bad pattern.

    The result runs every call under a time budget (:class:`GuardedPattern`).
    ``deferred`` compiles on first use instead (a bad pattern then raises there).
    """
    if deferred:
        return GuardedPattern.deferred(pattern, flags)
    try:
        return GuardedPattern(regex.compile(pattern, flags | REGEX_FLAGS))
    except (regex.error, OverflowError, RecursionError) as exc:
        raise ValueError(f"bad regex {pattern!r}: {exc}") from None


def mergeable(pattern: str) -> bool:
    return not _BACKREF.search(pattern)


class Combined:
    """One alternation over all the rules of a matcher, compiled once.

    Gates decide whether it runs at all and which rules are tried where it
    hits (:func:`matches_at`, given each active rule with its own pattern); a
    rule whose gate failed cannot match, so its alternative never hits.
    Compiling one pattern per set of active rules instead would compile anew
    for most documents of a large pack.
    """

    def __init__(self, wrap: Callable[[str], str], flags: int = 0) -> None:
        self._wrap = wrap
        self._flags = flags
        self._compiled: GuardedPattern | None = None

    def pattern(self, rules: Sequence[Rule], source: Callable[[Rule], str]) -> GuardedPattern:
        """The alternation over ``rules`` (the matcher's full list, the same every call)."""
        if self._compiled is None:
            self._compiled = compile_regex(
                self._wrap("|".join(source(r) for r in rules)), self._flags
            )
        return self._compiled


def matches_at(
    rules: Sequence[tuple[Rule, GuardedPattern]], text: str, combined: GuardedPattern
) -> Iterator[tuple[Rule, regex.Match]]:
    """Every (rule, match) the combined alternation stands for.

    An alternation reports one alternative per position; where it hits, each
    active rule is tried at that position on its own, so a rule listed later
    is not shadowed (the engine's overlap resolution then decides). Hits are
    rare, so this costs little.
    """
    for hit in combined.finditer(text):
        for rule, pattern in rules:
            m = pattern.match(text, hit.start())
            if m is not None:
                yield rule, m


def leftmost_hits(
    rules: Sequence[tuple[Rule, GuardedPattern]], text: str
) -> list[tuple[Rule, regex.Match]]:
    """What :func:`matches_at` yields for the alternation of ``rules`` (in their order),
    found rule by rule: each rule's own pattern searches the text, which is much faster
    than one alternation (the ``regex`` module scans a pattern with a literal for that
    literal, but tries every alternative at every position of an alternation).

    The alternation's finditer is replayed exactly: a hit starts where the leftmost
    rule matches; the first rule (in order) matching there decides where the hit ends
    and the next search starts; every rule matching there is reported, in order. After
    an empty hit the alternation must advance: the next hit may start at the same place
    only with a non-empty match (a rule's own finditer says whether it has one there),
    else the search goes on one character later. ``\\G`` patterns do not replay (the
    caller keeps the alternation for them).
    """
    found: list[tuple[Rule, regex.Match]] = []
    nxt = [pattern.search(text) for _rule, pattern in rules]
    size = len(text)
    pos = 0
    while True:
        start = size + 1
        for index, m in enumerate(nxt):
            if m is not None and m.start() < pos:
                m = nxt[index] = rules[index][1].search(text, pos)
            if m is not None and m.start() < start:
                start = m.start()
        if start > size:
            return found
        here = [(rules[i][0], m) for i, m in enumerate(nxt) if m is not None and m.start() == start]
        found.extend(here)
        end = here[0][1].end()
        if end > start:
            pos = end
            continue
        # An empty hit: the alternation must advance (no empty match here again).
        end = -1
        for index, m in enumerate(nxt):
            if m is None or m.start() != start:
                continue
            if m.end() > start:
                end = m.end()
                break
            again = rules[index][1].finditer(text, start)
            next(again, None)  # the empty match found before
            after = next(again, None)
            if after is not None and after.start() == start:
                end = after.end()
                break
        if end > start:
            # A second hit at the same place: every rule is tried there again.
            found.extend(here)
            pos = end
        elif start >= size:
            return found
        else:
            pos = start + 1


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


# --- catastrophic shapes --------------------------------------------------------------

_REPEATS = (opcodes.MAX_REPEAT, opcodes.MIN_REPEAT)


def _min_width(items: list) -> int:
    if not items:
        return 0
    try:
        return min_width(items)
    except Exception:
        return 1  # unknown: assume it consumes something (no warning)


def _holds_unbounded(items: list) -> bool:
    """Whether the sequence has a backtracking unbounded repeat anywhere inside."""
    for op, arg in items:
        if op in _REPEATS:
            if arg[1] == opcodes.MAXREPEAT or _holds_unbounded(list(arg[2])):
                return True
        elif op is opcodes.SUBPATTERN:
            if _holds_unbounded(list(arg[-1])):
                return True
        elif op is opcodes.BRANCH and any(_holds_unbounded(list(a)) for a in arg[1]):
            return True
    return False


def _ambiguous(items: list) -> bool:
    """An iteration body that one string can fill in many ways.

    It holds an unbounded repeat, and everything beside that repeat can match
    the empty string: ``a+`` in ``(a+)+``, ``\\w+\\s*`` in ``(\\w+\\s*)*``. Then a
    run of the repeated characters can be cut into iterations in exponentially
    many ways, which a failing match tries one by one. A mandatory separator
    (``(?:\\s*,\\s*\\w+)*``) makes the cut unique, so it is not reported.
    """
    for i, (op, arg) in enumerate(items):
        if op in _REPEATS and arg[1] == opcodes.MAXREPEAT:
            inner = True
        elif op is opcodes.SUBPATTERN:
            body = list(arg[-1])
            inner = _ambiguous(body) or (_holds_unbounded(body) and _min_width(body) == 0)
        else:
            inner = False
        if inner and _min_width(items[:i] + items[i + 1 :]) == 0:
            return True
    return False


def _nested(items: list, found: list[str]) -> None:
    for op, arg in items:
        if op in _REPEATS:
            _low, high, body = arg
            if high == opcodes.MAXREPEAT and _ambiguous(list(body)):
                found.append("nested quantifier")
            _nested(list(body), found)
        elif op is opcodes.SUBPATTERN:
            _nested(list(arg[-1]), found)
        elif op is opcodes.BRANCH:
            for alternative in arg[1]:
                _nested(list(alternative), found)
        elif op in (opcodes.ASSERT, opcodes.ASSERT_NOT):
            _nested(list(arg[1]), found)
        # Atomic groups and possessive repeats never backtrack into themselves.


@lru_cache(maxsize=4096)
def nested_quantifiers(pattern: str) -> int:
    """How many repeats of ``pattern`` have an ambiguous body (``(a+)+``, ``(\\w+\\s*)*``).

    Such a pattern can take exponential time on a long run it fails to match.
    Read with the stdlib parser; syntax only the ``regex`` module knows
    simply yields no warning (the run-time budget still applies).
    """
    try:
        parsed = parse(pattern)
    except Exception:
        return 0
    found: list[str] = []
    _nested(list(parsed), found)
    return len(found)
