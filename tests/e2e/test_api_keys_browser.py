"""In a real headless Chromium, a bank's desk makes an API key with the ``status:check`` scope, reads it once
on the page, reloads and sees it no longer shown; its system calls the live server over HTTP with the key
(a status check answers 200), the desk revokes the key on the page, and the same call answers 401."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from exitentry.accounts.models import ApiKey, AuditEntry
from verification.helpers import BIRTH, code_for, desk, holder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESULTS = Path(__file__).resolve().parents[2] / "test-results"
PASSWORD = "correct horse battery staple"  # tests/factories.py


def check_status(live_url: str, key: str, code: str) -> tuple[int, dict]:
    """POST a share-code status check to the live server as the institution's system would."""
    request = urllib.request.Request(
        f"{live_url}/api/v1/status-checks/code",
        data=json.dumps({"code": code, "birth_date": BIRTH.isoformat()}).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def test_a_bank_makes_a_key_sees_it_once_uses_it_and_revokes_it(page, live_url):
    bank = desk()
    _, code = code_for(holder())
    RESULTS.mkdir(exist_ok=True)

    page.goto(f"{live_url}/en/sign-in/")
    page.fill("#id_username", bank.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    with page.expect_navigation():
        page.get_by_role("link", name="API keys").click()
    page.fill("#id_name", "Teller system")
    page.check("input[name=scopes][value='status:check']")
    page.fill("#id_proof", PASSWORD)  # the password again: a session alone makes no key
    with page.expect_navigation():
        page.get_by_role("button", name="Make the key").click()
    assert page.url == f"{live_url}/en/account/api-keys/"  # redirected: a reload makes no second key
    key = page.locator("#new-key").inner_text().strip()
    row = ApiKey.objects.get()
    assert key.startswith(f"{row.prefix}_") and row.scopes == ["status:check"]
    page.screenshot(path=str(RESULTS / "api-key-made-en.png"), full_page=True)

    page.reload()
    assert page.locator("#new-key").count() == 0 and key not in page.content()
    assert "is no longer shown" in page.locator("#key-gone").inner_text()
    assert ApiKey.objects.count() == 1 and page.locator("table.keys tbody tr").count() == 1
    page.screenshot(path=str(RESULTS / "api-key-reloaded-en.png"), full_page=True)

    status, body = check_status(live_url, key, code)
    assert status == 200 and body["match"] is True and body["status"]["valid"] is True
    assert AuditEntry.objects.filter(action="status.check", api_key=row).count() == 1

    with page.expect_navigation():
        page.locator(f"#key-{row.pk}").get_by_role("button", name="Revoke").click()
    assert "Revoked" in page.locator(f"#key-{row.pk}").inner_text()
    status, body = check_status(live_url, key, code)
    assert status == 401 and body["detail"][0]["message"]
