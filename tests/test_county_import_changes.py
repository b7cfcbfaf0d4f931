"""What a county table changes in the catalog: only what it truly says differently.

A column the table lacks keeps the catalog's value; a row that only moved is no
revision; a changed row says which fields change, from what to what; a wrapped
piece that matches no channel is a warning in the preview and ``--json``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import table_builders as tb
from table_builders import BOARD

from app.catalog.importing import import_catalog
from app.catalog.item import CatalogItem
from app.catalog.items import list_items


def revisions(store) -> int:
    return store.scalar("SELECT count(*) FROM catalog_items")


def relief_items() -> list[CatalogItem]:
    d = "救灾"
    return [
        tb.item(d, 1, "救灾款物", "款物来源", ["款物来源", "款物数量"], tb.BASIS_JIUZAI, tb.TL_NOW,
                ["政府网站", "公开查阅点"], ["全社会"], ["主动"], ["县级", "乡级"]),
        tb.item(d, 2, "救灾款物", "发放信息", ["救助对象姓名", "发放数量"], tb.BASIS_JIUZAI,
                tb.TL_PUBLIC, ["入户/现场", BOARD], ["特定群体"], ["主动"], ["乡级"]),
        tb.item(d, 3, "灾情信息", "灾情通报", ["受灾情况", "救助措施"], tb.BASIS_JIUZAI, tb.TL_NOW,
                ["政府网站"], ["全社会"], ["主动", "依申请"], ["县级"]),
    ]


def current(store) -> dict[str, CatalogItem]:
    """The catalog's items of relief_items() (the default catalog has 救灾 items too)."""
    mine = {(i.level1, i.level2) for i in relief_items()}
    return {i.level2: i for i in list_items(store, "救灾") if (i.level1, i.level2) in mine}


# --------------------------------------------------------------------------- absent columns


def test_a_table_without_levels_keeps_the_catalogs_levels(store, tmp_path: Path) -> None:
    items = relief_items()
    import_catalog(store, tb.county_table(tmp_path / "全.xlsx", items))
    before, count = current(store), revisions(store)
    assert before["款物来源"].levels == ["县级", "乡级"]

    path = tb.county_table(tmp_path / "无层级.xlsx", items, drop=("县级", "乡级"))
    preview = import_catalog(store, path, dry_run=True)
    assert tb.NO_LEVEL_WARNING in preview.warnings
    (section,) = preview.sections
    assert (len(section.changed), len(section.unchanged)) == (0, 3)
    done = import_catalog(store, path)
    assert sum(len(s.changed) for s in done.sections) == 0
    assert revisions(store) == count
    assert {k: i.levels for k, i in current(store).items()} == {
        k: i.levels for k, i in before.items()}


def test_a_table_without_a_column_changes_only_what_it_has(store, tmp_path: Path) -> None:
    items = relief_items()
    import_catalog(store, tb.county_table(tmp_path / "全.xlsx", items))
    count = revisions(store)
    edited = [dataclasses.replace(it) for it in items]
    edited[1].basis = "《自然灾害救助条例》（2019年修订）"
    path = tb.county_table(tmp_path / "无主体.xlsx", edited, drop=("公开主体", "县级", "乡级"))
    report = import_catalog(store, path)
    assert any("没有公开主体列" in w for w in report.warnings)
    (section,) = report.sections
    assert [i.level2 for i in section.changed] == ["发放信息"]
    assert section.changes[section.changed[0].id] == {
        "公开依据": (tb.BASIS_JIUZAI, "《自然灾害救助条例》（2019年修订）")}
    assert revisions(store) == count + 1
    now = current(store)
    assert {i.subject for i in now.values()} == {tb.TOWN}  # not blanked
    assert now["款物来源"].levels == ["县级", "乡级"] and now["灾情通报"].levels == ["县级"]


def test_new_rows_of_a_table_without_levels_are_township_items(store, tmp_path: Path) -> None:
    path = tb.county_table(tmp_path / "无层级.xlsx", relief_items(), drop=("县级", "乡级"))
    import_catalog(store, path)
    assert {tuple(i.levels) for i in current(store).values()} == {("乡级",)}


# --------------------------------------------------------------------------- moved rows


def test_renumbered_rows_are_not_new_revisions(store, tmp_path: Path) -> None:
    items = relief_items()
    import_catalog(store, tb.county_table(tmp_path / "全.xlsx", items))
    count = revisions(store)
    moved = [dataclasses.replace(it, seq=len(items) - n) for n, it in enumerate(items)]
    path = tb.county_table(tmp_path / "重排.xlsx", moved[::-1])
    preview = import_catalog(store, path, dry_run=True).to_json()
    (section,) = preview["domains"]
    assert (section["changed"], section["unchanged"], section["moved"]) == (0, 3, 2)
    assert {r["title"]: r.get("moved_from") for r in section["items"]} == {
        "救灾款物 › 款物来源": 1, "救灾款物 › 发放信息": None, "灾情信息 › 灾情通报": 3}
    assert "2 项只调整序号" in import_catalog(store, path, dry_run=True).summary()
    import_catalog(store, path)
    assert revisions(store) == count
    order = [i.level2 for i in list_items(store, "救灾")]
    assert [n for n in order if n in current(store)] == ["灾情通报", "发放信息", "款物来源"]
    again = import_catalog(store, path).to_json()["domains"][0]
    assert (again["changed"], again["moved"]) == (0, 0)


def test_a_true_change_says_which_fields_change_from_what(store, tmp_path: Path) -> None:
    items = relief_items()
    import_catalog(store, tb.county_table(tmp_path / "全.xlsx", items))
    edited = [dataclasses.replace(it) for it in items]
    edited[0] = dataclasses.replace(items[0], seq=9, time_limit=tb.TL_FORMED,
                                    channels=["政府网站"])
    report = import_catalog(store, tb.county_table(tmp_path / "改.xlsx", edited), dry_run=True)
    (section,) = report.to_json()["domains"]
    assert (section["changed"], section["unchanged"]) == (1, 2)
    (row,) = [r for r in section["items"] if r["action"] == "changed"]
    assert row["fields"] == ["公开时限", "公开渠道"]  # 序号 moved too, and is not a change
    assert row["diff"] == {
        "公开时限": {"from": tb.TL_NOW, "to": tb.TL_FORMED},
        "公开渠道": {"from": ["政府网站", "公开查阅点"], "to": ["政府网站"]},
    }


# --------------------------------------------------------------------------- channels


def test_wrapped_tables_import_the_channels_they_hold(store, tmp_path: Path) -> None:
    for build in (tb.build_xlsx_wrapped, tb.build_docx_wrapped):
        built = build(tmp_path)
        report = import_catalog(store, built.path)
        assert report.warnings == []
        got = {i.level2: i.channels for i in list_items(store, "社会救助")}
        assert all(got[it.level2] == it.channels for it in built.items)
        assert not any(c.startswith(("(", "（")) for cs in got.values() for c in cs)


def test_learned_channel_names_join_wrapped_pieces(store, tmp_path: Path) -> None:
    first = relief_items()[:1]
    first[0].channels = ["政府网站", "村级微信群"]
    report = import_catalog(store, tb.county_table(tmp_path / "一.xlsx", first,
                                                channels={1: "■政府网站 ■村级微信群"}))
    # A name of its own (a box before it) is kept as written, and said so.
    assert report.warnings == [
        "表中有目录里还没有的公开渠道「村级微信群」，已按表中写法作为新渠道导入"]
    second = relief_items()[1:2]
    cell = {2: "■入户/现场 ■村级\n微信群"}
    path = tb.county_table(tmp_path / "二.xlsx", second, channels=cell)
    report = import_catalog(store, path)
    assert report.warnings == []
    assert current(store)["发放信息"].channels == ["入户/现场", "村级微信群"]
    # Where the catalog never held the name, the same cell is a warning, not a channel.
    other = relief_items()[2:]
    path = tb.county_table(tmp_path / "三.xlsx", other, channels={3: "■政府网站 ■乡级\n短信群"})
    report = import_catalog(store, path)
    assert any("“乡级 短信群”" in w for w in report.warnings), report.warnings
    assert current(store)["灾情通报"].channels == ["政府网站"]


def test_fragment_is_a_warning_in_the_json_report(gk, tmp_path: Path) -> None:
    built = tb.build_xlsx_fragment(tmp_path)
    preview = gk.json("catalog", "import", str(built.path), "--dry-run")
    assert tb.FRAGMENT_WARNING in preview["warnings"]
    done = gk.json("catalog", "import", str(built.path))
    assert tb.FRAGMENT_WARNING in done["warnings"]
    items = gk.json("catalog", "list", "--domain", "社会救助")
    (got,) = [i for i in items if i["level2"] == "审核信息" and i["level1"] == "最低生活保障"]
    assert got["channels"] == [BOARD]
    assert not any("电子显示屏" in c for i in items for c in i["channels"])
