from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.mfa_recovery_start_request import MfaRecoveryStartRequest
from ...models.mfa_recovery_start_response import MfaRecoveryStartResponse
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: MfaRecoveryStartRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/accounts/mfa-recovery/start",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> MfaRecoveryStartResponse | Problem | None:
    if response.status_code == 200:
        response_200 = MfaRecoveryStartResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

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
) -> Response[MfaRecoveryStartResponse | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: MfaRecoveryStartRequest,
) -> Response[MfaRecoveryStartResponse | Problem]:
    """Start an MFA recovery with a recovery invite (KE1 → KE2)

     After a privileged account reset this account's MFA, its owner holds a **recovery
    invite**: a single-use, expiring token bound to the account. Useless without the
    password: the owner sends it with the account name and `ke1` from
    `GenerateKE1(password)`, and gets `ke2` and a `recovery_id` (valid for 5 minutes by
    default, never past the invite's expiry). No session is needed.

    An unknown, used or expired invite, an invite for another account, and a name that
    belongs to no account all give the same `404 recovery_invite_invalid`: the answer
    does not tell which names exist. Like a login start, this counts as a failed attempt
    for the name until a valid `ke3` proves the password (`429 rate_limited` past the
    limits).

    Args:
        body (MfaRecoveryStartRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MfaRecoveryStartResponse | Problem]
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
    body: MfaRecoveryStartRequest,
) -> MfaRecoveryStartResponse | Problem | None:
    """Start an MFA recovery with a recovery invite (KE1 → KE2)

     After a privileged account reset this account's MFA, its owner holds a **recovery
    invite**: a single-use, expiring token bound to the account. Useless without the
    password: the owner sends it with the account name and `ke1` from
    `GenerateKE1(password)`, and gets `ke2` and a `recovery_id` (valid for 5 minutes by
    default, never past the invite's expiry). No session is needed.

    An unknown, used or expired invite, an invite for another account, and a name that
    belongs to no account all give the same `404 recovery_invite_invalid`: the answer
    does not tell which names exist. Like a login start, this counts as a failed attempt
    for the name until a valid `ke3` proves the password (`429 rate_limited` past the
    limits).

    Args:
        body (MfaRecoveryStartRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MfaRecoveryStartResponse | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: MfaRecoveryStartRequest,
) -> Response[MfaRecoveryStartResponse | Problem]:
    """Start an MFA recovery with a recovery invite (KE1 → KE2)

     After a privileged account reset this account's MFA, its owner holds a **recovery
    invite**: a single-use, expiring token bound to the account. Useless without the
    password: the owner sends it with the account name and `ke1` from
    `GenerateKE1(password)`, and gets `ke2` and a `recovery_id` (valid for 5 minutes by
    default, never past the invite's expiry). No session is needed.

    An unknown, used or expired invite, an invite for another account, and a name that
    belongs to no account all give the same `404 recovery_invite_invalid`: the answer
    does not tell which names exist. Like a login start, this counts as a failed attempt
    for the name until a valid `ke3` proves the password (`429 rate_limited` past the
    limits).

    Args:
        body (MfaRecoveryStartRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[MfaRecoveryStartResponse | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: MfaRecoveryStartRequest,
) -> MfaRecoveryStartResponse | Problem | None:
    """Start an MFA recovery with a recovery invite (KE1 → KE2)

     After a privileged account reset this account's MFA, its owner holds a **recovery
    invite**: a single-use, expiring token bound to the account. Useless without the
    password: the owner sends it with the account name and `ke1` from
    `GenerateKE1(password)`, and gets `ke2` and a `recovery_id` (valid for 5 minutes by
    default, never past the invite's expiry). No session is needed.

    An unknown, used or expired invite, an invite for another account, and a name that
    belongs to no account all give the same `404 recovery_invite_invalid`: the answer
    does not tell which names exist. Like a login start, this counts as a failed attempt
    for the name until a valid `ke3` proves the password (`429 rate_limited` past the
    limits).

    Args:
        body (MfaRecoveryStartRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        MfaRecoveryStartResponse | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
