"""Seed 003 in the browser: an invitation link opens the page and shows the issuer; a taken
name keeps the invitation; a free name creates the login and leaves the browser logged in;
that login creates an invitation of its own."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from invite_auth import Client

from .conftest import Browsing, LiveApp
from .flows import alert, expect_account_page, log_out


def accept(page: Page, name: str, password: str) -> None:
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Repeat password").fill(password)
    page.get_by_role("button", name="Create my login").click()


def test_an_invitation_link_in_the_browser(app: LiveApp, browsing: Browsing) -> None:
    with Client(app.url) as andrea:
        andrea.initial_setup("Andrea", "andrea's password")
        invitation = andrea.create_invitation()
    link = f"{app.url}/invite/{invitation.id}"

    blake = browsing.person()
    blake.goto(link)
    expect(blake.locator("#invited-by")).to_contain_text("Andrea invited you on")

    # A taken name: the message, the same page, the invitation still usable.
    accept(blake, "andrea", "blake's password")  # names compare case-insensitively
    assert "taken" in alert(blake)
    assert blake.url == link
    with Client(app.url) as anyone:
        assert anyone.show_invitation(invitation.id).issuer_name == "Andrea"

    # A free name: the login exists and this browser is logged in as it.
    accept(blake, "Blake", "blake's password")
    expect_account_page(blake, "Blake")
    expect(blake.get_by_text("Login with a password")).to_be_visible()

    # The accepted invitation is gone, with a clear page.
    gone = browsing.person()
    response = gone.goto(link)
    assert response is not None
    assert response.status == 404
    expect(gone.get_by_role("heading", level=1)).to_have_text("This invitation cannot be used")

    # Blake invites someone: the link is shown, and it opens with Blake as the issuer.
    blake.get_by_role("button", name="Create an invitation link").click()
    field = blake.get_by_label("Invitation link")
    expect(field).to_have_value(re.compile(rf"^{re.escape(app.url)}/invite/\S+$"))
    new_link = field.input_value()
    carol = browsing.person()
    carol.goto(new_link)
    expect(carol.locator("#invited-by")).to_contain_text("Blake invited you on")

    # Blake logs out and back in with name and password.
    log_out(blake)
    blake.get_by_label("Name").fill("blake")
    blake.get_by_label("Password").fill("wrong password")
    blake.get_by_role("button", name="Log in").click()
    assert "not right" in alert(blake)
    blake.get_by_label("Password").fill("blake's password")
    blake.get_by_role("button", name="Log in").click()
    expect_account_page(blake, "Blake")


def test_unknown_and_malformed_invitations_get_a_clear_page(
    app: LiveApp, browsing: Browsing
) -> None:
    page = browsing.person()
    # (A path that no longer matches /invite/<id> once decoded is the host app's 404.)
    for invitation_id in ["Inope", "x" * 2000, "%E2%80%AE%00", "I..x", "I%20%3Cb%3E"]:
        response = page.goto(f"{app.url}/invite/{invitation_id}")
        assert response is not None
        assert response.status == 404, invitation_id
        expect(page.get_by_role("heading", level=1)).to_have_text("This invitation cannot be used")
