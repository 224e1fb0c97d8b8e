"""Encryption of secrets at rest: AES-256-GCM, random 96-bit nonce per value.

Stored form ``v2:<keyId>:<base64(nonce|ciphertext|tag)>``. The additional authenticated data
names the table, column and row, so a ciphertext copied into another row fails to decrypt.
"""

from __future__ import annotations

import base64
import hashlib
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

__all__ = ["DecryptionError", "SecretBox"]


class DecryptionError(Exception):
    """A stored secret could not be decrypted (wrong key, tampered, or moved between rows)."""


class SecretBox:
    __slots__ = ("_aead", "_key_id")

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)
        self._key_id = hashlib.sha256(key).hexdigest()[:8]

    def encrypt(self, plaintext: str | None, *, context: str) -> str | None:
        if plaintext is None or plaintext == "":
            return plaintext
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, plaintext.encode(), context.encode())
        return f"v2:{self._key_id}:{base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, stored: str | None, *, context: str) -> str | None:
        if stored is None or stored == "":
            return stored
        try:
            version, _key_id, payload = stored.split(":", 2)
            if version != "v2":
                raise ValueError(version)
            raw = base64.b64decode(payload, validate=True)
            return self._aead.decrypt(raw[:12], raw[12:], context.encode()).decode()
        except (ValueError, InvalidTag) as exc:
            raise DecryptionError(f"cannot decrypt {context}") from exc
