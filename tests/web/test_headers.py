"""The response headers, over real HTTP through the whole stack (Django's test client): a
Content-Security-Policy on every page, no inline script or style in any page it would block,
``Cache-Control: no-store`` on whatever may carry personal data, and a Permissions-Policy."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from case_helpers import accepted, sign_in
from exitentry.accounts.models import Role
from exitentry.documents.tokens import make_token
from factories import UserFactory, applicant, officer

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


# --- the pages ------------------------------------------------------------------------------------


@pytest.fixture
def world():
    owner = applicant()
    case, clerk = accepted(owner, "rp-work")
    admin = UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    return {"case": case, "owner": owner, "clerk": clerk.user, "admin": admin}


def pages(world) -> list[tuple[object, str]]:
    """(who, path) of the main pages of every side; None: not signed in."""
    case = world["case"]
    return [
        (None, "/zh-hans/"),
        (None, "/en/guide/rp-work/"),
        (None, "/en/advisor/rp-work/"),
        (None, "/zh-hans/halls/"),
        (None, "/en/sources/"),
        (None, "/en/sign-in/"),
        (None, "/api/docs"),
        (world["owner"], "/en/my/"),
        (world["owner"], f"/zh-hans/my/{case.pk}/"),
        (world["clerk"], "/zh-hans/console/"),
        (world["clerk"], f"/en/console/cases/{case.pk}/"),
        (world["clerk"], "/en/second-factor/backup-codes/"),
        (world["admin"], "/admin/"),
        (world["admin"], "/admin/accounts/user/"),
    ]


class InlineCode(HTMLParser):
    """What a page holds that a policy without 'unsafe-inline' would block: a script without src (data
    such as type="application/json" is not run, so not blocked), an on…= handler, a style= attribute, a
    <style> element."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        names = dict(attrs)
        if tag == "script" and "src" not in names and names.get("type") not in ("application/json",):
            self.found.append(f"<script> without src: {attrs}")
        if tag == "style":
            self.found.append("<style>")
        for name, _ in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"<{tag} {name}=…>")


def client_of(user) -> Client:
    return Client() if user is None else sign_in(Client(), user)


def test_every_main_page_has_the_policy_and_nothing_inline_it_would_block(world):
    for who, path in pages(world):
        response = client_of(who).get(path)
        assert response.status_code == 200, path
        policy = directives(response)
        assert policy["default-src"] == ["'none'"], path
        assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"], path
        assert policy["frame-ancestors"] == ["'none'"] and policy["form-action"] == ["'self'"], path
        assert "'unsafe-inline'" not in response["Content-Security-Policy"], path
        assert "'unsafe-eval'" not in response["Content-Security-Policy"], path
        parser = InlineCode()
        parser.feed(response.content.decode())
        assert parser.found == [], path


def test_htmx_is_told_not_to_add_its_own_styles_and_to_run_no_eval():
    page = Client().get("/en/").content.decode()
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", page).group(1)
    assert '"includeIndicatorStyles": false' in config and '"allowEval": false' in config
    assert '<script src="/static/web/site.js" defer></script>' in page


def test_the_policy_is_on_api_answers_and_errors_too(world):
    assert "default-src 'none'" in Client().get("/api/v1/procedures")["Content-Security-Policy"]
    assert "default-src 'none'" in Client().get("/en/no-such-page/")["Content-Security-Policy"]
    assert "default-src 'none'" in Client().get("/api/v1/nothing")["Content-Security-Policy"]


# --- Cache-Control: no-store ------------------------------------------------------------------------


def test_every_answer_to_a_signed_in_user_is_no_store(world):
    case = world["case"]
    for who, path in pages(world) + [
        (world["owner"], "/en/"),  # a public page, but its header names the user
        (world["owner"], "/api/v1/procedures"),
        (world["owner"], f"/api/v1/cases/{case.pk}"),
        (world["clerk"], "/api/v1/queue"),
        (world["owner"], f"/api/v1/cases/{case.pk}/documents/receipt"),
    ]:
        if who is None:
            continue
        response = client_of(who).get(path)
        assert response.status_code == 200, path
        assert no_store(response) and "private" in response["Cache-Control"], path


def test_what_the_published_law_answers_anyone_may_be_cached_and_nothing_else():
    anyone = Client()
    for path in (
        "/zh-hans/",
        "/en/guide/rp-work/",
        "/en/halls/",
        "/en/sources/",
        "/api/v1/procedures",
        "/api/v1/halls",
    ):
        response = anyone.get(path)
        assert response.status_code == 200 and not no_store(response), path
    case, _ = accepted(applicant(), "rp-work")
    for response in (
        anyone.get("/en/sign-in/"),  # a form with its CSRF token
        anyone.post("/en/advisor/rp-work/", {}),  # a person's answers
        anyone.post("/api/v1/advice", {}, content_type="application/json"),
        anyone.get(f"/api/v1/cases/{case.pk}"),  # 401
        anyone.get("/en/no-such-page/"),
        anyone.get(f"/verify/{make_token('receipt', case.receipt.number)}"),  # names the holder
    ):
        assert no_store(response), (response.request["PATH_INFO"], response.status_code)


def test_an_officer_between_password_and_code_gets_no_store_too():
    user = officer("reception-hall")
    client = Client()
    client.post("/en/sign-in/", {"username": user.username, "password": "correct horse battery staple"})
    response = client.get("/en/second-factor/enrol/")
    assert response.status_code == 200 and no_store(response)  # it shows the new secret


# --- Permissions-Policy -----------------------------------------------------------------------------


def test_the_permissions_policy_turns_off_the_camera_and_the_other_device_features(world):
    for who, path in [(None, "/en/"), (world["clerk"], "/en/console/"), (None, "/api/v1/procedures")]:
        policy = client_of(who).get(path)["Permissions-Policy"]
        features = dict(item.strip().split("=") for item in policy.split(","))
        for feature in ("camera", "microphone", "geolocation", "payment", "usb", "serial"):
            assert features[feature] == "()", (path, feature)


# --- framing, sniffing, referrers and cookies (DEBUG off, as production) ----------------------------


@pytest.mark.parametrize("path", ["/en/", "/en/sign-in/", "/api/v1/halls", "/en/no-such-page/"])
def test_no_page_may_be_framed_sniffed_or_leak_its_address(path):
    response = Client().get(path)
    assert response["X-Frame-Options"] == "DENY" and "'none'" in directives(response)["frame-ancestors"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_session_cookie_is_http_only_and_both_cookies_same_site():
    user = applicant()
    browser = Client()
    browser.get("/en/sign-in/")
    signed = browser.post(
        "/en/sign-in/", {"username": user.username, "password": "correct horse battery staple"}
    )
    session, csrf = signed.cookies["sessionid"], browser.cookies["csrftoken"]
    assert session["httponly"] is True and session["samesite"] == "Lax"
    assert csrf["samesite"] == "Lax"


# --- the advisor's answers --------------------------------------------------------------------------


def private_no_store(response) -> bool:
    """``no-store`` and ``private``: neither a shared cache nor the browser's Back/Forward keeps the page."""
    said = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= said


def test_the_advisors_result_pages_are_no_store_and_private_its_first_question_public():
    """The advisor's answers travel in the form and on to the apply page's query string: every page that
    carries them is kept by no cache, as a signed-in page is (``web.headers``); the first question, with
    no answer, is the published law and may be cached."""
    from advisor_forms import as_answers

    from factories import eligible_facts

    answers = as_answers(eligible_facts("rp-work"))
    anyone = Client()
    assert not no_store(anyone.get("/en/advisor/rp-work/"))
    result = anyone.post("/en/advisor/rp-work/", answers)
    assert result.status_code == 200 and private_no_store(result)
    for lang in (
        "en",
        "zh-hans",
    ):  # answers in the query string, as a link or the browser's history keeps them
        response = anyone.get(f"/{lang}/advisor/rp-work/", answers)
        assert response.status_code == 200 and private_no_store(response), response.get("Cache-Control")
    signed_in = sign_in(Client(), applicant())
    apply_page = signed_in.get("/en/apply/rp-work/", answers)
    assert apply_page.status_code == 200 and private_no_store(apply_page)
