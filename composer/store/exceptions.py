"""Store errors.

    StoreError                 anything the database layer could not do
     +-- StoreUnavailable      the database cannot be reached / opened
     +-- LockTimeout           a row or advisory lock was not granted in time

Driver exceptions (sqlite3, asyncpg) are translated where they enter our code.
"""

from __future__ import annotations

__all__ = ["LockTimeout", "StoreError", "StoreUnavailable"]


class StoreError(Exception):
    """The database operation failed; the caller answers "Database operation failed"."""


class StoreUnavailable(StoreError):
    """The database cannot be opened or reached."""


class LockTimeout(StoreError):
    """A lock was not granted within its wait limit."""
