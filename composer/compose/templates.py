"""Template sources, one per section kind per format.

Templates are logic-free on purpose (``snippets.py`` enforces it): every value arrives fully
prepared, escaped for HTML and single-lined where the format needs it, so a template can
never be the place where user text turns into markup. ``label`` is bound at compile time from
the item table in ``items.py``; ``value`` is filled per call.
"""

from __future__ import annotations

from typing import Final

__all__ = ["CALL_LOG", "MESSAGE_LOG", "SHARED_SMS"]

CALL_LOG: Final[dict[str, dict[str, str]]] = {
    "text/plain": {
        "note": "- Note: {{ value }}",
        "field": "- {{ label }}: {{ value }}",
        "block": "- {{ label }}:\n{{ value }}\n--- END",
        "journey": "- {{ label }}:\n{{ value }}\n--- JOURNEY END",
    },
    "text/markdown": {
        "note": "## Agent notes\n{{ value }}\n\n## Call details",
        "field": "**{{ label }}**: {{ value }}",
        "block": "### {{ label }}\n{{ value }}\n",
        "journey": "### {{ label }}\n{{ value }}\n",
    },
    "text/html": {
        "note": "<b>Agent notes</b><br>{{ value }}<br><br><b>Call details</b>",
        "field": "<li><b>{{ label }}</b>: {{ value }}</li>",
        "block": "<div><b>{{ label }}</b><br>{{ value }}</div>",
        "journey": "<div><b>{{ label }}</b><br>{{ value }}</div>",
        "link": '<a target="_blank" href="{{ value }}">open</a>',
    },
}

# Message logs built by connectors (§6.2-6.4). ``head`` opens a day's conversation, ``entry``
# is one message, ``tail`` closes the body; voicemail and fax are one activity per message.
MESSAGE_LOG: Final[dict[str, dict[str, str]]] = {
    "text/plain": {
        "head": (
            "\nConversation summary\n{{ day }}\nParticipants\n    {{ user }}\n    {{ contact }}\n"
            "{{ extra }}\nConversation(1 messages)\nBEGIN\n------------\n"
        ),
        "extra": "    {{ name }}",
        "entry": "{{ sender }} {{ time }}\n{{ text }}\n\n",
        "tail": "------------\nEND\n\n{{ signature }}",
        "voicemail": "Voicemail recording link: {{ link }} \n\n{{ signature }}",
        "fax": "Fax document link: {{ link }} \n\n{{ signature }}",
    },
    "text/html": {
        "head": (
            "<br><b>{{ subject }}</b><br><b>Conversation summary</b><br>{{ day }}<br>Participants<br>"
            "<ul><li><b>{{ user }}</b><br></li><li><b>{{ contact }}</b></li>{{ extra }}</ul><br>"
            "Conversation(1 messages)<br>BEGIN<br>------------<br><ul>"
        ),
        "extra": "<li><b>{{ name }}</b></li>",
        "entry": "<li>{{ sender }} {{ time }}<br><b>{{ text }}</b></li>",
        "tail": "</ul>------------<br>END<br><br>{{ signature }}",
        "voicemail": "<br><b>{{ subject }}</b><br>Voicemail recording link: {{ link }} <br><br>{{ signature }}",
        "fax": "<br><b>{{ subject }}</b><br>Fax document link: {{ link }} <br><br>{{ signature }}",
    },
}

# Shared-SMS conversations (§6.5), regenerated whole on every update.
SHARED_SMS: Final[dict[str, dict[str, str]]] = {
    "text/plain": {
        "subject": "SMS conversation with {{ contact }}",
        "summary": (
            "Conversation summary\nStarted: {{ started }}\nEnded: {{ ended }}\nDuration: {{ duration }}\n\n"
            "Participants\n{{ participants }}\n"
        ),
        "participant": "* {{ name }}\n",
        "queue": "Receiving call queue: {{ owner }}\n\n",
        "owner": "Owner: {{ owner }}\n\n",
        "conversation": "Conversation ({{ counts }})\nBEGIN\n------------\n{{ entries }}------------\nEND",
        "message": "{{ sender }} said on {{ time }}:\n{{ text }}\n\n",
        "assignment": "Conversation assigned to {{ name }}\n\n",
        "note": "{{ author }} left a note on {{ time }}:\n{{ text }}\n\n",
    },
    "text/markdown": {
        "subject": "**SMS conversation with {{ contact }}**",
        "summary": (
            "## Conversation summary\nStarted: {{ started }}\nEnded: {{ ended }}\nDuration: {{ duration }}\n\n"
            "### Participants\n{{ participants }}\n"
        ),
        "participant": "* {{ name }}\n",
        "queue": "Receiving call queue: **{{ owner }}**\n\n",
        "owner": "Owner: **{{ owner }}**\n\n",
        "conversation": "### Conversation ({{ counts }})\nBEGIN\n---\n{{ entries }}---\nEND",
        "message": "**{{ sender }}** said on {{ time }}:\n{{ text }}\n\n",
        "assignment": "*Conversation assigned to **{{ name }}***\n\n",
        "note": "**{{ author }}** left a note on {{ time }}:\n{{ text }}\n\n",
    },
    "text/html": {
        "subject": "SMS conversation with {{ contact }}",
        "summary": (
            "<div><b>Conversation summary</b><br>Started: {{ started }}<br>Ended: {{ ended }}<br>"
            "Duration: {{ duration }}<br></div><br><div><b>Participants</b><ul>{{ participants }}</ul></div>"
        ),
        "participant": "<li>{{ name }}</li>",
        "queue": "<div>Receiving call queue: <b>{{ owner }}</b></div><br>",
        "owner": "<div>Owner: <b>{{ owner }}</b></div><br>",
        "conversation": (
            "<div><b>Conversation ({{ counts }})</b></div><div>BEGIN</div><hr>{{ entries }}<hr><div>END</div>"
        ),
        "message": "<p><b>{{ sender }}</b> said on {{ time }}:<br>{{ text }}</p>",
        "assignment": "<p><i>Conversation assigned to <b>{{ name }}</b></i></p>",
        "note": "<p><b>{{ author }}</b> left a note on {{ time }}:<br>{{ text }}</p>",
    },
}
