"""Hooks: each signal fires once for a committed operation, never for a failed or refused
one, and a receiver that raises changes neither the answer nor the stored data."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from quart import Quart
from quart.typing import TestClientProtocol

from quart_invite_auth import InviteAuth, SecurityEvent, signals

from .conftest import Clock
from .helpers import OpaqueUser, forget_cookies

NAMED = {
    "invite_issued": signals.invite_issued,
    "account_registered": signals.account_registered,
    "logged_in": signals.logged_in,
    "logged_out": signals.logged_out,
    "login_failed": signals.login_failed,
    "invitation_created": signals.invitation_created,
    "invitation_accepted": signals.invitation_accepted,
    "recovery_code_used": signals.recovery_code_used,
}


@contextmanager
def recording(app: Quart) -> Iterator[tuple[Counter[str], list[SecurityEvent]]]:
    """Count every named signal, and keep every event `security_event` carried."""
    fired: Counter[str] = Counter()
    seen: list[SecurityEvent] = []
    receivers: list[tuple[Any, Any]] = []
    for name, signal in NAMED.items():

        def receive(sender: Any, *, event: SecurityEvent, name: str = name) -> None:
            assert sender is app
            fired[name] += 1

        signal.connect(receive, sender=app, weak=False)
        receivers.append((signal, receive))

    async def every(sender: Any, *, event: SecurityEvent) -> None:  # an async receiver
        seen.append(event)

    signals.security_event.connect(every, sender=app, weak=False)
    receivers.append((signals.security_event, every))
    try:
        yield fired, seen
    finally:
        for signal, receiver in receivers:
            signal.disconnect(receiver, sender=app)


async def test_each_committed_operation_fires_its_signals_once(
    served: tuple[Quart, InviteAuth], client: TestClientProtocol, clock: Clock
) -> None:
    app, auth = served
    with recording(app) as (fired, seen):
        root = OpaqueUser(client, "root", b"root password")
        await root.register(await auth.bootstrap_invite())
        assert fired == Counter(invite_issued=1, account_registered=1)

        clock.advance(30)
        assert (await root.login(totp_code=root.totp(clock.now)))[0] == 200
        assert fired["logged_in"] == 1

        invited = await client.post("/api/invite", json={}, headers=root.auth())
        invitation = (await invited.get_json())["id"]
        assert fired["invitation_created"] == 1
        forget_cookies(client)
        accepted = await client.post(
            f"/api/invite/{invitation}", json={"name": "Blake", "password": "blake password"}
        )
        assert accepted.status_code == 200
        assert (fired["invitation_accepted"], fired["account_registered"]) == (1, 2)

        assert (await client.post("/api/auth/logout")).status_code == 204
        assert fired["logged_out"] == 1

        assert root.registered is not None
        code = root.registered.recovery_codes[0]
        assert (await root.login(recovery_code=code))[0] == 200
        assert (fired["recovery_code_used"], fired["logged_in"]) == (1, 2)

    assert fired == Counter(
        invite_issued=1,
        account_registered=2,
        logged_in=2,
        invitation_created=1,
        invitation_accepted=1,
        logged_out=1,
        recovery_code_used=1,
    )
    # security_event carried exactly what the audit log holds (the log orders events by
    # time, and the test clock stands still between some of them: compare as multisets).
    audit = Counter(event.event for event in await auth.context.store.audit_events())
    assert Counter(event.type for event in seen) == audit
    login = next(event for event in seen if event.type == "login")
    assert (login.name, login.detail["method"]) == ("root", "opaque")
    assert login.account_id is not None
    assert login.account_id == (await auth.account_by_name("root")).id  # type: ignore[union-attr]


async def test_failed_and_refused_operations_fire_nothing_but_their_failure(
    served: tuple[Quart, InviteAuth], client: TestClientProtocol, clock: Clock
) -> None:
    app, auth = served
    root = OpaqueUser(client, "root", b"root password")
    token = await auth.bootstrap_invite()
    await root.register(token)
    clock.advance(30)
    with recording(app) as (fired, _):
        # A spent invite: refused before anything is written.
        again = OpaqueUser(client, "root2", b"pw")
        with pytest.raises(AssertionError):
            await again.register(token)
        # A wrong password: a failure, and only that.
        assert (await root.login(totp_code=root.totp(clock.now), password=b"wrong"))[0] == 401
        # An invitation that does not exist, a taken name, bad credentials.
        missing = await client.post(
            "/api/invite/Inope", json={"name": "Casey", "password": "casey password"}
        )
        assert missing.status_code == 404
        bad = await client.post("/api/auth/login", json={"name": "root", "password": "nope-nope"})
        assert bad.status_code == 401
        # Logout without a session is refused.
        assert (await client.post("/api/auth/logout")).status_code == 401
    assert fired == Counter(login_failed=2)


async def test_a_raising_receiver_changes_neither_answer_nor_data(
    served: tuple[Quart, InviteAuth],
    client: TestClientProtocol,
    caplog: pytest.LogCaptureFixture,
) -> None:
    app, auth = served

    def broken(sender: Any, *, event: SecurityEvent) -> None:
        raise RuntimeError("a host bug")

    async def broken_async(sender: Any, *, event: SecurityEvent) -> None:
        raise RuntimeError("another host bug")

    signals.account_registered.connect(broken, sender=app, weak=False)
    signals.security_event.connect(broken_async, sender=app, weak=False)
    try:
        with caplog.at_level(logging.ERROR, logger="quart_invite_auth"):
            root = OpaqueUser(client, "root", b"root password")
            registered = await root.register(await auth.bootstrap_invite())
        assert registered.account["name"] == "root"  # 201, with the sealed bundle opened
        principal = await auth.context.store.principal_by_name("root")
        assert principal is not None
        assert principal.opaque_record == root.registered_record
        assert len((await auth.context.store.recovery_codes(principal.id)).hashes) == 10
        assert "a host bug" in caplog.text
        assert "another host bug" in caplog.text
    finally:
        signals.account_registered.disconnect(broken, sender=app)
        signals.security_event.disconnect(broken_async, sender=app)


async def test_receivers_of_another_app_hear_nothing(
    served: tuple[Quart, InviteAuth], client: TestClientProtocol
) -> None:
    _, auth = served
    other = Quart("other")
    with recording(other) as (fired, seen):
        await auth.issue_invite(account="owner", domain="owner.example")
    assert fired == Counter()
    assert seen == []
