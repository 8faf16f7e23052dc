"""A unit handler in a real headless Chromium, in Chinese: from the guide through the advisor to "Start this
application", enters a new employee with a passport, is shown a mistake beside its field with nothing
stored, corrects it and lands on the draft."""

from __future__ import annotations

from pathlib import Path

import pytest
from advisor_steps import answer_every_question

from exitentry.accounts.models import Role
from exitentry.cases.models import Case
from exitentry.registry.models import Person, TravelDocument
from factories import UnitFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESULTS = Path(__file__).resolve().parents[2] / "test-results"
PASSWORD = "correct horse battery staple"  # tests/factories.py
ANSWERS = {  # what the work-type residence permit's advisor asks, by the fact on screen
    "validity": {"years": "2", "months": "0", "days": "0"},
    "high_level_talent": "false",
    "birth_date": "1987-02-03",
    "limited_mobility": "false",
    "visa_requires_residence_permit": "true",
}


def test_a_unit_handler_starts_an_application_for_a_new_employee(page, live_url):
    handler = UserFactory(role=Role.UNIT, unit=UnitFactory())
    page.goto(f"{live_url}/zh-hans/sign-in/")
    page.fill("#id_username", handler.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()

    page.goto(f"{live_url}/zh-hans/guide/rp-work/")
    with page.expect_navigation():
        page.get_by_role("link", name="我需要准备什么？回答几个问题").click()
    page.wait_for_function("() => typeof window.htmx === 'object'")
    answer_every_question(page, ANSWERS, "继续")
    with page.expect_navigation():
        page.get_by_role("button", name="开始办理此项申请").click()
    assert "/zh-hans/apply/rp-work/" in page.url
    assert page.get_by_role("group", name="为谁申请？").is_visible()

    page.check("input[name=person][value=new]")
    page.fill("#id_person-given_names", "Hiroshi")
    page.fill("#id_person-chinese_name", "田中宏")
    page.select_option("#id_person-sex", label="男")
    assert page.input_value("#id_person-birth_date") == "1987-02-03"  # the advisor's answer
    page.select_option("#id_person-nationality", label="日本")
    page.fill("#id_person-passport_number", "TK1000008")
    page.select_option("#id_person-passport_country", label="日本")
    page.fill("#id_person-passport_issued_on", "2022-01-10")
    page.fill("#id_person-passport_expires_on", "2032-01-09")
    with page.expect_navigation():
        page.get_by_role("button", name="开始办理").click()
    error = page.locator("#id_person-surname_error")
    assert error.inner_text() == "这个字段是必填项。"  # the surname was left out
    assert page.input_value("#id_person-chinese_name") == "田中宏"
    assert not Person.objects.exists() and not Case.objects.exists()
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / "apply-for-employee-error-zh-hans.png"), full_page=True)

    page.fill("#id_person-surname", "Tanaka")
    with page.expect_navigation():
        page.get_by_role("button", name="开始办理").click()
    case = Case.objects.get()
    assert page.url.endswith(f"/zh-hans/my/{case.pk}/")
    assert "草稿已保存" in page.locator("main").inner_text()
    assert (case.person.surname, case.person.nationality, case.unit) == ("Tanaka", "JPN", handler.unit)
    assert TravelDocument.objects.get(person=case.person).number == "TK1000008"
    assert case.facts["birth_date"] == "1987-02-03" and "birth_date" in case.facts_from_registry
    assert "取自出入境登记记录" in page.locator("#case-panel").inner_text()
    page.screenshot(path=str(RESULTS / "apply-for-employee-draft-zh-hans.png"), full_page=True)
