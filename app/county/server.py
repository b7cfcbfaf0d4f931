"""``gongkai-county serve``: the app under uvicorn, in one process or in N worker processes.

With one worker the app runs in this process over the database the command
line opened. With ``--workers N`` uvicorn starts N processes that each import
:func:`worker_app` afresh (they share nothing with this one but the listening
socket and the environment), so the database URL travels in ``GONGKAI_COUNTY_DB``.
The schema is created or migrated once, here, before any worker starts; a
worker only checks that it finds the version it was built for, so two workers
never race to create tables.
"""

from __future__ import annotations

import os

import uvicorn
from fastapi import FastAPI
from sqlalchemy import inspect

from app.county.api import create_app
from app.county.database import Database
from app.county.errors import Refused
from app.county.schema import LATEST, meta, schema_version

#: The environment variable through which the serving process hands workers its database.
DB_ENV = "GONGKAI_COUNTY_DB"
#: The import string uvicorn's workers load (a factory: called once in each worker).
WORKER_APP = "app.county.server:worker_app"


def serve(db: Database, host: str = "127.0.0.1", port: int = 8700,
          tls_cert: str | None = None, tls_key: str | None = None, workers: int = 1) -> None:
    """Serve the county API and the staff page until interrupted; HTTPS with a cert and key.

    ``workers`` > 1 needs a database that several processes can write at once
    (PostgreSQL); the command line refuses it on SQLite before coming here.
    """
    if workers <= 1:
        target: FastAPI | str = create_app(db)
    else:
        os.environ[DB_ENV] = db.url
        # The workers open their own pools; this process only supervises them.
        db.close()
        target = WORKER_APP
    # server_header off: the version of what answers is nobody's business on the wire.
    uvicorn.run(target, factory=workers > 1, workers=workers if workers > 1 else None,
                host=host, port=port, log_level="info", server_header=False,
                timeout_keep_alive=30, ssl_certfile=tls_cert, ssl_keyfile=tls_key)


def worker_app() -> FastAPI:
    """The app of one uvicorn worker, over the database the serving process named."""
    url = os.environ.get(DB_ENV, "")
    if not url:
        raise RuntimeError(f"{DB_ENV} is not set: start workers with gongkai-county serve")
    db = Database(url)
    with db.read() as conn:
        # has_table first: schema_version would create the meta table of an empty database.
        found = schema_version(conn) if inspect(conn).has_table(meta.name) else 0
    if found != LATEST:
        db.close()
        # The serving process migrated before starting us; anything else is another program.
        raise Refused(500, "县级数据库的结构版本与程序不符，请停止所有服务进程后重新启动。")
    return create_app(db)
