"""A real PostgreSQL server for the test session, and one fresh database per test.

Where the server comes from, in order:

1. ``DATABASE_URL_TEST`` (e.g. ``postgresql://user@host:5432/postgres``): an existing server is
   used as is. Its role must be allowed to ``CREATE DATABASE``.
2. PostgreSQL binaries (``initdb``, ``pg_ctl``), looked up under ``/usr/lib/postgresql/15/bin``,
   then other versions there, then ``PATH``: a throwaway server is started in a fresh temporary
   directory, listening on 127.0.0.1 only, on a free port, with its unix socket inside that
   directory, trust authentication and ``fsync=off``. It is stopped (``pg_ctl stop -m
   immediate``) and the directory deleted when the session ends, whatever happened.

If neither is available, :class:`PostgresUnavailable` is raised and ``tests/conftest.py`` turns
it into a skip with the reason. PostgreSQL refuses to run as root, so when the tests run as
root every server command runs as the ``postgres`` system user (or ``nobody``), which owns the
temporary directory.

Isolation: every test gets a database of its own, dropped afterwards: an empty one copied from
``template0``, or a migrated one copied from a template database migrated once per session
(cheaper than migrating every time). Databases are also the scope of advisory locks, so one
test's locks never meet another's.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

__all__ = [
    "ENV_URL",
    "LocalPostgres",
    "PostgresStartError",
    "PostgresUnavailable",
    "create_database",
    "database_name",
    "drop_database",
    "find_bindir",
    "postgres_only",
    "postgres_url",
    "run_sync",
]

T = TypeVar("T")

ENV_URL = "DATABASE_URL_TEST"
PREFERRED_VERSION = "15"
START_TIMEOUT_S = 30
_PG_ROOT = Path("/usr/lib/postgresql")
_UNPRIVILEGED_USERS = ("postgres", "nobody")
_LOG_TAIL_LINES = 40


class PostgresUnavailable(Exception):
    """Neither ``DATABASE_URL_TEST`` nor PostgreSQL binaries are available (tests skip)."""


class PostgresStartError(RuntimeError):
    """The binaries exist but the server would not start (tests fail, with the server log)."""


# --------------------------------------------------------------------------- locating binaries


def find_bindir() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl``; PostgreSQL 15 first."""
    candidates = [_PG_ROOT / PREFERRED_VERSION / "bin"]
    if _PG_ROOT.is_dir():
        others = [p for p in _PG_ROOT.iterdir() if p.name != PREFERRED_VERSION and p.name.isdigit()]
        candidates += [p / "bin" for p in sorted(others, key=lambda p: int(p.name), reverse=True)]
    on_path = shutil.which("pg_ctl")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for bindir in candidates:
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    return None


@dataclass(frozen=True, slots=True)
class _RunAs:
    """Who runs the server commands: ourselves, or (when we are root) an unprivileged user."""

    uid: int | None = None
    gid: int | None = None

    @classmethod
    def for_current_process(cls) -> _RunAs:
        if os.geteuid() != 0:
            return cls()
        for name in _UNPRIVILEGED_USERS:
            try:
                entry = pwd.getpwnam(name)
            except KeyError:
                continue
            return cls(entry.pw_uid, entry.pw_gid)
        raise PostgresStartError(
            "running as root and no unprivileged user to run PostgreSQL as "
            f"(looked for {', '.join(_UNPRIVILEGED_USERS)}); PostgreSQL refuses to run as root"
        )

    def popen_kwargs(self) -> dict[str, Any]:
        if self.uid is None:
            return {}
        # The same as `runuser -u postgres --`, without depending on util-linux.
        return {"user": self.uid, "group": self.gid, "extra_groups": []}

    def own(self, path: Path) -> None:
        if self.uid is not None and self.gid is not None:
            os.chown(path, self.uid, self.gid)


# --------------------------------------------------------------------------- the local server


def _temp_base(run_as: _RunAs) -> str:
    """Where the server directory goes: the usual temp dir, unless the server user could not
    reach it, or the unix socket path would get too long (the limit is about 100 bytes)."""
    base = tempfile.gettempdir()
    too_long = len(base) > 40
    unreachable = run_as.uid is not None and any(
        not os.stat(p).st_mode & 0o001 for p in [base, *map(str, Path(base).parents)]
    )
    return "/tmp" if too_long or unreachable else base


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _accepts_connections(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@dataclass(slots=True)
class LocalPostgres:
    """A PostgreSQL server in a temporary directory; :meth:`start` it, :meth:`stop` it."""

    bindir: Path
    root: Path
    run_as: _RunAs
    port: int = 0
    _running: bool = field(default=False, init=False)

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def socket_dir(self) -> Path:
        return self.root / "sock"

    @property
    def log_file(self) -> Path:
        return self.root / "server.log"

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    @classmethod
    def start(cls, bindir: Path, *, attempts: int = 3) -> LocalPostgres:
        """initdb + start; raises PostgresStartError (with the server log tail) on failure."""
        run_as = _RunAs.for_current_process()
        root = Path(tempfile.mkdtemp(prefix="appconnect-pg-", dir=_temp_base(run_as)))
        server = cls(bindir=bindir, root=root, run_as=run_as)
        atexit.register(server.stop)  # in case the session dies before its teardown runs
        try:
            run_as.own(root)
            server.socket_dir.mkdir()
            run_as.own(server.socket_dir)
            server._initdb()
            for attempt in range(1, attempts + 1):
                # Another process may grab the port between our probe and the server's bind.
                server.port = _free_port()
                if server._start_once(last_attempt=attempt == attempts):
                    break
        except BaseException:
            server.stop()
            raise
        return server

    def stop(self) -> None:
        """Stop the server and delete its directory; safe to call more than once."""
        if self._running:
            self._running = False
            self._run(
                [self.bindir / "pg_ctl", "-D", self.data_dir, "-m", "immediate", "-w", "-t", "30", "stop"],
                timeout=60,
                check=False,
            )
        shutil.rmtree(self.root, ignore_errors=True)

    # -- steps

    def _run(
        self, argv: list[Any], *, timeout: float, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        try:
            result = subprocess.run(
                [str(a) for a in argv],
                cwd=self.root,  # the server user may not be allowed into our working directory
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
                env={**os.environ, "LC_ALL": "C", "TZ": "UTC"},
                **self.run_as.popen_kwargs(),
            )
        except subprocess.TimeoutExpired as exc:
            if not check:
                return subprocess.CompletedProcess(exc.cmd, -1, "", "timed out")
            raise PostgresStartError(
                f"{Path(str(argv[0])).name} timed out after {timeout} s{self._log_tail()}"
            ) from exc
        if check and result.returncode != 0:
            raise PostgresStartError(
                f"{Path(str(argv[0])).name} failed with exit code {result.returncode}:\n"
                f"{result.stdout}{result.stderr}{self._log_tail()}"
            )
        return result

    def _initdb(self) -> None:
        self._run(
            [
                self.bindir / "initdb",
                "-D",
                self.data_dir,
                "-U",
                "postgres",
                "--auth=trust",  # local and 127.0.0.1 connections
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
            timeout=120,
        )

    def _start_once(self, *, last_attempt: bool) -> bool:
        options = " ".join(
            [
                "-c listen_addresses=127.0.0.1",
                f"-p {self.port}",
                f"-k {shlex.quote(str(self.socket_dir))}",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
            ]
        )
        argv = [self.bindir / "pg_ctl", "-D", self.data_dir, "-l", self.log_file, "-o", options]
        result = self._run(
            [*argv, "-w", "-t", str(START_TIMEOUT_S), "start"], timeout=START_TIMEOUT_S + 30, check=False
        )
        if result.returncode != 0:
            log = self._log_text()
            if not last_attempt and "could not bind" in log:
                return False
            raise PostgresStartError(
                f"PostgreSQL did not start (pg_ctl exit code {result.returncode}):\n"
                f"{result.stdout}{result.stderr}{self._log_tail()}"
            )
        self._running = True
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _accepts_connections(self.port):
            if time.monotonic() > deadline:
                raise PostgresStartError(
                    f"PostgreSQL started but accepted no connection on 127.0.0.1:{self.port} "
                    f"within {START_TIMEOUT_S} s{self._log_tail()}"
                )
            time.sleep(0.05)
        return True

    def _log_text(self) -> str:
        try:
            return self.log_file.read_text(errors="replace")
        except OSError:
            return ""

    def _log_tail(self) -> str:
        lines = self._log_text().splitlines()[-_LOG_TAIL_LINES:]
        if not lines:
            return f"\n(no server log at {self.log_file})"
        return f"\n--- last lines of {self.log_file} ---\n" + "\n".join(lines)


@contextmanager
def postgres_url() -> Iterator[str]:
    """The URL of a server for this session (``DATABASE_URL_TEST``, or one started here).

    Raises PostgresUnavailable when there is neither, PostgresStartError when starting fails.
    """
    external = os.environ.get(ENV_URL, "").strip()
    if external:
        yield external
        return
    bindir = find_bindir()
    if bindir is None:
        raise PostgresUnavailable(
            f"PostgreSQL binaries not found (looked in {_PG_ROOT}/{PREFERRED_VERSION}/bin, "
            f"{_PG_ROOT}/*/bin and PATH) and {ENV_URL} is not set; "
            "install PostgreSQL (apt-get install -y postgresql) or set "
            f"{ENV_URL}=postgresql://user@host:port/postgres"
        )
    server = LocalPostgres.start(bindir)
    try:
        yield server.url
    finally:
        server.stop()


# --------------------------------------------------------------------------- per-test databases


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def database_name(database_url: str) -> str:
    return urlsplit(database_url).path.lstrip("/")


async def create_database(server_url: str, *, template: str = "template0") -> str:
    """Create a database with a unique name, a copy of ``template``; returns its URL.

    The default template is empty. Nobody may be connected to ``template`` meanwhile.
    """
    name = f"appconnect_test_{uuid.uuid4().hex[:16]}"
    conn = await asyncpg.connect(server_url, timeout=10)
    try:
        await conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    finally:
        await conn.close()
    return _with_database(server_url, name)


async def drop_database(server_url: str, database_url: str) -> None:
    """Drop a database made by :func:`create_database`, closing any connection left on it."""
    name = database_name(database_url)
    if not name.startswith("appconnect_test_"):
        raise ValueError(f"refusing to drop {name!r}: not a test database")
    conn = await asyncpg.connect(server_url, timeout=10)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


def run_sync(coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from synchronous code, even inside a running event loop.

    Session-scoped fixtures are synchronous (each test has its own event loop) but may be set
    up from inside an async fixture; a private loop in a worker thread works in both cases.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="postgres-setup") as pool:
        return pool.submit(asyncio.run, coro).result()


# --------------------------------------------------------------------------- markers

#: Narrows a test that uses the ``database_url`` / ``database`` / ``store`` fixtures to the
#: PostgreSQL backend (for behaviour SQLite cannot show, such as two transactions at once).
postgres_only = pytest.mark.parametrize(
    "store_backend", [pytest.param("postgres", id="postgres", marks=pytest.mark.postgres)], indirect=True
)
