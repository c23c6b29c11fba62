"""The client side of the accounts API, played by the OPAQUE core, for in-process tests."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass, field
from typing import Any

import pyotp
from quart.typing import TestClientProtocol

from invite_auth.opaque import (
    KE2,
    KE3,
    Argon2idKSF,
    EnvelopeRecoveryError,
    RegistrationResponse,
    create_registration_request,
    finalize_registration_request,
    generate_ke1,
    generate_ke3,
)
from invite_auth.sealing import SealedBundle, open_bundle, sealing_public_key

# Real Argon2id, cheap parameters: the KSF is the client's choice and tests run many logins.
TEST_KSF = Argon2idKSF(time_cost=1, memory_cost=1024, parallelism=1)


def b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def forget_cookies(client: TestClientProtocol) -> None:
    """Drop the test client's cookies, to act as a visitor with no identity cookie."""
    jar = client.cookie_jar
    assert jar is not None
    jar.clear()


class LoginRefused(Exception):
    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body


@dataclass
class Registered:
    account: dict[str, Any]
    totp_secret: str
    otpauth_uri: str
    recovery_codes: list[str]
    export_key: bytes


def from_address(address: str | None) -> dict[str, Any]:
    """Request options that make the request come from `address` (None: the default)."""
    return {} if address is None else {"scope_base": {"client": (address, 40000)}}


@dataclass
class OpaqueUser:
    client: TestClientProtocol
    account: str
    password: bytes
    token: str | None = None
    registered: Registered | None = field(default=None)
    registered_record: bytes = b""
    # Sent with every login start when set; a successful login replaces it.
    device_token: str | None = None
    # The client address requests come from (None: the test client's default).
    address: str | None = None

    async def register(self, invite_token: str) -> Registered:
        request, state = create_registration_request(self.password)
        started = await self.client.post(
            "/accounts/registration/start",
            json={
                "invite_token": invite_token,
                "account": self.account,
                "registration_request": b64e(request.to_bytes()),
            },
        )
        assert started.status_code == 200, await started.get_json()
        start_body = await started.get_json()
        response = RegistrationResponse.from_bytes(b64d(start_body["registration_response"]))
        record, export_key = finalize_registration_request(state, response, ksf=TEST_KSF)
        self.registered_record = record.to_bytes()
        finished = await self.client.post(
            "/accounts/registration/finish",
            json={
                "registration_id": start_body["registration_id"],
                "registration_record": b64e(record.to_bytes()),
                "sealing_public_key": b64e(sealing_public_key(export_key)),
            },
        )
        assert finished.status_code == 201, await finished.get_json()
        body = await finished.get_json()
        sealed = body["sealed_mfa"]
        opened = open_bundle(
            export_key,
            self.account,
            SealedBundle(
                b64d(sealed["ephemeral_public_key"]),
                b64d(sealed["nonce"]),
                b64d(sealed["ciphertext"]),
            ),
        )
        self.registered = Registered(
            body["account"],
            opened["totp_secret"],
            opened["otpauth_uri"],
            opened["recovery_codes"],
            export_key,
        )
        return self.registered

    async def login_start(self, password: bytes | None = None) -> tuple[Any, dict[str, Any]]:
        ke1, state = generate_ke1(password if password is not None else self.password)
        body = {"account": self.account, "ke1": b64e(ke1.to_bytes())}
        if self.device_token is not None:
            body["device_token"] = self.device_token
        started = await self.client.post(
            "/accounts/login/start", json=body, **from_address(self.address)
        )
        if started.status_code != 200:
            raise LoginRefused(started.status_code, await started.get_json())
        return state, await started.get_json()

    async def login(
        self,
        *,
        totp_code: str | None = None,
        recovery_code: str | None = None,
        password: bytes | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """Full login; returns (status, body) of the request that ended it."""
        try:
            state, started = await self.login_start(password)
        except LoginRefused as refused:
            return refused.status, refused.body
        try:
            ke3, _session_key, _export_key = generate_ke3(
                state, KE2.from_bytes(b64d(started["ke2"])), ksf=TEST_KSF
            )
            ke3_bytes = ke3.to_bytes()
        except EnvelopeRecoveryError:
            # Wrong password: the client cannot finish, so play the attacker, who sends a
            # guessed client MAC to reach the server's checks anyway.
            ke3_bytes = os.urandom(KE3.SIZE)
        body: dict[str, Any] = {"login_id": started["login_id"], "ke3": b64e(ke3_bytes)}
        if totp_code is not None:
            body["totp_code"] = totp_code
        if recovery_code is not None:
            body["recovery_code"] = recovery_code
        finished = await self.client.post(
            "/accounts/login/finish", json=body, **from_address(self.address)
        )
        payload = await finished.get_json()
        if finished.status_code == 200:
            self.token = payload["access_token"]
            self.device_token = payload.get("device_token")
        return finished.status_code, payload

    def totp(self, at: float) -> str:
        assert self.registered is not None
        return pyotp.TOTP(self.registered.totp_secret).at(at)

    def auth(self) -> dict[str, str]:
        assert self.token is not None
        return {"Authorization": f"Bearer {self.token}"}
