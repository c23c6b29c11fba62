"""The self-service steps of `core.Store`, on LMDB and on PostgreSQL: ending one's own
sessions, a password login's password change (and two of them racing), and an issuer's
own invitations (listed, found by ref, revoked; revocation racing acceptance)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from quart_invite_auth.errors import ErrorCode, ProblemError
from quart_invite_auth.store.core import Store, invitation_key_ref
from quart_invite_auth.store.records import Principal

from .helpers import HOUR, NOW, attempt, event, invitation, new_session, principal

DAY = 24 * HOUR
LIMITS = [("name:someone", 5), ("addr:192.0.2.1", 200)]


async def unchanged(store: Store, action: Callable[[], Awaitable[Any]], code: ErrorCode) -> None:
    """`action` is refused with `code`, and no table changes (the audit log included)."""
    before = await store.entry_counts()
    with pytest.raises(ProblemError) as refused:
        await action()
    assert refused.value.code is code
    assert await store.entry_counts() == before


async def with_sessions(store: Store, who: Principal, count: int) -> list[bytes]:
    await store.add_principal(who)
    made = [new_session(who.id, NOW + i) for i in range(count)]
    for session in made:
        await store.put_session(session)
    return [session.token_hash for session in made]


# -- sessions -------------------------------------------------------------------------------


async def test_end_session_of_ends_only_the_owners_session(store: Store) -> None:
    who, other = principal("owner"), principal("other")
    mine = await with_sessions(store, who, 2)
    [theirs] = await with_sessions(store, other, 1)
    before = await store.entry_counts()
    # another's session, or an unknown one: nothing written, not even the event
    assert not await store.end_session_of(who.id, theirs, [event("session_revoked")])
    assert not await store.end_session_of(who.id, b"\x02" * 32, [event("session_revoked")])
    assert await store.entry_counts() == before
    assert await store.get_session(theirs) is not None
    assert await store.end_session_of(who.id, mine[0], [event("session_revoked")])
    assert await store.get_session(mine[0]) is None
    assert [h for h, _ in await store.sessions_of(who.id)] == [mine[1]]
    assert [e.event for e in await store.audit_events()] == ["session_revoked"]
    after = await store.entry_counts()
    assert before["session_db"] - after["session_db"] == 1
    assert before["index_db"] - after["index_db"] == 1
    # once ended, it cannot be ended again
    assert not await store.end_session_of(who.id, mine[0], [event("session_revoked")])


async def test_end_other_sessions_keeps_the_current_one_and_counts(store: Store) -> None:
    who, other = principal("owner"), principal("other")
    mine = await with_sessions(store, who, 4)
    [theirs] = await with_sessions(store, other, 1)
    revoked = event("sessions_revoked")
    assert await store.end_other_sessions(who.id, mine[2], revoked) == 3
    assert [h for h, _ in await store.sessions_of(who.id)] == [mine[2]]
    assert await store.get_session(theirs) is not None
    [logged] = await store.audit_events()
    assert logged.event == "sessions_revoked"
    assert logged.detail["revoked"] == 3
    # nothing else to end: 0, and still logged (the owner asked)
    assert await store.end_other_sessions(who.id, mine[2], event("sessions_revoked")) == 0
    assert [e.detail["revoked"] for e in await store.audit_events()] == [3, 0]


# -- seed-003 password change -----------------------------------------------------------


async def test_password_change_replaces_the_hash_and_ends_other_sessions(store: Store) -> None:
    who = principal("someone", kind="password")
    mine = await with_sessions(store, who, 3)
    old_hash = who.password_hash
    assert old_hash is not None
    verdict, ended = await store.change_login_password(
        who.id, old_hash, "new-hash", mine[1], attempt(LIMITS), [event("password_changed")]
    )
    assert verdict.admitted
    assert ended == 2
    stored = await store.get_principal(who.id)
    assert stored is not None
    assert stored.password_hash == "new-hash"
    assert [h for h, _ in await store.sessions_of(who.id)] == [mine[1]]
    assert [e.event for e in await store.audit_events()] == ["password_changed"]
    # the old hash is no longer the current one: refused, nothing written
    await unchanged(
        store,
        lambda: store.change_login_password(
            who.id, old_hash, "other-hash", mine[1], attempt(LIMITS), [event("x")]
        ),
        ErrorCode.LOGIN_FAILED,
    )


async def test_password_change_refusals_write_nothing(store: Store) -> None:
    who = principal("someone", kind="password")
    [current] = await with_sessions(store, who, 1)
    owner = principal("owner")  # an OPAQUE account
    [owners] = await with_sessions(store, owner, 1)
    assert who.password_hash is not None
    good = who.password_hash
    # the session ended meanwhile (or is another principal's)
    await unchanged(
        store,
        lambda: store.change_login_password(
            who.id, good, "h", b"\x03" * 32, attempt(LIMITS), [event("x")]
        ),
        ErrorCode.UNAUTHENTICATED,
    )
    await unchanged(
        store,
        lambda: store.change_login_password(
            who.id, good, "h", owners, attempt(LIMITS), [event("x")]
        ),
        ErrorCode.UNAUTHENTICATED,
    )
    await unchanged(
        store,
        lambda: store.change_login_password(owner.id, "", "h", owners, attempt(LIMITS), []),
        ErrorCode.WRONG_ACCOUNT_KIND,
    )
    # past the limits of a password attempt: not admitted, nothing written
    for _ in range(5):
        assert (await store.password_login(attempt(LIMITS), None)).admitted
    before = await store.entry_counts()
    verdict, ended = await store.change_login_password(
        who.id, good, "h", current, attempt(LIMITS), [event("x")]
    )
    assert not verdict.admitted
    assert ended == 0
    assert await store.entry_counts() == before
    stored = await store.get_principal(who.id)
    assert stored is not None
    assert stored.password_hash == good


async def test_concurrent_password_changes_leave_one_new_hash(store: Store) -> None:
    """Two changes, each from its own session, both having verified the same current
    password: exactly one wins; the account holds its hash and its session alone."""
    who = principal("someone", kind="password")
    sessions = await with_sessions(store, who, 2)
    old_hash = who.password_hash
    assert old_hash is not None
    outcomes = await asyncio.gather(
        *(
            store.change_login_password(
                who.id,
                old_hash,
                f"new-hash-{i}",
                sessions[i],
                attempt(LIMITS),
                [event("password_changed")],
            )
            for i in range(2)
        ),
        return_exceptions=True,
    )
    won = [i for i, outcome in enumerate(outcomes) if not isinstance(outcome, BaseException)]
    assert len(won) == 1, outcomes
    [winner] = won
    loser = outcomes[1 - winner]
    assert isinstance(loser, ProblemError)
    # the loser either saw the new hash, or found its session ended by the winner
    assert loser.code in (ErrorCode.LOGIN_FAILED, ErrorCode.UNAUTHENTICATED)
    stored = await store.get_principal(who.id)
    assert stored is not None
    assert stored.password_hash == f"new-hash-{winner}"
    assert [h for h, _ in await store.sessions_of(who.id)] == [sessions[winner]]
    assert [e.event for e in await store.audit_events()] == ["password_changed"]


async def test_concurrent_password_changes_on_one_session(store: Store) -> None:
    who = principal("someone", kind="password")
    [current] = await with_sessions(store, who, 1)
    assert who.password_hash is not None
    hashes = [f"new-hash-{i}" for i in range(6)]
    outcomes = await asyncio.gather(
        *(
            store.change_login_password(
                who.id, who.password_hash, h, current, attempt(LIMITS), [event("changed")]
            )
            for h in hashes
        ),
        return_exceptions=True,
    )
    ok = [h for h, o in zip(hashes, outcomes, strict=True) if not isinstance(o, BaseException)]
    assert len(ok) == 1
    refused = [o for o in outcomes if isinstance(o, ProblemError)]
    assert {o.code for o in refused} == {ErrorCode.LOGIN_FAILED}
    stored = await store.get_principal(who.id)
    assert stored is not None
    assert stored.password_hash == ok[0]
    assert len(await store.audit_events()) == 1


# -- seed 003: an issuer's own invitations ------------------------------------------------


async def test_invitations_are_listed_found_by_ref_and_revoked(store: Store) -> None:
    issuer, other = principal("Andrea", kind="password"), principal("Bo", kind="password")
    await store.add_principal(issuer)
    await store.add_principal(other)
    first, second = invitation(issuer.id), invitation(issuer.id, now=NOW + 5)
    theirs = invitation(other.id)
    for made in (second, first, theirs):
        await store.put_invitation(made, lifetime=DAY)
    refs = [invitation_key_ref(first.id), invitation_key_ref(second.id)]
    assert await store.invitations_of(issuer.id, NOW + 10, DAY) == [
        [NOW, refs[0]],
        [NOW + 5, refs[1]],
    ]
    assert await store.find_invitation(issuer.id, refs[0]) == first
    # a ref finds only its own issuer's invitation
    assert await store.find_invitation(other.id, refs[0]) is None
    assert await store.find_invitation(issuer.id, invitation_key_ref(theirs.id)) is None
    before = await store.entry_counts()
    await store.revoke_invitation(first.id, issuer.id, NOW + 10, DAY, [event("invitation_revoked")])
    after = await store.entry_counts()
    assert before["invitation_db"] - after["invitation_db"] == 1  # the record (quota rewritten)
    assert before["index_db"] - after["index_db"] == 1
    assert await store.get_invitation(first.id) is None
    assert await store.find_invitation(issuer.id, refs[0]) is None
    assert await store.invitations_of(issuer.id, NOW + 10, DAY) == [[NOW + 5, refs[1]]]
    assert [e.event for e in await store.audit_events()] == ["invitation_revoked"]
    # again, another's, or unknown: not found, nothing written
    for invitation_id in (first.id, theirs.id, "Inope"):

        def revoke(invitation_id: str = invitation_id) -> Awaitable[None]:
            return store.revoke_invitation(invitation_id, issuer.id, NOW + 10, DAY, [event("x")])

        await unchanged(store, revoke, ErrorCode.INVITATION_NOT_FOUND)
    # expired ones are neither listed nor revocable
    assert await store.invitations_of(issuer.id, NOW + 5 + DAY, DAY) == []
    await unchanged(
        store,
        lambda: store.revoke_invitation(second.id, issuer.id, NOW + 5 + DAY, DAY),
        ErrorCode.INVITATION_NOT_FOUND,
    )


async def test_an_accepted_invitation_leaves_the_index(store: Store) -> None:
    issuer = principal("Andrea", kind="password")
    await store.add_principal(issuer)
    made = invitation(issuer.id)
    await store.put_invitation(made, lifetime=DAY)
    ref = invitation_key_ref(made.id)
    guest = principal("Guest", kind="password")
    await store.accept_invitation(made.id, guest, NOW + 1, DAY, new_session(guest.id))
    assert await store.find_invitation(issuer.id, ref) is None
    assert await store.invitations_of(issuer.id, NOW + 1, DAY) == []
    await unchanged(
        store,
        lambda: store.revoke_invitation(made.id, issuer.id, NOW + 2, DAY),
        ErrorCode.INVITATION_NOT_FOUND,
    )
    # what remains in index_db is the guest's session entry alone
    assert (await store.entry_counts())["index_db"] == 1


async def test_revocation_racing_acceptance_lets_one_win(store: Store) -> None:
    issuer = principal("Andrea", kind="password")
    await store.add_principal(issuer)
    made = invitation(issuer.id)
    await store.put_invitation(made, lifetime=DAY)
    guest = principal("Guest", kind="password")
    outcomes = await asyncio.gather(
        store.accept_invitation(made.id, guest, NOW + 1, DAY, new_session(guest.id)),
        store.revoke_invitation(made.id, issuer.id, NOW + 1, DAY, [event("invitation_revoked")]),
        return_exceptions=True,
    )
    failed = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(failed) == 1
    assert isinstance(failed[0], ProblemError)
    assert failed[0].code is ErrorCode.INVITATION_NOT_FOUND
    assert await store.invitations_of(issuer.id, NOW + 1, DAY) == []
    accepted = outcomes[0] is None
    assert (await store.principal_by_name("guest") is not None) == accepted
    assert (await store.get_invitation(made.id) is not None) == accepted
    assert (await store.entry_counts())["index_db"] == (1 if accepted else 0)


async def test_the_sweep_takes_an_expired_invitations_index_entry(store: Store) -> None:
    issuer = principal("Andrea", kind="password")
    await store.add_principal(issuer)
    made = invitation(issuer.id)
    await store.put_invitation(made, lifetime=DAY)
    assert (
        await store.purge_expired(NOW + DAY - 1, invitation_lifetime=DAY, failure_window=HOUR) == 0
    )
    assert await store.purge_expired(NOW + DAY, invitation_lifetime=DAY, failure_window=HOUR) == 2
    counts = await store.entry_counts()
    assert counts["index_db"] == 0
    assert counts["invitation_db"] == 0
