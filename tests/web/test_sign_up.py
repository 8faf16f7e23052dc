"""An applicant opens their own account: signs up (username, e-mail, password, language), gets a link in
the outbox in that language, opens the account with it once before it expires, signs in, enters their own
registry record ("Your details") and starts an application. An address in use gets the same answer and its
owner a message; sign-ups are rate limited per address (IPv6 by /64) and per e-mail; all audited."""

from __future__ import annotations

import re
import threading
import time
from datetime import timedelta
from urllib.parse import quote

import pytest
from advisor_forms import as_answers, form_with_class, hidden_fields
from django.core import mail
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, TestCase, override_settings
from page_world import client_for, html, pages_today  # noqa: F401 - pages_today is an autouse fixture

from case_helpers import started
from exitentry import clock
from exitentry.accounts.audit import Actor
from exitentry.accounts.models import AuditEntry, Role, SignUp, User
from exitentry.accounts.one_time_links import digest
from exitentry.cases import services
from exitentry.cases.models import Case
from exitentry.messaging.models import Message
from exitentry.registry.models import Person, TravelDocument
from factories import PersonFactory, TravelDocumentFactory, UserFactory, applicant, eligible_facts
from worker_helpers import drain

pytestmark = pytest.mark.django_db
PASSWORD = "a long and unusual passphrase 42"
APPLY = "/en/apply/rp-work/?" + "&".join(
    f"{k}={quote(str(v))}" for k, v in as_answers(eligible_facts("rp-work")).items()
)
DETAILS = {
    "person-surname": "WEBER",
    "person-given_names": "ANNA",
    "person-sex": "F",
    "person-birth_date": "1985-06-01",
    "person-nationality": "DEU",
    "person-passport_number": "C01X00T47",
    "person-passport_country": "DEU",
    "person-passport_issued_on": "2021-03-01",
    "person-passport_expires_on": "2031-02-28",
}


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()


def sign_up(
    client: Client, username="anna.w", email="anna@example.org", language="zh-hans", lang="en", **extra
):
    data = {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD}
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(f"/{lang}/sign-up/", data | {"language": language} | extra, **_addr(extra))
    drain()
    return response


def _addr(extra: dict) -> dict:
    return {"REMOTE_ADDR": extra.pop("REMOTE_ADDR")} if "REMOTE_ADDR" in extra else {}


def main(response) -> str:
    """The page's content, without the per-session parts around it."""
    return re.search(r"<main.*?</main>", html(response), re.S).group(0)


def link_to(email: str) -> str:
    body = [m for m in mail.outbox if m.to == [email]][-1].body
    return re.search(r"http://testserver(/\S+/sign-up/confirm/[^/\s]+/)", body).group(1)


def test_a_newcomer_signs_up_opens_the_account_signs_in_enters_their_details_and_starts_a_draft():
    stranger = Client()
    asked = stranger.get(APPLY)  # the advisor's "Start this application", signed out
    assert asked.status_code == 302 and asked["Location"].startswith("/en/sign-in/?next=")
    sign_in_page = html(stranger.get(asked["Location"]))
    offered = re.search(r'href="(/en/sign-up/\?next=[^"]+)"', sign_in_page).group(1)
    form = html(stranger.get(offered.replace("&amp;", "&")))
    assert "Create an account" in form and 'name="language"' in form
    nxt = re.search(r'name="next" value="([^"]+)"', form).group(1).replace("&amp;", "&")
    response = sign_up(stranger, next=nxt)
    assert response.status_code == 303 and response["Location"] == "/en/sign-up/sent/"
    assert "Check your inbox" in html(stranger.get(response["Location"]))
    user = User.objects.get(username="anna.w")
    assert (user.is_active, user.role, user.email, user.language, user.person) == (
        False,
        Role.APPLICANT,
        "anna@example.org",
        "zh-hans",
        None,
    )
    message = Message.objects.get(user=user)
    assert message.subject == "请确认电子邮件地址以开通账户" and "48小时内有效" in message.body
    link = link_to("anna@example.org")
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert link.startswith("/zh-hans/sign-up/confirm/") and token not in message.body
    assert "/sign-up/confirm/[token hidden]/" in message.body
    assert SignUp.objects.get(user=user).token_hash == digest(token)
    refused = stranger.post("/en/sign-in/", {"username": "anna.w", "password": PASSWORD})
    assert refused.status_code == 200 and "_auth_user_id" not in stranger.session  # not yet active
    assert "anna.w" in html(stranger.get(link))  # a button: opening the link alone uses up nothing
    assert not User.objects.get(pk=user.pk).is_active
    opened = stranger.post(link)
    assert opened.status_code == 302 and opened["Location"] == f"/zh-hans/sign-in/?next={quote(nxt, safe='')}"
    signed_in = stranger.post("/en/sign-in/", {"username": "anna.w", "password": PASSWORD, "next": nxt})
    assert signed_in["Location"] == nxt
    to_details = stranger.get(nxt)
    assert to_details.status_code == 302 and to_details["Location"].startswith("/en/my/details/?next=")
    page = html(stranger.get(to_details["Location"]))
    assert "Your details" in page and "checks your identity and the original of your passport" in page
    assert "Regulations" in page and "Art. 16" in page
    saved = stranger.post(to_details["Location"], DETAILS | {"next": nxt})
    assert saved.status_code == 302 and saved["Location"] == nxt
    user.refresh_from_db()
    person = user.person
    assert (person.surname, person.given_names, person.nationality) == ("WEBER", "ANNA", "DEU")
    passport = TravelDocument.objects.get(person=person)
    assert (passport.number, passport.claim) == ("C01X00T47", True)  # a claim the hall checks at intake
    actions = list(AuditEntry.objects.filter(actor=user).values_list("action", flat=True))
    assert actions[:3] == ["account.sign-up", "account.sign-up.confirm", "person.create.own"]
    offer = html(stranger.get(nxt))
    answers = hidden_fields(form_with_class(offer, "start-application"))
    started = stranger.post("/en/apply/rp-work/", answers)
    assert started.status_code == 302 and Case.objects.get().person == person
    draft = html(
        stranger.get(started["Location"])
    )  # as its message says: upload, then choose a hall and submit
    assert draft.index('id="upload-h"') < draft.index('id="submit-h"')


def test_the_e_mail_is_in_english_when_english_is_chosen_and_home_leads_to_the_details():
    stranger = Client()
    sign_up(stranger, lang="zh-hans", language="en")
    message = Message.objects.get()
    assert message.subject == "Confirm your e-mail address to open your account"
    assert "for 48 hours" in message.body
    link = link_to("anna@example.org")
    assert link.startswith("/en/sign-up/confirm/")
    assert stranger.post(link)["Location"] == "/en/sign-in/"
    signed_in = stranger.post("/en/sign-in/", {"username": "anna.w", "password": PASSWORD})
    assert signed_in["Location"] == "/en/my/details/"
    assert "Enter your details" in html(stranger.get("/en/my/"))


def test_a_used_an_expired_and_a_forged_link_do_not_work(caplog):
    sign_up(Client())
    link = link_to("anna@example.org")
    assert Client().post(link).status_code == 302
    again = Client().post(link)
    assert again.status_code == 410 and "已被使用" in html(again)
    token = link.rstrip("/").rsplit("/", 1)[-1]  # Django logs the path of the 410: without the token
    assert "/sign-up/confirm/[token hidden]/" in caplog.text and token not in caplog.text
    assert Client().get(link).status_code == 410
    forged = link.rsplit("/", 2)[0] + "/" + "A" * 43 + "/"
    assert Client().post(forged).status_code == 410
    sign_up(Client(), username="ben.c", email="ben@example.org")
    SignUp.objects.filter(user__username="ben.c").update(
        created_at=clock.now() - timedelta(hours=49), expires_at=clock.now() - timedelta(seconds=1)
    )
    late = Client().post(link_to("ben@example.org"))
    assert late.status_code == 410 and not User.objects.get(username="ben.c").is_active
    confirmed = AuditEntry.objects.filter(action="account.sign-up.confirm")
    assert list(confirmed.values_list("object_id", flat=True)) == [
        str(User.objects.get(username="anna.w").pk)
    ]


def test_a_link_whose_sign_up_expired_before_its_e_mail_went_is_not_sent():
    with TestCase.captureOnCommitCallbacks(execute=True):
        Client().post(
            "/en/sign-up/",
            {
                "username": "anna.w",
                "email": "anna@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "language": "en",
            },
        )
    SignUp.objects.update(created_at=clock.now() - timedelta(hours=49), expires_at=clock.now())
    drain()
    assert mail.outbox == [] and Message.objects.get().state == "failed"


def test_an_address_in_use_gets_the_same_answer_and_its_owner_hears_someone_tried():
    holder = UserFactory(role=Role.APPLICANT, email="anna@example.org", language="en", username="anna.old")
    fresh = sign_up(Client(), username="fresh.one", email="fresh@example.org")
    taken = sign_up(Client(), username="someone.else", email="Anna@Example.org")
    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert main(Client().get(taken["Location"])) == main(Client().get(fresh["Location"]))
    assert not User.objects.filter(username="someone.else").exists()
    told = [m for m in mail.outbox if m.to == ["anna@example.org"]]
    assert len(told) == 1 and "sign-up/confirm" not in told[0].body
    assert told[0].subject == "Someone tried to open an account with your e-mail address"
    assert "its username is anna.old" in told[0].body
    entry = AuditEntry.objects.get(action="account.sign-up.address-in-use")
    assert (entry.object_id, entry.actor_id) == (str(holder.pk), None)


def test_a_taken_username_is_said_as_django_says_it_and_a_weak_password_refused():
    UserFactory(username="anna.w")
    response = sign_up(Client())
    assert response.status_code == 422 and "A user with that username already exists." in html(response)
    weak = Client().post(
        "/en/sign-up/",
        {"username": "x.y", "email": "x@example.org", "password1": "12345678", "password2": "12345678"}
        | {"language": "en"},
    )
    assert weak.status_code == 422 and "This password is too common." in html(weak)
    assert not User.objects.filter(username="x.y").exists() and mail.outbox == []


@override_settings(EXITENTRY_SIGN_UP_ADDRESS_RATE="3/h")
def test_sign_ups_from_one_address_are_limited_an_ipv6_one_by_its_64():
    for n in range(3):
        assert sign_up(
            Client(), username=f"u{n}", email=f"u{n}@example.org", REMOTE_ADDR=f"2001:db8::{n + 1}"
        )
    spent = sign_up(Client(), username="u9", email="u9@example.org", REMOTE_ADDR="2001:db8::ffff")
    assert spent.status_code == 429 and int(spent["Retry-After"]) > 0
    assert "Too many accounts were asked for" in html(spent)
    assert not User.objects.filter(username="u9").exists()
    other = sign_up(Client(), username="u9", email="u9@example.org", REMOTE_ADDR="2001:db8:0:1::1")
    assert other.status_code == 303


@override_settings(EXITENTRY_SIGN_UP_EMAIL_RATE="2/h")
def test_sign_ups_to_one_e_mail_address_are_limited_from_every_address():
    for n in range(2):
        sign_up(Client(), username=f"u{n}", email="anna@example.org", REMOTE_ADDR=f"192.0.2.{n + 1}")
    spent = sign_up(Client(), username="u3", email="ANNA@example.org", REMOTE_ADDR="198.51.100.7")
    assert spent.status_code == 429 and not User.objects.filter(username="u3").exists()
    assert len(mail.outbox) == 2


def signed_up_applicant() -> User:
    return UserFactory(role=Role.APPLICANT, person=None)


def test_a_passport_already_in_the_registry_is_refused_and_nothing_is_stored():
    TravelDocumentFactory(person=PersonFactory(), number="C01X00T47", issuing_country="DEU")
    user = signed_up_applicant()
    response = client_for(user).post("/en/my/details/", DETAILS)
    assert response.status_code == 422
    assert "This passport is already in the registry under another record." in html(response)
    user.refresh_from_db()
    assert user.person is None and Person.objects.count() == 1
    assert AuditEntry.objects.filter(action="person.passport.refused", actor=user).exists()
    zh = client_for(user).post("/zh-hans/my/details/", DETAILS)
    assert "该护照已登记在其他人员名下" in html(zh)


def test_the_details_page_speaks_chinese_and_states_the_check_at_the_hall():
    page = html(client_for(signed_up_applicant()).get("/zh-hans/my/details/"))
    assert "您的个人信息" in page and "核验您的身份和护照原件" in page


def test_the_details_page_is_refused_once_the_account_has_its_record():
    user = applicant()
    response = client_for(user).post("/en/my/details/", DETAILS)
    assert response.status_code == 409 and "already has its registry record" in html(response)
    assert Person.objects.count() == 1


def again(who: str, lang="en", **extra):
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = Client().post(f"/{lang}/sign-up/again/", {"who": who}, **_addr(extra))
    drain()
    return response


def test_a_lost_link_is_sent_again_by_username_or_address_and_only_the_newest_works():
    sign_up(Client(), language="en")
    first = link_to("anna@example.org")
    by_name = again("anna.w")
    assert (by_name.status_code, by_name["Location"]) == (303, "/en/sign-up/sent/")
    second = link_to("anna@example.org")
    assert second != first and Client().get(first).status_code == 410
    again("ANNA@example.org")
    third = link_to("anna@example.org")
    assert Client().post(second).status_code == 410
    assert Client().post(third).status_code == 302 and User.objects.get(username="anna.w").is_active
    resent = AuditEntry.objects.filter(action="account.sign-up.resend")
    assert resent.count() == 2 and len(mail.outbox) == 3
    assert again("anna.w").status_code == 303 and len(mail.outbox) == 3  # active now: nothing sent


def test_an_expired_sign_up_gets_a_new_link_valid_from_now():
    sign_up(Client())
    SignUp.objects.update(created_at=clock.now() - timedelta(hours=49), expires_at=clock.now())
    again("anna.w")
    assert Client().post(link_to("anna@example.org")).status_code == 302


def test_a_message_of_a_replaced_link_is_never_sent():
    with TestCase.captureOnCommitCallbacks(execute=True):
        Client().post(
            "/en/sign-up/",
            {"username": "anna.w", "email": "anna@example.org", "password1": PASSWORD}
            | {"password2": PASSWORD, "language": "en"},
        )
    again("anna.w")
    assert len(mail.outbox) == 1 and Message.objects.filter(state="failed").count() == 1
    assert Client().post(link_to("anna@example.org")).status_code == 302


def test_the_answer_is_the_same_for_an_unknown_an_active_and_a_waiting_account():
    UserFactory(role=Role.APPLICANT, username="anna.old", email="old@example.org")
    sign_up(Client())
    answers = [
        again(who) for who in ("nobody", "nobody@example.org", "anna.old", "old@example.org", "anna.w")
    ]
    assert {(a.status_code, a["Location"]) for a in answers} == {(303, "/en/sign-up/sent/")}
    assert len(mail.outbox) == 2 and AuditEntry.objects.filter(action="account.sign-up.resend").count() == 1
    assert "用户名或电子邮件地址" in html(Client().get("/zh-hans/sign-up/again/"))


@override_settings(EXITENTRY_SIGN_UP_EMAIL_RATE="2/h")
def test_links_sent_again_count_against_the_sign_up_limits():
    sign_up(Client(), email="anna@example.org", REMOTE_ADDR="192.0.2.1")
    again("anna.w", REMOTE_ADDR="192.0.2.2")
    spent = again("ANNA@example.org", REMOTE_ADDR="192.0.2.3")
    assert spent.status_code == 429 and int(spent["Retry-After"]) > 0 and len(mail.outbox) == 2
    assert "Too many links were asked for from here or for this account." in html(spent)
    zh = again("anna@example.org", lang="zh-hans", REMOTE_ADDR="192.0.2.4")
    assert "从此处或为该账户请求发送的链接过多" in html(zh)


def test_an_unconfirmed_account_is_released_after_its_link_expired_once_and_audited():
    from exitentry.accounts.tasks import release_sign_ups

    sign_up(Client())
    sign_up(Client(), username="ben.c", email="ben@example.org")
    anna = User.objects.get(username="anna.w")
    assert release_sign_ups.call() == {"released": 0}
    SignUp.objects.filter(user=anna).update(
        created_at=clock.now() - timedelta(hours=49), expires_at=clock.now()
    )
    assert release_sign_ups.call() == {"released": 1} and release_sign_ups.call() == {"released": 0}
    anna.refresh_from_db()
    assert (anna.username, anna.email, anna.has_usable_password()) == (f"~released-{anna.pk}", "", False)
    assert not anna.is_active and User.objects.get(username="ben.c").email == "ben@example.org"
    entry = AuditEntry.objects.get(action="account.sign-up.release")
    assert (entry.object_id, entry.actor_id) == (str(anna.pk), None)
    assert again("anna@example.org").status_code == 303 and again("anna.w").status_code == 303
    assert len(mail.outbox) == 2  # the released account gets no link
    assert sign_up(Client()).status_code == 303 and link_to("anna@example.org")
    assert User.objects.get(username="anna.w").pk != anna.pk


def test_a_short_password_is_refused_in_chinese_on_the_chinese_page():
    """Django's own Chinese catalog lacks the "too short" message of its 5.x validator (``%d``)."""
    data = {"username": "li.wei", "email": "li@example.org", "password1": "a1b2c", "password2": "a1b2c"}
    response = Client().post("/zh-hans/sign-up/", data | {"language": "zh-hans"})
    assert response.status_code == 422 and "密码太短，至少须有8个字符。" in html(response)
    assert "too short" not in html(response)


def test_the_password_rules_are_shown_before_the_form_is_sent():
    page = html(Client().get("/en/sign-up/"))
    assert "Your password must contain at least 8 characters." in page
    assert 'aria-describedby="id_password1_helptext"' in page


def test_the_passport_of_the_own_record_stays_when_the_first_draft_is_withdrawn():
    user = signed_up_applicant()
    assert client_for(user).post("/en/my/details/", DETAILS).status_code == 302
    user.refresh_from_db()
    services.withdraw(Actor(user), started(user, "rp-personal-affairs"))
    assert TravelDocument.objects.filter(person=user.person, number="C01X00T47", claim=True).exists()


def test_an_account_once_active_and_then_suspended_never_reactivates_nor_is_released():
    """An administrator activated a sign-up's account (its link unused) and later deactivated it."""
    from exitentry.accounts.tasks import release_sign_ups

    sign_up(Client())
    old_link = link_to("anna@example.org")
    anna = User.objects.get(username="anna.w")
    anna.is_active = True
    anna.save(update_fields=["is_active"])
    client_for(anna).get("/en/")  # signs in once
    User.objects.filter(pk=anna.pk).update(is_active=False)
    assert again("anna.w").status_code == 303 and len(mail.outbox) == 1  # no new link
    assert Client().post(old_link).status_code == 410
    SignUp.objects.update(created_at=clock.now() - timedelta(hours=49), expires_at=clock.now())
    assert release_sign_ups.call() == {"released": 0}
    anna.refresh_from_db()
    assert (anna.username, anna.email, anna.is_active) == ("anna.w", "anna@example.org", False)
    assert anna.has_usable_password()


@override_settings(EXITENTRY_SIGN_UP_EMAIL_RATE="2/h")
def test_a_link_asked_for_by_username_is_not_sent_to_an_e_mail_address_whose_limit_is_spent():
    sign_up(Client())
    again("anna.w", REMOTE_ADDR="192.0.2.2")
    assert len(mail.outbox) == 2  # the address's two
    answer = again("anna.w", REMOTE_ADDR="192.0.2.3")  # the username's second: under its own limit
    assert (answer.status_code, answer["Location"]) == (303, "/en/sign-up/sent/")
    assert len(mail.outbox) == 2 and AuditEntry.objects.filter(action="account.sign-up.resend").count() == 1


def test_a_username_may_not_hold_an_at_sign_and_a_link_asked_for_goes_to_the_e_mail_address_first():
    refused = sign_up(Client(), username="anna@example.org", email="evil@example.org")
    assert refused.status_code == 422 and "A username cannot contain “@”." in html(refused)
    zh = sign_up(Client(), username="anna@example.org", email="evil@example.org", lang="zh-hans")
    assert "用户名不能包含“@”。" in html(zh) and not User.objects.exists() and mail.outbox == []
    sign_up(Client(), language="en")
    now = clock.now()
    evil = UserFactory(
        role=Role.APPLICANT, username="anna@example.org", email="evil@example.org", is_active=False
    )
    SignUp.objects.create(
        user=evil, token_hash=digest("x"), created_at=now, expires_at=now + timedelta(hours=48)
    )  # one made before the rule
    again("anna@example.org")
    assert [m.to for m in mail.outbox] == [["anna@example.org"], ["anna@example.org"]]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_of_two_sign_ups_with_one_e_mail_address_confirmed_at_once_one_opens():
    """The other's confirmation is being written (its account active, uncommitted) as this one is sent: this
    one waits for it (the address's sign-ups are locked first) and sees the address in use."""
    from exitentry.accounts import registration

    now, users = clock.now(), []
    for name, token in (("anna.a", "first"), ("anna.b", "second")):
        user = UserFactory(role=Role.APPLICANT, username=name, email="anna@example.org", is_active=False)
        user.last_login = None
        user.save(update_fields=["last_login"])
        SignUp.objects.create(
            user=user, token_hash=digest(token), created_at=now, expires_at=now + timedelta(hours=48)
        )
        users.append(user)
    written, go_on = threading.Event(), threading.Event()

    def first() -> None:
        try:
            with transaction.atomic():
                registration.confirm("first", None)
                written.set()
                go_on.wait(timeout=5)
                time.sleep(0.5)  # the second is waiting by now
        finally:
            connection.close()

    writer = threading.Thread(target=first)
    writer.start()
    assert written.wait(timeout=5)
    go_on.set()
    with pytest.raises(registration.Refused):
        registration.confirm("second", None)
    writer.join()
    assert list(User.objects.filter(email="anna@example.org", is_active=True)) == [users[0]]


@override_settings(EXITENTRY_PASSPORT_REFUSAL_RATE="2/d")
def test_passports_refused_to_new_accounts_are_limited_per_address_an_ipv6_one_by_its_64():
    TravelDocumentFactory(person=PersonFactory(), number="C01X00T47", issuing_country="DEU")

    def tries(address: str) -> int:
        return (
            client_for(signed_up_applicant())
            .post("/en/my/details/", DETAILS, REMOTE_ADDR=address)
            .status_code
        )

    assert [tries("2001:db8::1"), tries("2001:db8::2")] == [422, 422]
    spent = client_for(signed_up_applicant()).post("/en/my/details/", DETAILS, REMOTE_ADDR="2001:db8::3")
    assert spent.status_code == 429 and int(spent["Retry-After"]) > 0
    assert tries("2001:db8:1::1") == 422  # another /64


def test_an_expired_passport_is_taken_on_the_way_to_an_exit_without_a_valid_passport_only():
    """Regulations Art. 23: the exit formalities for a foreigner whose passport expired."""
    expired = DETAILS | {
        "person-passport_issued_on": "2011-03-01",
        "person-passport_expires_on": "2021-02-28",
    }
    for_work = client_for(signed_up_applicant()).post(
        "/en/my/details/", expired | {"next": "/en/apply/rp-work/"}
    )
    assert for_work.status_code == 422 and "expired" in html(for_work)
    user = signed_up_applicant()
    nxt = "/en/apply/exit-without-passport/?x=1"
    saved = client_for(user).post("/en/my/details/", expired | {"next": nxt})
    assert (saved.status_code, saved["Location"]) == (302, nxt)
    user.refresh_from_db()
    assert user.person.travel_documents.get().expires_on.isoformat() == "2021-02-28"


@override_settings(EXITENTRY_ANON_RATE="1/h")
def test_the_confirm_page_past_its_limit_says_when_to_try_again():
    Client().get("/en/sign-up/confirm/x/")
    spent = Client().get("/en/sign-up/confirm/x/")
    assert spent.status_code == 429 and int(spent["Retry-After"]) > 0
