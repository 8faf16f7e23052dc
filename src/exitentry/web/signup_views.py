"""An applicant opens their own account (``accounts.registration``): the sign-up page, the same "check your
inbox" answer whether or not the address is in use, the page the e-mail's link opens (a button confirms it,
so a mail scanner that opens links uses up nothing), and once signed in "Your details", where an applicant
whose account has no registry record enters their own with the person form (``web.person_form``, a passport
the registry holds refused as for everyone).

Someone who lost the e-mail asks for the link again (``again``), by username or e-mail address.

Sign-ups, and links sent again, are rate limited per address (an IPv6 one by its /64: ``throttling.SignUpsFromAddress``, every
POST) and per e-mail address (``throttling.SignUpsToEmail``, every sign-up sent); the confirm page as a
public page (``throttling.StrangerThrottle``) on top of its token's 256 bits.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import BaseUserCreationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from exitentry.accounts import policy, registration
from exitentry.accounts.models import User
from exitentry.law import intake
from exitentry.law.catalog import UnknownProcedure, catalog
from exitentry.law.model import Procedure
from exitentry.registry import own_record
from exitentry.throttling import SignUpsFromAddress, SignUpsToEmail, StrangerThrottle, client_address
from exitentry.web import case_pages as pages
from exitentry.web.person_form import NewPersonForm

NEXT = "sign-up-next"  # the session's key of the page to go on to after the first sign-in


class SignUpForm(BaseUserCreationForm):
    """Username (Django's checks, its unique one too, and no "@"), e-mail address, password twice (the
    validators) and the language of the account's messages."""

    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    language = forms.ChoiceField(label=_("Language of your e-mails"), choices=settings.LANGUAGES)
    field_order = ("username", "email", "password1", "password2", "language")

    class Meta:
        model = User
        fields = ("username",)

    def clean_username(self) -> str:
        """No "@": a username is never another's e-mail address (a link asked for again by it)."""
        username = self.cleaned_data["username"]
        if "@" in username:
            raise forms.ValidationError(_("A username cannot contain “@”."), code="at-sign")
        return username


def _link(request: HttpRequest):
    def link(token: str, language: str) -> str:
        with translation.override(language):
            return request.build_absolute_uri(reverse("web:sign_up_confirm", args=[token]))

    return link


def _spent(request: HttpRequest, limit, ident, template="web/sign_up.html") -> HttpResponse | None:
    if not limit.spent(ident):
        return None
    wait = max(1, round(limit.wait()))
    context = {"too_many": True, "retry_minutes": -(-wait // 60)}
    response = render(request, template, context, status=429)
    response["Retry-After"] = str(wait)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    """The sign-up form; a sign-up sent answers with the "check your inbox" page, whoever holds the address."""
    if request.user.is_authenticated:
        return redirect("web:home")
    posted = request.method == "POST"
    form = SignUpForm(request.POST if posted else None, initial={"language": translation.get_language()})
    nxt = request.POST.get("next") or request.GET.get("next", "")
    if posted:
        by_address = SignUpsFromAddress()
        if spent := _spent(request, by_address, by_address.ident(request)):
            return spent
        by_address.count(by_address.ident(request))
        if form.is_valid():
            data = form.cleaned_data
            to_email = SignUpsToEmail()
            if spent := _spent(request, to_email, SignUpsToEmail.of(data["email"])):
                return spent
            to_email.count(SignUpsToEmail.of(data["email"]))
            try:
                registration.sign_up(
                    client_address(request),
                    data["username"],
                    data["email"],
                    data["password1"],
                    data["language"],
                    _link(request),
                )
            except registration.UsernameTaken:
                form.add_error("username", User._meta.get_field("username").error_messages["unique"])
            else:
                if url_has_allowed_host_and_scheme(
                    nxt, {request.get_host()}, require_https=request.is_secure()
                ):
                    request.session[NEXT] = nxt
                response = redirect("web:sign_up_sent")
                response.status_code = 303
                return response
    context = {"form": form, "next": nxt}
    return render(request, "web/sign_up.html", context, status=422 if posted else 200)


class AgainForm(forms.Form):
    who = forms.CharField(label=_("Username or e-mail address"), max_length=254, strip=True)


@never_cache
@require_http_methods(["GET", "POST"])
def again(request: HttpRequest) -> HttpResponse:
    """The link sent again to a sign-up still waiting, found by its username or e-mail address; the same
    "check your inbox" answer whatever was found. Counted as a sign-up from the address and to the e-mail
    address (or username) typed, and to the one sent to, which is checked before: none is sent to an
    address whose limit is spent, and the answer is the same."""
    if request.user.is_authenticated:
        return redirect("web:home")
    form = AgainForm(request.POST if request.method == "POST" else None)
    if form.is_bound:
        by_address = SignUpsFromAddress()
        if spent := _spent(request, by_address, by_address.ident(request), "web/sign_up_again.html"):
            return spent
        by_address.count(by_address.ident(request))
        if form.is_valid():
            who, to_email = form.cleaned_data["who"], SignUpsToEmail()
            if spent := _spent(request, to_email, SignUpsToEmail.of(who), "web/sign_up_again.html"):
                return spent
            to_email.count(SignUpsToEmail.of(who))

            def may_send(email: str) -> bool:
                """The recipient's limit, checked and counted before the link goes (once if typed)."""
                if SignUpsToEmail.of(email) == SignUpsToEmail.of(who):
                    return True
                if to_email.spent(SignUpsToEmail.of(email)):
                    return False
                to_email.count(SignUpsToEmail.of(email))
                return True

            registration.resend(client_address(request), who, _link(request), may_send)
            response = redirect("web:sign_up_sent")
            response.status_code = 303
            return response
    return render(request, "web/sign_up_again.html", {"form": form}, status=422 if form.is_bound else 200)


@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    return render(request, "web/sign_up_sent.html", {"valid_hours": registration.VALID_HOURS})


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mail's link: a button that activates the account, then on to the sign-in page."""
    throttle = StrangerThrottle("sign-up-confirm")
    if not throttle.allow_request(request):
        response = render(request, "web/sign_up_confirm.html", {"too_many": True}, status=429)
        response["Retry-After"] = str(max(1, round(throttle.wait())))
        return response
    if request.method == "POST":
        try:
            registration.confirm(token, client_address(request))
        except registration.Refused as exc:
            context = {"refused": exc.text}
            return render(request, "web/sign_up_confirm.html", context, status=exc.status)
        messages.success(request, gettext("Your account is active: sign in with your username and password."))
        nxt = request.session.pop(NEXT, "")
        url = reverse("web:sign_in") + (f"?{urlencode({'next': nxt})}" if nxt else "")
        return redirect(url)
    waiting = registration.open_sign_up(token)
    if waiting is None:
        context = {"refused": registration.NO_SUCH_LINK}
        return render(request, "web/sign_up_confirm.html", context, status=410)
    return render(request, "web/sign_up_confirm.html", {"sign_up": waiting})


@require_http_methods(["GET", "POST"])
@pages.signed_in(policy.is_applicant)
def my_details(request: HttpRequest) -> HttpResponse:
    """ "Your details": the applicant's own registry record, entered once; refused (409) once there is one."""
    context = {
        "next": request.POST.get("next") or request.GET.get("next", ""),
        "in_person_cite": intake.IDENTITY_CHECKED_IN_PERSON,
    }
    if request.user.person_id is not None:
        return render(
            request, "web/my_details.html", context | {"refused": own_record.HAS_RECORD}, status=409
        )
    actor = pages.actor(request)
    procedure = _applied_for(context["next"])
    form = NewPersonForm(request.POST if request.method == "POST" else None, actor=actor, procedure=procedure)
    if request.method == "POST" and form.is_valid():
        try:
            own_record.own_record(actor, form.save)
        except registration.Refused as exc:
            return render(request, "web/my_details.html", context | {"refused": exc.text}, status=exc.status)
        messages.success(request, gettext("Your details are saved. You can now start your applications."))
        nxt = context["next"]
        if url_has_allowed_host_and_scheme(nxt, {request.get_host()}, require_https=request.is_secure()):
            return redirect(nxt)
        return redirect("web:my_cases")
    status = 429 if form.spent is not None else 422 if form.is_bound else 200
    response = render(request, "web/my_details.html", context | {"form": form}, status=status)
    if form.spent is not None:
        response["Retry-After"] = str(form.spent.wait)
    return response


def _applied_for(nxt: str) -> Procedure | None:
    """The procedure of the apply page ``nxt`` leads on to, or None: an expired passport is refused by its
    travel-document line, and taken for the exit formalities of Regulations Art. 23 (``NewPersonForm``)."""
    try:
        match = resolve(urlsplit(nxt).path)
        return catalog().procedure(match.kwargs["procedure_id"]) if match.url_name == "apply" else None
    except (Resolver404, UnknownProcedure):
        return None
