"""The home page in a real headless Chromium: it renders, htmx loads, the language switch works."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def test_home_page_and_language_switch(page, live_url):
    response = page.goto(f"{live_url}/zh-hans/")
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert "北京出入境外国人服务" in page.locator("header").inner_text()
    page.wait_for_function("() => typeof window.htmx === 'object'")

    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    assert re.search(r"/en/$", page.url), page.url
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="简体中文").is_visible()

    with page.expect_navigation():
        page.get_by_role("link", name="Halls and opening hours").click()
    with page.expect_navigation():
        page.get_by_role("button", name="简体中文").click()
    assert re.search(r"/zh-hans/halls/$", page.url), page.url
