"""Every public step of `core.Store`, on LMDB and on PostgreSQL: its effect, that a step
that fails leaves nothing written, expiry, and what concurrent steps may and may not do."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from quart_invite_auth.errors import ErrorCode, ProblemError
from quart_invite_auth.store.core import Store
from quart_invite_auth.store.records import Principal, RecoveryInvite

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
    recent_failures,
    recovery,
    success,
)


async def unchanged(store: Store, action: Callable[[], Awaitable[Any]], code: ErrorCode) -> None:
    """`action` is refused with `code`, and no table changes (the audit log included)."""
    before = await store.entry_counts()
    with pytest.raises(ProblemError) as refused:
        await action()
    assert refused.value.code is code
    assert await store.entry_counts() == before


async def registered(store: Store, name: str, domain: str | None = None) -> Principal:
    token = invite()
    await store.put_invite(token)
    pending = pending_registration(token, name, domain=domain)
    await store.begin_registration(pending, NOW)
    who = principal(name, domain=domain, principal_id=pending.principal_id)
    await store.complete_registration(pending.id, who, recovery(), NOW)
    return who


def codes(outcomes: list[Any]) -> list[str]:
    return sorted(o.code.code if isinstance(o, ProblemError) else "ok" for o in outcomes)


# -- server setup -------------------------------------------------------------------------


async def test_server_setup_is_made_once(store: Store) -> None:
    made: list[bytes] = []

    def generate() -> bytes:
        made.append(uuid.uuid4().bytes * 4)
        return made[-1]

    results = await asyncio.gather(*(store.server_setup(generate) for _ in range(10)))
    assert len(set(results)) == 1
    assert results[0] in made
    assert await store.server_setup(generate) == results[0]


# -- principals ---------------------------------------------------------------------------


async def test_first_principal_once(store: Store) -> None:
    assert await store.count_principals() == 0
    assert not await store.has_privileged()
    first = principal("Andrea", kind="password")
    session = new_session(first.id)
    await store.create_first_principal(first, session, [event("setup")])
    assert await store.count_principals() == 1
    assert await store.get_principal(first.id) == first
    assert await store.principal_by_name("ANDREA") == first  # names compare case-folded
    assert await store.name_owner("andrea") == first.id
    assert await store.get_session(session.token_hash) == session.session
    assert [e.event for e in await store.audit_events()] == ["setup"]
    second = principal("Bo", kind="password")
    await unchanged(
        store,
        lambda: store.create_first_principal(second, new_session(second.id), [event("x")]),
        ErrorCode.SETUP_DONE,
    )


async def test_first_principal_concurrently_made_once(store: Store) -> None:
    candidates = [principal(f"first{i}", kind="password") for i in range(10)]
    outcomes = await asyncio.gather(
        *(store.create_first_principal(p, new_session(p.id)) for p in candidates),
        return_exceptions=True,
    )
    assert codes(outcomes) == ["ok"] + ["setup_done"] * 9
    assert await store.count_principals() == 1
    assert (await store.entry_counts())["session_db"] == 1


async def test_principals_listing_and_lookups(store: Store) -> None:
    made = [await registered(store, f"acct{i}", f"acct{i}.example") for i in range(3)]
    assert sorted(p.id for p in await store.principals()) == sorted(p.id for p in made)
    assert await store.domain_owner("acct1.example") == made[1].id
    assert await store.domain_owner("nobody.example") is None
    assert await store.name_owner("nobody") is None
    assert await store.name_owner("x" * 1000) is None  # longer than any stored name
    assert await store.principal_by_name("x" * 1000) is None
    assert await store.get_principal(str(uuid.uuid4())) is None
    assert not await store.has_privileged()


# -- seed 000: invites and registration ----------------------------------------------------


async def test_registration_start_and_finish(store: Store) -> None:
    token = invite()
    await store.put_invite(token, [event("invite_issued")])
    pending = pending_registration(token, "owner", domain="owner.example")
    await store.begin_registration(pending, NOW, [event("registration_started")])
    counts = await store.entry_counts()
    assert counts["invite_db"] == 0  # the token id left invite_db: no replay
    assert counts["state_db"] == 2  # the registration and the token it holds
    assert await store.get_pending_registration(pending.id, NOW) == pending
    who = principal("owner", domain="owner.example", principal_id=pending.principal_id)
    codes_ = recovery()
    await store.complete_registration(pending.id, who, codes_, NOW, [event("registered")])
    assert await store.get_principal(who.id) == who
    assert await store.recovery_codes(who.id) == codes_
    assert await store.domain_owner("owner.example") == who.id
    assert (await store.entry_counts())["state_db"] == 0
    assert [e.event for e in await store.audit_events()] == [
        "invite_issued",
        "registration_started",
        "registered",
    ]
    # the same registration cannot finish twice, nor the token start again
    await unchanged(
        store,
        lambda: store.complete_registration(pending.id, who, codes_, NOW),
        ErrorCode.REGISTRATION_NOT_FOUND,
    )
    again = pending_registration(token, "owner2")
    await unchanged(store, lambda: store.begin_registration(again, NOW), ErrorCode.INVITE_USED)


async def test_registration_start_refused_keeps_the_invite(store: Store) -> None:
    """begin_registration takes the token out of invite_db before it finds the name taken:
    the refusal must put nothing of that in the store."""
    await registered(store, "taken")
    token = invite()
    await store.put_invite(token)
    await unchanged(
        store,
        lambda: store.begin_registration(pending_registration(token, "TAKEN"), NOW),
        ErrorCode.ACCOUNT_EXISTS,
    )
    await registered(store, "owner", "owner.example")
    await unchanged(
        store,
        lambda: store.begin_registration(
            pending_registration(token, "fresh", domain="owner.example"), NOW
        ),
        ErrorCode.DOMAIN_TAKEN,
    )
    # the token is still there and still works
    await store.begin_registration(pending_registration(token, "fresh"), NOW)


async def test_registration_in_progress_holds_the_token_until_it_expires(store: Store) -> None:
    token = invite()
    await store.put_invite(token)
    first = pending_registration(token, "owner")
    await store.begin_registration(first, NOW)
    await unchanged(
        store,
        lambda: store.begin_registration(pending_registration(token, "owner"), NOW + 60),
        ErrorCode.INVITE_USED,
    )
    # expired: get refuses it, and a new start takes the token over
    later = NOW + 601
    with pytest.raises(ProblemError) as gone:
        await store.get_pending_registration(first.id, later)
    assert gone.value.code is ErrorCode.REGISTRATION_NOT_FOUND
    second = pending_registration(token, "owner", now=later)
    await store.begin_registration(second, later)
    assert (await store.entry_counts())["state_db"] == 2  # the old one went
    with pytest.raises(ProblemError):
        await store.get_pending_registration(first.id, NOW)
    who = principal("owner", principal_id=first.principal_id)
    await unchanged(
        store,
        lambda: store.complete_registration(first.id, who, recovery(), later),
        ErrorCode.REGISTRATION_NOT_FOUND,
    )
    await store.complete_registration(
        second.id, principal("owner", principal_id=second.principal_id), recovery(), later
    )


async def test_unknown_token_is_refused(store: Store) -> None:
    await unchanged(
        store,
        lambda: store.begin_registration(pending_registration(invite(), "x"), NOW),
        ErrorCode.INVITE_USED,
    )


async def test_registration_finish_is_all_or_nothing(store: Store) -> None:
    """complete_registration writes the name, domain and role indexes before it finds the
    principal id taken: none of them may stay."""
    existing = await registered(store, "first")
    token = invite()
    await store.put_invite(token)
    pending = pending_registration(token, "second", domain="second.example")
    await store.begin_registration(pending, NOW)
    clash = principal("second", domain="second.example", privileged=True, principal_id=existing.id)
    before = await store.entry_counts()
    with pytest.raises(RuntimeError, match="collision"):
        await store.complete_registration(pending.id, clash, recovery(), NOW)
    assert await store.entry_counts() == before
    assert await store.name_owner("second") is None
    assert await store.domain_owner("second.example") is None
    assert not await store.has_privileged()
    assert await store.get_pending_registration(pending.id, NOW) == pending


async def test_one_token_starts_one_registration_under_concurrency(store: Store) -> None:
    token = invite()
    await store.put_invite(token)
    starts = [pending_registration(token, f"racer{i}") for i in range(20)]
    outcomes = await asyncio.gather(
        *(store.begin_registration(p, NOW) for p in starts), return_exceptions=True
    )
    assert codes(outcomes) == ["invite_used"] * 19 + ["ok"]
    assert (await store.entry_counts())["state_db"] == 2


async def test_one_name_makes_one_account_under_concurrency(store: Store) -> None:
    pendings = []
    for i in range(6):
        token = invite()
        await store.put_invite(token)
        pending = pending_registration(token, "same", domain=f"d{i}.example")
        await store.begin_registration(pending, NOW)
        pendings.append(pending)
    outcomes = await asyncio.gather(
        *(
            store.complete_registration(
                p.id,
                principal("same", domain=p.domain, principal_id=p.principal_id),
                recovery(),
                NOW,
            )
            for p in pendings
        ),
        return_exceptions=True,
    )
    assert codes(outcomes) == ["account_exists"] * 5 + ["ok"]
    assert len(await store.principals()) == 1
    counts = await store.entry_counts()
    assert (counts["name_db"], counts["domain_db"], counts["recovery_db"]) == (1, 1, 1)


# -- login ---------------------------------------------------------------------------------


async def test_login_start_counts_and_finish_forgives(store: Store) -> None:
    who = await registered(store, "owner")
    login = pending_login(who, "owner")
    limits = [("acct:owner", 5), ("addr:192.0.2.1", 200)]
    assert (await store.begin_login(login, attempt(limits))).admitted
    assert await store.get_pending_login(login.id, NOW) == login
    assert await recent_failures(store, ["acct:owner", "addr:192.0.2.1"], NOW - HOUR) == [1, 1]
    done = success(who, login, totp_step=100)
    assert await store.complete_login(login.id, NOW, done, [event("login")]) == "ok"
    assert await recent_failures(store, ["acct:owner", "addr:192.0.2.1"], NOW - HOUR) == [0, 0]
    assert await store.get_session(done.session.token_hash) == done.session.session
    principal_now = await store.get_principal(who.id)
    assert principal_now is not None
    assert principal_now.totp_last_step == 100
    assert "login" in [e.event for e in await store.audit_events()]
    # spent: a second finish finds nothing
    assert await store.complete_login(login.id, NOW, success(who, login, totp_step=101), []) == (
        "gone"
    )
    with pytest.raises(ProblemError) as gone:
        await store.get_pending_login(login.id, NOW)
    assert gone.value.code is ErrorCode.LOGIN_NOT_FOUND


async def test_pending_login_expires(store: Store) -> None:
    who = await registered(store, "owner")
    login = pending_login(who, "owner")
    assert (await store.begin_login(login, attempt([("acct:owner", 5)]))).admitted
    with pytest.raises(ProblemError):
        await store.get_pending_login(login.id, login.expires_at)
    outcome = await store.complete_login(
        login.id, login.expires_at, success(who, login, totp_step=5), []
    )
    assert outcome == "gone"
    assert (await store.entry_counts())["session_db"] == 0


async def test_login_start_at_the_limit_writes_nothing(store: Store) -> None:
    limits = [("acct:x", 3)]
    for _ in range(3):
        assert (await store.begin_login(pending_login(None, "x"), attempt(limits))).admitted
    before = await store.entry_counts()
    assert not (await store.begin_login(pending_login(None, "x"), attempt(limits))).admitted
    assert await store.entry_counts() == before
    # the window slides: an hour later the old failures no longer count
    later = await store.begin_login(
        pending_login(None, "x", NOW + HOUR + 1), attempt(limits, NOW + HOUR + 1)
    )
    assert later.admitted


async def test_concurrent_login_starts_admit_exactly_the_limit(store: Store) -> None:
    limits = [("acct:target", 7), ("addr:203.0.113.9", 200)]
    outcomes = await asyncio.gather(
        *(store.begin_login(pending_login(None, "target"), attempt(limits)) for _ in range(25))
    )
    assert [verdict.admitted for verdict in outcomes].count(True) == 7
    assert await recent_failures(store, ["acct:target"], NOW - HOUR) == [7]
    assert (await store.entry_counts())["state_db"] == 7


async def test_totp_step_accepted_once(store: Store) -> None:
    who = await registered(store, "owner")
    logins = [pending_login(who, "owner") for _ in range(2)]
    for login in logins:
        assert (await store.begin_login(login, attempt([("acct:owner", 50)]))).admitted
    assert (
        await store.complete_login(logins[0].id, NOW, success(who, logins[0], totp_step=7), [])
        == "ok"
    )
    replay = success(who, logins[1], totp_step=7)
    outcome = await store.complete_login(logins[1].id, NOW, replay, [], [event("totp_replayed")])
    assert outcome == "replayed"
    assert await store.get_session(replay.session.token_hash) is None
    assert await recent_failures(store, [f"mfa:{who.id}"], NOW - HOUR) == [1]
    assert "totp_replayed" in [e.event for e in await store.audit_events()]


async def test_one_totp_step_opens_one_session_under_concurrency(store: Store) -> None:
    who = await registered(store, "owner")
    logins = [pending_login(who, "owner") for _ in range(10)]
    for login in logins:
        assert (await store.begin_login(login, attempt([("acct:owner", 50)]))).admitted
    outcomes = await asyncio.gather(
        *(store.complete_login(p.id, NOW, success(who, p, totp_step=42), []) for p in logins)
    )
    assert sorted(outcomes) == ["ok"] + ["replayed"] * 9
    assert (await store.entry_counts())["session_db"] == 1


async def test_recovery_code_accepted_once_under_concurrency(store: Store) -> None:
    who = await registered(store, "owner")
    logins = [pending_login(who, "owner") for _ in range(10)]
    for login in logins:
        assert (await store.begin_login(login, attempt([("acct:owner", 50)]))).admitted
    outcomes = await asyncio.gather(
        *(store.complete_login(p.id, NOW, success(who, p, recovery_index=3), []) for p in logins)
    )
    assert sorted(outcomes) == ["ok"] + ["used"] * 9
    hashes = (await store.recovery_codes(who.id)).hashes
    assert hashes[3] is None
    assert sum(h is None for h in hashes) == 1
    # another code still works; an index out of range never does
    login = pending_login(who, "owner")
    assert (await store.begin_login(login, attempt([("acct:owner", 50)]))).admitted
    assert (
        await store.complete_login(login.id, NOW, success(who, login, recovery_index=4), []) == "ok"
    )
    login = pending_login(who, "owner")
    assert (await store.begin_login(login, attempt([("acct:owner", 50)]))).admitted
    assert (
        await store.complete_login(login.id, NOW, success(who, login, recovery_index=10), [])
        == "used"
    )


async def test_login_finish_locked_by_the_mfa_limit(store: Store) -> None:
    who = await registered(store, "owner")
    for _ in range(2):  # two wrong second factors reach the limit of 2
        login = pending_login(who, "owner")
        assert (await store.begin_login(login, attempt([("acct:owner", 50)]))).admitted
        wrong = success(who, login, recovery_index=99, mfa_limit=2)
        assert await store.complete_login(login.id, NOW, wrong, []) == "used"
    login = pending_login(who, "owner")
    assert (await store.begin_login(login, attempt([("acct:owner", 50)]))).admitted
    locked = success(who, login, totp_step=9, mfa_limit=2)
    assert await store.complete_login(login.id, NOW, locked, [event("x")]) == "locked"
    assert await store.get_session(locked.session.token_hash) is None
    principal_now = await store.get_principal(who.id)
    assert principal_now is not None
    assert principal_now.totp_last_step == 0


async def test_fail_login(store: Store) -> None:
    who = await registered(store, "owner")
    login = pending_login(who, "owner")
    limits = [("acct:owner", 2)]
    assert (await store.begin_login(login, attempt(limits))).admitted
    assert await store.fail_login(
        login.id, [event("login_failed")], failure=attempt([("mfa:x", 1)])
    )
    assert (await store.entry_counts())["state_db"] == 0
    assert await recent_failures(store, ["acct:owner", "mfa:x"], NOW - HOUR) == [1, 1]
    # with the failure's limit reached: the attempt is spent, nothing counted or logged
    second = pending_login(who, "owner")
    assert (await store.begin_login(second, attempt(limits))).admitted
    events_before = len(await store.audit_events())
    refused = await store.fail_login(
        second.id, [event("login_failed")], failure=attempt([("mfa:x", 1)])
    )
    assert not refused
    assert (await store.entry_counts())["state_db"] == 0
    assert await recent_failures(store, ["mfa:x"], NOW - HOUR) == [1]
    assert len(await store.audit_events()) == events_before
    # forgiving takes back exactly the start's failure
    third = pending_login(who, "owner", NOW + 1)
    assert (await store.begin_login(third, attempt([("acct:other", 5)], NOW + 1))).admitted
    assert await store.fail_login(third.id, [], forgive_keys=["acct:other"], forgive_at=NOW + 1)
    assert await recent_failures(store, ["acct:other"], NOW - HOUR) == [0]


# -- seed 003: invitations and password logins --------------------------------------------


async def test_invitation_accepted_once(store: Store) -> None:
    issuer = principal("Andrea", kind="password")
    await store.create_first_principal(issuer, new_session(issuer.id))
    made = invitation(issuer.id)
    await store.put_invitation(made, [event("invitation_created")])
    assert await store.get_invitation(made.id) == made
    assert await store.get_invitation("unknown") is None
    guest = principal("Guest", kind="password")
    session = new_session(guest.id)
    await store.accept_invitation(made.id, guest, NOW + 10, 24 * HOUR, session, [event("ok")])
    accepted = await store.get_invitation(made.id)
    assert accepted is not None
    assert accepted.accepted_by == guest.id
    assert accepted.accepted_at == NOW + 10
    assert await store.principal_by_name("guest") == guest
    assert await store.get_session(session.token_hash) == session.session
    other = principal("Other", kind="password")
    await unchanged(
        store,
        lambda: store.accept_invitation(made.id, other, NOW, 24 * HOUR, new_session(other.id)),
        ErrorCode.INVITATION_NOT_FOUND,
    )


async def test_invitation_expires_and_a_taken_name_keeps_it(store: Store) -> None:
    issuer = principal("Andrea", kind="password")
    await store.create_first_principal(issuer, new_session(issuer.id))
    made = invitation(issuer.id)
    await store.put_invitation(made)
    clash = principal("ANDREA", kind="password")
    await unchanged(
        store,
        lambda: store.accept_invitation(made.id, clash, NOW, 24 * HOUR, new_session(clash.id)),
        ErrorCode.NAME_TAKEN,
    )
    guest = principal("guest", kind="password")
    await unchanged(
        store,
        lambda: store.accept_invitation(
            made.id, guest, NOW + 24 * HOUR, 24 * HOUR, new_session(guest.id)
        ),
        ErrorCode.INVITATION_NOT_FOUND,
    )
    await store.accept_invitation(
        made.id, guest, NOW + 24 * HOUR - 1, 24 * HOUR, new_session(guest.id)
    )


async def test_one_invitation_one_login_under_concurrency(store: Store) -> None:
    issuer = principal("issuer", kind="password")
    await store.add_principal(issuer)
    made = invitation(issuer.id)
    await store.put_invitation(made)
    guests = [principal(f"guest{i}", kind="password") for i in range(20)]
    outcomes = await asyncio.gather(
        *(store.accept_invitation(made.id, g, NOW, 24 * HOUR, new_session(g.id)) for g in guests),
        return_exceptions=True,
    )
    assert codes(outcomes) == ["invitation_not_found"] * 19 + ["ok"]
    assert len(await store.principals()) == 2  # the issuer and one guest
    assert (await store.entry_counts())["session_db"] == 1


async def test_password_login(store: Store) -> None:
    who = principal("Andrea", kind="password")
    await store.add_principal(who)
    limits = [("acct:andrea", 2)]
    assert (await store.password_login(attempt(limits), None, [event("login_failed")])).admitted
    session = new_session(who.id)
    assert (await store.password_login(attempt(limits), session, [event("login")])).admitted
    assert await store.get_session(session.token_hash) == session.session
    assert (await store.password_login(attempt(limits), None)).admitted
    before = await store.entry_counts()
    assert not (
        await store.password_login(attempt(limits), new_session(who.id), [event("x")])
    ).admitted
    assert await store.entry_counts() == before
    assert await recent_failures(store, ["acct:andrea"], NOW - HOUR) == [2]


async def test_concurrent_password_failures_stop_at_the_limit(store: Store) -> None:
    limits = [("acct:andrea", 5)]
    outcomes = await asyncio.gather(
        *(store.password_login(attempt(limits), None, [event("f")]) for _ in range(20))
    )
    assert [verdict.admitted for verdict in outcomes].count(True) == 5
    assert await recent_failures(store, ["acct:andrea"], NOW - HOUR) == [5]
    assert len(await store.audit_events()) == 5


# -- sessions, lockouts, audit ------------------------------------------------------------


async def test_sessions(store: Store) -> None:
    who = principal("someone")
    await store.add_principal(who)
    session = new_session(who.id)
    await store.put_session(session, [event("login")])
    assert await store.get_session(session.token_hash) == session.session
    await store.touch_session(session.token_hash, NOW + 50)
    touched = await store.get_session(session.token_hash)
    assert touched is not None
    assert touched.last_seen == NOW + 50
    await store.touch_session(b"\x01" * 32, NOW)  # unknown: nothing happens
    await store.delete_session(session.token_hash, [event("logout")])
    assert await store.get_session(session.token_hash) is None
    assert [e.event for e in await store.audit_events()] == ["login", "logout"]
    assert (await store.entry_counts())["session_db"] == 0
    assert (await store.entry_counts())["index_db"] == 0
    # ending a session that is not there writes nothing, the audit event neither
    assert not await store.delete_session(session.token_hash, [event("logout")])
    assert len(await store.audit_events()) == 2


async def test_an_accounts_sessions_are_listed_and_ended_together(store: Store) -> None:
    who, other = principal("owner"), principal("other")
    await store.add_principal(who)
    await store.add_principal(other)
    mine = [new_session(who.id, NOW + i) for i in range(3)]
    theirs = new_session(other.id)
    for session in [*reversed(mine), theirs]:
        await store.put_session(session)
    listed = await store.sessions_of(who.id)
    assert [token_hash for token_hash, _ in listed] == [s.token_hash for s in mine]  # oldest first
    assert [s for _, s in listed] == [s.session for s in mine]
    # all but the current one end, in one step with its audit event
    ended = await store.end_sessions(who.id, keep=mine[1].token_hash, events=[event("ended")])
    assert ended == 2
    assert [token_hash for token_hash, _ in await store.sessions_of(who.id)] == [mine[1].token_hash]
    assert await store.get_session(mine[0].token_hash) is None
    assert await store.get_session(theirs.token_hash) == theirs.session  # another's untouched
    assert "ended" in [e.event for e in await store.audit_events()]
    assert await store.end_sessions(who.id) == 1
    assert (await store.entry_counts())["index_db"] == 1  # only the other account's


async def test_no_session_for_a_missing_or_disabled_principal(store: Store) -> None:
    await unchanged(
        store, lambda: store.put_session(new_session("nobody")), ErrorCode.ACCOUNT_DISABLED
    )
    who = principal("owner")
    who.disabled = True
    await store.add_principal(who)
    await unchanged(
        store, lambda: store.put_session(new_session(who.id)), ErrorCode.ACCOUNT_DISABLED
    )


async def test_recovery_invites(store: Store) -> None:
    who = await registered(store, "owner")
    invite = RecoveryInvite(principal_id=who.id, issued_at=NOW, expires_at=NOW + HOUR)
    await store.put_recovery_invite("token-1", invite, [event("mfa_reset")])
    assert await store.get_recovery_invite("token-1", NOW) == invite
    assert await store.get_recovery_invite("token-2", NOW) is None
    assert await store.get_recovery_invite("token-1", NOW + HOUR) is None  # expired
    assert "mfa_reset" in [e.event for e in await store.audit_events()]
    nobody = RecoveryInvite(principal_id="nobody", issued_at=NOW, expires_at=NOW + HOUR)
    await unchanged(
        store,
        lambda: store.put_recovery_invite("token-3", nobody),
        ErrorCode.ACCOUNT_NOT_FOUND,
    )
    # the sweep removes it once expired, not before
    assert await store.purge_expired(NOW, invitation_lifetime=HOUR, failure_window=HOUR) == 0
    removed = await store.purge_expired(NOW + HOUR, invitation_lifetime=HOUR, failure_window=HOUR)
    assert removed == 1
    assert (await store.entry_counts())["state_db"] == 0


async def test_purge_takes_an_expired_sessions_index_entry(store: Store) -> None:
    who = principal("owner")
    await store.add_principal(who)
    await store.put_session(new_session(who.id, ttl=10))
    kept = new_session(who.id, ttl=HOUR)
    await store.put_session(kept)
    removed = await store.purge_expired(NOW + 11, invitation_lifetime=HOUR, failure_window=HOUR)
    assert removed == 1
    assert [token_hash for token_hash, _ in await store.sessions_of(who.id)] == [kept.token_hash]
    assert (await store.entry_counts())["index_db"] == 1


async def test_lockout_logged_once_per_lockout(store: Store) -> None:
    await asyncio.gather(
        *(store.record_lockout("acct:x", NOW - HOUR, event("lockout")) for _ in range(10))
    )
    await store.record_lockout("acct:x", NOW - HOUR, event("lockout"))
    assert [e.event for e in await store.audit_events()] == ["lockout"]
    await store.record_lockout("acct:x", NOW + 1, event("lockout", NOW + 2))  # a new lockout
    assert len(await store.audit_events()) == 2


async def test_audit_log_in_time_order(store: Store) -> None:
    for at in (NOW + 5, NOW + 1, NOW + 3):
        await store.audit(event("e", at))
    assert [e.at for e in await store.audit_events()] == [NOW + 1, NOW + 3, NOW + 5]


# -- housekeeping -------------------------------------------------------------------------


async def populate_expiring(store: Store) -> int:
    """Records that are dead at NOW + 2 days, and as many that are not; returns how many
    are dead."""
    later = NOW + 2 * 24 * HOUR
    await store.put_invite(invite(ttl=HOUR))
    await store.put_invite(invite(ttl=7 * 24 * HOUR))
    owner = principal("owner")
    await store.add_principal(owner)
    await store.put_session(new_session(owner.id, ttl=HOUR))
    await store.put_session(new_session(owner.id, now=later, ttl=HOUR))
    await store.put_invitation(invitation("i"))
    await store.put_invitation(invitation("i", now=later))
    assert (await store.begin_login(pending_login(None, "x"), attempt([("acct:x", 9)]))).admitted
    assert (
        await store.begin_login(pending_login(None, "y", later), attempt([("acct:y", 9)], later))
    ).admitted
    token = invite(ttl=HOUR)
    await store.put_invite(token)
    await store.begin_registration(pending_registration(token, "gone"), NOW)
    keeper = invite(ttl=7 * 24 * HOUR)
    await store.put_invite(keeper)
    await store.begin_registration(pending_registration(keeper, "kept"), NOW)
    # dead: an invite, a session, an invitation, a pending login, a counter (acct:x), a
    # registration whose invite expired (with its jti entry)
    return 6


async def test_purge_removes_exactly_what_expired(store: Store) -> None:
    dead = await populate_expiring(store)
    before = await store.entry_counts()
    later = NOW + 2 * 24 * HOUR
    removed = await store.purge_expired(later, invitation_lifetime=24 * HOUR, failure_window=HOUR)
    assert removed == dead
    after = await store.entry_counts()
    for table, gone in [
        ("invite_db", 1),
        ("session_db", 1),
        ("index_db", 2),  # the session's entry in its account's index, the invitation's
        ("invitation_db", 1),
        ("counter_db", 1),
        ("state_db", 3),  # the pending login, a registration and its jti entry
    ]:
        assert before[table] - after[table] == gone, table
    assert await store.purge_expired(later, invitation_lifetime=24 * HOUR, failure_window=HOUR) == 0


async def test_concurrent_purges_remove_each_record_once(store: Store) -> None:
    dead = await populate_expiring(store)
    later = NOW + 2 * 24 * HOUR
    counts = await asyncio.gather(
        *(
            store.purge_expired(later, invitation_lifetime=24 * HOUR, failure_window=HOUR)
            for _ in range(4)
        )
    )
    assert sum(counts) == dead
    assert await store.purge_expired(later, invitation_lifetime=24 * HOUR, failure_window=HOUR) == 0
