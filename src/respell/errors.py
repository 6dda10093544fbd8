"""respell's exceptions.

Every error a user can cause is a :class:`RespellError`; the CLI prints its
message as one line and exits with status 2. Messages say what was wrong,
the value seen, and how to fix it.
"""

from __future__ import annotations


class RespellError(Exception):
    """Base class of every error respell raises on purpose."""

    exit_code = 2


class InputError(RespellError):
    """A transcript or document cannot be read (missing, empty, binary, undecodable)."""


class NoTextError(InputError):
    """A document that reads but holds no text: empty, blank, or a PDF without a text layer.
    Beside other lists or documents it is a warning, not an error: nothing in it is wrong."""


class EntityListError(RespellError):
    """An entity list is malformed or has no usable entry."""


class FormatError(RespellError):
    """A transcript does not parse in the format it claims to be (SRT, VTT, JSON...)."""


class ReportError(RespellError):
    """A change report is malformed or does not match the transcript it is applied to."""


class OptionError(RespellError):
    """Options that cannot be used together, or a value out of range."""


class MissingDependencyError(RespellError):
    """An optional dependency or model is not installed; the message names the package."""
