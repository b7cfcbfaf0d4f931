"""A catalog revision from the real county server: pulled, previewed, then applied or set aside."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_county_cli import county_process, serve_process  # noqa: F401  (fixture)

from app.catalog.items import list_items
from app.desk import open_desk
from app.sync import catalog_offers


def county_revision(folder: Path, out: Path) -> dict[str, str]:
    """The township's own catalog as the county revises it: one changed, one dropped, one new."""
    with open_desk(folder) as store:
        items = [i.to_json() for i in list_items(store, "社会救助")]
    changed, dropped = items[0], items[1]
    changed["time_limit"] = "信息形成或变更之日起10个工作日内"
    fresh = dict(items[2], id="SHJZ-COUNTY-1", level2="临时救助备用金", level3="发放情况",
                 seq=len(items) + 1)
    revised = [i for i in items if i["id"] != dropped["id"]] + [fresh]
    out.write_text(json.dumps(revised, ensure_ascii=False), encoding="utf-8")
    return {"changed": changed["id"], "dropped": dropped["id"], "new": fresh["level2"]}


@pytest.fixture
def county(serve_process, gk, monkeypatch, tmp_path):  # noqa: F811
    """A running county with a revised catalog, and a township logged in to it."""
    db = str(serve_process["db"])
    token = county_process("token", "add", "青石镇", "--db", db).stdout.split()[0]
    gk("catalog", "domains")  # creates the data folder with the default catalog
    facts = county_revision(gk.folder, tmp_path / "rev.json")
    loaded = county_process("catalog", "load", str(tmp_path / "rev.json"), "--db", db)
    assert loaded.returncode == 0, loaded.stderr
    serve_process["start"]()
    monkeypatch.setenv("GONGKAI_COUNTY_TOKEN", token)
    gk("sync", "login", "--server", f"http://127.0.0.1:{serve_process['port']}")
    return facts


def test_pulled_catalog_is_previewed_first_then_applied_once(gk, county) -> None:
    pulled = gk.json("sync", "pull")
    assert pulled["catalog_version"] == 1 and pulled["catalog_items"] > 2
    assert gk.json("sync", "status")["catalog_offer"]["version"] == 1
    before = gk.json("catalog", "list", "--domain", "社会救助")

    preview = gk("sync", "catalog").stdout
    assert "预览（尚未写入）：县级平台目录第1版" in preview
    assert "新增 1 项、更新 1 项、停用 1 项" in preview
    assert county["new"] in preview and "停用" in preview and "（公开时限）" in preview
    assert gk.json("catalog", "list", "--domain", "社会救助") == before  # nothing written

    applied = gk.json("sync", "catalog", "--apply")
    section = applied["domains"][0]
    assert (section["added"], section["changed"], section["retired"]) == (1, 1, 1)
    after = {i["id"]: i for i in gk.json("catalog", "list", "--domain", "社会救助")}
    assert county["dropped"] not in after
    assert after[county["changed"]]["time_limit"] == "信息形成或变更之日起10个工作日内"
    assert any(i["level2"] == county["new"] for i in after.values())

    assert gk.json("sync", "status")["catalog_offer"] is None
    again = gk.json("sync", "pull")
    assert again["catalog_version"] is None  # the county does not offer it twice
    refused = gk("sync", "catalog", check=False)
    assert refused.returncode != 0 and "没有发来新的目录" in refused.stderr


def test_a_declined_catalog_changes_nothing_and_is_not_offered_again(gk, county) -> None:
    gk("sync", "pull")
    before = gk.json("catalog", "list")
    assert "已搁置县级平台目录第1版" in gk("sync", "catalog", "--decline").stdout
    assert gk.json("catalog", "list") == before
    assert gk.json("sync", "pull")["catalog_version"] is None


def test_keep_others_applies_changes_without_retiring(gk, county) -> None:
    gk("sync", "pull")
    applied = gk.json("sync", "catalog", "--apply", "--keep-others")
    assert applied["domains"][0]["retired"] == 0
    ids = {i["id"] for i in gk.json("catalog", "list", "--domain", "社会救助")}
    assert county["dropped"] in ids


def test_an_offer_survives_reopening_and_a_newer_one_replaces_it(data_dir) -> None:
    with open_desk(data_dir) as store:
        catalog_offers.keep_offer(store, 2, [{"id": "A"}], "https://x")
        catalog_offers.keep_offer(store, 3, [{"id": "B"}, {"id": "C"}], "https://x")
    with open_desk(data_dir) as store:
        offer = catalog_offers.offered(store)
        assert offer is not None and (offer.version, len(offer.items)) == (3, 2)
        assert offer.name == "县级平台目录第3版"
