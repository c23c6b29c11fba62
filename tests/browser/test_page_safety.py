"""What every page must hold in a real browser: no CSP violation, no request off 127.0.0.1,
a layout that fits 360 px, keyboard-only use, errors in words; and the watchers that check
the first two really notice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from invite_auth import Client

from .conftest import FAST_KSF, AppFactory, Browsing, LiveApp
from .flows import Enrolment, alert, expect_account_page, register

FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"


def assert_fits(page: Page) -> None:
    assert page.evaluate(FITS), f"{page.url} is wider than {page.viewport_size}"


def root_account(app: LiveApp) -> Enrolment:
    with Client(app.url, ksf=FAST_KSF) as root:
        registered = root.register(app.server.root_invite(), "root", "root passphrase")
    return Enrolment(registered.totp_secret, registered.recovery_codes)


def test_the_watchers_notice_a_csp_violation_and_an_off_host_request(
    app: LiveApp, browsing: Browsing
) -> None:
    page = browsing.person()
    page.goto(f"{app.url}/login")
    guard = browsing.contexts[-1][1]
    assert guard.problems() == []
    # An inline script, added the way an injection would: the CSP blocks it.
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.ran = true"; document.body.append(s); }"""
    )
    expect(page.locator("body")).to_be_visible()
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.ran === undefined")
    assert any("script-src" in v for v in guard.csp_violations), guard.csp_violations
    # A navigation to another host never leaves the machine: blocked and recorded.
    with pytest.raises(Exception, match="net::ERR_FAILED"):
        page.goto("http://guard-check.invalid/")
    assert guard.off_host_requests == ["http://guard-check.invalid/"]
    guard.csp_violations.clear()
    guard.off_host_requests.clear()


def test_a_failing_test_leaves_screenshots(app: LiveApp, browsing: Browsing) -> None:
    page = browsing.person()
    page.goto(f"{app.url}/login")
    shots = browsing.screenshots("screenshot-check")
    assert [p.name for p in shots] == ["screenshot-check-person0-page0.png"]
    assert shots[0].read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    Path(shots[0]).unlink()


def test_every_page_fits_360_pixels(app: LiveApp, browsing: Browsing) -> None:
    enrolment = root_account(app)
    page = browsing.person()
    with Client(app.url, ksf=FAST_KSF) as root:
        root.login("root", "root passphrase", totp_code=enrolment.code())
        invite = root.create_site_invite("a-rather-long-domain-name.example", "owner")
        invitation = root.create_invitation()
    for path in ["/login", "/login/password", f"/invite/{invitation.id}", "/invite/gone"]:
        page.goto(app.url + path)
        assert_fits(page)
    owner = register(
        page,
        f"{app.url}/register?token={invite.invite_token}",
        "owner passphrase",
        expect_account="owner",
    )
    assert_fits(page)  # the QR code, the secret and the codes
    page.get_by_label("I have saved them").check()
    page.get_by_label("Authenticator code").fill(owner.code())
    page.get_by_role("button", name="Finish").click()
    expect_account_page(page, "owner")
    assert_fits(page)


def test_keyboard_only(app: LiveApp, browsing: Browsing) -> None:
    enrolment = root_account(app)
    page = browsing.person()
    page.goto(f"{app.url}/login")

    def tab_to(label: str) -> None:
        for _ in range(10):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement?.labels?.[0]?.textContent") == label:
                return
        raise AssertionError(f"Tab never reached {label!r}")

    tab_to("Account")
    page.keyboard.type("root")
    tab_to("Password")
    page.keyboard.type("root passphrase")
    page.keyboard.press("Enter")
    # The second step takes the focus itself.
    expect(page.get_by_label("Authenticator code")).to_be_focused()
    page.keyboard.type(enrolment.code())
    page.keyboard.press("Enter")
    expect_account_page(page, "root")
    # On the account page: reach "Create an invitation link" and press it.
    button = page.get_by_role("button", name="Create an invitation link")
    for _ in range(15):
        page.keyboard.press("Tab")
        if button.evaluate("(b) => b === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached the invitation button")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Invitation link")).to_be_focused()


def test_rate_limiting_is_shown_with_its_wait(app_factory: AppFactory, browsing: Browsing) -> None:
    app = app_factory(INVITE_AUTH_MAX_FAILURES_PER_ACCOUNT="2")
    root_account(app)
    page = browsing.person()
    page.goto(f"{app.url}/login")
    page.get_by_label("Account").fill("root")
    for _ in range(2):
        page.get_by_label("Password").fill("not the passphrase")
        page.get_by_role("button", name="Continue").click()
        assert "not right" in alert(page)
    page.get_by_label("Password").fill("not the passphrase")
    with page.expect_response(re.compile(r"/accounts/login/start$")) as answer:
        page.get_by_role("button", name="Continue").click()
    assert answer.value.status == 429
    wait = in_words(int(answer.value.headers["retry-after"]))
    message = alert(page)
    assert message.startswith("Too many failed attempts"), message
    assert message.endswith(f"Try again in {wait}."), (message, wait)


def in_words(seconds: int) -> str:
    """What the page should say for a Retry-After (web/src/messages.js, duration)."""

    def plural(n: int, unit: str) -> str:
        return f"{n} {unit}{'' if n == 1 else 's'}"

    if seconds < 60:
        return plural(max(1, seconds), "second")
    minutes = -(-seconds // 60)
    if minutes < 60:
        return plural(minutes, "minute")
    hours, rest = divmod(minutes, 60)
    return (
        f"{plural(hours, 'hour')} and {plural(rest, 'minute')}" if rest else plural(hours, "hour")
    )
