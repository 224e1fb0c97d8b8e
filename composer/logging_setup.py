"""Logging: one line per event, secrets never printed.

A filter masks anything that looks like a bearer token, JWT or ``access_token=`` value in
every record, so a stray log call cannot leak a credential.
"""

from __future__ import annotations

import logging
import re

__all__ = ["RedactingFilter", "configure_logging"]

_SECRET_PATTERNS = (
    re.compile(r"(?i)(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"),
    re.compile(r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"),
    re.compile(r"(?i)(access_token|refresh_token|api_?key|jwtToken|rcAccessToken)=([^&\s]+)"),
)


def _redact(text: str) -> str:
    text = _SECRET_PATTERNS[0].sub(lambda m: f"{m.group(1)} [redacted]", text)
    text = _SECRET_PATTERNS[1].sub("[redacted-jwt]", text)
    return _SECRET_PATTERNS[2].sub(lambda m: f"{m.group(1)}=[redacted]", text)


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def configure_logging(level: str) -> None:
    root = logging.getLogger()
    if not any(isinstance(f, RedactingFilter) for h in root.handlers for f in h.filters):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
        handler.addFilter(RedactingFilter())
        root.addHandler(handler)
    root.setLevel(level)
    # httpx logs full URLs (which may carry tokens) at INFO.
    logging.getLogger("httpx").setLevel(logging.WARNING)
