"""Quick start against a running server (`make serve`): log in to the built-in local CRM,
create contacts, find one by phone in three formats, search by name, print each answer.

Usage: .venv/bin/python examples/quickstart.py [BASE_URL] [API_KEY]
"""

from __future__ import annotations

import json
import sys

import httpx


def show(title: str, response: httpx.Response) -> dict:
    body = response.json()
    print(f"\n== {title} (HTTP {response.status_code})")
    print(json.dumps(body, indent=2)[:1500])
    response.raise_for_status()
    return body


def main(base_url: str = "http://127.0.0.1:8000", api_key: str = "demo") -> None:
    with httpx.Client(base_url=base_url, timeout=10) as http:
        login = show("login to local with an API key", http.post("/apiKeyLogin", json={"platform": "local", "apiKey": api_key}))
        http.headers["Authorization"] = f"Bearer {login['jwtToken']}"
        for phone, name in (("+16505550100", "Pat Customer"), ("+14155550621", "Maya Patel")):
            show(f"create contact {name}", http.post("/contact", json={"phoneNumber": phone, "newContactName": name, "newContactType": "Contact"}))
        for query in ("+16505550100", "(650) 555-0100", "650-555-0100"):
            body = show(f"find contact by phone {query!r}", http.get("/contact", params={"phoneNumber": query}))
            names = [c["name"] for c in body.get("contact") or [] if not c.get("isNewContact")]
            print(f"-> matched: {names}")
        body = show("search contacts by name 'maya'", http.get("/custom/contact/search", params={"name": "maya"}))
        print(f"-> matched: {[c['name'] for c in body.get('contact') or []]}")
        print(f"\nSee everything in the local CRM: {base_url}/local/?apiKey={api_key}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
