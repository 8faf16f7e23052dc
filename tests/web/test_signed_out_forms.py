"""A form sent after the session ended (signed out in another tab): nothing happens, the sign-in page says
so in the page's language, and signing in leads back to the page the form was on."""

from __future__ import annotations

import pytest
from django.test import Client
from page_world import html

from exitentry.accounts.models import HandlerInvitation
from factories import unit_handler

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # tests/factories.py
SAID = {
    "en": "You were signed out, so nothing was sent or saved. Sign in again, then send it once more.",
    "zh-hans": "您已退出登录，因此没有发送或保存任何内容。请重新登录后再提交一次。",
}


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
def test_an_invitation_sent_while_signed_out_is_not_sent_and_the_sign_in_page_says_so(lang):
    admin = unit_handler(is_unit_admin=True)
    client = Client()
    form_page = f"/{lang}/unit/handlers/"
    answer = client.post(
        form_page,
        {"email": "new@example.com", "language": "en"},
        HTTP_REFERER=f"http://testserver{form_page}",
    )
    assert answer.status_code == 302
    assert answer["Location"] == f"/{lang}/sign-in/?next={form_page}"
    assert not HandlerInvitation.objects.exists()
    page = html(client.get(answer["Location"]))
    assert SAID[lang] in page
    assert f'name="next" value="{form_page}"' in page
    signed_in = client.post(
        answer["Location"], {"username": admin.username, "password": PASSWORD, "next": form_page}
    )
    assert signed_in["Location"] == form_page


def test_a_form_posted_from_another_site_goes_back_to_the_address_posted_to_not_there():
    unit_handler(is_unit_admin=True)
    answer = Client().post("/en/unit/handlers/", {}, HTTP_REFERER="https://elsewhere.example/phish/")
    assert answer["Location"] == "/en/sign-in/?next=/en/unit/handlers/"


def test_an_htmx_form_sent_while_signed_out_loads_the_whole_sign_in_page():
    answer = Client().post(
        "/en/unit/handlers/", {}, HTTP_HX_REQUEST="true", HTTP_REFERER="http://testserver/en/unit/handlers/"
    )
    assert answer.status_code == 204
    assert answer["HX-Redirect"] == "/en/sign-in/?next=/en/unit/handlers/"


def test_a_page_opened_while_signed_out_asks_to_sign_in_without_the_nothing_was_sent_message():
    client = Client()
    answer = client.get("/en/unit/handlers/")
    assert answer["Location"] == "/en/sign-in/?next=/en/unit/handlers/"
    assert SAID["en"] not in html(client.get(answer["Location"]))
