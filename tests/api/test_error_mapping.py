"""Every service error class has a mapping to a JSON 4xx/5xx (the one place errors become HTTP)."""

from __future__ import annotations

from typing import Any

import pytest

from composer.api.errors import EXCEPTION_HANDLERS, _service_error
from composer.services import errors


def _all_subclasses(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_all_subclasses(sub))
    return found


def _instance(cls: type[errors.ServiceError]) -> errors.ServiceError:
    if cls is errors.ValidationFailed:
        return cls("title", [])  # type: ignore[call-arg]
    if cls is errors.ErrorResponse:
        return cls(418, {"x": 1})  # type: ignore[call-arg]
    import inspect

    required = [
        p
        for p in list(inspect.signature(cls.__init__).parameters.values())[1:]
        if p.default is inspect.Parameter.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    return cls(*["message"] * len(required))


@pytest.mark.parametrize("cls", _all_subclasses(errors.ServiceError), ids=lambda c: c.__name__)
def test_every_service_error_is_mapped(cls: type[errors.ServiceError]) -> None:
    request: Any = None
    response = _service_error(request, _instance(cls))
    assert 400 <= response.status_code < 600
    assert response.status_code != 500
    assert isinstance(response.content, dict)


def test_handler_table_covers_the_roots() -> None:
    from composer.store.exceptions import StoreError

    assert {errors.ServiceError, StoreError, Exception} <= set(EXCEPTION_HANDLERS)
