"""Catalog revisions, domains as data, and imports that are all or nothing."""

import hashlib
import json
from pathlib import Path

import pytest

from app import paths
from app.catalog import domains
from app.catalog.importing import import_catalog
from app.catalog.items import get_item, item_revisions, list_items, versions
from app.errors import UserError


def write_catalog(path: Path, items: list[dict], label: str = "县里的修订") -> Path:
    doc = {"format": "gongkai-catalog", "format_version": 1, "label": label, "items": items}
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def db_digest(folder: Path) -> str:
    return hashlib.sha256(paths.db_path(folder).read_bytes()).hexdigest()


def test_changed_item_gets_a_revision_and_the_old_one_stays(store, tmp_path) -> None:
    old = list_items(store, "社会救助")[0]
    new = old.to_json() | {"time_limit": "信息形成之日起15个工作日内"}
    report = import_catalog(store, write_catalog(tmp_path / "rev.json", [new]))
    section = report.sections[0]
    assert (len(section.changed), len(section.added), len(section.retired)) == (1, 0, 0)
    current = get_item(store, old.id)
    assert current.rule == {"kind": "workdays", "n": 15, "publicity": None}
    assert get_item(store, old.id, rev=1).time_limit == old.time_limit
    revs = item_revisions(store, old.id)
    assert [r["rev"] for r in revs] == [2, 1] and revs[0]["active"] == 1
    assert len(versions(store)) == 2


def test_replace_retires_missing_items_but_keeps_them_readable(store, tmp_path) -> None:
    items = list_items(store, "就业")
    keep = [i.to_json() for i in items[:2]]
    report = import_catalog(store, write_catalog(tmp_path / "r.json", keep), replace=True)
    assert len(report.sections[0].retired) == len(items) - 2
    assert [i.id for i in list_items(store, "就业")] == [i.id for i in items[:2]]
    gone = items[-1]
    assert get_item(store, gone.id).level1 == gone.level1


def test_dry_run_writes_nothing(store, data_dir, tmp_path) -> None:
    item = list_items(store, "就业")[0].to_json() | {"basis": "《新依据》"}
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = db_digest(data_dir)
    report = import_catalog(store, write_catalog(tmp_path / "d.json", [item]), dry_run=True)
    assert report.dry_run and len(report.sections[0].changed) == 1
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert db_digest(data_dir) == before
    assert get_item(store, item["id"]).basis != "《新依据》"


def new_domain_item(domain: str) -> dict:
    return {"id": "", "domain": domain, "seq": 1, "level1": "户口登记", "level2": "办事指南",
            "elements": ["办理条件", "所需材料"], "basis": "《中华人民共和国户口登记条例》",
            "time_limit": "信息形成之日起20个工作日内", "subject": "派出所",
            "channels": ["政府网站"], "audience": ["全社会"], "mode": ["主动"], "levels": ["乡级"]}


def test_new_domain_needs_confirmation(gk, tmp_path) -> None:
    file = write_catalog(tmp_path / "hj.json", [new_domain_item("户籍管理")])
    preview = gk.json("catalog", "import", str(file), "--dry-run")
    assert preview["new_domains"] == ["户籍管理"]
    refused = gk("catalog", "import", str(file), check=False)
    assert refused.returncode == 1 and "户籍管理" in refused.stderr
    assert "户籍管理" not in [d["name"] for d in gk.json("catalog", "domains")]
    done = gk.json("catalog", "import", str(file), "--add-domain", "户籍管理")
    assert done["domains"][0]["added"] == 1
    rows = {d["name"]: d["items"] for d in gk.json("catalog", "domains")}
    assert rows["户籍管理"] == 1 and len(rows) == 14
    added = gk.json("catalog", "list", "--domain", "户籍管理")[0]
    assert added["id"].startswith("d") and added["level1"] == "户口登记"


@pytest.mark.parametrize(("label", "domain"), [("救灾生产", "救灾"), ("乡村振兴", "扶贫"),
                                               ("巩固拓展脱贫攻坚成果", "扶贫")])
def test_aliases_map_to_the_townships_domain(store, tmp_path, label, domain) -> None:
    item = new_domain_item(label) | {"level1": "测试事项"}
    report = import_catalog(store, write_catalog(tmp_path / "a.json", [item]))
    assert report.sections[0].domain == domain and not report.new_domains()
    assert any(i.level1 == "测试事项" for i in list_items(store, domain))


def test_clerk_alias_and_health_synonyms(store) -> None:
    domains.add_domain(store, "医疗卫生")
    assert domains.resolve_domain(store, "卫生健康") == "医疗卫生"
    domains.add_alias(store, "民政救助", "社会救助")
    assert domains.resolve_domain(store, "民 政 救 助") == "社会救助"


def test_domain_can_be_hidden_but_not_dropped(store) -> None:
    domains.set_hidden(store, "公共法律服务", True)
    assert "公共法律服务" not in [d.name for d in domains.list_domains(store)]
    assert "公共法律服务" in [d.name for d in domains.list_domains(store, include_hidden=True)]
    with pytest.raises(UserError, match="只能隐藏"):
        domains.remove_domain(store, "公共法律服务")
    assert list_items(store, "公共法律服务")
    domains.add_domain(store, "义务教育")
    domains.remove_domain(store, "义务教育")
    actions = [r["action"] for r in store.query("SELECT action FROM audit_log")]
    assert "domain.hide" in actions and "domain.remove" in actions


def test_unreadable_file_is_refused_in_one_sentence(gk, tmp_path, data_dir) -> None:
    gk("catalog", "domains")
    before = db_digest(data_dir)
    for name, content in (("x.xlsx", b"PK\x03\x04 broken"), ("x.json", b"{not json"),
                          ("x.pdf", b"%PDF-1.4")):
        file = tmp_path / name
        file.write_bytes(content)
        proc = gk("catalog", "import", str(file), check=False)
        assert proc.returncode == 1, name
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
        assert any("\u4e00" <= ch <= "\u9fff" for ch in lines[0])
    assert db_digest(data_dir) == before


def test_json_export_round_trip(gk, tmp_path) -> None:
    out = tmp_path / "catalog.json"
    gk("catalog", "export", str(out))
    before = gk.json("catalog", "list")
    report = gk.json("catalog", "import", str(out))
    assert sum(d["changed"] + d["added"] for d in report["domains"]) == 0
    assert gk.json("catalog", "list") == before


def test_file_ids_and_new_ids_never_collide(store, tmp_path) -> None:
    code = "shjz"
    taken = {i.id for i in list_items(store, "社会救助")}
    fresh = [new_domain_item("社会救助") | {"id": "", "level1": f"新事项{k}"} for k in range(3)]
    own = new_domain_item("社会救助") | {"id": f"{code}-900", "level1": "带编号的事项"}
    import_catalog(store, write_catalog(tmp_path / "ids.json", [own, *fresh]))
    items = list_items(store, "社会救助")
    ids = [i.id for i in items]
    assert len(ids) == len(set(ids)) == len(taken) + 4
    assert f"{code}-900" in ids
