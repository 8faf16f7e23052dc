"""A holder's share codes (``/my/share-codes/``): make one for a purpose and a time, see it once, revoke it,
and see every check institutions made with them (which institution, when, for what, with what answer).

Making a code is a POST that redirects (303) to the list, which shows the new code on that one answer
(``shown_once``): a reload shows the list without it and says so.

For the holder alone (``sharecodes.may_share``: an applicant account linked to its registry record); any
other account gets 403, and another holder's code is not found (404). Showing the list is a read of
personal data and is audited; making and revoking a code are audited by the service.
"""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from exitentry import clock
from exitentry.accounts.audit import record
from exitentry.law.calendar import BEIJING
from exitentry.law.rules.verification import VERIFIERS
from exitentry.verification import sharecodes
from exitentry.verification.models import MAX_WRONG_TRIES, Purpose, ShareCode, StatusCheck
from exitentry.web import case_pages as pages
from exitentry.web import shown_once
from exitentry.web.paging import page_of

holder_side = pages.signed_in(sharecodes.may_share)

DURATION_LABELS = {
    "1h": _("1 hour"),
    "1d": _("1 day"),
    "7d": _("7 days"),
    "30d": _("30 days"),
}


class ShareCodeForm(forms.Form):
    # No purpose is preset: the holder chooses the one the institution checks for (a code opens only there).
    purpose = forms.ChoiceField(
        label=_("What it is for"), choices=[("", _("Choose the purpose")), *Purpose.choices]
    )
    duration = forms.ChoiceField(
        label=_("Valid for"), choices=[(k, DURATION_LABELS[k]) for k in sharecodes.DURATIONS], initial="1d"
    )


def _beijing(instant):
    return timezone.localtime(instant, BEIJING) if instant is not None else None


@never_cache
@require_http_methods(["GET", "POST"])
@holder_side
def my_share_codes(request: HttpRequest) -> HttpResponse:
    """The codes and the checks; a POST makes a code and redirects here, where it is shown once."""
    form = ShareCodeForm(request.POST if request.method == "POST" else None)
    status, once = 200, shown_once.Once()
    if request.method == "POST":
        if form.is_valid():
            share, code = sharecodes.make(
                pages.actor(request), form.cleaned_data["purpose"], form.cleaned_data["duration"]
            )
            shown_once.keep(request, "share-code", code, share.pk)
            return shown_once.see_other("web:my_share_codes")
        status = 422
    else:
        once = shown_once.take(request, "share-code")
    person_id = request.user.person_id
    now = clock.now()
    codes = [
        {
            "code": c,
            "state": c.state_at(now),
            "expires": _beijing(c.expires_at),
            "made": _beijing(c.created_at),
        }
        for c in ShareCode.objects.filter(person_id=person_id).order_by("-created_at")[:50]
    ]
    checks = (
        StatusCheck.objects.filter(person_id=person_id).select_related("institution", "code").order_by("-at")
    )
    page = page_of(request, checks)
    rows = [{"check": c, "at": _beijing(c.at)} for c in page]
    record(
        pages.actor(request),
        "share-code.list",
        "person",
        person_id,
        new={"codes": [row["code"].pk for row in codes], "checks": [row["check"].pk for row in rows]},
    )
    gone_row = next((row for row in codes if row["code"].pk == once.gone), None)
    if gone_row is not None and gone_row["state"] != "active":
        # revoked or run out since it was shown: nothing left to write down or revoke
        once = shown_once.Once()
    gone = gone_row["code"] if gone_row is not None else None
    context = {"form": form, "once": once, "gone": gone, "codes": codes, "rows": rows, "page": page}
    context |= {"verifiers": VERIFIERS, "tries": MAX_WRONG_TRIES}
    return render(request, "web/my_share_codes.html", context, status=status)


@require_POST
@holder_side
def revoke(request: HttpRequest, code_id: int) -> HttpResponse:
    try:
        sharecodes.revoke(pages.actor(request), code_id)
    except ShareCode.DoesNotExist:
        raise Http404 from None
    return redirect("web:my_share_codes")
