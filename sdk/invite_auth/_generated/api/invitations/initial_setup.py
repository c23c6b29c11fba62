from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.credentials import Credentials
from ...models.login_info import LoginInfo
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: Credentials,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/setup",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LoginInfo | Problem | None:
    if response.status_code == 200:
        response_200 = LoginInfo.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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
) -> Response[LoginInfo | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: Credentials,
) -> Response[LoginInfo | Problem]:
    """Create the first login

     Works only while the store holds no account or login at all, and only when the server
    allows it (`allow_setup_endpoint`, on by default; the `setup` CLI command works
    regardless). Creates a password login and starts a session, set as the `identity`
    cookie.

    Args:
        body (Credentials): A login name and a plain-text password (sent over TLS, hashed with
            Argon2id on the server).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LoginInfo | Problem]
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
    body: Credentials,
) -> LoginInfo | Problem | None:
    """Create the first login

     Works only while the store holds no account or login at all, and only when the server
    allows it (`allow_setup_endpoint`, on by default; the `setup` CLI command works
    regardless). Creates a password login and starts a session, set as the `identity`
    cookie.

    Args:
        body (Credentials): A login name and a plain-text password (sent over TLS, hashed with
            Argon2id on the server).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LoginInfo | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: Credentials,
) -> Response[LoginInfo | Problem]:
    """Create the first login

     Works only while the store holds no account or login at all, and only when the server
    allows it (`allow_setup_endpoint`, on by default; the `setup` CLI command works
    regardless). Creates a password login and starts a session, set as the `identity`
    cookie.

    Args:
        body (Credentials): A login name and a plain-text password (sent over TLS, hashed with
            Argon2id on the server).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LoginInfo | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: Credentials,
) -> LoginInfo | Problem | None:
    """Create the first login

     Works only while the store holds no account or login at all, and only when the server
    allows it (`allow_setup_endpoint`, on by default; the `setup` CLI command works
    regardless). Creates a password login and starts a session, set as the `identity`
    cookie.

    Args:
        body (Credentials): A login name and a plain-text password (sent over TLS, hashed with
            Argon2id on the server).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LoginInfo | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
