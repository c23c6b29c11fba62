from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.login_start_request import LoginStartRequest
from ...models.login_start_response import LoginStartResponse
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: LoginStartRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/accounts/login/start",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LoginStartResponse | Problem | None:
    if response.status_code == 200:
        response_200 = LoginStartResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

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
) -> Response[LoginStartResponse | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: LoginStartRequest,
) -> Response[LoginStartResponse | Problem]:
    """Start an OPAQUE login (KE1 → KE2)

     The client runs `GenerateKE1(password)` and sends `ke1` with the account name; the
    server answers with `ke2` and a `login_id` valid for 5 minutes by default. An unknown
    name (or a name that belongs to a password login) gets a fake but well-formed `ke2`,
    the same for the same name every time; the failure shows only at `finishLogin`.

    Every login start counts as a failed attempt until a valid `ke3` proves the password
    (a client can test a password guess against `ke2` alone, without ever sending `ke3`):
    on the device's own counter when a valid `device_token` for the name comes with it
    (in the body, or the `invite_auth_device` cookie), otherwise per name, with growing
    delays, and per client address (see "Failure limits and device tokens"). Past a
    limit the answer is `429 rate_limited` with `Retry-After`, before any work.

    Args:
        body (LoginStartRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LoginStartResponse | Problem]
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
    body: LoginStartRequest,
) -> LoginStartResponse | Problem | None:
    """Start an OPAQUE login (KE1 → KE2)

     The client runs `GenerateKE1(password)` and sends `ke1` with the account name; the
    server answers with `ke2` and a `login_id` valid for 5 minutes by default. An unknown
    name (or a name that belongs to a password login) gets a fake but well-formed `ke2`,
    the same for the same name every time; the failure shows only at `finishLogin`.

    Every login start counts as a failed attempt until a valid `ke3` proves the password
    (a client can test a password guess against `ke2` alone, without ever sending `ke3`):
    on the device's own counter when a valid `device_token` for the name comes with it
    (in the body, or the `invite_auth_device` cookie), otherwise per name, with growing
    delays, and per client address (see "Failure limits and device tokens"). Past a
    limit the answer is `429 rate_limited` with `Retry-After`, before any work.

    Args:
        body (LoginStartRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LoginStartResponse | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: LoginStartRequest,
) -> Response[LoginStartResponse | Problem]:
    """Start an OPAQUE login (KE1 → KE2)

     The client runs `GenerateKE1(password)` and sends `ke1` with the account name; the
    server answers with `ke2` and a `login_id` valid for 5 minutes by default. An unknown
    name (or a name that belongs to a password login) gets a fake but well-formed `ke2`,
    the same for the same name every time; the failure shows only at `finishLogin`.

    Every login start counts as a failed attempt until a valid `ke3` proves the password
    (a client can test a password guess against `ke2` alone, without ever sending `ke3`):
    on the device's own counter when a valid `device_token` for the name comes with it
    (in the body, or the `invite_auth_device` cookie), otherwise per name, with growing
    delays, and per client address (see "Failure limits and device tokens"). Past a
    limit the answer is `429 rate_limited` with `Retry-After`, before any work.

    Args:
        body (LoginStartRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LoginStartResponse | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: LoginStartRequest,
) -> LoginStartResponse | Problem | None:
    """Start an OPAQUE login (KE1 → KE2)

     The client runs `GenerateKE1(password)` and sends `ke1` with the account name; the
    server answers with `ke2` and a `login_id` valid for 5 minutes by default. An unknown
    name (or a name that belongs to a password login) gets a fake but well-formed `ke2`,
    the same for the same name every time; the failure shows only at `finishLogin`.

    Every login start counts as a failed attempt until a valid `ke3` proves the password
    (a client can test a password guess against `ke2` alone, without ever sending `ke3`):
    on the device's own counter when a valid `device_token` for the name comes with it
    (in the body, or the `invite_auth_device` cookie), otherwise per name, with growing
    delays, and per client address (see "Failure limits and device tokens"). Past a
    limit the answer is `429 rate_limited` with `Retry-After`, before any work.

    Args:
        body (LoginStartRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LoginStartResponse | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
