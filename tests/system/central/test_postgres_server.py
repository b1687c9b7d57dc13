"""The PostgreSQL fixtures themselves: a real server, real password checks, real restarts.

Every multi-door test trusts these fixtures; if they quietly pointed at nothing, or let any
password in, those tests would prove nothing.
"""

from __future__ import annotations

import psycopg
import pytest

from tests.support.postgres_server import PostgresServer


def test_database_url_reaches_postgresql_16(database_url: str) -> None:
    with psycopg.connect(database_url) as connection:
        version = connection.execute("SHOW server_version").fetchone()
        user = connection.execute("SELECT current_user").fetchone()
    assert version is not None and version[0].startswith("16.")
    assert user == (PostgresServer.USER,)


def test_wrong_password_is_refused(postgres_server: PostgresServer, database_url: str) -> None:
    database = database_url.rsplit("/", 1)[1]
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(postgres_server.url(database, password="not-the-door-secret"), connect_timeout=5)


def test_restart_keeps_url_and_data(postgres_server: PostgresServer, database_url: str) -> None:
    with psycopg.connect(database_url) as connection:
        connection.execute("CREATE TABLE arrivals (person text)")
        connection.execute("INSERT INTO arrivals VALUES ('Ada')")

    postgres_server.stop()
    try:
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(database_url, connect_timeout=5)
    finally:
        postgres_server.start()

    with psycopg.connect(database_url) as connection:
        assert connection.execute("SELECT person FROM arrivals").fetchall() == [("Ada",)]
