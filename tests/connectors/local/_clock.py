"""A controllable clock for the local CRM tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

__all__ = ["FakeClock"]


class FakeClock:
    """Starts at 2024-03-05 14:00:00 UTC; every reading moves one second on, so rows
    created one after the other have distinct, ordered times."""

    def __init__(self) -> None:
        self.now = datetime(2024, 3, 5, 14, 0, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        current = self.now
        self.now += timedelta(seconds=1)
        return current
