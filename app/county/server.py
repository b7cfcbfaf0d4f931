"""``gongkai-county serve``: the app under uvicorn."""

from __future__ import annotations

import uvicorn

from app.county.api import create_app
from app.county.database import Database


def serve(db: Database, host: str = "127.0.0.1", port: int = 8700,
          tls_cert: str | None = None, tls_key: str | None = None) -> None:
    """Serve the county API and the staff page until interrupted; HTTPS with a cert and key."""
    # server_header off: the version of what answers is nobody's business on the wire.
    uvicorn.run(create_app(db), host=host, port=port, log_level="info",
                server_header=False, timeout_keep_alive=30,
                ssl_certfile=tls_cert, ssl_keyfile=tls_key)
