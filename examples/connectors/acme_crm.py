"""A complete connector for "Acme CRM", a small REST CRM reached at the user's hostname.

Enable it with ``APPCONNECT_CONNECTOR_MODULES=examples.connectors.acme_crm`` and log in with
``POST /apiKeyLogin {"platform": "acme", "apiKey": "...", "hostname": "https://acme.example.com"}``.

Acme's API: ``GET /api/me``, ``GET /api/contacts?phone=``, ``POST /api/contacts``,
``POST /api/activities``, ``GET|PATCH /api/activities/<id>``; API-key Basic auth.
Core composes the Markdown body and merges updates; this connector only stores it.
"""

from __future__ import annotations

import base64
from typing import Any

import httpx

from connectors import ConnectorRegistry, CrmApiError

PLATFORM = "acme"

MANIFEST: dict[str, Any] = {
    "author": {"name": "Example author"},
    "platforms": {
        PLATFORM: {
            "name": PLATFORM,
            "displayName": "Acme CRM",
            "auth": {"type": "apiKey", "apiKey": {"page": {"title": "Acme", "content": [
                {"const": "apiKey", "title": "API key", "type": "string", "required": True}]}}},
            "contactTypes": [{"display": "Contact", "value": "Contact"}],
        }
    },
}  # fmt: skip


class AcmeConnector:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self._http = http

    async def _request(self, method: str, user_or_host: Any, path: str, auth: str, **kwargs: Any) -> Any:
        host = user_or_host if isinstance(user_or_host, str) else user_or_host.hostname
        response = await self._http.request(method, f"{host.rstrip('/')}{path}", headers={"Authorization": auth}, **kwargs)
        if response.is_error:
            raise CrmApiError(response.status_code, f"Acme answered {response.status_code}")
        return response.json()

    def getAuthType(self, **kwargs: Any) -> str:
        return "apiKey"

    def getBasicAuth(self, *, apiKey: str, **kwargs: Any) -> str:
        return base64.b64encode(f"{apiKey}:".encode()).decode()

    def getLogFormatType(self, **kwargs: Any) -> str:
        return "text/markdown"

    async def getUserInfo(self, *, authHeader: str, hostname: str, **kwargs: Any) -> dict[str, Any]:
        try:
            me = await self._request("GET", hostname, "/api/me", authHeader)
        except CrmApiError:
            return {"successful": False, "returnMessage": {"message": "Wrong Acme API key", "messageType": "warning", "ttl": 3000}}
        return {
            "successful": True,
            "platformUserInfo": {"id": f"{me['id']}-{PLATFORM}", "name": me["name"], "timezoneOffset": "+00:00"},
            "returnMessage": {"message": "Connected to Acme.", "messageType": "success", "ttl": 1000},
        }

    async def findContact(self, *, user: Any, authHeader: str, phoneNumber: str, **kwargs: Any) -> dict[str, Any]:
        found = await self._request("GET", user, "/api/contacts", authHeader, params={"phone": phoneNumber})
        contacts = [{"id": c["id"], "name": c["name"], "phone": c["phone"], "type": "Contact"} for c in found]
        contacts.append({"id": "createNewContact", "name": "Create new contact...", "isNewContact": True})
        return {"successful": True, "matchedContactInfo": contacts}

    async def createContact(
        self, *, user: Any, authHeader: str, phoneNumber: str, newContactName: str, **kwargs: Any
    ) -> dict[str, Any]:
        created = await self._request("POST", user, "/api/contacts", authHeader, json={"name": newContactName, "phone": phoneNumber})
        return {"contactInfo": {"id": created["id"], "name": created["name"], "type": "Contact"},
                "returnMessage": {"message": "Contact created.", "messageType": "success", "ttl": 2000}}  # fmt: skip

    async def createCallLog(
        self, *, user: Any, authHeader: str, contactInfo: dict[str, Any], callLog: dict[str, Any],
        composedLogDetails: str, **kwargs: Any,
    ) -> dict[str, Any]:  # fmt: skip
        subject = callLog.get("customSubject") or f"{callLog.get('direction', '')} call with {contactInfo.get('name') or contactInfo.get('phoneNumber')}"
        created = await self._request("POST", user, "/api/activities", authHeader,
                                      json={"contactId": contactInfo["id"], "subject": subject, "body": composedLogDetails})  # fmt: skip
        return {"logId": created["id"], "returnMessage": {"message": "Call logged", "messageType": "success", "ttl": 2000}}

    async def getCallLog(self, *, user: Any, authHeader: str, callLogId: str, **kwargs: Any) -> dict[str, Any]:
        activity = await self._request("GET", user, f"/api/activities/{callLogId}", authHeader)
        return {"callLogInfo": {"subject": activity["subject"], "note": "", "fullBody": activity["body"], "fullLogResponse": activity}}

    async def updateCallLog(
        self, *, user: Any, authHeader: str, existingCallLog: dict[str, Any], composedLogDetails: str, **kwargs: Any
    ) -> dict[str, Any]:
        activity_id = existingCallLog["thirdPartyLogId"]
        await self._request("PATCH", user, f"/api/activities/{activity_id}", authHeader, json={"body": composedLogDetails})
        return {"returnMessage": {"message": "Call log updated.", "messageType": "success", "ttl": 2000}}


def register(registry: ConnectorRegistry) -> None:
    """Called once at start-up (APPCONNECT_CONNECTOR_MODULES)."""
    http = httpx.AsyncClient(timeout=httpx.Timeout(30.0, connect=10.0))
    registry.register_connector(PLATFORM, AcmeConnector(http), manifest=MANIFEST)
