"""A progress line for the local engine: tqdm's bar when tqdm is installed, else a
plain line of its own (items, edits, time left), redrawn at most twice a second."""

from __future__ import annotations

import sys
import time


class Progress:
    """Items done out of ``total``, edits so far and the time left, on standard error."""

    def __init__(self, total: int, *, enabled: bool) -> None:
        self.total = total
        self.enabled = enabled
        self.edits = 0
        self.count = 0
        self._bar = None
        self._start = time.monotonic()
        self._drawn = 0.0
        if not enabled:
            return
        try:
            from tqdm.auto import tqdm
        except ImportError:
            return
        self._bar = tqdm(total=total, unit="item", file=sys.stderr, dynamic_ncols=True,
                         desc="respell batch")

    def update(self, edits: int = 0) -> None:
        """One more item, which made ``edits`` edits."""
        self.count += 1
        self.edits += edits
        if not self.enabled:
            return
        if self._bar is not None:
            self._bar.set_postfix_str(f"{self.edits} edits", refresh=False)
            self._bar.update()
            return
        now = time.monotonic()
        if now - self._drawn >= 0.5 or self.count == self.total:
            self._drawn = now
            sys.stderr.write("\r\x1b[K" + self._line(now))
            sys.stderr.flush()

    def _line(self, now: float) -> str:
        elapsed = now - self._start
        left = ""
        if 0 < self.count < self.total:
            rest = elapsed / self.count * (self.total - self.count)
            left = f", {_clock(rest)} left"
        return (f"respell batch: {self.count}/{self.total} items, {self.edits} edits, "
                f"{_clock(elapsed)}{left}")

    def write(self, line: str) -> None:
        """A message above the bar."""
        if self._bar is not None:
            self._bar.write(line, file=sys.stderr)
            return
        sys.stderr.write(("\r\x1b[K" if self.enabled else "") + line + "\n")
        if self.enabled and self.count:
            sys.stderr.write(self._line(time.monotonic()))
        sys.stderr.flush()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        elif self.enabled and self.count:
            sys.stderr.write("\n")
            sys.stderr.flush()


def _clock(seconds: float) -> str:
    """``h:mm:ss``.

    >>> _clock(3725.2)
    '1:02:05'
    """
    m, s = divmod(int(seconds), 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}"
