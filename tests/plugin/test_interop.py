"""An opaque-ke client (Rust, via opaque-snake) registers and logs in through the HTTP API.

Its export key opens the sealed MFA bundle, so any RFC 9807 client with the documented
configuration can use the accounts API.
"""

from __future__ import annotations

import opaque_snake as ke
import pyotp
from quart.typing import TestClientProtocol

from invite_auth.sealing import SealedBundle, open_bundle, sealing_public_key
from quart_invite_auth import InviteAuth

from .conftest import Clock
from .helpers import b64d, b64e

PASSWORD = "a passphrase typed in a browser"


async def test_an_opaque_ke_client_registers_opens_its_bundle_and_logs_in(
    client: TestClientProtocol, auth: InviteAuth, clock: Clock
) -> None:
    opaque = ke.OpaqueClient()
    request, state = opaque.start_registration(PASSWORD)
    started = await client.post(
        "/accounts/registration/start",
        json={
            "invite_token": await auth.bootstrap_invite(),
            "account": "root",
            "registration_request": b64e(request.to_bytes()),
        },
    )
    assert started.status_code == 200
    start_body = await started.get_json()
    result = opaque.finish_registration(
        ke.RegistrationResponse.from_bytes(b64d(start_body["registration_response"])),
        state,
        PASSWORD,
    )
    finished = await client.post(
        "/accounts/registration/finish",
        json={
            "registration_id": start_body["registration_id"],
            "registration_record": b64e(result.upload.to_bytes()),
            "sealing_public_key": b64e(sealing_public_key(result.export_key)),
        },
    )
    assert finished.status_code == 201
    sealed = (await finished.get_json())["sealed_mfa"]
    secrets = open_bundle(
        result.export_key,
        "root",
        SealedBundle(
            b64d(sealed["ephemeral_public_key"]), b64d(sealed["nonce"]), b64d(sealed["ciphertext"])
        ),
    )

    ke1, login_state = opaque.start_login(PASSWORD)
    login = await client.post(
        "/accounts/login/start", json={"account": "root", "ke1": b64e(ke1.to_bytes())}
    )
    assert login.status_code == 200
    login_body = await login.get_json()
    outcome = opaque.finish_login(
        ke.CredentialResponse.from_bytes(b64d(login_body["ke2"])), login_state, PASSWORD
    )
    done = await client.post(
        "/accounts/login/finish",
        json={
            "login_id": login_body["login_id"],
            "ke3": b64e(outcome.finalization.to_bytes()),
            "totp_code": pyotp.TOTP(secrets["totp_secret"]).at(clock.now),
        },
    )
    assert done.status_code == 200, await done.get_json()
    assert outcome.session_keys.export_key == result.export_key
