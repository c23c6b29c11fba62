from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.fresh_proof import FreshProof
from ...models.problem import Problem
from ...models.sealed_recovery_codes_response import SealedRecoveryCodesResponse
from ...types import Response


def _get_kwargs(
    *,
    body: FreshProof,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/accounts/recovery-codes",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SealedRecoveryCodesResponse | None:
    if response.status_code == 200:
        response_200 = SealedRecoveryCodesResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | SealedRecoveryCodesResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: FreshProof,
) -> Response[Problem | SealedRecoveryCodesResponse]:
    """Regenerate the recovery codes, behind a fresh proof

     Finishes a fresh proof (`startReauthentication`) with `ke3` and exactly one of
    `totp_code` and `recovery_code`. In one atomic step the server spends the proof and
    the second factor and replaces **all** recovery codes with ten new ones (Argon2id
    hashes only); the old codes, unused ones included, stop working at once. Audit event
    `recovery_codes_regenerated`.

    The new codes come back sealed to the account's sealing public key (kept from
    registration, replaced at a password change) exactly as `finishRegistration` seals
    its bundle (account name as associated data): the client re-derives the key pair
    from the `export_key` of this proof's OPAQUE login and opens `sealed_recovery_codes`
    to the JSON object `RecoveryCodesSecrets` (`{"recovery_codes": [...]}`).

    Args:
        body (FreshProof): The end of a fresh proof. Send exactly one of `totp_code` and
            `recovery_code`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SealedRecoveryCodesResponse]
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
    client: AuthenticatedClient,
    body: FreshProof,
) -> Problem | SealedRecoveryCodesResponse | None:
    """Regenerate the recovery codes, behind a fresh proof

     Finishes a fresh proof (`startReauthentication`) with `ke3` and exactly one of
    `totp_code` and `recovery_code`. In one atomic step the server spends the proof and
    the second factor and replaces **all** recovery codes with ten new ones (Argon2id
    hashes only); the old codes, unused ones included, stop working at once. Audit event
    `recovery_codes_regenerated`.

    The new codes come back sealed to the account's sealing public key (kept from
    registration, replaced at a password change) exactly as `finishRegistration` seals
    its bundle (account name as associated data): the client re-derives the key pair
    from the `export_key` of this proof's OPAQUE login and opens `sealed_recovery_codes`
    to the JSON object `RecoveryCodesSecrets` (`{"recovery_codes": [...]}`).

    Args:
        body (FreshProof): The end of a fresh proof. Send exactly one of `totp_code` and
            `recovery_code`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SealedRecoveryCodesResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: FreshProof,
) -> Response[Problem | SealedRecoveryCodesResponse]:
    """Regenerate the recovery codes, behind a fresh proof

     Finishes a fresh proof (`startReauthentication`) with `ke3` and exactly one of
    `totp_code` and `recovery_code`. In one atomic step the server spends the proof and
    the second factor and replaces **all** recovery codes with ten new ones (Argon2id
    hashes only); the old codes, unused ones included, stop working at once. Audit event
    `recovery_codes_regenerated`.

    The new codes come back sealed to the account's sealing public key (kept from
    registration, replaced at a password change) exactly as `finishRegistration` seals
    its bundle (account name as associated data): the client re-derives the key pair
    from the `export_key` of this proof's OPAQUE login and opens `sealed_recovery_codes`
    to the JSON object `RecoveryCodesSecrets` (`{"recovery_codes": [...]}`).

    Args:
        body (FreshProof): The end of a fresh proof. Send exactly one of `totp_code` and
            `recovery_code`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SealedRecoveryCodesResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: FreshProof,
) -> Problem | SealedRecoveryCodesResponse | None:
    """Regenerate the recovery codes, behind a fresh proof

     Finishes a fresh proof (`startReauthentication`) with `ke3` and exactly one of
    `totp_code` and `recovery_code`. In one atomic step the server spends the proof and
    the second factor and replaces **all** recovery codes with ten new ones (Argon2id
    hashes only); the old codes, unused ones included, stop working at once. Audit event
    `recovery_codes_regenerated`.

    The new codes come back sealed to the account's sealing public key (kept from
    registration, replaced at a password change) exactly as `finishRegistration` seals
    its bundle (account name as associated data): the client re-derives the key pair
    from the `export_key` of this proof's OPAQUE login and opens `sealed_recovery_codes`
    to the JSON object `RecoveryCodesSecrets` (`{"recovery_codes": [...]}`).

    Args:
        body (FreshProof): The end of a fresh proof. Send exactly one of `totp_code` and
            `recovery_code`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SealedRecoveryCodesResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
