"""Signing in through the pages in a browser test: the password, then the authenticator's code where the
role has a second factor."""

from __future__ import annotations

from case_helpers import current_code

PASSWORD = "correct horse battery staple"  # tests/factories.py
BUTTONS = {"en": ("Sign in", "Continue"), "zh-hans": ("登录", "继续")}


def fill_sign_in(page, user, lang: str = "en", code: bool = True) -> None:
    """On the sign-in form ``page`` shows (in ``lang``): the user's password, then, with ``code``, their
    authenticator's code on the second-factor page."""
    sign_in, carry_on = BUTTONS[lang]
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=sign_in).click()
    if code:
        page.fill("#id_code", current_code(user))
        with page.expect_navigation():
            page.get_by_role("button", name=carry_on).click()
