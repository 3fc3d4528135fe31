"""One selection algorithm: Cleaner(select=, ignore=) picks what the layered one picks."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cleaner.selection import Selection, layer, resolve

CODE = st.from_regex(r"[AB]{1,2}[0-9]{1,3}", fullmatch=True)
PREFIX = st.from_regex(r"[AB]{1,2}[0-9]{0,3}", fullmatch=True)


def longest_prefix_contest(codes, select, ignore):
    """What ``api.select_rules`` did before the layers: the longer prefix wins, ignore a tie."""

    def longest(code, prefixes):
        return max((len(p) for p in prefixes if code.startswith(p)), default=0)

    chosen = set()
    for code in codes:
        selected = longest(code, select) if select is not None else 1
        if selected and selected > longest(code, ignore or ()):
            chosen.add(code)
    return chosen


@given(
    st.lists(CODE, max_size=12),
    st.one_of(st.none(), st.lists(PREFIX, max_size=4)),
    st.lists(PREFIX, max_size=4),
)
def test_one_layer_is_the_longest_prefix_contest(codes, select, ignore):
    assert resolve(codes, [layer(select, ignore)]) == longest_prefix_contest(codes, select, ignore)


@given(st.lists(CODE, max_size=12), st.lists(PREFIX, min_size=1, max_size=4))
def test_an_ignore_only_layer_removes_what_it_matches(codes, prefixes):
    before = resolve(codes, [Selection(select=("A",))])
    after = resolve(codes, [Selection(select=("A",)), Selection(ignore=tuple(prefixes))])
    assert after == {code for code in before if not code.startswith(tuple(prefixes))}
