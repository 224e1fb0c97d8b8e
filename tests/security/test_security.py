"""Session JWTs, secrets at rest, the H() helper and key files."""

from __future__ import annotations

import base64
import stat
import time

import jwt as pyjwt
import pytest

from composer.security import Hasher, SecretBox, SessionTokens, load_or_create_keys
from composer.security.crypto import DecryptionError
from composer.settings import ConfigurationError, Settings

SECRET = "s" * 48


def test_issue_and_verify_round_trip() -> None:
    tokens = SessionTokens(SECRET)
    claims = tokens.verify(tokens.issue(user_id="42-local", platform="local"))
    assert claims is not None and claims.id == "42-local" and claims.platform == "local"
    assert claims.exp - time.time() == pytest.approx(14 * 24 * 3600, abs=5)


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        pyjwt.encode({"id": "1", "platform": "p", "exp": int(time.time()) - 10}, SECRET, algorithm="HS256"),
        pyjwt.encode({"id": "1", "platform": "p"}, SECRET, algorithm="HS256"),  # no exp
        pyjwt.encode({"platform": "p", "exp": int(time.time()) + 99}, SECRET, algorithm="HS256"),  # no id
        pyjwt.encode({"id": "1", "platform": "p", "exp": int(time.time()) + 99}, "other" * 10, algorithm="HS256"),
    ],
)
def test_invalid_tokens_are_rejected(token: str) -> None:
    assert SessionTokens(SECRET).verify(token) is None


def test_alg_none_is_rejected() -> None:
    header = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    body = base64.urlsafe_b64encode(
        f'{{"id":"1","platform":"p","exp":{int(time.time()) + 999}}}'.encode()
    ).rstrip(b"=").decode()
    assert SessionTokens(SECRET).verify(f"{header}.{body}.") is None


def test_verified_tokens_are_remembered_until_they_expire(monkeypatch: pytest.MonkeyPatch) -> None:
    tokens = SessionTokens(SECRET)
    token = tokens.issue(user_id="1", platform="p")
    first = tokens.verify(token)
    decoded: list[str] = []
    monkeypatch.setattr(pyjwt, "decode", lambda *a, **k: decoded.append("x"))  # a second decode would show
    assert tokens.verify(token) is first
    assert decoded == []
    assert first is not None
    monkeypatch.setattr(time, "time", lambda: first.exp + 1)  # the remembered token has now expired
    assert tokens.verify(token) is None


def test_verified_token_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from composer.security import jwt as session_jwt

    monkeypatch.setattr(session_jwt, "VERIFIED_CACHE_SIZE", 3)
    tokens = SessionTokens(SECRET)
    issued = [tokens.issue(user_id=str(n), platform="p") for n in range(5)]
    for token in issued:
        assert tokens.verify(token) is not None
    assert list(tokens._verified) == issued[2:]  # the oldest were forgotten, not refused
    assert tokens.verify(issued[0]) is not None


def test_rotation_threshold() -> None:
    tokens = SessionTokens(SECRET)
    now = time.time()
    fresh = tokens.verify(tokens.issue(user_id="1", platform="p"))
    old = tokens.verify(tokens.issue(user_id="1", platform="p", now=now - 8 * 24 * 3600))
    assert fresh is not None and not fresh.needs_rotation(now)
    assert old is not None and old.needs_rotation(now)


def test_secret_box_binds_ciphertext_to_its_row() -> None:
    box = SecretBox(b"k" * 32)
    sealed = box.encrypt("api-key-123", context="users.accessToken:1")
    assert sealed is not None and "api-key-123" not in sealed and sealed.startswith("v2:")
    assert box.decrypt(sealed, context="users.accessToken:1") == "api-key-123"
    with pytest.raises(DecryptionError):
        box.decrypt(sealed, context="users.accessToken:2")
    with pytest.raises(DecryptionError):
        SecretBox(b"x" * 32).decrypt(sealed, context="users.accessToken:1")
    assert box.encrypt("", context="c") == ""


def test_hasher_matches_spec_definition() -> None:
    import hashlib

    h = Hasher("key")
    assert h("123") == hashlib.sha256(b"123:key").hexdigest()
    assert h(None) == hashlib.sha256(b"undefined:key").hexdigest()
    assert h(5.0) == h(5) == h("5")


def test_generated_keys_are_private_and_stable(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path)
    first = load_or_create_keys(settings)
    second = load_or_create_keys(settings)
    assert first == second
    for name in ("secret_key", "data_key"):
        mode = stat.S_IMODE((tmp_path / name).stat().st_mode)
        assert mode == 0o600


def test_bad_data_key_names_the_variable(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ConfigurationError, match="APPCONNECT_DATA_KEY"):
        load_or_create_keys(Settings(data_dir=tmp_path, data_key="not-base64!!"))
