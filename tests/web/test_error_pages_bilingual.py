"""The 403, 404 and 409 pages a person can land on say what happened in the page's language, then in the
other, each part marked with its language, so that a visitor who cannot read the page's language reads
the message all the same: under /en/, under /zh-hans/, and at an address with neither prefix (in the
language the visitor's browser asks for, else Chinese). Each part's button leads to the site in its own
language; the language switch on a 404 page leads to the same message in the other language."""

from __future__ import annotations

import re

import pytest
from django.db import OperationalError
from django.test import Client

from case_helpers import client_for
from exitentry.busy import BUSY
from factories import UserFactory, applicant, officer, unit_handler

pytestmark = pytest.mark.django_db
SAID = {
    404: {"en": "Page not found", "zh-hans": "页面不存在"},
    403: {"en": "Not allowed", "zh-hans": "无权访问"},
    409: {"en": "Not saved", "zh-hans": "未保存"},
    "expired": {"en": "The form has expired", "zh-hans": "表单已失效"},
}
TAG = {"en": "en", "zh-hans": "zh-Hans"}
OTHER = {"en": "zh-hans", "zh-hans": "en"}


def parts(answer, status: int, first: str, said: int | str | None = None) -> tuple[str, str]:
    """The page's message (``said``, else the status's) in ``first`` (the page's language, its heading
    the page's) and in the other language (marked with its ``lang``, its heading one level down), checked
    in that order."""
    page = answer.content.decode()
    heading = SAID[said or status]
    assert answer.status_code == status and f'<html lang="{TAG[first]}">' in page
    other = OTHER[first]
    sections = re.findall(r'<section class="in-language"(?: lang="([^"]+)")?>(.*?)</section>', page, re.S)
    assert [lang for lang, _ in sections] == ["", TAG[other]]
    here, there = (body for _, body in sections)
    assert f"<h1>{heading[first]}</h1>" in here and f"<h2>{heading[other]}</h2>" in there
    assert f"<title>{heading[first]} · {heading[other]} · " in page
    return here, there


@pytest.mark.parametrize(
    ("path", "browser", "first"),
    [
        ("/en/no-such-page/", "zh-CN", "en"),
        ("/zh-hans/no-such-page/", "en-GB", "zh-hans"),
        ("/nonexistent", "", "zh-hans"),
        ("/nonexistent", "en-GB,en;q=0.9", "en"),
        ("/zh-hans/my/999999/", "en", "zh-hans"),
    ],
)
def test_a_page_not_found_says_so_in_the_pages_language_then_the_other(path, browser, first):
    headers = {"accept-language": browser} if browser else {}
    client = client_for(applicant()) if "/my/" in path else Client()
    here, there = parts(client.get(path, headers=headers), 404, first)
    assert f'href="/{first}/">' in here and f'href="/{OTHER[first]}/">' in there
    assert "There is no page at this address." in (here if first == "en" else there)


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_the_language_switch_on_a_page_not_found_leads_to_the_same_message_in_the_other_language(lang):
    client = Client()
    page = client.get(f"/{lang}/no-such-page/").content.decode()
    other = OTHER[lang]
    assert f'<input name="next" type="hidden" value="/{other}/no-such-page/">' in page
    switched = client.post(
        "/i18n/setlang/", {"language": other, "next": f"/{other}/no-such-page/"}, follow=True
    )
    parts(switched, 404, other)


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
@pytest.mark.parametrize(
    ("who", "path", "ask"),
    [
        (applicant, "/{lang}/console/", "Exit-Entry Administration"),
        (unit_handler, "/{lang}/console/", "administrator"),
    ],
    ids=["applicant", "unit"],
)
def test_a_page_not_allowed_says_so_in_the_pages_language_then_the_other(lang, who, path, ask):
    here, there = parts(client_for(who()).get(path.format(lang=lang)), 403, lang)
    assert ask in (here if lang == "en" else there)


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
@pytest.mark.parametrize(
    ("role", "start", "label"),
    [
        ("officer", "/{lang}/console/", ("Back to your work", "返回工作首页")),
        ("supervisor", "/{lang}/console/", ("Back to your work", "返回工作首页")),
        ("administrator", "/admin/", ("Back to your work", "返回工作首页")),
    ],
)
def test_a_page_not_allowed_leads_staff_back_to_their_work_in_each_language(lang, role, start, label):
    """An officer, a supervisor or an administrator who opens an applicant's page is led back to where
    their work starts (the work queue, the administration), in each part's language; not to the guide."""
    staff = UserFactory(role=role, is_staff=True) if role == "administrator" else officer(role=role)
    here, there = parts(client_for(staff).get(f"/{lang}/my/"), 403, lang)
    for part, code in ((here, lang), (there, OTHER[lang])):
        said = label[0] if code == "en" else label[1]
        assert f'href="{start.format(lang=code)}">{said}</a>' in part
        assert "See all procedures" not in part and "查看全部" not in part


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_a_page_the_database_aborted_for_another_says_nothing_was_saved_in_both_languages(lang, monkeypatch):
    """The page's transaction aborted for another's sake (a stand-in for PostgreSQL's deadlock error,
    ``tests/test_busy`` has the real one): 409, the message in both, each button back to the page."""

    class Deadlock(Exception):
        sqlstate = "40P01"

    def aborted(*args):
        raise OperationalError("deadlock detected") from Deadlock()

    monkeypatch.setattr("exitentry.web.views._hall_views", aborted)
    here, there = parts(Client().get(f"/{lang}/halls/"), 409, lang)
    assert f'href="/{lang}/halls/"' in here and f'href="/{OTHER[lang]}/halls/"' in there
    assert (BUSY.en in here) is (lang == "en") and (BUSY.zh in there) is (lang == "en")


@pytest.mark.parametrize(
    ("path", "browser", "first"),
    [("/en/sign-in/", "zh-CN", "en"), ("/zh-hans/sign-in/", "en", "zh-hans"), ("/i18n/setlang/", "en", "en")],
)
def test_a_form_past_its_csrf_token_says_it_has_expired_in_the_pages_language_then_the_other(
    path, browser, first
):
    answer = Client(enforce_csrf_checks=True).post(
        path, {"language": "en"}, headers={"accept-language": browser}
    )
    here, there = parts(answer, 403, first, "expired")
    assert f'href="/{first}/">' in here and f'href="/{OTHER[first]}/">' in there
