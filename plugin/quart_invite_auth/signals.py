"""Hooks for host code after security events: blinker signals, as Quart's own signals are.

Every event the audit log records is sent once it is committed, never before and never for
an operation that failed: the store sends them after the transaction that wrote them.
Receivers take the app as sender and a `SecurityEvent`, and may be plain functions or
coroutines:

    from quart_invite_auth import signals

    @signals.logged_in.connect_via(app)
    async def welcome(sender, event):
        ...

Receivers run in the request, after the commit and before the answer is sent: keep them
short (start a task for slow work). A receiver that raises is logged; the operation stays
done and the client's answer is unchanged.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from blinker import Namespace, Signal

from .store.records import AuditEvent

log = logging.getLogger("quart_invite_auth")
_signals = Namespace()

#: Every committed security event, whatever its type.
security_event = _signals.signal("invite-auth security-event")
#: An invite token was minted (`invite_issued`).
invite_issued = _signals.signal("invite-auth invite-issued")
#: A new account or login exists: OPAQUE registration finished (`registered`), an
#: invitation was accepted (`invitation_accepted`), or initial setup (`initial_setup`).
account_registered = _signals.signal("invite-auth account-registered")
#: A login succeeded and a session began (`login`).
logged_in = _signals.signal("invite-auth logged-in")
#: A session ended by logout (`logout`).
logged_out = _signals.signal("invite-auth logged-out")
#: A login attempt failed (`login_failed`).
login_failed = _signals.signal("invite-auth login-failed")
#: A seed-003 invitation was created (`invitation_issued`).
invitation_created = _signals.signal("invite-auth invitation-created")
#: A seed-003 invitation was accepted (`invitation_accepted`).
invitation_accepted = _signals.signal("invite-auth invitation-accepted")
#: A recovery code was spent at login (`recovery_code_used`).
recovery_code_used = _signals.signal("invite-auth recovery-code-used")
#: Failure limits locked an account or address out (`lockout`).
locked_out = _signals.signal("invite-auth locked-out")

# Audit event types → the signals besides `security_event` that carry them.
_BY_TYPE: dict[str, tuple[Signal, ...]] = {
    "invite_issued": (invite_issued,),
    "registered": (account_registered,),
    "initial_setup": (account_registered,),
    "invitation_accepted": (account_registered, invitation_accepted),
    "login": (logged_in,),
    "logout": (logged_out,),
    "login_failed": (login_failed,),
    "invitation_issued": (invitation_created,),
    "recovery_code_used": (recovery_code_used,),
    "lockout": (locked_out,),
}


@dataclass(frozen=True)
class SecurityEvent:
    """What happened, as the audit log records it."""

    type: str
    at: datetime
    account_id: str | None
    name: str | None
    client: str | None
    detail: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_audit(cls, event: AuditEvent) -> SecurityEvent:
        return cls(
            type=event.event,
            at=datetime.fromtimestamp(event.at, UTC),
            account_id=event.principal_id,
            name=event.name,
            client=event.client,
            detail=dict(event.detail),
        )


async def send(sender: Any, events: Sequence[AuditEvent]) -> None:
    """Send committed events to every receiver; a failing receiver is only logged."""
    for audit in events:
        event = SecurityEvent.from_audit(audit)
        for signal in (security_event, *_BY_TYPE.get(audit.event, ())):
            for receiver in signal.receivers_for(sender):
                try:
                    result = receiver(sender, event=event)
                    if inspect.isawaitable(result):
                        await result
                except Exception:
                    log.exception(
                        "invite-auth: a receiver of %s failed (the operation stands)", audit.event
                    )
