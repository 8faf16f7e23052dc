"""An institution's verification desk (a bank, hospital, school, telecom operator or employer; Regulations
Art. 27).

- Check a document this office issued (an acceptance receipt, a one-time notice, a decision) from the
  code its QR code carries.
- Check a foreigner's status with their share code and date of birth, or by a verification request
  naming a travel document number and a name (``verification.checks``, the service the API calls too):
  the minimal status, or one message that does not say what was wrong. The institution is rate limited
  (``checks.InstitutionThrottle``) and every check is recorded and audited.
"""

from __future__ import annotations

from functools import wraps

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from exitentry.accounts import policy
from exitentry.documents.tokens import is_printed_number
from exitentry.law.text import Text
from exitentry.verification import checks
from exitentry.web.case_pages import actor, signed_in, today

desk_side = signed_in(policy.is_institution)
TOO_FAST = Text(
    "Too many checks from this institution in a short time. Wait a minute and try again.",
    "本机构短时间内核查次数过多，请稍候一分钟再试。",
)


NUMBER_IS_NO_CODE = _(
    "That is the document's number, which does not open a check: numbers run in sequence, and anyone could "
    "count through others' documents. Scan the document's QR code, or enter the code or address it holds."
)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Share code"), max_length=40)
    birth_date = forms.DateField(
        label=_("Holder's date of birth"), widget=forms.DateInput(attrs={"type": "date"})
    )


class DocumentForm(forms.Form):
    document_number = forms.CharField(label=_("Travel document number"), max_length=40)
    name = forms.CharField(label=_("Name as in the document"), max_length=200)


def _token(raw: str) -> str:
    """The token from what the desk typed or scanned: the code itself, or the whole ``/verify/`` address;
    empty when it cannot be one (a token never holds a slash, ``documents.tokens``)."""
    raw = raw.strip()
    token = raw.rsplit("/verify/", 1)[-1].strip("/") if "/verify/" in raw else raw
    return "" if "/" in token else token


def _page(request: HttpRequest, status: int = 200, **context) -> HttpResponse:
    context = {
        "code_form": CodeForm(),
        "document_form": DocumentForm(),
        "may_check": checks.purpose_of(request.user) is not None,
        **context,
    }
    return render(request, "web/institution.html", context, status=status)


@require_GET
@desk_side
def desk(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code")
    if code is not None:
        if is_printed_number(code):
            return _page(request, 422, error=str(NUMBER_IS_NO_CODE), typed=code)
        token = _token(code)
        if token:
            return redirect(f"{reverse('verify', args=[token])}?lang={get_language()}")
        return _page(request, 422, error=gettext("Enter or scan the document's code."), typed=code)
    return _page(request)


def _check(request: HttpRequest, form: forms.Form, run, fields) -> HttpResponse:
    """Run a status check (``run``) on the form's ``fields`` and show its answer on the desk."""
    name = "code_form" if isinstance(form, CodeForm) else "document_form"
    if not form.is_valid():
        return _page(request, 422, **{name: form})
    if not checks.InstitutionThrottle().allow_request(request):
        return _page(request, 429, refused=TOO_FAST, **{name: form})
    try:
        outcome = run(actor(request), *fields(form.cleaned_data), today())
    except checks.CheckRefused as exc:
        return _page(request, exc.status, refused=exc.text, **{name: form})
    answer = {
        "outcome": outcome,
        "method": outcome.check.method,
        "refusal": outcome.refusal,
    }
    kept = {} if outcome.match else {name: form}  # no match: what was typed stays, to correct a slip
    return _page(
        request, 200 if outcome.match or outcome.check.method == "document" else 404, answer=answer, **kept
    )


def _form_on_get(view):
    """A check's address opened directly (a reload, a bookmark, a link) leads to the desk's form: the
    answer is never kept, so there is nothing to show again, and no HTTP error either."""

    @wraps(view)
    def checked(request: HttpRequest) -> HttpResponse:
        if request.method == "GET":
            return redirect("web:institution")
        return view(request)

    return checked


@never_cache
@require_http_methods(["GET", "POST"])
@desk_side
@_form_on_get
def check_code(request: HttpRequest) -> HttpResponse:
    return _check(request, CodeForm(request.POST), checks.check_code, lambda d: (d["code"], d["birth_date"]))


@never_cache
@require_http_methods(["GET", "POST"])
@desk_side
@_form_on_get
def check_document(request: HttpRequest) -> HttpResponse:
    return _check(
        request,
        DocumentForm(request.POST),
        checks.check_document,
        lambda d: (d["document_number"], d["name"]),
    )
