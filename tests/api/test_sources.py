"""``/api/v1/sources``: the sources the rules cite, and what in the code cites one of their articles."""

from __future__ import annotations


def test_every_source_is_listed_with_how_much_cites_it(api) -> None:
    response = api.get("/sources")
    assert response.status_code == 200
    sources = {s["id"]: s for s in response.json()}
    assert {"regulations", "exit-entry-law", "bj-personal-affairs", "sc-holidays-2026"} <= set(sources)
    assert sources["regulations"]["title"]["zh"] == "中华人民共和国外国人入境出境管理条例（2025年修订）"
    assert sources["regulations"]["cited_by"] > 100


def test_an_article_lists_its_paragraphs_but_not_a_longer_article(api) -> None:
    response = api.get("/sources/regulations", section="Art. 14")
    assert response.status_code == 200
    body = response.json()
    assert (body["source"]["id"], body["section"]) == ("regulations", "Art. 14")
    sections = {c["cite"]["section"] for c in body["cited_by"]}
    assert sections == {"Art. 14", "Art. 14 para. 1", "Art. 14 para. 2"}
    cap = next(c for c in body["cited_by"] if c["ref"] == "visa-extension eligibility.within-extension-cap")
    assert (cap["kind"], cap["kind_label"], cap["procedure_id"]) == (
        "rule",
        {"en": "Rule line", "zh": "规则条目"},
        "visa-extension",
    )
    assert api.get("/sources/regulations", section="Art. 140").json()["cited_by"] == []


def test_a_source_without_a_section_lists_everything_citing_it(api) -> None:
    body = api.get("/sources/exit-entry-law").json()
    assert body["section"] is None
    assert len(body["cited_by"]) == body["source"]["cited_by"]
    assert {"rule", "parameter", "permit-validity", "rule-function"} <= {c["kind"] for c in body["cited_by"]}


def test_an_unknown_source_is_404_in_the_error_shape_in_both_languages(api) -> None:
    response = api.get("/sources/regulation", section="Art. 14")
    assert response.status_code == 404
    (item,) = response.json()["detail"]
    assert item["field"] == "source_id"
    assert item["message"].startswith("There is no source 'regulation'; the sources are: ")
    assert item["message_zh"].startswith("没有“regulation”这一依据文件")


def test_the_sources_endpoints_are_described_in_the_openapi_document(api) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    answer = paths["/api/v1/sources/{source_id}"]["get"]["responses"]
    assert {"200", "404"} <= set(answer)
