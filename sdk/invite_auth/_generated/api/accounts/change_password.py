from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.password_change_request import PasswordChangeRequest
from ...models.password_change_response import PasswordChangeResponse
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: PasswordChangeRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/accounts/password",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PasswordChangeResponse | Problem | None:
    if response.status_code == 200:
        response_200 = PasswordChangeResponse.from_dict(response.json())

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
) -> Response[PasswordChangeResponse | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: PasswordChangeRequest,
) -> Response[PasswordChangeResponse | Problem]:
    """Change the password (OPAQUE accounts), behind a fresh proof

     Finishes a fresh proof (`startReauthentication` with a `registration_request`):
    `ke3` from `GenerateKE3(ke2)` with the current password, **exactly one** of
    `totp_code` and `recovery_code`, and the new password's `registration_record` and
    `sealing_public_key` (derived from the new `export_key` as at `finishRegistration`).

    In one atomic step the server spends the proof and the second factor, replaces the
    OPAQUE record and the sealing public key (what later MFA secrets are sealed to), ends
    **every other session** of the account (the current one stays) and writes the audit
    event `password_changed`. The old password fails from then on.

    A wrong password (`login_failed`) or second factor (`mfa_invalid`, `totp_replayed`)
    spends the proof and counts as a failure, as at `finishLogin`; start again. A
    `sealing_public_key` nothing can be sealed to is refused before anything is spent.

    Args:
        body (PasswordChangeRequest): A `FreshProof` and the new password's registration. Send
            exactly one of `totp_code` and `recovery_code`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PasswordChangeResponse | Problem]
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
    body: PasswordChangeRequest,
) -> PasswordChangeResponse | Problem | None:
    """Change the password (OPAQUE accounts), behind a fresh proof

     Finishes a fresh proof (`startReauthentication` with a `registration_request`):
    `ke3` from `GenerateKE3(ke2)` with the current password, **exactly one** of
    `totp_code` and `recovery_code`, and the new password's `registration_record` and
    `sealing_public_key` (derived from the new `export_key` as at `finishRegistration`).

    In one atomic step the server spends the proof and the second factor, replaces the
    OPAQUE record and the sealing public key (what later MFA secrets are sealed to), ends
    **every other session** of the account (the current one stays) and writes the audit
    event `password_changed`. The old password fails from then on.

    A wrong password (`login_failed`) or second factor (`mfa_invalid`, `totp_replayed`)
    spends the proof and counts as a failure, as at `finishLogin`; start again. A
    `sealing_public_key` nothing can be sealed to is refused before anything is spent.

    Args:
        body (PasswordChangeRequest): A `FreshProof` and the new password's registration. Send
            exactly one of `totp_code` and `recovery_code`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PasswordChangeResponse | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: PasswordChangeRequest,
) -> Response[PasswordChangeResponse | Problem]:
    """Change the password (OPAQUE accounts), behind a fresh proof

     Finishes a fresh proof (`startReauthentication` with a `registration_request`):
    `ke3` from `GenerateKE3(ke2)` with the current password, **exactly one** of
    `totp_code` and `recovery_code`, and the new password's `registration_record` and
    `sealing_public_key` (derived from the new `export_key` as at `finishRegistration`).

    In one atomic step the server spends the proof and the second factor, replaces the
    OPAQUE record and the sealing public key (what later MFA secrets are sealed to), ends
    **every other session** of the account (the current one stays) and writes the audit
    event `password_changed`. The old password fails from then on.

    A wrong password (`login_failed`) or second factor (`mfa_invalid`, `totp_replayed`)
    spends the proof and counts as a failure, as at `finishLogin`; start again. A
    `sealing_public_key` nothing can be sealed to is refused before anything is spent.

    Args:
        body (PasswordChangeRequest): A `FreshProof` and the new password's registration. Send
            exactly one of `totp_code` and `recovery_code`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PasswordChangeResponse | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: PasswordChangeRequest,
) -> PasswordChangeResponse | Problem | None:
    """Change the password (OPAQUE accounts), behind a fresh proof

     Finishes a fresh proof (`startReauthentication` with a `registration_request`):
    `ke3` from `GenerateKE3(ke2)` with the current password, **exactly one** of
    `totp_code` and `recovery_code`, and the new password's `registration_record` and
    `sealing_public_key` (derived from the new `export_key` as at `finishRegistration`).

    In one atomic step the server spends the proof and the second factor, replaces the
    OPAQUE record and the sealing public key (what later MFA secrets are sealed to), ends
    **every other session** of the account (the current one stays) and writes the audit
    event `password_changed`. The old password fails from then on.

    A wrong password (`login_failed`) or second factor (`mfa_invalid`, `totp_replayed`)
    spends the proof and counts as a failure, as at `finishLogin`; start again. A
    `sealing_public_key` nothing can be sealed to is refused before anything is spent.

    Args:
        body (PasswordChangeRequest): A `FreshProof` and the new password's registration. Send
            exactly one of `totp_code` and `recovery_code`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PasswordChangeResponse | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
