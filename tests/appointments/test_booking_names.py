"""The booking pages name the applicant as the other pages do: a Chinese name in full-width brackets with no
space before it on a Chinese page, in brackets after a space on an English one."""

from __future__ import annotations

import pytest

from case_helpers import client_for

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
