"""The default catalog: 13 domains, real content in every column, the CONTRACT shape."""

import json

from app.catalog import domains
from app.catalog.items import ensure_default_catalog, list_items, versions
from app.catalog.timelimits import parse_time_limit
from app.facts import AUDIENCES, CHANNELS, DEFAULT_DOMAIN_NAMES, LEVELS, MODES

CONTRACT_KEYS = {"id", "domain", "seq", "level1", "level2", "elements", "basis", "time_limit",
                 "rule", "subject", "channels", "audience", "mode", "levels"}


def test_thirteen_domains_with_enough_items(gk) -> None:
    rows = gk.json("catalog", "domains")
    assert [r["name"] for r in rows] == list(DEFAULT_DOMAIN_NAMES)
    assert all(r["items"] >= 6 for r in rows), rows
    assert sum(r["items"] for r in rows) >= 100


def test_every_column_has_real_content(store) -> None:
    items = list_items(store)
    assert len({i.id for i in items}) == len(items)
    for item in items:
        data = item.to_json()
        assert CONTRACT_KEYS <= set(data)
        for key in ("level1", "level2", "basis", "time_limit", "subject"):
            assert data[key].strip(), (item.id, key)
        assert item.elements and all(e.strip() for e in item.elements), item.id
        assert "《" in item.basis, (item.id, item.basis)
        assert item.channels and set(item.channels) <= set(CHANNELS), item.id
        assert item.audience and set(item.audience) <= set(AUDIENCES), item.id
        assert item.mode and set(item.mode) <= set(MODES), item.id
        assert item.levels and set(item.levels) <= set(LEVELS), item.id
        assert item.rule == parse_time_limit(item.time_limit)
    unknown = [i.id for i in items if i.rule["kind"] == "unknown"]
    assert len(unknown) <= len(items) // 20, unknown


def test_contract_json_shape(gk) -> None:
    items = gk.json("catalog", "list", "--domain", "社会救助")
    first = items[0]
    assert CONTRACT_KEYS <= set(first)
    assert first["domain"] == "社会救助"
    assert isinstance(first["elements"], list) and isinstance(first["rule"], dict)
    assert "publicity" in first["rule"]
    json.dumps(first, ensure_ascii=False)


def test_default_loads_once_and_is_a_version(store) -> None:
    assert ensure_default_catalog(store) is False
    assert len(versions(store)) == 1
    assert [d.name for d in domains.list_domains(store)] == list(DEFAULT_DOMAIN_NAMES)
