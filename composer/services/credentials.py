"""CRM credentials before every connector call (spec §5): OAuth refresh or API-key Basic auth.

Refresh happens when the access token expires within two minutes. It is serialised per
user (an in-process lock on SQLite, a transaction-scoped advisory lock on PostgreSQL) and
re-reads the row after the lock, so concurrent requests refresh once. ``invalid_grant``
means the session is revoked unless another worker rotated the refresh token meanwhile.
"""

from __future__ import annotations

import base64
import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

import httpx
import msgspec

from composer.services.errors import SessionRevoked
from composer.store.users import UserRecord
from connectors.exceptions import ConnectorResponseError, ConnectorTimeout, CrmApiError
from connectors.invoke import call_interface, get_interface

if TYPE_CHECKING:
    from composer.services.runtime import Runtime

__all__ = ["CrmAccess", "prepare_access", "refresh_oauth_token"]

log = logging.getLogger(__name__)

REFRESH_MARGIN = timedelta(minutes=2)


class CrmAccess(msgspec.Struct, kw_only=True):
    """What a connector call needs besides the user: the auth header and the proxy config."""

    auth_header: str
    proxy_id: str | None
    proxy_config: dict[str, Any] | None
    auth_type: str


async def _proxy_config(rt: Runtime, user: UserRecord) -> tuple[str | None, dict[str, Any] | None]:
    proxy_id = user.platformAdditionalInfo.get("proxyId") if user.platformAdditionalInfo else None
    if not proxy_id:
        return None, None
    return str(proxy_id), await rt.load_proxy_config(str(proxy_id))


async def prepare_access(rt: Runtime, user: UserRecord, connector: object) -> CrmAccess:
    """Build ``authHeader`` for ``user``; raises SessionRevoked when the CRM session is dead."""
    proxy_id, proxy_config = await _proxy_config(rt, user)
    auth_type = ""
    if get_interface(connector, "getAuthType") is not None:
        auth_type = str(await call_interface(connector, "getAuthType", proxyId=proxy_id, proxyConfig=proxy_config))
    header = ""
    if auth_type == "oauth":
        oauth_info = await call_interface(
            connector,
            "getOauthInfo",
            tokenUrl=user.platformAdditionalInfo.get("tokenUrl"),
            hostname=user.hostname,
            proxyId=proxy_id,
            proxyConfig=proxy_config,
        ) if get_interface(connector, "getOauthInfo") else {}
        if get_interface(connector, "checkAndRefreshAccessToken") is not None:
            async with rt.refresh_lock(user.id):
                refreshed = await call_interface(
                    connector, "checkAndRefreshAccessToken", oauthApp=oauth_info, user=user, tokenLockTimeout=20
                )
            if refreshed is None:
                raise SessionRevoked()
            user = refreshed
        else:
            await refresh_oauth_token(rt, user, oauth_info or {})
        header = f"Bearer {user.accessToken}"
    elif auth_type == "apiKey":
        basic = await call_interface(connector, "getBasicAuth", apiKey=user.accessToken)
        header = f"Basic {basic}"
    return CrmAccess(auth_header=header, proxy_id=proxy_id, proxy_config=proxy_config, auth_type=auth_type)


def _is_due(user: UserRecord, now: datetime) -> bool:
    return bool(
        user.accessToken
        and user.refreshToken
        and user.tokenExpiry is not None
        and user.tokenExpiry < now + REFRESH_MARGIN
    )


def _parse_token_response(response: httpx.Response) -> dict[str, Any]:
    text = response.text
    try:
        data = msgspec.json.decode(text)
        if isinstance(data, dict):
            return data
    except msgspec.DecodeError:
        pass
    return dict(parse_qsl(text))


async def refresh_oauth_token(rt: Runtime, user: UserRecord, oauth_info: dict[str, Any]) -> None:
    """Refresh ``user``'s tokens in place when due (and saved); no-op otherwise."""
    if not _is_due(user, datetime.now(UTC)):
        return
    async with rt.refresh_lock(user.id):
        fresh = await rt.store.users.get(user.id, user.platform)
        if fresh is None:
            raise SessionRevoked()
        _copy_tokens(fresh, user)
        if not _is_due(user, datetime.now(UTC)):
            return
        sent_refresh_token = user.refreshToken
        response = await _post_refresh(rt, oauth_info, sent_refresh_token)
        data = _parse_token_response(response)
        if response.is_success and data.get("access_token"):
            user.accessToken = str(data["access_token"])
            user.refreshToken = str(data.get("refresh_token") or sent_refresh_token)
            expires_in = data.get("expires_in")
            try:
                user.tokenExpiry = datetime.now(UTC) + timedelta(seconds=float(str(expires_in)))
            except (TypeError, ValueError):
                user.tokenExpiry = None
            await user.save()
            log.info("crm.token.refreshed platform=%s", user.platform)
            return
        if data.get("error") == "invalid_grant":
            again = await rt.store.users.get(user.id, user.platform)
            if again is not None and again.refreshToken and again.refreshToken != sent_refresh_token:
                _copy_tokens(again, user)
                return
            log.warning("crm.token.revoked platform=%s", user.platform)
            raise SessionRevoked()
        raise CrmApiError(response.status_code, "token refresh failed")


def _copy_tokens(source: UserRecord, target: UserRecord) -> None:
    target.accessToken = source.accessToken
    target.refreshToken = source.refreshToken
    target.tokenExpiry = source.tokenExpiry


async def _post_refresh(rt: Runtime, oauth_info: dict[str, Any], refresh_token: str) -> httpx.Response:
    url = oauth_info.get("accessTokenUri")
    if not url:
        raise ConnectorResponseError("the connector's getOauthInfo has no accessTokenUri")
    form = {"grant_type": "refresh_token", "refresh_token": refresh_token}
    headers = {"Accept": "application/json, application/x-www-form-urlencoded"}
    client_id, secret = oauth_info.get("clientId") or "", oauth_info.get("clientSecret")
    if secret:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    else:
        form["client_id"] = str(client_id)
    try:
        return await rt.http.post(str(url), data=form, headers=headers)
    except httpx.TimeoutException as exc:
        raise ConnectorTimeout("token endpoint timed out") from exc
