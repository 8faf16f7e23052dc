"""An institution's verification desk and the administrator's way to the admin: each role has a home."""

from __future__ import annotations

import pytest
from page_world import html

from case_helpers import sign_in
from exitentry.accounts.models import Role
from exitentry.documents.tokens import make_token
from factories import UnitFactory, UserFactory, applicant

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Verification desk", "Art. 27", "acceptance receipt", "share code", "Verification request"]),
        ("zh-hans", ["核查窗口", "第二十七条", "受理回执", "分享码", "核查申请"]),
    ],
)
def test_the_desk_says_what_an_institution_can_do_now_in_the_pages_language(client, lang, words):
    sign_in(client, UserFactory(role=Role.INSTITUTION, unit=UnitFactory(kind="bank")))
    page = html(client.get(f"/{lang}/institution/"))
    for word in words:
        assert word in page
    assert f'href="/{lang}/institution/"' in page  # the header links the desk


def test_a_desk_of_no_institution_is_told_it_cannot_check_a_status(client):
    sign_in(client, UserFactory(role=Role.INSTITUTION))
    page = html(client.get("/en/institution/"))
    assert "not attached to one" in page and 'id="code-check"' not in page


@pytest.mark.parametrize(
    "typed",
    [
        "{token}",
        "  {token}  ",
        "https://example.org/verify/{token}",
        "http://127.0.0.1:8000/verify/{token}/",
    ],
)
def test_the_desk_opens_the_check_of_the_code_or_address_it_is_given(client, typed):
    sign_in(client, UserFactory(role=Role.INSTITUTION))
    token = make_token("receipt", "BJ202600000001-R")
    response = client.get("/en/institution/", {"code": typed.format(token=token)})
    assert response.status_code == 302 and response["Location"] == f"/verify/{token}?lang=en"


@pytest.mark.parametrize(
    ("typed", "kind", "number"),
    [
        ("BJ202600000006-R", "receipt", "BJ202600000006-R"),
        (" bj202600000006-r ", "receipt", "BJ202600000006-R"),
        ("BJ202600000006-N2", "deficiency", "BJ202600000006-N2"),
        ("BJ202600000006-D", "decision", "BJ202600000006-D"),
        ("BG20260000002", "unit-report", "BG20260000002"),
    ],
)
def test_a_documents_number_as_printed_opens_no_check_and_the_desk_says_what_to_type(
    client, typed, kind, number
):
    """A printed number is sequential: were it to open a check (or mint its code), an institution could
    count through every applicant's documents. The desk says to scan or type the code instead."""
    sign_in(client, UserFactory(role=Role.INSTITUTION))
    response = client.get("/zh-hans/institution/", {"code": typed})
    body = response.content.decode()
    assert response.status_code == 422 and "Location" not in response
    assert make_token(kind, number) not in body and "不能凭编号核验" in body


def test_an_empty_code_is_refused_beside_the_field(client):
    sign_in(client, UserFactory(role=Role.INSTITUTION))
    response = client.get("/zh-hans/institution/", {"code": "  "})
    assert response.status_code == 422 and "请输入或扫描文书编码" in html(response)


def test_the_desk_is_the_institutions_alone(client):
    assert client.get("/en/institution/")["Location"].startswith("/en/sign-in/")
    sign_in(client, applicant())
    assert client.get("/en/institution/").status_code == 403


def test_the_administrator_sees_the_way_to_the_admin_and_no_case_pages(client):
    sign_in(client, UserFactory(role=Role.ADMINISTRATOR, is_staff=True))
    page = html(client.get("/zh-hans/"))
    assert 'href="/admin/"' in page and "系统管理" in page
    assert 'href="/zh-hans/my/"' not in page and 'href="/zh-hans/console/"' not in page


@pytest.mark.parametrize(
    "typed", ["https://example.org/some/page", "BJ2026/0001", "https://example.org/verify/a/b/"]
)
def test_what_cannot_be_a_documents_code_is_refused_beside_the_field_not_a_500(client, typed):
    """A document's code never holds a slash (``documents.tokens``): typed text that does is not one."""
    sign_in(client, UserFactory(role=Role.INSTITUTION))
    response = client.get("/en/institution/", {"code": typed})
    assert response.status_code == 422 and "Enter or scan the document" in html(response)


@pytest.mark.parametrize("path", ["/en/institution/status/code/", "/zh-hans/institution/status/document/"])
def test_a_result_address_opened_directly_leads_back_to_the_desks_form(client, path):
    """Reloading or bookmarking a check's result (a POST's address) opens the desk, never an HTTP error."""
    sign_in(client, UserFactory(role=Role.INSTITUTION, unit=UnitFactory(kind="bank")))
    response = client.get(path)
    lang = path.split("/")[1]
    assert response.status_code == 302 and response["Location"] == f"/{lang}/institution/"
    assert client.get(path, follow=True).status_code == 200


def test_the_desk_and_its_verdict_call_a_document_one_thing(client):
    """The desk offers "核验文书" (check a document the exit-entry administration issued); the verdict page it
    opens says the same word, "文书", never "文件", found or not."""
    sign_in(client, UserFactory(role=Role.INSTITUTION, unit=UnitFactory(kind="bank")))
    desk = html(client.get("/zh-hans/institution/"))
    assert "<h2>核验文书</h2>" in desk and ">核验文书</button>" in desk
    token = make_token("receipt", "BJ209900000099-R")  # a well-formed code of nothing issued
    verdict = client.get("/zh-hans/institution/", {"code": token}, follow=True).content.decode()
    main = verdict[verdict.index("<main") :]
    assert "文书核验" in main and "未找到该文书" in main and "未签发过该文书" in main
    assert "文件" not in main


@pytest.mark.parametrize(("typed", "lang"), [("BJ202600000007-R", "en"), ("BJ2026/0001", "zh-hans")])
def test_a_refused_document_code_stays_in_its_field_to_correct(client, typed, lang):
    """The refusal speaks of what was typed ("That is the document's number…"): the field keeps it, as the
    status checks keep theirs on no match, rather than coming back empty."""
    sign_in(client, UserFactory(role=Role.INSTITUTION))
    response = client.get(f"/{lang}/institution/", {"code": typed})
    assert response.status_code == 422
    field = next(line for line in html(response).splitlines() if 'id="code" name="code"' in line)
    assert f'value="{typed}"' in field
