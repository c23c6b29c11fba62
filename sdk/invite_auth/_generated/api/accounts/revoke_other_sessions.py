from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.empty_request import EmptyRequest
from ...models.problem import Problem
from ...models.sessions_revoked import SessionsRevoked
from ...types import Response


def _get_kwargs(
    *,
    body: EmptyRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/accounts/sessions/revoke-others",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SessionsRevoked | None:
    if response.status_code == 200:
        response_200 = SessionsRevoked.from_dict(response.json())

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

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | SessionsRevoked]:
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
) -> Response[Problem | SessionsRevoked]:
    """Revoke all your sessions but this one

     Ends every other session of the account or login at once, in one transaction with
    the audit event `sessions_revoked`. The request body must be exactly `{}`.

    Args:
        body (EmptyRequest): The empty JSON object `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SessionsRevoked]
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
) -> Problem | SessionsRevoked | None:
    """Revoke all your sessions but this one

     Ends every other session of the account or login at once, in one transaction with
    the audit event `sessions_revoked`. The request body must be exactly `{}`.

    Args:
        body (EmptyRequest): The empty JSON object `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SessionsRevoked
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: EmptyRequest,
) -> Response[Problem | SessionsRevoked]:
    """Revoke all your sessions but this one

     Ends every other session of the account or login at once, in one transaction with
    the audit event `sessions_revoked`. The request body must be exactly `{}`.

    Args:
        body (EmptyRequest): The empty JSON object `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SessionsRevoked]
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
) -> Problem | SessionsRevoked | None:
    """Revoke all your sessions but this one

     Ends every other session of the account or login at once, in one transaction with
    the audit event `sessions_revoked`. The request body must be exactly `{}`.

    Args:
        body (EmptyRequest): The empty JSON object `{}`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SessionsRevoked
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
