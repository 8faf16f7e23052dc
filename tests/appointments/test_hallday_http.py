"""The day at the hall over HTTP: the API (check-in, walk-ins, calling, served, the board, the public
queue) and the pages (the board's forms, calling on to the intake page, the public screen), with who may."""

from __future__ import annotations

import json
from datetime import timedelta
from html.parser import HTMLParser
from unittest import mock

import pytest
from tests.appointments.helpers import BEFORE, at

from case_helpers import client_for, one_stop_submitted, submitted
from exitentry.accounts.audit import Actor
from exitentry.accounts.models import AuditEntry, Role
from exitentry.appointments import services
from exitentry.appointments.models import Booking, Counter, QueueTicket, Slot
from factories import applicant, officer

pytestmark = pytest.mark.django_db
NINE = at("2026-11-23T09:00")


@pytest.fixture(autouse=True)
def at_the_hall():
    """Requests are answered just after the hall opens, inside the first slot of the test week (a walk-in
    ticket is issued in the hall's hours only)."""
    with mock.patch("exitentry.clock.now", return_value=NINE + timedelta(minutes=10)):
        yield


def post(client, path: str, body: dict | None = None, **headers):
    return client.post(f"/api/v1{path}", json.dumps(body or {}), content_type="application/json", **headers)


def test_the_api_checks_in_calls_and_serves(booked_case) -> None:
    clerk = client_for(officer())
    made = post(clerk, "/hall-day/reception-hall/check-in", {"reference": f"QR:{booked_case.reference}"})
    assert made.status_code == 201, made.content
    assert made.json()["ticket"] == "R001" and made.json()["booking"] == booked_case.reference
    called = post(clerk, "/hall-day/reception-hall/counters/1/call-next")
    assert called.status_code == 200, called.content
    assert (called.json()["counter"], called.json()["intake"]) == (
        1,
        f"/console/cases/{booked_case.case_id}/",
    )
    busy = post(clerk, "/hall-day/reception-hall/counters/1/call-next")
    assert busy.status_code == 409 and "R001 is still at counter 1" in busy.content.decode()
    done = post(clerk, f"/tickets/{called.json()['id']}/served")
    assert post(clerk, "/hall-day/reception-hall/counters/1/call-next").status_code == 204
    assert done.status_code == 200 and done.json()["state"] == "served"
    board = clerk.get("/api/v1/hall-day/reception-hall").json()
    assert (board["booked"], board["checked_in"], board["served"]) == (1, 1, 1)
    assert board["average_wait_minutes"] == 0.0
    public = client_for(None).get("/api/v1/halls/reception-hall/queue")
    assert public.status_code == 200
    assert public.json() == {
        "hall_id": "reception-hall",
        "called": [{"ticket": "R001", "counter": 1}],
        "withdrawn": [],
        "waiting": 0,
    }
    assert {"booking.check_in", "ticket.call", "ticket.serve"} <= set(
        AuditEntry.objects.values_list("action", flat=True)
    )


def test_a_refused_check_in_answers_in_both_languages(booked_case) -> None:
    """An officer of both halls is told where the booking is; one of the other hall alone is not
    (``test_tickets``: answered as an unknown reference)."""
    answer = post(
        client_for(officer("reception-hall", "zhongguancun")),
        "/hall-day/zhongguancun/check-in",
        {"reference": booked_case.reference},
    )
    assert answer.status_code == 422
    detail = answer.json()["detail"][0]
    assert detail["field"] == "reference" and "not at" in detail["message"] and "不是" in detail["message_zh"]


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_check_in_of_an_ended_booking_names_its_state_in_each_language(booked_case, lang) -> None:
    Booking.objects.filter(reference=booked_case.reference).update(state=Booking.State.CANCELLED)
    answer = post(
        client_for(officer()),
        "/hall-day/reception-hall/check-in",
        {"reference": booked_case.reference},
        HTTP_ACCEPT_LANGUAGE=lang,
    )
    assert answer.status_code == 409, answer.content
    detail = answer.json()["detail"][0]
    assert detail["message"] == "This appointment is no longer active (Cancelled)."
    assert detail["message_zh"] == "该预约已失效（已取消）。"


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_check_in_of_a_booking_cancelled_for_the_applicant_says_why_as_the_applicant_reads_it(
    booked_case, lang
) -> None:
    """Cancelled by the system, not its booker: the officer reads the reason the applicant's booking page
    gives, on the day board and over the API."""
    Booking.objects.filter(reference=booked_case.reference).update(
        state=Booking.State.CANCELLED, ended_because=Booking.EndReason.CASE_CLOSED
    )
    answer = post(
        client_for(officer()),
        "/hall-day/reception-hall/check-in",
        {"reference": booked_case.reference},
        HTTP_ACCEPT_LANGUAGE=lang,
    )
    detail = answer.json()["detail"][0]
    assert detail["message"] == (
        "This appointment is no longer active (Cancelled). Not needed any more: it was for handing in the "
        "materials, and the application is past that step."
    )
    assert (
        detail["message_zh"] == "该预约已失效（已取消）。已无需此预约：该预约用于递交材料，申请已过该环节。"
    )
    board = client_for(officer()).post(
        f"/{lang}/console/hall/reception-hall/day/check-in/",
        {"reference": booked_case.reference},
        HTTP_HX_REQUEST="true",
    )
    said = detail["message"] if lang == "en" else detail["message_zh"]
    assert said in board.content.decode()


def test_walk_in_tickets_over_the_api() -> None:
    case = one_stop_submitted()
    clerk = client_for(officer(case.hall_id))
    made = post(clerk, f"/hall-day/{case.hall_id}/walk-ins", {"case": case.reference})
    assert made.status_code == 201, made.content
    assert made.json()["ticket"] == "W001"
    assert post(clerk, f"/hall-day/{case.hall_id}/walk-ins", {"case": str(case.pk)}).status_code == 409
    booking_case = submitted(applicant(), "rp-work")
    refused = post(
        client_for(officer(booking_case.hall_id)),
        f"/hall-day/{booking_case.hall_id}/walk-ins",
        {"case": str(booking_case.pk)},
    )
    assert refused.status_code == 422 and refused.json()["detail"][0]["message_zh"]


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("applicant", 403), ("other hall", 403), ("officer", 200), ("supervisor", 200)],
)
def test_who_sees_the_day_board(who, status) -> None:
    users = {
        "anonymous": lambda: None,
        "applicant": applicant,
        "other hall": lambda: officer("shijingshan"),
        "officer": officer,
        "supervisor": lambda: officer(role=Role.SUPERVISOR),
    }
    client = client_for(users[who]())
    assert client.get("/api/v1/hall-day/reception-hall").status_code == status
    assert post(client, "/hall-day/reception-hall/counters/1/call-next").status_code in (
        {200: 204}.get(status, status),
    )
    page = client.get("/en/console/hall/reception-hall/day/")
    assert page.status_code == {401: 302}.get(status, status)
    assert client.get("/en/halls/reception-hall/queue/").status_code == 200  # the screen is for everyone
    assert client.get("/api/v1/halls/reception-hall/queue").status_code == 200


def test_an_applicant_checks_nobody_in(booked_case) -> None:
    answer = post(
        client_for(booked_case.booked_by),
        "/hall-day/reception-hall/check-in",
        {"reference": booked_case.reference},
    )
    assert answer.status_code == 403
    assert Booking.objects.get(pk=booked_case.pk).state == Booking.State.ACTIVE


def test_an_unknown_hall_is_not_found() -> None:
    assert client_for(None).get("/api/v1/halls/atlantis/queue").status_code == 404
    assert client_for(None).get("/en/halls/atlantis/queue/").status_code == 404


def test_the_board_page_checks_in_and_calling_goes_to_the_intake_page(booked_case) -> None:
    clerk = client_for(officer(), csrf=False)
    queue = clerk.get("/en/console/")
    assert b"/en/console/hall/reception-hall/day/" in queue.content
    done = clerk.post(
        "/en/console/hall/reception-hall/day/check-in/", {"reference": booked_case.reference}, follow=True
    )
    assert "R001" in done.content.decode() and done.status_code == 200
    called = clerk.post("/en/console/hall/reception-hall/day/call-next/", {"counter": "1"})
    assert called.status_code == 302 and called["Location"] == f"/en/console/cases/{booked_case.case_id}/"
    board = clerk.get("/en/console/hall/reception-hall/day/").content.decode()
    assert f"/en/console/cases/{booked_case.case_id}/" in board
    ticket = QueueTicket.objects.get()
    assert clerk.post(f"/en/console/tickets/{ticket.pk}/served/").status_code == 302
    assert QueueTicket.objects.get().state == QueueTicket.State.SERVED


def test_a_refused_check_in_on_the_page_says_why_in_chinese(booked_case) -> None:
    clerk = client_for(officer("reception-hall", "zhongguancun"))
    answer = clerk.post(
        "/zh-hans/console/hall/zhongguancun/day/check-in/", {"reference": booked_case.reference}, follow=True
    )
    assert "不是" in answer.content.decode()
    assert not QueueTicket.objects.exists()


def test_the_public_screen_polls_and_shows_no_personal_data(booked_case) -> None:
    clerk = client_for(officer())
    post(clerk, "/hall-day/reception-hall/check-in", {"reference": booked_case.reference})
    post(clerk, "/hall-day/reception-hall/counters/1/call-next")
    page = client_for(None).get("/en/halls/reception-hall/queue/").content.decode()
    assert 'hx-trigger="every 5s"' in page and "<script>" not in page
    partial = client_for(None).get("/en/halls/reception-hall/queue/", HTTP_HX_REQUEST="true").content.decode()
    assert "R001" in partial and "<html" not in partial
    person = booked_case.case.person
    for private in (booked_case.reference, booked_case.case.reference, person.surname, person.given_names):
        assert private not in page and private not in partial


def test_the_confirmations_qr_code_leads_to_check_in_at_the_bookings_hall(booked_case) -> None:
    from exitentry.appointments.confirmation import check_in_url

    url = check_in_url("http://testserver", booked_case.reference)
    clerk = client_for(officer("shijingshan", "reception-hall"))
    page = clerk.get(url, follow=True)
    assert page.redirect_chain[-1][0].endswith(
        f"/console/hall/reception-hall/day/?reference={booked_case.reference}"
    )
    assert f'value="{booked_case.reference}"' in page.content.decode()
    made = post(clerk, "/hall-day/reception-hall/check-in", {"reference": url})
    assert made.status_code == 201 and made.json()["booking"] == booked_case.reference
    assert client_for(applicant()).get(url, follow=True).status_code == 403


HTMX = {"HTTP_HX_REQUEST": "true"}
LIVE = "/en/console/hall/reception-hall/day/live/"


def test_the_board_polls_its_counts_and_tickets_but_not_its_forms(booked_case) -> None:
    page = client_for(officer()).get("/en/console/hall/reception-hall/day/").content.decode()
    live = page.index('id="hall-day-live"')
    assert f'hx-get="{LIVE}" hx-trigger="every 10s"' in page[live:]
    for form in ('id="check-in"', 'id="walk-in"', 'id="call-next"'):
        assert page.index(form) < live  # typed text is never swapped away by a poll
    assert "<script>" not in page
    post(client_for(officer()), "/hall-day/reception-hall/check-in", {"reference": booked_case.reference})
    polled = client_for(officer()).get(LIVE, **HTMX)
    assert polled.status_code == 200
    body = polled.content.decode()
    assert body.lstrip().startswith("<div") and "<html" not in body and "R001" in body
    assert 'id="count-waiting">1<' in body and 'id="check-in"' not in body
    assert client_for(officer("shijingshan")).get(LIVE, **HTMX).status_code == 403


def assert_board_read(entry, clerk, cases: list[int]) -> None:
    """``entry`` records ``clerk`` reading the reception hall's day board, which showed ``cases``."""
    assert (entry.actor_id, entry.object_type, entry.object_id) == (
        clerk.pk,
        "hall-day",
        "page reception-hall",
    )
    assert entry.new == {"cases": cases}


def test_the_board_page_records_the_cases_it_showed_and_its_poll_records_nothing(booked_case) -> None:
    """The board names the day's applicants and their bookings: opening it is one audit entry listing the
    cases shown, as the work queue's is; its poll every 10 s adds none (the page's entry names them)."""
    clerk = officer()
    client = client_for(clerk)
    post(client, "/hall-day/reception-hall/check-in", {"reference": booked_case.reference})
    other = booked_case.case.person
    page = client.get("/en/console/hall/reception-hall/day/").content.decode()
    assert booked_case.reference in page and str(other) in page
    entry = AuditEntry.objects.get(action="case.list")
    assert_board_read(entry, clerk, [booked_case.case_id])
    assert client.get(LIVE, **HTMX).status_code == 200
    assert AuditEntry.objects.filter(action="case.list").count() == 1


def test_a_booking_that_appears_after_the_page_is_recorded_by_the_poll_that_shows_it_once(
    booked_case,
) -> None:
    """A booking made after the board was opened shows its applicant's name at the next poll: that poll
    records its case (and only it), once; a poll with nothing new writes nothing."""
    clerk = officer()
    client = client_for(clerk)
    client.get("/en/console/hall/reception-hall/day/")
    assert client.get(LIVE, **HTMX).status_code == 200
    assert AuditEntry.objects.filter(action="case.list").count() == 1
    someone = applicant()
    later = submitted(someone, "rp-work")
    services.book(Actor(someone), later, Slot.objects.order_by("starts_at")[1].pk, now=BEFORE)
    polled = client.get(LIVE, **HTMX).content.decode()
    assert str(later.person) in polled
    entry = AuditEntry.objects.filter(action="case.list").latest("pk")
    assert_board_read(entry, clerk, [later.pk])
    assert client.get(LIVE, **HTMX).status_code == 200
    assert AuditEntry.objects.filter(action="case.list").count() == 2
    other = client_for(clerk)  # another session of the same officer has recorded nothing yet
    assert other.get(LIVE, **HTMX).status_code == 200
    assert AuditEntry.objects.filter(action="case.list").latest("pk").new == {
        "cases": [booked_case.case_id, later.pk]
    }


def test_the_api_day_board_records_the_cases_it_shows(booked_case) -> None:
    """The API's day board names the day's cases (their tickets): one audit entry lists them, as the
    page's does; a board with no ticket writes none."""
    clerk = officer()
    client = client_for(clerk)
    assert client.get("/api/v1/hall-day/reception-hall").status_code == 200
    assert not AuditEntry.objects.filter(action="case.list").exists()
    post(client, "/hall-day/reception-hall/check-in", {"reference": booked_case.reference})
    board = client.get("/api/v1/hall-day/reception-hall").json()
    assert [t["case_id"] for t in board["tickets"]] == [booked_case.case_id]
    entry = AuditEntry.objects.get(action="case.list")
    assert_board_read(entry, clerk, [booked_case.case_id])


def test_polling_keeps_no_idle_session_alive(booked_case) -> None:
    from exitentry.accounts.middleware import SEEN_KEY

    clerk = client_for(officer())
    session = clerk.session
    seen = session[SEEN_KEY] - 300
    session[SEEN_KEY] = seen
    session.save()
    assert clerk.get(LIVE, **HTMX).status_code == 200
    assert clerk.session[SEEN_KEY] == seen  # a poll is no activity
    assert clerk.get("/en/console/hall/reception-hall/day/").status_code == 200
    assert clerk.session[SEEN_KEY] > seen


def test_the_forms_swap_in_place_with_htmx_and_a_refusal_is_422_beside_the_form(booked_case) -> None:
    clerk = client_for(officer(), csrf=True)
    headers = {**HTMX, "HTTP_X_CSRFTOKEN": clerk.csrf_token}
    done = clerk.post(
        "/en/console/hall/reception-hall/day/check-in/", {"reference": booked_case.reference}, **headers
    )
    assert done.status_code == 200
    body = done.content.decode()
    assert body.lstrip().startswith('<form method="post"') and "Checked in: ticket R001." in body
    assert 'hx-swap-oob="true"' in body and 'id="count-waiting">1<' in body and 'value=""' in body
    again = clerk.post(
        "/zh-hans/console/hall/reception-hall/day/check-in/", {"reference": booked_case.reference}, **headers
    )
    assert again.status_code == 422
    refused = again.content.decode()
    assert "该预约已签到" in refused and 'aria-describedby="check-in-error"' in refused
    assert f'value="{booked_case.reference}"' in refused  # what was typed stays, to correct it
    bad = clerk.post("/en/console/hall/reception-hall/day/call-next/", {"counter": "x"}, **headers)
    assert bad.status_code == 422 and "Enter the number of your counter." in bad.content.decode()
    called = clerk.post("/en/console/hall/reception-hall/day/call-next/", {"counter": "1"}, **headers)
    assert called.status_code == 200  # the board stays, with the way to the intake page
    assert "Ticket R001 called to counter 1." in called.content.decode()
    assert f"/en/console/cases/{booked_case.case_id}/" in called.content.decode()
    ticket = QueueTicket.objects.get()
    served = clerk.post(f"/en/console/tickets/{ticket.pk}/served/", **headers)
    assert served.status_code == 200 and "Ticket R001 served." in served.content.decode()
    assert served.content.decode().lstrip().startswith('<div id="hall-day-live"')
    twice = clerk.post(f"/en/console/tickets/{ticket.pk}/served/", **headers)
    assert twice.status_code == 422 and "Only a called ticket" in twice.content.decode()
    walk = clerk.post("/en/console/hall/reception-hall/day/walk-in/", {"case": "nope"}, **headers)
    assert walk.status_code == 422 and 'value="nope"' in walk.content.decode()


def test_without_javascript_a_refusal_redirects_to_the_board_with_the_message(booked_case) -> None:
    clerk = client_for(officer())
    clerk.post("/en/console/hall/reception-hall/day/check-in/", {"reference": booked_case.reference})
    again = clerk.post("/en/console/hall/reception-hall/day/check-in/", {"reference": booked_case.reference})
    assert again.status_code == 302 and again["Location"] == "/en/console/hall/reception-hall/day/"
    assert "already checked in" in clerk.get(again["Location"]).content.decode()


def test_not_answered_over_the_api_and_on_the_board(booked_case) -> None:
    clerk = client_for(officer())
    post(clerk, "/hall-day/reception-hall/check-in", {"reference": booked_case.reference})
    ticket = post(clerk, "/hall-day/reception-hall/counters/1/call-next").json()
    assert ticket["missed"] == 0
    again = post(clerk, f"/tickets/{ticket['id']}/not-answered")
    assert again.status_code == 200 and (again.json()["state"], again.json()["missed"]) == ("waiting", 1)
    refused = post(clerk, f"/tickets/{ticket['id']}/not-answered")
    assert refused.status_code == 409 and refused.json()["detail"][0]["message_zh"]
    board = clerk.get("/en/console/hall/reception-hall/day/").content.decode()
    assert "Waiting · not answered once" in board
    assert (
        post(client_for(officer("shijingshan")), f"/tickets/{ticket['id']}/not-answered").status_code == 403
    )
    page = client_for(officer(), csrf=True)
    page.post(
        "/en/console/hall/reception-hall/day/call-next/", {"counter": "1"}, HTTP_X_CSRFTOKEN=page.csrf_token
    )
    assert (
        f'action="/en/console/tickets/{ticket["id"]}/not-answered/"'
        in page.get(LIVE, **HTMX).content.decode()
    )
    gone = page.post(
        f"/zh-hans/console/tickets/{ticket['id']}/not-answered/", HTTP_X_CSRFTOKEN=page.csrf_token, **HTMX
    )
    assert gone.status_code == 200 and "未到" in gone.content.decode() and "R001" in gone.content.decode()
    assert QueueTicket.objects.get().state == QueueTicket.State.NO_SHOW
    plain = client_for(officer()).post(f"/en/console/tickets/{ticket['id']}/not-answered/", follow=True)
    assert "Only a called ticket can be marked not answered." in plain.content.decode()
    board = clerk.get("/api/v1/hall-day/reception-hall").json()
    assert (board["no_show"], board["tickets"][0]["missed"]) == (1, 2)


@pytest.mark.parametrize(
    ("lang", "first", "second"),
    [
        ("en", "Not answered: it waits again, called later", "Not answered a second time: it did not come"),
        ("zh-hans", "未应答：重新排队，稍后再叫", "第二次未应答：记为未到"),
    ],
)
def test_what_not_answered_does_is_said_beside_the_button_not_only_in_a_tooltip(
    booked_case, lang, first, second
) -> None:
    clerk = client_for(officer())
    post(clerk, "/hall-day/reception-hall/check-in", {"reference": booked_case.reference})
    ticket = post(clerk, "/hall-day/reception-hall/counters/1/call-next").json()
    live = f"/{lang}/console/hall/reception-hall/day/live/"

    def said() -> str:
        page = clerk.get(live, **HTMX).content.decode()
        button = page.split(f'id="not-answered-{ticket["id"]}"', 1)[1].split(">", 1)[0]
        assert button == f' aria-describedby="not-answered-what-{ticket["id"]}"'  # no tooltip alone
        return page.split(f'id="not-answered-what-{ticket["id"]}"', 1)[1].split("</span>", 1)[0]

    assert first in said()
    post(clerk, f"/tickets/{ticket['id']}/not-answered")
    post(clerk, "/hall-day/reception-hall/counters/1/call-next")
    assert second in said()


@pytest.mark.parametrize(
    ("lang", "hint", "refusal"),
    [
        (
            "en",
            "Open counters in this hall: 1, 2.",
            "This hall has no open counter 3; its open counters: 1, 2.",
        ),
        ("zh-hans", "本大厅开放的窗口：1号、2号。", "本大厅没有开放的3号窗口；开放的窗口：1号、2号。"),
    ],
)
def test_my_counter_names_the_halls_open_counters_in_the_hint_and_in_a_refusal(
    booked_case, lang, hint, refusal
) -> None:
    Counter.objects.create(hall_id="reception-hall", number=2, categories=["*"])
    Counter.objects.create(hall_id="reception-hall", number=4, categories=["*"], active=False)
    clerk = client_for(officer())
    board = clerk.get(f"/{lang}/console/hall/reception-hall/day/").content.decode()
    assert hint in board and "e.g. 3" not in board
    answer = clerk.post(
        f"/{lang}/console/hall/reception-hall/day/call-next/", {"counter": "3"}, HTTP_HX_REQUEST="true"
    )
    assert answer.status_code == 422 and refusal in answer.content.decode()


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            [
                "This application is received by appointment only, so it gets no walk-in ticket.",
                "The applicant books a time and is checked in then; the next free time here is 23 November 2026 at 09:30.",
            ],
        ),
        (
            "zh-hans",
            [
                "此类申请须预约办理，不发放现场号。",
                "请申请人预约后届时签到；本大厅最近可约时间为2026年11月23日 09:30。",
            ],
        ),
    ],
)
def test_a_walk_in_for_a_case_that_books_tells_the_officer_what_to_do_and_the_next_free_time(
    booked_case, lang, words
) -> None:
    case = submitted(applicant(), "rp-work")
    clerk = client_for(officer(case.hall_id))
    answer = clerk.post(
        f"/{lang}/console/hall/{case.hall_id}/day/walk-in/", {"case": case.reference}, HTTP_HX_REQUEST="true"
    )
    page = answer.content.decode()
    assert answer.status_code == 422
    for said in words:
        assert said in page, said
    assert "then check in" not in page and "请先预约时间再签到" not in page


def _part(page: str, element_id: str) -> str:
    start = page.index(f'id="{element_id}"')
    return page[start : page.index("</section>", start)]


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_public_screen_says_now_calling_in_both_languages_and_lists_served_tickets_apart(
    booked_case, lang
) -> None:
    user = applicant()
    second = services.book(
        Actor(user), submitted(user, "rp-work"), Slot.objects.order_by("starts_at")[1].pk, now=BEFORE
    )
    clerk = client_for(officer())
    for booking in (booked_case, second):
        post(clerk, "/hall-day/reception-hall/check-in", {"reference": booking.reference})
    first = post(clerk, "/hall-day/reception-hall/counters/1/call-next").json()
    post(clerk, f"/tickets/{first['id']}/served")
    post(clerk, "/hall-day/reception-hall/counters/1/call-next")  # R002, at the counter now
    page = client_for(None).get(f"/{lang}/halls/reception-hall/queue/").content.decode()
    for words in (
        "Now calling",
        "正在叫号",
        "Recently called",
        "最近叫号",
        "Counter",
        "窗口",
        "waiting",
        "等候",
    ):
        assert words in page, words  # the screen faces foreigners: both languages whatever the page's
    now_calling, recent = _part(page, "now-calling"), _part(page, "recently-called")
    assert "R002" in now_calling and "R001" not in now_calling
    assert "R001" in recent and "R002" not in recent


def test_the_public_screen_before_any_call_says_no_ticket_called_yet_as_its_heading_says() -> None:
    page = client_for(None).get("/en/halls/reception-hall/queue/").content.decode()
    recent = _part(page, "recently-called")
    assert "No ticket called yet today" in recent and "今日尚未叫号" in recent


def test_the_public_screen_with_a_ticket_at_a_counter_and_none_served_does_not_say_none_was_called(
    booked_case,
) -> None:
    """The first ticket of the day at a counter: "Now calling" shows it, so the panel of the earlier calls
    says that none is served yet, not that no ticket was called (which the screen itself contradicts)."""
    clerk = client_for(officer())
    post(clerk, "/hall-day/reception-hall/check-in", {"reference": booked_case.reference})
    post(clerk, "/hall-day/reception-hall/counters/1/call-next")
    page = client_for(None).get("/zh-hans/halls/reception-hall/queue/").content.decode()
    assert "R001" in _part(page, "now-calling")
    recent = _part(page, "recently-called")
    assert "No ticket called yet today" not in recent and "今日尚未叫号" not in recent
    assert "No ticket served yet today." in recent and "今日尚无已办结的号码。" in recent


@pytest.mark.parametrize(
    ("lang", "heading", "booked", "checked_in", "label"),
    [
        (
            "en",
            "Today's appointments",
            "Booked",
            "Checked in",
            "Call the next ticket to my counter (its number)",
        ),
        ("zh-hans", "今日预约", "已预约", "已签到", "叫号到我的窗口（窗口号）"),
    ],
)
def test_the_board_lists_the_days_bookings_in_the_centred_column(
    booked_case, lang, heading, booked, checked_in, label
) -> None:
    """ "Booked 1" comes with the booking itself: time, reference, applicant, procedure and state."""
    from django.utils.html import escape

    from exitentry.law.catalog import catalog

    clerk = client_for(officer())
    url = f"/{lang}/console/hall/reception-hall/day/"
    page = clerk.get(url).content.decode()
    section = page[page.index(heading) :]
    title = catalog().procedure(booked_case.case.procedure_id).title.get(lang[:2])
    row = section[
        section.index(booked_case.reference) - 200 : section.index(
            "</tr>", section.index(booked_case.reference)
        )
    ]
    assert booked_case.slot.starts_at.astimezone(at("2026-11-23T09:00").tzinfo).strftime("%H:%M") in row
    assert escape(str(booked_case.case.person)) in row and escape(title) in row and booked in row
    assert f'<th scope="col">{"时间" if lang == "zh-hans" else "Time"}</th>' in section  # the time of day
    assert 'class="wide"' not in page and f'<label for="counter">{label}</label>' in page
    clerk.post(f"/{lang}/console/hall/reception-hall/day/check-in/", {"reference": booked_case.reference})
    again = clerk.get(url).content.decode()
    assert checked_in in again[again.index(booked_case.reference) :][:400]


@pytest.mark.parametrize(
    ("lang", "refused", "seen", "column"),
    [
        (
            "en",
            "see its appointment letter",
            "the appointment letter is recorded as seen",
            "appointment letter",
        ),
        ("zh-hans", "请核验其预约函", "已记录核验预约函", "预约函"),
    ],
)
def test_the_board_records_a_one_stop_arrival_with_its_appointment_letter(
    lang, refused, seen, column
) -> None:
    """Seed 002, 4. How to apply b: categories B and C come with the appointment letter of the Service System
    for Foreigners Working in China; the officer ticks that it was seen, and the board says so."""
    from factories import eligible_facts

    facts = {
        **eligible_facts("one-stop-work-permits"),
        "work_permit_category": "C",
        "limited_mobility": False,
        "high_level_talent": False,
    }
    case = one_stop_submitted(facts=facts)
    clerk = client_for(officer(case.hall_id))
    url = f"/{lang}/console/hall/{case.hall_id}/day/walk-in/"
    answer = clerk.post(url, {"case": case.reference}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 422 and refused in answer.content.decode()
    answer = clerk.post(url, {"case": case.reference, "letter_seen": "yes"}, HTTP_HX_REQUEST="true")
    assert answer.status_code == 200 and seen in answer.content.decode()
    assert QueueTicket.objects.get(case=case).appointment_letter
    board = clerk.get(f"/{lang}/console/hall/{case.hall_id}/day/").content.decode()
    assert column in board and ("Appointment letter seen" if lang == "en" else "已核验预约函") in board
    api = post(clerk, f"/hall-day/{case.hall_id}/walk-ins", {"case": case.reference, "letter_seen": True})
    assert api.status_code == 409  # one open ticket a case a day


class _Controls(HTMLParser):
    """The form controls a person fills in (not hidden fields, not buttons) and the labels that name them:
    by ``for`` or around them, their own text, and whether they are hidden from sight."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict] = []
        self.labels: dict[str, str] = {}  # the id named by ``for``: the label's text
        self.open: list[dict] = []  # the labels being read

    def handle_starttag(self, tag, attrs) -> None:
        attrs = dict(attrs)
        if tag == "label":
            self.open.append(
                {
                    "for": attrs.get("for"),
                    "text": "",
                    "hidden": "visually-hidden" in (attrs.get("class") or ""),
                }
            )
        elif tag in ("select", "textarea") or (
            tag == "input" and attrs.get("type") not in ("hidden", "submit", "button")
        ):
            self.controls.append(
                {"id": attrs.get("id"), "name": attrs.get("name"), "wrapped": list(self.open)}
            )

    def handle_data(self, data) -> None:
        for label in self.open:
            label["text"] += data

    def handle_endtag(self, tag) -> None:
        if tag == "label" and self.open:
            label = self.open.pop()
            if label["for"] and not label["hidden"]:
                self.labels[label["for"]] = label["text"].strip()


def unlabelled(page: str) -> list[str]:
    """The names of the controls on ``page`` without a visible label of their own."""
    found = _Controls()
    found.feed(page)
    return [
        c["name"]
        for c in found.controls
        if not found.labels.get(c["id"] or "")
        and not any(w["text"].strip() and not w["hidden"] for w in c["wrapped"])
    ]


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_every_input_of_the_day_board_and_the_opening_days_has_a_visible_label(booked_case, lang) -> None:
    """Each field the officer fills in on the day board (check-in, walk-in, the letter seen, call next),
    alone after a refusal too, and on the supervisor's opening days page, is named by a visible label (not
    one hidden from sight)."""
    clerk = client_for(officer())
    board = f"/{lang}/console/hall/reception-hall/day/"
    clerk.post(f"{board}check-in/", {"reference": booked_case.reference})
    clerk.post(f"{board}call-next/", {"counter": "1"})
    pages = {"board": clerk.get(board).content.decode()}
    for form, body in (("check-in", {"reference": "NO-SUCH"}), ("walk-in", {"case": "0"}), ("call-next", {})):
        pages[form] = clerk.post(f"{board}{form}/", body, HTTP_HX_REQUEST="true").content.decode()
    supervisor = client_for(officer(role=Role.SUPERVISOR))
    pages["opening days"] = supervisor.get(f"/{lang}/console/hall-days/").content.decode()
    assert 'id="served-' in pages["board"] and 'name="letter_seen"' in pages["board"]
    assert {name: unlabelled(page) for name, page in pages.items()} == {name: [] for name in pages}
    assert all(_fields(page) for page in pages.values())


def _fields(page: str) -> int:
    found = _Controls()
    found.feed(page)
    return len(found.controls)


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_withdrawn_cases_ticket_shows_as_withdrawn_on_the_board_and_the_screen_in_both_languages(
    booked_case, lang
) -> None:
    from exitentry.cases import services as case_services

    clerk = client_for(officer())
    post(clerk, "/hall-day/reception-hall/check-in", {"reference": booked_case.reference})
    case_services.withdraw(Actor(booked_case.case.submitted_by), booked_case.case)
    board = clerk.get(f"/{lang}/console/hall/reception-hall/day/").content.decode()
    said = {"en": "Withdrawn: application closed", "zh-hans": "已撤号：申请已结束"}[lang]
    assert 'class="ticket-withdrawn"' in board and said in board
    assert '<dd id="count-withdrawn">1</dd>' in board and '<dd id="count-waiting">0</dd>' in board
    api = clerk.get("/api/v1/hall-day/reception-hall").json()
    assert (api["withdrawn"], api["tickets"][0]["state"]) == (1, "withdrawn")
    screen = client_for(None).get(f"/{lang}/halls/reception-hall/queue/").content.decode()
    withdrawn = _part(screen, "withdrawn")
    for words in (
        "Withdrawn: application closed",
        "已撤号：申请已结束",
        "R001",
        "will not be called",
        "不再叫号",
    ):
        assert words in withdrawn, words  # the screen speaks both languages whatever the page's
    assert "R001" not in _part(screen, "now-calling")
    public = client_for(None).get("/api/v1/halls/reception-hall/queue").json()
    assert (public["withdrawn"], public["waiting"]) == ([{"ticket": "R001"}], 0)


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_permit_ready_for_pick_up_gets_a_ticket_to_collect_it_on_the_board(lang) -> None:
    from tests.appointments.test_tickets import ready_for_pick_up

    from exitentry.law.rules.collection import collection_visit

    case, _ = ready_for_pick_up()
    clerk = client_for(officer(case.hall_id), csrf=False)
    answer = clerk.post(
        f"/{lang}/console/hall/{case.hall_id}/day/walk-in/", {"case": case.reference}, follow=True
    ).content.decode()
    said = {
        "en": ("Ticket R001 issued to collect the permit.", "Collect the permit", "Visit for"),
        "zh-hans": ("已发放领证号码R001。", "领取证件", "来访事由"),
    }[lang]
    for words in said:
        assert words in answer, words
    assert 'class="ticket-purpose-collect"' in answer
    rule = collection_visit()  # the walk-in form says why, in the law core's words, cited
    text = {"en": rule.text.en, "zh-hans": rule.text.zh}[lang]
    assert text in answer and {"en": "Collection", "zh-hans": "领证"}[lang] in answer
    api = clerk.get(f"/api/v1/hall-day/{case.hall_id}").json()
    assert api["tickets"][0]["purpose"] == "collect"


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_ticket_ended_by_the_collection_says_so_where_its_counter_would_be(lang) -> None:
    """A ticket still waiting when the hall records the permit collected ends served without a counter
    (``tickets.end_closed``): the board says it was served at the collection, not a bare dash, and the
    API says so too; a ticket served at a counter still shows its counter."""
    from tests.appointments.test_tickets import ready_for_pick_up

    from exitentry.appointments import tickets
    from exitentry.cases import services as case_services
    from factories import TODAY

    case, officer_actor = ready_for_pick_up()
    ticket = tickets.issue_walk_in(officer_actor, case, now=NINE + timedelta(minutes=5))
    if due := case_services.fee_of(case, TODAY).due:
        case_services.record_payment(officer_actor, case, due, "cash", on=TODAY)
    case_services.collect(officer_actor, case, on=TODAY)
    clerk = client_for(officer(case.hall_id))
    board = clerk.get(f"/{lang}/console/hall/{case.hall_id}/day/").content.decode()
    row = board[board.index('<tr class="ticket-served">') :]
    row = row[: row.index("</tr>")]
    said = {"en": "Served at the collection", "zh-hans": "领证时已办结"}[lang]
    assert f'<td class="ticket-counter-collection">{said}</td>' in row, row
    assert "<td>—</td>" not in row
    api = clerk.get(f"/api/v1/hall-day/{case.hall_id}").json()
    [out] = api["tickets"]
    assert (out["id"], out["state"], out["counter"], out["served_at_collection"]) == (
        ticket.pk,
        "served",
        None,
        True,
    )


def test_a_ticket_served_at_a_counter_shows_its_counter_not_the_collection(booked_case) -> None:
    clerk = client_for(officer())
    post(clerk, "/hall-day/reception-hall/check-in", {"reference": booked_case.reference})
    called = post(clerk, "/hall-day/reception-hall/counters/1/call-next").json()
    post(clerk, f"/tickets/{called['id']}/served")
    board = clerk.get("/en/console/hall/reception-hall/day/").content.decode()
    row = board[board.index('<tr class="ticket-served">') :]
    row = row[: row.index("</tr>")]
    assert "<td>1</td>" in row and "collection" not in row
    [out] = clerk.get("/api/v1/hall-day/reception-hall").json()["tickets"]
    assert (out["counter"], out["served_at_collection"]) == (1, False)


@pytest.mark.parametrize("lang, told", [("en", "R001 is still at counter 1"), ("zh-hans", "R001仍在1号窗口")])
def test_the_board_refuses_a_second_call_at_a_busy_counter(booked_case, lang, told) -> None:
    user = applicant()
    second = services.book(
        Actor(user), submitted(user, "rp-work"), Slot.objects.order_by("starts_at")[1].pk, now=BEFORE
    )
    clerk = client_for(officer(), csrf=False)
    for booking in (booked_case, second):
        post(clerk, "/hall-day/reception-hall/check-in", {"reference": booking.reference})
    url = f"/{lang}/console/hall/reception-hall/day/call-next/"
    assert clerk.post(url, {"counter": "1"}, HTTP_HX_REQUEST="true").status_code == 200
    busy = clerk.post(url, {"counter": "1"}, HTTP_HX_REQUEST="true")
    assert busy.status_code == 422 and told in busy.content.decode()
    assert QueueTicket.objects.filter(state=QueueTicket.State.CALLED).count() == 1


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_public_screen_is_a_full_width_display_without_the_sites_menu(lang) -> None:
    """Shown on a screen in the hall: no site menu, no sign-in link, no language switch; the display's
    own layout, the whole width of the screen, still refreshed by htmx."""
    page = client_for(None).get(f"/{lang}/halls/reception-hall/queue/").content.decode()
    assert 'class="site-nav"' not in page and "/sign-in/" not in page and "language-switch" not in page
    assert '<main id="content" tabindex="-1" class="queue-display"' in page
    assert 'hx-trigger="every 5s"' in page and "web/htmx.min.js" in page
    assert "北京市公安局出入境管理总队接待大厅" in page and "Reception Hall" in page


@pytest.mark.parametrize(
    ("state", "lang", "said"),
    [
        ("withdrawn", "en", "This application is closed (Withdrawn): nothing is left to do at the counter."),
        ("collected", "en", "This application is closed (Collected): nothing is left to do at the counter."),
        ("refused", "zh-hans", "该申请已结束（"),
    ],
)
def test_a_walk_in_for_a_closed_case_says_it_is_closed_and_offers_no_time(state, lang, said) -> None:
    """A case that books here, closed (withdrawn, collected, refused): the officer is told the application
    is over, not to have the applicant book its next free time."""
    case = submitted(applicant(), "rp-work")
    type(case).objects.filter(pk=case.pk).update(state=state)
    clerk = client_for(officer(case.hall_id))
    answer = clerk.post(
        f"/{lang}/console/hall/{case.hall_id}/day/walk-in/", {"case": case.reference}, HTTP_HX_REQUEST="true"
    )
    page = answer.content.decode()
    assert answer.status_code == 422 and said in page
    assert "appointment only" not in page and "须预约办理" not in page
    assert "next free time" not in page and "最近可约时间" not in page
    assert not QueueTicket.objects.exists()
