"""Seed 000 in the browser: root registers on the page from the printed link, logs in with
TOTP, invites a site owner; the owner registers, logs in with a recovery code, and a used
recovery code is refused in words."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import Browsing, LiveApp
from .flows import (
    alert,
    confirm_enrolment,
    expect_account_page,
    log_in,
    log_out,
    read_qr,
    register,
)

ROOT_PASSWORD = "root's long passphrase"
OWNER_PASSWORD = "owner's own passphrase"


def test_root_and_site_owner_journey(app: LiveApp, browsing: Browsing) -> None:
    root = browsing.person()
    # The example app prints the page that registers root, beside the token.
    register_url = app.printed_register_url()
    assert register_url.startswith(f"{app.url}/register?token=")

    # Two different passwords keep the person on the first step, with the reason.
    root.goto(register_url)
    root.get_by_label("Password", exact=True).fill(ROOT_PASSWORD)
    root.get_by_label("Repeat password").fill(ROOT_PASSWORD + "!")
    root.get_by_role("button", name="Create account").click()
    assert "not the same" in alert(root)

    enrolment = register(root, register_url, ROOT_PASSWORD, expect_account="root")
    # The QR code on the screen holds the otpauth URI with the secret the page shows.
    assert enrolment.otpauth_uri.startswith("otpauth://totp/")
    assert f"secret={enrolment.totp_secret}" in enrolment.otpauth_uri
    assert read_qr(root) == [enrolment.otpauth_uri]
    assert len(enrolment.recovery_codes) == 10
    assert all(
        re.fullmatch(r"[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}", c)
        for c in enrolment.recovery_codes
    )
    # The enrolment is proven before leaving: without the box ticked, it asks for it.
    root.get_by_label("Authenticator code").fill(enrolment.code())
    root.get_by_role("button", name="Finish").click()
    assert "tick the box" in alert(root)
    confirm_enrolment(root, enrolment.code())
    expect_account_page(root, "root")
    expect(root.get_by_text("Can invite site owners")).to_be_visible()

    # Log out, and back in with the next time step's code (each code works once).
    log_out(root)
    log_in(root, app.url, "root", ROOT_PASSWORD, totp_code=enrolment.code(steps_ahead=1))
    expect_account_page(root, "root")

    # Root mints the owner's invite on the account page.
    root.get_by_label("Domain").fill("owner.example")
    root.get_by_label("Account").fill("owner")
    root.get_by_role("button", name="Create a registration link").click()
    owner_link = root.get_by_label("Registration link")
    expect(owner_link).to_have_value(re.compile(rf"^{re.escape(app.url)}/register\?token="))
    link = owner_link.input_value()

    # The owner, in another browser, registers from the link and proves the authenticator.
    owner = browsing.person()
    owner_enrolment = register(owner, link, OWNER_PASSWORD, expect_account="owner")
    expect(owner.get_by_text("As the owner of owner.example")).to_be_hidden()  # step 1 gone
    confirm_enrolment(owner, owner_enrolment.code())
    expect_account_page(owner, "owner")
    expect(owner.get_by_text("owner.example")).to_be_visible()
    log_out(owner)

    # The owner lost the phone: a recovery code (any case, any separators) lets them in.
    recovery = owner_enrolment.recovery_codes[3]
    log_in(owner, app.url, "owner", OWNER_PASSWORD, recovery_code=recovery.lower())
    expect_account_page(owner, "owner")
    log_out(owner)

    # The same recovery code again: refused, in words, and the page stays usable.
    log_in(owner, app.url, "owner", OWNER_PASSWORD, recovery_code=recovery)
    message = alert(owner)
    assert "used already" in message, message
    assert "only once" in message, message
    owner.get_by_label("Recovery code").fill(owner_enrolment.recovery_codes[4])
    owner.get_by_role("button", name="Log in", exact=True).click()
    expect_account_page(owner, "owner")
