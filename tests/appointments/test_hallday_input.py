"""The day board reads what the officer typed as it is (newcomer findings): an empty check-in or walk-in
asks for the reference or the number instead of saying none matches; a counter number no hall has (23
digits) is refused naming the hall's counters, never cut to ten digits and echoed back; a number too long
to be an application's is "no application", not a server error."""

from __future__ import annotations

from datetime import timedelta
from html import unescape
from unittest import mock

import pytest
from tests.appointments.helpers import at

from case_helpers import client_for
from exitentry.appointments.models import Counter, QueueTicket
from factories import officer

pytestmark = pytest.mark.django_db
NINE = at("2026-11-23T09:00")
BOARD = "/{lang}/console/hall/reception-hall/day"


@pytest.fixture(autouse=True)
def at_the_hall():
    with mock.patch("exitentry.clock.now", return_value=NINE - timedelta(minutes=15)):
        yield


def step(lang: str, form: str, data: dict, htmx: bool = True):
    headers = {"HX-Request": "true"} if htmx else {}
    return client_for(officer()).post(f"{BOARD.format(lang=lang)}/{form}/", data, headers=headers)


@pytest.mark.parametrize(
    ("lang", "said", "not_said"),
    [
        (
            "en",
            "Enter the appointment's reference: scan its QR code or type its 10 characters.",
            "No appointment at this hall has this reference",
        ),
        ("zh-hans", "请扫描预约二维码或输入10位预约号。", "本大厅没有该编号的预约"),
    ],
)
@pytest.mark.parametrize("typed", ["", "   "])
def test_an_empty_check_in_asks_for_the_reference(booked_case, lang, said, not_said, typed):
    answer = step(lang, "check-in", {"reference": typed})
    page = unescape(answer.content.decode())
    assert answer.status_code == 422 and said in page and not_said not in page


@pytest.mark.parametrize(
    ("lang", "said", "not_said"),
    [
        ("en", "Enter the application's number.", "No application of this hall has that number"),
        ("zh-hans", "请输入申请编号。", "本大厅没有该编号的申请"),
    ],
)
def test_an_empty_walk_in_asks_for_the_applications_number(booked_case, lang, said, not_said):
    answer = step(lang, "walk-in", {"case": " "})
    page = unescape(answer.content.decode())
    assert answer.status_code == 422 and said in page and not_said not in page
    assert not QueueTicket.objects.exists()


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_number_too_long_for_any_application_is_no_application_not_a_server_error(booked_case, lang):
    answer = step(lang, "walk-in", {"case": "9" * 30})
    assert answer.status_code == 422 and not QueueTicket.objects.exists()


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "Enter the number of one of this hall's open counters: 1, 2."),
        ("zh-hans", "请输入本大厅开放窗口的号码：1号、2号。"),
    ],
)
@pytest.mark.parametrize("typed", ["9" * 23, "0", "-1", "40000"])
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_a_counter_number_out_of_range_is_refused_naming_the_halls_counters(
    booked_case, lang, said, typed, htmx
):
    Counter.objects.create(hall_id="reception-hall", number=2, categories=["*"])
    clerk = client_for(officer())
    answer = clerk.post(
        f"{BOARD.format(lang=lang)}/call-next/",
        {"counter": typed},
        headers={"HX-Request": "true"} if htmx else {},
    )
    page = unescape((answer if htmx else clerk.get(answer["Location"])).content.decode())
    assert answer.status_code == (422 if htmx else 302)
    assert said in page and "counter 9999999999" not in page and "9999999999号" not in page
    assert not QueueTicket.objects.filter(state=QueueTicket.State.CALLED).exists()


def test_a_counter_number_out_of_range_in_a_hall_without_counters_is_refused_not_stored(booked_case):
    Counter.objects.filter(hall_id="reception-hall").update(active=False)
    answer = step("en", "call-next", {"counter": "9" * 23})
    assert answer.status_code == 422 and "Enter the number of your counter" in unescape(
        answer.content.decode()
    )
    assert not QueueTicket.objects.filter(state=QueueTicket.State.CALLED).exists()
