"""A connector that answers at once without any I/O: the server's own cost is what is measured.

Registered only by the HTTP benchmark (``APPCONNECT_CONNECTOR_MODULES=benchmarks._noio_connector``)
under the platform name ``bench``. Every interface returns what a fast CRM would.
"""

from __future__ import annotations

import base64
import itertools
from typing import Any

PLATFORM = "bench"
_ids = itertools.count(1)
_OK = {"message": "OK", "messageType": "success", "ttl": 1000}
_BODY = "- Note: earlier\n- Date/Time: 2024-03-05 02:07:09 PM\n- Duration: 1 minute, 35 seconds\n"


class NoIoConnector:
    def getAuthType(self, **kwargs: Any) -> str:
        return "apiKey"

    def getBasicAuth(self, *, apiKey: str = "", **kwargs: Any) -> str:
        return base64.b64encode(f"{apiKey}:".encode()).decode()

    async def getUserInfo(self, *, apiKey: str = "", **kwargs: Any) -> dict[str, Any]:
        user = {"id": f"{apiKey}-{PLATFORM}", "name": "Bench User", "timezoneOffset": "+00:00"}
        return {"successful": True, "platformUserInfo": user, "returnMessage": _OK}

    def getLogFormatType(self, **kwargs: Any) -> str:
        return "text/plain"

    async def findContact(self, *, phoneNumber: str = "", **kwargs: Any) -> dict[str, Any]:
        contact = {"id": "c-1", "name": "Pat Customer", "phone": phoneNumber, "type": "Contact"}
        return {"successful": True, "matchedContactInfo": [contact]}

    async def createCallLog(self, **kwargs: Any) -> dict[str, Any]:
        return {"logId": str(next(_ids)), "returnMessage": _OK}

    async def getCallLog(self, **kwargs: Any) -> dict[str, Any]:
        return {"callLogInfo": {"subject": "Call", "note": "earlier", "fullBody": _BODY, "fullLogResponse": {}}}

    async def updateCallLog(self, *, note: Any = None, **kwargs: Any) -> dict[str, Any]:
        return {"updatedNote": note, "returnMessage": _OK}

    async def createMessageLog(self, **kwargs: Any) -> dict[str, Any]:
        return {"logId": str(next(_ids)), "returnMessage": _OK}

    async def updateMessageLog(self, **kwargs: Any) -> dict[str, Any]:
        return {"returnMessage": _OK}


def register(registry: Any) -> None:
    registry.register_connector(PLATFORM, NoIoConnector())
