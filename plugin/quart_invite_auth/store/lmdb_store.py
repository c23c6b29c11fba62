"""The LMDB backend: the only code that knows LMDB.

Each public method runs in one write (or read) transaction, so an operation is either
all there or not there at all, also across worker processes sharing the directory.
"""

from __future__ import annotations

import array
import hashlib
import os
import struct
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import lmdb

from ..errors import ErrorCode, ProblemError
from ..keyring import Keyring, KeyringError
from ..names import name_index_key
from .records import (
    Attempt,
    AuditEvent,
    Invitation,
    InviteToken,
    LoginOutcome,
    LoginSuccess,
    NewSession,
    PendingLogin,
    PendingRegistration,
    Principal,
    Record,
    RecoveryCodes,
    Session,
)

_R = TypeVar("_R", bound=Record)


def _pack_times(times: list[float]) -> bytes:
    # Packed float64s: a per-address counter keeps up to a few hundred timestamps and is
    # read and rewritten on every login start, where JSON cost tens of microseconds.
    return array.array("d", times).tobytes()


def _unpack_times(raw: bytes | None) -> list[float]:
    if raw is None:
        return []
    times = array.array("d")
    times.frombytes(bytes(raw))
    return times.tolist()


# The seed's databases (invite_db, state_db, account_db, recovery_db) and the indexes
# and logs the rest of the product needs.
_DATABASES = (
    "meta",
    "invite_db",
    "state_db",
    "account_db",
    "recovery_db",
    "name_db",
    "domain_db",
    "role_db",
    "invitation_db",
    "session_db",
    "counter_db",
    "audit_db",
)
# Databases with records that expire, and how many deletions one write transaction holds.
_PURGED = ("invite_db", "session_db", "invitation_db", "state_db", "counter_db")
_PURGE_BATCH = 256
# Databases whose values are sealed with the keyring.
_SEALED = frozenset({"meta", "state_db", "account_db", "recovery_db", "invitation_db"})


def _invitation_key(invitation_id: str) -> bytes:
    # An invitation id is a bearer capability: like a session token it is kept only as a
    # hash, so a copy of the data file cannot accept the outstanding invitations.
    return hashlib.sha256(b"invitation\x00" + invitation_id.encode()).digest()


class StoreCorruptError(Exception):
    """A sealed value could not be opened with any configured secret."""


class LmdbStore:
    def __init__(self, path: str | os.PathLike[str], keyring: Keyring, *, map_size: int) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)
        self._keyring = keyring
        self._env = lmdb.open(
            os.fspath(path), max_dbs=len(_DATABASES) + 1, map_size=map_size, max_readers=256
        )
        with self._env.begin(write=True) as txn:
            self._dbs = {name: self._env.open_db(name.encode(), txn=txn) for name in _DATABASES}

    def close(self) -> None:
        self._env.close()

    # -- helpers -----------------------------------------------------------------------

    def _put(self, txn: Any, db: str, key: bytes, value: bytes, **kw: Any) -> bool:
        if db in _SEALED:
            value = self._keyring.seal(db, key, value)
        return bool(txn.put(key, value, db=self._dbs[db], **kw))

    def _get_raw(self, txn: Any, db: str, key: bytes) -> bytes | None:
        raw = txn.get(key, db=self._dbs[db])
        if raw is None:
            return None
        raw = bytes(raw)
        if db in _SEALED:
            try:
                raw = self._keyring.open(db, key, raw)
            except KeyringError as exc:
                raise StoreCorruptError(f"{db}: {exc}") from exc
        return raw

    def _get(self, txn: Any, db: str, key: bytes, cls: type[_R]) -> _R | None:
        raw = self._get_raw(txn, db, key)
        return None if raw is None else cls.from_json(raw)

    def _delete(self, txn: Any, db: str, key: bytes) -> bool:
        return bool(txn.delete(key, db=self._dbs[db]))

    def _read(self) -> Any:
        return self._env.begin(write=False, buffers=False)

    def _write(self) -> Any:
        return self._env.begin(write=True, buffers=False)

    # -- server setup ------------------------------------------------------------------

    def server_setup(self, generate: Callable[[], bytes]) -> bytes:
        with self._read() as txn:
            existing = self._get_raw(txn, "meta", b"server_setup")
        if existing is not None:
            return existing
        with self._write() as txn:
            # Another worker may have won the race between the two transactions.
            existing = self._get_raw(txn, "meta", b"server_setup")
            if existing is not None:
                return existing
            setup = generate()
            self._put(txn, "meta", b"server_setup", setup)
            return setup

    # -- principals --------------------------------------------------------------------

    def name_owner(self, name: str) -> str | None:
        key = name_index_key(name)
        if key is None:
            return None
        with self._read() as txn:
            owner = txn.get(key, db=self._dbs["name_db"])
        return None if owner is None else bytes(owner).decode()

    def domain_owner(self, domain: str) -> str | None:
        with self._read() as txn:
            owner = txn.get(domain.encode(), db=self._dbs["domain_db"])
        return None if owner is None else bytes(owner).decode()

    def get_principal(self, principal_id: str) -> Principal | None:
        with self._read() as txn:
            return self._get(txn, "account_db", principal_id.encode(), Principal)

    def principals(self) -> list[Principal]:
        """Every account and login, for administration and consistency checks."""
        with self._read() as txn:
            keys = [bytes(key) for key, _ in txn.cursor(db=self._dbs["account_db"])]
            found = [self._get(txn, "account_db", key, Principal) for key in keys]
        return [principal for principal in found if principal is not None]

    def principal_by_name(self, name: str) -> Principal | None:
        key = name_index_key(name)
        if key is None:
            return None
        with self._read() as txn:
            owner = txn.get(key, db=self._dbs["name_db"])
            if owner is None:
                return None
            return self._get(txn, "account_db", bytes(owner), Principal)

    def count_principals(self) -> int:
        with self._read() as txn:
            return int(txn.stat(self._dbs["account_db"])["entries"])

    def _add_principal(self, txn: Any, principal: Principal) -> None:
        key = name_index_key(principal.name)
        if key is None:
            raise ProblemError(ErrorCode.INVALID_NAME, "the name is too long")
        if txn.get(key, db=self._dbs["name_db"]) is not None:
            code = ErrorCode.ACCOUNT_EXISTS if principal.kind == "opaque" else ErrorCode.NAME_TAKEN
            raise ProblemError(code, f"the name {principal.name!r} is already in use")
        if principal.domain is not None and not txn.put(
            principal.domain.encode(),
            principal.id.encode(),
            db=self._dbs["domain_db"],
            overwrite=False,
        ):
            raise ProblemError(ErrorCode.DOMAIN_TAKEN, f"{principal.domain} already has an owner")
        txn.put(key, principal.id.encode(), db=self._dbs["name_db"])
        if principal.privileged:
            txn.put(b"privileged:" + principal.id.encode(), b"", db=self._dbs["role_db"])
        if not self._put(
            txn, "account_db", principal.id.encode(), principal.to_json(), overwrite=False
        ):
            raise RuntimeError("principal id collision")

    def has_privileged(self) -> bool:
        with self._read() as txn:
            cursor = txn.cursor(db=self._dbs["role_db"])
            return bool(cursor.set_range(b"privileged:")) and bytes(cursor.key()).startswith(
                b"privileged:"
            )

    def create_first_principal(
        self, principal: Principal, session: NewSession, events: Sequence[AuditEvent] = ()
    ) -> None:
        with self._write() as txn:
            if txn.stat(self._dbs["account_db"])["entries"]:
                raise ProblemError(ErrorCode.SETUP_DONE)
            self._add_principal(txn, principal)
            self._put_session(txn, session)
            self._audit(txn, events)

    # -- seed 000: invites and registration --------------------------------------------

    def put_invite(self, invite: InviteToken, events: Sequence[AuditEvent] = ()) -> None:
        with self._write() as txn:
            txn.put(invite.jti.encode(), invite.to_json(), db=self._dbs["invite_db"])
            self._audit(txn, events)

    def begin_registration(
        self, pending: PendingRegistration, now: float, events: Sequence[AuditEvent] = ()
    ) -> None:
        jti = pending.jti.encode()
        with self._write() as txn:
            if self._delete(txn, "invite_db", jti):
                pass  # first use: the token id leaves invite_db (prevents replay)
            else:
                # Not in invite_db: used, or held by a registration that was started. A
                # start whose registration expired unfinished gives the invite back, so a
                # lost connection does not cost the invitee the invite.
                held = txn.get(b"jti:" + jti, db=self._dbs["state_db"])
                old = (
                    None
                    if held is None
                    else self._get(txn, "state_db", b"reg:" + bytes(held), PendingRegistration)
                )
                if old is None:
                    raise ProblemError(ErrorCode.INVITE_USED)
                if old.expires_at > now:
                    raise ProblemError(
                        ErrorCode.INVITE_USED,
                        "a registration with this invite is in progress; finish it, or start "
                        "again after it expires",
                    )
                self._delete(txn, "state_db", b"reg:" + old.id.encode())
            self._check_free(txn, pending.account, pending.domain)
            txn.put(b"jti:" + jti, pending.id.encode(), db=self._dbs["state_db"])
            self._put(txn, "state_db", b"reg:" + pending.id.encode(), pending.to_json())
            self._audit(txn, events)

    def _check_free(self, txn: Any, account: str, domain: str | None) -> None:
        key = name_index_key(account)
        if key is not None and txn.get(key, db=self._dbs["name_db"]) is not None:
            raise ProblemError(ErrorCode.ACCOUNT_EXISTS)
        if domain is not None and txn.get(domain.encode(), db=self._dbs["domain_db"]):
            raise ProblemError(ErrorCode.DOMAIN_TAKEN)

    def get_pending_registration(self, registration_id: str, now: float) -> PendingRegistration:
        with self._read() as txn:
            pending = self._get(
                txn, "state_db", b"reg:" + registration_id.encode(), PendingRegistration
            )
        if pending is None or pending.expires_at <= now:
            raise ProblemError(ErrorCode.REGISTRATION_NOT_FOUND)
        return pending

    def complete_registration(
        self,
        registration_id: str,
        principal: Principal,
        recovery: RecoveryCodes,
        now: float,
        events: Sequence[AuditEvent] = (),
    ) -> None:
        reg_key = b"reg:" + registration_id.encode()
        with self._write() as txn:
            pending = self._get(txn, "state_db", reg_key, PendingRegistration)
            if pending is None or pending.expires_at <= now:
                raise ProblemError(ErrorCode.REGISTRATION_NOT_FOUND)
            self._add_principal(txn, principal)
            self._put(txn, "recovery_db", principal.id.encode(), recovery.to_json())
            self._delete(txn, "state_db", reg_key)
            self._delete(txn, "state_db", b"jti:" + pending.jti.encode())
            self._audit(txn, events)

    # -- login -------------------------------------------------------------------------

    def begin_login(self, pending: PendingLogin, attempt: Attempt) -> bool:
        with self._write() as txn:
            if self._locked(txn, attempt):
                return False
            self._put(txn, "state_db", b"login:" + pending.id.encode(), pending.to_json())
            self._count(txn, attempt)
            return True

    def get_pending_login(self, login_id: str, now: float) -> PendingLogin:
        with self._read() as txn:
            pending = self._get(txn, "state_db", b"login:" + login_id.encode(), PendingLogin)
        if pending is None or pending.expires_at <= now:
            raise ProblemError(ErrorCode.LOGIN_NOT_FOUND)
        return pending

    def fail_login(
        self,
        login_id: str,
        events: Sequence[AuditEvent],
        *,
        failure: Attempt | None = None,
        forgive_keys: Sequence[str] = (),
        forgive_at: float = 0.0,
    ) -> bool:
        with self._write() as txn:
            self._delete(txn, "state_db", b"login:" + login_id.encode())
            self._forgive(txn, forgive_keys, forgive_at)
            if failure is not None:
                if self._locked(txn, failure):
                    return False
                self._count(txn, failure)
            self._audit(txn, events)
            return True

    def complete_login(
        self,
        login_id: str,
        now: float,
        success: LoginSuccess,
        events: Sequence[AuditEvent],
        failed: Sequence[AuditEvent] = (),
    ) -> LoginOutcome:
        login_key = b"login:" + login_id.encode()
        with self._write() as txn:
            pending = self._get(txn, "state_db", login_key, PendingLogin)
            if pending is None or pending.expires_at <= now:
                return "gone"  # a concurrent finish consumed it first
            # Whatever follows, the attempt is spent and the password was proven.
            self._delete(txn, "state_db", login_key)
            self._forgive(txn, success.forgive_keys, success.forgive_at)
            if self._locked(txn, success.mfa):
                return "locked"
            outcome = self._use_second_factor(txn, success)
            if outcome != "ok":
                self._count(txn, success.mfa)
                self._audit(txn, failed)
                return outcome
            self._put_session(txn, success.session)
            self._audit(txn, events)
            return "ok"

    def _use_second_factor(self, txn: Any, success: LoginSuccess) -> LoginOutcome:
        key = success.principal_id.encode()
        if success.totp_step is not None:
            principal = self._get(txn, "account_db", key, Principal)
            if principal is None or success.totp_step <= principal.totp_last_step:
                return "replayed"
            principal.totp_last_step = success.totp_step
            self._put(txn, "account_db", key, principal.to_json())
            return "ok"
        index = success.recovery_index
        codes = self._get(txn, "recovery_db", key, RecoveryCodes)
        if index is None or codes is None or not 0 <= index < len(codes.hashes):
            return "used"
        if codes.hashes[index] is None:
            return "used"
        codes.hashes[index] = None
        self._put(txn, "recovery_db", key, codes.to_json())
        return "ok"

    def recovery_codes(self, principal_id: str) -> RecoveryCodes:
        with self._read() as txn:
            codes = self._get(txn, "recovery_db", principal_id.encode(), RecoveryCodes)
        return codes if codes is not None else RecoveryCodes(hashes=[])

    def use_recovery_code(self, principal_id: str, index: int) -> bool:
        key = principal_id.encode()
        with self._write() as txn:
            codes = self._get(txn, "recovery_db", key, RecoveryCodes)
            if codes is None or not 0 <= index < len(codes.hashes) or codes.hashes[index] is None:
                return False
            codes.hashes[index] = None
            self._put(txn, "recovery_db", key, codes.to_json())
            return True

    # -- seed 003: invitations ---------------------------------------------------------

    def put_invitation(self, invitation: Invitation, events: Sequence[AuditEvent] = ()) -> None:
        with self._write() as txn:
            self._put(txn, "invitation_db", _invitation_key(invitation.id), invitation.to_json())
            self._audit(txn, events)

    def get_invitation(self, invitation_id: str) -> Invitation | None:
        with self._read() as txn:
            return self._get(txn, "invitation_db", _invitation_key(invitation_id), Invitation)

    def accept_invitation(
        self,
        invitation_id: str,
        principal: Principal,
        now: float,
        lifetime: float,
        session: NewSession,
        events: Sequence[AuditEvent] = (),
    ) -> None:
        key = _invitation_key(invitation_id)
        with self._write() as txn:
            invitation = self._get(txn, "invitation_db", key, Invitation)
            if (
                invitation is None
                or invitation.accepted_by is not None
                or invitation.issued_at + lifetime <= now
            ):
                raise ProblemError(ErrorCode.INVITATION_NOT_FOUND)
            self._add_principal(txn, principal)
            invitation.accepted_by = principal.id
            invitation.accepted_at = now
            self._put(txn, "invitation_db", key, invitation.to_json())
            self._put_session(txn, session)
            self._audit(txn, events)

    # -- sessions ----------------------------------------------------------------------

    def put_session(self, session: NewSession, events: Sequence[AuditEvent] = ()) -> None:
        with self._write() as txn:
            self._put_session(txn, session)
            self._audit(txn, events)

    def _put_session(self, txn: Any, session: NewSession) -> None:
        txn.put(session.token_hash, session.session.to_json(), db=self._dbs["session_db"])

    def get_session(self, token_hash: bytes) -> Session | None:
        with self._read() as txn:
            return self._get(txn, "session_db", token_hash, Session)

    def touch_session(self, token_hash: bytes, now: float) -> None:
        with self._write() as txn:
            session = self._get(txn, "session_db", token_hash, Session)
            if session is not None:
                session.last_seen = now
                txn.put(token_hash, session.to_json(), db=self._dbs["session_db"])

    def delete_session(self, token_hash: bytes, events: Sequence[AuditEvent] = ()) -> None:
        with self._write() as txn:
            self._delete(txn, "session_db", token_hash)
            self._audit(txn, events)

    # -- failure counters --------------------------------------------------------------

    def recent_failures(self, keys: Sequence[str], since: float) -> list[int]:
        with self._read() as txn:
            return [sum(1 for t in self._failures(txn, key) if t > since) for key in keys]

    def _failures(self, txn: Any, key: str) -> list[float]:
        return _unpack_times(txn.get(key.encode(), db=self._dbs["counter_db"]))

    def _put_failures(self, txn: Any, key: str, times: list[float]) -> None:
        txn.put(key.encode(), _pack_times(times), db=self._dbs["counter_db"])

    def password_login(
        self, attempt: Attempt, session: NewSession | None, events: Sequence[AuditEvent] = ()
    ) -> bool:
        with self._write() as txn:
            if self._locked(txn, attempt):
                return False
            if session is None:
                self._count(txn, attempt)
            else:
                self._put_session(txn, session)
            self._audit(txn, events)
            return True

    def _locked(self, txn: Any, attempt: Attempt) -> bool:
        return any(
            sum(1 for t in self._failures(txn, key) if t > attempt.since) >= limit
            for key, limit in attempt.limits
        )

    def _count(self, txn: Any, attempt: Attempt) -> None:
        keep = attempt.keep
        for key in attempt.keys:
            times = [t for t in self._failures(txn, key) if t > attempt.since]
            times = [*times[-(keep - 1) :], attempt.now] if keep > 1 else [attempt.now]
            self._put_failures(txn, key, times)

    def _forgive(self, txn: Any, keys: Sequence[str], at: float) -> None:
        for key in keys:
            times = self._failures(txn, key)
            if at in times:
                times.remove(at)
                self._put_failures(txn, key, times)

    def record_lockout(self, key: str, since: float, event: AuditEvent) -> None:
        marker = b"lockout:" + key.encode()
        with self._read() as txn:
            last = _unpack_times(txn.get(marker, db=self._dbs["counter_db"]))
        if last and last[0] > since:
            return  # this lockout is already in the log; no write for a refused request
        with self._write() as txn:
            last = _unpack_times(txn.get(marker, db=self._dbs["counter_db"]))
            if last and last[0] > since:
                return
            txn.put(marker, _pack_times([event.at]), db=self._dbs["counter_db"])
            self._audit(txn, [event])

    # -- audit log ---------------------------------------------------------------------

    def audit(self, event: AuditEvent) -> None:
        with self._write() as txn:
            self._audit(txn, [event])

    def _audit(self, txn: Any, events: Sequence[AuditEvent]) -> None:
        for event in events:
            # Time-ordered keys; the random tail keeps simultaneous events from colliding.
            key = struct.pack(">Q", int(event.at * 1_000_000)) + os.urandom(8)
            txn.put(key, event.to_json(), db=self._dbs["audit_db"])

    def audit_events(self) -> Iterator[AuditEvent]:
        with self._read() as txn:
            items = list(txn.cursor(db=self._dbs["audit_db"]))
        for _, value in items:
            yield AuditEvent.from_json(bytes(value))

    # -- key rotation ------------------------------------------------------------------

    def reseal(self, events: Sequence[AuditEvent] = ()) -> int:
        resealed = 0
        with self._write() as txn:
            for db in sorted(_SEALED):
                for raw_key, raw_value in list(txn.cursor(db=self._dbs[db])):
                    key, sealed = bytes(raw_key), bytes(raw_value)
                    if not self._keyring.needs_reseal(sealed):
                        continue
                    value = self._get_raw(txn, db, key)
                    assert value is not None
                    self._put(txn, db, key, value)
                    resealed += 1
            self._audit(txn, events)
        return resealed

    # -- housekeeping ------------------------------------------------------------------

    def entry_counts(self) -> dict[str, int]:
        with self._read() as txn:
            return {name: int(txn.stat(db)["entries"]) for name, db in self._dbs.items()}

    def purge_expired(
        self, now: float, *, invitation_lifetime: float, failure_window: float
    ) -> int:
        """Delete what can no longer be used; returns the count.

        Pending logins for unknown names are written too (the fake KE2 must look real), so
        without this a stream of login starts would grow state_db without bound.

        The scan runs in a read transaction, which takes no lock; the deletions follow in
        small write transactions, each re-checking its records, so that a sweep of a large
        store never holds the write lock that every worker's requests wait for."""

        def doomed(txn: Any, db: str, key: bytes) -> list[tuple[str, bytes]]:
            """What to delete along with `key`, if it has expired; else nothing."""
            if db == "state_db" and not key.startswith((b"login:", b"reg:")):
                return []  # jti: entries (not sealed) go with their registration
            raw = self._get_raw(txn, db, key)  # opened, for the sealed databases
            if raw is None:
                return []
            if db == "invite_db":
                dead = InviteToken.from_json(raw).expires_at <= now
            elif db == "session_db":
                dead = Session.from_json(raw).expires_at <= now
            elif db == "counter_db":
                dead = all(t <= now - failure_window for t in _unpack_times(raw))
            elif db == "invitation_db":
                dead = Invitation.from_json(raw).issued_at + invitation_lifetime <= now
            elif key.startswith(b"login:"):
                dead = PendingLogin.from_json(raw).expires_at <= now
            else:
                # Kept until its invite expires, not just until it does: while it exists
                # the invitee can start again with the same token (begin_registration).
                reg = PendingRegistration.from_json(raw)
                if reg.invite_expires_at <= now:
                    return [(db, key), (db, b"jti:" + reg.jti.encode())]
                dead = False
            return [(db, key)] if dead else []

        with self._read() as txn:
            candidates = [
                (db, bytes(key))
                for db in _PURGED
                for key in txn.cursor(db=self._dbs[db]).iternext(keys=True, values=False)
                if doomed(txn, db, bytes(key))
            ]
        removed = 0
        for start in range(0, len(candidates), _PURGE_BATCH):
            with self._write() as txn:
                for db, key in candidates[start : start + _PURGE_BATCH]:
                    # re-checked: a counter may have counted again, a session been used
                    found = doomed(txn, db, key)
                    removed += len(found) > 0
                    for target_db, target in found:
                        self._delete(txn, target_db, target)
        return removed
