"""The administration steps of `core.Store`, on LMDB and on PostgreSQL: listing and
showing accounts, disabling, enabling and deleting them (also racing logins), invite
tokens listed and revoked, and the audit log read back by time, type and account."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Awaitable

from quart_invite_auth.errors import ErrorCode, ProblemError
from quart_invite_auth.store.core import Store
from quart_invite_auth.store.records import AuditEvent, InviteToken, Principal

from .helpers import (
    HOUR,
    NOW,
    attempt,
    event,
    invitation,
    invite,
    new_session,
    pending_login,
    pending_registration,
    principal,
    success,
)
from .test_steps import registered, unchanged

IDLE = HOUR


async def accounts(store: Store, n: int) -> list[Principal]:
    made = []
    for i in range(n):
        who = principal(f"user{i:02d}", kind="opaque" if i % 2 else "password")
        # two share a creation time: the id orders them
        who.created_at = NOW + (i // 2 if i < 4 else i)
        await store.add_principal(who)
        made.append(who)
    return sorted(made, key=lambda p: (p.created_at, p.id))


async def test_accounts_are_paged_stably_in_creation_order(store: Store) -> None:
    made = await accounts(store, 9)
    seen: list[str] = []
    after = None
    pages = 0
    while True:
        page, after = await store.list_accounts(now=NOW, idle_ttl=IDLE, limit=2, after=after)
        seen += [f.principal.id for f in page]
        pages += 1
        if after is None:
            break
        if pages == 2:
            # created meanwhile: comes at the end, nothing repeats or is skipped
            late = principal("late")
            late.created_at = NOW + 100
            await store.add_principal(late)
            made.append(late)
    assert seen == [p.id for p in made]
    assert pages == 5


async def test_accounts_filters(store: Store) -> None:
    made = await accounts(store, 6)
    owner = principal("owner", domain="example.com")
    await store.add_principal(owner)
    both = await store.list_accounts(now=NOW, idle_ttl=IDLE, limit=50, kind="password")
    assert [f.principal.id for f in both[0]] == [p.id for p in made if p.kind == "password"]
    assert both[1] is None
    by_domain, _ = await store.list_accounts(now=NOW, idle_ttl=IDLE, limit=50, domain="example.com")
    assert [f.principal.id for f in by_domain] == [owner.id]
    await store.set_disabled(made[0].id, True, actor_id=owner.id, now=NOW, idle_ttl=IDLE)
    off, _ = await store.list_accounts(now=NOW, idle_ttl=IDLE, limit=50, disabled=True)
    assert [f.principal.id for f in off] == [made[0].id]
    on, _ = await store.list_accounts(now=NOW, idle_ttl=IDLE, limit=50, disabled=False)
    assert len(on) == 6


async def test_account_facts(store: Store) -> None:
    inviter = principal("inviter", kind="password")
    await store.add_principal(inviter)
    who = await registered(store, "owner", domain="example.com")
    stored = await store.get_principal(who.id)
    assert stored is not None
    # sessions: two live, one idle too long, one past its absolute expiry
    await store.put_session(new_session(who.id, NOW))
    await store.put_session(new_session(who.id, NOW))
    await store.put_session(new_session(who.id, NOW - 2 * IDLE, ttl=10 * HOUR))
    await store.put_session(new_session(who.id, NOW - 10, ttl=5))
    facts = await store.account_facts("OWNER", NOW, IDLE)
    assert facts is not None
    assert facts.principal.id == who.id
    assert facts.recovery_codes_remaining == 10
    assert facts.live_sessions == 2
    assert facts.invited_by_name is None
    assert await store.account_facts("nobody", NOW, IDLE) is None
    invited = principal("invited", kind="password")
    invited.invited_by = inviter.id
    await store.add_principal(invited)
    shown = await store.account_facts("invited", NOW, IDLE)
    assert shown is not None
    assert shown.recovery_codes_remaining is None  # a password login has none
    assert shown.invited_by_name == "inviter"
    listed, _ = await store.list_accounts(now=NOW, idle_ttl=IDLE, limit=50, kind="password")
    assert {f.principal.name: f.invited_by_name for f in listed} == {
        "inviter": None,
        "invited": "inviter",
    }


async def test_disable_ends_sessions_and_enable_restores(store: Store) -> None:
    admin, who = principal("admin", privileged=True), principal("owner")
    await store.add_principal(admin)
    await store.add_principal(who)
    sessions = [new_session(who.id) for _ in range(3)]
    for s in sessions:
        await store.put_session(s)
    kept = new_session(admin.id)
    await store.put_session(kept)
    facts = await store.set_disabled(
        who.id, True, actor_id=admin.id, now=NOW, idle_ttl=IDLE, events=[event("account_disabled")]
    )
    assert facts.principal.disabled
    assert facts.live_sessions == 0
    assert all([await store.get_session(s.token_hash) is None for s in sessions])
    assert await store.get_session(kept.token_hash) is not None
    assert await store.sessions_of(who.id) == []
    await unchanged(
        store, lambda: store.put_session(new_session(who.id)), ErrorCode.ACCOUNT_DISABLED
    )
    # idempotent: a second disable writes no event
    await store.set_disabled(
        who.id, True, actor_id=admin.id, now=NOW, idle_ttl=IDLE, events=[event("account_disabled")]
    )
    assert [e.event for e in await store.audit_events()] == ["account_disabled"]
    enabled = await store.set_disabled(
        who.id, False, actor_id=admin.id, now=NOW, idle_ttl=IDLE, events=[event("account_enabled")]
    )
    assert not enabled.principal.disabled
    await store.put_session(new_session(who.id))
    assert len(await store.sessions_of(who.id)) == 1


async def test_disable_and_delete_refused(store: Store) -> None:
    admin = principal("admin", privileged=True)
    await store.add_principal(admin)
    for action in (
        lambda: store.set_disabled(admin.id, True, actor_id=admin.id, now=NOW, idle_ttl=IDLE),
        lambda: store.delete_account(admin.id, actor_id=admin.id, events=[event("x")]),
    ):
        await unchanged(store, action, ErrorCode.CANNOT_ADMINISTER_SELF)
    for action in (
        lambda: store.set_disabled("nobody", True, actor_id=admin.id, now=NOW, idle_ttl=IDLE),
        lambda: store.delete_account("nobody", actor_id=admin.id, events=[event("x")]),
    ):
        await unchanged(store, action, ErrorCode.ACCOUNT_NOT_FOUND)


async def test_disable_racing_logins_leaves_no_live_session(store: Store) -> None:
    admin = principal("admin", privileged=True)
    await store.add_principal(admin)
    who = await registered(store, "owner")
    logins = [pending_login(who, "owner") for _ in range(12)]
    for login in logins:
        assert (await store.begin_login(login, attempt([("acct:owner", 50)]))).admitted

    async def put() -> str:
        try:
            await store.put_session(new_session(who.id))
        except ProblemError as refused:
            return refused.code.code
        return "ok"

    async def finish(i: int) -> str:
        login = logins[i]
        try:
            return await store.complete_login(
                login.id, NOW, success(who, login, recovery_index=i % 10), []
            )
        except ProblemError as refused:
            return refused.code.code

    disable = store.set_disabled(who.id, True, actor_id=admin.id, now=NOW, idle_ttl=IDLE)
    outcomes = await asyncio.gather(
        *(put() for _ in range(12)),
        *(finish(i) for i in range(12)),
        disable,
    )
    results = [o for o in outcomes if isinstance(o, str)]
    assert set(results) <= {"ok", "used", "account_disabled"}
    assert await store.sessions_of(who.id) == []
    facts = await store.account_facts("owner", NOW, IDLE)
    assert facts is not None
    assert facts.principal.disabled
    assert facts.live_sessions == 0


async def test_delete_takes_everything_and_frees_the_name(store: Store) -> None:
    admin = principal("admin", privileged=True)
    await store.add_principal(admin)
    empty = await store.entry_counts()
    who = await registered(store, "owner", domain="example.com")
    privileged = dataclasses.replace(principal("boss", privileged=True))
    await store.add_principal(privileged)
    sessions = [new_session(who.id), new_session(privileged.id)]
    for s in sessions:
        await store.put_session(s)
    for target in (who, privileged):
        deleted = await store.delete_account(
            target.id, actor_id=admin.id, events=[event("account_deleted")]
        )
        assert deleted.id == target.id
    assert all([await store.get_session(s.token_hash) is None for s in sessions])
    after = await store.entry_counts()
    for table in after:
        if table != "audit_db":
            assert after[table] == empty[table], table
    assert after["audit_db"] == 2
    assert await store.principal_by_name("owner") is None
    assert await store.domain_owner("example.com") is None
    # the name and the domain can be taken again
    again = await registered(store, "owner", domain="example.com")
    assert await store.name_owner("owner") == again.id


async def test_delete_is_atomic_under_concurrent_logins(store: Store) -> None:
    admin = principal("admin", privileged=True)
    await store.add_principal(admin)
    who = await registered(store, "owner")

    async def put() -> str:
        try:
            await store.put_session(new_session(who.id))
        except ProblemError as refused:
            return refused.code.code
        return "ok"

    deletes = [store.delete_account(who.id, actor_id=admin.id) for _ in range(3)]
    outcomes = await asyncio.gather(*(put() for _ in range(10)), *deletes, return_exceptions=True)
    refusals = [o for o in outcomes[10:] if isinstance(o, ProblemError)]
    assert [r.code for r in refusals] == [ErrorCode.ACCOUNT_NOT_FOUND] * 2  # deleted once
    assert set(outcomes[:10]) <= {"ok", "account_disabled"}
    assert await store.sessions_of(who.id) == []
    counts = await store.entry_counts()
    assert counts["session_db"] == counts["index_db"] == 0
    assert counts["account_db"] == 1  # the admin


async def test_invites_listed_and_revoked(store: Store) -> None:
    first = dataclasses.replace(invite(), domain="a.example", account="alpha", privileged=False)
    second = dataclasses.replace(invite(now=NOW + 1), issued_by="root-id")
    expired = invite(now=NOW - 2 * HOUR, ttl=HOUR)
    for token in (second, first, expired):
        await store.put_invite(token)
    assert await store.list_invites(NOW) == [first, second]
    revoked = await store.revoke_invite(first.jti, NOW + 5, [event("invite_revoked")])
    assert revoked.revoked_at == NOW + 5
    assert await store.list_invites(NOW + 5) == [second]
    for jti in (first.jti, expired.jti, "unknown"):

        def revoke(jti: str = jti) -> Awaitable[InviteToken]:
            return store.revoke_invite(jti, NOW + 5)

        await unchanged(store, revoke, ErrorCode.INVITE_NOT_FOUND)
    # a revoked token starts no registration, with its own answer; nothing is written
    pending = pending_registration(first, "alpha")
    await unchanged(
        store, lambda: store.begin_registration(pending, NOW + 6), ErrorCode.INVITE_REVOKED
    )
    # a used one is no longer listed, nor revocable
    await store.begin_registration(pending_registration(second, "beta"), NOW + 6)
    assert await store.list_invites(NOW + 6) == []
    await unchanged(
        store, lambda: store.revoke_invite(second.jti, NOW + 7), ErrorCode.INVITE_NOT_FOUND
    )
    # the revoked record goes with the sweep once it expires
    await store.purge_expired(NOW + 7, invitation_lifetime=HOUR, failure_window=HOUR)
    assert (await store.entry_counts())["invite_db"] == 1  # the revoked one (expired went)
    await store.purge_expired(first.expires_at, invitation_lifetime=HOUR, failure_window=HOUR)
    assert (await store.entry_counts())["invite_db"] == 0


async def test_old_invite_records_list_with_unknown_fields(store: Store) -> None:
    token = invite()
    await store.put_invite(token)
    [listed] = await store.list_invites(NOW)
    assert (listed.domain, listed.account, listed.privileged) == (None, None, None)


def logged(at: float, kind: str, who: str | None = None, name: str | None = None) -> AuditEvent:
    return AuditEvent(at=at, event=kind, principal_id=who, name=name)


async def test_audit_read_by_time_type_and_account(store: Store) -> None:
    events = [
        logged(NOW + i, kind, who, name)
        for i, (kind, who, name) in enumerate(
            [
                ("login", "id-a", "Alice"),
                ("login", "id-b", "bob"),
                ("logout", "id-a", "Alice"),
                ("invite_issued", "id-b", "alice"),  # about alice by name
                ("login", "id-a", "Alice"),
                ("account_deleted", "id-a", "Alice"),
            ]
        )
    ]
    for e in events:
        await store.audit(e)
    everything, cursor = await store.read_audit(limit=100)
    assert everything == list(reversed(events))  # newest first
    assert cursor is None
    logins, _ = await store.read_audit(limit=100, event="login")
    assert [e.at for e in logins] == [NOW + 4, NOW + 1, NOW]
    window, _ = await store.read_audit(limit=100, since=NOW + 1, until=NOW + 4)
    assert [e.at for e in window] == [NOW + 3, NOW + 2, NOW + 1]
    name_key = b"alice"
    about, _ = await store.read_audit(limit=100, principal_id="id-a", name_key=name_key)
    assert [e.at for e in about] == [NOW + 5, NOW + 4, NOW + 3, NOW + 2, NOW]
    by_name_only, _ = await store.read_audit(limit=100, name_key=name_key)
    assert len(by_name_only) == 5
    # pages of two, with the filter, are the same events in the same order
    pages: list[AuditEvent] = []
    before = None
    while True:
        page, before = await store.read_audit(limit=2, before=before, principal_id="id-a")
        pages += page
        if before is None:
            break
    assert pages == [e for e in reversed(events) if e.principal_id == "id-a"]


async def test_audit_read_scans_a_bounded_number(store: Store) -> None:
    for i in range(30):
        await store.audit(logged(NOW + i, "noise"))
    await store.audit(logged(NOW - 1, "rare"))
    page, cursor = await store.read_audit(limit=5, event="rare", scan_limit=10)
    assert page == []
    assert cursor is not None
    found: list[AuditEvent] = []
    while cursor is not None:
        page, cursor = await store.read_audit(limit=5, event="rare", before=cursor, scan_limit=10)
        found += page
    assert [e.event for e in found] == ["rare"]


async def test_audit_retention_sweep_and_read(store: Store) -> None:
    for i in range(5):
        await store.audit(logged(NOW - 10 * 24 * HOUR + i, "old"))
    await store.audit(logged(NOW, "new"))
    assert await store.purge_audit(NOW - 24 * HOUR) == 5
    page, cursor = await store.read_audit(limit=10)
    assert [e.event for e in page] == ["new"]
    assert cursor is None


async def test_a_deleted_issuers_invitations_cannot_be_accepted(store: Store) -> None:
    admin, issuer = principal("admin", privileged=True), principal("issuer", kind="password")
    await store.add_principal(admin)
    await store.add_principal(issuer)
    made = invitation(issuer.id)
    await store.put_invitation(made)
    await store.delete_account(issuer.id, actor_id=admin.id)
    guest = principal("guest", kind="password")
    await unchanged(
        store,
        lambda: store.accept_invitation(made.id, guest, NOW, 24 * HOUR, new_session(guest.id)),
        ErrorCode.INVITATION_NOT_FOUND,
    )
