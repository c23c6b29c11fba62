"""The account lifecycle on /account (issue 16 over issue 13's API): a password login sees
its sessions, revokes one (its next API call is 401), logs out everywhere else, withdraws an
invitation (its link page then says it cannot be used) and changes its password; an OPAQUE
account makes new recovery codes behind a fresh proof (old codes refused at login, new ones
work), moves to a new authenticator and changes its password."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from playwright.sync_api import Page, expect

from invite_auth import Client
from invite_auth._flows import invitation_ref
from invite_auth.errors import LoginFailed, Unauthenticated

from .conftest import FAST_KSF, Browsing, LiveApp
from .flows import Enrolment, alert, expect_account_page, log_in, read_qr
from .test_page_safety import assert_fits

ANDREA = "andrea's password"
ANDREA_NEW = "andrea's new password"
ROOT = "root passphrase"
ROOT_NEW = "root's new passphrase"


def password_log_in(page: Page, base_url: str, name: str, password: str) -> None:
    page.goto(f"{base_url}/login/password")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_a_password_login_manages_sessions_invitations_and_its_password(
    app: LiveApp, browsing: Browsing
) -> None:
    first = Client(app.url)
    first.initial_setup("Andrea", ANDREA)
    page = browsing.person()
    password_log_in(page, app.url, "andrea", ANDREA)
    expect_account_page(page, "Andrea")
    other = Client(app.url)
    other.password_login("andrea", ANDREA)
    (other_id,) = [s.id for s in other.sessions() if s.current]

    # The table lists the three sessions, this one marked, the others with a Revoke button.
    page.reload()
    rows = page.locator("#sessions-body tr")
    expect(rows).to_have_count(3)
    current = page.locator('#sessions-body tr[data-current="true"]')
    expect(current).to_have_count(1)
    expect(current).to_contain_text("This session")
    expect(current).to_contain_text("127.0.0.1")
    expect(current).to_contain_text("Chrome")
    expect(current.get_by_role("button")).to_have_count(0)
    assert_fits(page)

    # Revoke the other SDK session: its next API call is 401, the table shows two.
    row = page.locator(f'#sessions-body tr[data-session="{other_id}"]')
    expect(row).to_contain_text("python-httpx")
    row.get_by_role("button", name=re.compile(r"^Revoke the session")).click()
    expect(page.locator("#sessions-status")).to_contain_text("The session is revoked")
    expect(rows).to_have_count(2)
    with pytest.raises(Unauthenticated):
        other.me()
    first.me()  # the setup session still works

    # Log out everywhere else: the setup session ends too, this one stays.
    page.get_by_role("button", name="Log out everywhere else").click()
    expect(page.locator("#sessions-status")).to_have_text(
        "Logged out everywhere else: 1 other session ended."
    )
    expect(rows).to_have_count(1)
    with pytest.raises(Unauthenticated):
        first.me()

    # Two invitations, listed with their expiry; the first is withdrawn on the page.
    links: list[str] = []
    for _ in range(2):
        page.get_by_role("button", name="Create an invitation link").click()
        field = page.get_by_label("Invitation link")
        expect(field).to_have_value(re.compile(rf"^{re.escape(app.url)}/invite/\S+$"))
        expect(field).not_to_have_value(links[0] if links else "")
        links.append(field.input_value())
    outstanding = page.locator("#outstanding-body tr")
    expect(outstanding).to_have_count(2)
    # each row says when it was made and until when it works, as <time> elements
    expect(outstanding.first.locator("time[datetime]")).to_have_count(2)
    # the page lists invitations by ref (the server keeps only a hash of the id)
    ref = invitation_ref(links[0].rsplit("/", 1)[1])
    withdrawn_row = page.locator(f'#outstanding-body tr[data-invitation="{ref}"]')
    withdrawn_row.get_by_role("button", name=re.compile(r"^Revoke the invitation")).click()
    expect(page.locator("#outstanding-status")).to_contain_text("no longer works")
    expect(outstanding).to_have_count(1)
    visitor = browsing.person()
    response = visitor.goto(links[0])
    assert response is not None
    assert response.status == 404
    expect(visitor.get_by_role("heading", level=1)).to_have_text("This invitation cannot be used")
    visitor.goto(links[1])
    expect(visitor.locator("#invited-by")).to_contain_text("Andrea invited you on")

    # The password: a wrong current one is refused in words; then the change works and says
    # how many other sessions ended.
    third = Client(app.url)
    third.password_login("andrea", ANDREA)
    page.get_by_label("Current password").fill("not my password")
    page.get_by_label("New password", exact=True).fill(ANDREA_NEW)
    page.get_by_label("Repeat new password").fill(ANDREA_NEW)
    page.get_by_role("button", name="Change password").click()
    assert alert(page) == "Your current password is not right."
    page.get_by_label("Current password").fill(ANDREA)
    page.get_by_label("New password", exact=True).fill(ANDREA_NEW)
    page.get_by_label("Repeat new password").fill(ANDREA_NEW + "?")
    page.get_by_role("button", name="Change password").click()
    assert "not the same" in alert(page)
    page.get_by_label("Repeat new password").fill(ANDREA_NEW)
    page.get_by_role("button", name="Change password").click()
    expect(page.locator("#login-password-done")).to_have_text(
        "Your password is changed. 1 other session ended."
    )
    with pytest.raises(Unauthenticated):
        third.me()
    with Client(app.url) as check:
        with pytest.raises(LoginFailed):
            check.password_login("andrea", ANDREA)
        check.password_login("andrea", ANDREA_NEW)
    page.reload()
    expect_account_page(page, "Andrea")  # this browser stayed logged in
    for client in (first, other, third):
        client.close()


def root_account(app: LiveApp) -> Enrolment:
    with Client(app.url, ksf=FAST_KSF) as root:
        registered = root.register(app.server.root_invite(), "root", ROOT)
    return Enrolment(registered.totp_secret, registered.recovery_codes)


def test_an_opaque_account_renews_its_secrets_on_the_page(app: LiveApp, browsing: Browsing) -> None:
    enrolment = root_account(app)
    page = browsing.person()
    log_in(page, app.url, "root", ROOT, totp_code=enrolment.code())
    expect_account_page(page, "root")
    remaining = page.locator("#recovery-remaining")
    expect(remaining).to_have_text("Recovery codes: 10 unused.")
    # An account may invite password logins too: its (empty) list loads without an error.
    expect(page.locator("#outstanding-empty")).to_be_visible()
    expect(page.locator("#outstanding-error")).to_be_hidden()
    expect(page.locator("#sessions-body tr")).to_have_count(1)

    # A wrong password spends nothing but the attempt and is told in words.
    form = page.locator("#recovery-form")
    form.get_by_label("Password").fill("not the passphrase")
    form.get_by_label("Authenticator code or recovery code").fill(enrolment.recovery_codes[0])
    page.get_by_role("button", name="New recovery codes").click()
    assert alert(page) == "Your current password is not right."

    # With the password and a recovery code (that one is used up by the proof).
    form.get_by_label("Password").fill(ROOT)
    form.get_by_label("Authenticator code or recovery code").fill(enrolment.recovery_codes[0])
    page.get_by_role("button", name="New recovery codes").click()
    expect(page.get_by_role("heading", name="Your new recovery codes")).to_be_focused()
    codes = [c.strip() for c in page.locator("#new-recovery-codes li").all_inner_texts()]
    assert len(codes) == 10
    assert all(re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){3}", c) for c in codes), codes
    assert not set(codes) & set(enrolment.recovery_codes)
    expect(remaining).to_have_text("Recovery codes: 10 unused.")
    assert_fits(page)

    # An old code (never used) is refused at login; a new one works.
    other = browsing.person()
    log_in(other, app.url, "root", ROOT, recovery_code=enrolment.recovery_codes[1])
    assert "not right" in alert(other)
    log_in(other, app.url, "root", ROOT, recovery_code=codes[0])
    expect_account_page(other, "root")
    expect(other.locator("#recovery-remaining")).to_have_text("Recovery codes: 9 unused.")

    # A new authenticator: QR and key shown, the old one works until the new one confirms.
    totp = page.locator("#totp-form")
    totp.get_by_label("Password").fill(ROOT)
    totp.get_by_label("Current authenticator code or recovery code").fill(codes[1])
    page.get_by_role("button", name="Set up a new authenticator").click()
    secret = page.locator("#totp-new-secret")
    expect(secret).to_have_text(re.compile(r"^[A-Z2-7 ]{16,}$"))
    new_secret = secret.inner_text().replace(" ", "")
    assert new_secret != enrolment.totp_secret
    uri = page.get_by_role("link", name="Open it in your authenticator app").get_attribute("href")
    assert uri is not None
    assert f"secret={new_secret}" in uri
    assert read_qr(page, "#totp-qr") == [uri]
    assert_fits(page)
    # a code of neither secret in any step the server would accept now
    valid = {
        pyotp.TOTP(s).at(time.time() + d * 30)
        for s in (new_secret, enrolment.totp_secret)
        for d in (-1, 0, 1, 2)
    }
    wrong = next(f"{n:06d}" for n in range(10**6) if f"{n:06d}" not in valid)
    page.get_by_label("Code from the new app").fill(wrong)
    page.get_by_role("button", name="Use the new authenticator").click()
    assert "not right" in alert(page)
    page.get_by_label("Code from the new app").fill(pyotp.TOTP(new_secret).now())
    page.get_by_role("button", name="Use the new authenticator").click()
    expect(page.locator("#totp-done")).to_contain_text("new authenticator app is in use")
    new_enrolment = Enrolment(new_secret, codes)
    log_in(other, app.url, "root", ROOT, totp_code=enrolment.code(steps_ahead=1))
    assert "not right" in alert(other)  # the old secret no longer works
    log_in(other, app.url, "root", ROOT, totp_code=new_enrolment.code(steps_ahead=1))
    expect_account_page(other, "root")

    # The OPAQUE password change: the other browser's session ends, the old password fails.
    pw = page.locator("#opaque-password-form")
    pw.get_by_label("Current password").fill(ROOT)
    pw.get_by_label("New password", exact=True).fill(ROOT_NEW)
    pw.get_by_label("Repeat new password").fill(ROOT_NEW)
    pw.get_by_label("Authenticator code or recovery code").fill(codes[2])
    page.get_by_role("button", name="Change password").click()
    expect(page.locator("#opaque-password-done")).to_have_text(
        re.compile(r"^Your password is changed\. [1-9]\d* other sessions? ended\.$")
    )
    with Client(app.url, ksf=FAST_KSF) as check:
        with pytest.raises(LoginFailed):
            check.login("root", ROOT, recovery_code=codes[3])
        check.login("root", ROOT_NEW, recovery_code=codes[3])
    other.reload()
    other.wait_for_url(re.compile(r"/login$"))  # its session ended with the change
    page.reload()
    expect_account_page(page, "root")


def test_the_lifecycle_sections_work_with_the_keyboard(app: LiveApp, browsing: Browsing) -> None:
    first = Client(app.url)
    first.initial_setup("Andrea", ANDREA)
    second = Client(app.url)
    second.password_login("andrea", ANDREA)
    page = browsing.person()
    password_log_in(page, app.url, "andrea", ANDREA)
    expect_account_page(page, "Andrea")
    expect(page.locator("#sessions-body tr")).to_have_count(3)

    def tab_to(name: re.Pattern[str], limit: int = 40) -> None:
        """Tab until the focused element's accessible text matches (aria-label, label or
        button text)."""
        for _ in range(limit):
            page.keyboard.press("Tab")
            focused = page.evaluate(
                """() => { const e = document.activeElement;
                           return e?.getAttribute("aria-label") ?? e?.labels?.[0]?.textContent
                                  ?? e?.textContent ?? ""; }"""
            )
            if name.search(focused):
                return
        raise AssertionError(f"Tab never reached {name.pattern!r}")

    tab_to(re.compile(r"^Revoke the session"))
    page.keyboard.press("Enter")
    status = page.locator("#sessions-status")
    expect(status).to_contain_text("The session is revoked")
    expect(status).to_be_focused()
    expect(page.locator("#sessions-body tr")).to_have_count(2)

    tab_to(re.compile(r"^Log out everywhere else$"))
    page.keyboard.press("Enter")
    expect(status).to_have_text("Logged out everywhere else: 1 other session ended.")
    for client in (first, second):
        with pytest.raises(Unauthenticated):
            client.me()
        client.close()

    tab_to(re.compile(r"^Current password$"))
    page.keyboard.type(ANDREA)
    page.keyboard.press("Tab")
    page.keyboard.type(ANDREA_NEW)
    page.keyboard.press("Tab")  # the hint is text, not a stop: next is the repeat field
    page.keyboard.type(ANDREA_NEW)
    page.keyboard.press("Enter")
    done = page.locator("#login-password-done")
    expect(done).to_have_text("Your password is changed. No other session was open.")
    expect(done).to_be_focused()
