"""Proof given again before making what stands for the account: new backup codes (which void the owner's)
and a new API key. A signed-in session may be someone else's at a desk left unlocked, so the authenticator's
current code is asked (a backup code will not do), or the password from an account with no authenticator (a
unit administrator, an institution). A wrong one is audited and counted against the account's and the
address's budgets of wrong codes (``accounts.second_factor``), so the form is no way to guess either."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from exitentry.accounts import second_factor


def field(user) -> forms.CharField:
    """A form's field for the proof ``user`` gives."""
    if second_factor.has_device(user):
        return forms.CharField(
            label=_("Code from your authenticator app"),
            help_text=_("To make this, prove again that it is you: type the six digits the app shows now."),
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        )
    return forms.CharField(
        label=_("Your password"),
        help_text=_("To make this, prove again that it is you."),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def refusal(request: HttpRequest, given: str) -> str | None:
    """Why ``given`` is no fresh proof for the signed-in user, in the page's language (None: it is one)."""
    user = request.user
    if second_factor.has_device(user):
        checked = second_factor.kind_of(given) == "authenticator"
        result = second_factor.check(user, given) if checked else second_factor.Check(None)
        if result.device is not None:
            return None
        second_factor.failed(request, given, result)
        return gettext("That is not the code your authenticator app shows now. Type the six digits it shows.")
    if given and user.check_password(given):
        return None
    second_factor.failed(request, given, second_factor.Check(None), kind="password")
    return gettext("Your password is not right. Type the password you sign in with.")
