"""respell: put the right spelling of names back into speech-recognition transcripts.

>>> import respell
>>> respell.fix("We met Liz sly near Big Dad.", entities=["Liz Sly", "Baghdad"]).text
'We met Liz Sly near Baghdad.'

Heavy parts (spaCy, Whisper) load only when used, so ``import respell`` is fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

__version__ = "0.1.0"

_EXPORTS = {
    "fix": "correct",
    "apply_changes": "result",
    "Change": "result",
    "Result": "result",
    "FixOptions": "result",
    "fix_many": "batch",
    "Entity": "lexicon",
    "Lexicon": "lexicon",
    "RespellError": "errors",
    "InputError": "errors",
    "EntityListError": "errors",
    "FormatError": "errors",
    "ReportError": "errors",
    "OptionError": "errors",
    "MissingDependencyError": "errors",
}

__all__ = [
    "Change", "Entity", "EntityListError", "FixOptions", "FormatError", "InputError",
    "Lexicon", "MissingDependencyError", "OptionError", "ReportError", "RespellError",
    "Result", "__version__", "apply_changes", "fix", "fix_many",
]
assert set(__all__) == {*_EXPORTS, "__version__"}

if TYPE_CHECKING:  # pragma: no cover
    from .batch import fix_many
    from .correct import fix
    from .errors import (
        EntityListError,
        FormatError,
        InputError,
        MissingDependencyError,
        OptionError,
        ReportError,
        RespellError,
    )
    from .lexicon import Entity, Lexicon
    from .result import Change, FixOptions, Result, apply_changes


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'respell' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
