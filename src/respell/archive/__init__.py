"""Whole archives: ``respell batch`` repairs every item of a manifest into a folder.

An item is a transcript (or a recording, transcribed first) with its entity lists,
inline names or related documents; see :mod:`respell.archive.manifest` for the
columns. Each repaired transcript is written in its own format to the output
folder, every change goes into ``changes.parquet`` and the run's account into
``summary.json`` (see :mod:`respell.archive.outdir`). A run can be stopped at any
moment and run again: items already made for the same inputs, entities, options
and respell version are kept, the rest are made (``force=True`` makes all again).

Two engines give the same outputs byte for byte: ``local`` (this machine, the
default) and ``ray`` (Ray Data, on a cluster or a Ray instance started for the run;
``pip install 'respell[ray]'``). Both need pyarrow (``pip install 'respell[batch]'``).

>>> from respell.archive import run_batch  # doctest: +SKIP
>>> summary = run_batch("manifest.jsonl", "out/", engine="local")  # doctest: +SKIP
>>> summary.done, summary.failed  # doctest: +SKIP
(120, ())
"""

from __future__ import annotations

from .job import ENGINES, BatchOptions, BatchSummary, run_batch
from .manifest import Item, read_manifest

__all__ = ["ENGINES", "BatchOptions", "BatchSummary", "Item", "read_manifest", "run_batch"]
