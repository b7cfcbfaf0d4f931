"""Signed USB files: the county takes a township's file only if that township's key signed it.

Each forgery of issue 16 is made as a forger would: the genuine file is
opened, a batch document changed, the manifest rebuilt with fresh hashes and
sizes (so the old hash check alone would pass) and the zip written again.
Every one is refused with one sentence and nothing of it is stored; the
genuine file still imports, once.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_county_cli import county, stats_of
from tests_support import fill_outbox

from app.county.database import open_database
from app.county.errors import Refused
from app.county.intake import import_bundle
from app.county.keys import register_by_name
from app.store import Store
from app.sync import exchange, signing
from app.sync.bundle import MANIFEST, SIGNATURE, Signer, fingerprint
from app.sync.protocol import sha256_hex

pytestmark = pytest.mark.usefixtures("pinned_today")
pytest_plugins = ["keyring_support"]

#: A stand-in for another township's desk, registered with the county as 红土乡.
HONGTU = Signer.new()


@pytest.fixture
def county_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A county that knows 青石镇 and 红土乡, with 红土乡's key registered."""
    db = str(tmp_path / "county.sqlite3")
    for name in ("青石镇", "红土乡"):
        assert county("token", "add", name, "--db", db, capsys=capsys)[0] == 0
    code, out, _ = county("township-key", "红土乡", "--public-key", HONGTU.public_text,
                          "--db", db, capsys=capsys)
    assert code == 0 and fingerprint(HONGTU.public_text) in out
    return db


@pytest.fixture
def genuine(store: Store, tmp_path: Path, county_db: str, no_keyring: Path,
            capsys: pytest.CaptureFixture[str]) -> Path:
    """青石镇's desk exports three notices (one with a photo); staff register its key by file."""
    fill_outbox(store, 3, 1)
    out = tmp_path / "报送.zip"
    exchange.export_bundle(store, out)
    key_file = tmp_path / "青石镇公钥.txt"
    key_file.write_text(store.get_setting(signing.DESK_KEY, "") + "\n", encoding="utf-8")
    code, said, _ = county("township-key", "青石镇", "--public-key", str(key_file),
                           "--db", county_db, capsys=capsys)
    assert code == 0 and signing.key_status(store)["fingerprint"] in said
    return out


def parts_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rebuild(genuine: Path, out: Path, change: Callable[[list[dict]], None],
            sign: Signer | None | str = "keep", township: str | None = None) -> Path:
    """The forger's work: change the batch documents, recompute every hash, write a new zip.

    ``sign``: "keep" copies the genuine signature, a Signer signs anew, None leaves it off.
    """
    parts = parts_of(genuine)
    head = json.loads(parts[MANIFEST])
    names = [f"batches/{b}.json" for b in head["batch_ids"]]
    documents = [json.loads(parts[n]) for n in names]
    change(documents)
    if township:
        head["township"] = township
        for doc in documents:
            doc["township"] = township
    for name, doc in zip(names, documents, strict=True):
        parts[name] = json.dumps(doc, ensure_ascii=False, sort_keys=True).encode("utf-8")
    head["parts"] = [{"name": n, "sha256": sha256_hex(d), "size": len(d)}
                     for n, d in sorted(parts.items()) if n not in (MANIFEST, SIGNATURE)]
    parts[MANIFEST] = json.dumps(head, ensure_ascii=False, indent=1).encode("utf-8")
    if sign is None:
        parts.pop(SIGNATURE)
    elif isinstance(sign, Signer):
        parts[SIGNATURE] = sign.signature(parts[MANIFEST])
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out


def notices_in(documents: list[dict]) -> list[dict]:
    return [n["notice"] for doc in documents for n in doc["notices"]]


def retitle(documents: list[dict]) -> None:
    notices_in(documents)[0]["title"] = "青石镇关于取消全部低保的通知"


def swap_bodies(documents: list[dict]) -> None:
    first, second = notices_in(documents)[:2]
    first["body"], second["body"] = "第二条的正文", "第一条的正文"


def withdraw_all(documents: list[dict]) -> None:
    for notice in notices_in(documents):
        notice["status"] = "withdrawn"


def unchanged(documents: list[dict]) -> None:
    """No change to the content (the forgery is in the signature or the township)."""


FORGERIES = {
    "changed title": (retitle, "keep", None, "签名对不上"),
    "two bodies swapped": (swap_bodies, "keep", None, "签名对不上"),
    "every notice withdrawn": (withdraw_all, "keep", None, "签名对不上"),
    "another township's name": (unchanged, "keep", "红土乡", "「青石镇」的密钥"),
    "unsigned": (retitle, None, None, "没有签名"),
    "signed by another township's key": (retitle, HONGTU, None, "「红土乡」的密钥"),
    "signed by a key nobody registered": (retitle, Signer.new(), None, "签名对不上"),
}


@pytest.mark.parametrize("forgery", list(FORGERIES))
def test_every_forged_file_is_refused_and_nothing_of_it_is_stored(
        forgery: str, genuine: Path, county_db: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    change, sign, township, words = FORGERIES[forgery]
    before = stats_of(county_db, capsys)
    forged = rebuild(genuine, tmp_path / "forged.zip", change, sign, township)
    code, out, err = county("import", str(forged), "--db", county_db, capsys=capsys)
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and words in err, err
    assert "Traceback" not in err
    assert stats_of(county_db, capsys) == before == {**before, "notices": 0, "batches": 0}


def test_the_genuine_file_imports_once_and_a_replay_is_recognised(
        genuine: Path, county_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = county("import", str(genuine), "--db", county_db, capsys=capsys)
    assert code == 0 and "已导入青石镇的U盘文件：1个新批次，3条公开信息，1个新附件" in out
    totals = stats_of(county_db, capsys)
    assert (totals["notices"], totals["batches"], totals["attachments"]) == (3, 1, 1)
    code, out, _ = county("import", str(genuine), "--db", county_db, capsys=capsys)
    assert code == 0 and "此前都已收到" in out
    assert stats_of(county_db, capsys) == totals


def test_a_file_signed_by_a_replaced_or_revoked_key_is_refused(
        store: Store, genuine: Path, county_db: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    old = signing.desk_signer(store)
    assert old is not None
    new = signing.new_signer()
    db = open_database(county_db)
    try:
        assert register_by_name(db, "青石镇", new.public_text, "张科长").replaced
    finally:
        db.close()
    code, _, err = county("import", str(genuine), "--db", county_db, capsys=capsys)
    assert code == 1 and "旧密钥" in err
    resigned = rebuild(genuine, tmp_path / "new-key.zip", unchanged, new)
    code, _, err = county("township-key", "青石镇", "--revoke", "--db", county_db, capsys=capsys)
    assert code == 0
    code, _, err = county("import", str(resigned), "--db", county_db, capsys=capsys)
    assert code == 1 and len(err.strip().splitlines()) == 1 and "密钥" in err
    assert stats_of(county_db, capsys)["notices"] == 0


def test_a_file_of_a_township_without_a_registered_key_says_how_to_register(
        store: Store, tmp_path: Path, county_db: str, no_keyring: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    fill_outbox(store, 1, 0)
    out = tmp_path / "报送.zip"
    exchange.export_bundle(store, out)
    code, _, err = county("import", str(out), "--db", county_db, capsys=capsys)
    assert code == 1 and "还没有在县级平台登记签名公钥" in err and "township-key" in err


# -- manifest shapes ----------------------------------------------------------------------

#: The shapes issue 16 names, each with a one-sentence refusal.
SHAPES = {
    "parts holds a string": lambda h: h.update(parts="blobs/abc"),
    "parts holds null": lambda h: h.update(parts=None),
    "batch_ids is a number": lambda h: h.update(batch_ids=7),
    "a part is a list": lambda h: h["parts"].__setitem__(0, ["name"]),
    "township is a number": lambda h: h.update(township=12),
}


def resign(genuine: Path, out: Path, edit: Callable[[dict], None], signer: Signer,
           batch_text: bytes | None = None) -> Path:
    """The genuine desk signs a manifest changed by ``edit`` (a buggy or hostile desk)."""
    parts = parts_of(genuine)
    head = json.loads(parts[MANIFEST])
    if batch_text is not None:
        name = f"batches/{head['batch_ids'][0]}.json"
        parts[name] = batch_text
        for part in head["parts"]:
            if part["name"] == name:
                part.update(sha256=sha256_hex(batch_text), size=len(batch_text))
    edit(head)
    parts[MANIFEST] = json.dumps(head, ensure_ascii=False).encode("utf-8")
    parts[SIGNATURE] = signer.signature(parts[MANIFEST])
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out


@pytest.mark.parametrize("shape", [*SHAPES, "a batch part that is not JSON"])
def test_a_signed_manifest_of_the_wrong_shape_is_one_sentence(
        shape: str, store: Store, genuine: Path, county_db: str, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    signer = signing.desk_signer(store)
    assert signer is not None
    edit = SHAPES.get(shape, lambda h: None)
    text = b"{not json" if shape not in SHAPES else None
    path = resign(genuine, tmp_path / "shape.zip", edit, signer, text)
    code, out, err = county("import", str(path), "--db", county_db, capsys=capsys)
    assert code == 1 and out == "" and len(err.strip().splitlines()) == 1, err
    assert stats_of(county_db, capsys)["notices"] == 0


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                  max_size=4),
    max_leaves=12)
#: The fields a reader relies on (``created`` and ``county`` are only shown).
FIELDS = ("format", "version", "township", "batch_ids", "parts", "name", "size")


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(FIELDS), value=JSON, whole=st.booleans(), part=st.booleans())
def test_fuzz_random_json_in_a_signed_manifest_is_refused_in_one_sentence(
        field: str, value: object, whole: bool, part: bool, store: Store, genuine: Path,
        county_db: str, tmp_path: Path) -> None:
    signer = signing.desk_signer(store)
    assert signer is not None
    original = json.loads(parts_of(genuine)[MANIFEST])

    def edit(head: dict) -> None:
        if whole:
            head.clear()
            if isinstance(value, dict):
                head.update(value)
            else:
                head["format"] = value
        elif part or field in ("name", "size"):
            head["parts"][0][field if field in ("name", "size") else "sha256"] = value
        else:
            head[field] = value
        assume(head != original)

    path = resign(genuine, tmp_path / "fuzz.zip", edit, signer)
    db = open_database(county_db)
    try:
        with pytest.raises(Refused) as refused:
            import_bundle(db, path)
        with db.read() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM notices").scalar() == 0
            assert conn.exec_driver_sql("SELECT count(*) FROM blobs").scalar() == 0
    finally:
        db.close()
    sentence = str(refused.value)
    assert sentence and "\n" not in sentence and sentence.endswith("。")
