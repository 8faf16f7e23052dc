"""The holder's share-code pages and the institution desk's status checks, over HTTP, for every role."""

from __future__ import annotations

import re
from html import unescape

import pytest
from page_world import html

from case_helpers import sign_in
from exitentry.accounts.models import AuditEntry, Role
from exitentry.law.rules.verification import VERIFIERS
from exitentry.verification import checks
from exitentry.verification.models import ShareCode, StatusCheck
from factories import UnitFactory, UserFactory, actor, applicant, officer
from verification.helpers import BIRTH, code_for, desk, holder

pytestmark = pytest.mark.django_db
MINE = "/en/my/share-codes/"


def made_code(client) -> str:
    response = client.post(MINE, {"purpose": "bank", "duration": "1h"})
    assert (response.status_code, response["Location"]) == (303, MINE)
    shown = client.get(MINE)
    assert shown["Cache-Control"].startswith("max-age=0") and "no-store" in shown["Cache-Control"]
    return re.search(r'id="new-code">([0-9A-Z-]+)<', html(shown)).group(1)


def test_the_code_is_shown_on_the_answer_after_the_redirect_and_never_again(client):
    user = holder()
    sign_in(client, user)
    code = made_code(client)
    share = ShareCode.objects.get()
    assert code not in str(dict(client.session))  # taken out of the session once shown
    again = html(client.get(MINE))
    assert code not in again and 'id="new-code"' not in again
    assert f"The code ending …{share.hint} is no longer shown" in again and "make a new one" in again
    later = html(client.get(MINE))
    assert 'id="code-gone"' not in later and code not in later
    assert ShareCode.objects.count() == 1
    made = AuditEntry.objects.get(action="share-code.create")
    assert code not in str(made.new) and code.replace("-", "") not in str(made.new)


def test_the_notice_reads_in_chinese(client):
    sign_in(client, holder())
    client.post("/zh-hans/my/share-codes/", {"purpose": "bank", "duration": "1h"})
    assert "只显示这一次" in html(client.get("/zh-hans/my/share-codes/"))
    hint = ShareCode.objects.get().hint
    assert f"尾号为 …{hint} 的分享码不再显示" in html(client.get("/zh-hans/my/share-codes/"))


def test_the_holder_makes_a_code_sees_it_once_and_revokes_it(client):
    user = holder()
    sign_in(client, user)
    code = made_code(client)
    share = ShareCode.objects.get(person=user.person)
    assert share.digest != code and code.replace("-", "") not in share.digest and share.hint == code[-4:]
    page = html(client.get(MINE))
    assert code not in page and f"…{share.hint}" in page and "Active" in page
    response = client.post(f"/en/my/share-codes/{share.pk}/revoke/")
    assert response.status_code == 302
    share.refresh_from_db()
    assert share.revoked_at is not None and "Revoked" in html(client.get(MINE))
    actions = list(AuditEntry.objects.filter(actor=user).values_list("action", flat=True))
    assert {"share-code.create", "share-code.revoke", "share-code.list"} <= set(actions)


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_code_revoked_right_after_it_was_shown_is_not_said_to_be_revocable_below(client, lang):
    """Made, shown, then revoked at once: the list says it is revoked and no longer tells the holder to
    "revoke it below" (nor to make a new one because it is no longer shown)."""
    user = holder()
    sign_in(client, user)
    made_code(client)
    share = ShareCode.objects.get(person=user.person)
    assert client.post(f"/{lang}/my/share-codes/{share.pk}/revoke/").status_code == 302
    page = html(client.get(f"/{lang}/my/share-codes/"))
    assert 'id="code-gone"' not in page and {"en": "Revoked", "zh-hans": "已撤销"}[lang] in page


@pytest.mark.parametrize(("lang", "said"), [("en", "After 7 wrong tries"), ("zh-hans", "输错7次后")])
def test_the_page_says_the_law_s_verifiers_and_the_code_s_tries(client, monkeypatch, lang, said):
    monkeypatch.setattr("exitentry.web.share_code_views.MAX_WRONG_TRIES", 7)
    sign_in(client, holder())
    page = html(client.get(f"/{lang}/my/share-codes/"))
    assert said in page
    assert (VERIFIERS.en.capitalize() if lang == "en" else VERIFIERS.zh) in page


def test_a_bad_choice_is_refused(client):
    sign_in(client, holder())
    refused = client.post(MINE, {"purpose": "casino", "duration": "1h"})
    assert refused.status_code == 422 and "Select a valid choice" in html(refused)
    assert client.post(MINE, {"purpose": "bank", "duration": "1y"}).status_code == 422
    assert not ShareCode.objects.exists()


def test_the_holder_sees_every_check_made_with_their_codes_and_no_one_elses(client):
    user, other = holder(), holder()
    _, code = code_for(user)
    _, others = code_for(other)
    bank = desk()
    bank.unit.name, bank.unit.name_zh = "Demo Bank", "示范银行"
    bank.unit.save()
    checks.check_code(actor(bank), code, BIRTH, checks_day())
    checks.check_code(actor(bank), others, BIRTH, checks_day())
    sign_in(client, user)
    page = html(client.get(MINE))
    assert "Demo Bank" in page and "Status given" in page and "Bank" in page
    assert page.count('<tr class="status-check">') == 1  # one check, not the other holder's
    assert "示范银行" in html(client.get("/zh-hans/my/share-codes/"))


def checks_day():
    from exitentry.law.calendar import beijing_today

    return beijing_today()


def test_another_holders_code_cannot_be_revoked(client):
    share, _ = code_for(holder())
    sign_in(client, holder())
    assert client.post(f"/en/my/share-codes/{share.pk}/revoke/").status_code == 404
    share.refresh_from_db()
    assert share.revoked_at is None


ROLES = {
    "applicant without a record": lambda: UserFactory(role=Role.APPLICANT),
    "proxy": lambda: UserFactory(role=Role.PROXY),
    "unit": lambda: UserFactory(role=Role.UNIT, unit=UnitFactory()),
    "institution": lambda: desk(),
    "officer": lambda: officer(),
    "supervisor": lambda: officer(role=Role.SUPERVISOR),
    "administrator": lambda: UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True),
}


@pytest.mark.parametrize("role", ROLES)
def test_only_the_holder_has_share_code_pages(client, role):
    share, _ = code_for(holder())
    sign_in(client, ROLES[role]())
    assert client.get(MINE).status_code == 403
    assert client.post(MINE, {"purpose": "bank", "duration": "1h"}).status_code == 403
    assert client.post(f"/en/my/share-codes/{share.pk}/revoke/").status_code == 403
    assert ShareCode.objects.count() == 1


def test_signed_out_goes_to_sign_in(client):
    assert client.get(MINE)["Location"].startswith("/en/sign-in/")


# --- the desk ------------------------------------------------------------------------------------------


def test_the_desk_checks_a_code_and_shows_the_minimal_status(client):
    user = holder()
    _, code = code_for(user)
    sign_in(client, desk())
    response = client.post("/en/institution/status/code/", {"code": code, "birth_date": BIRTH.isoformat()})
    page = html(response)
    assert (
        response.status_code == 200 and "Valid" in page and "Residence permit" in page and "Germany" in page
    )
    assert user.person.travel_documents.get().number not in page
    zh = html(
        client.post("/zh-hans/institution/status/code/", {"code": code, "birth_date": BIRTH.isoformat()})
    )
    assert "德国" in zh and "居留证件" in zh


def test_the_desk_result_shows_no_database_number_and_no_empty_photo_row(client):
    """The registry holds no photographs and a check has no reference meant for people: the result says the
    check is recorded (and who sees it) without a row id, and shows no photo row that could never hold one."""
    _, code = code_for(holder())
    sign_in(client, desk())
    en = html(client.post("/en/institution/status/code/", {"code": code, "birth_date": BIRTH.isoformat()}))
    assert "This check is recorded; the holder sees it." in en and "recorded as no." not in en
    assert "Photo" not in en and "holds no photograph" not in en
    zh = html(
        client.post("/zh-hans/institution/status/code/", {"code": code, "birth_date": BIRTH.isoformat()})
    )
    assert "本次核查已记录；持证人可以看到此记录。" in zh and "编号" not in zh and "照片" not in zh


def test_a_wrong_birth_date_on_the_desk_reads_as_any_failure(client):
    _, code = code_for(holder())
    sign_in(client, desk())
    wrong = client.post("/en/institution/status/code/", {"code": code, "birth_date": "1990-01-01"})
    unknown = client.post(
        "/en/institution/status/code/", {"code": "AAAA-BBBB-CCCC", "birth_date": "1985-06-01"}
    )
    assert wrong.status_code == unknown.status_code == 404
    assert checks.NO_STATUS.en in html(wrong) and checks.NO_STATUS.en in html(unknown)


def test_a_failed_check_keeps_what_was_typed_and_a_match_clears_it_for_the_next_customer(client):
    _, code = code_for(holder())
    sign_in(client, desk())
    wrong = html(client.post("/en/institution/status/code/", {"code": code, "birth_date": "1990-01-01"}))
    assert f'value="{code}"' in wrong and 'value="1990-01-01"' in wrong
    right = html(client.post("/en/institution/status/code/", {"code": code, "birth_date": BIRTH.isoformat()}))
    assert f'value="{code}"' not in right and BIRTH.isoformat() not in right


def test_the_desk_sends_a_verification_request(client):
    user = holder()
    person = user.person
    sign_in(client, desk())
    number = person.travel_documents.get().number
    hit = html(
        client.post(
            "/en/institution/status/document/", {"document_number": number, "name": f"Alex {person.surname}"}
        )
    )
    assert "Match:" in hit and "Valid" in hit
    miss = html(
        client.post("/en/institution/status/document/", {"document_number": number, "name": "Nobody"})
    )
    assert "No match" in miss
    assert StatusCheck.objects.filter(method="document").count() == 2


def test_the_desk_is_rate_limited_per_institution(client, settings):
    settings.EXITENTRY_STATUS_CHECK_RATE = "1/m"
    sign_in(client, desk())
    body = {"document_number": "X1", "name": "A B"}
    assert client.post("/en/institution/status/document/", body).status_code == 200
    response = client.post("/zh-hans/institution/status/document/", body)
    assert response.status_code == 429 and "核查次数过多" in html(response)


@pytest.mark.parametrize("role", ["holder", "proxy", "unit", "officer", "agency desk"])
def test_only_a_desk_checks_a_status_on_the_pages(client, role):
    _, code = code_for(holder())
    users = {
        "holder": lambda: holder(),
        "proxy": lambda: UserFactory(role=Role.PROXY),
        "unit": lambda: UserFactory(role=Role.UNIT, unit=UnitFactory(kind="bank")),
        "officer": lambda: officer(),
        "agency desk": lambda: desk("agency"),
    }
    sign_in(client, users[role]())
    code_answer = client.post("/en/institution/status/code/", {"code": code, "birth_date": BIRTH.isoformat()})
    document_answer = client.post(
        "/en/institution/status/document/", {"document_number": "X1", "name": "A B"}
    )
    assert code_answer.status_code == document_answer.status_code == 403
    assert not StatusCheck.objects.exists()


def test_applicants_see_no_desk_and_desks_see_no_share_codes(client):
    sign_in(client, applicant())
    page = html(client.get("/en/my/share-codes/"))
    assert 'href="/en/institution/"' not in page
    sign_in(client, desk())
    assert 'href="/en/my/share-codes/"' not in html(client.get("/en/institution/"))


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_code_for_another_purpose_is_named_so_to_the_desk_and_in_the_holders_log(client, lang):
    user = holder()
    sign_in(client, user)
    form = html(client.get(f"/{lang}/my/share-codes/"))
    select = re.search(r'<select name="purpose".*?</select>', form, re.S).group(0)
    assert " selected" not in select.replace('value="" selected', "")  # the holder chooses; none is set
    _, code = code_for(user, purpose="work")
    bank = desk()
    sign_in(client, bank)
    answer = client.post(f"/{lang}/institution/status/code/", {"code": code, "birth_date": BIRTH.isoformat()})
    words = "for another purpose" if lang == "en" else "其他用途"
    assert answer.status_code == 404 and words in html(answer)
    assert checks.NO_STATUS.en not in html(answer)
    # the desk is told which purpose to ask for: its own, the bank's
    asked = "your institution's purpose: Bank." if lang == "en" else "贵机构的用途（银行）"
    assert asked in unescape(html(answer))
    sign_in(client, user)
    log = html(client.get(f"/{lang}/my/share-codes/"))
    row = re.search(r'<tr class="status-check">.*?</tr>', log, re.S).group(0)
    assert words in row


def test_the_desk_and_the_api_show_the_holders_real_initials_never_the_surnames_length(client):
    """ "S. A. M." for Anna Maria Schmidt, in both languages and over the API: a mask of one star per
    letter would tell the surname's length."""
    user = holder()
    user.person.surname, user.person.given_names = "Schmidt", "Anna Maria"
    user.person.save(update_fields=["surname", "given_names"])
    sign_in(client, desk())
    for lang in ("en", "zh-hans"):
        _, code = code_for(user)
        body = {"code": code, "birth_date": BIRTH.isoformat()}
        page = html(client.post(f"/{lang}/institution/status/code/", body))
        assert "<dd>S. A. M.</dd>" in page and "S*" not in page, lang
    _, code = code_for(user)
    api = client.post(
        "/api/v1/status-checks/code",
        data={"code": code, "birth_date": BIRTH.isoformat()},
        content_type="application/json",
    )
    assert api.status_code == 200 and api.json()["status"]["initials"] == "S. A. M."


def test_a_request_that_matches_no_one_says_no_holder_sees_it_and_none_does(client):
    """A verification request names its person only on a match: a no match (the holder's own number
    with another name here) is in no holder's "Checks of your status", and the desk is told just that."""
    user = holder()
    number = user.person.travel_documents.get().number
    sign_in(client, desk())
    miss = html(
        client.post("/en/institution/status/document/", {"document_number": number, "name": "Nobody"})
    )
    assert "No match" in miss and "the holder sees it" not in miss
    assert "It matched no one, so it is in no holder's list of checks." in miss
    zh = html(
        client.post("/zh-hans/institution/status/document/", {"document_number": number, "name": "无名"})
    )
    assert "未匹配到任何人，因此不在任何持证人的核查记录中。" in zh and "持证人可以看到" not in zh
    sign_in(client, user)
    assert "No institution has checked your status." in html(client.get(MINE))
    sign_in(client, desk())
    hit = html(
        client.post(
            "/en/institution/status/document/",
            {"document_number": number, "name": f"Alex {user.person.surname}"},
        )
    )
    assert "the holder sees it" in hit
    sign_in(client, user)
    assert html(client.get(MINE)).count('<tr class="status-check">') == 1


@pytest.mark.parametrize(
    ("lang", "said", "untrue"),
    [
        ("en", "This check is recorded; if the code is a holder's, they see it.", "the holder sees it"),
        (
            "zh-hans",
            "本次核查已记录；如该分享码属于某位持证人，该持证人可以看到此记录。",
            "；持证人可以看到此记录",
        ),
    ],
)
def test_a_failed_code_check_does_not_promise_a_holder_sees_it(client, lang, said, untrue):
    """A code that is no one's names no holder, so no one sees that check; a holder's code with a wrong birth
    date is in that holder's list. The desk gets the same words for both, which do not tell the two apart."""
    user = holder()
    _, code = code_for(user)
    sign_in(client, desk())
    url = f"/{lang}/institution/status/code/"
    unknown = html(client.post(url, {"code": "AAAA-BBBB-CCCC", "birth_date": BIRTH.isoformat()}))
    wrong = html(client.post(url, {"code": code, "birth_date": "1990-01-01"}))
    assert said in unknown and said in wrong and untrue not in unknown and untrue not in wrong
    sign_in(client, user)
    assert html(client.get(MINE)).count('<tr class="status-check">') == 1
