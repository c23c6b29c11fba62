"""Secrets at rest: what either backend keeps (the LMDB files, the PostgreSQL rows) shows
no TOTP secret, recovery code hash, password file, record or pending state, and no
invitation id; a rotated secret key can be sealed out of the store."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass

from quart_invite_auth.store.core import Store
from quart_invite_auth.store.kv import Backend
from quart_invite_auth.store.records import Invitation, PendingLogin, PendingRegistration

from .conftest import Place, keyring_for
from .helpers import (
    NOW,
    attempt,
    invitation,
    invite,
    pending_login,
    pending_registration,
    principal,
    recovery,
)


def b64(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


@dataclass
class Secrets:
    setup: bytes
    owner_id: str
    login: PendingLogin
    registration: PendingRegistration
    shown: Invitation
    needles: list[bytes]


async def populate(store: Store) -> Secrets:
    setup = os.urandom(64)
    assert await store.server_setup(lambda: setup) == setup
    token = invite()
    await store.put_invite(token)
    pending = pending_registration(token, "owner")
    await store.begin_registration(pending, NOW)
    owner = principal("owner", principal_id=pending.principal_id)
    codes = recovery()
    await store.complete_registration(pending.id, owner, codes, NOW)
    held = invite()
    await store.put_invite(held)
    in_progress = pending_registration(held, "another")  # left pending
    await store.begin_registration(in_progress, NOW)
    login = pending_login(owner, "owner")
    assert await store.begin_login(login, attempt([("acct:owner", 5)]))
    shown = invitation(owner.id)
    await store.put_invitation(shown)
    assert owner.totp_secret is not None
    assert owner.opaque_record is not None
    needles = [
        setup,
        b64(setup),
        owner.totp_secret.encode(),
        owner.opaque_record,
        b64(owner.opaque_record),
        *(h.encode() for h in codes.hashes if h),
        in_progress.registration_response,
        b64(in_progress.registration_response),
        b'"registration_response"',
        b'"claims"',
        login.server_state,
        b64(login.server_state),
        b'"server_state"',
        b'"totp_secret"',
        b'"opaque_record"',
        b'"hashes"',
        shown.id.encode(),
        b'"issuer"',
    ]
    return Secrets(setup, owner.id, login, in_progress, shown, needles)


async def test_nothing_secret_at_rest(place: Place, store: Store) -> None:
    made = await populate(store)
    await store.backend.close()
    raw = await place.at_rest()
    assert len(raw) > 1000  # the records are there ...
    assert b"owner" in raw  # ... and readable where nothing is secret (the name index)
    for needle in made.needles:
        assert needle not in raw, needle


async def test_rotation_and_reseal(place: Place, backend: Backend, secret: str) -> None:
    made = await populate(Store(backend, keyring_for(secret)))
    new_secret = os.urandom(32).hex()
    rotating = Store(backend, keyring_for(new_secret, secret))
    assert await rotating.reseal() >= 6
    assert await rotating.reseal() == 0
    # the old secret is gone: everything still opens under the new one alone
    fresh = Store(backend, keyring_for(new_secret))
    assert await fresh.server_setup(lambda: b"not used") == made.setup
    owner = await fresh.get_principal(made.owner_id)
    assert owner is not None
    assert owner.totp_secret
    assert len((await fresh.recovery_codes(made.owner_id)).hashes) == 10
    assert await fresh.get_pending_login(made.login.id, NOW) == made.login
    assert await fresh.get_pending_registration(made.registration.id, NOW) == made.registration
    assert await fresh.get_invitation(made.shown.id) == made.shown
