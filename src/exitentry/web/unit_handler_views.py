"""A unit's handlers, for its administrator: the list, an invitation by e-mail (and withdrawing it), making
one administrator or stepping one down, removing one; and the page where an invitee accepts
(``accounts.invitations``). Other handlers get 403 on the administrator's page.

The accept page is open to strangers, so it is rate limited per address (``JOIN_TRIES`` in
``JOIN_WINDOW_SECONDS``) on top of the token's own 256 bits; behind the reverse proxy the address is the
one the proxy saw, as for the API's strangers (``NINJA_NUM_PROXIES``), not the proxy's own. Whether a
username is taken is looked up only once the rest of the form holds, answered in general words ("choose
another"), audited (``unit.handler.join.taken``) and counted against the invitation
(``throttling.JoinUsernamesTaken``): past its limit the link answers 429 without looking the name up, so a
link's holder cannot test a list of usernames from many addresses.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import BaseUserCreationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from exitentry import clock
from exitentry.accounts import invitations, policy
from exitentry.accounts.audit import Actor, record
from exitentry.accounts.models import HandlerInvitation, Role, User
from exitentry.throttling import JoinUsernamesTaken, address_block, client_address
from exitentry.web import case_pages as pages

admin_side = pages.signed_in(policy.is_unit_admin)
JOIN_TRIES = 20
JOIN_WINDOW_SECONDS = 600


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES)


class JoinForm(BaseUserCreationForm):
    """The invitee's name, username and password (Django's checks: the username's characters, the password
    validators). Whether the username is free is not asked here but by the page, which counts each answer
    against the invitation (``JoinUsernamesTaken``)."""

    class Meta:
        model = User
        fields = ("first_name", "username")
        labels = {"first_name": _("Your name")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True

    def validate_unique(self) -> None:
        try:
            self.instance.validate_unique(exclude=self._get_validation_exclusions() | {"username"})
        except ValidationError as e:
            self._update_errors(e)


CHOOSE_ANOTHER = _("This username cannot be used: choose another one.")


def _link(request: HttpRequest):
    def link(token: str, language: str) -> str:
        with translation.override(language):
            return request.build_absolute_uri(reverse("web:unit_join", args=[token]))

    return link


@require_http_methods(["GET", "POST"])
@admin_side
def handlers(request: HttpRequest) -> HttpResponse:
    """The unit's handlers and its pending invitations; posting the form sends an invitation."""
    user = request.user
    form = InviteForm(
        request.POST if request.method == "POST" else None, initial={"language": translation.get_language()}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                invitations.invite(
                    pages.actor(request),
                    form.cleaned_data["email"],
                    form.cleaned_data["language"],
                    _link(request),
                )
            except invitations.Refused as exc:
                form.add_error(None, exc.text.get(translation.get_language() or "en"))
                status = exc.status
            else:
                messages.success(
                    request,
                    gettext("The invitation is on its way to %(email)s.")
                    % {"email": form.cleaned_data["email"]},
                )
                return redirect("web:unit_handlers")
        else:
            status = 422
    handlers = list(
        User.objects.filter(unit_id=user.unit_id, role=Role.UNIT).order_by("-is_active", "username")
    )
    ids = [h.pk for h in handlers]  # names and e-mail addresses shown: a read of personal data
    record(pages.actor(request), "user.list", "unit-handlers", user.unit_id, new={"users": ids})
    context = {
        "unit": user.unit,
        "handlers": handlers,
        "last_admin": sum(h.is_active and h.is_unit_admin for h in handlers) == 1,
        "pending": invitations.unanswered()
        .filter(unit_id=user.unit_id)
        .order_by("-created_at")[: pages.PAGE_SIZE],
        "form": form,
        "valid_hours": invitations.VALID_HOURS,
        "now": clock.now(),
    }
    return render(request, "web/unit/handlers.html", context, status=status)


def _step(request: HttpRequest, step, done) -> HttpResponse:
    """Run one administrator's step (``step()``) and say how it went on the handlers' page; ``done(result)``
    is the message of success."""
    try:
        result = step()
    except invitations.Refused as exc:
        messages.error(request, exc.text.get(translation.get_language() or "en"))
    else:
        messages.success(request, done(result))
    return redirect("web:unit_handlers")


@require_POST
@admin_side
def remove(request: HttpRequest, user_id: int) -> HttpResponse:
    answer = _step(
        request,
        lambda: invitations.remove(pages.actor(request), user_id),
        lambda h: gettext("%(name)s can no longer sign in.") % {"name": h.get_username()},
    )
    request.user.refresh_from_db(fields=["is_active"])
    return answer if request.user.is_active else redirect("web:sign_in")


@require_POST
@admin_side
def set_admin(request: HttpRequest, user_id: int) -> HttpResponse:
    """Make a handler the unit's administrator (``admin=1``), or step one down (``admin=0``)."""
    admin = request.POST.get("admin") == "1"
    answer = _step(
        request,
        lambda: invitations.set_admin(pages.actor(request), user_id, admin),
        lambda h: (
            (
                gettext("%(name)s is now an administrator of the unit.")
                if admin
                else gettext("%(name)s is no longer an administrator of the unit.")
            )
            % {"name": h.get_username()}
        ),
    )
    request.user.refresh_from_db(fields=["is_unit_admin"])
    return answer if request.user.is_unit_admin else redirect("web:unit_people")  # stepped down


@require_POST
@admin_side
def withdraw(request: HttpRequest, invitation_id: int) -> HttpResponse:
    return _step(
        request,
        lambda: invitations.withdraw(pages.actor(request), invitation_id),
        lambda i: (
            gettext("The invitation to %(email)s is withdrawn: its link no longer works.")
            % {"email": i.email}
        ),
    )


def _too_many(request: HttpRequest) -> bool:
    key = f"unit-join:{address_block(request)}"  # the caller's address (an IPv6 one by its /64), as the API counts it
    cache.add(key, 0, JOIN_WINDOW_SECONDS)
    try:
        tries = cache.incr(key)
    except ValueError:  # expired between the two calls
        tries = 1
    return tries > JOIN_TRIES


@never_cache
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    """The invitee chooses a username and password and becomes a handler of the inviting unit."""
    if _too_many(request):
        return render(request, "web/unit/join.html", {"too_many": True}, status=429)
    invitation = invitations.open_invitation(token)
    if invitation is None:
        return render(request, "web/unit/join.html", {"invitation": None}, status=410)
    form = JoinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and (spent := _usernames_spent(request, invitation)):
        return spent
    if request.method == "POST":
        form.is_valid()
        _say_if_taken(request, invitation, form)  # beside the form's other errors, all at once
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        username = data["username"]
        try:
            invitations.accept(
                token, username, data["password1"], client_address(request), data["first_name"]
            )
        except invitations.Refused:
            return render(request, "web/unit/join.html", {"invitation": None}, status=410)
        except invitations.UsernameTaken:
            _taken(request, invitation, username)
            form.add_error("username", CHOOSE_ANOTHER)
            return render(request, "web/unit/join.html", {"invitation": invitation, "form": form}, status=422)
        messages.success(
            request, gettext("Your account is ready: sign in with your new username and password.")
        )
        return redirect("web:sign_in")
    status = 422 if request.method == "POST" else 200
    return render(request, "web/unit/join.html", {"invitation": invitation, "form": form}, status=status)


def _say_if_taken(request: HttpRequest, invitation: HandlerInvitation, form: JoinForm) -> None:
    """The username the form holds (well formed, whatever else is wrong), if taken: said beside its field,
    audited and counted against the invitation (``_taken``)."""
    username = form.cleaned_data.get("username")
    if username and User.objects.filter(username__iexact=username).exists():
        _taken(request, invitation, username)
        form.add_error("username", CHOOSE_ANOTHER)


def _usernames_spent(request: HttpRequest, invitation: HandlerInvitation) -> HttpResponse | None:
    """The 429 page once the link was told of too many taken usernames in this window."""
    taken = JoinUsernamesTaken()
    if not taken.spent(invitation.pk):
        return None
    wait = max(1, round(taken.wait()))
    response = render(
        request, "web/unit/join.html", {"usernames_spent": True, "retry_minutes": -(-wait // 60)}, status=429
    )
    response["Retry-After"] = str(wait)
    return response


def _taken(request: HttpRequest, invitation: HandlerInvitation, username: str) -> None:
    """The link was told a username cannot be used: audited and counted against the invitation."""
    record(
        Actor.of(request), "unit.handler.join.taken", "invitation", invitation.pk, new={"username": username}
    )
    JoinUsernamesTaken().count(invitation.pk)
