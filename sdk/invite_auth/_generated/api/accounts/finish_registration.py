from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.registration_finish_request import RegistrationFinishRequest
from ...models.registration_finish_response import RegistrationFinishResponse
from ...types import Response


def _get_kwargs(
    *,
    body: RegistrationFinishRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/accounts/registration/finish",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | RegistrationFinishResponse | None:
    if response.status_code == 201:
        response_201 = RegistrationFinishResponse.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | RegistrationFinishResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: RegistrationFinishRequest,
) -> Response[Problem | RegistrationFinishResponse]:
    """Finish the OPAQUE registration; receive the sealed MFA bundle

     The client runs `FinalizeRegistrationRequest` and obtains the `registration_record` and
    the `export_key`, derives its **sealing key pair** from the `export_key` and sends the
    record and the sealing public key. In one atomic step the server writes the account,
    its OPAQUE record, its TOTP secret (encrypted at rest), its recovery codes (Argon2id
    hashes only) and removes the pending registration. It returns the account and the
    TOTP secret and recovery codes **sealed** to the client's sealing key.

    ## Sealed MFA bundle

    Only standard primitives, so any RFC 9807 client can open it (e.g. with WebCrypto):

    1. **Sealing key pair.** `sk = HKDF-SHA512(salt = empty, ikm = export_key,
       info = "invite-auth sealing key v1", L = 32)` (the 64-byte OPAQUE `export_key`;
       `info` is the ASCII string). `sk` is an X25519 private key (RFC 7748; X25519 clamps
       it); `sealing_public_key = X25519(sk, 9)`, 32 bytes.
    2. **Server.** It makes an ephemeral X25519 key pair (`e`, `E`), computes
       `shared = X25519(e, sealing_public_key)` (an all-zero result or a low-order key is
       `400 invalid_sealing_key`) and derives
       `key = HKDF-SHA512(salt = empty, ikm = shared,
       info = "invite-auth sealed bundle v1" ‖ E ‖ sealing_public_key ‖ UTF-8(account),
       L = 32)`, where `‖` is byte concatenation, `E` and `sealing_public_key` are the raw
       32-byte keys and `account` is the account name of the registration.
    3. It encrypts the UTF-8 JSON object `MfaSecrets`
       (`{"totp_secret", "otpauth_uri", "recovery_codes"}`) with **AES-256-GCM** under
       `key`, a random 12-byte `nonce`, associated data `UTF-8(account)` and a 128-bit tag,
       and returns `sealed_mfa = {ephemeral_public_key: E, nonce, ciphertext}`;
       `ciphertext` is the encrypted bytes followed by the 16-byte tag.
    4. **Client.** `shared = X25519(sk, ephemeral_public_key)` (refuse all-zero), the same
       HKDF gives `key`, and AES-256-GCM decryption with `nonce` and the same associated data
       gives the JSON. Because the `export_key` is the same at every later login, the client
       can re-derive the key pair whenever the server seals something new to it.

    With WebCrypto: import `sk` as PKCS#8 (the 16-byte prefix
    `302e020100300506032b656e04220420` followed by the 32 bytes of `sk`) for the
    `X25519` algorithm and export it as JWK to read the public key (`x`); `deriveBits`
    with `{name: "X25519", public: E}` and 256 bits gives `shared`; HKDF is
    `{name: "HKDF", hash: "SHA-512", salt: new Uint8Array(0), info}` with 256 bits;
    `AES-GCM` `decrypt` takes `{iv: nonce, additionalData: UTF-8(account)}` and the
    `ciphertext` as is (tag included).

    The TOTP secret follows RFC 6238 with SHA-1, 6 digits and a 30-second step (what
    authenticator apps expect); `otpauth_uri` can be shown as a QR code. The ten recovery
    codes carry 80 bits each, are shown grouped (`XXXX-XXXX-XXXX-XXXX`), are accepted
    case- and separator-insensitively and each works once.

    If the sealing key is refused, nothing is written and the same `registration_id` can
    be finished again with a usable key while it has not expired. A second finish of a
    finished registration is `404 registration_not_found`. The new account has no session
    yet: log in with `startLogin` / `finishLogin`.

    Args:
        body (RegistrationFinishRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RegistrationFinishResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: RegistrationFinishRequest,
) -> Problem | RegistrationFinishResponse | None:
    """Finish the OPAQUE registration; receive the sealed MFA bundle

     The client runs `FinalizeRegistrationRequest` and obtains the `registration_record` and
    the `export_key`, derives its **sealing key pair** from the `export_key` and sends the
    record and the sealing public key. In one atomic step the server writes the account,
    its OPAQUE record, its TOTP secret (encrypted at rest), its recovery codes (Argon2id
    hashes only) and removes the pending registration. It returns the account and the
    TOTP secret and recovery codes **sealed** to the client's sealing key.

    ## Sealed MFA bundle

    Only standard primitives, so any RFC 9807 client can open it (e.g. with WebCrypto):

    1. **Sealing key pair.** `sk = HKDF-SHA512(salt = empty, ikm = export_key,
       info = "invite-auth sealing key v1", L = 32)` (the 64-byte OPAQUE `export_key`;
       `info` is the ASCII string). `sk` is an X25519 private key (RFC 7748; X25519 clamps
       it); `sealing_public_key = X25519(sk, 9)`, 32 bytes.
    2. **Server.** It makes an ephemeral X25519 key pair (`e`, `E`), computes
       `shared = X25519(e, sealing_public_key)` (an all-zero result or a low-order key is
       `400 invalid_sealing_key`) and derives
       `key = HKDF-SHA512(salt = empty, ikm = shared,
       info = "invite-auth sealed bundle v1" ‖ E ‖ sealing_public_key ‖ UTF-8(account),
       L = 32)`, where `‖` is byte concatenation, `E` and `sealing_public_key` are the raw
       32-byte keys and `account` is the account name of the registration.
    3. It encrypts the UTF-8 JSON object `MfaSecrets`
       (`{"totp_secret", "otpauth_uri", "recovery_codes"}`) with **AES-256-GCM** under
       `key`, a random 12-byte `nonce`, associated data `UTF-8(account)` and a 128-bit tag,
       and returns `sealed_mfa = {ephemeral_public_key: E, nonce, ciphertext}`;
       `ciphertext` is the encrypted bytes followed by the 16-byte tag.
    4. **Client.** `shared = X25519(sk, ephemeral_public_key)` (refuse all-zero), the same
       HKDF gives `key`, and AES-256-GCM decryption with `nonce` and the same associated data
       gives the JSON. Because the `export_key` is the same at every later login, the client
       can re-derive the key pair whenever the server seals something new to it.

    With WebCrypto: import `sk` as PKCS#8 (the 16-byte prefix
    `302e020100300506032b656e04220420` followed by the 32 bytes of `sk`) for the
    `X25519` algorithm and export it as JWK to read the public key (`x`); `deriveBits`
    with `{name: "X25519", public: E}` and 256 bits gives `shared`; HKDF is
    `{name: "HKDF", hash: "SHA-512", salt: new Uint8Array(0), info}` with 256 bits;
    `AES-GCM` `decrypt` takes `{iv: nonce, additionalData: UTF-8(account)}` and the
    `ciphertext` as is (tag included).

    The TOTP secret follows RFC 6238 with SHA-1, 6 digits and a 30-second step (what
    authenticator apps expect); `otpauth_uri` can be shown as a QR code. The ten recovery
    codes carry 80 bits each, are shown grouped (`XXXX-XXXX-XXXX-XXXX`), are accepted
    case- and separator-insensitively and each works once.

    If the sealing key is refused, nothing is written and the same `registration_id` can
    be finished again with a usable key while it has not expired. A second finish of a
    finished registration is `404 registration_not_found`. The new account has no session
    yet: log in with `startLogin` / `finishLogin`.

    Args:
        body (RegistrationFinishRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RegistrationFinishResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: RegistrationFinishRequest,
) -> Response[Problem | RegistrationFinishResponse]:
    """Finish the OPAQUE registration; receive the sealed MFA bundle

     The client runs `FinalizeRegistrationRequest` and obtains the `registration_record` and
    the `export_key`, derives its **sealing key pair** from the `export_key` and sends the
    record and the sealing public key. In one atomic step the server writes the account,
    its OPAQUE record, its TOTP secret (encrypted at rest), its recovery codes (Argon2id
    hashes only) and removes the pending registration. It returns the account and the
    TOTP secret and recovery codes **sealed** to the client's sealing key.

    ## Sealed MFA bundle

    Only standard primitives, so any RFC 9807 client can open it (e.g. with WebCrypto):

    1. **Sealing key pair.** `sk = HKDF-SHA512(salt = empty, ikm = export_key,
       info = "invite-auth sealing key v1", L = 32)` (the 64-byte OPAQUE `export_key`;
       `info` is the ASCII string). `sk` is an X25519 private key (RFC 7748; X25519 clamps
       it); `sealing_public_key = X25519(sk, 9)`, 32 bytes.
    2. **Server.** It makes an ephemeral X25519 key pair (`e`, `E`), computes
       `shared = X25519(e, sealing_public_key)` (an all-zero result or a low-order key is
       `400 invalid_sealing_key`) and derives
       `key = HKDF-SHA512(salt = empty, ikm = shared,
       info = "invite-auth sealed bundle v1" ‖ E ‖ sealing_public_key ‖ UTF-8(account),
       L = 32)`, where `‖` is byte concatenation, `E` and `sealing_public_key` are the raw
       32-byte keys and `account` is the account name of the registration.
    3. It encrypts the UTF-8 JSON object `MfaSecrets`
       (`{"totp_secret", "otpauth_uri", "recovery_codes"}`) with **AES-256-GCM** under
       `key`, a random 12-byte `nonce`, associated data `UTF-8(account)` and a 128-bit tag,
       and returns `sealed_mfa = {ephemeral_public_key: E, nonce, ciphertext}`;
       `ciphertext` is the encrypted bytes followed by the 16-byte tag.
    4. **Client.** `shared = X25519(sk, ephemeral_public_key)` (refuse all-zero), the same
       HKDF gives `key`, and AES-256-GCM decryption with `nonce` and the same associated data
       gives the JSON. Because the `export_key` is the same at every later login, the client
       can re-derive the key pair whenever the server seals something new to it.

    With WebCrypto: import `sk` as PKCS#8 (the 16-byte prefix
    `302e020100300506032b656e04220420` followed by the 32 bytes of `sk`) for the
    `X25519` algorithm and export it as JWK to read the public key (`x`); `deriveBits`
    with `{name: "X25519", public: E}` and 256 bits gives `shared`; HKDF is
    `{name: "HKDF", hash: "SHA-512", salt: new Uint8Array(0), info}` with 256 bits;
    `AES-GCM` `decrypt` takes `{iv: nonce, additionalData: UTF-8(account)}` and the
    `ciphertext` as is (tag included).

    The TOTP secret follows RFC 6238 with SHA-1, 6 digits and a 30-second step (what
    authenticator apps expect); `otpauth_uri` can be shown as a QR code. The ten recovery
    codes carry 80 bits each, are shown grouped (`XXXX-XXXX-XXXX-XXXX`), are accepted
    case- and separator-insensitively and each works once.

    If the sealing key is refused, nothing is written and the same `registration_id` can
    be finished again with a usable key while it has not expired. A second finish of a
    finished registration is `404 registration_not_found`. The new account has no session
    yet: log in with `startLogin` / `finishLogin`.

    Args:
        body (RegistrationFinishRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RegistrationFinishResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: RegistrationFinishRequest,
) -> Problem | RegistrationFinishResponse | None:
    """Finish the OPAQUE registration; receive the sealed MFA bundle

     The client runs `FinalizeRegistrationRequest` and obtains the `registration_record` and
    the `export_key`, derives its **sealing key pair** from the `export_key` and sends the
    record and the sealing public key. In one atomic step the server writes the account,
    its OPAQUE record, its TOTP secret (encrypted at rest), its recovery codes (Argon2id
    hashes only) and removes the pending registration. It returns the account and the
    TOTP secret and recovery codes **sealed** to the client's sealing key.

    ## Sealed MFA bundle

    Only standard primitives, so any RFC 9807 client can open it (e.g. with WebCrypto):

    1. **Sealing key pair.** `sk = HKDF-SHA512(salt = empty, ikm = export_key,
       info = "invite-auth sealing key v1", L = 32)` (the 64-byte OPAQUE `export_key`;
       `info` is the ASCII string). `sk` is an X25519 private key (RFC 7748; X25519 clamps
       it); `sealing_public_key = X25519(sk, 9)`, 32 bytes.
    2. **Server.** It makes an ephemeral X25519 key pair (`e`, `E`), computes
       `shared = X25519(e, sealing_public_key)` (an all-zero result or a low-order key is
       `400 invalid_sealing_key`) and derives
       `key = HKDF-SHA512(salt = empty, ikm = shared,
       info = "invite-auth sealed bundle v1" ‖ E ‖ sealing_public_key ‖ UTF-8(account),
       L = 32)`, where `‖` is byte concatenation, `E` and `sealing_public_key` are the raw
       32-byte keys and `account` is the account name of the registration.
    3. It encrypts the UTF-8 JSON object `MfaSecrets`
       (`{"totp_secret", "otpauth_uri", "recovery_codes"}`) with **AES-256-GCM** under
       `key`, a random 12-byte `nonce`, associated data `UTF-8(account)` and a 128-bit tag,
       and returns `sealed_mfa = {ephemeral_public_key: E, nonce, ciphertext}`;
       `ciphertext` is the encrypted bytes followed by the 16-byte tag.
    4. **Client.** `shared = X25519(sk, ephemeral_public_key)` (refuse all-zero), the same
       HKDF gives `key`, and AES-256-GCM decryption with `nonce` and the same associated data
       gives the JSON. Because the `export_key` is the same at every later login, the client
       can re-derive the key pair whenever the server seals something new to it.

    With WebCrypto: import `sk` as PKCS#8 (the 16-byte prefix
    `302e020100300506032b656e04220420` followed by the 32 bytes of `sk`) for the
    `X25519` algorithm and export it as JWK to read the public key (`x`); `deriveBits`
    with `{name: "X25519", public: E}` and 256 bits gives `shared`; HKDF is
    `{name: "HKDF", hash: "SHA-512", salt: new Uint8Array(0), info}` with 256 bits;
    `AES-GCM` `decrypt` takes `{iv: nonce, additionalData: UTF-8(account)}` and the
    `ciphertext` as is (tag included).

    The TOTP secret follows RFC 6238 with SHA-1, 6 digits and a 30-second step (what
    authenticator apps expect); `otpauth_uri` can be shown as a QR code. The ten recovery
    codes carry 80 bits each, are shown grouped (`XXXX-XXXX-XXXX-XXXX`), are accepted
    case- and separator-insensitively and each works once.

    If the sealing key is refused, nothing is written and the same `registration_id` can
    be finished again with a usable key while it has not expired. A second finish of a
    finished registration is `404 registration_not_found`. The new account has no session
    yet: log in with `startLogin` / `finishLogin`.

    Args:
        body (RegistrationFinishRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RegistrationFinishResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
