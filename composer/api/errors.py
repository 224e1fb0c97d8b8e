"""The one place where errors become HTTP responses.

Service errors map to the spec's bodies (ERR400, NOAUTH, BADJWT, EXC, REVOKED, FORBIDDEN,
501). Framework errors (malformed JSON, wrong types, oversized bodies, unknown routes) get
the same JSON shape naming the problem. Anything unexpected is logged and answered with a
sanitised EXC body: never a stack trace, never a secret.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotFoundException, ValidationException

from composer.services.errors import (
    AdminRequired,
    BadRequest,
    ErrorResponse,
    NotImplementedFeature,
    RequestFailed,
    ServiceError,
    SessionRevoked,
    ValidationFailed,
)
from composer.services.messages import rm
from composer.store.exceptions import StoreError

__all__ = ["EXCEPTION_HANDLERS", "err400_body", "json_response"]

log = logging.getLogger(__name__)


def json_response(body: Any, status: int) -> Response[Any]:
    return Response(content=body, status_code=status, media_type=MediaType.JSON)


def err400_body(text: str) -> dict[str, Any]:
    return {"successful": False, "error": text, "returnMessage": rm(text, 5000)}


def _service_error(_: Request[Any, Any, Any], exc: ServiceError) -> Response[Any]:
    if isinstance(exc, BadRequest):
        return json_response(err400_body(exc.message), 400)
    if isinstance(exc, RequestFailed):
        return json_response({"successful": False, "error": exc.message}, 400)
    if isinstance(exc, ValidationFailed):
        return json_response({"error": exc.message, "details": exc.details}, 400)
    if isinstance(exc, SessionRevoked):
        body = {"successful": False, "returnMessage": rm(exc.message, 5000), "errorCode": "CRM_SESSION_REVOKED"}
        return json_response(body, 401)
    if isinstance(exc, AdminRequired):
        body = {"successful": False, "error": exc.message, "returnMessage": rm(exc.message, 5000)}
        return json_response(body, 403)
    if isinstance(exc, ErrorResponse):
        return json_response(exc.body, exc.status)
    if isinstance(exc, NotImplementedFeature):
        body = {
            "successful": False,
            "error": "Not implemented",
            "returnMessage": rm("This feature is not available on this server.", 5000),
        }
        return json_response(body, 501)
    return _unexpected(_, exc)


def _http_error(_: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    text = exc.detail or "Bad request"
    if isinstance(exc, ValidationException) and exc.extra:
        text = f"{text}: {exc.extra}"
    if status == 413:
        text = "Request body is too large"
    if isinstance(exc, NotFoundException):
        text = "Not found"
    body = {"successful": False, "error": text, "returnMessage": rm(text, 5000)}
    headers = dict(exc.headers or {})
    return Response(content=body, status_code=status, media_type=MediaType.JSON, headers=headers)


def _store_error(_: Request[Any, Any, Any], exc: StoreError) -> Response[Any]:
    log.error("store.error error=%s", type(exc).__name__)
    return json_response({"successful": False, "returnMessage": rm("Database operation failed", 5000)}, 200)


def _unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("request.failed path=%s error=%s", request.url.path, type(exc).__name__)
    return json_response({"successful": False, "error": "Unexpected error while handling the request"}, 400)


EXCEPTION_HANDLERS: dict[type[Exception], Callable[..., Response[Any]]] = {
    ServiceError: _service_error,
    HTTPException: _http_error,
    StoreError: _store_error,
    Exception: _unexpected,
}
