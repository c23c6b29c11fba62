"""The store interface: each method is one atomic domain step.

The LMDB backend implements it with one write transaction per call; another backend
must give the same all-or-nothing guarantee.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Protocol

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
    RecoveryCodes,
    Session,
)


class Store(Protocol):
    """The atomic domain steps; each is one write transaction, audit events included."""

    def close(self) -> None: ...

    # Server-wide OPAQUE setup, made once and shared by every worker
    def server_setup(self, generate: Callable[[], bytes]) -> bytes: ...

    # Names, domains, principals
    def name_owner(self, name: str) -> str | None: ...
    def domain_owner(self, domain: str) -> str | None: ...
    def get_principal(self, principal_id: str) -> Principal | None: ...
    def principals(self) -> list[Principal]: ...
    def principal_by_name(self, name: str) -> Principal | None: ...
    def count_principals(self) -> int: ...
    def has_privileged(self) -> bool: ...
    def create_first_principal(
        self, principal: Principal, session: NewSession, events: Sequence[AuditEvent] = ()
    ) -> None: ...

    # Seed 000: invite tokens and registration
    def put_invite(self, invite: InviteToken, events: Sequence[AuditEvent] = ()) -> None: ...
    def begin_registration(
        self, pending: PendingRegistration, now: float, events: Sequence[AuditEvent] = ()
    ) -> None: ...
    def get_pending_registration(self, registration_id: str, now: float) -> PendingRegistration: ...
    def complete_registration(
        self,
        registration_id: str,
        principal: Principal,
        recovery: RecoveryCodes,
        now: float,
        events: Sequence[AuditEvent] = (),
    ) -> None: ...

    # Login
    def begin_login(self, pending: PendingLogin, attempt: Attempt) -> bool:
        """Keep the login state and count the attempt as a failure, in one transaction;
        False, with nothing written, if the attempt's limits are already reached."""
        ...

    def get_pending_login(self, login_id: str, now: float) -> PendingLogin: ...
    def fail_login(
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
        ...

    def complete_login(
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
        ...

    def recovery_codes(self, principal_id: str) -> RecoveryCodes: ...

    # Seed 003: invitations
    def put_invitation(self, invitation: Invitation, events: Sequence[AuditEvent] = ()) -> None: ...
    def get_invitation(self, invitation_id: str) -> Invitation | None: ...
    def accept_invitation(
        self,
        invitation_id: str,
        principal: Principal,
        now: float,
        lifetime: float,
        session: NewSession,
        events: Sequence[AuditEvent] = (),
    ) -> None: ...

    # Sessions, keyed by a hash of the token
    def put_session(self, session: NewSession, events: Sequence[AuditEvent] = ()) -> None: ...
    def get_session(self, token_hash: bytes) -> Session | None: ...
    def touch_session(self, token_hash: bytes, now: float) -> None: ...
    def delete_session(self, token_hash: bytes, events: Sequence[AuditEvent] = ()) -> None: ...

    # Failure counters shared by all workers: timestamps of recent failures per key
    def recent_failures(self, keys: Sequence[str], since: float) -> list[int]: ...
    def password_login(
        self, attempt: Attempt, session: NewSession | None, events: Sequence[AuditEvent] = ()
    ) -> bool:
        """Record a password login's outcome: the session, or (None) one failure; False,
        with nothing written, if the attempt's limits were already reached."""
        ...

    def record_lockout(self, key: str, since: float, event: AuditEvent) -> None:
        """Log a lockout of `key` unless one was logged after `since`."""
        ...

    # Audit log
    def audit(self, event: AuditEvent) -> None: ...
    def audit_events(self) -> Iterator[AuditEvent]: ...

    # Expired pending states, used invitations and sessions
    def entry_counts(self) -> dict[str, int]:
        """Records per database, for operators and tests."""
        ...

    def purge_expired(
        self, now: float, *, invitation_lifetime: float, failure_window: float
    ) -> int: ...

    # Key rotation
    def reseal(self, events: Sequence[AuditEvent] = ()) -> int:
        """Seal again under the current secret every value a fallback secret sealed, in
        one transaction; returns how many. Afterwards no stored value needs a fallback."""
        ...
