"""Session JWTs: HS256, claims ``id`` and ``platform``, two-week life.

Verification pins HS256 (so ``alg=none`` and asymmetric tricks fail) and requires ``exp``.
A token with seven days or less left is rotated: the caller mints a new one and sends it
in ``x-refreshed-jwt-token``.

Verified tokens are remembered (bounded, until their ``exp``): App Connect sends the same
token with every request, and a full decode (base64, JSON, key checks, HMAC) costs more
than the rest of a cheap route. Only successes are cached, so garbage costs a decode each
time but never grows the cache.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import jwt

__all__ = ["ROTATE_WHEN_LEFT", "TOKEN_LIFETIME", "SessionClaims", "SessionTokens"]

TOKEN_LIFETIME = 14 * 24 * 3600
ROTATE_WHEN_LEFT = 7 * 24 * 3600
VERIFIED_CACHE_SIZE = 4096


@dataclass(frozen=True, slots=True)
class SessionClaims:
    id: str
    platform: str
    exp: int

    def needs_rotation(self, now: float) -> bool:
        return self.exp - now <= ROTATE_WHEN_LEFT


class SessionTokens:
    __slots__ = ("_secret", "_verified")

    def __init__(self, secret: str) -> None:
        self._secret = secret
        self._verified: dict[str, SessionClaims] = {}

    def issue(self, *, user_id: str, platform: str, now: float | None = None) -> str:
        iat = int(time.time() if now is None else now)
        payload = {"id": user_id, "platform": platform, "iat": iat, "exp": iat + TOKEN_LIFETIME}
        return jwt.encode(payload, self._secret, algorithm="HS256")

    def verify(self, token: str) -> SessionClaims | None:
        """Claims of a valid token, or None for anything else (never raises)."""
        known = self._verified.get(token)
        if known is not None:
            if known.exp > time.time():
                return known
            del self._verified[token]
            return None
        claims = self._decode(token)
        if claims is not None:
            if len(self._verified) >= VERIFIED_CACHE_SIZE:
                del self._verified[next(iter(self._verified))]  # the oldest entry
            self._verified[token] = claims
        return claims

    def _decode(self, token: str) -> SessionClaims | None:
        try:
            payload = jwt.decode(
                token, self._secret, algorithms=["HS256"], options={"require": ["exp"]}
            )
        except (jwt.PyJWTError, ValueError, TypeError):
            return None
        user_id, platform, exp = payload.get("id"), payload.get("platform"), payload.get("exp")
        if user_id is None or user_id == "" or not isinstance(exp, int):
            return None
        return SessionClaims(id=str(user_id), platform=str(platform or ""), exp=exp)
