"""Security properties of DESIGN.md that are not covered by the journey tests."""

from __future__ import annotations

import asyncio
import multiprocessing
import secrets
from pathlib import Path
from typing import Any

from invite_auth.opaque import create_registration_request
from quart_invite_auth import InviteAuth

from .conftest import Clock, make_app
from .helpers import OpaqueUser, b64d, b64e

PASSWORD = "correct-horse-battery-staple"


def lmdb_bytes(data_dir: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(data_dir.iterdir()) if p.is_file())


async def test_lmdb_file_reveals_no_secret(data_dir: Path, clock: Clock) -> None:
    app, auth = make_app(data_dir, clock)
    async with app.test_app():
        client = app.test_client()
        root = OpaqueUser(client, "root", b"root password")
        registered = await root.register(await auth.bootstrap_invite())
        await client.post("/api/invite", json={})  # unauthenticated, nothing written
        setup = auth.context.setup.to_bytes()
    raw = lmdb_bytes(data_dir)
    assert b"root" in raw  # the name index is readable: the file is really what we scan
    secret = registered.totp_secret
    assert secret.encode() not in raw
    assert secret.lower().encode() not in raw
    for code in registered.recovery_codes:
        assert code.encode() not in raw
        assert code.replace("-", "").encode() not in raw
    assert root.registered_record not in raw
    assert root.registered_record[:32] not in raw  # client public key
    assert root.registered_record[32:96] not in raw  # masking key
    assert setup not in raw
    assert setup[:64] not in raw  # the OPRF seed


async def test_lmdb_file_reveals_no_invitation_id(data_dir: Path, clock: Clock) -> None:
    """Invitation ids are bearer capabilities: a copy of the file must not hold them."""
    app, auth = make_app(data_dir, clock)
    async with app.test_app():
        client = app.test_client()
        setup = await client.post("/api/setup", json={"name": "Andrea", "password": PASSWORD})
        assert setup.status_code == 200
        outstanding = (await (await client.post("/api/invite", json={})).get_json())["id"]
        accepted = (await (await client.post("/api/invite", json={})).get_json())["id"]
        accept = await client.post(
            f"/api/invite/{accepted}", json={"name": "Blake", "password": PASSWORD}
        )
        assert accept.status_code == 200
        shown = await client.get(f"/api/invite/{outstanding}")
        assert shown.status_code == 200  # still found by its id
        events = list(await auth.context.store.audit_events())
    raw = lmdb_bytes(data_dir)
    assert b"Andrea" in raw  # the name index is readable: the file is really what we scan
    assert sum(e.event == "invitation_issued" for e in events) == 2
    for invitation_id in (outstanding, accepted):
        assert invitation_id.encode() not in raw
        assert invitation_id[1:].encode() not in raw  # without its "I" prefix


async def test_rotation_keeps_old_data_working(data_dir: Path, clock: Clock) -> None:
    old_secret = secrets.token_hex(32)
    app, auth = make_app(data_dir, clock, secret_key=old_secret)
    async with app.test_app():
        client = app.test_client()
        root = OpaqueUser(client, "root", b"root password")
        await root.register(await auth.bootstrap_invite())
        pending_invite = await auth.issue_invite(account="second")
    new_secret = secrets.token_hex(32)
    app, auth = make_app(data_dir, clock, secret_key=new_secret, secret_key_fallbacks=[old_secret])
    async with app.test_app():
        client = app.test_client()
        root.client = client
        status, body = await root.login(totp_code=root.totp(clock.now))
        assert status == 200, body
        # an invite token signed with the old secret still verifies
        second = OpaqueUser(client, "second", b"pw")
        await second.register(pending_invite)
    # without the fallback, the old data does not open
    app, auth = make_app(data_dir, clock, secret_key=new_secret)
    raised = False
    try:
        async with app.test_app():
            pass
    except Exception:  # the sealed server setup cannot be opened
        raised = True
    assert raised


async def test_reseal_lets_the_old_secret_go(data_dir: Path, clock: Clock) -> None:
    old_secret = secrets.token_hex(32)
    app, auth = make_app(data_dir, clock, secret_key=old_secret)
    async with app.test_app():
        client = app.test_client()
        setup = await client.post("/api/setup", json={"name": "Andrea", "password": PASSWORD})
        assert setup.status_code == 200
        invitation = (await (await client.post("/api/invite", json={})).get_json())["id"]
        root = OpaqueUser(client, "root", b"root password")
        registered = await root.register(await auth.bootstrap_invite())
        # a pending registration (state_db) and a pending login, sealed under the old secret
        await root.login_start()
    new_secret = secrets.token_hex(32)
    app, auth = make_app(data_dir, clock, secret_key=new_secret, secret_key_fallbacks=[old_secret])

    def reseal() -> str:  # the command runs its own event loop: not from inside this one
        result = app.test_cli_runner().invoke(args=["invite-auth", "reseal"])
        assert result.exit_code == 0, result.output
        return str(result.output)

    resealed = int((await asyncio.to_thread(reseal)).split()[1])
    assert resealed >= 6  # setup, 2 principals, recovery codes, invitation, pending login
    again = await asyncio.to_thread(reseal)
    assert again.split()[1] == "0"  # nothing is left under the old secret

    app, auth = make_app(data_dir, clock, secret_key=new_secret)  # no fallback any more
    async with app.test_app():
        client = app.test_client()
        root.client = client
        clock.advance(30)
        status, body = await root.login(totp_code=root.totp(clock.now))
        assert status == 200, body
        status, body = await root.login(recovery_code=registered.recovery_codes[0])
        assert status == 200, body
        login = await client.post("/api/auth/login", json={"name": "Andrea", "password": PASSWORD})
        assert login.status_code == 200
        assert (await client.get(f"/api/invite/{invitation}")).status_code == 200
        assert "reseal" in [e.event for e in await auth.context.store.audit_events()]


async def test_20_concurrent_registration_starts_one_success(data_dir: Path, clock: Clock) -> None:
    app, auth = make_app(data_dir, clock)
    async with app.test_app():
        token = await auth.bootstrap_invite()
        statuses = await asyncio.gather(*(_start(app, token) for _ in range(20)))
    assert sorted(statuses) == [200] + [409] * 19


async def _start(app: Any, token: str) -> int:
    request, _ = create_registration_request(b"pw")
    response = await app.test_client().post(
        "/accounts/registration/start",
        json={
            "invite_token": token,
            "account": "root",
            "registration_request": b64e(request.to_bytes()),
        },
    )
    return int(response.status_code)


def _race_in_process(data_dir: str, secret: str, token: str, barrier: Any, out: Any) -> None:
    async def run() -> list[int]:
        app, _ = make_app(Path(data_dir), Clock(), secret_key=secret)
        async with app.test_app():
            barrier.wait()
            return list(await asyncio.gather(*(_start(app, token) for _ in range(10))))

    out.put(asyncio.run(run()))


def test_concurrent_starts_from_two_processes_one_success(data_dir: Path, clock: Clock) -> None:
    secret = secrets.token_hex(32)
    app, auth = make_app(data_dir, clock, secret_key=secret)

    async def issue() -> str:
        async with app.test_app():
            return await auth.bootstrap_invite()

    token = asyncio.run(issue())
    spawn = multiprocessing.get_context("spawn")
    barrier = spawn.Barrier(2)
    out = spawn.Queue()
    workers = [
        spawn.Process(target=_race_in_process, args=(str(data_dir), secret, token, barrier, out))
        for _ in range(2)
    ]
    for w in workers:
        w.start()
    results = [out.get(timeout=120) for _ in workers]
    for w in workers:
        w.join(timeout=30)
        assert w.exitcode == 0
    statuses = sorted(results[0] + results[1])
    assert statuses == [200] + [409] * 19


async def test_failures_from_one_address_are_limited(data_dir: Path, clock: Clock) -> None:
    app, auth = make_app(data_dir, clock, max_failures_per_client=5)
    async with app.test_app():
        client = app.test_client()
        for i in range(5):
            response = await client.post(
                "/api/auth/login", json={"name": f"nobody{i}", "password": PASSWORD}
            )
            assert response.status_code == 401
        response = await client.post(
            "/api/auth/login", json={"name": "other", "password": PASSWORD}
        )
        assert response.status_code == 429
        assert (await response.get_json())["code"] == "rate_limited"
        assert int(response.headers["Retry-After"]) > 0
        for _ in range(5):  # refused again and again while locked out
            again = await client.post(
                "/api/auth/login", json={"name": "other", "password": PASSWORD}
            )
            assert again.status_code == 429
        events = [e.event for e in await auth.context.store.audit_events()]
        assert events.count("lockout") == 1  # logged once, not once per refusal


async def test_attacker_without_password_cannot_lock_owner_out_of_mfa(
    data_dir: Path, clock: Clock
) -> None:
    app, auth = make_app(data_dir, clock)
    async with app.test_app():
        client = app.test_client()
        root = OpaqueUser(client, "root", b"root password")
        await root.register(await auth.bootstrap_invite())
        limit = auth.context.settings.max_mfa_failures_per_account
        # wrong passwords with MFA codes attached never reach the MFA counter (spaced out
        # so the growing delays between password failures do not refuse them first)
        for _ in range(limit + 5):
            status, body = await root.login(totp_code="000000", password=b"guess")
            assert (status, body["code"]) == (401, "login_failed")
            clock.advance(auth.context.settings.max_failure_delay)
        # the owner, with the password, still passes MFA
        status, body = await root.login(totp_code=root.totp(clock.now))
        assert status == 200, body
        # MFA failures by the password holder are limited
        for _ in range(limit):
            status, body = await root.login(totp_code="000000")
            assert body["code"] == "mfa_invalid"
        status, body = await root.login(totp_code=root.totp(clock.now + 30))
        assert (status, body["code"]) == (429, "rate_limited")


async def test_sessions_are_stored_hashed(data_dir: Path, clock: Clock) -> None:
    app, _auth = make_app(data_dir, clock)
    async with app.test_app():
        response = await app.test_client().post(
            "/api/setup", json={"name": "Andrea", "password": PASSWORD}
        )
        assert response.status_code == 200
        cookie = response.headers["Set-Cookie"].split(";")[0].split("=", 1)[1]
    assert len(cookie) >= 43  # 256 bits, base64url
    assert cookie.encode() not in lmdb_bytes(data_dir)


async def test_argon2_runs_off_the_event_loop(auth: InviteAuth, client: Any) -> None:
    """While a default-cost Argon2id hash runs, the loop keeps answering quickly."""
    from quart_invite_auth.config import Settings
    from quart_invite_auth.services.passwords import Passwords

    hasher = Passwords(Settings())  # t=3, m=64 MiB, p=4: ~100 ms of CPU
    loop = asyncio.get_running_loop()
    task = asyncio.ensure_future(hasher.hash("a password that takes a while"))
    gaps: list[float] = []
    last = loop.time()
    while not task.done():
        await asyncio.sleep(0.001)
        now = loop.time()
        gaps.append(now - last)
        last = now
    assert (await task).startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert len(gaps) > 5  # the loop ticked many times while hashing


async def test_one_second_factor_cannot_open_two_sessions_at_once(
    data_dir: Path, clock: Clock
) -> None:
    """Two logins racing with the same recovery code (or TOTP code): exactly one wins."""
    # all four recovery-code checks may run at once (the default allows two per name)
    app, auth = make_app(data_dir, clock, max_hashing_per_account=4)
    async with app.test_app():
        client = app.test_client()
        root = OpaqueUser(client, "root", b"root password")
        registered = await root.register(await auth.bootstrap_invite())
        for recovery, totp in ((registered.recovery_codes[0], None), (None, root.totp(clock.now))):
            results = await asyncio.gather(
                *(root.login(recovery_code=recovery, totp_code=totp) for _ in range(4))
            )
            statuses = sorted(status for status, _ in results)
            assert statuses == [200, 401, 401, 401], results
            refused = {body["code"] for status, body in results if status == 401}
            assert refused <= {"mfa_invalid", "totp_replayed"}


async def test_recovery_codes_are_stored_only_as_argon2id_hashes(
    data_dir: Path, clock: Clock
) -> None:
    from argon2 import PasswordHasher

    app, auth = make_app(data_dir, clock)
    async with app.test_app():
        root = OpaqueUser(app.test_client(), "root", b"root password")
        registered = await root.register(await auth.bootstrap_invite())
        principal = await auth.context.store.principal_by_name("root")
        assert principal is not None
        hashes = (await auth.context.store.recovery_codes(principal.id)).hashes
    assert len(hashes) == len(registered.recovery_codes) == 10
    for code, hashed in zip(registered.recovery_codes, hashes, strict=True):
        assert hashed is not None
        assert hashed.startswith("$argon2id$")
        assert code.replace("-", "") not in hashed
        assert PasswordHasher().verify(hashed, code.replace("-", ""))


async def test_lmdb_file_reveals_no_pending_registration_or_login_id(
    data_dir: Path, clock: Clock
) -> None:
    """Pending ids are bearer handles: from a copy of the file, someone could finish the
    owner's registration first (and take the MFA bundle and the name) or the login."""
    app, auth = make_app(data_dir, clock)
    async with app.test_app():
        client = app.test_client()
        request, _ = create_registration_request(b"root password")
        started = await client.post(
            "/accounts/registration/start",
            json={
                "invite_token": await auth.bootstrap_invite(),
                "account": "root",
                "registration_request": b64e(request.to_bytes()),
            },
        )
        assert started.status_code == 200
        registration_id = (await started.get_json())["registration_id"]
        login = OpaqueUser(client, "someone", b"a password")
        _, login_started = await login.login_start()
        login_id = login_started["login_id"]
    raw = lmdb_bytes(data_dir)
    assert b"root" in raw  # the file is really what we scan
    for handle in (registration_id, login_id):
        assert handle.encode() not in raw
        assert b64d(handle) not in raw  # nor its bytes
        assert handle[:16].encode() not in raw
