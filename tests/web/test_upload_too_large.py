"""A file past the upload limit (``EXITENTRY_UPLOAD_MAX_BYTES``, stated once in the settings) is refused with
the form again and the largest size allowed beside the file field, in the page's language, with htmx and
without; the form says the limit before any upload (a newcomer's finding: a body past the cap answered a
bare 400, nothing with htmx, a traceback with DEBUG). Django's own 400 page is the site's, in both
languages, as its 500 page (the 403, 404 and 409 pages: ``test_error_pages_bilingual``)."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from case_helpers import client_for, pdf, submitted
from exitentry.cases.models import Material
from factories import applicant, officer, unit_handler

pytestmark = pytest.mark.django_db
LIMIT = {"en": "100 KB", "zh-hans": "100 KB"}
SAID = {
    "en": "The file is too large: the largest file allowed is 100 KB.",
    "zh-hans": "文件过大：允许上传的文件最大为100 KB。",
}


@pytest.fixture(autouse=True)
def small_limits(settings):
    settings.EXITENTRY_UPLOAD_MAX_BYTES, settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100 * 1024, 1000


def post_big(client, path: str, fields: dict, htmx: bool = False):
    body = encode_multipart(BOUNDARY, {**fields, "file": pdf("big", size=300_000)})
    headers = {"HX-Request": "true"} if htmx else {}
    return client.generic("POST", path, body, MULTIPART_CONTENT, headers=headers)


@pytest.mark.parametrize("lang", ["en", "zh-hans"])
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_a_body_past_the_cap_is_the_upload_form_again_with_the_largest_size_beside_the_file(lang, htmx):
    user = applicant()
    case = submitted(user, "rp-work")
    answer = post_big(client_for(user), f"/{lang}/my/{case.pk}/upload/", {"material_id": "passport"}, htmx)
    page = answer.content.decode()
    assert answer.status_code == 413 and answer["Content-Type"].startswith("text/html")
    assert ("<html" in page) is not htmx
    assert f'<p class="error" id="file-error">{SAID[lang]}' in page and page.count(SAID[lang]) == 1
    assert 'aria-describedby="file-hint file-error" aria-invalid="true"' in page
    assert "Traceback" not in page and "Bad Request" not in page
    assert not Material.objects.exists()


def test_htmx_swaps_a_413_as_it_does_a_422():
    page = client_for(None).get("/en/").content.decode()
    config = re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", page).group(1)
    assert '{"code": "413", "swap": true}' in config
    assert config.index('"413"') < config.index('"[45].."')


def test_with_debug_on_the_demo_answers_the_same_not_a_traceback(settings):
    settings.DEBUG = True
    user = applicant()
    case = submitted(user, "rp-work")
    answer = post_big(client_for(user), f"/en/my/{case.pk}/upload/", {"material_id": "passport"})
    assert answer.status_code == 413 and SAID["en"] in answer.content.decode()


@pytest.mark.parametrize(
    ("lang", "hint"),
    [("en", "The largest file allowed is 100 KB."), ("zh-hans", "允许上传的文件最大为100 KB。")],
)
def test_the_upload_form_says_the_largest_size_before_any_upload(lang, hint):
    user = applicant()
    case = submitted(user, "rp-work")
    page = client_for(user).get(f"/{lang}/my/{case.pk}/").content.decode()
    assert f'<p class="hint" id="file-hint">{hint}</p>' in page
    assert 'aria-describedby="file-hint"' in page


def test_a_file_just_past_the_limit_names_its_size_and_the_largest_allowed():
    user = applicant()
    case = submitted(user, "rp-work")
    upload = pdf("big", size=100 * 1024 + 500)  # past the limit, within the body cap's margin
    answer = client_for(user).post(f"/en/my/{case.pk}/upload/", {"material_id": "passport", "file": upload})
    assert answer.status_code == 422
    assert "The file is too large (100.5 KB); the largest file allowed is 100 KB." in answer.content.decode()


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("en", "The file is larger than 512 KB; split it into several files."),
        ("zh-hans", "文件超过512 KB，请拆分为多个文件。"),
    ],
)
def test_a_csv_file_past_the_cap_is_the_units_upload_form_again_with_its_limit(lang, said):
    handler = unit_handler()
    answer = post_big(client_for(handler), f"/{lang}/unit/reports/upload/", {})
    assert answer.status_code == 413 and said in answer.content.decode()


def test_the_api_names_the_upload_limit_not_the_fields_cap():
    user = applicant()
    case = submitted(user, "rp-work")
    answer = post_big(client_for(user), f"/api/v1/cases/{case.pk}/materials", {"material_id": "passport"})
    assert answer.status_code == 413
    said = answer.json()["detail"][0]
    assert "100 KB" in said["message"] and "100 KB" in said["message_zh"]


@pytest.mark.parametrize("encoding", ["application/x-www-form-urlencoded", MULTIPART_CONTENT])
@pytest.mark.parametrize(
    "fields",
    [{"material_id": "x" * 3000}, {f"f{n}": "x" for n in range(20)}],
    ids=["fields-past-the-cap", "too-many-fields"],
)
@pytest.mark.parametrize("page", ["upload", "apply", "sign-in", "set-language"])
def test_a_form_without_a_file_django_cannot_read_is_the_bad_request_page_in_both_languages(
    settings, page, fields, encoding
):
    """A form without a file past Django's caps (fields past DATA_UPLOAD_MAX_MEMORY_SIZE, or past
    DATA_UPLOAD_MAX_NUMBER_FIELDS), sent as a browser sends it, on a page that answers an upload past the
    cap, a page without, signed out, outside the language prefixes: the site's 400 page, Chinese then
    English, never the upload's "file too large" (no file was sent) nor Django's bare one."""
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    user = None if page in ("sign-in", "set-language") else applicant()
    path = {
        "upload": lambda: f"/en/my/{submitted(user, 'rp-work').pk}/upload/",
        "apply": lambda: "/en/apply/rp-work/",
        "sign-in": lambda: "/en/sign-in/",
        "set-language": lambda: "/i18n/setlang/",
    }[page]()
    browser = client_for(user, csrf=True)
    browser.raise_request_exception = False
    body = urlencode(fields) if encoding.startswith("application") else encode_multipart(BOUNDARY, fields)
    answer = browser.generic("POST", path, body, encoding, headers={"X-CSRFToken": browser.csrf_token})
    said = answer.content.decode()
    assert answer.status_code == 400 and '<html lang="zh-Hans">' in said
    assert said.index("请求无法处理") < said.index("The request could not be handled")
    assert "too large: the largest file" not in said and "Bad Request (400)" not in said
    assert "<style" not in said and "<script" not in said


def test_a_csv_upload_under_the_cap_is_unchanged():
    handler = unit_handler()
    answer = client_for(handler).post(
        "/en/unit/reports/upload/", {"file": SimpleUploadedFile("r.csv", b"", "text/csv")}
    )
    assert answer.status_code == 422


@pytest.mark.parametrize(
    ("lang", "said"),
    [("en", "Choose the item the file is for."), ("zh-hans", "请选择该文件对应的材料项目。")],
)
def test_an_upload_without_its_item_asks_for_it_and_quotes_nothing_empty(lang, said):
    user = applicant()
    case = submitted(user, "rp-work")
    answer = client_for(user).post(f"/{lang}/my/{case.pk}/upload/", {"material_id": "", "file": pdf("p")})
    page = answer.content.decode()
    assert answer.status_code == 422 and said in page
    assert "&#x27;&#x27;" not in page and "“”" not in page and not Material.objects.exists()


def test_a_session_short_of_its_second_factor_is_shown_no_upload_page():
    """The too-large answer comes before the second-factor gate: a hall account signed in with its
    password only is sent to give its second factor, as for any page, not answered a page of the site."""
    case = submitted(applicant(), "rp-work")
    browser = Client()
    browser.force_login(officer(case.hall_id))
    answer = post_big(browser, f"/en/my/{case.pk}/upload/", {"material_id": "passport"})
    assert (answer.status_code, answer["Location"]) == (302, "/en/second-factor/")


def test_the_answer_to_a_body_past_the_cap_may_read_the_form_and_its_files_and_finds_them_empty():
    """The too-large answer is given the request whose body was refused: whatever it (or a middleware
    after it) reads of the form, ``request.POST`` or ``request.FILES``, is empty, not the refusal again."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.test import RequestFactory

    from exitentry import upload_limit
    from exitentry.web.too_large import TooLargeAnswers

    read: list[tuple] = []

    def answer(request):
        read.append((dict(request.POST), dict(request.FILES)))
        return HttpResponse("the form again", status=413)

    @upload_limit.answered_by(answer)
    def page(request):
        raise AssertionError("the page itself is not run")

    body = encode_multipart(BOUNDARY, {"material_id": "passport", "file": pdf("big", size=300_000)})
    request = RequestFactory().generic("POST", "/en/my/1/upload/", body, MULTIPART_CONTENT)
    request.user = AnonymousUser()
    response = TooLargeAnswers(lambda r: HttpResponse()).process_view(request, page, (), {})
    assert response.status_code == 413 and read == [({}, {})]
    assert (dict(request.POST), dict(request.FILES)) == ({}, {})
