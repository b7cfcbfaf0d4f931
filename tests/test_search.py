"""Search: any words of any column, 2-character queries, best first."""

from app.catalog import search


def test_dibao_finds_social_assistance_first(gk) -> None:
    hits = gk.json("catalog", "search", "低保")
    assert hits, "低保 found nothing"
    assert hits[0]["domain"] == "社会救助"
    first_other = next((n for n, h in enumerate(hits) if h["domain"] != "社会救助"), len(hits))
    assert all(h["domain"] == "社会救助" for h in hits[:first_other])
    assert any("最低生活保障" in h["level1"] + h["level2"] for h in hits[:3])


def test_two_character_queries(store) -> None:
    for query, domain in (("危房", "农村危房改造"), ("补贴", "涉农补贴"), ("预算", "财政预决算")):
        hits = search.search(store, query)
        assert hits and hits[0].item.domain == domain, (query, [h.item.domain for h in hits[:3]])


def test_all_words_must_match_and_scores_descend(store) -> None:
    hits = search.search(store, "低保 公示")
    assert hits
    for hit in hits:
        text = "".join(hit.item.to_json()[k] if isinstance(hit.item.to_json()[k], str) else
                       "".join(hit.item.to_json()[k]) for k in
                       ("level1", "level2", "level3", "domain", "elements", "basis",
                        "time_limit", "subject", "channels"))
        assert "公示" in text
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_exact_id_and_nothing_found(store) -> None:
    some = search.search(store, "低保")[0].item
    assert search.search(store, some.id)[0].item.id == some.id
    assert search.search(store, "火星移民") == []
    assert search.search(store, "   ") == []


def test_index_follows_catalog_changes(store) -> None:
    from app.catalog import domains

    before = search.search(store, "低保")
    domains.set_hidden(store, "社会救助", True)
    after = search.search(store, "低保")
    assert all(h.item.domain != "社会救助" for h in after)
    assert len(after) < len(before)
