"""The OpenAPI document in docs/ is the one the county app describes, and covers the protocol."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from app.county.openapi import DOCUMENT, render
from app.sync.protocol import API, REPLY_STATES

ROOT = Path(__file__).resolve().parents[1]


def test_the_kept_document_is_current() -> None:
    assert DOCUMENT == ROOT / "docs" / "county-openapi.json"
    assert DOCUMENT.read_text(encoding="utf-8") == render(), (
        "docs/county-openapi.json is out of date: run .venv/bin/python -m app.county.openapi")


def test_the_document_lists_every_endpoint_with_its_bodies() -> None:
    document = json.loads(DOCUMENT.read_text(encoding="utf-8"))
    paths = {(method.upper(), path) for path, ops in document["paths"].items() for method in ops}
    assert paths == {("GET", f"{API}/hello"), ("POST", f"{API}/blobs/missing"),
                     ("PUT", f"{API}/blobs/{{sha256}}"), ("PUT", f"{API}/batches/{{batch_id}}"),
                     ("GET", f"{API}/replies"), ("GET", f"{API}/catalog"),
                     ("GET", f"{API}/calendar/{{year}}"), ("PUT", f"{API}/township-key"),
                     ("GET", f"{API}/rules"), ("GET", f"{API}/problems")}
    schemas = document["components"]["schemas"]
    batch = document["paths"][f"{API}/batches/{{batch_id}}"]["put"]
    assert batch["requestBody"]["content"]["application/json"]["schema"]["$ref"] == \
        "#/components/schemas/BatchDocument"
    assert set(batch["responses"]) >= {"200", "401", "403", "409", "413", "422"}
    assert schemas["ReplyOut"]["properties"]["state"]["enum"] == list(REPLY_STATES)
    assert "NoticePayloadDoc" in schemas and "AttachmentDoc" in schemas
    refs = json.dumps(document)
    for name in set(re.findall(r"#/components/schemas/(\w+)", refs)):
        assert name in schemas, name
    assert document["components"]["securitySchemes"]["townshipToken"]["scheme"] == "bearer"


def test_the_check_command_says_whether_it_is_current() -> None:
    out = subprocess.run([sys.executable, "-m", "app.county.openapi", "--check"], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
