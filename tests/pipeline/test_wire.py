"""Events in the logging routes' wire form (what remote plugins receive and answer)."""

from __future__ import annotations

import msgspec
import pytest

from composer.pipeline.wire import from_wire, to_wire
from tests.pipeline._helpers import call_event, message_event


def test_a_call_event_in_wire_form() -> None:
    event = call_event(subject="Renewal", ai_note="AI", ring_sense_ai_score=7, additional_submission={"deal": "d-1"})
    assert to_wire(event) == {
        "logInfo": {"sessionId": "s-1", "direction": "Inbound", "customSubject": "Renewal"},
        "contactId": "c-1",
        "contactName": "Pat Doe",
        "contactType": "Contact",
        "note": "hello",
        "aiNote": "AI",
        "ringSenseAIScore": 7,
        "additionalSubmission": {"deal": "d-1"},
    }


def test_an_unchanged_round_trip_is_the_same_event() -> None:
    event = call_event(subject="Renewal", transcript="t")
    assert from_wire(event, msgspec.json.decode(msgspec.json.encode(to_wire(event)))) == event
    sms = message_event(correspondents=[{"phoneNumber": "+1"}])
    assert from_wire(sms, to_wire(sms)) == sms


def test_a_plugin_may_change_texts_contact_and_submission_but_not_identifiers() -> None:
    event = call_event()
    data = to_wire(event)
    data["note"] = "changed"
    data["contactName"] = "Pat D."
    data["logInfo"]["sessionId"] = "hijacked"
    data["logInfo"]["customSubject"] = "New subject"
    data["additionalSubmission"] = {"x": 1}
    changed = from_wire(event, data)
    assert isinstance(changed, type(event))
    assert (changed.note, changed.subject, changed.additional_submission) == ("changed", "New subject", {"x": 1})
    assert changed.contact is not None and changed.contact.name == "Pat D."
    assert changed.session_id == "s-1" and changed.call_log["sessionId"] == "s-1"
    assert (changed.platform, changed.user_id, changed.kind) == (event.platform, event.user_id, event.kind)


def test_message_events_take_back_messages_and_correspondents() -> None:
    event = message_event()
    data = to_wire(event)
    data["logInfo"]["messages"] = [{"id": 1, "subject": "redacted"}]
    changed = from_wire(event, data)
    assert changed.messages == [{"id": 1, "subject": "redacted"}]


def test_a_non_object_answer_is_refused() -> None:
    with pytest.raises(ValueError, match="not the logging payload object"):
        from_wire(call_event(), ["not", "an", "object"])


def test_wrong_types_in_the_answer_keep_the_original_values() -> None:
    event = call_event(note="keep")
    changed = from_wire(event, {"note": 42, "additionalSubmission": "nope"})
    assert changed.note == "keep" and changed.additional_submission == {}


def test_a_call_without_subject_round_trips() -> None:
    event = call_event()
    assert from_wire(event, to_wire(event)) == event
