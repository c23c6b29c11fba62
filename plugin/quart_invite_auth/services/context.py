"""What every service needs: settings, store, keys, the OPAQUE setup and a clock."""

from __future__ import annotations

import base64
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from invite_auth.opaque import ServerSetup

from ..config import Settings
from ..keyring import Keyring
from ..store.core import Store
from ..store.records import AuditEvent
from .inflight import InFlight

Clock = Callable[[], float]


@dataclass
class AuthContext:
    settings: Settings
    store: Store
    keyring: Keyring
    setup: ServerSetup
    clock: Clock = field(default=time.time)
    # Argon2id verifications running in this process, per name and per address.
    in_flight: InFlight = field(default_factory=InFlight)

    def now(self) -> float:
        return self.clock()

    def event(
        self,
        event: str,
        *,
        principal_id: str | None = None,
        name: str | None = None,
        client: str | None = None,
        **detail: Any,
    ) -> AuditEvent:
        """An audit event, to write along with the operation it records."""
        return AuditEvent(
            at=self.now(),
            event=event,
            principal_id=principal_id,
            name=name,
            client=client,
            detail=detail,
        )

    async def audit(
        self,
        event: str,
        *,
        principal_id: str | None = None,
        name: str | None = None,
        client: str | None = None,
        **detail: Any,
    ) -> None:
        """Write an audit event on its own (when no other write goes with it)."""
        await self.store.audit(
            self.event(event, principal_id=principal_id, name=name, client=client, **detail)
        )


def new_id(prefix: str) -> str:
    """A prefixed identifier with 128 bits from the CSPRNG (seed 003's L… and I… ids)."""
    return prefix + base64.b32encode(secrets.token_bytes(16)).decode().rstrip("=").lower()


def new_handle() -> str:
    """An opaque, unguessable handle for a pending registration or login (192 bits)."""
    return secrets.token_urlsafe(24)
