from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.empty_request import EmptyRequest
from ...models.problem import Problem
from ...models.recovery_invite_issued import RecoveryInviteIssued
from ...types import Response


def _get_kwargs(
    name: str,
    *,
    body: EmptyRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/accounts/admin/accounts/{name}/reset-mfa".format(
            name=quote(str(name), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | RecoveryInviteIssued | None:
    if response.status_code == 200:
        response_200 = RecoveryInviteIssued.from_dict(response.json())

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
) -> Response[Problem | RecoveryInviteIssued]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
    body: EmptyRequest,
) -> Response[Problem | RecoveryInviteIssued]:
    """Reset an account's MFA; returns a recovery invite (privileged accounts only)

     Issues a **recovery invite** for an OPAQUE account: a single-use token bound to
    that account, valid for 24 hours, to be given to its owner by another channel.
    With it the owner proves the password by OPAQUE and enrols a new TOTP secret and
    new recovery codes, sealed to them; without the password it is useless. The
    account's current second factors keep working until then. The token is shown
    only here (the server keeps a hash of it). A password login has no second factor:
    `409 not_opaque_account`. An audit event `mfa_reset` is written. The body must be
    exactly `{}`.

    Args:
        name (str):
        body (EmptyRequest): The empty JSON object `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RecoveryInviteIssued]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    name: str,
    *,
    client: AuthenticatedClient,
    body: EmptyRequest,
) -> Problem | RecoveryInviteIssued | None:
    """Reset an account's MFA; returns a recovery invite (privileged accounts only)

     Issues a **recovery invite** for an OPAQUE account: a single-use token bound to
    that account, valid for 24 hours, to be given to its owner by another channel.
    With it the owner proves the password by OPAQUE and enrols a new TOTP secret and
    new recovery codes, sealed to them; without the password it is useless. The
    account's current second factors keep working until then. The token is shown
    only here (the server keeps a hash of it). A password login has no second factor:
    `409 not_opaque_account`. An audit event `mfa_reset` is written. The body must be
    exactly `{}`.

    Args:
        name (str):
        body (EmptyRequest): The empty JSON object `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RecoveryInviteIssued
    """

    return sync_detailed(
        name=name,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    name: str,
    *,
    client: AuthenticatedClient,
    body: EmptyRequest,
) -> Response[Problem | RecoveryInviteIssued]:
    """Reset an account's MFA; returns a recovery invite (privileged accounts only)

     Issues a **recovery invite** for an OPAQUE account: a single-use token bound to
    that account, valid for 24 hours, to be given to its owner by another channel.
    With it the owner proves the password by OPAQUE and enrols a new TOTP secret and
    new recovery codes, sealed to them; without the password it is useless. The
    account's current second factors keep working until then. The token is shown
    only here (the server keeps a hash of it). A password login has no second factor:
    `409 not_opaque_account`. An audit event `mfa_reset` is written. The body must be
    exactly `{}`.

    Args:
        name (str):
        body (EmptyRequest): The empty JSON object `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RecoveryInviteIssued]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    name: str,
    *,
    client: AuthenticatedClient,
    body: EmptyRequest,
) -> Problem | RecoveryInviteIssued | None:
    """Reset an account's MFA; returns a recovery invite (privileged accounts only)

     Issues a **recovery invite** for an OPAQUE account: a single-use token bound to
    that account, valid for 24 hours, to be given to its owner by another channel.
    With it the owner proves the password by OPAQUE and enrols a new TOTP secret and
    new recovery codes, sealed to them; without the password it is useless. The
    account's current second factors keep working until then. The token is shown
    only here (the server keeps a hash of it). A password login has no second factor:
    `409 not_opaque_account`. An audit event `mfa_reset` is written. The body must be
    exactly `{}`.

    Args:
        name (str):
        body (EmptyRequest): The empty JSON object `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RecoveryInviteIssued
    """

    return (
        await asyncio_detailed(
            name=name,
            client=client,
            body=body,
        )
    ).parsed
