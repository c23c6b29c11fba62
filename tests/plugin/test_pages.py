"""The browser pages in-process: mounting, security headers, what the server renders, the
shipped assets. (tests/browser drives the same pages in Chromium.)"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from quart import Quart
from quart.typing import TestClientProtocol

from quart_invite_auth import ConfigurationError, InviteAuth
from quart_invite_auth.http.pages import CONTENT_SECURITY_POLICY, STATIC_DIR

from .conftest import Clock, make_app
from .helpers import OpaqueUser, forget_cookies

PAGES_MODULE = STATIC_DIR.parent / "http" / "pages.py"
PAGE_SCRIPTS = re.compile(r"""["']([a-z-]+\.js)["']""")


class Parsed(HTMLParser):
    """What a page is made of, for the checks below."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.script_bodies: list[str] = []
        self.inline_styles: list[str] = []
        self.style_elements = 0
        self.handlers: list[str] = []
        self.inputs: list[str] = []
        self.labels: set[str] = set()
        self.meta: dict[str, str] = {}
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "script":
            self.scripts.append(a)
            self._in_script = True
        if tag == "style":
            self.style_elements += 1
        if "style" in a:
            self.inline_styles.append(tag)
        self.handlers += [name for name in a if name.startswith("on")]
        if tag == "input":
            self.inputs.append(a.get("id") or "(no id)")
        if tag == "label" and a.get("for"):
            self.labels.add(str(a["for"]))
        if tag == "meta" and a.get("name"):
            self.meta[str(a["name"])] = a.get("content") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.script_bodies.append(data)


def parse(html: str) -> Parsed:
    parsed = Parsed()
    parsed.feed(html)
    return parsed


@pytest.fixture
async def site(data_dir: Path, clock: Clock) -> AsyncIterator[tuple[Quart, InviteAuth]]:
    app, auth = make_app(data_dir, clock, cookie_secure=False)
    async with app.test_app():
        yield app, auth


@pytest.fixture
def browser(site: tuple[Quart, InviteAuth]) -> TestClientProtocol:
    return site[0].test_client()


async def setup_login(browser: TestClientProtocol, name: str = "Andrea") -> None:
    response = await browser.post("/api/setup", json={"name": name, "password": "a password!"})
    assert response.status_code == 200


async def html_of(browser: TestClientProtocol, url: str, status: int = 200) -> str:
    response = await browser.get(url)
    assert response.status_code == status, url
    assert response.mimetype == "text/html"
    return await response.get_data(as_text=True)


# -- mounting ----------------------------------------------------------------------------


async def test_pages_default_to_the_auth_prefix(browser: TestClientProtocol) -> None:
    assert (await browser.get("/auth/login")).status_code == 200
    assert (await browser.get("/login")).status_code == 404


async def test_none_leaves_the_pages_unmounted(tmp_path: Path, clock: Clock) -> None:
    app, _ = make_app(tmp_path / "lmdb", clock, pages_prefix=None)
    assert not [r for r in app.url_map.iter_rules() if r.endpoint.startswith("invite_auth_pages")]


async def test_a_page_needs_its_api(tmp_path: Path, clock: Clock) -> None:
    app, _ = make_app(tmp_path / "lmdb", clock, accounts_prefix=None, pages_prefix="")
    async with app.test_app():
        client = app.test_client()
        assert (await client.get("/login")).status_code == 404
        assert (await client.get("/register?token=x")).status_code == 404
        assert (await client.get("/login/password")).status_code == 200
        # Without the accounts API, a visitor is sent to the password login.
        account = await client.get("/account")
        assert (account.status_code, account.headers["Location"]) == (303, "/login/password")


@pytest.mark.parametrize("prefix", ["auth", "/auth/", "/"])
def test_a_malformed_prefix_is_refused(tmp_path: Path, clock: Clock, prefix: str) -> None:
    with pytest.raises(ConfigurationError, match="PAGES_PREFIX"):
        make_app(tmp_path / "lmdb", clock, pages_prefix=prefix)


async def test_the_pages_read_the_hosts_settings(tmp_path: Path, clock: Clock) -> None:
    app, _ = make_app(
        tmp_path / "lmdb",
        clock,
        client_ksf={"time_cost": 2, "memory_cost": 4096, "parallelism": 1},
        accounts_prefix="/acc",
        pages_prefix="/p",
        password_min_length=12,
    )
    async with app.test_app():
        page = parse(await html_of(app.test_client(), "/p/login"))
    assert json.loads(page.meta["invite-auth-config"]) == {
        "pages": "/p",
        "accounts": "/acc",
        "invitations": "/api",
        "ksf": {"timeCost": 2, "memoryCost": 4096, "parallelism": 1},
        "passwordMinLength": 12,
    }


# -- what every page holds ---------------------------------------------------------------


async def every_page(site: tuple[Quart, InviteAuth], browser: TestClientProtocol) -> list[str]:
    """The URL of every kind of page, in a state where each renders."""
    _, auth = site
    token = await auth.bootstrap_invite()
    await setup_login(browser)
    invitation = await browser.post("/api/invite", json={})
    invitation_id = (await invitation.get_json())["id"]
    return [
        "/auth/login",
        "/auth/login/password",
        f"/auth/register?token={token}",
        "/auth/register?token=v1.bad.token",
        f"/auth/invite/{invitation_id}",
        "/auth/invite/unknown",
        "/auth/account",
        "/auth/_invite-auth/no-such-file.js",
    ]


async def test_every_page_carries_the_security_headers(
    site: tuple[Quart, InviteAuth], browser: TestClientProtocol
) -> None:
    for url in await every_page(site, browser):
        response = await browser.get(url)
        headers = response.headers
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, url
        assert headers["Referrer-Policy"] == "no-referrer", url
        assert headers["X-Frame-Options"] == "DENY", url
        assert headers["X-Content-Type-Options"] == "nosniff", url
        assert headers["Cache-Control"] == "no-store", url
    policy = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert policy["script-src"] == "'self' 'wasm-unsafe-eval'"
    assert policy["default-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY


async def test_no_page_has_inline_script_or_style_and_every_input_has_a_label(
    site: tuple[Quart, InviteAuth], browser: TestClientProtocol
) -> None:
    for url in await every_page(site, browser):
        page = parse(await (await browser.get(url)).get_data(as_text=True))
        assert page.script_bodies == [], url
        assert all(s.get("src") and s.get("type") == "module" for s in page.scripts), url
        assert (page.inline_styles, page.style_elements, page.handlers) == ([], 0, []), url
        unlabelled = [i for i in page.inputs if i not in page.labels]
        assert unlabelled == [], (url, unlabelled)


async def test_names_are_escaped(
    site: tuple[Quart, InviteAuth], browser: TestClientProtocol
) -> None:
    await setup_login(browser, name="<script>alert(1)</script>")
    created = await (await browser.post("/api/invite", json={})).get_json()
    html = await html_of(browser, f"/auth/invite/{created['id']}")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# -- the pages' content --------------------------------------------------------------------


async def test_the_invitation_page_shows_the_issuer_until_accepted(
    browser: TestClientProtocol,
) -> None:
    await setup_login(browser)
    created = await (await browser.post("/api/invite", json={})).get_json()
    html = await html_of(browser, f"/auth/invite/{created['id']}")
    assert "<strong>Andrea</strong> invited you" in html
    assert f'data-invitation="{created["id"]}"' in html
    forget_cookies(browser)
    accepted = await browser.post(
        f"/api/invite/{created['id']}", json={"name": "Blake", "password": "blake password"}
    )
    assert accepted.status_code == 200
    gone = await html_of(browser, f"/auth/invite/{created['id']}", status=404)
    assert "This invitation cannot be used" in gone


async def test_odd_invitation_ids_get_the_404_page(browser: TestClientProtocol) -> None:
    for invitation_id in ["x" * 5000, "%00", "I%F0%9F%98%80", "%C3%28"]:
        html = await html_of(browser, f"/auth/invite/{invitation_id}", status=404)
        assert "This invitation cannot be used" in html


async def test_the_registration_page_reads_the_token(
    site: tuple[Quart, InviteAuth], browser: TestClientProtocol, clock: Clock
) -> None:
    _, auth = site
    token = await auth.issue_invite(account="owner", domain="owner.example")
    html = await html_of(browser, f"/auth/register?token={token}")
    assert 'data-account="owner"' in html
    assert "As the owner of <strong>owner.example</strong>" in html
    # Showing the page does not use the token up.
    assert (await html_of(browser, f"/auth/register?token={token}")).count("owner") > 1
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad in ["", "?token=", f"?token={tampered}", "?token=%FF%FE", "?token=" + "a." * 3000]:
        refused = await html_of(browser, f"/auth/register{bad}", status=400)
        assert "not a valid registration link" in refused
    clock.advance(8 * 24 * 3600)
    expired = await html_of(browser, f"/auth/register?token={token}", status=410)
    assert "It has expired" in expired


async def test_closed_registration_says_so(tmp_path: Path, clock: Clock) -> None:
    secret = secrets.token_hex(32)
    app, auth = make_app(tmp_path / "lmdb", clock, secret_key=secret)
    async with app.test_app():
        token = await auth.issue_invite(account="owner")
    # The same store and secret, after the host closed registration.
    app, _ = make_app(tmp_path / "lmdb", clock, secret_key=secret, registration_mode="closed")
    async with app.test_app():
        html = await html_of(app.test_client(), f"/auth/register?token={token}", status=403)
    assert "does not take new registrations" in html


async def test_the_account_page_needs_a_session(browser: TestClientProtocol) -> None:
    visitor = await browser.get("/auth/account")
    assert (visitor.status_code, visitor.headers["Location"]) == (303, "/auth/login")
    await setup_login(browser)
    page = await html_of(browser, "/auth/account")
    assert '<span id="who">Andrea</span>' in page
    assert 'id="invitation-form"' in page  # any login can invite
    assert 'id="site-invite-form"' not in page  # only privileged accounts mint site invites


def sections(page: str) -> set[str]:
    """The account lifecycle's sections a page has (web/src/pages/account.js starts each)."""
    ids = [
        "sessions-body",
        "revoke-others-form",
        "outstanding-body",
        "login-password-form",
        "recovery-form",
        "totp-form",
        "opaque-password-form",
    ]
    return {i for i in ids if f'id="{i}"' in page}


async def test_a_password_login_gets_its_sessions_invitations_and_password_change(
    browser: TestClientProtocol,
) -> None:
    await setup_login(browser)
    page = await html_of(browser, "/auth/account")
    assert sections(page) == {
        "sessions-body",
        "revoke-others-form",
        "outstanding-body",
        "login-password-form",
    }


async def test_an_opaque_account_gets_its_sessions_and_secrets(
    site: tuple[Quart, InviteAuth], browser: TestClientProtocol, clock: Clock
) -> None:
    root = OpaqueUser(browser, "root", b"root password")
    await root.register(await site[1].bootstrap_invite())
    status, _ = await root.login(totp_code=root.totp(clock.now))
    assert status == 200
    page = await html_of(browser, "/auth/account")
    assert sections(page) == {
        "sessions-body",
        "revoke-others-form",
        "outstanding-body",
        "recovery-form",
        "totp-form",
        "opaque-password-form",
    }
    # The forms that open sealed answers carry the account name (their associated data).
    assert page.count('data-account="root"') == 2
    parsed = parse(page)
    assert [i for i in parsed.inputs if i not in parsed.labels] == []


# -- assets ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "mimetype"),
    [
        ("client.js", "text/javascript"),
        ("pages/register.js", "text/javascript"),
        ("vendor/opaque.js", "text/javascript"),
        ("style.css", "text/css"),
        ("icon.svg", "image/svg+xml"),
    ],
)
async def test_assets_are_served_with_their_types(
    browser: TestClientProtocol, path: str, mimetype: str
) -> None:
    response = await browser.get(f"/auth/_invite-auth/{path}")
    assert response.status_code == 200
    assert response.mimetype == mimetype
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert await response.get_data() == (STATIC_DIR / path).read_bytes()


@pytest.mark.parametrize(
    "path", ["nothing.js", "../config.py", "..%2Fconfig.py", "%2e%2e/config.py", "README"]
)
async def test_nothing_else_is_served_as_an_asset(browser: TestClientProtocol, path: str) -> None:
    assert (await browser.get(f"/auth/_invite-auth/{path}")).status_code == 404


def test_every_module_a_page_loads_is_shipped() -> None:
    """Each page script the server names exists, and so does every relative import of every
    shipped module (the browser would fail on a missing one)."""
    named = set(PAGE_SCRIPTS.findall(PAGES_MODULE.read_text(encoding="utf-8")))
    assert len(named) >= 5
    for script in named:
        assert (STATIC_DIR / "pages" / script).is_file(), script
    imports = re.compile(r"""(?:from|import)\s*\(?\s*["'](\.{1,2}/[^"']+)["']""")
    found = 0
    for module in STATIC_DIR.rglob("*.js"):
        for target in imports.findall(module.read_text(encoding="utf-8")):
            found += 1
            assert (module.parent / target).resolve().is_file(), (module, target)
    assert found > 10
