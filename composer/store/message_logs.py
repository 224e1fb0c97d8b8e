"""Message-log linkage: conversations (one CRM activity per conversation per day) and messages.

``message_log_conversations`` holds one row per (platform, scope, conversationLogId); scope
is the App Connect user id, or ``""`` for shared-SMS conversations. Like call logs, a row is
reserved ``pending`` before the CRM is called and finalised with the CRM id afterwards, so
concurrent requests for one conversation create one activity.

``message_logs`` holds one row per (platform, user, RingCentral message id). A message is
*claimed* by inserting its row ``pending`` if absent: a message already claimed or logged is
skipped, so each message is appended exactly once however often it is posted. A claim is
stamped with its time; a pending claim older than the hold belongs to a request that died
and may be taken over.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

import msgspec

from composer.store._util import now_ms
from composer.store.database import Database, Row
from composer.store.exceptions import StoreError
from composer.store.reservations import ReservedRow

__all__ = [
    "MESSAGE_HOLD_MS",
    "ConversationReservation",
    "ConversationRow",
    "MessageClaim",
    "MessageLogStore",
]

MESSAGE_HOLD_MS = 120_000

_CONVERSATION_COLUMNS = (
    "platform, scope, conversation_log_id, conversation_id, third_party_log_id, state, "
    "reservation_token, reserved_until, user_id"
)


class ConversationRow(ReservedRow, frozen=True, kw_only=True):
    platform: str
    scope: str
    conversation_log_id: str
    conversation_id: str
    user_id: str

    def view(self) -> dict[str, Any]:
        """The ``existingMessageLog`` object handed to connectors (connectors.md §3)."""
        return {
            "id": self.conversation_log_id,
            "conversationId": self.conversation_id,
            "conversationLogId": self.conversation_log_id,
            "thirdPartyLogId": self.third_party_log_id or "",
            "platform": self.platform,
            "userId": self.user_id,
        }


class ConversationReservation(msgspec.Struct, frozen=True, kw_only=True):
    platform: str
    scope: str
    conversation_log_id: str
    token: str


class MessageClaim(msgspec.Struct, frozen=True, kw_only=True):
    platform: str
    user_id: str
    message_id: str
    stamp: int


def _conversation(data: Row) -> ConversationRow:
    return ConversationRow(**data)


class MessageLogStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    # ---------------------------------------------------------------- conversations

    async def get_conversation(
        self, *, platform: str, scope: str, conversation_log_id: str
    ) -> ConversationRow | None:
        row = await self._db.fetch_one(
            f"""SELECT {_CONVERSATION_COLUMNS} FROM message_log_conversations
                WHERE platform = ? AND scope = ? AND conversation_log_id = ?""",
            platform,
            scope,
            conversation_log_id,
        )
        return _conversation(row) if row is not None else None

    async def reserve_conversation(
        self,
        *,
        platform: str,
        scope: str,
        conversation_log_id: str,
        conversation_id: str,
        user_id: str,
        hold_ms: int = MESSAGE_HOLD_MS,
    ) -> ConversationReservation | ConversationRow:
        """Reserve the conversation, or return the live row (logged, or being created) that holds it.

        The key is exact (the primary key), so an ``INSERT ... ON CONFLICT DO NOTHING`` is the
        atomic reservation on both backends; only an expired reservation needs the locked
        transaction that takes it over.
        """
        token = secrets.token_hex(16)
        now = now_ms()
        inserted = await self._db.execute(
            """INSERT INTO message_log_conversations (platform, scope, conversation_log_id, conversation_id,
                   state, reservation_token, reserved_until, user_id, created_at, updated_at)
               VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?)
               ON CONFLICT (platform, scope, conversation_log_id) DO NOTHING""",
            platform,
            scope,
            conversation_log_id,
            conversation_id,
            token,
            now + hold_ms,
            user_id,
            now,
            now,
        )
        if inserted == 1:
            return ConversationReservation(platform=platform, scope=scope, conversation_log_id=conversation_log_id, token=token)
        existing = await self.get_conversation(platform=platform, scope=scope, conversation_log_id=conversation_log_id)
        if existing is not None and existing.is_live(now_ms()):
            return existing
        for _ in range(3):
            outcome = await self._reserve_once(platform, scope, conversation_log_id, conversation_id, user_id, hold_ms)
            if outcome is not None:
                return outcome
        raise StoreError("conversation reservation kept conflicting")

    async def _reserve_once(
        self, platform: str, scope: str, conversation_log_id: str, conversation_id: str, user_id: str, hold_ms: int
    ) -> ConversationReservation | ConversationRow | None:
        token = secrets.token_hex(16)
        key = (platform, scope, conversation_log_id)
        async with self._db.transaction(lock_key=f"conversation:{platform}:{scope}:{conversation_log_id}") as tx:
            now = now_ms()
            found = await tx.fetch_one(
                f"""SELECT {_CONVERSATION_COLUMNS} FROM message_log_conversations
                    WHERE platform = ? AND scope = ? AND conversation_log_id = ?""",
                *key,
            )
            if found is not None:
                row = _conversation(found)
                if row.is_live(now):
                    return row
                taken = await tx.execute(
                    """UPDATE message_log_conversations
                       SET reservation_token = ?, reserved_until = ?, conversation_id = ?, user_id = ?, updated_at = ?
                       WHERE platform = ? AND scope = ? AND conversation_log_id = ? AND state = 'pending'
                         AND reserved_until <= ?""",
                    token,
                    now + hold_ms,
                    conversation_id,
                    user_id,
                    now,
                    *key,
                    now,
                )
                if taken == 1:
                    return ConversationReservation(
                        platform=platform, scope=scope, conversation_log_id=conversation_log_id, token=token
                    )
                return row
            inserted = await tx.execute(
                """INSERT INTO message_log_conversations (platform, scope, conversation_log_id, conversation_id,
                       state, reservation_token, reserved_until, user_id, created_at, updated_at)
                   VALUES (?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?)
                   ON CONFLICT (platform, scope, conversation_log_id) DO NOTHING""",
                *key,
                conversation_id,
                token,
                now + hold_ms,
                user_id,
                now,
                now,
            )
            if inserted == 1:
                return ConversationReservation(
                    platform=platform, scope=scope, conversation_log_id=conversation_log_id, token=token
                )
            again = await tx.fetch_one(
                f"""SELECT {_CONVERSATION_COLUMNS} FROM message_log_conversations
                    WHERE platform = ? AND scope = ? AND conversation_log_id = ?""",
                *key,
            )
            return _conversation(again) if again is not None else None

    async def finalize_conversation(self, reservation: ConversationReservation, *, third_party_log_id: str) -> bool:
        changed = await self._db.execute(
            """UPDATE message_log_conversations
               SET third_party_log_id = ?, state = 'logged', reservation_token = NULL, reserved_until = NULL,
                   updated_at = ?
               WHERE platform = ? AND scope = ? AND conversation_log_id = ? AND reservation_token = ?
                 AND state = 'pending'""",
            third_party_log_id,
            now_ms(),
            reservation.platform,
            reservation.scope,
            reservation.conversation_log_id,
            reservation.token,
        )
        return changed == 1

    async def release_conversation(self, reservation: ConversationReservation) -> bool:
        deleted = await self._db.execute(
            """DELETE FROM message_log_conversations
               WHERE platform = ? AND scope = ? AND conversation_log_id = ? AND reservation_token = ?
                 AND state = 'pending'""",
            reservation.platform,
            reservation.scope,
            reservation.conversation_log_id,
            reservation.token,
        )
        return deleted == 1

    # ---------------------------------------------------------------- messages

    async def handled_ids(
        self, *, platform: str, user_id: str, message_ids: Sequence[str], hold_ms: int = MESSAGE_HOLD_MS
    ) -> set[str]:
        """Ids already logged, or claimed by a request that is still running."""
        wanted = list(dict.fromkeys(message_ids))
        if not wanted:
            return set()
        marks = ", ".join("?" for _ in wanted)
        rows = await self._db.fetch_all(
            f"""SELECT id FROM message_logs WHERE platform = ? AND user_id = ? AND id IN ({marks})
                AND (state = 'logged' OR updated_at > ?)""",
            platform,
            user_id,
            *wanted,
            now_ms() - hold_ms,
        )
        return {str(r["id"]) for r in rows}

    async def claim_message(
        self,
        *,
        platform: str,
        user_id: str,
        message_id: str,
        conversation_id: str,
        conversation_log_id: str,
        hold_ms: int = MESSAGE_HOLD_MS,
    ) -> MessageClaim | None:
        """Insert the message row as pending if absent; None when it is logged or claimed already."""
        stamp = now_ms()
        inserted = await self._db.execute(
            """INSERT INTO message_logs (platform, user_id, id, conversation_id, conversation_log_id, state,
                   created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)
               ON CONFLICT (platform, user_id, id) DO NOTHING""",
            platform,
            user_id,
            message_id,
            conversation_id,
            conversation_log_id,
            stamp,
            stamp,
        )
        if inserted == 0:
            inserted = await self._db.execute(
                """UPDATE message_logs SET updated_at = ?
                   WHERE platform = ? AND user_id = ? AND id = ? AND state = 'pending' AND updated_at <= ?""",
                stamp,
                platform,
                user_id,
                message_id,
                stamp - hold_ms,
            )
        if inserted != 1:
            return None
        return MessageClaim(platform=platform, user_id=user_id, message_id=message_id, stamp=stamp)

    async def finalize_message(
        self, claim: MessageClaim, *, third_party_log_id: str, conversation_id: str, conversation_log_id: str
    ) -> bool:
        changed = await self._db.execute(
            """UPDATE message_logs SET third_party_log_id = ?, conversation_id = ?, conversation_log_id = ?,
                   state = 'logged', updated_at = ?
               WHERE platform = ? AND user_id = ? AND id = ? AND state = 'pending' AND updated_at = ?""",
            third_party_log_id,
            conversation_id,
            conversation_log_id,
            now_ms(),
            claim.platform,
            claim.user_id,
            claim.message_id,
            claim.stamp,
        )
        return changed == 1

    async def release_message(self, claim: MessageClaim) -> bool:
        deleted = await self._db.execute(
            """DELETE FROM message_logs
               WHERE platform = ? AND user_id = ? AND id = ? AND state = 'pending' AND updated_at = ?""",
            claim.platform,
            claim.user_id,
            claim.message_id,
            claim.stamp,
        )
        return deleted == 1

    async def messages_of(self, *, platform: str, user_id: str, conversation_log_id: str) -> list[dict[str, Any]]:
        """The logged message rows of one conversation (diagnostics and tests)."""
        return await self._db.fetch_all(
            """SELECT id, conversation_id, conversation_log_id, third_party_log_id, state FROM message_logs
               WHERE platform = ? AND user_id = ? AND conversation_log_id = ? ORDER BY created_at, id""",
            platform,
            user_id,
            conversation_log_id,
        )
