"""Log composition: call-log bodies upserted into what the CRM holds, and message-log bodies."""

from .call_log import COMPOSED_FORMATS, compose_call_log
from .errors import ComposeError
from .models import (
    ComposeRequest,
    SharedSmsLog,
    SharedSmsRequest,
    UserContext,
    decode_compose_request,
    decode_shared_sms_request,
)

__all__ = [
    "COMPOSED_FORMATS",
    "ComposeError",
    "ComposeRequest",
    "SharedSmsLog",
    "SharedSmsRequest",
    "UserContext",
    "compose_call_log",
    "decode_compose_request",
    "decode_shared_sms_request",
]
