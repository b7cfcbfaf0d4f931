"""County tables through the real command line: preview, import, export, re-import unchanged."""

from pathlib import Path

import pytest
import table_builders as tb

from app.catalog.importing import import_catalog
from app.catalog.items import list_items

BUILDERS = [tb.build_xlsx_merged, tb.build_xlsx_sheets, tb.build_xlsx_one_row,
            tb.build_xlsx_no_level, tb.build_xlsx_level3, tb.build_xlsx_channel_columns,
            tb.build_docx_vmerge, tb.build_docx_multi, tb.build_docx_title_row,
            tb.build_docx_spaced, tb.build_xlsx_wrapped, tb.build_docx_wrapped,
            tb.build_xlsx_fragment, tb.build_xlsx_shared_column]

FIELDS = ("level1", "level2", "level3", "elements", "basis", "time_limit", "rule", "subject",
          "channels", "audience", "mode", "levels")


@pytest.mark.parametrize("build", BUILDERS, ids=lambda b: b.__name__[6:])
def test_every_variant_imports_every_row(store, tmp_path: Path, build) -> None:
    built = build(tmp_path)
    domain = None if all(built.labels) else "社会救助"
    report = import_catalog(store, built.path, domain=domain)
    assert report.rows == len(built.items)
    for want in built.items:
        target = domain or want.domain
        # A 目录编号 in the file names the item it updates; otherwise 事项 names match.
        got = [i for i in list_items(store, target)
               if (i.id == want.id if want.id else
                   (i.level1, i.level2, i.level3) == (want.level1, want.level2, want.level3))]
        assert len(got) == 1, (target, want.title())
        for name in FIELDS:
            assert getattr(got[0], name) == getattr(want, name), (want.title(), name)


def test_preview_then_import_then_round_trip(gk, tmp_path: Path) -> None:
    built = tb.build_xlsx_sheets(tmp_path)
    preview = gk.json("catalog", "import", str(built.path), "--dry-run")
    assert preview["dry_run"] and preview["rows"] == len(built.items)
    assert {d["domain"] for d in preview["domains"]} == {"社会救助", "涉农补贴", "农村危房改造"}
    assert all(d["added"] + d["changed"] + d["unchanged"] == d["rows"]
               for d in preview["domains"])
    assert gk.json("catalog", "list") == gk.json("catalog", "list")  # nothing moved
    done = gk.json("catalog", "import", str(built.path))
    assert done["version"]
    assert sum(d["added"] + d["changed"] for d in done["domains"]) == len(built.items)
    before = gk.json("catalog", "list")
    for suffix in (".xlsx", ".docx", ".json"):
        out = tmp_path / f"export{suffix}"
        gk("catalog", "export", str(out))
        again = gk.json("catalog", "import", str(out))
        changed = sum(d["added"] + d["changed"] + d["retired"] for d in again["domains"])
        assert changed == 0, (suffix, [d for d in again["domains"] if d["changed"]])
        assert gk.json("catalog", "list") == before, suffix


def test_same_table_twice_changes_nothing(store, tmp_path: Path) -> None:
    built = tb.build_docx_vmerge(tmp_path)
    import_catalog(store, built.path, domain="社会救助")
    count = store.scalar("SELECT count(*) FROM catalog_items")
    second = import_catalog(store, built.path, domain="社会救助")
    assert sum(len(s.added) + len(s.changed) for s in second.sections) == 0
    assert store.scalar("SELECT count(*) FROM catalog_items") == count
