from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.registration_start_request import RegistrationStartRequest
from ...models.registration_start_response import RegistrationStartResponse
from ...types import Response


def _get_kwargs(
    *,
    body: RegistrationStartRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/accounts/registration/start",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | RegistrationStartResponse | None:
    if response.status_code == 200:
        response_200 = RegistrationStartResponse.from_dict(response.json())

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

    if response.status_code == 410:
        response_410 = Problem.from_dict(response.json())

        return response_410

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
) -> Response[Problem | RegistrationStartResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: RegistrationStartRequest,
) -> Response[Problem | RegistrationStartResponse]:
    """Start an OPAQUE registration with an invite token

     The client runs `CreateRegistrationRequest(password)` and sends the
    `registration_request`. The server refuses when registration is closed, then checks the
    invite token's HMAC (in constant time) and its expiry, the account name (it must be
    valid and the one the invite was issued for), that the domain has no owner and that
    the name is free, and answers with `CreateRegistrationResponse`. The OPAQUE state and
    the invite claims are kept encrypted on the server until the registration is finished
    or expires.

    **Single use and lost connections.** Starting a registration takes the invite token out
    of the invite store, in the same atomic step that stores the pending registration.
    While that registration is pending, another start with the same token is refused with
    `409 invite_used`. If the pending registration expires unfinished (after the pending
    time-to-live, 10 minutes by default, and never later than the token's own expiry), the
    same token can start a new registration, until the token itself expires
    (`410 invite_expired`). Finishing is atomic, so one invite never makes two accounts;
    once a registration has finished, the token is `invite_used` for good.

    Args:
        body (RegistrationStartRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RegistrationStartResponse]
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
    body: RegistrationStartRequest,
) -> Problem | RegistrationStartResponse | None:
    """Start an OPAQUE registration with an invite token

     The client runs `CreateRegistrationRequest(password)` and sends the
    `registration_request`. The server refuses when registration is closed, then checks the
    invite token's HMAC (in constant time) and its expiry, the account name (it must be
    valid and the one the invite was issued for), that the domain has no owner and that
    the name is free, and answers with `CreateRegistrationResponse`. The OPAQUE state and
    the invite claims are kept encrypted on the server until the registration is finished
    or expires.

    **Single use and lost connections.** Starting a registration takes the invite token out
    of the invite store, in the same atomic step that stores the pending registration.
    While that registration is pending, another start with the same token is refused with
    `409 invite_used`. If the pending registration expires unfinished (after the pending
    time-to-live, 10 minutes by default, and never later than the token's own expiry), the
    same token can start a new registration, until the token itself expires
    (`410 invite_expired`). Finishing is atomic, so one invite never makes two accounts;
    once a registration has finished, the token is `invite_used` for good.

    Args:
        body (RegistrationStartRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RegistrationStartResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: RegistrationStartRequest,
) -> Response[Problem | RegistrationStartResponse]:
    """Start an OPAQUE registration with an invite token

     The client runs `CreateRegistrationRequest(password)` and sends the
    `registration_request`. The server refuses when registration is closed, then checks the
    invite token's HMAC (in constant time) and its expiry, the account name (it must be
    valid and the one the invite was issued for), that the domain has no owner and that
    the name is free, and answers with `CreateRegistrationResponse`. The OPAQUE state and
    the invite claims are kept encrypted on the server until the registration is finished
    or expires.

    **Single use and lost connections.** Starting a registration takes the invite token out
    of the invite store, in the same atomic step that stores the pending registration.
    While that registration is pending, another start with the same token is refused with
    `409 invite_used`. If the pending registration expires unfinished (after the pending
    time-to-live, 10 minutes by default, and never later than the token's own expiry), the
    same token can start a new registration, until the token itself expires
    (`410 invite_expired`). Finishing is atomic, so one invite never makes two accounts;
    once a registration has finished, the token is `invite_used` for good.

    Args:
        body (RegistrationStartRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RegistrationStartResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: RegistrationStartRequest,
) -> Problem | RegistrationStartResponse | None:
    """Start an OPAQUE registration with an invite token

     The client runs `CreateRegistrationRequest(password)` and sends the
    `registration_request`. The server refuses when registration is closed, then checks the
    invite token's HMAC (in constant time) and its expiry, the account name (it must be
    valid and the one the invite was issued for), that the domain has no owner and that
    the name is free, and answers with `CreateRegistrationResponse`. The OPAQUE state and
    the invite claims are kept encrypted on the server until the registration is finished
    or expires.

    **Single use and lost connections.** Starting a registration takes the invite token out
    of the invite store, in the same atomic step that stores the pending registration.
    While that registration is pending, another start with the same token is refused with
    `409 invite_used`. If the pending registration expires unfinished (after the pending
    time-to-live, 10 minutes by default, and never later than the token's own expiry), the
    same token can start a new registration, until the token itself expires
    (`410 invite_expired`). Finishing is atomic, so one invite never makes two accounts;
    once a registration has finished, the token is `invite_used` for good.

    Args:
        body (RegistrationStartRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RegistrationStartResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
