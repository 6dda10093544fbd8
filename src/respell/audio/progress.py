"""One progress bar for the audio path: audio seconds, labelled with the pass.

A transcription makes one to three passes over the audio (plain, biased, the
acoustic check); the bar counts the seconds of the current pass and its label says
which pass it is, so it never sits at 0 % through a pass nor counts past the audio.

>>> p = Progress(120.0, enabled=False)
>>> p.start("plain pass"); p.update_to(30.0); p.close()
>>> p.label, p.seconds
('plain pass', 30.0)
"""

from __future__ import annotations

import sys


class Progress:
    """A tqdm bar over ``duration`` seconds, or (``enabled`` false) only the counts.

    ``enabled=None`` shows the bar when standard error is a terminal.
    """

    def __init__(self, duration: float, *, enabled: bool | None = None) -> None:
        self.duration = round(float(duration), 1)
        self.label = ""
        self.seconds = 0.0
        self.passes = 0
        show = sys.stderr.isatty() if enabled is None else enabled
        self._bar = None
        if show:
            from tqdm.auto import tqdm

            self._bar = tqdm(total=self.duration, unit="s", leave=False, file=sys.stderr,
                             bar_format="{desc}: {percentage:3.0f}%|{bar}| {n:.0f}/{total:.0f} s "
                             "of audio [{elapsed}<{remaining}]")

    def start(self, label: str) -> None:
        """Begin a pass named ``label`` at second 0."""
        self.label, self.seconds = label, 0.0
        self.passes += 1
        if self._bar is not None:
            self._bar.set_description_str(label, refresh=False)
            self._bar.reset(total=self.duration)

    def update_to(self, seconds: float) -> None:
        """The current pass has reached ``seconds`` of the audio (never goes back)."""
        seconds = min(max(self.seconds, round(float(seconds), 1)), self.duration)
        if seconds == self.seconds:
            return
        self.seconds = seconds
        if self._bar is not None:
            self._bar.n = seconds
            self._bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def as_progress(progress, duration: float) -> tuple[Progress, bool]:
    """(the Progress to report to, whether the caller made it and must close it) for a
    ``progress`` argument: a :class:`Progress`, or True/False/None (None: on a terminal)."""
    if isinstance(progress, Progress):
        return progress, False
    return Progress(duration, enabled=progress), True
