"""The county's word is never overwritten by an older one, whatever order push, pull, USB come."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from keyring_support import no_keyring  # noqa: F401  (fixture)
from test_county_cli import county_process, serve_process  # noqa: F401  (fixture)
from test_sync_e2e import token_for
from tests_support import approve_step

from app.county.answers import mark
from app.county.database import open_database
from app.desk import open_desk
from app.notices import drafts, review
from app.sync import exchange
from app.township import set_township

# no_keyring: the desk's signing key goes to the test's own folder, not the user's.
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("pinned_today", "no_keyring")]

REASON = "照片不清楚，请重拍"


def _desk(folder: Path, township: str, notices: int):
    store = open_desk(folder)
    set_township(store, township, "东山县", "0551-62345678")
    review.set_review_steps(store, 1)
    ids = []
    for k in range(notices):
        n = drafts.create_notice(store, "shjz-002", formed="2026-11-20",
                                 title=f"{township}第{k + 1}批低保审核信息公示")
        approve_step(store, n.id, "王明")
        ids.append(n.id)
    return store, ids


def _township_id(db: str, name: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT id FROM townships WHERE name = ?", (name,)).fetchone()[0])


def _county_state(db: str, township: int) -> dict[str, tuple[str, str | None]]:
    with sqlite3.connect(db) as conn:
        return {r[0]: (r[1], r[2] or None) for r in conn.execute(
            "SELECT notice_id, state, reason FROM notices WHERE township_id = ?", (township,))}


def _desk_state(store, ids) -> dict[str, tuple[str, str | None]]:
    return {i: (drafts.get_notice(store, i).sync, drafts.get_notice(store, i).county_reason)
            for i in ids}


def _usb(store, db: str, folder: Path) -> None:
    """Carry every waiting batch to the county on a stick; the desk hears nothing back."""
    out = folder / f"u{random.random():.9f}.zip"
    if exchange.export_bundle(store, out):
        done = county_process("import", str(out), "--db", db)
        # Taken, or every batch in it had come before: never refused (it is signed).
        assert done.returncode == 0 or "此前都已收到" in done.stdout + done.stderr, done.stderr


def _push(store) -> None:
    with exchange.connect(store) as client:
        exchange.push(store, client)


def _pull(store) -> None:
    with exchange.connect(store) as client:
        exchange.pull(store, client)


AS_DESK = {"received": "accepted", "published": "accepted", "returned": "returned"}


def _agree(store, ids, db: str, township: int) -> None:
    county = _county_state(db, township)
    desk = _desk_state(store, ids)
    for nid in ids:
        state, reason = county[nid]
        assert desk[nid] == (AS_DESK[state], reason if state == "returned" else None), nid


def _connect(serve_process, store, monkeypatch, township: str) -> str:  # noqa: F811
    db = str(serve_process["db"])
    token = token_for(db, township)
    monkeypatch.setenv(exchange.TOKEN_ENV, token)
    # Logging in registers the desk's signing key, so its USB files are taken.
    exchange.login(store, f"http://127.0.0.1:{serve_process['port']}", token, keep=False)
    return db


def test_a_return_survives_usb_then_pull_then_push(serve_process, tmp_path,  # noqa: F811
                                                   monkeypatch) -> None:
    """The issue's sequence: export to USB, import, staff return, pull, push."""
    serve_process["start"]()
    store, ids = _desk(tmp_path / "desk", "青石镇", 3)
    db = _connect(serve_process, store, monkeypatch, "青石镇")
    _usb(store, db, tmp_path)
    township = _township_id(db, "青石镇")
    mark(open_database(db), township, ids[0], "returned", reason=REASON, staff="张科长")
    _pull(store)
    assert drafts.get_notice(store, ids[0]).sync == "returned"  # shown at once
    _push(store)  # the USB batch comes back replayed: its old receipt must not win
    returned = drafts.get_notice(store, ids[0])
    assert (returned.sync, returned.county_reason) == ("returned", REASON)
    _pull(store)
    _agree(store, ids, db, township)
    rows = store.query("SELECT notice_id, seq, COUNT(*) AS n FROM county_replies"
                       " GROUP BY notice_id, seq HAVING n > 1")
    assert rows == []  # a replayed receipt adds no duplicate reply
    store.close()


@pytest.mark.parametrize("seed", range(10))
def test_any_interleaving_ends_in_the_countys_state(serve_process, tmp_path,  # noqa: F811
                                                    monkeypatch, seed) -> None:
    """Random push, pull, USB, staff marks and re-approvals; at the end both sides agree."""
    rng = random.Random(seed)
    serve_process["start"]()
    name = f"测试{seed}镇"
    store, ids = _desk(tmp_path / "desk", name, 4)
    db = _connect(serve_process, store, monkeypatch, name)
    county = open_database(db)
    township = None
    for _ in range(12):
        step = rng.choice(["push", "pull", "usb", "mark", "mark", "revise"])
        if step == "push":
            _push(store)
        elif step == "pull":
            _pull(store)
        elif step == "usb":
            _usb(store, db, tmp_path)
        elif step == "mark":
            township = township or (_township_id(db, name) if _county_state_any(db, name)
                                    else None)
            known = _county_state(db, township) if township else {}
            if known:
                nid = rng.choice(sorted(known))
                if rng.random() < 0.5:
                    mark(county, township, nid, "returned", reason=f"{REASON}{rng.randint(1, 9)}")
                else:
                    # The 低保 notices are 不上网: staff confirm they go online all the same.
                    mark(county, township, nid, "published",
                         url=f"https://www.example.gov.cn/gk/{rng.randint(1, 99)}.html",
                         confirm_online=True, online_reason="县民政局同意在专栏公开")
        elif step == "revise":
            nid = rng.choice(ids)
            n = drafts.get_notice(store, nid)
            if n.status == "approved":
                drafts.edit_notice(store, nid, body=n.body + f"\n补充{rng.randint(1, 99)}")
                approve_step(store, nid, "李华")
    # However it went, two rounds of push and pull bring the desk to the county's word.
    for _ in range(2):
        _push(store)
        _pull(store)
    _agree(store, ids, db, _township_id(db, name))
    store.close()


def _county_state_any(db: str, name: str) -> bool:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT 1 FROM townships WHERE name = ?", (name,)).fetchone() \
            is not None
