"""Server secrets: taken from settings, or generated once and kept in the data dir.

Generated files are created with 0600 permissions and never printed or logged.
"""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from composer.settings import ConfigurationError, Settings

__all__ = ["ServerKeys", "load_or_create_keys"]


@dataclass(frozen=True, slots=True)
class ServerKeys:
    jwt_secret: str
    data_key: bytes
    hash_key: str


def _read_or_create(path: Path, make: str) -> str:
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: when two processes start at once, exactly one writes and the other reads it.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(make)
    return make


def load_or_create_keys(settings: Settings) -> ServerKeys:
    jwt_secret = settings.secret_key or _read_or_create(
        settings.data_dir / "secret_key", secrets.token_urlsafe(48)
    )
    raw_data_key = settings.data_key or _read_or_create(
        settings.data_dir / "data_key", base64.b64encode(secrets.token_bytes(32)).decode()
    )
    try:
        data_key = base64.b64decode(raw_data_key, validate=True)
    except ValueError:
        raise ConfigurationError("APPCONNECT_DATA_KEY must be base64 of 32 bytes") from None
    if len(data_key) != 32:
        raise ConfigurationError("APPCONNECT_DATA_KEY must be base64 of 32 bytes")
    hash_key = settings.hash_key or "h:" + jwt_secret[:16]
    return ServerKeys(jwt_secret=jwt_secret, data_key=data_key, hash_key=hash_key)
