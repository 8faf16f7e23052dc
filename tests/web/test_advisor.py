"""The advisor: one question at a time, answers carried in the form, a checklist at the end."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from advisor_forms import asked, form_with_class, forms, hidden_fields
from django.test import Client
from django.utils.html import escape

from exitentry.law.calendar import BEIJING
from exitentry.law.catalog import catalog
from exitentry.law.rules import acting, duties

pytestmark = pytest.mark.django_db

URL = "/{lang}/advisor/rp-personal-affairs/"

# A family visitor on an S1 visa, born 1990, applying for two years, on Monday 21 September 2026.
FAMILY_VISIT = {
    "household_registration_in_china": "false",
    "ground": "family",
    "family_relation": "spouse",
    "birth_date": "1990-05-17",
    "validity": {"years": "2", "months": "0", "days": "0"},
    "visa_category": "S1",
    "documents_issued_abroad": "true",
    "first_application_in_china": "true",
    "limited_mobility": "false",
    "high_level_talent": "false",
    "documents_in_other_language": "false",
    "visa_requires_residence_permit": "true",
}


def answer(name: str, value: object) -> dict[str, str]:
    if isinstance(value, dict):  # the duration picker's selects
        return {f"{name}__{part}": v for part, v in value.items()}
    return {name: str(value)}


def post(client: Client, lang: str, data: dict[str, str], url: str = URL, **headers: str) -> str:
    response = client.post(url.format(lang=lang), data, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def click_through(
    client: Client, lang: str, answers: dict[str, object], steps: int = 20, url: str = URL
) -> str:
    """Answer each question the page asks, posting back its hidden fields, until none is asked."""
    html = client.get(url.format(lang=lang)).content.decode()
    for _ in range(steps):
        if 'class="question"' not in html:
            return html
        name = asked(html)
        assert name in answers, f"unexpected question {name}"
        data = hidden_fields(form_with_class(html, "question")) | answer(name, answers[name])
        html = post(client, lang, data, url)
    raise AssertionError("the advisor kept asking")


def test_a_fresh_advisor_asks_one_question_and_plans_for_today_in_beijing(client, beijing_at):
    html = client.get(URL.format(lang="en")).content.decode()
    question = form_with_class(html, "question")
    assert hidden_fields(question)["on"] == "2026-09-21"
    assert html.count('class="question"') == 1
    assert "Planned submission date" in html
    assert "Mon 21 September 2026" in html


def test_the_personal_affairs_advisor_reaches_the_checklist_with_fee_and_dates(client, beijing_at):
    html = click_through(client, "en", FAMILY_VISIT)
    assert "Your checklist" in html
    # seed 000 "Timeline and Fees": 1 year to under 3 years, 800 yuan
    assert '<td class="amount"><strong>CNY 800</strong></td>' in html
    # 7 working days from Mon 21 Sep 2026: 22, 23, 24 Sep; (25-27 Mid-Autumn); 28, 29, 30 Sep;
    # (1-7 Oct National Day); 8 Oct.
    assert "Expected ready on: <strong>Thu 8 October 2026</strong>" in html
    # 15 working days: ... 9 Oct, 10 Oct (make-up Saturday), 12-16 Oct, 19 Oct.
    assert "Receipt valid until: <strong>Mon 19 October 2026</strong>" in html
    assert 'class="provisional"' not in html  # 2026's holiday schedule is published
    # every line cites its source
    assert "Beijing guide to personal affairs residence permits, Timeline and Fees" in html
    assert "A certificate letter from the family member in Beijing proving the relationship" in html
    assert 'type="checkbox"' in html


WORK_EXTENSION = {
    "residence_permit_type": "work",
    "validity": {"years": "1", "months": "0", "days": "0"},
    "birth_date": "1990-05-17",
    "limited_mobility": "false",
    "first_entry": "false",
    "good_stay_record": "true",
    "inviter_guarantees_expenses": "false",
}


def test_a_work_permit_extension_lists_the_work_permit_and_points_to_the_one_stop_service(client, beijing_at):
    """Regulations Art. 16(1): a work-type residence permit is supported by the work permit, the material
    on the reason Art. 17 asks of an extension; in Beijing the one-stop service extends the two together
    (the one-stop guide, 3. (3))."""
    url = "/{lang}/advisor/rp-extension/"
    en = click_through(client, "en", WORK_EXTENSION, url=url)
    zh = click_through(client, "zh-hans", WORK_EXTENSION, url=url)
    assert "The work permit, as the material on the reason for the application" in en
    assert "工作许可，作为申请事由的相关材料" in zh
    assert (
        "Regulations of the People&#x27;s Republic of China on the Administration of the Entry and Exit of Foreigners, Art. 16(1)"
        in en
    )
    assert "one-stop service" in en and "“两证联办”" in zh


def test_the_checklist_in_chinese(client, beijing_at):
    html = click_through(client, "zh-hans", FAMILY_VISIT)
    assert "您的材料清单" in html
    assert "<strong>800元</strong>" in html
    assert "预计取证日期：<strong>2026年10月8日（周四）</strong>" in html
    assert "在京家庭成员出具的亲属关系证明函" in html


@pytest.mark.parametrize(
    ("validity", "fee"),
    [
        pytest.param({"years": "0", "months": "6", "days": "0"}, "CNY 400", id="six months cost 400 yuan"),
        pytest.param({"years": "1", "months": "0", "days": "0"}, "CNY 800", id="one year costs 800 yuan"),
        pytest.param(
            {"years": "2", "months": "6", "days": "0"}, "CNY 800", id="two and a half years cost 800 yuan"
        ),
        pytest.param(
            {"years": "3", "months": "0", "days": "0"}, "CNY 1,000", id="three years cost 1000 yuan"
        ),
        pytest.param({"years": "5", "months": "0", "days": "0"}, "CNY 1,000", id="five years cost 1000 yuan"),
    ],
)
def test_the_fee_follows_the_validity_applied_for(client, beijing_at, validity, fee):
    html = click_through(client, "en", FAMILY_VISIT | {"validity": validity})
    assert f'<td class="amount"><strong>{fee}</strong></td>' in html


def test_a_duration_is_carried_as_iso_text(client, beijing_at):
    data = {"on": "2026-09-21", "household_registration_in_china": "false", "ground": "family"}
    html = post(
        client,
        "en",
        data
        | answer("birth_date", "1990-05-17")
        | answer("validity", FAMILY_VISIT["validity"])
        | {"validity__months": "6"},
    )
    assert hidden_fields(form_with_class(html, "question"))["validity"] == "P2Y6M"
    assert "2 years 6 months" in html


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "Enter a real date as YYYY-MM-DD, for example 1990-05-05."),
        ("zh-hans", "请按“年-月-日”（YYYY-MM-DD）格式输入真实存在的日期，例如1990-05-05。"),
    ],
)
@pytest.mark.parametrize("typed", ["1990-02-30", "5 May 1990"])
def test_an_impossible_date_is_asked_again_with_the_reason(client, beijing_at, lang, message, typed):
    data = {"on": "2026-09-21", "household_registration_in_china": "false", "ground": "family"}
    html = post(client, lang, data | {"birth_date": typed, "asked": "birth_date"})
    assert asked(html) == "birth_date"
    assert f'<p id="q-error" class="error" role="alert">{message}</p>' in html
    assert 'aria-invalid="true"' in html


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "This date is after the planned submission date (21 September 2026)."),
        ("zh-hans", "该日期晚于计划递交日期（2026年9月21日）。"),
    ],
)
def test_a_birth_date_after_the_planned_submission_date_is_refused_with_the_date_in_words(
    client, beijing_at, lang, message
):
    data = {"on": "2026-09-21", "household_registration_in_china": "false", "ground": "family"}
    html = post(client, lang, data | {"birth_date": "2027-01-01"})
    assert asked(html) == "birth_date"
    assert message in html


def test_a_planned_date_before_the_rules_apply_is_asked_again(client, beijing_at):
    html = post(client, "en", {"on": "2023-06-01", "ground": "family"})
    assert asked(html) == "on"
    assert (
        "The rules of this procedure apply from Mon 1 January 2024; Thu 1 June 2023 is before that." in html
    )
    assert hidden_fields(form_with_class(html, "question"))["ground"] == "family"


def test_submitting_without_an_answer_asks_again(client, beijing_at):
    html = client.get(URL.format(lang="en")).content.decode()
    name = asked(html)
    html = post(client, "en", hidden_fields(form_with_class(html, "question")))
    assert asked(html) == name
    assert "Please answer this question." in html


def test_a_household_registration_in_china_makes_the_applicant_ineligible(client, beijing_at):
    html = post(client, "en", {"on": "2026-09-21", "household_registration_in_china": "true"})
    assert 'class="question"' not in html
    assert "On these answers, this application cannot be made" in html
    assert "Any household registration the applicant had in China has been cancelled" in html
    assert "Cancel the household registration in China first; apply only after it is cancelled." in html
    assert "Beijing guide to personal affairs residence permits, Points for Attention 4" in html
    zh = post(client, "zh-hans", {"on": "2026-09-21", "household_registration_in_china": "true"})
    assert "请先注销在中国的户籍，注销后再申请。" in zh
    assert "《北京市外国人私人事务类居留许可及延期办事指南》注意事项第4项" in zh


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_family_visitor_is_asked_the_relation_and_a_sibling_is_told_art_15_5_in_each_language(
    client, beijing_at, lang
):
    data = {"on": "2026-09-21", "household_registration_in_china": "false", "ground": "family"}
    html = post(client, lang, data | answer("birth_date", "1990-05-17"))
    assert asked(html) == "family_relation"
    html = post(client, lang, data | answer("birth_date", "1990-05-17") | {"family_relation": "other"})
    assert 'class="question"' not in html
    if lang == "en":
        assert "children under 18 and parents-in-law" in html and "other private affairs" in html
        assert (
            "Regulations of the People&#x27;s Republic of China on the Administration of the Entry and Exit of Foreigners, Art. 15(5)"
            in html
        )
    else:
        assert "未满18周岁的子女和配偶的父母" in html and "其他私人事务事由申请" in html
        assert "《中华人民共和国外国人入境出境管理条例》第十五条第（五）项" in html


def test_a_validity_over_five_years_is_refused_with_the_law_that_says_so(client, beijing_at):
    html = click_through(
        client, "en", FAMILY_VISIT | {"validity": {"years": "6", "months": "0", "days": "0"}}
    )
    assert "Residence permits other than for work are issued for 180 days to 5 years." in html
    assert "Exit and Entry Administration Law of the People&#x27;s Republic of China, Art. 30" in html


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_validity_picker_offers_the_years_the_law_allows_for_the_permit(client, beijing_at, lang):
    """The picker's years run to the law core's longest validity for the permit (Exit-Entry Law Art. 30: 5
    years for a residence permit), not to a fixed 10."""
    data = {"on": "2026-09-21", "household_registration_in_china": "false", "ground": "family"}
    html = post(client, lang, data | answer("birth_date", "1990-05-17") | {"family_relation": "spouse"})
    assert asked(html) == "validity"
    select = re.search(r'<select name="validity__years"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None
    assert re.findall(r'<option value="(\d+)"', select.group(1)) == [str(n) for n in range(6)]


def test_an_answer_can_be_changed_and_is_offered_with_its_current_value(client, beijing_at):
    html = click_through(client, "en", FAMILY_VISIT)
    answers = hidden_fields(form_with_class(html, "optional-dates"))
    html = post(client, "en", answers | {"ask": "ground"})
    assert asked(html) == "ground"
    assert '<input type="radio" name="ground" value="family" checked required>' in html
    carried = hidden_fields(form_with_class(html, "question"))
    assert "ground" not in carried and carried["visa_category"] == "S1"
    html = post(client, "en", carried | {"ground": "medical", "asked": "ground"})
    assert asked(html) == "medical_over_six_months"


def test_the_planned_date_can_be_changed(client, beijing_at):
    html = click_through(client, "en", FAMILY_VISIT)
    answers = hidden_fields(form_with_class(html, "optional-dates"))
    html = post(client, "en", answers | {"ask": "on"})
    assert asked(html) == "on"
    html = post(client, "en", hidden_fields(form_with_class(html, "question")) | {"on": "2026-11-23"})
    # 7 working days after Mon 23 Nov 2026, no holiday on the way
    assert "Expected ready on: <strong>Wed 2 December 2026</strong>" in html


def test_dates_added_on_the_checklist_give_the_deadlines(client, beijing_at):
    html = click_through(client, "en", FAMILY_VISIT)
    answers = hidden_fields(form_with_class(html, "optional-dates"))
    html = post(
        client, "en", answers | {"entry_date": "2026-09-01", "health_certificate_issue_date": "2026-09-10"}
    )
    # 30 days after 1 Sep end on 1 Oct, a holiday: the deadline rolls to 8 Oct (Civil Code Art. 203)
    assert "Last day: <strong>Thu 8 October 2026</strong>" in html
    # the health certificate is valid six months from issue
    assert "Valid until: <strong>Wed 10 March 2027</strong>" in html


def test_with_htmx_only_the_advisor_area_and_the_language_switch_are_sent(client, beijing_at):
    html = post(
        client, "en", {"on": "2026-09-21", "household_registration_in_china": "false"}, HX_Request="true"
    )
    assert "<html" not in html
    assert html.startswith('<div id="advisor" class="advisor">')
    assert 'hx-post="/en/advisor/rp-personal-affairs/"' in html
    assert 'hx-target="#advisor"' in html and 'hx-push-url="false"' in html
    assert '<div id="language-switch" class="language-switch" hx-swap-oob="true">' in html
    assert "autofocus" in html
    full = post(client, "en", {"on": "2026-09-21", "household_registration_in_china": "false"})
    assert "<html" in full and "hx-swap-oob" not in full and "autofocus" not in full


def test_the_language_switch_on_the_advisor_carries_the_answers(client, beijing_at):
    html = post(
        client, "en", {"on": "2026-09-21", "household_registration_in_china": "false", "ground": "family"}
    )
    switch = [f for f in forms(html) if f["attrs"].get("action") == "/zh-hans/advisor/rp-personal-affairs/"]
    assert len(switch) == 1
    carried = hidden_fields(switch[0])
    assert carried["ground"] == "family" and carried["on"] == "2026-09-21"
    zh = post(client, "zh-hans", carried)
    assert "探亲：家庭成员因工作、学习在京居留" in zh


def test_the_advisor_forms_are_csrf_protected(beijing_at):
    client = Client(enforce_csrf_checks=True)
    response = client.post(URL.format(lang="en"), {"household_registration_in_china": "false"})
    assert response.status_code == 403
    html = client.get(URL.format(lang="en")).content.decode()
    assert "csrfmiddlewaretoken" in hidden_fields(form_with_class(html, "question"))


def first_valid_answer(html: str, name: str) -> dict[str, str]:
    """Some answer that fits the question on screen: its first option, a past date, its minimum."""
    question = form_with_class(html, "question")
    inputs = [i for i in question["inputs"] if i.get("name", "").startswith(name)]
    if inputs[0]["tag"] == "select":
        return {f"{name}__years": "1"}
    if inputs[0].get("type") == "radio":
        return {name: inputs[0]["value"]}
    if inputs[0].get("type") == "date":
        return {name: "1980-01-01"}
    return {name: inputs[0].get("min") or "1"}


def answered_to_end(client: Client, url: str, answers: dict[str, object] | None = None) -> str:
    """The advisor at ``url`` with some fitting answer given to each question it asks (``answers`` where it
    names one), to its end."""
    html = client.get(url).content.decode()
    for _ in range(40):
        if 'class="question"' not in html:
            break
        name = asked(html)
        given = answer(name, answers[name]) if name in (answers or {}) else first_valid_answer(html, name)
        data = hidden_fields(form_with_class(html, "question")) | given
        response = client.post(url, data)
        assert response.status_code == 200
        html = response.content.decode()
        assert 'class="error"' not in html, name
    else:
        raise AssertionError("the advisor kept asking")
    return html


@pytest.mark.parametrize("procedure_id", sorted(catalog().procedures))
def test_every_procedures_advisor_can_be_answered_to_its_end(client, beijing_at, procedure_id):
    html = answered_to_end(client, f"/en/advisor/{procedure_id}/")
    assert "Your checklist" in html or "this application cannot be made" in html


def test_the_checklist_warns_when_the_halls_are_closed_on_the_planned_day(client, beijing_at):
    html = click_through(client, "en", FAMILY_VISIT)
    closed = "This hall does not receive applicants on your planned submission date"
    assert closed not in html  # Monday 21 September 2026
    answers = hidden_fields(form_with_class(html, "optional-dates"))
    html = post(client, "en", answers | {"on": "2026-10-02"})  # National Day holiday
    assert html.count(closed) == html.count('class="hall"') > 0


@pytest.mark.parametrize(
    ("lang", "passed", "near"),
    [("en", "passed 11 days ago", "7 days left"), ("zh-hans", "已过11天", "还剩7天")],
)
def test_a_last_day_that_has_passed_or_is_near_is_marked_in_the_pages_language(
    client, beijing_at, lang, passed, near
):
    beijing_at(datetime(2026, 11, 23, 10, 0, tzinfo=BEIJING))
    html = click_through(client, lang, FAMILY_VISIT)
    answers = hidden_fields(form_with_class(html, "optional-dates"))
    # entered 13 Oct: the residence permit was due within 30 days, by Thu 12 Nov (11 days before 23 Nov);
    # the health certificate issued 30 May stays valid six months, to 30 Nov (7 days after 23 Nov)
    html = post(
        client, lang, answers | {"entry_date": "2026-10-13", "health_certificate_issue_date": "2026-05-30"}
    )
    assert f'<span class="due-note due-passed">{passed}</span>' in html
    assert f'<span class="due-note due-near">{near}</span>' in html


def test_a_last_day_far_ahead_carries_no_mark(client, beijing_at):
    beijing_at(datetime(2026, 11, 23, 10, 0, tzinfo=BEIJING))
    html = click_through(client, "en", FAMILY_VISIT)
    answers = hidden_fields(form_with_class(html, "optional-dates"))
    html = post(client, "en", answers | {"entry_date": "2026-11-20"})
    assert "Last day: <strong>" in html and "due-note" not in html


def _rule_texts(html: str, start: str, end: str) -> list[str]:
    section = html[html.index(start) :]
    return re.findall(r'<p class="rule-text">(.*?)</p>', section[: section.index(end)], re.S)


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
@pytest.mark.parametrize("procedure_id", ["rp-work", "one-stop-work-permits", "rp-personal-affairs"])
def test_the_advisor_lists_the_duties_that_follow_a_residence_permit_as_its_guide_does(
    client, beijing_at, lang, procedure_id
):
    """One rule for what follows a procedure (``acting.what_follows``): the advisor's "Afterwards" lists
    the duties of the residence permit it leads to (its extension, a change of particulars) as the guide
    page does, though the procedure's own obligations name neither or only one."""
    advisor = answered_to_end(client, f"/{lang}/advisor/{procedure_id}/", FAMILY_VISIT)
    advised = _rule_texts(advisor, 'id="afterwards"', "</ul>")
    guide = client.get(f"/{lang}/guide/{procedure_id}/").content.decode()
    guided = _rule_texts(guide, 'id="obligations"', 'id="where"')
    procedure = catalog().procedure(procedure_id)
    follows = {o.id: o for o in acting.what_follows(procedure, beijing_at().date())}
    for duty in (duties.EXTENSION, duties.PARTICULARS_CHANGE):
        text = escape(follows[duty].text.get(lang[:2]))
        assert text in guided and text in advised, duty
    assert [t for t in guided if t in advised] == advised  # the advisor drops only what the facts rule out


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_pilot_entity_employee_is_offered_the_district_centre(client, beijing_at, lang):
    """Seed 003 "Where to apply": the Chaoyang centre takes "foreign employees in demonstrating entities and
    enterprises in Chaoyang District" who meet the pilot policies' conditions; the checklist offers the
    question beside the halls, and the answer adds the centre."""
    url = f"/{lang}/advisor/pr-zhongguancun/"
    html = answered_to_end(client, url, {"zgc_score": 75, "household_registration_in_china": "false"})
    chaoyang = catalog().halls["chaoyang"].name.get("en" if lang == "en" else "zh")
    assert escape(chaoyang) not in html
    form = form_with_class(html, "hall-questions")
    response = client.post(url, hidden_fields(form) | {"pilot_zone_employee": "chaoyang"})
    html = response.content.decode()
    assert escape(chaoyang) in html
    assert 'class="hall-questions' not in html  # answered: not offered again


@pytest.mark.parametrize(("lang", "shown"), [("en", ["1 day", "30 days"]), ("zh-hans", ["1日", "30日"])])
def test_a_number_of_days_is_shown_with_its_unit_from_the_facts_definition(client, beijing_at, lang, shown):
    data = {"on": "2026-09-21", "original_stay_days": "1", "requested_extension_days": "30"}
    response = client.post(f"/{lang}/advisor/visa-extension/", data)
    assert response.status_code == 200
    values = re.findall(r'<span class="answer-value">([^<]*)</span>', response.content.decode())
    for value in shown:
        assert value in values, values


@pytest.mark.parametrize(
    ("lang", "counted", "letter"),
    [
        (
            "en",
            "Counted from the planned submission: 3 working days of pre-examination, then the 5 working days "
            "of the decision.",
            "letter of introduction",
        ),
        ("zh-hans", "自计划递交之日起计算：先预审3个工作日，再加作出决定的5个工作日。", "单位介绍信"),
    ],
)
def test_the_one_stop_checklist_counts_the_pre_examination_before_the_five_days_and_asks_who_hands_it_in(
    client, beijing_at, lang, counted, letter
):
    """Seed 002, 4. How to apply b-c: the permits are ready five working days after the paper documents,
    which follow the pre-examination (3 working days for category B); 5. (2): the letter of introduction
    only where other staff of the employer hand the application in - the advisor asks."""
    beijing_at(datetime(2026, 11, 23, 10, 0, tzinfo=BEIJING))
    url = f"/{lang}/advisor/one-stop-work-permits/"
    answers = {
        "household_registration_in_china": "false",
        "work_permit_category": "B",
        "other_staff_handle": "false",
        "birth_date": "1986-06-01",
        "limited_mobility": "false",
        "high_level_talent": "false",
    }
    html = answered_to_end(client, url, answers)
    assert counted in html and letter not in html
    receipt = {
        "en": "At the earliest: counted from the planned submission, 3 working days of pre-examination, then "
        "the 15 working days of the receipt issued at the counter.",
        "zh-hans": "最早情形：自计划递交之日起计算，先预审3个工作日，再加窗口出具的回执的15个工作日。",
    }[lang]
    assert receipt in html
    html = answered_to_end(client, url, answers | {"other_staff_handle": "true"})
    assert letter in html


@pytest.mark.parametrize(
    ("lang", "legal", "note"),
    [
        (
            "en",
            "Last day: <strong>Thu 1 October 2026</strong>",
            "the halls are closed that day: the last day a hall is open before it is Wed 30 September 2026",
        ),
        (
            "zh-hans",
            "<strong>2026年10月1日（周四）</strong>",
            "当日各出入境大厅均不办公：此前最后一个办公日为2026年9月30日（周三）",
        ),
    ],
)
def test_an_extension_due_on_national_day_gives_the_last_day_a_hall_opens_beside_it(
    client, beijing_at, lang, legal, note
):
    html = click_through(client, lang, FAMILY_VISIT)
    answers = hidden_fields(form_with_class(html, "optional-dates"))
    html = post(client, lang, answers | {"permit_expiry_date": "2026-10-31"})
    assert legal in html and note in html


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_14_year_olds_checklist_says_someone_else_may_apply_and_not_also_that_they_come_in_person(
    client, beijing_at, lang
):
    """Regulations Art. 19 para. 2 (under 16): the proxy line replaces the in-person one (Art. 16)."""
    beijing_at(datetime(2026, 9, 21, 10, 0, tzinfo=BEIJING))
    young = {
        **FAMILY_VISIT,
        "birth_date": "2012-05-17",
        "validity": {"years": "1", "months": "0", "days": "0"},
    }
    young.pop("limited_mobility")
    young.pop("high_level_talent")
    html = click_through(client, lang, young)
    rules = catalog().procedure("rp-personal-affairs").rules["submission"]
    said = {rule.id: escape(rule.text.get("zh" if lang == "zh-hans" else "en")) for rule in rules}
    assert said["proxy"] in html
    assert said["in-person"] not in html


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        (
            "en",
            "“2026-13-45” in the address is not a real date; the planned submission date below is used instead.",
        ),
        ("zh-hans", "网址中的“2026-13-45”不是真实存在的日期，已改用下方的计划递交日期。"),
    ],
)
def test_a_bad_date_in_the_address_is_said_and_today_is_used(client, beijing_at, lang, said):
    """``?on=2026-13-45`` was ignored without a word: the page says the date is not real and plans for today."""
    response = client.get(URL.format(lang=lang), {"on": "2026-13-45"})
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(said) in html
    assert hidden_fields(form_with_class(html, "question"))["on"] == "2026-09-21"


def test_a_real_date_in_the_address_is_the_planned_submission_date(client, beijing_at):
    html = client.get(URL.format(lang="en"), {"on": "2026-11-23"}).content.decode()
    assert hidden_fields(form_with_class(html, "question"))["on"] == "2026-11-23"


@pytest.mark.parametrize(
    ("lang", "help_text", "cited"),
    [
        (
            "en",
            "Residence permits other than for work run from 180 days to 5 years",
            "Exit and Entry Administration Law of the People&#x27;s Republic of China, Art. 30",
        ),
        ("zh-hans", "工作类以外的居留许可有效期为180日至5年", "《中华人民共和国出境入境管理法》第三十条"),
    ],
)
def test_the_validity_questions_help_cites_the_law_its_numbers_come_from(
    client, beijing_at, lang, help_text, cited
):
    """The help's numbers are the parameters' (Exit-Entry Law Art. 30): their citation follows the help."""
    data = {"on": "2026-09-21", "household_registration_in_china": "false", "ground": "family"}
    html = post(client, lang, data | answer("birth_date", "1990-05-17") | {"family_relation": "spouse"})
    assert asked(html) == "validity"
    help_para = re.search(r'<p id="q-help" class="help">(.*?)</p>', html, re.S)
    assert help_para is not None
    assert help_text in help_para.group(1)
    assert '#source-exit-entry-law"' in help_para.group(1)
    assert cited in help_para.group(1)
    assert ".yaml" not in help_para.group(1)
