"""The county's reference server (``gongkai-county``): it receives what townships send.

A real service, not a test double: FastAPI over SQLAlchemy Core, so one code
path serves SQLite (the default, a file in the county data folder) and
PostgreSQL (``--db postgresql://…``). The protocol it speaks is defined once in
``app.sync.protocol``; USB files are read by ``app.sync.bundle``.

Modules: ``database`` (engine, transactions), ``schema`` (tables, numbered
migrations), ``tokens`` (township and staff tokens, staff sessions), ``intake``
(blobs and batches, shared by HTTP and USB import), ``answers`` (replies and
the staff's published/returned marks), ``catalog_versions`` and ``calendars``
(what townships pull), ``stats``, ``api`` (the JSON endpoints), ``staff_web``
and ``staff_pages`` (the staff's HTML page), ``openapi`` (the document kept in
docs/), ``server`` (uvicorn).
"""
