"""Administration over HTTP, in-process: who may (privileged accounts only), and each
operation end to end: what it shows, what changes, what stops working at once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from quart.typing import TestClientProtocol

from quart_invite_auth import InviteAuth
from quart_invite_auth.services.housekeeping import purge_expired

from .conftest import Clock, make_app
from .helpers import OpaqueUser, forget_cookies

PASSWORD = "pw andrea 123"
SECRET_FIELDS = {"opaque_record", "totp_secret", "password_hash", "sealing_public_key"}
ADMIN_FIELDS = {
    "id",
    "name",
    "kind",
    "domain",
    "privileged",
    "disabled",
    "created_at",
    "invited_by",
    "recovery_codes_remaining",
    "sessions",
}


@dataclass
class World:
    client: TestClientProtocol
    auth: InviteAuth
    clock: Clock
    root: OpaqueUser
    owner: OpaqueUser
    andrea_token: str

    def root_auth(self) -> dict[str, str]:
        return self.root.auth()

    def andrea(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.andrea_token}"}

    async def login(self, user: OpaqueUser) -> tuple[int, dict[str, Any]]:
        self.clock.advance(30)  # a fresh TOTP step: each code is accepted once
        return await user.login(totp_code=user.totp(self.clock.now))

    async def invite(self, account: str, domain: str) -> str:
        response = await self.client.get(
            "/accounts/invite",
            query_string={"domain": domain, "account": account},
            headers=self.root_auth(),
        )
        assert response.status_code == 200, await response.get_json()
        token: str = (await response.get_json())["invite_token"]
        return token

    async def password_login(self, name: str = "Andrea") -> tuple[int, dict[str, Any]]:
        response = await self.client.post(
            "/api/auth/login", json={"name": name, "password": PASSWORD}
        )
        return response.status_code, await response.get_json()

    async def call(
        self, method: str, path: str, headers: dict[str, str] | None = None, **options: Any
    ) -> tuple[int, Any]:
        response = await getattr(self.client, method.lower())(
            path, headers=self.root_auth() if headers is None else headers, **options
        )
        return response.status_code, await response.get_json(silent=True)


async def make_world(client: TestClientProtocol, auth: InviteAuth, clock: Clock) -> World:
    root = OpaqueUser(client, "root", b"root password")
    await root.register(await auth.bootstrap_invite())
    world = World(client, auth, clock, root, OpaqueUser(client, "owner", b"owner pw"), "")
    assert (await world.login(root))[0] == 200
    await world.owner.register(await world.invite("owner", "example.com"))
    assert (await world.login(world.owner))[0] == 200
    invited = await client.post("/api/invite", json={}, headers=world.root_auth())
    invitation = (await invited.get_json())["id"]
    accepted = await client.post(
        f"/api/invite/{invitation}", json={"name": "Andrea", "password": PASSWORD}
    )
    assert accepted.status_code == 200
    cookie = accepted.headers["Set-Cookie"].split(";", 1)[0].split("=", 1)[1]
    world.andrea_token = cookie
    return world


@pytest.fixture
async def world(data_dir: Path, clock: Clock) -> AsyncIterator[World]:
    app, auth = make_app(data_dir, clock, audit_retention_days=30)
    async with app.test_app():
        client = app.test_client()
        yield await make_world(client, auth, clock)


OPERATIONS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/accounts/admin/accounts", None),
    ("GET", "/accounts/admin/accounts/owner", None),
    ("POST", "/accounts/admin/accounts/owner/disable", {}),
    ("POST", "/accounts/admin/accounts/owner/enable", {}),
    ("DELETE", "/accounts/admin/accounts/owner", None),
    ("POST", "/accounts/admin/accounts/owner/reset-mfa", {}),
    ("GET", "/accounts/admin/invites", None),
    ("DELETE", "/accounts/admin/invites/some-id", None),
    ("GET", "/accounts/admin/audit", None),
]


async def test_only_privileged_accounts_administer(world: World) -> None:
    forget_cookies(world.client)  # no identity cookie: only what each request sends
    for method, path, body in OPERATIONS:
        options = {} if body is None else {"json": body}
        status, problem = await world.call(method, path, headers=world.andrea(), **options)
        assert (status, problem["code"]) == (403, "not_privileged"), (method, path)
        status, problem = await world.call(method, path, headers={}, **options)
        assert (status, problem["code"]) == (401, "unauthenticated"), (method, path)
        # the owner (an OPAQUE account, not privileged) neither
        status, problem = await world.call(method, path, headers=world.owner.auth(), **options)
        assert (status, problem["code"]) == (403, "not_privileged"), (method, path)
    # nothing changed: the owner is still there and enabled
    status, shown = await world.call("GET", "/accounts/admin/accounts/owner")
    assert status == 200
    assert not shown["disabled"]


async def test_accounts_listed_filtered_paged_and_shown_without_secrets(world: World) -> None:
    status, page = await world.call("GET", "/accounts/admin/accounts")
    assert status == 200
    assert [a["name"] for a in page["accounts"]] == ["root", "owner", "Andrea"]
    assert page["next_cursor"] is None
    for account in page["accounts"]:
        assert set(account) == ADMIN_FIELDS
    root, owner, andrea = page["accounts"]
    assert (root["privileged"], root["kind"], root["recovery_codes_remaining"]) == (
        True,
        "opaque",
        10,
    )
    assert (owner["domain"], owner["invited_by"], owner["sessions"]) == ("example.com", "root", 1)
    assert (andrea["kind"], andrea["recovery_codes_remaining"], andrea["invited_by"]) == (
        "password",
        None,
        "root",
    )
    # filters
    for query, names in [
        ({"kind": "password"}, ["Andrea"]),
        ({"kind": "opaque"}, ["root", "owner"]),
        ({"domain": "EXAMPLE.com."}, ["owner"]),
        ({"disabled": "true"}, []),
        ({"disabled": "false", "kind": "opaque"}, ["root", "owner"]),
    ]:
        status, page = await world.call("GET", "/accounts/admin/accounts", query_string=query)
        assert status == 200
        assert [a["name"] for a in page["accounts"]] == names, query
    # pages of one: the same accounts in the same order
    names, cursor = [], None
    while True:
        query = {"limit": "1"} if cursor is None else {"limit": "1", "cursor": cursor}
        status, page = await world.call("GET", "/accounts/admin/accounts", query_string=query)
        assert status == 200
        names += [a["name"] for a in page["accounts"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert names == ["root", "owner", "Andrea"]
    # one account, by any spelling of its name
    status, shown = await world.call("GET", "/accounts/admin/accounts/ANDREA")
    assert status == 200
    assert shown == andrea
    raw = await world.client.get("/accounts/admin/accounts/owner", headers=world.root_auth())
    assert not SECRET_FIELDS & set(await raw.get_json())
    assert raw.headers["Cache-Control"] == "no-store"
    status, problem = await world.call("GET", "/accounts/admin/accounts/nobody")
    assert (status, problem["code"]) == (404, "account_not_found")


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("accounts", {"kind": "robot"}),
        ("accounts", {"disabled": "yes"}),
        ("accounts", {"limit": "0"}),
        ("accounts", {"limit": "201"}),
        ("accounts", {"limit": "ten"}),
        ("accounts", {"limit": "٣"}),  # a digit, but not an ASCII one
        ("accounts", {"cursor": "!!!"}),
        ("accounts", {"cursor": "bm90IGpzb24"}),  # base64url, not a cursor
        ("accounts", {"cursor": ""}),
        ("accounts", {"domain": "x" * 300}),
        ("audit", {"limit": "501"}),
        ("audit", {"since": "yesterday"}),
        ("audit", {"since": "nan"}),
        ("audit", {"until": "-1"}),
        ("audit", {"until": "1e300"}),
        ("audit", {"cursor": "AAAA"}),
        ("audit", {"event": "e" * 65}),
    ],
)
async def test_bad_query_values_are_malformed(
    world: World, path: str, query: dict[str, str]
) -> None:
    status, problem = await world.call("GET", f"/accounts/admin/{path}", query_string=query)
    assert (status, problem["code"]) == (400, "malformed_request"), problem


async def test_disabled_account_cannot_log_in_anywhere_until_enabled(world: World) -> None:
    status, shown = await world.call("POST", "/accounts/admin/accounts/owner/disable", json={})
    assert status == 200
    assert (shown["disabled"], shown["sessions"]) == (True, 0)
    # its session ended at once, and it cannot log in (the password is right)
    assert (await world.client.get("/accounts/me", headers=world.owner.auth())).status_code == 401
    status, problem = await world.login(world.owner)
    assert (status, problem["code"]) == (403, "account_disabled")
    # the same for a password login
    status, _ = await world.call("POST", "/accounts/admin/accounts/andrea/disable", json={})
    assert status == 200
    andrea_me = await world.client.get("/accounts/me", headers=world.andrea())
    assert andrea_me.status_code == 401
    status, problem = await world.password_login()
    assert (status, problem["code"]) == (403, "account_disabled")
    # disabling again changes nothing; the list shows both disabled
    status, again = await world.call("POST", "/accounts/admin/accounts/owner/disable", json={})
    assert (status, again["disabled"]) == (200, True)
    status, page = await world.call(
        "GET", "/accounts/admin/accounts", query_string={"disabled": "true"}
    )
    assert [a["name"] for a in page["accounts"]] == ["owner", "Andrea"]
    # enabled again: both log in
    for name in ("owner", "Andrea"):
        status, shown = await world.call("POST", f"/accounts/admin/accounts/{name}/enable", json={})
        assert (status, shown["disabled"]) == (200, False)
    assert (await world.login(world.owner))[0] == 200
    assert (await world.password_login())[0] == 200
    status, page = await world.call(
        "GET", "/accounts/admin/audit", query_string={"event": "account_disabled"}
    )
    assert [e["name"] for e in page["events"]] == ["Andrea", "owner"]  # newest first
    assert page["events"][0]["detail"]["by_name"] == "root"


async def test_no_one_disables_or_deletes_their_own_account(world: World) -> None:
    attempts: list[tuple[str, str, dict[str, Any] | None]] = [
        ("POST", "/accounts/admin/accounts/root/disable", {}),
        ("DELETE", "/accounts/admin/accounts/ROOT", None),
    ]
    for method, path, body in attempts:
        options = {} if body is None else {"json": body}
        status, problem = await world.call(method, path, **options)
        assert (status, problem["code"]) == (409, "cannot_administer_self")
    assert (await world.client.get("/accounts/me", headers=world.root_auth())).status_code == 200


async def test_body_and_name_errors(world: World) -> None:
    status, problem = await world.call(
        "POST", "/accounts/admin/accounts/owner/disable", json={"why": "x"}
    )
    assert (status, problem["code"]) == (400, "malformed_request")
    status, problem = await world.call("POST", "/accounts/admin/accounts/nobody/disable", json={})
    assert (status, problem["code"]) == (404, "account_not_found")
    for path in ("/accounts/admin/accounts/nobody", "/accounts/admin/accounts/" + "x" * 300):
        status, problem = await world.call("DELETE", path)
        assert (status, problem["code"]) == (404, "account_not_found")
    # a browser sending the cookie for another site changes nothing
    response = await world.client.post(
        "/accounts/admin/accounts/owner/disable",
        json={},
        headers={"Origin": "https://evil.example", "Cookie": f"identity={world.root.token}"},
    )
    assert response.status_code == 403
    assert (await response.get_json())["code"] == "cross_site_request"


async def test_deleted_account_is_gone_at_once_and_its_name_is_free(world: World) -> None:
    owner_id = (await world.call("GET", "/accounts/admin/accounts/owner"))[1]["id"]
    status, _ = await world.call("DELETE", "/accounts/admin/accounts/owner")
    assert status == 204
    assert (await world.client.get("/accounts/me", headers=world.owner.auth())).status_code == 401
    status, problem = await world.login(world.owner)
    assert (status, problem["code"]) == (401, "login_failed")
    status, problem = await world.call("GET", "/accounts/admin/accounts/owner")
    assert (status, problem["code"]) == (404, "account_not_found")
    status, problem = await world.call("DELETE", "/accounts/admin/accounts/owner")
    assert (status, problem["code"]) == (404, "account_not_found")
    # the password login too, and with it the invitation it had issued
    made = await world.client.post("/api/invite", json={}, headers=world.andrea())
    invitation = (await made.get_json())["id"]
    status, _ = await world.call("DELETE", "/accounts/admin/accounts/andrea")
    assert status == 204
    assert (await world.password_login())[0] == 401
    accept = await world.client.post(
        f"/api/invite/{invitation}", json={"name": "Guest", "password": PASSWORD}
    )
    assert accept.status_code == 404
    # nothing of them remains: root's account, name, role, recovery codes, session
    counts = await world.auth.context.store.entry_counts()
    assert (counts["account_db"], counts["name_db"], counts["domain_db"]) == (1, 1, 0)
    assert (counts["recovery_db"], counts["role_db"], counts["session_db"]) == (1, 1, 1)
    # the name and the domain are free again: a new invite, a new account
    again = OpaqueUser(world.client, "owner", b"another pw")
    await again.register(await world.invite("owner", "example.com"))
    status, shown = await world.call("GET", "/accounts/admin/accounts/owner")
    assert status == 200
    assert shown["id"] != owner_id
    status, page = await world.call(
        "GET", "/accounts/admin/audit", query_string={"event": "account_deleted"}
    )
    deleted = {(e["principal_id"], e["name"]) for e in page["events"]}
    assert (owner_id, "owner") in deleted
    # the deleted account's history is still found by its name
    status, page = await world.call(
        "GET", "/accounts/admin/audit", query_string={"account": "owner", "event": "registered"}
    )
    assert {e["principal_id"] for e in page["events"]} == {owner_id, shown["id"]}


async def test_reset_mfa_issues_a_recovery_invite(world: World) -> None:
    status, issued = await world.call("POST", "/accounts/admin/accounts/owner/reset-mfa", json={})
    assert status == 200
    assert issued["account"] == "owner"
    store = world.auth.context.store
    recovery = await store.get_recovery_invite(issued["recovery_invite"], world.clock.now)
    owner = await store.principal_by_name("owner")
    assert recovery is not None
    assert owner is not None
    assert recovery.principal_id == owner.id
    root = await store.principal_by_name("root")
    assert root is not None
    assert recovery.issued_by == root.id
    assert recovery.expires_at == pytest.approx(world.clock.now + 24 * 3600)
    # the current second factor keeps working until the owner enrols a new one
    assert (await world.login(world.owner))[0] == 200
    status, problem = await world.call("POST", "/accounts/admin/accounts/andrea/reset-mfa", json={})
    assert (status, problem["code"]) == (409, "not_opaque_account")
    status, problem = await world.call("POST", "/accounts/admin/accounts/nobody/reset-mfa", json={})
    assert (status, problem["code"]) == (404, "account_not_found")
    status, page = await world.call(
        "GET", "/accounts/admin/audit", query_string={"event": "mfa_reset"}
    )
    assert [e["name"] for e in page["events"]] == ["owner"]


async def test_invite_tokens_listed_and_revoked(world: World) -> None:
    first = await world.invite("alpha", "alpha.example")
    world.clock.advance(1)  # listed oldest first
    await world.invite("beta", "beta.example")
    status, listed = await world.call("GET", "/accounts/admin/invites")
    assert status == 200
    invites = listed["invites"]
    assert [(i["account"], i["domain"], i["privileged"], i["issued_by"]) for i in invites] == [
        ("alpha", "alpha.example", False, "root"),
        ("beta", "beta.example", False, "root"),
    ]
    assert all(first not in str(i) for i in invites)  # never the token
    status, _ = await world.call("DELETE", f"/accounts/admin/invites/{invites[0]['id']}")
    assert status == 204
    status, listed = await world.call("GET", "/accounts/admin/invites")
    assert [i["account"] for i in listed["invites"]] == ["beta"]
    for invite_id in (invites[0]["id"], "unknown", "x" * 500):
        status, problem = await world.call("DELETE", f"/accounts/admin/invites/{invite_id}")
        assert (status, problem["code"]) == (404, "invite_not_found")
    # registration with the revoked token: its own answer
    alpha = OpaqueUser(world.client, "alpha", b"alpha pw")
    with pytest.raises(AssertionError) as refused:
        await alpha.register(first)
    assert "invite_revoked" in str(refused.value)
    status, page = await world.call(
        "GET", "/accounts/admin/audit", query_string={"event": "invite_revoked"}
    )
    assert [e["detail"]["jti"] for e in page["events"]] == [invites[0]["id"]]


async def test_audit_log_filters_pages_and_retention(world: World) -> None:
    status, page = await world.call("GET", "/accounts/admin/audit")
    assert status == 200
    events = page["events"]
    times = [e["at"] for e in events]
    assert times == sorted(times, reverse=True)  # newest first
    assert set(events[0]) == {"at", "event", "principal_id", "name", "client", "detail"}
    # pages of two: the same events in the same order
    paged: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {"limit": "2"} if cursor is None else {"limit": "2", "cursor": cursor}
        status, page = await world.call("GET", "/accounts/admin/audit", query_string=query)
        assert status == 200
        assert len(page["events"]) <= 2
        paged += page["events"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert paged == events
    # by account and by time
    status, page = await world.call(
        "GET", "/accounts/admin/audit", query_string={"account": "Andrea"}
    )
    assert {e["event"] for e in page["events"]} == {"invitation_accepted"}
    now = world.clock.now
    world.clock.advance(3600)
    await world.password_login()
    status, page = await world.call(
        "GET", "/accounts/admin/audit", query_string={"since": str(now + 1)}
    )
    assert [e["event"] for e in page["events"]] == ["login"]
    status, page = await world.call(
        "GET", "/accounts/admin/audit", query_string={"until": str(now + 1)}
    )
    assert len(page["events"]) == len(events)
    status, page = await world.call(
        "GET", "/accounts/admin/audit", query_string={"account": "no such one"}
    )
    assert (status, page["events"]) == (200, [])
    # retention (30 days here): the sweep prunes older events, the read shows it
    world.clock.advance(31 * 24 * 3600)
    assert (await world.login(world.root))[0] == 200
    await purge_expired(world.auth.context)
    status, page = await world.call("GET", "/accounts/admin/audit")
    assert status == 200
    assert {e["event"] for e in page["events"]} <= {"login", "purge"}
    assert all(e["at"] > events[0]["at"] for e in page["events"])
