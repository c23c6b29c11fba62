from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.invitation_list import InvitationList
from ...models.problem import Problem
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/invitations",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> InvitationList | Problem | None:
    if response.status_code == 200:
        response_200 = InvitationList.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[InvitationList | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[InvitationList | Problem]:
    """List the invitations you issued that are still outstanding

     Outstanding means not accepted, not revoked and not expired. An invitation id is a
    bearer capability that the server keeps only as a hash, so it cannot be shown
    again: each invitation is listed by its `ref`, a short hash of it, which
    `revokeInvitation` takes.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InvitationList | Problem]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
) -> InvitationList | Problem | None:
    """List the invitations you issued that are still outstanding

     Outstanding means not accepted, not revoked and not expired. An invitation id is a
    bearer capability that the server keeps only as a hash, so it cannot be shown
    again: each invitation is listed by its `ref`, a short hash of it, which
    `revokeInvitation` takes.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InvitationList | Problem
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[InvitationList | Problem]:
    """List the invitations you issued that are still outstanding

     Outstanding means not accepted, not revoked and not expired. An invitation id is a
    bearer capability that the server keeps only as a hash, so it cannot be shown
    again: each invitation is listed by its `ref`, a short hash of it, which
    `revokeInvitation` takes.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InvitationList | Problem]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
) -> InvitationList | Problem | None:
    """List the invitations you issued that are still outstanding

     Outstanding means not accepted, not revoked and not expired. An invitation id is a
    bearer capability that the server keeps only as a hash, so it cannot be shown
    again: each invitation is listed by its `ref`, a short hash of it, which
    `revokeInvitation` takes.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InvitationList | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
