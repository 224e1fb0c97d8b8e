"""Read views of the local CRM: JSON-able Structs and a plain HTML page.

Safety invariant of ``render_local_page``: every piece of stored text goes through
``html.escape`` before it reaches the page. HTML activity bodies are shown inside an
``<iframe sandbox srcdoc=...>`` (an empty ``sandbox`` allows no scripts, forms, popups or
same-origin access) and the page's own Content-Security-Policy allows no scripts at all,
so a body can never run code in the viewer's session.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

import msgspec

from connectors.local._store import Activity, Contact, iso_from_ms

__all__ = ["ActivityView", "ContactView", "PhoneView", "activity_view", "contact_view", "render_local_page"]


class PhoneView(msgspec.Struct, kw_only=True, rename="camel"):
    number: str
    e164: str


class ContactView(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    name: str
    type: str
    company: str
    owner_name: str
    email: str
    phones: list[PhoneView]
    created_at: str
    updated_at: str


class ActivityView(msgspec.Struct, kw_only=True, rename="camel"):
    id: str
    kind: str
    subject: str
    body: str
    format: str
    contact_id: str
    contact_name: str
    session_id: str
    dispositions: dict[str, Any]
    created_at: str
    updated_at: str


def contact_view(contact: Contact) -> ContactView:
    return ContactView(
        id=contact.id,
        name=contact.name,
        type=contact.type,
        company=contact.company,
        owner_name=contact.owner_name,
        email=contact.email,
        phones=[PhoneView(number=p.raw, e164=p.e164) for p in contact.phones],
        created_at=iso_from_ms(contact.created_at),
        updated_at=iso_from_ms(contact.updated_at),
    )


def activity_view(activity: Activity) -> ActivityView:
    return ActivityView(
        id=activity.id,
        kind=activity.kind,
        subject=activity.subject,
        body=activity.body,
        format=activity.format,
        contact_id=activity.contact_id,
        contact_name=activity.contact_name,
        session_id=activity.session_id,
        dispositions=dict(activity.dispositions),
        created_at=iso_from_ms(activity.created_at),
        updated_at=iso_from_ms(activity.updated_at),
    )


_e = html.escape

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; max-width: 70rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #ddd; vertical-align: top; }
article { border: 1px solid #ddd; border-radius: 6px; padding: .8rem 1rem; margin: 1rem 0; }
article h3 { margin: 0 0 .3rem; font-size: 1rem; }
.meta { color: #666; font-size: .85rem; margin-bottom: .5rem; }
pre { white-space: pre-wrap; word-break: break-word; background: #f7f7f7; padding: .6rem; margin: 0; }
iframe { width: 100%; height: 16rem; border: 1px solid #eee; background: #fff; }
.empty { color: #666; font-style: italic; }
"""

# No scripts anywhere; srcdoc iframes inherit this policy on top of their sandbox.
_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'; base-uri 'none'; form-action 'none'"

_KIND_LABELS = {"call": "Call", "sms": "SMS", "voicemail": "Voicemail", "fax": "Fax"}


def _contacts_table(contacts: Sequence[ContactView]) -> str:
    if not contacts:
        return '<p class="empty">No contacts yet.</p>'
    rows = []
    for c in contacts:
        phones = "<br>".join(_e(p.e164 or p.number) for p in c.phones)
        rows.append(
            f'<tr id="contact-{_e(c.id)}"><td>{_e(c.name)}</td><td>{phones}</td><td>{_e(c.type)}</td>'
            f"<td>{_e(c.company)}</td><td>{_e(c.owner_name)}</td><td>{_e(c.email)}</td>"
            f"<td>{_e(c.created_at)}</td><td><code>{_e(c.id)}</code></td></tr>"
        )
    head = (
        "<tr><th>Name</th><th>Phone</th><th>Type</th><th>Company</th><th>Owner</th>"
        "<th>Email</th><th>Created</th><th>Id</th></tr>"
    )
    return f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"


def _body(activity: ActivityView) -> str:
    if not activity.body:
        return '<p class="empty">(empty body)</p>'
    if activity.format == "text/html":
        # srcdoc is an attribute: escaping with quote=True keeps the document inside it.
        return (
            f'<iframe sandbox="" referrerpolicy="no-referrer" title="Body of activity {_e(activity.id)}" '
            f'srcdoc="{_e(activity.body, quote=True)}"></iframe>'
        )
    return f"<pre>{_e(activity.body)}</pre>"


def _activities_list(activities: Sequence[ActivityView]) -> str:
    if not activities:
        return '<p class="empty">No activities yet.</p>'
    parts = []
    for a in activities:
        kind = _KIND_LABELS.get(a.kind, a.kind)
        contact = f" · {_e(a.contact_name)}" if a.contact_name else ""
        dispositions = (
            " · dispositions: " + ", ".join(f"{_e(str(k))}={_e(str(v))}" for k, v in a.dispositions.items())
            if a.dispositions
            else ""
        )
        parts.append(
            f'<article id="activity-{_e(a.id)}"><h3>{_e(a.subject or "(no subject)")}</h3>'
            f'<div class="meta">{_e(kind)}{contact} · {_e(a.format)} · created {_e(a.created_at)}'
            f" · updated {_e(a.updated_at)}{dispositions} · id <code>{_e(a.id)}</code></div>"
            f"{_body(a)}</article>"
        )
    return "".join(parts)


def render_local_page(
    contacts: Sequence[ContactView], activities: Sequence[ActivityView], *, title: str = "Local CRM"
) -> str:
    """A complete, script-free HTML page listing ``contacts`` and ``activities``."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{_e(title)}</h1>"
        f"<h2>Contacts ({len(contacts)})</h2>{_contacts_table(contacts)}"
        f"<h2>Activities ({len(activities)})</h2>{_activities_list(activities)}"
        "</body></html>\n"
    )
