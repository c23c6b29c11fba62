from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.fresh_proof import FreshProof
from ...models.problem import Problem
from ...models.sealed_totp_response import SealedTotpResponse
from ...types import Response


def _get_kwargs(
    *,
    body: FreshProof,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/accounts/totp",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SealedTotpResponse | None:
    if response.status_code == 200:
        response_200 = SealedTotpResponse.from_dict(response.json())

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
) -> Response[Problem | SealedTotpResponse]:
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
) -> Response[Problem | SealedTotpResponse]:
    """Start re-enrolling TOTP, behind a fresh proof

     Finishes a fresh proof (`startReauthentication`) with `ke3` and exactly one of
    `totp_code` and `recovery_code`. The server spends the proof and the second factor
    and makes a new TOTP secret, kept **pending** (encrypted at rest, for 10 minutes by
    default; a new start replaces it): the old secret keeps working until
    `confirmTotpReenrollment` confirms a code of the new one. Audit event
    `totp_reenrollment_started`.

    The new secret comes back sealed to the account's sealing public key as at
    `finishRegistration`; `sealed_totp` opens to the JSON object `TotpSecrets`
    (`{"totp_secret", "otpauth_uri"}`).

    Args:
        body (FreshProof): The end of a fresh proof. Send exactly one of `totp_code` and
            `recovery_code`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SealedTotpResponse]
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
) -> Problem | SealedTotpResponse | None:
    """Start re-enrolling TOTP, behind a fresh proof

     Finishes a fresh proof (`startReauthentication`) with `ke3` and exactly one of
    `totp_code` and `recovery_code`. The server spends the proof and the second factor
    and makes a new TOTP secret, kept **pending** (encrypted at rest, for 10 minutes by
    default; a new start replaces it): the old secret keeps working until
    `confirmTotpReenrollment` confirms a code of the new one. Audit event
    `totp_reenrollment_started`.

    The new secret comes back sealed to the account's sealing public key as at
    `finishRegistration`; `sealed_totp` opens to the JSON object `TotpSecrets`
    (`{"totp_secret", "otpauth_uri"}`).

    Args:
        body (FreshProof): The end of a fresh proof. Send exactly one of `totp_code` and
            `recovery_code`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SealedTotpResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: FreshProof,
) -> Response[Problem | SealedTotpResponse]:
    """Start re-enrolling TOTP, behind a fresh proof

     Finishes a fresh proof (`startReauthentication`) with `ke3` and exactly one of
    `totp_code` and `recovery_code`. The server spends the proof and the second factor
    and makes a new TOTP secret, kept **pending** (encrypted at rest, for 10 minutes by
    default; a new start replaces it): the old secret keeps working until
    `confirmTotpReenrollment` confirms a code of the new one. Audit event
    `totp_reenrollment_started`.

    The new secret comes back sealed to the account's sealing public key as at
    `finishRegistration`; `sealed_totp` opens to the JSON object `TotpSecrets`
    (`{"totp_secret", "otpauth_uri"}`).

    Args:
        body (FreshProof): The end of a fresh proof. Send exactly one of `totp_code` and
            `recovery_code`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SealedTotpResponse]
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
) -> Problem | SealedTotpResponse | None:
    """Start re-enrolling TOTP, behind a fresh proof

     Finishes a fresh proof (`startReauthentication`) with `ke3` and exactly one of
    `totp_code` and `recovery_code`. The server spends the proof and the second factor
    and makes a new TOTP secret, kept **pending** (encrypted at rest, for 10 minutes by
    default; a new start replaces it): the old secret keeps working until
    `confirmTotpReenrollment` confirms a code of the new one. Audit event
    `totp_reenrollment_started`.

    The new secret comes back sealed to the account's sealing public key as at
    `finishRegistration`; `sealed_totp` opens to the JSON object `TotpSecrets`
    (`{"totp_secret", "otpauth_uri"}`).

    Args:
        body (FreshProof): The end of a fresh proof. Send exactly one of `totp_code` and
            `recovery_code`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SealedTotpResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
