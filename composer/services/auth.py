"""Login (API key and OAuth), logout, session validation and license status (spec §8)."""

from __future__ import annotations

import base64
import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, parse_qsl, unquote, urlparse

import httpx
import msgspec

from composer.services.context import Caller
from composer.services.credentials import refresh_oauth_token
from composer.services.errors import BadRequest, ErrorResponse, RequestFailed, SessionRevoked
from composer.services.messages import rm, session_expired
from composer.services.ringcentral import validate_rc_user
from composer.services.sessions import connector_for, current_user
from composer.store.users import UserRecord
from connectors.invoke import call_interface, get_interface

if TYPE_CHECKING:
    from composer.services.runtime import Runtime

__all__ = [
    "ApiKeyLogin",
    "api_key_login",
    "auth_validation",
    "hostname",
    "license_status",
    "oauth_callback",
    "un_authorize",
    "user_info_hash",
]

log = logging.getLogger(__name__)


class ApiKeyLogin(msgspec.Struct, kw_only=True):
    platform: str | None = None
    apiKey: str | None = None
    hostname: str | None = None
    proxyId: str | None = None
    additionalInfo: dict[str, Any] | None = None
    rcAccessToken: str | None = None


def js_offset(value: Any) -> str:
    """Stringify a timezone offset the way JavaScript prints it: -5, 5.5, "+02:00" (never -5.0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


async def save_login(
    rt: Runtime,
    *,
    platform: str,
    info: dict[str, Any],
    hostname: str,
    access_token: str,
    refresh_token: str = "",
    token_expiry: datetime | None = None,
    rc_account_id: str | None,
    hashed_extension_id: str,
    proxy_id: str | None,
) -> UserRecord:
    """§8.1: upsert the user row by platformUserInfo.id (one row per CRM user)."""
    user_id = str(info["id"])
    user = await rt.store.users.get_by_id(user_id)
    if user is None:
        user = rt.store.users.new(id=user_id, platform=platform)
    extra = dict(user.platformAdditionalInfo)
    extra.update(info.get("platformAdditionalInfo") or {})
    if proxy_id:
        extra["proxyId"] = proxy_id
    user.platform = platform
    user.hostname = hostname
    user.timezoneName = str(info.get("timezoneName") or "")
    user.timezoneOffset = js_offset(info.get("timezoneOffset"))
    user.accessToken = access_token
    user.refreshToken = refresh_token
    user.tokenExpiry = token_expiry
    user.rcAccountId = rc_account_id
    user.hashedRcExtensionId = hashed_extension_id
    user.platformAdditionalInfo = extra
    await user.save()
    return user


async def _post_save(connector: object, user_info: dict[str, Any], oauth_app: Any = None) -> dict[str, Any]:
    if get_interface(connector, "postSaveUserInfo") is None:
        return user_info
    result = await call_interface(connector, "postSaveUserInfo", userInfo=user_info, oauthApp=oauth_app)
    return result if isinstance(result, dict) else user_info


async def api_key_login(rt: Runtime, caller: Caller, body: ApiKeyLogin) -> dict[str, Any]:
    if not body.platform:
        raise BadRequest("Missing platform name")
    connector = connector_for(rt, body.platform)
    rc_account_id: str | None = None
    rc_token = caller.rc_access_token or body.rcAccessToken
    if rc_token:
        rc_account_id = (await validate_rc_user(rt, rc_token)).account_id
    additional = dict(body.additionalInfo or {})
    api_key = additional.get("apiKey") or body.apiKey or ""
    additional.setdefault("apiKey", api_key)
    proxy_config = await rt.load_proxy_config(body.proxyId) if body.proxyId else None
    basic = ""
    if get_interface(connector, "getBasicAuth") is not None:
        basic = str(await call_interface(connector, "getBasicAuth", apiKey=api_key))
    if get_interface(connector, "getUserInfo") is None:
        raise RequestFailed(f"{body.platform} does not support login")
    result = await call_interface(
        connector,
        "getUserInfo",
        authHeader=f"Basic {basic}",
        hostname=body.hostname or "",
        platform=body.platform,
        additionalInfo=additional,
        apiKey=api_key,
        proxyId=body.proxyId,
        proxyConfig=proxy_config,
    )
    if not isinstance(result, dict) or not result.get("successful") or not result.get("platformUserInfo"):
        message = result.get("returnMessage") if isinstance(result, dict) else None
        raise ErrorResponse(400, {"returnMessage": message or rm("Login failed", 3000)})
    info = result["platformUserInfo"]
    user = await save_login(
        rt,
        platform=body.platform,
        info=info,
        hostname=body.hostname or "",
        access_token=str(info.get("overridingApiKey") or api_key),
        rc_account_id=rc_account_id,
        hashed_extension_id=caller.rc_extension_id,
        proxy_id=body.proxyId,
    )
    user_info = await _post_save(connector, {"id": user.id, "name": info.get("name", "")})
    token = rt.tokens.issue(user_id=str(user_info["id"]), platform=body.platform)
    log.info("auth.login.api_key platform=%s", body.platform)
    return {"jwtToken": token, "name": user_info.get("name", ""), "returnMessage": result.get("returnMessage")}


def _platform_from_state(callback_uri: str, state: str | None) -> tuple[str | None, dict[str, str]]:
    params = dict(parse_qsl(unquote(state))) if state else {}
    platform = params.get("platform")
    if not platform:
        for text in (callback_uri, state or ""):
            if "platform=" in text:
                platform = text.split("platform=", 1)[1].split("&", 1)[0]
                break
    return platform or None, params


async def oauth_callback(rt: Runtime, caller: Caller, query: dict[str, str]) -> dict[str, Any]:
    callback_uri = query.get("callbackUri") or ""
    code = query.get("code")
    if not callback_uri or callback_uri == "undefined":
        if not code:
            raise BadRequest("Missing callbackUri")
        base = rt.settings.app_server or f"http://{rt.settings.host}:{rt.settings.port}"
        callback_uri = f"{base}/oauth-callback?code={code}"
    callback_query = parse_qs(urlparse(callback_uri).query)
    state = next(iter(callback_query.get("state") or []), None) or query.get("state")
    platform, params = _platform_from_state(callback_uri, state)
    if not platform:
        raise BadRequest("Missing platform name")
    hostname = query.get("hostname") or params.get("hostname") or ""
    if "code=" not in callback_uri and code:
        callback_uri += f"&code={code}"
    connector = connector_for(rt, platform)
    proxy_id = query.get("proxyId")
    proxy_config = await rt.load_proxy_config(proxy_id) if proxy_id else None
    try:
        oauth_info = await call_interface(
            connector,
            "getOauthInfo",
            tokenUrl=query.get("tokenUrl"),
            hostname=hostname,
            rcAccountId=query.get("rcAccountId"),
            proxyId=proxy_id,
            proxyConfig=proxy_config,
            userEmail=query.get("userEmail"),
            isFromMCP=False,
        )
    except AttributeError:
        raise RequestFailed(f"{platform} does not support OAuth") from None
    if oauth_info.get("failMessage"):
        return {"returnMessage": {"messageType": "danger", "message": oauth_info["failMessage"]}}
    token_data = await _exchange_code(rt, connector, callback_uri, oauth_info)
    access_token = str(token_data.get("access_token") or "")
    result = await call_interface(
        connector,
        "getUserInfo",
        authHeader=f"Bearer {access_token}",
        tokenUrl=oauth_info.get("accessTokenUri") or query.get("tokenUrl"),
        apiUrl=query.get("apiUrl"),
        hostname=oauth_info.get("hostname") or hostname,
        platform=platform,
        username=query.get("username"),
        callbackUri=callback_uri,
        query=query,
        proxyId=proxy_id,
        proxyConfig=proxy_config,
        userEmail=query.get("userEmail"),
        data=token_data,
    )
    if not isinstance(result, dict) or not result.get("successful") or not result.get("platformUserInfo"):
        return {"returnMessage": result.get("returnMessage") if isinstance(result, dict) else None}
    info = result["platformUserInfo"]
    expires_in = token_data.get("expires_in")
    try:
        expiry: datetime | None = datetime.now(UTC) + timedelta(seconds=float(str(expires_in)))
    except (TypeError, ValueError):
        expiry = None
    user = await save_login(
        rt,
        platform=platform,
        info=info,
        hostname=info.get("overridingHostname") or oauth_info.get("hostname") or hostname,
        access_token=access_token,
        refresh_token=str(token_data.get("refresh_token") or ""),
        token_expiry=expiry,
        rc_account_id=query.get("rcAccountId"),
        hashed_extension_id=caller.rc_extension_id,
        proxy_id=proxy_id,
    )
    user_info = await _post_save(connector, {"id": user.id, "name": info.get("name", "")}, oauth_info)
    token = rt.tokens.issue(user_id=str(user_info["id"]), platform=platform)
    log.info("auth.login.oauth platform=%s", platform)
    return {"jwtToken": token, "name": user_info.get("name", ""), "returnMessage": result.get("returnMessage")}


async def _exchange_code(
    rt: Runtime, connector: object, callback_uri: str, oauth_info: dict[str, Any]
) -> dict[str, Any]:
    parsed = urlparse(callback_uri)
    callback_query = parse_qs(parsed.query)
    redirect_uri = str(oauth_info.get("redirectUri") or "")
    if redirect_uri and parsed.path != urlparse(redirect_uri).path:
        raise RequestFailed("OAuth callback does not match the connector's redirect URI")
    if "error" in callback_query or not callback_query.get("code"):
        raise RequestFailed("OAuth provider returned no authorization code")
    code = callback_query["code"][0]
    url = str(oauth_info.get("accessTokenUri") or "")
    if not url:
        raise RequestFailed("The connector's getOauthInfo has no accessTokenUri")
    form: dict[str, str] = {"code": code, "grant_type": "authorization_code", "redirect_uri": redirect_uri}
    headers = {"Accept": "application/json, application/x-www-form-urlencoded"}
    client_id, secret = str(oauth_info.get("clientId") or ""), oauth_info.get("clientSecret")
    if secret:
        headers["Authorization"] = "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    else:
        form["client_id"] = client_id
    params: dict[str, str] = {}
    if get_interface(connector, "getOverridingOAuthOption") is not None:
        override = await call_interface(connector, "getOverridingOAuthOption", code=code, oauthInfo=oauth_info) or {}
        headers.update({k: v for k, v in (override.get("headers") or {}).items()})
        headers = {k: v for k, v in headers.items() if v != ""}
        params.update(override.get("query") or {})
        form.update(override.get("body") or {})
    try:
        response = await rt.http.post(url, data=form, headers=headers, params=params or None)
    except httpx.HTTPError:
        raise RequestFailed("The CRM's token endpoint could not be reached") from None
    if not response.is_success:
        raise RequestFailed(f"The CRM's token endpoint answered HTTP {response.status_code}")
    try:
        data = msgspec.json.decode(response.content)
    except msgspec.DecodeError:
        data = dict(parse_qsl(response.text))
    if not isinstance(data, dict) or not data.get("access_token"):
        raise RequestFailed("The CRM's token endpoint returned no access token")
    return data


async def un_authorize(rt: Runtime, caller: Caller) -> dict[str, Any]:
    user = await current_user(rt, caller)
    if user is None:
        raise BadRequest("User not found")
    connector = connector_for(rt, user.platform)
    message: Any = {"message": "Logged out", "messageType": "success", "ttl": 1000}
    if get_interface(connector, "unAuthorize") is not None:
        result = await call_interface(connector, "unAuthorize", user=user)
        message = result.get("returnMessage") if isinstance(result, dict) else None
    # Whatever the connector did, core guarantees the stored CRM tokens are blank.
    user.accessToken = ""
    user.refreshToken = ""
    await rt.store.users.save(user)
    return message if isinstance(message, dict) else {"message": "Logged out", "messageType": "success", "ttl": 1000}


async def auth_validation(rt: Runtime, caller: Caller) -> dict[str, Any]:
    user = await current_user(rt, caller, bad_jwt_variant=True)
    if user is None:
        return {"successful": False}
    connector = connector_for(rt, user.platform)
    if get_interface(connector, "authValidation") is None:
        raise BadRequest(f"authValidation is not supported by {user.platform}")
    if get_interface(connector, "getOauthInfo") is not None:
        oauth_info = await call_interface(
            connector, "getOauthInfo", tokenUrl=user.platformAdditionalInfo.get("tokenUrl"), hostname=user.hostname
        )
        try:
            await refresh_oauth_token(rt, user, oauth_info or {})
        except SessionRevoked:
            return {"successful": False, "returnMessage": session_expired()}
    result = await call_interface(connector, "authValidation", user=user)
    result = result if isinstance(result, dict) else {}
    return {"successful": bool(result.get("successful")), "returnMessage": result.get("returnMessage")}


_INVALID_LICENSE = {"isLicenseValid": False, "licenseStatusDescription": ""}


async def license_status(rt: Runtime, caller: Caller) -> dict[str, Any]:
    if caller.token_state == "none":
        return {**_INVALID_LICENSE, "licenseStatus": "Invalid (Invalid user session)"}
    user = await current_user(rt, caller, bad_jwt_variant=True)
    if user is None:
        return {**_INVALID_LICENSE, "licenseStatus": "Invalid (User not found)"}
    try:
        connector = connector_for(rt, user.platform)
        result = await call_interface(connector, "getLicenseStatus", userId=user.id, platform=user.platform, user=user)
        if not isinstance(result, dict):
            raise TypeError("license status is not an object")
        return result
    except Exception:
        return {**_INVALID_LICENSE, "licenseStatus": "Invalid (Connect to get license status)"}


async def hostname(rt: Runtime, caller: Caller) -> str:
    user = await current_user(rt, caller)
    if user is None:
        raise BadRequest("User not found")
    return user.hostname or ""


def user_info_hash(rt: Runtime, *, extension_id: str | None, account_id: str | None) -> dict[str, str]:
    return {"extensionId": rt.hash(extension_id), "accountId": rt.hash(account_id)}
