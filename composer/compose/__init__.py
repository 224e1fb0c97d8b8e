"""Log composition: call-log bodies upserted into what the CRM holds, and message-log bodies.

Composing the same update twice gives the same body; text the composer does not recognise
survives byte for byte. Every public function raises only ``ComposeError``.
"""

from .call_log import COMPOSED_FORMATS, compose_call_log
from .errors import ComposeError
from .messages import SIGNATURE, MessageKind, MessageLog, append_message, compose_message_log, message_kind
from .models import (
    ComposeRequest,
    SharedSmsLog,
    SharedSmsRequest,
    UserContext,
    decode_compose_request,
    decode_shared_sms_request,
)
from .notes import extract_note
from .richtext import markdown_to_html
from .shared_sms import compose_shared_sms

__all__ = [
    "COMPOSED_FORMATS",
    "SIGNATURE",
    "ComposeError",
    "ComposeRequest",
    "MessageKind",
    "MessageLog",
    "SharedSmsLog",
    "SharedSmsRequest",
    "UserContext",
    "append_message",
    "compose_call_log",
    "compose_message_log",
    "compose_shared_sms",
    "decode_compose_request",
    "decode_shared_sms_request",
    "extract_note",
    "markdown_to_html",
    "message_kind",
]
