"""A connector for ``FakeCrm``, written the way a real one is: every CRM call is HTTP.

It keeps what core passed to each interface in ``received`` so tests can check the
arguments (``composedLogDetails``, ``existingCallLogDetails``, the cached note, ...).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import httpx

from tests.fakes.crm import BASE_URL

__all__ = ["FAKE_PLATFORM", "FakeCrmConnector", "register_fake_crm"]

FAKE_PLATFORM = "fakecrm"


def _rm(message: str) -> dict[str, Any]:
    return {"message": message, "messageType": "success", "ttl": 2000}


class FakeCrmConnector:
    def __init__(self, http: httpx.AsyncClient, *, log_format: str = "text/plain") -> None:
        self._http = http
        self.log_format = log_format
        self.received: list[tuple[str, dict[str, Any]]] = []

    def calls(self, name: str) -> list[dict[str, Any]]:
        return [kwargs for called, kwargs in self.received if called == name]

    async def _request(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self._http.request(method, f"{BASE_URL}{path}", json=body)
        response.raise_for_status()
        data: dict[str, Any] = response.json()
        return data

    # ------------------------------------------------------------------ authentication

    def getAuthType(self, **kwargs: Any) -> str:
        return "apiKey"

    def getBasicAuth(self, *, apiKey: str = "", **kwargs: Any) -> str:
        return base64.b64encode(f"{apiKey}:".encode()).decode()

    async def getUserInfo(self, *, apiKey: str = "", **kwargs: Any) -> dict[str, Any]:
        return {
            "successful": True,
            "platformUserInfo": {"id": f"{apiKey}-{FAKE_PLATFORM}", "name": "Fake User", "timezoneOffset": "+00:00"},
            "returnMessage": _rm("Connected"),
        }

    def getLogFormatType(self, **kwargs: Any) -> str:
        return self.log_format

    # ------------------------------------------------------------------ call logs

    async def createCallLog(self, **kwargs: Any) -> dict[str, Any]:
        self.received.append(("createCallLog", kwargs))
        contact = kwargs.get("contactInfo") or {}
        created = await self._request(
            "POST",
            "/activities",
            {
                "kind": "call",
                "body": kwargs.get("composedLogDetails") or "",
                "contactId": contact.get("id"),
                "sessionId": (kwargs.get("callLog") or {}).get("sessionId"),
            },
        )
        return {"logId": created["id"], "returnMessage": _rm("Call logged")}

    async def updateCallLog(self, **kwargs: Any) -> dict[str, Any]:
        self.received.append(("updateCallLog", kwargs))
        activity_id = kwargs["existingCallLog"]["thirdPartyLogId"]
        await self._request("PATCH", f"/activities/{activity_id}", {"body": kwargs.get("composedLogDetails") or None})
        return {"updatedNote": kwargs.get("note"), "returnMessage": _rm("Call log updated")}

    async def getCallLog(self, **kwargs: Any) -> dict[str, Any]:
        self.received.append(("getCallLog", kwargs))
        activity = await self._request("GET", f"/activities/{kwargs['callLogId']}")
        return {
            "callLogInfo": {
                "subject": activity.get("subject", ""),
                "note": "",
                "fullBody": activity.get("body", ""),
                "fullLogResponse": activity,
                "dispositions": activity.get("dispositions", {}),
            }
        }

    async def upsertCallDisposition(self, **kwargs: Any) -> dict[str, Any]:
        self.received.append(("upsertCallDisposition", kwargs))
        activity_id = kwargs["existingCallLog"]["thirdPartyLogId"]
        await self._request("PUT", f"/activities/{activity_id}/dispositions", kwargs.get("dispositions") or {})
        return {"logId": activity_id, "returnMessage": _rm("Disposition saved")}

    # ------------------------------------------------------------------ message logs

    @staticmethod
    def _line(kwargs: dict[str, Any]) -> str:
        message = kwargs.get("message") or {}
        return f"{message.get('id')}:{message.get('subject', '')}\n"

    async def createMessageLog(self, **kwargs: Any) -> dict[str, Any]:
        self.received.append(("createMessageLog", kwargs))
        shared = kwargs.get("sharedSMSLogContent")
        body = shared["body"] if shared else self._line(kwargs)
        created = await self._request(
            "POST", "/activities", {"kind": "sms", "body": body, "contactId": (kwargs.get("contactInfo") or {}).get("id")}
        )
        return {"logId": created["id"], "returnMessage": _rm("Message logged")}

    async def updateMessageLog(self, **kwargs: Any) -> None:
        self.received.append(("updateMessageLog", kwargs))
        activity_id = kwargs["existingMessageLog"]["thirdPartyLogId"]
        shared = kwargs.get("sharedSMSLogContent")
        change = {"body": shared["body"]} if shared else {"append": self._line(kwargs)}
        await self._request("PATCH", f"/activities/{activity_id}", change)
        return None  # tolerated by core (http-api.md §16.12)


def register_fake_crm(connector_box: list[FakeCrmConnector], **options: Any) -> Callable[[Any], None]:
    """A ``registry_hooks`` entry registering a FakeCrmConnector on the runtime's HTTP client."""

    def hook(rt: Any) -> None:
        connector = FakeCrmConnector(rt.http, **options)
        connector_box.append(connector)
        rt.registry.register_connector(FAKE_PLATFORM, connector)

    return hook
