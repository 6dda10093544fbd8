"""Plain-dict memoisation for the hot, large caches (phonemes, compiled entries...).

``functools.lru_cache`` keeps a garbage-collected node per entry, so with a few
hundred thousand cached words every full collection walks them all (about
50 ms per 150,000 entries measured here, and full collections come often
while a big lexicon is compiled). A dict whose keys and values are strings,
numbers or tuples of them is untracked by the collector and costs nothing.
When a cache is full it is emptied and starts again: simple and bounded.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from inspect import signature
from itertools import repeat
from operator import is_
from typing import TypeVar

F = TypeVar("F", bound=Callable)
_MISSING = object()


def memo(maxsize: int) -> Callable[[F], F]:
    """Memoise a function of hashable positional arguments in a bounded dict.

    >>> @memo(2)
    ... def square(x):
    ...     return x * x
    >>> square(3), square(3), len(square.cache)
    (9, 9, 1)
    >>> _ = square(4), square(5); len(square.cache)
    1
    """

    def decorate(fn: F) -> F:
        cache: dict = {}

        @wraps(fn)
        def one(arg):
            try:
                return cache[arg]
            except KeyError:
                pass
            value = fn(arg)
            if len(cache) >= maxsize:
                cache.clear()
            cache[arg] = value
            return value

        @wraps(fn)
        def many(*args):
            try:
                return cache[args]
            except KeyError:
                pass
            value = fn(*args)
            if len(cache) >= maxsize:
                cache.clear()
            cache[args] = value
            return value

        n_args = len(signature(fn).parameters)
        wrapper = one if n_args == 1 else many
        def each(args) -> list:
            """The values for many single arguments at once: hits cost no Python call."""
            values = list(map(cache.get, args, repeat(_MISSING)))
            if any(map(is_, values, repeat(_MISSING))):
                values = [one(a) if v is _MISSING else v for a, v in zip(args, values)]
            return values

        def put(key, value) -> None:
            if len(cache) >= maxsize:
                cache.clear()
            cache[key] = value

        wrapper.cache = cache
        wrapper.cache_clear = cache.clear
        wrapper.put = put
        wrapper.each = each  # fill the cache from a batch computation
        return wrapper  # type: ignore[return-value]

    return decorate
