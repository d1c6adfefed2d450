"""A real PostgreSQL server for the tests, from Debian's postgresql package.

``running_postgres()`` runs initdb in a temporary folder as the unprivileged
``postgres`` account (PostgreSQL refuses to run as root), listens on a free loopback
port with its socket in that folder, trusts 127.0.0.1 only, and stops the server on
exit; benchmarks/scale.py uses it too. ``postgres_server`` is that server for a test
session, and ``postgres_url`` gives each test a fresh schema of one database (``new_schema``).
Import both into a test module that needs them. Missing binaries fail the tests
(install them with ``make system-deps``): a skipped contract suite proves nothing.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

BIN_FOLDERS = (*sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True), Path("/usr/local/bin"))
ACCOUNT = "postgres"
TEST_DATABASE = "bridges_test"
_numbers = itertools.count(1)


class PostgresUnavailable(Exception):
    """The test PostgreSQL cannot be run here: what is missing, or why it did not start."""


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str

    def url(self, database: str) -> str:
        return f"postgresql://{self.user}@{self.host}:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"'.encode())
        return self.url(name)


def _binary(name: str) -> Path:
    for folder in BIN_FOLDERS:
        if (folder / name).is_file():
            return folder / name
    raise PostgresUnavailable(f"PostgreSQL's {name} is not installed: run make system-deps (Debian package postgresql)")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _as_account(*command: str | Path) -> list[str]:
    args = [str(part) for part in command]
    if os.geteuid() != 0:
        return args  # already unprivileged: run as ourselves
    return ["runuser", "-u", ACCOUNT, "--", *args]


@contextmanager
def running_postgres(settings: str = "") -> Iterator[PostgresServer]:
    """A new PostgreSQL server with the database ``TEST_DATABASE``, stopped on exit.

    ``settings`` are more ``-c name=value`` options for the server; PostgresUnavailable if it cannot run.
    """
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    # Not under pytest's basetemp: that is private to root, and another pytest run
    # started meanwhile may delete older basetemps, server and all.
    with tempfile.TemporaryDirectory(prefix="bridges-postgres-") as name:
        yield from _serve(Path(name), initdb, pg_ctl, settings)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    try:
        with running_postgres() as server:
            yield server
    except PostgresUnavailable as exc:
        pytest.fail(str(exc))


def _serve(folder: Path, initdb: Path, pg_ctl: Path, settings: str) -> Iterator[PostgresServer]:
    if os.geteuid() == 0:
        try:
            account = pwd.getpwnam(ACCOUNT)
        except KeyError:
            raise PostgresUnavailable(
                f"no {ACCOUNT!r} account to run PostgreSQL as: install the Debian package postgresql"
            ) from None
        shutil.chown(folder, account.pw_uid, account.pw_gid)
        user = ACCOUNT
    else:
        user = pwd.getpwuid(os.geteuid()).pw_name
    data, log = folder / "data", folder / "server.log"
    subprocess.run(
        _as_account(initdb, "-D", data, "-U", user, "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"),
        check=True,
        capture_output=True,
    )
    # Trust on the loopback address only; nothing listens beyond it.
    (data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n", encoding="utf-8")
    port = _free_port()
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off {settings}".strip()
    started = subprocess.run(
        _as_account(pg_ctl, "-D", data, "-l", log, "-o", options, "-w", "-t", "30", "start"),
        capture_output=True,
        text=True,
    )
    if started.returncode != 0:
        server_log = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        raise PostgresUnavailable(f"PostgreSQL did not start: {started.stderr}\n{server_log}")
    try:
        server = PostgresServer("127.0.0.1", port, user)
        server.create_database(TEST_DATABASE)
        yield server
    finally:
        subprocess.run(_as_account(pg_ctl, "-D", data, "-m", "fast", "-w", "stop"), capture_output=True)


def new_schema(server: PostgresServer) -> str:
    """The URL of a new, empty schema of ``TEST_DATABASE`` (a schema is ten times quicker than a database)."""
    import psycopg

    database = server.url(TEST_DATABASE)
    schema = f"test_{next(_numbers)}"
    with psycopg.connect(database, autocommit=True) as admin:
        admin.execute(f"CREATE SCHEMA {schema}".encode())
    return f"{database}?options=-csearch_path%3D{schema}"


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """The URL of a new, empty schema on the test server."""
    return new_schema(postgres_server)
