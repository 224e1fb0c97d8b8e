"""Read views: JSON-able lists and the HTML page, which must never run stored markup."""

from __future__ import annotations

import html

import msgspec

from composer.store import UserRecord
from connectors.local import ActivityView, ContactView, LocalConnector, render_local_page

SCRIPT = "<script>alert(1)</script>"


async def test_lists_are_json_able(connector: LocalConnector, user: UserRecord) -> None:
    contact = await connector.create_contact(
        user.id, name="Ann Lee", phones=["(650) 555-0100", "12-34"], company="Acme", email="a@example.com"
    )
    other = await connector.create_contact(user.id, name="Bob", phones=[])
    first = await connector.createCallLog(
        user=user,
        contactInfo={"id": contact.id, "name": "Ann Lee"},
        callLog={"sessionId": "s1"},
        composedLogDetails="one",
    )
    await connector.createCallLog(
        user=user,
        contactInfo={"id": other.id, "name": "Bob"},
        callLog={"sessionId": "s2"},
        composedLogDetails="two",
    )
    contacts = msgspec.to_builtins(await connector.list_contacts(user.id))
    assert contacts[0] == {
        "id": contact.id,
        "name": "Ann Lee",
        "type": "Contact",
        "company": "Acme",
        "ownerName": "",
        "email": "a@example.com",
        "phones": [{"number": "(650) 555-0100", "e164": "+16505550100"}, {"number": "12-34", "e164": ""}],
        "createdAt": "2024-03-05T14:00:00.000Z",
        "updatedAt": "2024-03-05T14:00:00.000Z",
    }
    activities = await connector.list_activities(user.id)
    assert [a.body for a in activities] == ["two", "one"]  # newest first
    only_ann = msgspec.to_builtins(await connector.list_activities(user.id, contact_id=contact.id))
    assert only_ann == [
        {
            "id": first["logId"],
            "kind": "call",
            "subject": "Inbound call from Ann Lee",
            "body": "one",
            "format": "text/plain",
            "contactId": contact.id,
            "contactName": "Ann Lee",
            "sessionId": "s1",
            "dispositions": {},
            "createdAt": activities[1].created_at,
            "updatedAt": activities[1].updated_at,
        }
    ]
    msgspec.json.encode(activities)
    assert await connector.get_activity(user.id, "missing") is None


async def test_page_escapes_everything(connector: LocalConnector, make_user: object) -> None:
    user = make_user(localLogFormat="text/html")  # type: ignore[operator]
    contact = await connector.create_contact(
        user.id, name=SCRIPT, phones=["+16505550100"], company='"><img src=x onerror=alert(2)>'
    )
    await connector.createCallLog(
        user=user,
        contactInfo={"id": contact.id, "name": SCRIPT},
        callLog={"sessionId": "s", "direction": "Inbound", "customSubject": SCRIPT},
        composedLogDetails=f"<li><b>Summary</b>: x</li>{SCRIPT}<p onclick=\"alert(3)\">'quoted'</p>",
    )
    plain_user_body = f"- Note: {SCRIPT}\n"
    await connector.createCallLog(
        user=make_user(),  # type: ignore[operator]
        contactInfo={"id": contact.id, "name": "x"},
        callLog={"sessionId": "s2"},
        composedLogDetails=plain_user_body,
    )
    page = render_local_page(await connector.list_contacts(user.id), await connector.list_activities(user.id))
    assert "<script" not in page
    assert "<img" not in page and "<p onclick" not in page
    assert html.escape(SCRIPT) in page
    assert "Content-Security-Policy" in page and "script-src" not in page  # default-src 'none'
    # HTML bodies sit in a fully sandboxed iframe; the markup is an escaped attribute value.
    assert '<iframe sandbox=""' in page
    assert 'srcdoc="&lt;li&gt;&lt;b&gt;Summary&lt;/b&gt;: x&lt;/li&gt;&lt;script&gt;' in page
    assert "&quot;alert(3)&quot;&gt;&#x27;quoted&#x27;" in page
    # Plain bodies are escaped inside <pre>.
    assert f"<pre>{html.escape(plain_user_body)}</pre>" in page


def test_empty_page() -> None:
    page = render_local_page([], [], title="My <CRM>")
    assert "<title>My &lt;CRM&gt;</title>" in page
    assert "No contacts yet." in page and "No activities yet." in page


def test_page_accepts_views() -> None:
    contact = ContactView(
        id="1",
        name="A",
        type="Contact",
        company="",
        owner_name="",
        email="",
        phones=[],
        created_at="t",
        updated_at="t",
    )
    activity = ActivityView(
        id="2",
        kind="sms",
        subject="",
        body="",
        format="text/markdown",
        contact_id="1",
        contact_name="A",
        session_id="",
        dispositions={"outcome": "<b>"},
        created_at="t",
        updated_at="t",
    )
    page = render_local_page([contact], [activity])
    assert "(no subject)" in page and "(empty body)" in page and "outcome=&lt;b&gt;" in page
