"""``/account/api-keys/``: a unit administrator's or an institution's API keys for its systems
(``accounts.api_keys``): make one (name, scopes, expiry), see it once, list them, revoke one.

Nobody else sees the page (403). A unit administrator sees and revokes every key of the unit, an
institution its own; another's key is not found (404). Making and revoking are audited by the service.
Making a key asks for the password (or the authenticator's code) again (``fresh_proof``); it is a POST
that redirects (303) to the page, which shows the key on that one answer
(``shown_once``): a reload shows the list without it and says so.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from exitentry import clock
from exitentry.accounts import api_keys, policy
from exitentry.law.calendar import BEIJING
from exitentry.web import case_pages as pages
from exitentry.web import fresh_proof, shown_once
from exitentry.web.second_factor_views import codes_spent
from exitentry.web.templatetags.lawtext import sep

keeper = pages.signed_in(policy.keeps_api_keys)
DEFAULT_LIFE = timedelta(days=90)


class KeyForm(forms.Form):
    name = forms.CharField(
        label=_("Key name"), max_length=100, help_text=_("Which system uses the key, e.g. “HR system”.")
    )
    scopes = forms.MultipleChoiceField(label=_("What the key may do"), widget=forms.CheckboxSelectMultiple)
    expires_on = forms.DateField(
        label=_("Expires on"),
        help_text=_("The key stops working at 00:00 Beijing time that day; one year at most."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, scopes: tuple[str, ...], kept, request: HttpRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept, self.request = kept, request
        self.fields["proof"] = fresh_proof.field(request.user)
        self.fields["scopes"].choices = [(s, _scope_choice(s)) for s in scopes]
        self.fields["expires_on"].initial = pages.today() + DEFAULT_LIFE

    def clean_name(self):
        """A working key's name is not given twice: the list tells keys apart by their names."""
        name = self.cleaned_data["name"].strip()
        working = self.kept.filter(revoked_at__isnull=True, expires_at__gt=clock.now())
        if working.filter(name__iexact=name).exists():
            raise forms.ValidationError(
                _("A key with this name exists: give this one another name, or revoke that one first.")
            )
        return name

    def clean_expires_on(self):
        day, today = self.cleaned_data["expires_on"], pages.today()
        if not today < day <= today + api_keys.LONGEST:
            raise forms.ValidationError(_("Choose a day after today and within one year."))
        return day

    def clean(self):
        """The proof is checked last, once the rest is right, so a mistyped name costs no try."""
        data = super().clean()
        if not self.errors and (why := fresh_proof.refusal(self.request, data.get("proof", ""))):
            self.add_error("proof", why)
        return data

    def expires_at(self) -> datetime:
        return datetime.combine(self.cleaned_data["expires_on"], time(0), tzinfo=BEIJING)


def _scope_choice(code: str) -> str:
    """A scope as the form offers it: its name, what it lets the key do, then its code for the developer."""
    scope = api_keys.SCOPES[code]
    return format_html(
        '<strong>{}</strong>{}{}{}<small class="scope-code"><code class="muted">{}</code></small>',
        scope.name,
        sep(": "),
        scope.does,
        sep(" "),
        code,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@keeper
def keys(request: HttpRequest) -> HttpResponse:
    """The keys and the form; a POST makes a key and redirects here, where it is shown once."""
    scopes = api_keys.grantable(request.user)
    kept = api_keys.kept_by(request.user)
    form = KeyForm(request.POST or None, scopes=scopes, kept=kept, request=request)
    status, once = 200, shown_once.Once()
    if request.method == "POST":
        if spent := codes_spent(request):
            return spent
        if form.is_valid():
            data = form.cleaned_data
            issued = api_keys.issue(pages.actor(request), data["name"], data["scopes"], form.expires_at())
            shown_once.keep(request, "api-key", issued.key, issued.row.pk)
            return shown_once.see_other("web:api_keys")
        status = 422
    else:
        once = shown_once.take(request, "api-key")
    kept = kept.select_related("created_by")
    row_id = once.shown or once.gone
    context = {
        "form": form,
        "once": once,
        "new": kept.filter(pk=row_id).first() if row_id else None,
        "keys": kept,
        "now": clock.now(),
        "scope_names": {code: scope.name for code, scope in api_keys.SCOPES.items()},
    }
    return render(request, "web/api_keys.html", context, status=status)


@require_POST
@keeper
def revoke(request: HttpRequest, key_id: int) -> HttpResponse:
    key = get_object_or_404(api_keys.kept_by(request.user), pk=key_id)
    if api_keys.revoke(pages.actor(request), key):
        messages.success(request, gettext("The key “%(name)s” is revoked.") % {"name": key.name})
    else:
        messages.info(request, gettext("The key “%(name)s” was already revoked.") % {"name": key.name})
    return redirect("web:api_keys")
