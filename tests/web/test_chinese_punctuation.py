"""Chinese pages punctuate as Chinese: full-width brackets with no space around them, and no space after
a full-width colon (``{% sep %}`` and ``|bracketed`` in the templates)."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from page_world import client_for, pages_today  # noqa: F401 - pages_today is an autouse fixture
from tests.appointments.helpers import BEFORE, hall_with_slots

from case_helpers import accepted, actor, submitted, with_enforcement_records
from chinese_text import stray
from exitentry.accounts.audit import Actor
from exitentry.appointments import services as appointments
from exitentry.appointments.models import Slot
from exitentry.compliance import services as enforcement
from factories import AffiliationFactory, PermitFactory, PersonFactory, applicant, officer, unit_handler

pytestmark = pytest.mark.django_db


def test_the_enforcement_page_brackets_an_orders_days_in_full_width():
    case = submitted(applicant(), "rp-extension")
    clerk = officer(case.hall_id)
    with_enforcement_records(case.person, clerk)
    enforcement.order_to_leave(actor(clerk), case.person, ordered_on=date(2026, 2, 2), days=10)
    assert stray(client_for(clerk).get(f"/zh-hans/console/people/{case.person.pk}/enforcement/")) == []


def test_the_case_page_brackets_the_chinese_name_without_a_space():
    owner = applicant(person=PersonFactory(chinese_name="田中宏"))
    case = submitted(owner, "rp-extension")
    page = client_for(owner).get(f"/zh-hans/my/{case.pk}/")
    assert "（田中宏）" in page.content.decode()
    assert stray(page) == []


def test_the_permit_page_puts_no_space_after_the_colon_of_its_last_day():
    owner = applicant()
    case, _ = accepted(owner, "rp-extension")
    page = client_for(owner).get(f"/zh-hans/my/permits/{case.permit_id}/")
    assert "最后期限：<strong>" in page.content.decode()
    assert stray(page) == []


def test_the_roster_brackets_the_days_left_without_a_space():
    handler = unit_handler()
    person = AffiliationFactory(unit=handler.unit).person
    PermitFactory(person=person, valid_until=date(2027, 6, 30))
    assert stray(client_for(handler).get("/zh-hans/unit/")) == []


def test_the_alerts_ground_filter_cites_in_full_width_brackets():
    assert stray(client_for(officer()).get("/zh-hans/console/alerts/")) == []


def test_the_stylesheet_keeps_every_full_width_bracket_full_width_on_chinese_pages():
    """A bracket after a bracket ("居留许可换发（各类）（按换发办理：……）", a procedure's title then the way it
    is handled) is set by the browser's default punctuation trimming (CSS ``text-spacing-trim``) at half
    its width, so "（" reads as a half-width "(". Chinese pages turn the trimming off: every full-width
    bracket shows full width, as ``|bracketed`` writes it."""
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("web/site.css")).read_text()
    rule = re.search(r":lang\(zh\)[^{]*\{([^}]*)\}", css)
    assert rule and re.search(r"text-spacing-trim:\s*space-all", rule.group(1)), rule


def test_the_booking_page_brackets_the_applications_reference_without_a_space():
    hall_with_slots("reception-hall", 30)
    owner = applicant()
    case = submitted(owner, "rp-work")
    booking = appointments.book(Actor(owner), case, Slot.objects.order_by("starts_at").first().pk, now=BEFORE)
    page = client_for(owner).get(f"/zh-hans/my/bookings/{booking.reference}/")
    assert f"（{case.reference}）" in page.content.decode()
    assert stray(page) == []


def test_the_upload_list_brackets_a_defective_item_in_full_width():
    from tests.web.test_review_material_refused import received_with_files

    case, hall = received_with_files()
    owner = case.submitted_by
    material = case.materials.order_by("pk").first()
    assert (
        hall.post(
            f"/zh-hans/console/materials/{material.pk}/review/", {"defect_zh": "复印件不清晰"}
        ).status_code
        == 302
    )
    page = client_for(owner).get(f"/zh-hans/my/{case.pk}/")
    assert "（不符合要求）" in page.content.decode()
    assert stray(page) == []


def test_the_refusal_grounds_are_numbered_as_the_regulations_number_them():
    case, _ = accepted(applicant(), "rp-extension")
    page = client_for(officer(case.hall_id)).get(f"/zh-hans/console/cases/{case.pk}/")
    assert "（一）不按照规定提供申请材料的" in page.content.decode()
    assert stray(page) == []


def test_the_api_key_page_names_each_scope_with_a_full_width_colon():
    handler = unit_handler(is_unit_admin=True)
    page = client_for(handler).get("/zh-hans/account/api-keys/")
    assert "查阅本单位人员</strong>：" in page.content.decode()
    assert "例如“人事系统”。" in page.content.decode()  # no space around the quotation marks
    assert stray(page) == []


def test_the_language_switch_labels_its_buttons_with_a_full_width_colon():
    page = client_for(applicant()).get("/zh-hans/my/")
    assert "语言：" in page.content.decode()
    assert stray(page, whole=True) == []


def test_the_officers_person_page_brackets_a_resolution_and_a_registering_station_in_full_width():
    from exitentry.compliance.models import Alert
    from exitentry.registry.models import AccommodationRegistration

    case = submitted(applicant(), "rp-extension")
    person = case.person
    Alert.objects.create(
        person=person, ground_id="regulations-25-1", cause_key="x", source_id="regulations", section="Art. 25",
        opened_on=date(2026, 3, 1), closed_on=date(2026, 3, 2), resolution="unfounded",
    )  # fmt: skip
    AccommodationRegistration.objects.create(
        person=person, address="海淀区中关村大街1号", registered_on=date(2026, 3, 1),
        registered_with="中关村派出所", division="110108",
    )  # fmt: skip
    page = client_for(officer(case.hall_id)).get(f"/zh-hans/console/people/{person.pk}/")
    assert "（中关村派出所）" in page.content.decode()
    assert stray(page) == []


def test_the_guide_puts_no_space_after_the_colon_of_when_a_line_applies_and_of_the_halls_choices(client):
    page = client.get("/zh-hans/guide/rp-study/")
    assert "适用情形：</span>申请人" in page.content.decode()
    assert stray(page) == []
    halls = client.get("/zh-hans/halls/").content.decode()
    assert "（下午下班时间）：</strong>本站采用" in halls
    assert not re.search(r"理由：\s", halls)  # the reason follows its colon on the line


def test_the_queue_and_my_applications_put_no_space_after_a_full_width_colon():
    owner = applicant()
    case, _ = accepted(owner, "rp-extension")
    mine = client_for(owner).get("/zh-hans/my/")
    assert "受理回执有效期至：<strong>" in mine.content.decode()
    assert stray(mine) == []
    queue = client_for(officer(case.hall_id)).get("/zh-hans/console/")
    assert "大厅当日工作（签到、叫号）：<a" in queue.content.decode()
    assert stray(queue) == []


def text_of(response) -> str:
    return html.unescape(
        re.sub(
            r"<[^>]+>", "", re.sub(r"<(script|style)\b.*?</\1>", "", response.content.decode(), flags=re.S)
        )
    )


def test_the_halls_page_telephones_and_gives_its_reasons_in_chinese_punctuation():
    page = client_for(applicant()).get("/zh-hans/halls/")
    text = text_of(page)
    assert "致电（8610）84020101" in text and "(8610)" not in text
    assert "理由：" in text and not re.search(r"理由：\s", text)  # the reason follows the colon at once
    assert not re.search(r"(采用|依据|未载明|另一说法)：\s", text)
    assert stray(page) == []


@pytest.mark.parametrize("procedure_id", ["pr-application", "pr-zhongguancun"])
def test_a_guide_gives_the_halls_telephone_in_full_width_brackets(procedure_id):
    text = text_of(client_for(applicant()).get(f"/zh-hans/guide/{procedure_id}/"))
    assert "（8610）84020101" in text and "(8610)" not in text


def test_a_clocks_label_takes_no_space_after_its_colon_in_chinese():
    from case_helpers import hall_receives

    owner = applicant()
    case = submitted(owner, "rp-personal-affairs")
    hall_receives(actor(officer(case.hall_id)), case, on=date(2026, 11, 2))
    page = client_for(owner).get("/zh-hans/my/")
    assert "预计取证日期：<strong>" in page.content.decode()
    assert "Expected ready on: <strong>" in client_for(owner).get("/en/my/").content.decode()


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_booking_page_sets_each_citation_apart_from_the_next(lang):
    from exitentry.appointments import confirmation

    hall_with_slots("reception-hall", 30)
    owner = applicant()
    case = submitted(owner, "rp-personal-affairs")
    booking = appointments.book(Actor(owner), case, Slot.objects.order_by("starts_at").first().pk, now=BEFORE)
    page = client_for(owner).get(f"/{lang}/my/bookings/{booking.reference}/")
    text = text_of(page)
    doc = confirmation.confirmation(booking)
    several = [line.cite for line in (*doc.in_person, *doc.bring) if len(line.cite) > 1]
    assert several  # a line citing several sources, each shown
    language = "zh" if lang == "zh-hans" else "en"
    for cites in several:
        labels = [c.get(language) for c in cites]
        for first, second in zip(labels, labels[1:], strict=False):
            assert first in text and second in text
            assert first + second not in text
    assert page.content.decode().count('<span class="cites">') >= len(several)


def test_the_case_page_puts_no_space_after_its_bookings_colon_nor_between_the_fees_sentences():
    hall_with_slots("reception-hall", 30)
    owner = applicant()
    case = submitted(owner, "rp-personal-affairs")
    appointments.book(Actor(owner), case, Slot.objects.order_by("starts_at").first().pk, now=BEFORE)
    page = client_for(owner).get(f"/zh-hans/my/{case.pk}/")
    text = html.unescape(re.sub(r"<[^>]+>", "", page.content.decode()))
    assert "预约号" in text and stray(page) == []
    assert re.search(r"。尚欠[\d,]+元。本环节应缴", text), text[text.index("应缴") :][:120]


def test_my_applications_links_to_all_procedures_with_no_space_after_the_chinese_sentence():
    owner = applicant()
    submitted(owner, "rp-extension")
    page = client_for(owner).get("/zh-hans/my/").content.decode()
    assert '”。<a href="/zh-hans/">' in page


def test_the_case_page_s_fee_summary_and_the_account_page_join_sentences_without_a_space():
    """Two sentences a template joins take a space in English and none in Chinese (``{% sep " " %}``)."""
    owner = applicant()
    case, clerk = accepted(owner, "pr-application")
    assert stray(client_for(clerk.user).get(f"/zh-hans/console/cases/{case.pk}/")) == []
    assert stray(client_for(owner).get(f"/zh-hans/my/{case.pk}/")) == []
    assert stray(client_for(owner).get("/zh-hans/account/")) == []


def test_the_officers_case_page_links_the_permit_it_is_about_and_the_applicants_names_it():
    """From the case the hall reaches the permit's page (to void, cancel or record a change); the applicant's
    page names the permit without a link into the console."""
    owner = applicant()
    case, clerk = accepted(owner, "rp-extension")
    link = f'href="/zh-hans/console/permits/{case.permit_id}/"'
    assert link in client_for(clerk.user).get(f"/zh-hans/console/cases/{case.pk}/").content.decode()
    mine = client_for(owner).get(f"/zh-hans/my/{case.pk}/").content.decode()
    assert case.permit.number in mine and "/console/permits/" not in mine
