"""An htmx step that fails, in a real headless Chromium on the hall's day board: htmx swaps no 4xx or 5xx
but the form's 422 (base.html's responseHandling), so site.js shows the error page's message before the
form, in both languages, with a link that reloads the page, and what the officer typed stays in the field.
A 429 says when to try again; a poll that fails (a 500, the network down) only says since when the board
is not updated, and the note goes once a poll is answered again. Its times are Beijing's, as everywhere on
the site: the browser runs in Los Angeles. A console error other than a failed request's fails the test."""

from __future__ import annotations

import re
import time
from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import Http404
from playwright.sync_api import expect
from signing_in import fill_sign_in
from tests.appointments.helpers import at, hall_with_slots

from case_helpers import authenticator
from exitentry.law.calendar import BEIJING
from factories import officer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BOARD = "/console/hall/reception-hall/day/"
ELSEWHERE = "America/Los_Angeles"
# What a failed request may leave in the console: the browser's and htmx's own lines for it, each a
# failure the test makes (a proxy's, the app's, the network down).
EXPECTED_CONSOLE = re.compile(
    r"Failed to load resource: (the server responded with a status of [45]\d\d|net::ERR_INTERNET_DISCONNECTED)"
    r"|Response Status Error Code [45]\d\d from /|htmx:(sendError|afterRequest)\b"  # the network down
    r"|.*Content Security Policy"  # the policy's refusals: conftest's check
)


@pytest.fixture
def browser_timezone() -> str:
    """Far from Beijing: the box says Beijing's time all the same."""
    return ELSEWHERE


@pytest.fixture(autouse=True)
def console_errors(page):
    """The page's console errors and uncaught exceptions: any the failures do not explain fails the test."""
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"uncaught: {e}"))
    yield errors
    page.wait_for_timeout(100)  # a last message in flight
    assert [e for e in errors if not EXPECTED_CONSOLE.match(e)] == []


def beijing_clock(at: float) -> set[str]:
    """``at`` (seconds since the epoch) in Beijing as HH:MM, or the minute before (the box read the clock
    a moment earlier)."""
    return {datetime.fromtimestamp(at - s, BEIJING).strftime("%H:%M") for s in (0, 60)}


def try_again_at(box) -> str:
    shown = re.search(r"try again after (\d\d:\d\d) Beijing time", box.inner_text())
    assert shown, box.inner_text()
    return shown[1]


@pytest.fixture
def board(page, live_url, monkeypatch):
    """The officer on the day board, in English; ``board(language)`` opens it in another."""
    monkeypatch.setattr("exitentry.clock.now", lambda: at("2026-11-23T08:50"))
    monkeypatch.setattr("exitentry.web.case_pages.beijing_today", lambda: at("2026-11-23T08:50").date())
    hall_with_slots("reception-hall", 30)
    clerk = officer("reception-hall")
    authenticator(clerk)
    page.goto(f"{live_url}/en/sign-in/")
    fill_sign_in(page, clerk)

    def opened(language: str = "en"):
        page.goto(f"{live_url}/{language}{BOARD}")
        return page

    return opened


def failing(monkeypatch, name: str, exc: Exception) -> list:
    """``tickets.<name>`` raises ``exc`` in the live server until the list returned is emptied."""
    from exitentry.web.hallday_views import tickets

    original = getattr(tickets, name)
    raised = [exc]

    def maybe(*args, **kwargs):
        if raised:
            raise raised[0]
        return original(*args, **kwargs)

    monkeypatch.setattr(tickets, name, maybe)
    return raised


def deadlock() -> OperationalError:
    """What the database raises when it breaks a deadlock (``exitentry.busy``)."""
    error = OperationalError("deadlock detected")
    error.__cause__ = type("Cause", (Exception,), {"sqlstate": "40P01"})()
    return error


def check_in(page, typed: str):
    page.fill("#reference", typed)
    page.locator("#check-in button[type=submit]").click()
    return page.locator("#check-in").locator(
        "xpath=preceding-sibling::*[1][contains(@class,'request-failed')]"
    )


def test_a_409_shows_not_saved_in_both_languages_and_keeps_what_was_typed(board, monkeypatch):
    page = board()
    raised = failing(monkeypatch, "check_in", deadlock())
    box = check_in(page, "R-TYPED-1")
    expect(box).to_be_visible()
    expect(box).to_have_attribute("role", "alert")
    expect(box).to_contain_text("Not saved")
    expect(box).to_contain_text("Someone else changed the same records at the same moment")
    expect(box).to_contain_text("他人同时在修改相同的记录")
    expect(box.locator("[lang='zh-Hans']").first).to_contain_text("未保存")
    reload = box.get_by_role("link", name=re.compile("Reload the page"))
    expect(reload).to_have_attribute("href", f"/en{BOARD}")  # this page again, not the action that failed
    expect(page.locator("#reference")).to_have_value("R-TYPED-1")

    raised.clear()  # the next try goes through: its answer replaces the box
    page.locator("#check-in button[type=submit]").click()
    expect(page.locator(".request-failed")).to_have_count(0)
    expect(page.locator("#reference")).to_have_attribute("aria-invalid", "true")  # no such booking: 422
    expect(page.locator("#reference")).to_have_value("R-TYPED-1")


def test_a_403_in_chinese_says_not_allowed_first(board, monkeypatch):
    page = board("zh-hans")
    failing(monkeypatch, "check_in", PermissionDenied("not this hall"))
    box = check_in(page, "R-TYPED-2")
    expect(box).to_contain_text("无权访问")
    expect(box).to_contain_text("Not allowed")
    expect(box.locator(".request-failed-title").first).not_to_have_attribute("lang", "en")
    expect(page.locator("#reference")).to_have_value("R-TYPED-2")


def test_a_500_shows_the_server_error_page_s_words(board, monkeypatch):
    page = board()
    failing(monkeypatch, "check_in", RuntimeError("a bug"))
    box = check_in(page, "R-TYPED-3")
    expect(box).to_contain_text("Server error")
    expect(box).to_contain_text("服务器出错")
    expect(box.locator("[lang='en']")).to_contain_text("Nothing already saved is lost")
    expect(page.locator("#reference")).to_have_value("R-TYPED-3")


def test_with_debug_on_django_s_own_404_page_is_said_by_its_status_alone(
    board, monkeypatch, settings, policy_violations
):
    """With DEBUG on, a 404 is Django's technical page: the URL patterns it tried, no heading in its main.
    No page of the site, so the box says the error's status, as for a proxy's answer, not that list."""
    page = board()
    settings.DEBUG = True
    failing(monkeypatch, "check_in", Http404("no such ticket"))
    box = check_in(page, "R-TYPED-7")
    expect(box).to_contain_text("the server answered with error 404")
    expect(box).to_contain_text("服务器返回错误 404")
    expect(box).not_to_contain_text("URLconf")
    expect(page.locator("#reference")).to_have_value("R-TYPED-7")
    page.wait_for_timeout(500)
    # site.js parsing the technical page (an inert document) has Chromium report its inline <style>: no other
    refused = {v.get("directive") or v["text"].split(" violates")[0] for v in policy_violations}
    assert refused == {"Applying inline style", "style-src-elem"}, policy_violations
    policy_violations.clear()


def test_a_429_from_a_proxy_says_when_to_try_again_in_beijing_time(board, live_url):
    """A proxy in front of the site may answer 429 (rate limiting): its answer, plain text, has no page to
    show, so the box says the error and the time to try again, Beijing's, whatever the browser's zone."""
    page = board()
    assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == ELSEWHERE
    page.route(
        re.compile(r".*/check-in/?$"),
        lambda route: route.fulfill(status=429, headers={"Retry-After": "600"}, body="Too Many Requests"),
    )
    box = check_in(page, "R-TYPED-4")
    expect(box).to_contain_text("Too many requests in a short time")
    assert try_again_at(box) in beijing_clock(time.time() + 600)
    expect(box).to_contain_text("北京时间")
    expect(box).to_contain_text("error 429")
    expect(page.locator("#reference")).to_have_value("R-TYPED-4")


def test_the_app_s_own_429_shows_its_words_and_when_to_try_again(board, live_url, settings):
    """No htmx step of the site is rate-limited, so the check-in is answered with the real 429 of a page
    that is: ``/verify/`` for an account past ``EXITENTRY_USER_RATE`` (``throttling.SessionThrottle``), its
    page and its ``Retry-After`` as the app sends them."""
    settings.EXITENTRY_USER_RATE = "1/h"
    page = board()
    verify = f"{live_url}/verify/no-such-code"
    assert page.request.get(verify).status == 404  # the account's one check this hour
    answers = []

    def throttled(route):
        answers.append(route.fetch(url=verify, method="GET"))
        route.fulfill(response=answers[-1])

    page.route(re.compile(r".*/check-in/?$"), throttled)
    box = check_in(page, "R-TYPED-6")
    expect(box).to_contain_text("Too many checks from your account")
    expect(box).to_contain_text("您的账户核验次数过多")
    assert answers[0].status == 429
    assert try_again_at(box) in beijing_clock(time.time() + int(answers[0].headers["retry-after"]))
    expect(box).not_to_contain_text("error 429")  # its page says what happened
    expect(page.locator("#reference")).to_have_value("R-TYPED-6")


def test_a_failed_poll_says_since_when_the_board_is_not_updated(board, monkeypatch):
    page = board()
    opened = time.time()
    page.fill("#case", "typed during the failure")

    raised = failing(monkeypatch, "day_board", RuntimeError("the board's query failed"))
    note = page.locator(".poll-stale")
    expect(note).to_be_visible(timeout=15000)  # the board polls every 10 s
    expect(note).to_have_attribute("role", "status")
    text = note.inner_text()
    shown = re.search(r"Not updated since (\d\d:\d\d) Beijing time", text)
    assert shown and "北京时间" in text and "未更新" in text, text
    assert shown[1] in beijing_clock(opened) | beijing_clock(opened + 60)
    expect(page.locator("#hall-day-live")).to_contain_text("Waiting")  # the board stays, not the 500 page
    expect(page.locator(".request-failed")).to_have_count(0)

    raised.clear()
    page.context.set_offline(True)  # the network down: the note stays, one of it
    page.wait_for_timeout(11000)
    expect(note).to_have_count(1)
    page.context.set_offline(False)
    expect(note).to_have_count(0, timeout=15000)  # answered again: the note goes
    expect(page.locator("#case")).to_have_value("typed during the failure")


def test_the_note_goes_when_the_recovering_poll_brings_a_changed_board(board):
    """The answer that ends a failure may change the board: it replaces the polled element, and the note
    before the new one goes all the same."""
    page = board()
    answers = {"fail": True}

    def poll(route):
        if answers["fail"]:
            route.fulfill(status=500, body="<main><p>Server error</p></main>", content_type="text/html")
            return
        fresh = route.fetch()
        route.fulfill(
            response=fresh, body=fresh.text().replace("</div>", "<p id='changed'>changed</p></div>", 1)
        )

    page.route(re.compile(r".*/live/?(\?.*)?$"), poll)
    note = page.locator(".poll-stale")
    expect(note).to_be_visible(timeout=15000)
    answers["fail"] = False
    expect(page.locator("#changed")).to_have_count(1, timeout=15000)
    expect(note).to_have_count(0)


@pytest.mark.parametrize("status", [401, 403])
def test_a_poll_refused_for_a_lapsed_sign_in_shows_the_failure_box_not_only_the_note(board, status):
    """Signed out, or the second factor lapsed: polling again cannot help, so the board says so in the
    failure box (its error page's words, a link to reload and sign in again), not only since when."""
    page = board()
    page.route(
        re.compile(r".*/live/?(\?.*)?$"),
        lambda route: route.fulfill(
            status=status, body="<main><h1>Sign in again</h1></main>", content_type="text/html"
        ),
    )
    box = page.locator(".request-failed")
    expect(box).to_be_visible(timeout=15000)
    expect(box).to_contain_text("Sign in again")


def test_an_error_page_s_markup_never_reaches_the_page_only_its_words(board, policy_violations):
    """The box rebuilds the error page's headings, paragraphs and list items from their text: no element or
    attribute of the answer is put into the page. Chromium reports the answer's inline handler under the
    page's policy once, as site.js parses the answer (an inert DOMParser document, where nothing runs):
    that one report and no other, so a handler of the answer that reached the page would fail the test."""
    page = board()
    body = (
        "<main><h1>Not saved</h1><p>Try <img id=picture alt='' src=x onerror=alert(1)><b id=bold>again</b>.</p>"
        "<ul><li>One</li><li><span id=inner>Two</span></li></ul></main>"
    )
    page.route(
        re.compile(r".*/check-in/?$"),
        lambda route: route.fulfill(status=409, body=body, content_type="text/html"),
    )
    box = check_in(page, "R-TYPED-5")
    expect(box).to_contain_text("Try again.")
    expect(box.locator("li")).to_have_text(["One", "Two"])
    expect(box.locator(".request-failed-title")).to_have_text("Not saved")
    assert box.locator("img, b, #picture, #bold, #inner").count() == 0
    page.wait_for_timeout(500)  # an image put into the page would have failed to load by now
    refused = [v.get("directive") or v["text"].split(" violates")[0] for v in policy_violations]
    assert sorted(refused) == ["Executing inline event handler", "script-src-attr"], policy_violations
    policy_violations.clear()
