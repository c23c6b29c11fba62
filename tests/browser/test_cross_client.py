"""The browser client and the Python SDK are interchangeable: an account registered on the
page logs in with the SDK and one registered with the SDK logs in on the page, with the
default KSF (Argon2id t=3, m=64 MiB, p=4) on both sides; the same for seed-003 logins."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from invite_auth import Client
from invite_auth.opaque import Argon2idKSF

from .conftest import AppFactory, Browsing
from .flows import (
    Enrolment,
    confirm_enrolment,
    expect_account_page,
    log_in,
    register,
)

# The page's own client module, as another host's page would import it.
WHO_AM_I = """async () => {
  const { InviteAuthClient } = await import("/_invite-auth/client.js");
  return await new InviteAuthClient().me();
}"""


def test_opaque_accounts_cross_between_the_browser_and_the_sdk(
    app_factory: AppFactory, browsing: Browsing
) -> None:
    app = app_factory(ksf=Argon2idKSF())  # the pages use the defaults, as the SDK does

    # Registered with the SDK, logs in on the page.
    with Client(app.url) as sdk_root:
        registered = sdk_root.register(app.server.root_invite(), "root", "root passphrase")
        root_totp = Enrolment(registered.totp_secret, registered.recovery_codes)
        sdk_root.login("root", "root passphrase", totp_code=root_totp.code())
        invite = sdk_root.create_site_invite("owner.example", "owner")
    root_page = browsing.person()
    log_in(root_page, app.url, "root", "root passphrase", totp_code=root_totp.code(steps_ahead=1))
    expect_account_page(root_page, "root")
    me: dict[str, Any] = root_page.evaluate(WHO_AM_I)
    assert (me["name"], me["kind"], me["privileged"]) == ("root", "opaque", True)

    # Registered on the page, logs in with the SDK.
    owner_page = browsing.person()
    enrolment = register(
        owner_page,
        f"{app.url}/register?token={invite.invite_token}",
        "owner passphrase",
        expect_account="owner",
    )
    confirm_enrolment(owner_page, enrolment.code())
    expect_account_page(owner_page, "owner")
    with Client(app.url) as sdk_owner:
        sdk_owner.login("owner", "owner passphrase", totp_code=enrolment.code(steps_ahead=1))
        assert sdk_owner.me().name == "owner"
        assert sdk_owner.me().domain == "owner.example"
    # ... and with a recovery code the page showed.
    with Client(app.url) as sdk_owner:
        sdk_owner.login("owner", "owner passphrase", recovery_code=enrolment.recovery_codes[0])
        assert sdk_owner.me().name == "owner"


def test_password_logins_cross_between_the_browser_and_the_sdk(
    app_factory: AppFactory, browsing: Browsing
) -> None:
    app = app_factory()
    with Client(app.url) as andrea:
        andrea.initial_setup("Andrea", "andrea's password")
        invitation = andrea.create_invitation()

    # Made with the SDK, logs in on the page.
    page = browsing.person()
    page.goto(f"{app.url}/login/password")
    page.get_by_label("Name").fill("Andrea")
    page.get_by_label("Password").fill("andrea's password")
    page.get_by_role("button", name="Log in").click()
    expect_account_page(page, "Andrea")

    # Made on the page, logs in with the SDK.
    blake = browsing.person()
    blake.goto(f"{app.url}/invite/{invitation.id}")
    blake.get_by_label("Name").fill("Blake")
    blake.get_by_label("Password", exact=True).fill("blake's password")
    blake.get_by_label("Repeat password").fill("blake's password")
    blake.get_by_role("button", name="Create my login").click()
    expect_account_page(blake, "Blake")
    expect(blake.get_by_text("Login with a password")).to_be_visible()
    with Client(app.url) as sdk_blake:
        sdk_blake.password_login("Blake", "blake's password")
        assert sdk_blake.create_invitation().issuer == sdk_blake.me().id
