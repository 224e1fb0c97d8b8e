"""Session JWTs, encryption of secrets at rest, and the H() hashing helper."""

from composer.security.crypto import SecretBox
from composer.security.hashing import Hasher
from composer.security.jwt import SessionClaims, SessionTokens
from composer.security.keys import load_or_create_keys

__all__ = ["Hasher", "SecretBox", "SessionClaims", "SessionTokens", "load_or_create_keys"]
