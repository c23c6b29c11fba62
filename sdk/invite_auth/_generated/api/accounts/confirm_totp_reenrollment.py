from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.account_info import AccountInfo
from ...models.problem import Problem
from ...models.totp_confirm_request import TotpConfirmRequest
from ...types import Response


def _get_kwargs(
    *,
    body: TotpConfirmRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/accounts/totp/confirm",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AccountInfo | Problem | None:
    if response.status_code == 200:
        response_200 = AccountInfo.from_dict(response.json())

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
) -> Response[AccountInfo | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: TotpConfirmRequest,
) -> Response[AccountInfo | Problem]:
    """Confirm the pending TOTP secret with a code made from it

     `totp_code` must be a current code of the **new** (pending) secret. Then, in one
    atomic step, the new secret replaces the old one (whose codes stop working at once),
    that code's time step counts as used, and the audit event `totp_reenrolled` is
    written. A wrong code is `401 mfa_invalid` and counts under the MFA limits like a
    wrong code at login (past them, `429 rate_limited`); the pending secret stays. No
    pending secret (never started, expired, or confirmed already) is
    `404 totp_enrollment_not_found`.

    Args:
        body (TotpConfirmRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountInfo | Problem]
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
    body: TotpConfirmRequest,
) -> AccountInfo | Problem | None:
    """Confirm the pending TOTP secret with a code made from it

     `totp_code` must be a current code of the **new** (pending) secret. Then, in one
    atomic step, the new secret replaces the old one (whose codes stop working at once),
    that code's time step counts as used, and the audit event `totp_reenrolled` is
    written. A wrong code is `401 mfa_invalid` and counts under the MFA limits like a
    wrong code at login (past them, `429 rate_limited`); the pending secret stays. No
    pending secret (never started, expired, or confirmed already) is
    `404 totp_enrollment_not_found`.

    Args:
        body (TotpConfirmRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountInfo | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: TotpConfirmRequest,
) -> Response[AccountInfo | Problem]:
    """Confirm the pending TOTP secret with a code made from it

     `totp_code` must be a current code of the **new** (pending) secret. Then, in one
    atomic step, the new secret replaces the old one (whose codes stop working at once),
    that code's time step counts as used, and the audit event `totp_reenrolled` is
    written. A wrong code is `401 mfa_invalid` and counts under the MFA limits like a
    wrong code at login (past them, `429 rate_limited`); the pending secret stays. No
    pending secret (never started, expired, or confirmed already) is
    `404 totp_enrollment_not_found`.

    Args:
        body (TotpConfirmRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AccountInfo | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: TotpConfirmRequest,
) -> AccountInfo | Problem | None:
    """Confirm the pending TOTP secret with a code made from it

     `totp_code` must be a current code of the **new** (pending) secret. Then, in one
    atomic step, the new secret replaces the old one (whose codes stop working at once),
    that code's time step counts as used, and the audit event `totp_reenrolled` is
    written. A wrong code is `401 mfa_invalid` and counts under the MFA limits like a
    wrong code at login (past them, `429 rate_limited`); the pending secret stays. No
    pending secret (never started, expired, or confirmed already) is
    `404 totp_enrollment_not_found`.

    Args:
        body (TotpConfirmRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AccountInfo | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
