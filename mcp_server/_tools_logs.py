"""Logging tools: createCallLog, updateCallLog, getCallLog, upsertCallDisposition,
createMessageLog, previewLog (spec §10-§11 services, the same functions the HTTP routes call).

Each tool builds the HTTP route's wire body from its typed arguments and hands it to the
service, which validates it, runs the plugin pipeline, composes the body and calls the CRM.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.tools import Tool
from mcp_types import ToolAnnotations
from pydantic import Field

from composer.services import call_logs, log_preview, message_logs
from mcp_server._deps import deps_of
from mcp_server._errors import require_success, service_errors
from mcp_server._schemas import (
    CallLogInfo,
    CallLogResult,
    DispositionResult,
    GetCallLogResult,
    MessageLogInfo,
    MessageLogResult,
    PreviewResult,
    UpdateCallLogResult,
)

__all__ = ["tools"]

_WRITE = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=True)
_UPDATE = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=True)

ContactId = Annotated[
    str | int, Field(description="The CRM contact's id, from findContactByPhone, findContactByName or createContact.")
]
ContactName = Annotated[str | None, Field(description="The contact's name as shown in the log.")]
ContactType = Annotated[str | None, Field(description="The contact's CRM type (e.g. Contact, Lead), if known.")]
Note = Annotated[str | None, Field(description="The agent's note, plain text or Markdown.")]
AiNote = Annotated[str | None, Field(description="An AI-written summary of the call.")]
Transcript = Annotated[str | None, Field(description="The call transcript.")]
AdditionalSubmission = Annotated[
    dict[str, Any] | None, Field(description="Connector-specific extra fields (see the connector's manifest).")
]
CallRecord = Annotated[
    CallLogInfo,
    Field(description="The RingCentral call record: sessionId (required), direction, from, to, startTime, duration, result..."),
]
ConversationDay = Annotated[
    MessageLogInfo,
    Field(description="One day of one conversation: ids, correspondents and the messages (newest first)."),
]
SessionId = Annotated[str, Field(min_length=1, description="The RingCentral telephony session id of the call.")]


def _present(**fields: Any) -> dict[str, Any]:
    """The wire body without the arguments the caller left out."""
    return {key: value for key, value in fields.items() if value is not None}


def call_log_body(
    logInfo: CallLogInfo,
    contactId: Any,
    **optional: Any,
) -> dict[str, Any]:
    """``POST /callLog`` body (also what previewLog composes)."""
    return {"logInfo": dict(logInfo), "contactId": contactId, **_present(**optional)}


async def create_call_log(
    ctx: Context[Any, Any],
    logInfo: CallRecord,
    contactId: ContactId,
    contactName: ContactName = None,
    contactType: ContactType = None,
    note: Note = None,
    aiNote: AiNote = None,
    transcript: Transcript = None,
    additionalSubmission: AdditionalSubmission = None,
) -> CallLogResult:
    rt, caller = deps_of(ctx).context()
    body = call_log_body(
        logInfo,
        contactId,
        contactName=contactName,
        contactType=contactType,
        note=note,
        aiNote=aiNote,
        transcript=transcript,
        additionalSubmission=additionalSubmission,
    )
    with service_errors():
        envelope = await call_logs.create_call_log(rt, caller, body)
    return require_success(envelope, failure="The CRM did not create the call log")  # type: ignore[return-value]


async def update_call_log(
    ctx: Context[Any, Any],
    sessionId: SessionId,
    note: Note = None,
    subject: Annotated[str | None, Field(description="A new subject (title) for the activity.")] = None,
    recordingLink: Annotated[str | None, Field(description="Link to the call recording.")] = None,
    aiNote: AiNote = None,
    transcript: Transcript = None,
    startTime: Annotated[str | int | None, Field(description="Corrected start: ISO 8601 or epoch ms.")] = None,
    duration: Annotated[int | None, Field(ge=0, description="Final length in seconds.")] = None,
    result: Annotated[str | None, Field(description="Final call result, e.g. 'Call connected'.")] = None,
    additionalSubmission: AdditionalSubmission = None,
) -> UpdateCallLogResult:
    rt, caller = deps_of(ctx).context()
    body = {"sessionId": sessionId} | _present(
        note=note,
        subject=subject,
        recordingLink=recordingLink,
        aiNote=aiNote,
        transcript=transcript,
        startTime=startTime,
        duration=duration,
        result=result,
        additionalSubmission=additionalSubmission,
    )
    with service_errors():
        envelope = await call_logs.update_call_log(rt, caller, body)
    failure = f"No call log for session {sessionId}: create it with createCallLog first"
    return require_success(envelope, failure=failure)  # type: ignore[return-value]


async def create_message_log(
    ctx: Context[Any, Any],
    logInfo: ConversationDay,
    contactId: ContactId,
    contactName: ContactName = None,
    contactType: ContactType = None,
    additionalSubmission: AdditionalSubmission = None,
) -> MessageLogResult:
    rt, caller = deps_of(ctx).context()
    body = {"logInfo": dict(logInfo), "contactId": contactId} | _present(
        contactName=contactName, contactType=contactType, additionalSubmission=additionalSubmission
    )
    with service_errors():
        envelope = await message_logs.create_message_log(rt, caller, body)
    return require_success(envelope, failure="The CRM did not log the messages")  # type: ignore[return-value]


async def get_call_log(
    ctx: Context[Any, Any],
    sessionIds: Annotated[
        list[Annotated[str, Field(min_length=1, pattern=r"^[^,]+$")]],
        Field(min_length=1, max_length=5, description="Up to 5 RingCentral session ids to look up."),
    ],
    requireDetails: Annotated[
        bool, Field(description="True to also read each logged activity (subject, note, body) from the CRM.")
    ] = False,
) -> GetCallLogResult:
    rt, caller = deps_of(ctx).context()
    with service_errors():
        envelope = await call_logs.get_call_logs(
            rt, caller, session_ids=",".join(sessionIds), require_details=requireDetails
        )
    return require_success(envelope, failure="User not found")  # type: ignore[return-value]


async def upsert_call_disposition(
    ctx: Context[Any, Any],
    sessionId: SessionId,
    dispositions: Annotated[
        dict[str, Any],
        Field(description="Disposition fields by the connector's field ids (see its manifest), e.g. {'outcome': 'Sale'}."),
    ],
) -> DispositionResult:
    rt, caller = deps_of(ctx).context()
    with service_errors():
        envelope = await call_logs.upsert_call_disposition(
            rt, caller, {"sessionId": sessionId, "dispositions": dispositions}
        )
    return require_success(envelope, failure="The CRM did not record the disposition")  # type: ignore[return-value]


async def preview_log(
    ctx: Context[Any, Any],
    kind: Annotated[
        Literal["call.create", "call.update", "message.create"],
        Field(description="What to preview: a new call log, an update of one, or an SMS log."),
    ] = "call.create",
    logInfo: Annotated[
        CallLogInfo | MessageLogInfo | None,
        Field(description="call.create: the call record, as for createCallLog; message.create: as for createMessageLog."),
    ] = None,
    contactId: Annotated[str | int | None, Field(description="call.create / message.create: the contact's id.")] = None,
    contactName: ContactName = None,
    contactType: ContactType = None,
    note: Note = None,
    aiNote: AiNote = None,
    transcript: Transcript = None,
    sessionId: Annotated[str | None, Field(description="call.update: the session being updated.")] = None,
    subject: Annotated[str | None, Field(description="call.update: a new subject.")] = None,
    recordingLink: Annotated[str | None, Field(description="call.update: link to the recording.")] = None,
    duration: Annotated[int | None, Field(ge=0, description="call.update: final length in seconds.")] = None,
    result: Annotated[str | None, Field(description="call.update: final call result.")] = None,
    existingBody: Annotated[
        str | None, Field(description="call.update: the body currently in the CRM, to merge the update into.")
    ] = None,
) -> PreviewResult:
    rt, caller = deps_of(ctx).context()
    body: dict[str, Any]
    if kind == "call.update":
        body = _present(
            sessionId=sessionId,
            note=note,
            subject=subject,
            recordingLink=recordingLink,
            aiNote=aiNote,
            transcript=transcript,
            duration=duration,
            result=result,
            existingBody=existingBody,
        )
    else:
        body = {"logInfo": dict(logInfo) if logInfo is not None else None, "contactId": contactId} | _present(
            contactName=contactName, contactType=contactType, note=note, aiNote=aiNote, transcript=transcript
        )
    with service_errors():
        envelope = await log_preview.compose_preview(rt, caller, body, kind)
    return require_success(envelope, failure="Nothing could be composed")  # type: ignore[return-value]


def tools() -> list[Tool]:
    """This module's tools, ready for ``MCPServer(tools=...)`` (built once per process by the caller)."""
    return [
        Tool.from_function(
            create_call_log,
            name="createCallLog",
            title="Log a call",
            annotations=_WRITE,
            description=(
                "Write one phone call into the CRM as an activity on the contact. logInfo is the RingCentral call "
                "record (sessionId required; direction, from, to, startTime, duration, result make the log useful); "
                "contactId comes from findContactByPhone. The server composes the log text (after its plugins) in "
                "the CRM's format. A call is logged once: calling again for the same sessionId fails with "
                "'Existing log for session ...' — use updateCallLog to add to it. Returns the CRM activity id (logId)."
            ),
        ),
        Tool.from_function(
            update_call_log,
            name="updateCallLog",
            title="Update a call log",
            annotations=_UPDATE,
            description=(
                "Add to or correct the CRM activity of a call already logged (found by sessionId): a note, subject, "
                "recording link, AI summary, transcript, final duration or result. Only the given parts change; "
                "anything the user wrote in the CRM outside these parts is kept."
            ),
        ),
        Tool.from_function(
            get_call_log,
            name="getCallLog",
            title="Find call logs",
            annotations=ToolAnnotations(read_only_hint=True, open_world_hint=True),
            description=(
                "Check whether calls are already logged: for each sessionId, `matched` and the CRM activity id "
                "(logId); with requireDetails, also the activity's subject, note and body as the CRM has them. "
                "Use it before createCallLog when unsure, or to read a log before updating it."
            ),
        ),
        Tool.from_function(
            create_message_log,
            name="createMessageLog",
            title="Log SMS messages",
            annotations=_WRITE,
            description=(
                "Log one day of one SMS conversation into the CRM (one activity per conversation per day). logInfo "
                "carries conversationId, conversationLogId ('<conversationId>-<YYYY-MM-DD>'), the correspondents "
                "and the messages; contactId is the correspondent's CRM id. Messages already logged are skipped, "
                "so sending the day again only appends the new ones. Returns the ids of the messages logged."
            ),
        ),
        Tool.from_function(
            preview_log,
            name="previewLog",
            title="Preview a log",
            annotations=ToolAnnotations(read_only_hint=True, open_world_hint=False),
            description=(
                "Show exactly what a createCallLog, updateCallLog or createMessageLog would write, without writing "
                "anything: the log body composed in the CRM's format after the server's plugins (which may redact "
                "or enrich it), the plugins that ran and any warnings. Takes the same arguments as the tool it "
                "previews, plus `kind`."
            ),
        ),
        Tool.from_function(
            upsert_call_disposition,
            name="upsertCallDisposition",
            title="Set call disposition",
            annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=True),
            description=(
                "Set the disposition fields (outcome, category... as the connector defines them) of a call already "
                "logged, found by sessionId. Setting the same values again changes nothing."
            ),
        ),
    ]
