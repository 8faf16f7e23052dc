"""The sources page: every source, and for an article everything in the code that cites it."""

from __future__ import annotations

from html import escape


def test_the_sources_page_lists_what_cites_an_article_with_links_to_the_guides(client) -> None:
    r = client.get("/en/sources/", {"source": "regulations", "section": "Art. 14"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Art. 14: cited by 8 lines" in html
    assert "<code>visa-extension eligibility.within-extension-cap</code>" in html
    assert "<code>exitentry.law.rules.stay.max_extension_days</code>" in html
    assert "<code>exitentry.law.rules.stay.extended_stay_last_day</code>" in html
    assert 'href="/en/guide/visa-extension/"' in html
    assert "<td>Art. 140</td>" not in html
    assert 'id="source-regulations"' in html  # the list of sources stays below


def test_the_chinese_sources_page_shows_the_parameter_that_holds_art_18s_working_days(client) -> None:
    r = client.get("/zh-hans/sources/", {"source": "regulations", "section": "Art. 18"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "<code>residence-permit-receipt-validity</code>" in html
    assert escape("居留证件受理回执的最长有效期，在此期间内作出决定：2013-09-01起为15个工作日") in html
    assert "参数" in html and "引用" in html


def test_an_unknown_source_on_the_sources_page_is_not_found(client) -> None:
    assert client.get("/en/sources/", {"source": "regulation"}).status_code == 404


def test_what_cites_a_guides_heading_names_each_lettered_item_in_the_pages_language(client) -> None:
    """The one-stop guide's "4. How to apply" a–c: each line's section reads "4. How to apply, item (b)" /
    四、办理方式（b）, not the catalog's "4. How to apply b" (nor English on the Chinese page)."""
    en = client.get("/en/sources/", {"source": "bj-one-stop", "section": "4. How to apply"}).content.decode()
    zh = client.get(
        "/zh-hans/sources/", {"source": "bj-one-stop", "section": "4. How to apply"}
    ).content.decode()
    assert "<td>4. How to apply, item (b)</td>" in en and "<td>4. How to apply b</td>" not in en
    assert "<td>四、办理方式（b）</td>" in zh and "How to apply" not in zh.split("<table", 1)[1]
