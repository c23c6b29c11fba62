from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.login_info import LoginInfo
from ...models.password_login_request import PasswordLoginRequest
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: PasswordLoginRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/auth/login",
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
    body: PasswordLoginRequest,
) -> Response[LoginInfo | Problem]:
    """Log in with a name and a password

     Starts a session for a password login, set as the `identity` cookie, and returns a
    new `device_token` (also set as the `invite_auth_device` cookie). A wrong password,
    an unknown name and the name of an OPAQUE account give the same answer at the same
    cost. Failures count on the same counters as `startLogin` for the same name: the
    device's own with a valid `device_token`, otherwise per name with growing delays and
    per client address (see "Failure limits and device tokens"); past a limit, or with
    too many password checks in flight for the name or address, the answer is
    `429 rate_limited` with `Retry-After`, before any hashing.

    Args:
        body (PasswordLoginRequest): A login name and its password, and the device token from an
            earlier login, if any.

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
    body: PasswordLoginRequest,
) -> LoginInfo | Problem | None:
    """Log in with a name and a password

     Starts a session for a password login, set as the `identity` cookie, and returns a
    new `device_token` (also set as the `invite_auth_device` cookie). A wrong password,
    an unknown name and the name of an OPAQUE account give the same answer at the same
    cost. Failures count on the same counters as `startLogin` for the same name: the
    device's own with a valid `device_token`, otherwise per name with growing delays and
    per client address (see "Failure limits and device tokens"); past a limit, or with
    too many password checks in flight for the name or address, the answer is
    `429 rate_limited` with `Retry-After`, before any hashing.

    Args:
        body (PasswordLoginRequest): A login name and its password, and the device token from an
            earlier login, if any.

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
    body: PasswordLoginRequest,
) -> Response[LoginInfo | Problem]:
    """Log in with a name and a password

     Starts a session for a password login, set as the `identity` cookie, and returns a
    new `device_token` (also set as the `invite_auth_device` cookie). A wrong password,
    an unknown name and the name of an OPAQUE account give the same answer at the same
    cost. Failures count on the same counters as `startLogin` for the same name: the
    device's own with a valid `device_token`, otherwise per name with growing delays and
    per client address (see "Failure limits and device tokens"); past a limit, or with
    too many password checks in flight for the name or address, the answer is
    `429 rate_limited` with `Retry-After`, before any hashing.

    Args:
        body (PasswordLoginRequest): A login name and its password, and the device token from an
            earlier login, if any.

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
    body: PasswordLoginRequest,
) -> LoginInfo | Problem | None:
    """Log in with a name and a password

     Starts a session for a password login, set as the `identity` cookie, and returns a
    new `device_token` (also set as the `invite_auth_device` cookie). A wrong password,
    an unknown name and the name of an OPAQUE account give the same answer at the same
    cost. Failures count on the same counters as `startLogin` for the same name: the
    device's own with a valid `device_token`, otherwise per name with growing delays and
    per client address (see "Failure limits and device tokens"); past a limit, or with
    too many password checks in flight for the name or address, the answer is
    `429 rate_limited` with `Retry-After`, before any hashing.

    Args:
        body (PasswordLoginRequest): A login name and its password, and the device token from an
            earlier login, if any.

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
