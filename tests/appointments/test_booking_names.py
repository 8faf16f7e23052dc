"""The booking pages name the applicant as the other pages do: a Chinese name in full-width brackets with no
space before it on a Chinese page, in brackets after a space on an English one."""

from __future__ import annotations

import pytest

from case_helpers import client_for
from exitentry.law.calendar import BEIJING

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "named"), [("en", ' (<span lang="zh-Hans">张伟</span>)'), ("zh-hans", "（张伟）")]
)
def test_the_booking_and_its_confirmation_put_no_space_before_a_chinese_name(booked_case, lang, named):
    person = booked_case.case.person
    person.surname, person.given_names, person.chinese_name = "Zhang", "Li", "张伟"
    person.save()
    client = client_for(booked_case.case.submitted_by)
    for url in (
        f"/{lang}/my/{booked_case.case_id}/booking/",
        f"/{lang}/my/bookings/{booked_case.reference}/",
    ):
        page = client.get(url).content.decode()
        assert named in page, url
        assert " （张伟）" not in page, url


@pytest.mark.usefixtures("friday_before")
def test_the_times_on_the_pick_and_cancel_steps_put_no_space_before_beijing_time_in_chinese(booked_case):
    """The booking step and the cancel step give the time as the confirmation does: "（北京时间）" right after
    the time on a Chinese page (no space before a full-width bracket), " (Beijing time)" on an English one."""
    client = client_for(booked_case.case.submitted_by)
    case_id, hall = booked_case.case_id, booked_case.slot.hall_id
    starts = booked_case.slot.starts_at.astimezone(BEIJING)
    step = (
        f"/zh-hans/my/{case_id}/booking/?hall={hall}&move={booked_case.reference}&at={starts:%Y-%m-%dT%H:%M}"
    )
    for url in (f"/zh-hans/my/bookings/{booked_case.reference}/cancel/", step):
        page = client.get(url).content.decode()
        assert "（北京时间）" in page and " （北京时间）" not in page, url
    english = client.get(f"/en/my/bookings/{booked_case.reference}/cancel/").content.decode()
    assert " (Beijing time)" in english


@pytest.mark.parametrize(("lang", "header"), [("en", "<th>Applicant</th>"), ("zh-hans", "<th>申请人</th>")])
def test_my_appointments_name_the_applicant_of_each(booked_case, lang, header):
    """An agency or a family member books for several people: each appointment names whom it is for."""
    person = booked_case.case.person
    person.surname, person.given_names = "Andersson", "Sofia"
    person.save()
    page = client_for(booked_case.case.submitted_by).get(f"/{lang}/my/bookings/").content.decode()
    assert header in page and "ANDERSSON Sofia" in page
