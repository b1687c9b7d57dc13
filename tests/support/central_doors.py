"""Doors of a site with a central database, for the tests of several doors: a door login
made as the site's administrator makes it, and the real command line run at a door."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import numpy as np

from attendance_app.central import schema
from attendance_app.central.database import CentralDatabase
from attendance_app.central.roster import CentralRoster
from enrolment import NewEncoding
from tests.support.faults_support import cli
from tests.support.postgres_server import PostgresServer

DOOR_PASSWORD = "door-Secret-25"


def door_url(owner: CentralDatabase, folder: Path, login: str,
             server: PostgresServer) -> str:
    """A door login made with the owner's URL by `database add-door-user`; its URL.
    Logins are the server's, not a database's: each is named after its test's database,
    so tests on the same server never meet."""
    database = owner.url.rsplit("/", 1)[1]
    login = f"{login}_{database}"
    made = cli("database", "add-door-user", login, "--data-dir", str(folder), "--database",
               owner.url, env={**os.environ, "ATTENDANCE_DOOR_PASSWORD": DOOR_PASSWORD})
    assert made.returncode == 0, made.stderr
    return f"postgresql://{login}:{DOOR_PASSWORD}@127.0.0.1:{server.port}/{database}"


def at_door(folder: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`attendance-app ARGS` at the door whose data folder is `folder`."""
    return cli(*args, "--data-dir", str(folder), "--database", url)


def site_with_people(database_url: str, seed: int,
                     names: tuple[str, ...] = ("Ada", "Bob", "Cyd")) -> CentralDatabase:
    """The site's database as its owner made it (`database init`), with `names` enrolled,
    each from one random encoding drawn from `seed`: the people the reports expect."""
    database = CentralDatabase(database_url)
    schema.initialise(database)
    rng = np.random.default_rng(seed)
    for name in names:
        CentralRoster(database).enrol(name, [NewEncoding(rng.normal(size=128), f"{name}.jpg")],
                                      {"dlib": 0.01})
    return database
