from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.empty_request import EmptyRequest
from ...models.invitation_created import InvitationCreated
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: EmptyRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/invite",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> InvitationCreated | Problem | None:
    if response.status_code == 200:
        response_200 = InvitationCreated.from_dict(response.json())

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
) -> Response[InvitationCreated | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: EmptyRequest,
) -> Response[InvitationCreated | Problem]:
    """Create an invitation

     Any login (or account) creates an invitation. The request body must be exactly `{}`.
    The invitation can be accepted once and expires 24 hours after `issued_at`.
    Clients are recommended to deliver it as a URL such as
    `https://example.net/invite/{id}`. A login may have at most 20 invitations
    outstanding (not accepted, not expired; a server setting): one more is
    `429 too_many_invitations`, with `Retry-After` the seconds until the oldest expires.

    Args:
        body (EmptyRequest): The empty JSON object `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InvitationCreated | Problem]
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
    body: EmptyRequest,
) -> InvitationCreated | Problem | None:
    """Create an invitation

     Any login (or account) creates an invitation. The request body must be exactly `{}`.
    The invitation can be accepted once and expires 24 hours after `issued_at`.
    Clients are recommended to deliver it as a URL such as
    `https://example.net/invite/{id}`. A login may have at most 20 invitations
    outstanding (not accepted, not expired; a server setting): one more is
    `429 too_many_invitations`, with `Retry-After` the seconds until the oldest expires.

    Args:
        body (EmptyRequest): The empty JSON object `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InvitationCreated | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: EmptyRequest,
) -> Response[InvitationCreated | Problem]:
    """Create an invitation

     Any login (or account) creates an invitation. The request body must be exactly `{}`.
    The invitation can be accepted once and expires 24 hours after `issued_at`.
    Clients are recommended to deliver it as a URL such as
    `https://example.net/invite/{id}`. A login may have at most 20 invitations
    outstanding (not accepted, not expired; a server setting): one more is
    `429 too_many_invitations`, with `Retry-After` the seconds until the oldest expires.

    Args:
        body (EmptyRequest): The empty JSON object `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InvitationCreated | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: EmptyRequest,
) -> InvitationCreated | Problem | None:
    """Create an invitation

     Any login (or account) creates an invitation. The request body must be exactly `{}`.
    The invitation can be accepted once and expires 24 hours after `issued_at`.
    Clients are recommended to deliver it as a URL such as
    `https://example.net/invite/{id}`. A login may have at most 20 invitations
    outstanding (not accepted, not expired; a server setting): one more is
    `429 too_many_invitations`, with `Retry-After` the seconds until the oldest expires.

    Args:
        body (EmptyRequest): The empty JSON object `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InvitationCreated | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
