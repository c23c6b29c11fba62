"""The store: each public method is one atomic domain step, written once for every backend.

A step is a coroutine over one transaction (`kv.Txn`); the backend (LMDB or PostgreSQL)
runs it so that all of it is committed or none of it, also across worker processes and
servers. Secrets are sealed here, with the keyring, before any backend sees them: the
table name and the record key are the associated data, so a value moved to another
record does not open.
"""

from __future__ import annotations

import array
import contextvars
import hashlib
import logging
import math
import os
import struct
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from ..errors import ErrorCode, ProblemError
from ..keyring import Keyring, KeyringError
from ..names import NameRefused, legacy_key, lookup_key, parse_name
from .kv import TABLES, Backend, Step, Txn, prefix_end
from .records import (
    AccountFacts,
    Attempt,
    AuditEvent,
    Invitation,
    InviteToken,
    IssuedInvitations,
    LoginOutcome,
    LoginSuccess,
    NewSession,
    PendingLogin,
    PendingProof,
    PendingRegistration,
    PendingTotp,
    Principal,
    ProofSuccess,
    Record,
    RecoveryCodes,
    RecoveryInvite,
    Session,
    Verdict,
    record_digest,
)

log = logging.getLogger("quart_invite_auth")

_R = TypeVar("_R", bound=Record)
_T = TypeVar("_T")
# The audit events the write step being run has written so far (see Store._commit).
_WRITTEN: contextvars.ContextVar[list[AuditEvent]] = contextvars.ContextVar("written")
OnCommit = Callable[[Sequence[AuditEvent]], Awaitable[None]]

# Tables whose values are sealed with the keyring.
SEALED = frozenset({"meta", "state_db", "account_db", "recovery_db", "invitation_db"})
# Tables with records that expire, and how many deletions one write transaction holds.
_PURGED = ("invite_db", "session_db", "invitation_db", "state_db", "counter_db")
_PURGE_BATCH = 256
# How many audit events one read of the administration's audit log takes at a time.
_AUDIT_BATCH = 256
_PRIVILEGED = b"privileged:"
# invitation_db: per issuer, the outstanding invitations (the quota's count).
_ISSUER = b"issuer:"
# meta: which compared form the name index is keyed by (see migrate_names).
_NAMES_VERSION_KEY = b"names_version"
NAMES_VERSION = b"2"


def _pack_times(times: list[float]) -> bytes:
    # Packed float64s: a per-address counter keeps up to a few hundred timestamps and is
    # read and rewritten on every login start, where JSON cost tens of microseconds.
    return array.array("d", times).tobytes()


def _unpack_times(raw: bytes | None) -> list[float]:
    if raw is None:
        return []
    times = array.array("d")
    times.frombytes(raw)
    return times.tolist()


def _invitation_key(invitation_id: str) -> bytes:
    # An invitation id is a bearer capability: like a session token it is kept only as a
    # hash, so a copy of the data file cannot accept the outstanding invitations.
    return hashlib.sha256(b"invitation\x00" + invitation_id.encode()).digest()


def _registration_key(registration_id: str) -> bytes:
    # Pending registration and login ids are bearer handles too: whoever holds one can
    # finish the registration (and receive the MFA bundle) or the login. Kept as hashes.
    return b"reg:" + hashlib.sha256(b"registration\x00" + registration_id.encode()).digest()


def _login_key(login_id: str) -> bytes:
    return b"login:" + hashlib.sha256(b"login\x00" + login_id.encode()).digest()


def _recovery_invite_key(token: str) -> bytes:
    return b"recovery:" + hashlib.sha256(b"recovery invite\x00" + token.encode()).digest()


def _reauth_key(reauth_id: str) -> bytes:
    # A fresh proof's handle is a bearer handle too (though bound to a session): hashed.
    return b"reauth:" + hashlib.sha256(b"reauth\x00" + reauth_id.encode()).digest()


def _mfa_recovery_key(recovery_id: str) -> bytes:
    return b"mfarec:" + hashlib.sha256(b"mfa recovery\x00" + recovery_id.encode()).digest()


def _proof_key(pending: PendingProof) -> bytes:
    return _mfa_recovery_key(pending.id) if pending.invite is not None else _reauth_key(pending.id)


def _totp_enrollment_key(principal_id: str) -> bytes:
    # One pending TOTP re-enrolment per account: a new one replaces the last.
    return b"totp:" + principal_id.encode()


def _issuer_key(principal_id: str) -> bytes:
    return _ISSUER + principal_id.encode()


def _invitation_ref(key: bytes) -> str:
    return key[:8].hex()


# index_db: an account's sessions, under "session:" + principal id + NUL + token hash.
_SESSION_INDEX = b"session:"


def _session_index_prefix(principal_id: str) -> bytes:
    return _SESSION_INDEX + principal_id.encode() + b"\x00"


def _session_index_key(principal_id: str, token_hash: bytes) -> bytes:
    return _session_index_prefix(principal_id) + token_hash


# index_db: an issuer's invitations by ref, under "invitation:" + issuer id + NUL + ref,
# holding the invitation's key: how the issuer revokes one it knows only by its ref.
_INVITATION_INDEX = b"invitation:"


def _invitation_index_key(issuer: str, ref: str) -> bytes:
    return _INVITATION_INDEX + issuer.encode() + b"\x00" + ref.encode()


def invitation_key_ref(invitation_id: str) -> str:
    """The ref an issuer lists and revokes an invitation by (see `invitations_of`)."""
    return _invitation_ref(_invitation_key(invitation_id))


def _held_invite(held: PendingRegistration) -> InviteToken:
    """The invite token a started registration holds, as invite_db kept it before."""
    return InviteToken(
        jti=held.jti,
        expires_at=held.invite_expires_at,
        issued_at=held.invite_issued_at,
        issued_by=held.issued_by,
        domain=held.domain,
        account=held.account,
        privileged=held.privileged,
    )


class StoreCorruptError(Exception):
    """A sealed value could not be opened with any configured secret."""


class Store:
    def __init__(self, backend: Backend, keyring: Keyring) -> None:
        self.backend = backend
        self._keyring = keyring
        # Told of the audit events each write committed, once it has committed (hooks).
        self.on_commit: OnCommit | None = None

    async def close(self) -> None:
        await self.backend.close()

    async def _commit(self, step: Step[_T], *, offload: bool = False) -> _T:
        """Run a write step; then pass the audit events it committed to `on_commit`."""
        written: list[AuditEvent] = []

        async def run(txn: Txn) -> _T:
            written.clear()  # a backend may run a step again: only the last run commits
            token = _WRITTEN.set(written)
            try:
                return await step(txn)
            finally:
                _WRITTEN.reset(token)

        result = await self.backend.write(run, offload=offload)
        if written and self.on_commit is not None:
            await self.on_commit(list(written))
        return result

    # -- sealed values -----------------------------------------------------------------

    async def _put(self, txn: Txn, table: str, key: bytes, value: bytes) -> None:
        if table in SEALED:
            value = self._keyring.seal(table, key, value)
        await txn.put(table, key, value)

    async def _insert(self, txn: Txn, table: str, key: bytes, value: bytes) -> bool:
        if table in SEALED:
            value = self._keyring.seal(table, key, value)
        return await txn.insert(table, key, value)

    def _open(self, table: str, key: bytes, raw: bytes) -> bytes:
        if table not in SEALED:
            return raw
        try:
            return self._keyring.open(table, key, raw)
        except KeyringError as exc:
            raise StoreCorruptError(f"{table}: {exc}") from exc

    async def _get_raw(self, txn: Txn, table: str, key: bytes) -> bytes | None:
        raw = await txn.get(table, key)
        return None if raw is None else self._open(table, key, raw)

    async def _get(self, txn: Txn, table: str, key: bytes, cls: type[_R]) -> _R | None:
        raw = await self._get_raw(txn, table, key)
        return None if raw is None else cls.from_json(raw)

    # -- server setup ------------------------------------------------------------------

    async def server_setup(self, generate: Callable[[], bytes]) -> bytes:
        async def existing(txn: Txn) -> bytes | None:
            return await self._get_raw(txn, "meta", b"server_setup")

        found = await self.backend.read(existing)
        if found is not None:
            return found
        setup = generate()

        async def create(txn: Txn) -> bytes:
            # Another worker may have won the race between the two transactions.
            if (won := await existing(txn)) is not None:
                return won
            await self._put(txn, "meta", b"server_setup", setup)
            return setup

        return await self._commit(create)

    # -- principals --------------------------------------------------------------------

    async def name_owner(self, name: str) -> str | None:
        key = lookup_key(name)
        if key is None:
            return None

        async def step(txn: Txn) -> str | None:
            owner = await txn.get("name_db", key)
            return None if owner is None else owner.decode()

        return await self.backend.read(step)

    async def domain_owner(self, domain: str) -> str | None:
        async def step(txn: Txn) -> str | None:
            owner = await txn.get("domain_db", domain.encode())
            return None if owner is None else owner.decode()

        return await self.backend.read(step)

    async def get_principal(self, principal_id: str) -> Principal | None:
        async def step(txn: Txn) -> Principal | None:
            return await self._get(txn, "account_db", principal_id.encode(), Principal)

        return await self.backend.read(step)

    async def principals(self) -> list[Principal]:
        """Every account and login, for administration and consistency checks."""

        async def step(txn: Txn) -> list[Principal]:
            return [
                Principal.from_json(self._open("account_db", key, raw))
                for key, raw in await txn.range("account_db")
            ]

        return await self.backend.read(step, offload=True)

    async def principal_by_name(self, name: str) -> Principal | None:
        key = lookup_key(name)
        if key is None:
            return None

        async def step(txn: Txn) -> Principal | None:
            return await self._principal_by_key(txn, key)

        return await self.backend.read(step)

    async def _principal_by_key(self, txn: Txn, key: bytes | None) -> Principal | None:
        owner = None if key is None else await txn.get("name_db", key)
        if owner is None:
            return None
        return await self._get(txn, "account_db", owner, Principal)

    async def login_lookup(self, name: str, attempt: Attempt) -> tuple[Verdict, Principal | None]:
        """How `attempt` would be judged now, and who `name` belongs to, from one
        snapshot: the read on the hot path of every login (see `judge`)."""
        key = lookup_key(name)

        async def step(txn: Txn) -> tuple[Verdict, Principal | None]:
            verdict, _ = await self._judge(txn, attempt)
            return verdict, await self._principal_by_key(txn, key)

        return await self.backend.read(step)

    async def count_principals(self) -> int:
        async def step(txn: Txn) -> int:
            return await txn.count("account_db")

        return await self.backend.read(step)

    async def _add_principal(self, txn: Txn, principal: Principal) -> None:
        try:
            key = parse_name(principal.name).key
        except NameRefused as exc:
            raise ProblemError(ErrorCode.INVALID_NAME, str(exc)) from exc
        if await txn.get("name_db", key) is not None:
            code = ErrorCode.ACCOUNT_EXISTS if principal.kind == "opaque" else ErrorCode.NAME_TAKEN
            raise ProblemError(code, f"the name {principal.name!r} is already in use")
        if principal.domain is not None and not await txn.insert(
            "domain_db", principal.domain.encode(), principal.id.encode()
        ):
            raise ProblemError(ErrorCode.DOMAIN_TAKEN, f"{principal.domain} already has an owner")
        await txn.put("name_db", key, principal.id.encode())
        if principal.privileged:
            await txn.put("role_db", _PRIVILEGED + principal.id.encode(), b"")
        if not await self._insert(txn, "account_db", principal.id.encode(), principal.to_json()):
            raise RuntimeError("principal id collision")

    async def add_principal(self, principal: Principal, events: Sequence[AuditEvent] = ()) -> None:
        """Create an account or login directly (administration and host test suites)."""

        async def step(txn: Txn) -> None:
            await self._add_principal(txn, principal)
            await self._audit(txn, events)

        await self._commit(step)

    async def has_privileged(self) -> bool:
        async def step(txn: Txn) -> bool:
            return bool(await txn.range("role_db", _PRIVILEGED, prefix_end(_PRIVILEGED), limit=1))

        return await self.backend.read(step)

    async def create_first_principal(
        self, principal: Principal, session: NewSession, events: Sequence[AuditEvent] = ()
    ) -> None:
        async def step(txn: Txn) -> None:
            if await txn.count("account_db"):
                raise ProblemError(ErrorCode.SETUP_DONE)
            await self._add_principal(txn, principal)
            await self._put_session(txn, session)
            await self._audit(txn, events)

        await self._commit(step)

    # -- seed 000: invites and registration --------------------------------------------

    async def put_invite(self, invite: InviteToken, events: Sequence[AuditEvent] = ()) -> None:
        async def step(txn: Txn) -> None:
            await txn.put("invite_db", invite.jti.encode(), invite.to_json())
            await self._audit(txn, events)

        await self._commit(step)

    async def begin_registration(
        self, pending: PendingRegistration, now: float, events: Sequence[AuditEvent] = ()
    ) -> None:
        jti = pending.jti.encode()

        async def step(txn: Txn) -> None:
            token = await txn.get("invite_db", jti)
            if token is not None and InviteToken.from_json(token).revoked_at is not None:
                raise ProblemError(ErrorCode.INVITE_REVOKED)
            if pending.issued_by is not None and not await self._live_issuer(
                txn, pending.issued_by, privileged=True
            ):
                # what a disabled, deleted or demoted administrator issued is revoked with it
                raise ProblemError(
                    ErrorCode.INVITE_REVOKED,
                    "the account that issued this invite can no longer issue invites",
                )
            if not await txn.delete("invite_db", jti):
                # Not in invite_db: used, or held by a registration that was started. A
                # start whose registration expired unfinished gives the invite back, so a
                # lost connection does not cost the invitee the invite.
                held = await txn.get("state_db", b"jti:" + jti)
                old = (
                    None
                    if held is None
                    else await self._get(txn, "state_db", held, PendingRegistration)
                )
                if held is None or old is None:
                    raise ProblemError(ErrorCode.INVITE_USED)
                if old.expires_at > now:
                    raise ProblemError(
                        ErrorCode.INVITE_USED,
                        "a registration with this invite is in progress; finish it, or start "
                        "again after it expires",
                    )
                await txn.delete("state_db", held)
            await self._check_free(txn, pending.account, pending.domain)
            # jti: entries are not sealed: they hold only the key of the registration (a
            # hash, which cannot finish it); the registration itself is sealed.
            reg_key = _registration_key(pending.id)
            await txn.put("state_db", b"jti:" + jti, reg_key)
            await self._put(txn, "state_db", reg_key, pending.to_json())
            await self._audit(txn, events)

        await self._commit(step)

    async def _live_issuer(self, txn: Txn, principal_id: str, *, privileged: bool = False) -> bool:
        """Whether what `principal_id` issued may still be used: the issuer exists, is not
        disabled and (for what only privileged accounts issue) is still privileged."""
        issuer = await self._get(txn, "account_db", principal_id.encode(), Principal)
        return issuer is not None and not issuer.disabled and (issuer.privileged or not privileged)

    async def _check_free(self, txn: Txn, account: str, domain: str | None) -> None:
        key = lookup_key(account)
        if key is not None and await txn.get("name_db", key) is not None:
            raise ProblemError(ErrorCode.ACCOUNT_EXISTS)
        if domain is not None and await txn.get("domain_db", domain.encode()) is not None:
            raise ProblemError(ErrorCode.DOMAIN_TAKEN)

    async def get_pending_registration(
        self, registration_id: str, now: float
    ) -> PendingRegistration:
        async def step(txn: Txn) -> PendingRegistration | None:
            return await self._get(
                txn, "state_db", _registration_key(registration_id), PendingRegistration
            )

        pending = await self.backend.read(step)
        if pending is None or pending.expires_at <= now:
            raise ProblemError(ErrorCode.REGISTRATION_NOT_FOUND)
        return pending

    async def complete_registration(
        self,
        registration_id: str,
        principal: Principal,
        recovery: RecoveryCodes,
        now: float,
        events: Sequence[AuditEvent] = (),
    ) -> None:
        reg_key = _registration_key(registration_id)

        async def step(txn: Txn) -> None:
            pending = await self._get(txn, "state_db", reg_key, PendingRegistration)
            if pending is None or pending.expires_at <= now:
                raise ProblemError(ErrorCode.REGISTRATION_NOT_FOUND)
            await self._add_principal(txn, principal)
            await self._put(txn, "recovery_db", principal.id.encode(), recovery.to_json())
            await txn.delete("state_db", reg_key)
            await txn.delete("state_db", b"jti:" + pending.jti.encode())
            await self._audit(txn, events)

        await self._commit(step)

    # -- login -------------------------------------------------------------------------

    async def begin_login(self, pending: PendingLogin, attempt: Attempt) -> Verdict:
        """Keep the login state and count the attempt as a failure, in one transaction;
        not admitted, with nothing written, if the attempt's limits are already reached.
        The state records which counters hold the failure, to take it back on KE3."""

        async def step(txn: Txn) -> Verdict:
            verdict, read = await self._judge(txn, attempt)
            if not verdict.admitted:
                return verdict
            # set, not copied: the same values if the step runs again
            pending.counted = list(verdict.keys)
            pending.trusted = verdict.trusted
            await self._put(txn, "state_db", _login_key(pending.id), pending.to_json())
            await self._count(txn, attempt, verdict.keys, read)
            return verdict

        # Login start is the hottest write: the loop serves others while the disk syncs.
        return await self._commit(step, offload=True)

    async def get_pending_login(self, login_id: str, now: float) -> PendingLogin:
        async def step(txn: Txn) -> PendingLogin | None:
            return await self._get(txn, "state_db", _login_key(login_id), PendingLogin)

        pending = await self.backend.read(step)
        if pending is None or pending.expires_at <= now:
            raise ProblemError(ErrorCode.LOGIN_NOT_FOUND)
        return pending

    async def login_to_finish(
        self, login_id: str, now: float, second_factor: Callable[[PendingLogin], Attempt]
    ) -> tuple[PendingLogin, Principal | None, Verdict]:
        """A login attempt, the principal it is for (None: nobody), and how its second
        factor (`second_factor(pending)`) would be judged once the failure counted at
        its start is taken back: one read, on the hot path of every login finish."""

        async def step(txn: Txn) -> tuple[PendingLogin | None, Principal | None, Verdict]:
            pending = await self._get(txn, "state_db", _login_key(login_id), PendingLogin)
            if pending is None:
                return None, None, Verdict(False)
            principal = (
                None
                if pending.principal_id is None
                else await self._get(txn, "account_db", pending.principal_id.encode(), Principal)
            )
            verdict = await self._judge_forgiving(
                txn, second_factor(pending), pending.counted, pending.started_at
            )
            return pending, principal, verdict

        pending, principal, verdict = await self.backend.read(step)
        if pending is None or pending.expires_at <= now:
            raise ProblemError(ErrorCode.LOGIN_NOT_FOUND)
        return pending, principal, verdict

    async def fail_login(
        self,
        login_id: str,
        events: Sequence[AuditEvent],
        *,
        failure: Attempt | None = None,
        forgive_keys: Sequence[str] = (),
        forgive_at: float = 0.0,
    ) -> bool:
        """Spend the login attempt, adjust the failure counters and log it, in one
        transaction; False (attempt spent, nothing counted or logged) if `failure`'s
        limits were already reached."""

        return await self._spend_failed(
            _login_key(login_id), events, failure, forgive_keys, forgive_at
        )

    async def _spend_failed(
        self,
        key: bytes,
        events: Sequence[AuditEvent],
        failure: Attempt | None,
        forgive_keys: Sequence[str],
        forgive_at: float,
    ) -> bool:
        """What a failed login and a failed proof both do, in one transaction: spend the
        state at `key`, take back the failure counted at its start if asked, count
        `failure` and log `events` unless its limits were already reached (False)."""

        async def step(txn: Txn) -> bool:
            await txn.delete("state_db", key)
            await self._forgive(txn, forgive_keys, forgive_at)
            if failure is not None:
                verdict, read = await self._judge(txn, failure)
                if not verdict.admitted:
                    return False
                await self._count(txn, failure, verdict.keys, read)
            await self._audit(txn, events)
            return True

        return await self._commit(step)

    async def complete_login(
        self,
        login_id: str,
        now: float,
        success: LoginSuccess,
        events: Sequence[AuditEvent],
        failed: Sequence[AuditEvent] = (),
    ) -> LoginOutcome:
        """Spend the attempt and its second factor, take back the failure counted at its
        start and create the session, in one transaction; "ok" only if all of it holds.
        "locked" if the second factor's limits were already reached; a second factor
        spent meanwhile counts a failure and logs `failed`."""
        login_key = _login_key(login_id)

        async def step(txn: Txn) -> LoginOutcome:
            pending = await self._get(txn, "state_db", login_key, PendingLogin)
            if pending is None or pending.expires_at <= now:
                return "gone"  # a concurrent finish consumed it first
            # Read once: the record check, the TOTP step and the session's check use it.
            principal = await self._get(txn, "account_db", success.principal_id.encode(), Principal)
            await txn.delete("state_db", login_key)
            if pending.record and (
                principal is None or record_digest(principal.opaque_record) != pending.record
            ):
                # KE3 proved the password the account had when the login started; it has
                # changed since. Spent, and its failure stays counted.
                return "stale"
            # Whatever follows, the attempt is spent and the password was proven.
            await self._forgive(txn, success.forgive_keys, success.forgive_at)
            verdict, read = await self._judge(txn, success.mfa)
            if not verdict.admitted:
                return "locked"
            outcome = await self._use_second_factor(txn, success, principal)
            if outcome != "ok":
                await self._count(txn, success.mfa, verdict.keys, read)
                await self._audit(txn, failed)
                return outcome
            await self._put_session(txn, success.session, principal)
            await self._audit(txn, events)
            return "ok"

        return await self._commit(step)

    async def _use_second_factor(
        self, txn: Txn, success: LoginSuccess | ProofSuccess, principal: Principal | None
    ) -> LoginOutcome:
        """Spend the second factor of `success`; `principal` is its account as read in
        this transaction (its last TOTP step is moved on in place)."""
        key = success.principal_id.encode()
        if success.totp_step is not None:
            if principal is None or success.totp_step <= principal.totp_last_step:
                return "replayed"
            principal.totp_last_step = success.totp_step
            await self._put(txn, "account_db", key, principal.to_json())
            return "ok"
        index = success.recovery_index
        codes = await self._get(txn, "recovery_db", key, RecoveryCodes)
        if index is None or codes is None or not 0 <= index < len(codes.hashes):
            return "used"
        if codes.hashes[index] is None:
            return "used"
        codes.hashes[index] = None
        await self._put(txn, "recovery_db", key, codes.to_json())
        return "ok"

    # -- MFA recovery invites (administration resets an account's MFA) -------------------

    async def put_recovery_invite(
        self, token: str, invite: RecoveryInvite, events: Sequence[AuditEvent] = ()
    ) -> None:
        """Keep a recovery invite under the hash of its token; an earlier one for the same
        principal stays valid until it is used or expires."""

        async def step(txn: Txn) -> None:
            if await self._get(txn, "account_db", invite.principal_id.encode(), Principal) is None:
                raise ProblemError(ErrorCode.ACCOUNT_NOT_FOUND)
            await self._put(txn, "state_db", _recovery_invite_key(token), invite.to_json())
            await self._audit(txn, events)

        await self._commit(step)

    async def get_recovery_invite(self, token: str, now: float) -> RecoveryInvite | None:
        """The live recovery invite for a token, or None (unknown, used or expired)."""

        async def step(txn: Txn) -> RecoveryInvite | None:
            return await self._get(txn, "state_db", _recovery_invite_key(token), RecoveryInvite)

        found = await self.backend.read(step)
        return None if found is None or found.expires_at <= now else found

    async def recovery_codes(self, principal_id: str) -> RecoveryCodes:
        async def step(txn: Txn) -> RecoveryCodes | None:
            return await self._get(txn, "recovery_db", principal_id.encode(), RecoveryCodes)

        codes = await self.backend.read(step)
        return codes if codes is not None else RecoveryCodes(hashes=[])

    # -- fresh OPAQUE proof (password change, recovery codes, TOTP) and MFA recovery -----

    async def begin_proof(
        self, pending: PendingProof, attempt: Attempt, *, recovery_invite: str | None = None
    ) -> Verdict:
        """Keep the login state of a fresh proof (`pending.session` set) or of an MFA
        recovery with the invite `recovery_invite`, and count the attempt as a failure,
        in one transaction, as `begin_login` does; not admitted, with nothing written, if
        the limits are reached. A recovery invite must be live and bound to the
        principal, read in the same transaction (else `recovery_invite_invalid`)."""
        if recovery_invite is not None:
            pending.invite = _recovery_invite_key(recovery_invite)
        key = _proof_key(pending)

        async def step(txn: Txn) -> Verdict:
            if pending.invite is not None:
                invite = await self._get(txn, "state_db", pending.invite, RecoveryInvite)
                if (
                    invite is None
                    or invite.expires_at <= attempt.now
                    or invite.principal_id != pending.principal_id
                ):
                    raise ProblemError(ErrorCode.RECOVERY_INVITE_INVALID)
            verdict, read = await self._judge(txn, attempt)
            if not verdict.admitted:
                return verdict
            pending.counted = list(verdict.keys)
            pending.trusted = verdict.trusted
            await self._put(txn, "state_db", key, pending.to_json())
            await self._count(txn, attempt, verdict.keys, read)
            return verdict

        return await self._commit(step)

    async def proof_to_finish(
        self,
        proof_id: str,
        now: float,
        second_factor: Callable[[PendingProof], Attempt],
        *,
        recovery: bool = False,
    ) -> tuple[PendingProof, Principal | None, Verdict]:
        """A started proof (an MFA recovery's if `recovery`), its principal and how its
        second factor would be judged once the failure counted at its start is taken
        back (as `login_to_finish`); REAUTHENTICATION_NOT_FOUND or RECOVERY_NOT_FOUND if
        it is unknown, used or expired."""
        key = _mfa_recovery_key(proof_id) if recovery else _reauth_key(proof_id)

        async def step(txn: Txn) -> tuple[PendingProof | None, Principal | None, Verdict]:
            pending = await self._get(txn, "state_db", key, PendingProof)
            if pending is None:
                return None, None, Verdict(False)
            principal = await self._get(txn, "account_db", pending.principal_id.encode(), Principal)
            verdict = await self._judge_forgiving(
                txn, second_factor(pending), pending.counted, pending.started_at
            )
            return pending, principal, verdict

        pending, principal, verdict = await self.backend.read(step)
        if pending is None or pending.expires_at <= now:
            raise ProblemError(
                ErrorCode.RECOVERY_NOT_FOUND if recovery else ErrorCode.REAUTHENTICATION_NOT_FOUND
            )
        return pending, principal, verdict

    async def fail_proof(
        self,
        pending: PendingProof,
        events: Sequence[AuditEvent],
        *,
        failure: Attempt | None = None,
        forgive_keys: Sequence[str] = (),
        forgive_at: float = 0.0,
    ) -> bool:
        """Spend a proof that failed, adjust the failure counters and log it, in one
        transaction (as `fail_login`); False (spent, nothing counted or logged) if
        `failure`'s limits were already reached. An MFA recovery's invite stays usable."""
        return await self._spend_failed(
            _proof_key(pending), events, failure, forgive_keys, forgive_at
        )

    async def _prove(
        self,
        txn: Txn,
        proof_id: str,
        now: float,
        success: ProofSuccess,
        failed: Sequence[AuditEvent],
    ) -> tuple[LoginOutcome, Principal | None]:
        """The part every write behind a fresh proof begins with: consume the proof
        (which must still be there and belong to this principal and session), take back
        the failure counted at its start, and spend the second factor as a login does;
        then the principal as it now is. Not "ok" (and no principal): nothing else to do
        (a second factor spent meanwhile has been counted as a failure and `failed`
        logged)."""
        key = _reauth_key(proof_id)
        pending = await self._get(txn, "state_db", key, PendingProof)
        if (
            pending is None
            or pending.expires_at <= now
            or pending.principal_id != success.principal_id
            or pending.session != success.session
        ):
            return "gone", None
        await txn.delete("state_db", key)
        principal = await self._get(txn, "account_db", success.principal_id.encode(), Principal)
        if pending.record and (
            principal is None or record_digest(principal.opaque_record) != pending.record
        ):
            # proven against a record a password change has replaced since (also the
            # loser of two concurrent changes): spent, its failure stays counted
            return "stale", None
        await self._forgive(txn, success.forgive_keys, success.forgive_at)
        verdict, read = await self._judge(txn, success.mfa)
        if not verdict.admitted:
            return "locked", None
        # the same spending as a login's (a TOTP step written, or a code struck out)
        outcome = await self._use_second_factor(txn, success, principal)
        if outcome != "ok":
            await self._count(txn, success.mfa, verdict.keys, read)
            await self._audit(txn, failed)
            return outcome, None
        if principal is None or principal.disabled:
            return "gone", None
        return "ok", principal

    async def change_password(
        self,
        proof_id: str,
        now: float,
        success: ProofSuccess,
        record: bytes,
        sealing_public_key: bytes,
        events: Sequence[AuditEvent],
        failed: Sequence[AuditEvent] = (),
    ) -> tuple[LoginOutcome, int]:
        """Behind a fresh proof, in one transaction: the new OPAQUE record and sealing
        public key, and every other session of the account ended; returns the outcome
        (see `_prove`) and how many sessions ended. The old password fails from then on."""

        async def step(txn: Txn) -> tuple[LoginOutcome, int]:
            outcome, principal = await self._prove(txn, proof_id, now, success, failed)
            if principal is None:
                return outcome, 0
            principal.opaque_record = record
            principal.sealing_public_key = sealing_public_key
            await self._put(txn, "account_db", principal.id.encode(), principal.to_json())
            ended = await self._end_sessions(txn, principal.id, success.session)
            await self._audit(txn, events)
            return "ok", ended

        return await self._commit(step)

    async def regenerate_recovery_codes(
        self,
        proof_id: str,
        now: float,
        success: ProofSuccess,
        codes: RecoveryCodes,
        events: Sequence[AuditEvent],
        failed: Sequence[AuditEvent] = (),
    ) -> LoginOutcome:
        """Behind a fresh proof, in one transaction: `codes` replace every recovery code
        (the old ones, the one just spent included, stop working)."""

        async def step(txn: Txn) -> LoginOutcome:
            outcome, principal = await self._prove(txn, proof_id, now, success, failed)
            if principal is None:
                return outcome
            await self._put(txn, "recovery_db", principal.id.encode(), codes.to_json())
            await self._audit(txn, events)
            return "ok"

        return await self._commit(step)

    async def begin_totp_reenrollment(
        self,
        proof_id: str,
        now: float,
        success: ProofSuccess,
        pending: PendingTotp,
        events: Sequence[AuditEvent],
        failed: Sequence[AuditEvent] = (),
    ) -> LoginOutcome:
        """Behind a fresh proof, in one transaction: keep a new TOTP secret pending (it
        replaces an earlier pending one); the account's secret is not changed yet."""

        async def step(txn: Txn) -> LoginOutcome:
            outcome, principal = await self._prove(txn, proof_id, now, success, failed)
            if principal is None:
                return outcome
            key = _totp_enrollment_key(principal.id)
            await self._put(txn, "state_db", key, pending.to_json())
            await self._audit(txn, events)
            return "ok"

        return await self._commit(step)

    async def pending_totp(self, principal_id: str, now: float) -> PendingTotp | None:
        """The TOTP secret waiting for confirmation, or None (none, or expired)."""

        async def step(txn: Txn) -> PendingTotp | None:
            return await self._get(txn, "state_db", _totp_enrollment_key(principal_id), PendingTotp)

        found = await self.backend.read(step)
        return None if found is None or found.expires_at <= now else found

    async def confirm_totp_reenrollment(
        self, pending: PendingTotp, step_used: int, now: float, events: Sequence[AuditEvent]
    ) -> bool:
        """The pending secret (still the same one) replaces the account's, with the time
        step of the code that confirmed it as the last one used; False (nothing
        written) if it is no longer pending."""
        key = _totp_enrollment_key(pending.principal_id)

        async def step(txn: Txn) -> bool:
            current = await self._get(txn, "state_db", key, PendingTotp)
            if current is None or current.expires_at <= now or current != pending:
                return False
            account_key = pending.principal_id.encode()
            principal = await self._get(txn, "account_db", account_key, Principal)
            if principal is None:
                return False
            principal.totp_secret = pending.totp_secret
            principal.totp_last_step = step_used
            await self._put(txn, "account_db", account_key, principal.to_json())
            await txn.delete("state_db", key)
            await self._audit(txn, events)
            return True

        return await self._commit(step)

    async def complete_mfa_recovery(
        self,
        recovery_id: str,
        now: float,
        totp_secret: str,
        codes: RecoveryCodes,
        forgive_keys: Sequence[str],
        forgive_at: float,
        events: Sequence[AuditEvent],
        *,
        sealing_public_key: bytes | None = None,
    ) -> Principal:
        """The password was proven with a recovery invite: in one transaction, consume
        the recovery and its invite (single use), take back the failure counted at the
        start, and replace the TOTP secret (no step used yet) and every recovery code;
        `sealing_public_key` is kept if the account has none on record.
        RECOVERY_NOT_FOUND if the recovery was used or expired meanwhile,
        RECOVERY_INVITE_INVALID if its invite was."""
        key = _mfa_recovery_key(recovery_id)

        async def step(txn: Txn) -> Principal:
            pending = await self._get(txn, "state_db", key, PendingProof)
            if pending is None or pending.expires_at <= now or pending.invite is None:
                raise ProblemError(ErrorCode.RECOVERY_NOT_FOUND)
            invite = await self._get(txn, "state_db", pending.invite, RecoveryInvite)
            if (
                invite is None
                or invite.expires_at <= now
                or invite.principal_id != pending.principal_id
            ):
                raise ProblemError(ErrorCode.RECOVERY_INVITE_INVALID)
            if invite.issued_by is not None:
                # an invite dies with the administrator who gave it, as theirs can no
                # longer be trusted once disabled or deleted
                issuer = await self._get(txn, "account_db", invite.issued_by.encode(), Principal)
                if issuer is None or issuer.disabled or not issuer.privileged:
                    raise ProblemError(ErrorCode.RECOVERY_INVITE_INVALID)
            account_key = pending.principal_id.encode()
            principal = await self._get(txn, "account_db", account_key, Principal)
            if principal is None:
                raise ProblemError(ErrorCode.RECOVERY_INVITE_INVALID)
            if principal.disabled:
                raise ProblemError(ErrorCode.ACCOUNT_DISABLED)
            if pending.record and record_digest(principal.opaque_record) != pending.record:
                # proven with the password the account had before a change
                raise ProblemError(ErrorCode.LOGIN_FAILED, "the password changed meanwhile")
            await txn.delete("state_db", key)
            await txn.delete("state_db", pending.invite)
            await txn.delete("state_db", _totp_enrollment_key(principal.id))
            await self._forgive(txn, forgive_keys, forgive_at)
            principal.totp_secret = totp_secret
            principal.totp_last_step = 0
            if principal.sealing_public_key is None:
                principal.sealing_public_key = sealing_public_key
            await self._put(txn, "account_db", account_key, principal.to_json())
            await self._put(txn, "recovery_db", account_key, codes.to_json())
            await self._audit(txn, events)
            return principal

        return await self._commit(step)

    # -- seed 003: invitations ---------------------------------------------------------

    async def put_invitation(
        self,
        invitation: Invitation,
        events: Sequence[AuditEvent] = (),
        *,
        quota: int | None = None,
        lifetime: float = 0.0,
    ) -> None:
        """Store a new invitation, unless its issuer already has `quota` outstanding
        (not accepted, not expired): then TOO_MANY_INVITATIONS, with nothing written."""
        key = _invitation_key(invitation.id)
        issuer_key = _issuer_key(invitation.issuer)
        now = invitation.issued_at

        async def step(txn: Txn) -> None:
            issued = await self._get(txn, "invitation_db", issuer_key, IssuedInvitations)
            outstanding = [
                entry
                for entry in (issued.outstanding if issued is not None else [])
                if entry[0] + lifetime > now
            ]
            if quota is not None and len(outstanding) >= quota:
                oldest = min(entry[0] for entry in outstanding)
                retry_after = max(1, math.ceil(oldest + lifetime - now))
                raise ProblemError(
                    ErrorCode.TOO_MANY_INVITATIONS,
                    f"at most {quota} invitations can be outstanding at once; one expires "
                    f"in {retry_after} s, or wait for one to be accepted",
                    headers={"Retry-After": str(retry_after)},
                )
            outstanding.append([now, _invitation_ref(key)])
            await self._put(
                txn,
                "invitation_db",
                issuer_key,
                IssuedInvitations(outstanding=outstanding).to_json(),
            )
            await self._put(txn, "invitation_db", key, invitation.to_json())
            await txn.put(
                "index_db", _invitation_index_key(invitation.issuer, _invitation_ref(key)), key
            )
            await self._audit(txn, events)

        await self._commit(step)

    async def get_invitation(self, invitation_id: str) -> Invitation | None:
        async def step(txn: Txn) -> Invitation | None:
            return await self._get(txn, "invitation_db", _invitation_key(invitation_id), Invitation)

        return await self.backend.read(step)

    async def accept_invitation(
        self,
        invitation_id: str,
        principal: Principal,
        now: float,
        lifetime: float,
        session: NewSession,
        events: Sequence[AuditEvent] = (),
    ) -> None:
        key = _invitation_key(invitation_id)

        async def step(txn: Txn) -> None:
            invitation = await self._get(txn, "invitation_db", key, Invitation)
            if (
                invitation is None
                or invitation.accepted_by is not None
                or invitation.issued_at + lifetime <= now
                # an invitation dies with its issuer (administration deleted it), and
                # sleeps while its issuer is disabled
                or not await self._live_issuer(txn, invitation.issuer)
            ):
                raise ProblemError(ErrorCode.INVITATION_NOT_FOUND)
            await self._add_principal(txn, principal)
            invitation.accepted_by = principal.id
            invitation.accepted_at = now
            await self._put(txn, "invitation_db", key, invitation.to_json())
            # no longer outstanding: it leaves its issuer's quota
            issuer_key = _issuer_key(invitation.issuer)
            issued = await self._get(txn, "invitation_db", issuer_key, IssuedInvitations)
            if issued is not None:
                ref = _invitation_ref(key)
                issued.outstanding = [e for e in issued.outstanding if e[1] != ref]
                await self._put(txn, "invitation_db", issuer_key, issued.to_json())
            await txn.delete(
                "index_db", _invitation_index_key(invitation.issuer, _invitation_ref(key))
            )
            await self._put_session(txn, session)
            await self._audit(txn, events)

        await self._commit(step)

    # -- seed 003: an issuer's own invitations (self-service) ---------------------------

    async def invitations_of(self, issuer: str, now: float, lifetime: float) -> list[list[Any]]:
        """The issuer's outstanding invitations (not accepted, revoked or expired) as
        [issued_at, ref], oldest first."""

        async def step(txn: Txn) -> IssuedInvitations | None:
            return await self._get(txn, "invitation_db", _issuer_key(issuer), IssuedInvitations)

        issued = await self.backend.read(step)
        outstanding = [] if issued is None else issued.outstanding
        return sorted(
            (entry for entry in outstanding if entry[0] + lifetime > now), key=lambda e: e[0]
        )

    async def find_invitation(self, issuer: str, ref: str) -> Invitation | None:
        """The invitation `issuer` issued under `ref`, if its index entry is there
        (accepted, revoked or swept ones have none; another issuer's ref finds nothing)."""

        async def step(txn: Txn) -> Invitation | None:
            key = await txn.get("index_db", _invitation_index_key(issuer, ref))
            return None if key is None else await self._get(txn, "invitation_db", key, Invitation)

        return await self.backend.read(step)

    async def revoke_invitation(
        self,
        invitation_id: str,
        issuer: str,
        now: float,
        lifetime: float,
        events: Sequence[AuditEvent] = (),
    ) -> None:
        """Delete an outstanding invitation of `issuer`, its quota entry and its index
        entry, in one step: afterwards it is unknown to everyone, as an accepted one is.
        INVITATION_NOT_FOUND, with nothing written, if it is not `issuer`'s or is no
        longer outstanding."""
        key = _invitation_key(invitation_id)
        ref = _invitation_ref(key)

        async def step(txn: Txn) -> None:
            invitation = await self._get(txn, "invitation_db", key, Invitation)
            if (
                invitation is None
                or invitation.issuer != issuer
                or invitation.accepted_by is not None
                or invitation.issued_at + lifetime <= now
            ):
                raise ProblemError(ErrorCode.INVITATION_NOT_FOUND)
            await txn.delete("invitation_db", key)
            await txn.delete("index_db", _invitation_index_key(issuer, ref))
            issuer_key = _issuer_key(issuer)
            issued = await self._get(txn, "invitation_db", issuer_key, IssuedInvitations)
            if issued is not None:
                issued.outstanding = [e for e in issued.outstanding if e[1] != ref]
                await self._put(txn, "invitation_db", issuer_key, issued.to_json())
            await self._audit(txn, events)

        await self._commit(step)

    # -- sessions, keyed by a hash of the token ----------------------------------------

    async def put_session(self, session: NewSession, events: Sequence[AuditEvent] = ()) -> None:
        async def step(txn: Txn) -> None:
            await self._put_session(txn, session)
            await self._audit(txn, events)

        await self._commit(step)

    async def _put_session(
        self, txn: Txn, session: NewSession, principal: Principal | None = None
    ) -> None:
        """Store a session with its index entry. Refused when its principal is disabled
        or gone, read in this transaction (or passed in, when the caller has read it in
        this transaction already): a login racing a disable or a delete either commits
        first (and its session is ended with the others) or is refused here."""
        principal_id = session.session.principal_id
        if principal is None or principal.id != principal_id:
            principal = await self._get(txn, "account_db", principal_id.encode(), Principal)
        if principal is None or principal.disabled:
            raise ProblemError(ErrorCode.ACCOUNT_DISABLED)
        await txn.put("session_db", session.token_hash, session.session.to_json())
        await txn.put("index_db", _session_index_key(principal_id, session.token_hash), b"")

    async def _delete_session(self, txn: Txn, token_hash: bytes) -> bool:
        raw = await txn.get("session_db", token_hash)
        if raw is None:
            return False
        await txn.delete("session_db", token_hash)
        principal_id = Session.from_json(raw).principal_id
        await txn.delete("index_db", _session_index_key(principal_id, token_hash))
        return True

    async def _end_sessions(self, txn: Txn, principal_id: str, keep: bytes | None) -> int:
        prefix = _session_index_prefix(principal_id)
        ended = 0
        for key, _ in await txn.range("index_db", prefix, prefix_end(prefix)):
            token_hash = key[len(prefix) :]
            if token_hash != keep:
                await txn.delete("index_db", key)
                ended += await txn.delete("session_db", token_hash)
        return ended

    async def sessions_of(self, principal_id: str) -> list[tuple[bytes, Session]]:
        """A principal's stored sessions (expired ones included until the sweep), with
        the hash of each one's token, oldest first."""
        prefix = _session_index_prefix(principal_id)

        async def step(txn: Txn) -> list[tuple[bytes, Session]]:
            found = []
            for key, _ in await txn.range("index_db", prefix, prefix_end(prefix)):
                token_hash = key[len(prefix) :]
                session = await self._get(txn, "session_db", token_hash, Session)
                if session is not None:
                    found.append((token_hash, session))
            return sorted(found, key=lambda item: item[1].created_at)

        return await self.backend.read(step)

    async def end_sessions(
        self,
        principal_id: str,
        *,
        keep: bytes | None = None,
        events: Sequence[AuditEvent] = (),
    ) -> int:
        """End every session of a principal but the one whose token hash is `keep`, in
        one transaction; returns how many ended."""

        async def step(txn: Txn) -> int:
            ended = await self._end_sessions(txn, principal_id, keep)
            await self._audit(txn, events)
            return ended

        return await self._commit(step)

    async def get_session(self, token_hash: bytes) -> Session | None:
        async def step(txn: Txn) -> Session | None:
            return await self._get(txn, "session_db", token_hash, Session)

        return await self.backend.read(step)

    async def touch_session(self, token_hash: bytes, now: float) -> None:
        async def step(txn: Txn) -> None:
            session = await self._get(txn, "session_db", token_hash, Session)
            if session is not None:
                session.last_seen = now
                await txn.put("session_db", token_hash, session.to_json())

        await self._commit(step)

    async def delete_session(self, token_hash: bytes, events: Sequence[AuditEvent] = ()) -> bool:
        """End one session; False (events not written) if it was not there."""

        async def step(txn: Txn) -> bool:
            if not await self._delete_session(txn, token_hash):
                return False
            await self._audit(txn, events)
            return True

        return await self._commit(step)

    async def end_session_of(
        self, principal_id: str, token_hash: bytes, events: Sequence[AuditEvent] = ()
    ) -> bool:
        """End one session of `principal_id` (its owner revokes it); False, with nothing
        written, if it is not there or belongs to someone else."""

        async def step(txn: Txn) -> bool:
            session = await self._get(txn, "session_db", token_hash, Session)
            if session is None or session.principal_id != principal_id:
                return False
            await self._delete_session(txn, token_hash)
            await self._audit(txn, events)
            return True

        return await self._commit(step)

    async def end_other_sessions(self, principal_id: str, keep: bytes, event: AuditEvent) -> int:
        """End every session of a principal but `keep`, in one step with `event`, whose
        detail gets how many ended ("revoked"); returns that count."""

        async def step(txn: Txn) -> int:
            ended = await self._end_sessions(txn, principal_id, keep)
            # set, not added to: the same event if the step runs again
            event.detail["revoked"] = ended
            await self._audit(txn, [event])
            return ended

        return await self._commit(step)

    async def change_login_password(
        self,
        principal_id: str,
        verified_hash: str,
        new_hash: str,
        keep: bytes,
        attempt: Attempt,
        events: Sequence[AuditEvent] = (),
    ) -> tuple[Verdict, int]:
        """Replace a password login's hash and end its other sessions, in one step;
        returns the verdict of `attempt` (nothing written unless admitted) and how many
        sessions ended.

        Only if the stored hash is still `verified_hash`, the one the current password
        was verified against: of two concurrent changes exactly one wins, the other is
        LOGIN_FAILED (its "current" password is not current any more). UNAUTHENTICATED if
        the session `keep` ended meanwhile (e.g. the winner of such a race ended it)."""

        async def step(txn: Txn) -> tuple[Verdict, int]:
            verdict, _ = await self._judge(txn, attempt)
            if not verdict.admitted:
                return verdict, 0
            session = await self._get(txn, "session_db", keep, Session)
            if session is None or session.principal_id != principal_id:
                raise ProblemError(ErrorCode.UNAUTHENTICATED)
            key = principal_id.encode()
            principal = await self._get(txn, "account_db", key, Principal)
            if principal is None or principal.disabled:
                raise ProblemError(ErrorCode.UNAUTHENTICATED)
            if principal.kind != "password":
                raise ProblemError(ErrorCode.WRONG_ACCOUNT_KIND)
            if principal.password_hash != verified_hash:
                raise ProblemError(
                    ErrorCode.LOGIN_FAILED, "the password was changed meanwhile; log in again"
                )
            principal.password_hash = new_hash
            await self._put(txn, "account_db", key, principal.to_json())
            ended = await self._end_sessions(txn, principal_id, keep)
            await self._audit(txn, events)
            return verdict, ended

        return await self._commit(step)

    # -- failure counters shared by all workers ----------------------------------------

    async def _judge_forgiving(
        self, txn: Txn, attempt: Attempt, forgive_keys: Sequence[str], forgive_at: float
    ) -> Verdict:
        """How `attempt` would be judged, leaving out the failure at `forgive_at` on
        `forgive_keys` (which the write takes back before it judges)."""
        failures = await self._counters(txn, attempt)
        for key in forgive_keys:
            if key in failures and forgive_at in failures[key]:
                failures[key].remove(forgive_at)
        return attempt.judge(failures)

    async def failures(self, keys: Sequence[str]) -> dict[str, list[float]]:
        """The failure times each counter holds."""

        async def step(txn: Txn) -> dict[str, list[float]]:
            return {key: await self._failures(txn, key) for key in dict.fromkeys(keys)}

        return await self.backend.read(step)

    async def _failures(self, txn: Txn, key: str) -> list[float]:
        return _unpack_times(await txn.get("counter_db", key.encode()))

    async def _put_failures(self, txn: Txn, key: str, times: list[float]) -> None:
        await txn.put("counter_db", key.encode(), _pack_times(times))

    async def _counters(self, txn: Txn, attempt: Attempt) -> dict[str, list[float]]:
        return {key: await self._failures(txn, key) for key in dict.fromkeys(attempt.keys)}

    async def _judge(self, txn: Txn, attempt: Attempt) -> tuple[Verdict, dict[str, list[float]]]:
        """The verdict, and the counters it read (for `_count` to extend)."""
        failures = await self._counters(txn, attempt)
        return attempt.judge(failures), failures

    async def password_login(
        self, attempt: Attempt, session: NewSession | None, events: Sequence[AuditEvent] = ()
    ) -> Verdict:
        """Record a password login's outcome: the session, or (None) one failure; not
        admitted, with nothing written, if the attempt's limits were already reached."""

        async def step(txn: Txn) -> Verdict:
            verdict, read = await self._judge(txn, attempt)
            if not verdict.admitted:
                return verdict
            if session is None:
                await self._count(txn, attempt, verdict.keys, read)
            else:
                await self._put_session(txn, session)
            await self._audit(txn, events)
            return verdict

        return await self._commit(step)

    async def _count(
        self,
        txn: Txn,
        attempt: Attempt,
        keys: Sequence[str],
        read: dict[str, list[float]],
    ) -> None:
        """Add a failure at `attempt.now` to `keys`, whose times `read` holds (read in
        this transaction), keeping no more than the limits need."""
        since = attempt.since
        for key in keys:
            keep = attempt.keep(key)
            times = [t for t in read[key] if t > since]
            times = [*times[-(keep - 1) :], attempt.now] if keep > 1 else [attempt.now]
            await self._put_failures(txn, key, times)

    async def _forgive(self, txn: Txn, keys: Sequence[str], at: float) -> None:
        for key in keys:
            times = await self._failures(txn, key)
            if at in times:
                times.remove(at)
                await self._put_failures(txn, key, times)

    async def record_lockout(self, key: str, since: float, event: AuditEvent) -> None:
        """Log a lockout of `key` unless one was logged after `since`."""
        marker = b"lockout:" + key.encode()

        async def logged(txn: Txn) -> bool:
            last = _unpack_times(await txn.get("counter_db", marker))
            return bool(last) and last[0] > since

        if await self.backend.read(logged):
            return  # this lockout is already in the log; no write for a refused request

        async def step(txn: Txn) -> None:
            if await logged(txn):
                return
            await txn.put("counter_db", marker, _pack_times([event.at]))
            await self._audit(txn, [event])

        await self._commit(step)

    # -- audit log ---------------------------------------------------------------------

    async def audit(self, event: AuditEvent) -> None:
        async def step(txn: Txn) -> None:
            await self._audit(txn, [event])

        await self._commit(step)

    async def _audit(self, txn: Txn, events: Sequence[AuditEvent]) -> None:
        _WRITTEN.get().extend(events)
        for event in events:
            # Time-ordered keys; the random tail keeps simultaneous events from colliding.
            key = struct.pack(">Q", int(event.at * 1_000_000)) + os.urandom(8)
            await txn.put("audit_db", key, event.to_json())

    async def audit_events(self) -> list[AuditEvent]:
        async def step(txn: Txn) -> list[AuditEvent]:
            return [AuditEvent.from_json(value) for _, value in await txn.range("audit_db")]

        return await self.backend.read(step, offload=True)

    # -- key rotation ------------------------------------------------------------------

    async def reseal(self, events: Sequence[AuditEvent] = ()) -> int:
        """Seal again under the current secret every value a fallback secret sealed, in
        one transaction; returns how many. Afterwards no stored value needs a fallback."""

        async def step(txn: Txn) -> int:
            resealed = 0
            for table in sorted(SEALED):
                for key, sealed in await txn.range(table):
                    if table == "state_db" and key.startswith(b"jti:"):
                        continue  # not sealed
                    if not self._keyring.needs_reseal(sealed):
                        continue
                    await self._put(txn, table, key, self._open(table, key, sealed))
                    resealed += 1
            await self._audit(txn, events)
            return resealed

        return await self._commit(step, offload=True)

    # -- housekeeping ------------------------------------------------------------------

    async def entry_counts(self) -> dict[str, int]:
        """Records per table, for operators and tests."""

        async def step(txn: Txn) -> dict[str, int]:
            return {table: await txn.count(table) for table in TABLES}

        return await self.backend.read(step)

    async def purge_expired(
        self, now: float, *, invitation_lifetime: float, failure_window: float
    ) -> int:
        """Delete what can no longer be used; returns the count.

        Pending logins for unknown names are written too (the fake KE2 must look real), so
        without this a stream of login starts would grow state_db without bound.

        The scan runs in a read transaction, which takes no lock; the deletions follow in
        small write transactions, each re-checking its records, so that a sweep of a large
        store never holds the write lock that every worker's requests wait for."""

        def doomed(table: str, key: bytes, raw: bytes) -> list[tuple[str, bytes]]:
            """What to delete along with `key`, if it has expired; else nothing."""
            if table == "state_db" and key.startswith(b"recovery:"):
                dead = RecoveryInvite.from_json(self._open(table, key, raw)).expires_at <= now
                return [(table, key)] if dead else []
            if table == "state_db" and key.startswith((b"reauth:", b"mfarec:")):
                dead = PendingProof.from_json(self._open(table, key, raw)).expires_at <= now
                return [(table, key)] if dead else []
            if table == "state_db" and key.startswith(b"totp:"):
                dead = PendingTotp.from_json(self._open(table, key, raw)).expires_at <= now
                return [(table, key)] if dead else []
            if table == "state_db" and not key.startswith((b"login:", b"reg:")):
                return []  # jti: entries go with their registration
            value = self._open(table, key, raw)
            if table == "invite_db":
                dead = InviteToken.from_json(value).expires_at <= now
            elif table == "session_db":
                session = Session.from_json(value)
                if session.expires_at <= now:
                    index = _session_index_key(session.principal_id, key)
                    return [(table, key), ("index_db", index)]
                dead = False
            elif table == "counter_db":
                dead = all(t <= now - failure_window for t in _unpack_times(value))
            elif table == "invitation_db" and key.startswith(_ISSUER):
                issued = IssuedInvitations.from_json(value)
                dead = all(entry[0] + invitation_lifetime <= now for entry in issued.outstanding)
            elif table == "invitation_db":
                invitation = Invitation.from_json(value)
                if invitation.issued_at + invitation_lifetime <= now:
                    index = _invitation_index_key(invitation.issuer, _invitation_ref(key))
                    return [(table, key), ("index_db", index)]
                dead = False
            elif key.startswith(b"login:"):
                dead = PendingLogin.from_json(value).expires_at <= now
            else:
                # Kept until its invite expires, not just until it does: while it exists
                # the invitee can start again with the same token (begin_registration).
                reg = PendingRegistration.from_json(value)
                if reg.invite_expires_at <= now:
                    return [(table, key), (table, b"jti:" + reg.jti.encode())]
                dead = False
            return [(table, key)] if dead else []

        async def scan(txn: Txn) -> list[tuple[str, bytes]]:
            return [
                (table, key)
                for table in _PURGED
                for key, raw in await txn.range(table)
                if doomed(table, key, raw)
            ]

        candidates = await self.backend.read(scan, offload=True)
        removed = 0
        for start in range(0, len(candidates), _PURGE_BATCH):
            batch = candidates[start : start + _PURGE_BATCH]

            async def delete(txn: Txn, batch: list[tuple[str, bytes]] = batch) -> int:
                count = 0
                for table, key in batch:
                    # re-checked: a counter may have counted again, a session been used
                    raw = await txn.get(table, key)
                    found = [] if raw is None else doomed(table, key, raw)
                    count += len(found) > 0
                    for target_table, target in found:
                        await txn.delete(target_table, target)
                return count

            removed += await self._commit(delete, offload=True)
        return removed

    async def purge_audit(self, before: float) -> int:
        """Delete the audit events older than `before`, in small write transactions
        (audit keys begin with the event's time, so they are the first keys)."""
        stop = struct.pack(">Q", max(0, int(before * 1_000_000)))

        async def delete(txn: Txn) -> int:
            old = await txn.range("audit_db", b"", stop, limit=_PURGE_BATCH)
            for key, _ in old:
                await txn.delete("audit_db", key)
            return len(old)

        removed = 0
        while True:
            count = await self._commit(delete, offload=True)
            removed += count
            if count < _PURGE_BATCH:
                return removed

    # -- the name index's compared form ------------------------------------------------

    async def migrate_names(self) -> list[str]:
        """Key the name index by the current compared form (PRECIS), once.

        Earlier versions keyed it by NFKC + case folding. Each stored name moves to its
        new key. A name the current rules refuse keeps its old key, where the spelling it
        has still finds it; a name whose new key an older name already holds (two names
        that the current rules call the same) keeps its old key too, but no spelling
        finds it any more. Both are returned and logged, for the operator. One
        transaction: all names move, or none."""

        async def done(txn: Txn) -> bool:
            return await self._get_raw(txn, "meta", _NAMES_VERSION_KEY) == NAMES_VERSION

        if await self.backend.read(done):
            return []

        async def step(txn: Txn) -> list[str]:
            if await done(txn):
                return []  # another worker migrated first
            kept: list[str] = []
            principals = [
                Principal.from_json(self._open("account_db", key, raw))
                for key, raw in await txn.range("account_db")
            ]
            for principal in sorted(principals, key=lambda p: p.created_at):
                old = legacy_key(principal.name).encode()
                try:
                    new = parse_name(principal.name).key
                except NameRefused:
                    kept.append(principal.name)
                    continue
                if new == old:
                    continue
                owner = principal.id.encode()
                if not await txn.insert("name_db", new, owner):
                    if await txn.get("name_db", new) != owner:
                        kept.append(principal.name)
                    continue
                if await txn.get("name_db", old) == owner:
                    await txn.delete("name_db", old)
            await self._put(txn, "meta", _NAMES_VERSION_KEY, NAMES_VERSION)
            return kept

        kept = await self._commit(step, offload=True)
        for name in kept:
            log.warning(
                "invite-auth: the stored name %r is refused by the current name rules or "
                "is the same name as an older one under them; it keeps its old index key",
                name,
            )
        return kept

    # -- administration ----------------------------------------------------------------

    async def _facts(
        self,
        txn: Txn,
        principal: Principal,
        now: float,
        idle_ttl: float,
        names: dict[str, str] | None = None,
    ) -> AccountFacts:
        """What administration shows of `principal`, read in `txn` (`names`: id to name
        of every principal, when the caller has read them all already)."""
        remaining: int | None = None
        if principal.kind == "opaque":
            codes = await self._get(txn, "recovery_db", principal.id.encode(), RecoveryCodes)
            remaining = 0 if codes is None else sum(h is not None for h in codes.hashes)
        prefix = _session_index_prefix(principal.id)
        live = 0
        for key, _ in await txn.range("index_db", prefix, prefix_end(prefix)):
            session = await self._get(txn, "session_db", key[len(prefix) :], Session)
            # expired or idle ones stay until the sweep: they are not counted
            if session is not None and now < min(session.expires_at, session.last_seen + idle_ttl):
                live += 1
        inviter: str | None = None
        if principal.invited_by is not None:
            if names is not None:
                inviter = names.get(principal.invited_by)
            else:
                found = await self._get(txn, "account_db", principal.invited_by.encode(), Principal)
                inviter = None if found is None else found.name
        return AccountFacts(principal, remaining, live, inviter)

    async def list_accounts(
        self,
        *,
        now: float,
        idle_ttl: float,
        limit: int,
        after: tuple[float, str] | None = None,
        kind: str | None = None,
        domain: str | None = None,
        disabled: bool | None = None,
    ) -> tuple[list[AccountFacts], tuple[float, str] | None]:
        """One page of the accounts that match the filters, ordered by (created_at, id),
        starting after the position `after`; and the position of the page's last account
        when more follow (None: this is the last page). Positions, not offsets: an
        account created or deleted between two pages neither repeats nor hides another.

        A scan of account_db, in one read transaction that takes no lock: administration
        is rare and an operator's, and the accounts of one deployment are few enough to
        read (an index by creation time would be one more entry to keep in step with
        every registration, for this page alone)."""

        async def step(txn: Txn) -> tuple[list[AccountFacts], tuple[float, str] | None]:
            everyone = [
                Principal.from_json(self._open("account_db", key, raw))
                for key, raw in await txn.range("account_db")
            ]
            names = {p.id: p.name for p in everyone}
            chosen = sorted(
                (
                    p
                    for p in everyone
                    if (kind is None or p.kind == kind)
                    and (domain is None or p.domain == domain)
                    and (disabled is None or p.disabled == disabled)
                    and (after is None or (p.created_at, p.id) > after)
                ),
                key=lambda p: (p.created_at, p.id),
            )
            page = chosen[:limit]
            facts = [await self._facts(txn, p, now, idle_ttl, names) for p in page]
            more = len(chosen) > limit
            return facts, (page[-1].created_at, page[-1].id) if more and page else None

        return await self.backend.read(step, offload=True)

    async def account_facts(self, name: str, now: float, idle_ttl: float) -> AccountFacts | None:
        """The account named `name` (compared form), as administration shows it."""
        key = lookup_key(name)

        async def step(txn: Txn) -> AccountFacts | None:
            principal = await self._principal_by_key(txn, key)
            return None if principal is None else await self._facts(txn, principal, now, idle_ttl)

        return await self.backend.read(step)

    async def set_disabled(
        self,
        principal_id: str,
        disabled: bool,
        *,
        actor_id: str,
        now: float,
        idle_ttl: float,
        events: Sequence[AuditEvent] = (),
    ) -> AccountFacts:
        """Disable (or enable) a principal, in one step: a disable ends all its sessions
        in the same transaction, and `_put_session` refuses it new ones, so a login racing
        the disable either commits first (its session ends here) or is refused. The
        events are written only when the flag changes (both are idempotent). A principal
        cannot disable itself (`actor_id`): nobody could enable it again by its session."""

        async def step(txn: Txn) -> AccountFacts:
            key = principal_id.encode()
            principal = await self._get(txn, "account_db", key, Principal)
            if principal is None:
                raise ProblemError(ErrorCode.ACCOUNT_NOT_FOUND)
            if disabled and principal_id == actor_id:
                raise ProblemError(
                    ErrorCode.CANNOT_ADMINISTER_SELF, "an account cannot disable itself"
                )
            if principal.disabled != disabled:
                principal.disabled = disabled
                await self._put(txn, "account_db", key, principal.to_json())
                await self._audit(txn, events)
            if disabled:
                await self._end_sessions(txn, principal_id, None)
            return await self._facts(txn, principal, now, idle_ttl)

        return await self._commit(step)

    async def delete_account(
        self, principal_id: str, *, actor_id: str, events: Sequence[AuditEvent] = ()
    ) -> Principal:
        """Delete a principal and what it owns, in one step: its sessions (with their
        index entries), its recovery codes, its record (OPAQUE record, TOTP secret,
        password hash, sealing key), its name and domain (free again), its role and its
        invitation quota. Failure counters are keyed by names and devices, not by the
        principal, and expire on their own; a recovery invite for it is kept under a
        hash of its token (not findable from here) and is useless without the principal,
        until the sweep removes it. Returns what was deleted."""

        async def step(txn: Txn) -> Principal:
            key = principal_id.encode()
            principal = await self._get(txn, "account_db", key, Principal)
            if principal is None:
                raise ProblemError(ErrorCode.ACCOUNT_NOT_FOUND)
            if principal_id == actor_id:
                raise ProblemError(
                    ErrorCode.CANNOT_ADMINISTER_SELF, "an account cannot delete itself"
                )
            await self._end_sessions(txn, principal_id, None)
            await txn.delete("recovery_db", key)
            await txn.delete("account_db", key)
            # its name may be under its current or (not yet migrated) its legacy key
            for name_key in {lookup_key(principal.name), legacy_key(principal.name).encode()}:
                if name_key is not None and await txn.get("name_db", name_key) == key:
                    await txn.delete("name_db", name_key)
            if principal.domain is not None:
                domain_key = principal.domain.encode()
                if await txn.get("domain_db", domain_key) == key:
                    await txn.delete("domain_db", domain_key)
            await txn.delete("role_db", _PRIVILEGED + key)
            await txn.delete("invitation_db", _issuer_key(principal_id))
            await self._audit(txn, events)
            return principal

        return await self._commit(step)

    async def list_invites(self, now: float) -> list[InviteToken]:
        """The seed-000 invite tokens that can still start a registration: not used (nor
        held by a pending registration), not revoked, not expired; oldest first."""

        async def step(txn: Txn) -> list[InviteToken]:
            tokens = [InviteToken.from_json(raw) for _, raw in await txn.range("invite_db")]
            # A token held by a started registration is outstanding too: the registration
            # may never finish, and then the token can start again.
            for _, reg_key in await txn.range("state_db", b"jti:", prefix_end(b"jti:")):
                held = await self._get(txn, "state_db", reg_key, PendingRegistration)
                if held is not None:
                    tokens.append(_held_invite(held))
            return sorted(
                (t for t in tokens if t.revoked_at is None and t.expires_at > now),
                key=lambda t: (t.issued_at, t.jti),
            )

        return await self.backend.read(step, offload=True)

    async def revoke_invite(
        self, jti: str, now: float, events: Sequence[AuditEvent] = ()
    ) -> InviteToken:
        """Mark an outstanding invite token revoked; INVITE_NOT_FOUND if it is unknown,
        used, already revoked or expired. The record stays until it expires (the sweep
        removes it then), so that `begin_registration` can answer `invite_revoked`."""
        key = jti.encode()

        async def step(txn: Txn) -> InviteToken:
            raw = await txn.get("invite_db", key)
            token = None if raw is None else InviteToken.from_json(raw)
            if token is None:
                # held by a started registration: that registration ends with it
                reg_key = await txn.get("state_db", b"jti:" + key)
                held = (
                    None
                    if reg_key is None
                    else await self._get(txn, "state_db", reg_key, PendingRegistration)
                )
                if reg_key is not None and held is not None:
                    await txn.delete("state_db", reg_key)
                    await txn.delete("state_db", b"jti:" + key)
                    token = _held_invite(held)
            if token is None or token.revoked_at is not None or token.expires_at <= now:
                raise ProblemError(ErrorCode.INVITE_NOT_FOUND)
            token.revoked_at = now
            await txn.put("invite_db", key, token.to_json())
            await self._audit(txn, events)
            return token

        return await self._commit(step)

    async def read_audit(
        self,
        *,
        limit: int,
        since: float | None = None,
        until: float | None = None,
        before: bytes | None = None,
        event: str | None = None,
        principal_id: str | None = None,
        name_key: bytes | None = None,
        scan_limit: int = 10_000,
    ) -> tuple[list[AuditEvent], bytes | None]:
        """Audit events newest first, at `since` or later and before `until`, below the
        key `before` (the cursor of the previous page), of the `event` type and about the
        account (its `principal_id`, or a `name` whose compared form is `name_key`).

        Keys begin with the event's time, so the time filters are a key range. Other
        filters are applied while scanning backwards in batches; at most `scan_limit`
        events are read per call, so a rare filter over a long log answers in bounded
        time, with fewer events and a cursor to go on from. Returns the events and the
        cursor (the key to continue below), None when nothing older matches."""
        start = b"" if since is None else struct.pack(">Q", max(0, int(since * 1_000_000)))
        stop = None if until is None else struct.pack(">Q", max(0, int(until * 1_000_000)))
        if before is not None and (stop is None or before < stop):
            stop = before
        compared: dict[str, bytes | None] = {}

        def about(found: AuditEvent) -> bool:
            if principal_id is None and name_key is None:
                return True
            if principal_id is not None and found.principal_id == principal_id:
                return True
            if name_key is None or found.name is None:
                return False
            if found.name not in compared:
                compared[found.name] = lookup_key(found.name)
            return compared[found.name] == name_key

        async def step(txn: Txn) -> tuple[list[AuditEvent], bytes | None]:
            found: list[tuple[bytes, AuditEvent]] = []
            upper = stop
            scanned = 0
            while True:
                batch = await txn.range("audit_db", start, upper, limit=_AUDIT_BATCH, reverse=True)
                for key, raw in batch:
                    scanned += 1
                    candidate = AuditEvent.from_json(raw)
                    if (event is None or candidate.event == event) and about(candidate):
                        if len(found) == limit:  # one more matches: there is a next page
                            return [e for _, e in found], found[-1][0]
                        found.append((key, candidate))
                    if scanned >= scan_limit:
                        return [e for _, e in found], key
                if len(batch) < _AUDIT_BATCH:
                    return [e for _, e in found], None
                upper = batch[-1][0]

        return await self.backend.read(step, offload=True)
