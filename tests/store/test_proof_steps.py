"""The store steps behind a fresh OPAQUE proof (password change, recovery codes, TOTP
re-enrolment) and MFA recovery, on LMDB and on PostgreSQL: effects, binding, expiry, what
a failed step leaves, and concurrent steps."""

from __future__ import annotations

import asyncio
import os
import secrets

import pyotp
import pytest

from quart_invite_auth.errors import ErrorCode, ProblemError
from quart_invite_auth.store.core import Store
from quart_invite_auth.store.kv import Txn
from quart_invite_auth.store.records import (
    PendingProof,
    PendingTotp,
    Principal,
    ProofSuccess,
    RecoveryCodes,
    RecoveryInvite,
)

from .conftest import Place
from .helpers import HOUR, NOW, attempt, event, new_session, recent_failures, recovery
from .test_steps import registered, unchanged

NAME_LIMIT = [("name:owner", 5), ("addr:192.0.2.1", 200)]


def proof_state(
    who: Principal, session: bytes | None, *, now: float = NOW, ttl: float = 300.0
) -> PendingProof:
    return PendingProof(
        id=secrets.token_urlsafe(16),
        principal_id=who.id,
        account=who.name,
        server_state=os.urandom(96),
        expires_at=now + ttl,
        started_at=now,
        session=session,
    )


def proven(
    who: Principal,
    pending: PendingProof,
    session: bytes,
    *,
    totp_step: int | None = None,
    recovery_index: int | None = None,
    mfa_limit: int = 10,
) -> ProofSuccess:
    return ProofSuccess(
        principal_id=who.id,
        session=session,
        totp_step=totp_step,
        recovery_index=recovery_index,
        forgive_keys=pending.counted,
        forgive_at=pending.started_at,
        mfa=attempt([("mfa:owner", mfa_limit), ("addr:192.0.2.1", 200)]),
    )


async def started(store: Store, who: Principal, session: bytes) -> PendingProof:
    pending = proof_state(who, session)
    assert (await store.begin_proof(pending, attempt(NAME_LIMIT))).admitted
    return pending


async def owner_with_sessions(store: Store, count: int = 3) -> tuple[Principal, list[bytes]]:
    who = await registered(store, "owner")
    sessions = [new_session(who.id) for _ in range(count)]
    for session in sessions:
        await store.put_session(session)
    return who, [s.token_hash for s in sessions]


async def test_a_proof_counts_like_a_login_start(store: Store) -> None:
    who, (mine, _, _) = await owner_with_sessions(store)
    pending = await started(store, who, mine)
    assert pending.counted == ["name:owner", "addr:192.0.2.1"]
    assert await recent_failures(store, ["name:owner"], NOW - 1) == [1]
    found, principal, verdict = await store.proof_to_finish(
        pending.id, NOW, lambda p: attempt([("mfa:owner", 10)])
    )
    assert found == pending
    assert principal == who
    assert verdict.admitted
    # a handle is kept only as a hash: the id appears in no key
    assert pending.id.encode() not in b"".join(k for k, _ in await _state(store))
    # expired, or looked up as an MFA recovery: not found
    for now, recovery_kind, code in (
        (NOW + 300, False, ErrorCode.REAUTHENTICATION_NOT_FOUND),
        (NOW, True, ErrorCode.RECOVERY_NOT_FOUND),
    ):
        with pytest.raises(ProblemError) as missing:
            await store.proof_to_finish(
                pending.id, now, lambda p: attempt([]), recovery=recovery_kind
            )
        assert missing.value.code is code
    # past the limits nothing is written
    for _ in range(4):
        await started(store, who, mine)
    before = await store.entry_counts()
    refused = await store.begin_proof(proof_state(who, mine), attempt(NAME_LIMIT))
    assert not refused.admitted
    assert await store.entry_counts() == before


async def _state(store: Store) -> list[tuple[bytes, bytes]]:
    async def step(txn: Txn) -> list[tuple[bytes, bytes]]:
        return list(await txn.range("state_db"))

    return await store.backend.read(step)


async def test_a_failed_proof_is_spent_and_counted(store: Store) -> None:
    who, (mine, _, _) = await owner_with_sessions(store)
    pending = await started(store, who, mine)
    # a wrong second factor: the start's failure is taken back, the MFA failure counted
    failure = attempt([("mfa:owner", 1)])
    assert await store.fail_proof(
        pending,
        [event("reauth_failed")],
        failure=failure,
        forgive_keys=pending.counted,
        forgive_at=pending.started_at,
    )
    assert await recent_failures(store, ["name:owner", "mfa:owner"], NOW - 1) == [0, 1]
    assert "reauth_failed" in [e.event for e in await store.audit_events()]
    with pytest.raises(ProblemError) as spent:
        await store.proof_to_finish(pending.id, NOW, lambda p: attempt([]))
    assert spent.value.code is ErrorCode.REAUTHENTICATION_NOT_FOUND
    # past the MFA limit: spent, nothing counted or logged
    second = await started(store, who, mine)
    logged = len(await store.audit_events())
    assert not await store.fail_proof(second, [event("reauth_failed")], failure=failure)
    assert len(await store.audit_events()) == logged
    assert await recent_failures(store, ["mfa:owner"], NOW - 1) == [1]


async def test_change_password(store: Store) -> None:
    who, (mine, theirs, third) = await owner_with_sessions(store)
    pending = await started(store, who, mine)
    record, key = os.urandom(192), os.urandom(32)
    outcome, ended = await store.change_password(
        pending.id,
        NOW,
        proven(who, pending, mine, totp_step=100),
        record,
        key,
        [event("password_changed")],
    )
    assert (outcome, ended) == ("ok", 2)
    after = await store.get_principal(who.id)
    assert after is not None
    assert (after.opaque_record, after.sealing_public_key, after.totp_last_step) == (
        record,
        key,
        100,
    )
    assert [h for h, _ in await store.sessions_of(who.id)] == [mine]
    assert await store.get_session(theirs) is None
    assert await store.get_session(third) is None
    assert "password_changed" in [e.event for e in await store.audit_events()]
    # the failure counted at the start was taken back
    assert await recent_failures(store, ["name:owner"], NOW - 1) == [0]
    # spent: a second use is gone, and changes nothing
    again = await store.change_password(
        pending.id, NOW, proven(who, pending, mine, totp_step=101), os.urandom(192), key, []
    )
    assert again == ("gone", 0)
    assert await store.get_principal(who.id) == after


async def test_a_proof_is_bound_to_its_principal_and_session(store: Store) -> None:
    who, (mine, theirs, _) = await owner_with_sessions(store)
    other = await registered(store, "other")
    pending = await started(store, who, mine)
    before = await store.entry_counts()
    for wrong in (
        proven(who, pending, theirs, totp_step=100),  # another session of the same account
        proven(other, pending, mine, totp_step=100),  # another account
    ):
        outcome = await store.regenerate_recovery_codes(pending.id, NOW, wrong, recovery(), [])
        assert outcome == "gone"
    assert await store.entry_counts() == before
    found, _, _ = await store.proof_to_finish(pending.id, NOW, lambda p: attempt([]))
    assert found.session == mine
    # expired
    late = await store.regenerate_recovery_codes(
        pending.id, NOW + 300, proven(who, pending, mine, totp_step=100), recovery(), []
    )
    assert late == "gone"


async def test_a_spent_second_factor_is_counted_and_changes_nothing(store: Store) -> None:
    who, (mine, _, _) = await owner_with_sessions(store)
    first = await started(store, who, mine)
    await store.regenerate_recovery_codes(
        first.id, NOW, proven(who, first, mine, totp_step=50), recovery(), []
    )
    codes = await store.recovery_codes(who.id)
    second = await started(store, who, mine)
    outcome = await store.change_password(
        second.id,
        NOW,
        proven(who, second, mine, totp_step=50),
        os.urandom(192),
        os.urandom(32),
        [event("password_changed")],
        [event("reauth_failed")],
    )
    assert outcome == ("replayed", 0)
    unchanged_principal = await store.get_principal(who.id)
    assert unchanged_principal is not None
    assert unchanged_principal.opaque_record == who.opaque_record
    assert await store.recovery_codes(who.id) == codes
    assert await recent_failures(store, ["mfa:owner"], NOW - 1) == [1]
    logged = [e.event for e in await store.audit_events()]
    assert "reauth_failed" in logged
    assert "password_changed" not in logged
    # past the MFA limit: "locked", the factor not spent
    third = await started(store, who, mine)
    locked = await store.regenerate_recovery_codes(
        third.id, NOW, proven(who, third, mine, totp_step=51, mfa_limit=1), recovery(), []
    )
    assert locked == "locked"
    after = await store.get_principal(who.id)
    assert after is not None
    assert after.totp_last_step == 50


async def test_regenerate_recovery_codes_with_a_recovery_code(store: Store) -> None:
    who, (mine, _, _) = await owner_with_sessions(store)
    pending = await started(store, who, mine)
    new = recovery()
    outcome = await store.regenerate_recovery_codes(
        pending.id,
        NOW,
        proven(who, pending, mine, recovery_index=2),
        new,
        [event("recovery_codes_regenerated")],
    )
    assert outcome == "ok"
    assert await store.recovery_codes(who.id) == new  # all replaced, none struck out
    # an index already struck out is "used"
    first = await started(store, who, mine)
    assert (
        await store.regenerate_recovery_codes(
            first.id, NOW, proven(who, first, mine, recovery_index=3), recovery(), []
        )
        == "ok"
    )
    codes = await store.recovery_codes(who.id)
    # strike out index 4 by a login-like use, then try to spend it again
    second = await started(store, who, mine)
    await store.begin_totp_reenrollment(
        second.id,
        NOW,
        proven(who, second, mine, recovery_index=4),
        PendingTotp(who.id, pyotp.random_base32(), NOW + 600),
        [],
    )
    third = await started(store, who, mine)
    used = await store.regenerate_recovery_codes(
        third.id, NOW, proven(who, third, mine, recovery_index=4), recovery(), []
    )
    assert used == "used"
    assert (await store.recovery_codes(who.id)).hashes[4] is None
    assert (await store.recovery_codes(who.id)).hashes[:4] == codes.hashes[:4]


async def test_concurrent_regenerations_leave_one_set_of_codes(store: Store) -> None:
    who, (mine, _, _) = await owner_with_sessions(store)
    # each with its own proof and second factor (two recovery codes): both may succeed,
    # one after the other; the codes in force are exactly one of the two sets
    proofs = [await started(store, who, mine) for _ in range(2)]
    sets = [recovery(), recovery()]
    outcomes = await asyncio.gather(
        *(
            store.regenerate_recovery_codes(
                p.id, NOW, proven(who, p, mine, recovery_index=i), codes, []
            )
            for i, (p, codes) in enumerate(zip(proofs, sets, strict=True))
        )
    )
    assert outcomes == ["ok", "ok"]
    assert await store.recovery_codes(who.id) in sets
    # with the same TOTP code: exactly one goes through
    proofs = [await started(store, who, mine) for _ in range(4)]
    sets = [recovery() for _ in proofs]
    outcomes = await asyncio.gather(
        *(
            store.regenerate_recovery_codes(p.id, NOW, proven(who, p, mine, totp_step=77), c, [])
            for p, c in zip(proofs, sets, strict=True)
        )
    )
    assert sorted(outcomes) == ["ok", "replayed", "replayed", "replayed"]
    assert await store.recovery_codes(who.id) == sets[outcomes.index("ok")]


async def test_concurrent_password_changes_leave_one_record(store: Store) -> None:
    who, (mine, other, _) = await owner_with_sessions(store)
    proofs = [await started(store, who, mine) for _ in range(4)]
    changes = [(os.urandom(192), os.urandom(32)) for _ in proofs]
    results = await asyncio.gather(
        *(
            store.change_password(
                p.id, NOW, proven(who, p, mine, totp_step=90), record, key, [event("changed")]
            )
            for p, (record, key) in zip(proofs, changes, strict=True)
        )
    )
    outcomes = [outcome for outcome, _ in results]
    assert sorted(outcomes) == ["ok", "replayed", "replayed", "replayed"]
    winner = outcomes.index("ok")
    after = await store.get_principal(who.id)
    assert after is not None
    # the record and the sealing key are the same change's: consistent
    assert (after.opaque_record, after.sealing_public_key) == changes[winner]
    assert results[winner][1] == 2
    assert await store.get_session(other) is None
    assert [e.event for e in await store.audit_events()].count("changed") == 1
    # with different second factors both may go through, one after the other: the
    # record and key in force are still one change's
    proofs = [await started(store, who, mine) for _ in range(2)]
    changes = [(os.urandom(192), os.urandom(32)) for _ in proofs]
    results = await asyncio.gather(
        *(
            store.change_password(p.id, NOW, proven(who, p, mine, recovery_index=i), r, k, [])
            for i, (p, (r, k)) in enumerate(zip(proofs, changes, strict=True))
        )
    )
    assert [outcome for outcome, _ in results] == ["ok", "ok"]
    after = await store.get_principal(who.id)
    assert after is not None
    assert (after.opaque_record, after.sealing_public_key) in changes


async def test_totp_reenrollment(store: Store) -> None:
    who, (mine, _, _) = await owner_with_sessions(store)
    pending = await started(store, who, mine)
    secret = pyotp.random_base32()
    waiting = PendingTotp(who.id, secret, NOW + 600)
    outcome = await store.begin_totp_reenrollment(
        pending.id, NOW, proven(who, pending, mine, totp_step=60), waiting, [event("started")]
    )
    assert outcome == "ok"
    assert await store.pending_totp(who.id, NOW) == waiting
    assert await store.pending_totp(who.id, NOW + 600) is None  # expired
    # the account's secret is not changed before confirmation
    before = await store.get_principal(who.id)
    assert before is not None
    assert before.totp_secret == who.totp_secret
    # a confirmation of another pending secret (replaced meanwhile) writes nothing
    stale = PendingTotp(who.id, pyotp.random_base32(), NOW + 600)
    counts = await store.entry_counts()
    assert not await store.confirm_totp_reenrollment(stale, 70, NOW, [event("x")])
    assert await store.entry_counts() == counts
    assert await store.confirm_totp_reenrollment(waiting, 70, NOW, [event("totp_reenrolled")])
    after = await store.get_principal(who.id)
    assert after is not None
    assert (after.totp_secret, after.totp_last_step) == (secret, 70)
    assert await store.pending_totp(who.id, NOW) is None
    assert not await store.confirm_totp_reenrollment(waiting, 71, NOW, [])
    assert "totp_reenrolled" in [e.event for e in await store.audit_events()]


async def test_the_sweep_takes_expired_proofs_and_pending_secrets(store: Store) -> None:
    who, (mine, _, _) = await owner_with_sessions(store)
    await started(store, who, mine)
    enrol = await started(store, who, mine)
    await store.begin_totp_reenrollment(
        enrol.id,
        NOW,
        proven(who, enrol, mine, totp_step=5),
        PendingTotp(who.id, pyotp.random_base32(), NOW + 600),
        [],
    )
    assert await store.purge_expired(NOW, invitation_lifetime=HOUR, failure_window=HOUR) == 0
    assert (await store.entry_counts())["state_db"] == 2  # one proof, one pending secret
    await store.purge_expired(NOW + 601, invitation_lifetime=HOUR, failure_window=HOUR)
    assert (await store.entry_counts())["state_db"] == 0


# -- MFA recovery ----------------------------------------------------------------------------


async def recovery_started(
    store: Store, who: Principal, token: str, *, now: float = NOW
) -> PendingProof:
    pending = proof_state(who, None, now=now)
    assert (
        await store.begin_proof(pending, attempt(NAME_LIMIT, now), recovery_invite=token)
    ).admitted
    return pending


async def test_mfa_recovery(store: Store) -> None:
    who = await registered(store, "owner")
    await store.put_recovery_invite(
        "token", RecoveryInvite(principal_id=who.id, issued_at=NOW, expires_at=NOW + HOUR)
    )
    pending = await recovery_started(store, who, "token")
    assert pending.invite is not None
    found, _, _ = await store.proof_to_finish(pending.id, NOW, lambda p: attempt([]), recovery=True)
    assert found == pending
    # a wrong password: spent, the invite stays
    await store.fail_proof(pending, [event("mfa_recovery_failed")])
    assert await store.get_recovery_invite("token", NOW) is not None
    assert await recent_failures(store, ["name:owner"], NOW - 1) == [1]
    pending = await recovery_started(store, who, "token")
    secret, codes = pyotp.random_base32(), recovery()
    assert who.sealing_public_key is None  # registered before sealing keys were kept
    key = os.urandom(32)
    updated = await store.complete_mfa_recovery(
        pending.id,
        NOW,
        secret,
        codes,
        pending.counted,
        pending.started_at,
        [event("mfa_recovered")],
        sealing_public_key=key,
    )
    assert (updated.totp_secret, updated.totp_last_step) == (secret, 0)
    assert updated.sealing_public_key == key  # kept, as there was none
    assert await store.get_principal(who.id) == updated
    assert await store.recovery_codes(who.id) == codes
    assert await store.get_recovery_invite("token", NOW) is None  # single use
    assert await recent_failures(store, ["name:owner"], NOW - 1) == [1]  # this one forgiven
    assert "mfa_recovered" in [e.event for e in await store.audit_events()]
    await unchanged(
        store,
        lambda: store.complete_mfa_recovery(pending.id, NOW, secret, codes, [], 0.0, []),
        ErrorCode.RECOVERY_NOT_FOUND,
    )
    # a key on record is never replaced by a recovery
    await store.put_recovery_invite(
        "token-2", RecoveryInvite(principal_id=who.id, issued_at=NOW, expires_at=NOW + HOUR)
    )
    again = await recovery_started(store, who, "token-2")
    updated = await store.complete_mfa_recovery(
        again.id, NOW, secret, codes, [], 0.0, [], sealing_public_key=os.urandom(32)
    )
    assert updated.sealing_public_key == key
    await unchanged(
        store,
        lambda: store.begin_proof(
            proof_state(who, None), attempt(NAME_LIMIT), recovery_invite="token"
        ),
        ErrorCode.RECOVERY_INVITE_INVALID,
    )


async def test_a_recovery_invite_is_bound_and_used_once(store: Store) -> None:
    who = await registered(store, "owner")
    other = await registered(store, "other")
    await store.put_recovery_invite(
        "token", RecoveryInvite(principal_id=who.id, issued_at=NOW, expires_at=NOW + HOUR)
    )
    # for another account, or expired: refused, nothing written
    await unchanged(
        store,
        lambda: store.begin_proof(
            proof_state(other, None), attempt(NAME_LIMIT), recovery_invite="token"
        ),
        ErrorCode.RECOVERY_INVITE_INVALID,
    )
    await unchanged(
        store,
        lambda: store.begin_proof(
            proof_state(who, None, now=NOW + HOUR),
            attempt(NAME_LIMIT, NOW + HOUR),
            recovery_invite="token",
        ),
        ErrorCode.RECOVERY_INVITE_INVALID,
    )
    # two recoveries started with one invite, finished at once: exactly one succeeds
    first, second = [await recovery_started(store, who, "token") for _ in range(2)]
    outcomes = await asyncio.gather(
        *(
            store.complete_mfa_recovery(
                p.id, NOW, pyotp.random_base32(), recovery(), [], 0.0, [event("mfa_recovered")]
            )
            for p in (first, second)
        ),
        return_exceptions=True,
    )
    won = [o for o in outcomes if isinstance(o, Principal)]
    lost = [o for o in outcomes if isinstance(o, ProblemError)]
    assert len(won) == 1
    assert [e.code for e in lost] == [ErrorCode.RECOVERY_INVITE_INVALID]
    after = await store.get_principal(who.id)
    assert after == won[0]
    assert [e.event for e in await store.audit_events()].count("mfa_recovered") == 1
    assert isinstance(await store.recovery_codes(who.id), RecoveryCodes)


async def test_pending_secrets_and_proofs_are_sealed_at_rest(place: Place, store: Store) -> None:
    who, (mine, _, _) = await owner_with_sessions(store)
    enrol = await started(store, who, mine)
    secret = pyotp.random_base32(32)
    await store.begin_totp_reenrollment(
        enrol.id,
        NOW,
        proven(who, enrol, mine, totp_step=5),
        PendingTotp(who.id, secret, NOW + 600),
        [],
    )
    proof = await started(store, who, mine)
    await store.put_recovery_invite(
        "recovery-token", RecoveryInvite(principal_id=who.id, issued_at=NOW, expires_at=NOW + HOUR)
    )
    recovering = await recovery_started(store, who, "recovery-token")
    await store.backend.close()
    raw = await place.at_rest()
    assert b"owner" in raw  # readable where nothing is secret (the name index)
    for needle in (
        secret.encode(),
        proof.server_state,
        recovering.server_state,
        proof.id.encode(),
        recovering.id.encode(),
        b"recovery-token",
        b'"totp_secret"',
        b'"server_state"',
    ):
        assert needle not in raw, needle
