from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.credentials import Credentials
from ...models.login_info import LoginInfo
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    id: str,
    *,
    body: Credentials,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/invite/{id}".format(
            id=quote(str(id), safe=""),
        ),
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
) -> Response[LoginInfo | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: Credentials,
) -> Response[LoginInfo | Problem]:
    """Accept an invitation and create a login

     No credentials needed. Creates a password login (see "Names" and "Password policy"),
    marks the invitation accepted (atomically: an invitation makes at most one login) and
    starts a session, set as the `identity` cookie. A taken name is `409 name_taken` and
    the invitation stays usable with another name.

    Args:
        id (str):
        body (Credentials): A login name and a plain-text password (sent over TLS, hashed with
            Argon2id on the server).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LoginInfo | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: Credentials,
) -> LoginInfo | Problem | None:
    """Accept an invitation and create a login

     No credentials needed. Creates a password login (see "Names" and "Password policy"),
    marks the invitation accepted (atomically: an invitation makes at most one login) and
    starts a session, set as the `identity` cookie. A taken name is `409 name_taken` and
    the invitation stays usable with another name.

    Args:
        id (str):
        body (Credentials): A login name and a plain-text password (sent over TLS, hashed with
            Argon2id on the server).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LoginInfo | Problem
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: Credentials,
) -> Response[LoginInfo | Problem]:
    """Accept an invitation and create a login

     No credentials needed. Creates a password login (see "Names" and "Password policy"),
    marks the invitation accepted (atomically: an invitation makes at most one login) and
    starts a session, set as the `identity` cookie. A taken name is `409 name_taken` and
    the invitation stays usable with another name.

    Args:
        id (str):
        body (Credentials): A login name and a plain-text password (sent over TLS, hashed with
            Argon2id on the server).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LoginInfo | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: Credentials,
) -> LoginInfo | Problem | None:
    """Accept an invitation and create a login

     No credentials needed. Creates a password login (see "Names" and "Password policy"),
    marks the invitation accepted (atomically: an invitation makes at most one login) and
    starts a session, set as the `identity` cookie. A taken name is `409 name_taken` and
    the invitation stays usable with another name.

    Args:
        id (str):
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
            id=id,
            client=client,
            body=body,
        )
    ).parsed
