"""The bounded memo caches of the hot functions (respell._memo)."""

from __future__ import annotations

from respell._memo import memo


def test_memo_each_and_put_agree_with_calls():
    calls = []

    @memo(100)
    def double(x):
        calls.append(x)
        return 2 * x

    assert double.each([1, 2, 1]) == [2, 4, 2]
    assert calls == [1, 2]
    double.put(7, 99)
    assert double(7) == 99 and double.each([7, 2]) == [99, 4]


def test_memo_is_bounded():
    @memo(3)
    def ident(x):
        return x

    for k in range(10):
        ident(k)
    assert len(ident.cache) <= 3
