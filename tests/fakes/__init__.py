"""Fakes the logging tests run against: a scriptable CRM REST API and a connector that speaks it.

``FakeCrm`` is an in-memory CRM behind an ``httpx.MockTransport`` (hand it to
``create_app(transport=...)``); it can be told to fail its next calls with 500, 429, 404, a
timeout or a garbage answer. ``FakeCrmConnector`` implements the connector contract over that
API through the server's shared HTTP client, so failures take the real path: raised by
httpx, mapped by core.
"""

from tests.fakes.connector import FAKE_PLATFORM, FakeCrmConnector, register_fake_crm
from tests.fakes.crm import Failure, FakeCrm

__all__ = ["FAKE_PLATFORM", "Failure", "FakeCrm", "FakeCrmConnector", "register_fake_crm"]
