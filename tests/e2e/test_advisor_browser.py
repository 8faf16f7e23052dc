"""The personal-affairs advisor in a real headless Chromium, in both languages, clicked through with htmx."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from advisor_steps import FAMILY_VISITOR, answer_every_question

pytestmark = pytest.mark.browser

RESULTS = Path(__file__).resolve().parents[2] / "test-results"

TEXTS = {
    "en": {
        "continue": "Continue",
        "checklist": "Your checklist",
        "fee": "CNY 800",
        "answers": "Your answers",
        "cite": "Beijing guide to personal affairs residence permits, Materials",
    },
    "zh-hans": {
        "continue": "继续",
        "checklist": "您的材料清单",
        "fee": "800元",
        "answers": "您的回答",
        "cite": "《北京市外国人私人事务类居留许可及延期办事指南》申请材料",
    },
}


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_completing_the_personal_affairs_advisor(page, live_url, lang):
    text = TEXTS[lang]
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(f"{live_url}/{lang}/advisor/rp-personal-affairs/")
    page.wait_for_function("() => typeof window.htmx === 'object'")
    start_url = page.url
    answer_every_question(page, FAMILY_VISITOR, text["continue"])
    assert page.url == start_url  # htmx swapped the advisor in place, no navigation
    checklist = page.locator("section.checklist")
    checklist.wait_for()
    assert text["checklist"] in checklist.inner_text()
    assert text["fee"] in checklist.locator("table.fees tfoot").inner_text()
    assert checklist.locator("a.cite").count() > 10
    assert text["cite"] in checklist.inner_text()
    assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt", checklist.inner_text())
    assert page.get_by_role("heading", name=text["answers"]).is_visible()
    # the language switch now carries the answers to the other language
    other = "zh-hans" if lang == "en" else "en"
    assert (
        page.locator(
            f"#language-switch form[action='/{other}/advisor/rp-personal-affairs/'] input[name=ground]"
        ).count()
        == 1
    )
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / f"advisor-{lang}.png"), full_page=True)
    page.emulate_media(media="print")
    assert not page.locator("header.site-header").is_visible()
    page.screenshot(path=str(RESULTS / f"advisor-{lang}-print.png"), full_page=True)


def test_the_advisor_works_without_javascript(browser, live_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_url}/en/advisor/rp-personal-affairs/")
        page.check("form.question input[name=household_registration_in_china][value='true']")
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()
        assert "this application cannot be made" in page.content()
        assert re.search(r"/en/advisor/rp-personal-affairs/$", page.url)
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_long_answer_leaves_its_question_room_to_be_read(page, live_url, lang):
    """On a desktop screen a long answer ("Visiting family: a family member resides in Beijing for work or
    study") does not squeeze its question into a column one or two words wide: the question keeps at least
    two fifths of the row, and the answer wraps instead."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.set_default_timeout(60_000)  # the live server's first page reads the catalog
    page.goto(f"{live_url}/{lang}/advisor/rp-personal-affairs/")
    page.wait_for_function("() => typeof window.htmx === 'object'")
    answer_every_question(page, FAMILY_VISITOR, TEXTS[lang]["continue"])
    page.locator("section.checklist").wait_for()
    shares = page.evaluate(
        "() => [...document.querySelectorAll('dl.answer-list .answer')].map("
        "a => a.querySelector('dt').getBoundingClientRect().width / a.getBoundingClientRect().width)"
    )
    assert shares and min(shares) >= 0.4, shares
