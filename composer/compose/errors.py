"""The one exception the composer raises.

::

    ValueError
     └── ComposeError   unknown log format, or input the composer cannot read

Callers translate it once (HTTP 400, CLI exit code, a JSONL ``error`` line); nothing else
escapes the public functions, so a request can never turn into a 500.
"""

from __future__ import annotations

__all__ = ["ComposeError"]


class ComposeError(ValueError):
    """The request cannot be composed; the message names the offending input."""
