from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.login_finish_request import LoginFinishRequest
from ...models.problem import Problem
from ...models.session_response import SessionResponse
from ...types import Response


def _get_kwargs(
    *,
    body: LoginFinishRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/accounts/login/finish",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SessionResponse | None:
    if response.status_code == 200:
        response_200 = SessionResponse.from_dict(response.json())

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
) -> Response[Problem | SessionResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: LoginFinishRequest,
) -> Response[Problem | SessionResponse]:
    """Finish the OPAQUE login (KE3) with a TOTP code or a recovery code

     The client runs `GenerateKE3(ke2)` and sends `ke3` with **exactly one** of `totp_code`
    and `recovery_code` (otherwise `401 mfa_required`, and the login attempt stays usable).
    A well-formed request with exactly one code consumes the `login_id`, whatever the
    outcome: after a failure, start again with `startLogin`.

    * TOTP: RFC 6238, SHA-1, 6 digits, 30-second step; the previous and the next step are
      accepted too; spaces are ignored; each step's code is accepted at most once
      (`totp_replayed`).
    * Recovery code: one of the ten codes, case- and separator-insensitive; each works once.

    Wrong MFA codes are counted per account only after the password was proven (10 per
    hour by default; and per client address unless a device token came with the login
    start), so someone without the password cannot lock the owner out of MFA. At most a
    few recovery-code checks (Argon2id) run at once per name and per address; more are
    `429 rate_limited` with `Retry-After: 1`.

    On success the response carries the session token (use it as
    `Authorization: Bearer <access_token>`) and sets the `identity` cookie to the same
    token; it also carries a new `device_token` for the name (and sets the
    `invite_auth_device` cookie) to send with the next login start.

    Args:
        body (LoginFinishRequest): Send exactly one of `totp_code` and `recovery_code`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SessionResponse]
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
    body: LoginFinishRequest,
) -> Problem | SessionResponse | None:
    """Finish the OPAQUE login (KE3) with a TOTP code or a recovery code

     The client runs `GenerateKE3(ke2)` and sends `ke3` with **exactly one** of `totp_code`
    and `recovery_code` (otherwise `401 mfa_required`, and the login attempt stays usable).
    A well-formed request with exactly one code consumes the `login_id`, whatever the
    outcome: after a failure, start again with `startLogin`.

    * TOTP: RFC 6238, SHA-1, 6 digits, 30-second step; the previous and the next step are
      accepted too; spaces are ignored; each step's code is accepted at most once
      (`totp_replayed`).
    * Recovery code: one of the ten codes, case- and separator-insensitive; each works once.

    Wrong MFA codes are counted per account only after the password was proven (10 per
    hour by default; and per client address unless a device token came with the login
    start), so someone without the password cannot lock the owner out of MFA. At most a
    few recovery-code checks (Argon2id) run at once per name and per address; more are
    `429 rate_limited` with `Retry-After: 1`.

    On success the response carries the session token (use it as
    `Authorization: Bearer <access_token>`) and sets the `identity` cookie to the same
    token; it also carries a new `device_token` for the name (and sets the
    `invite_auth_device` cookie) to send with the next login start.

    Args:
        body (LoginFinishRequest): Send exactly one of `totp_code` and `recovery_code`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SessionResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: LoginFinishRequest,
) -> Response[Problem | SessionResponse]:
    """Finish the OPAQUE login (KE3) with a TOTP code or a recovery code

     The client runs `GenerateKE3(ke2)` and sends `ke3` with **exactly one** of `totp_code`
    and `recovery_code` (otherwise `401 mfa_required`, and the login attempt stays usable).
    A well-formed request with exactly one code consumes the `login_id`, whatever the
    outcome: after a failure, start again with `startLogin`.

    * TOTP: RFC 6238, SHA-1, 6 digits, 30-second step; the previous and the next step are
      accepted too; spaces are ignored; each step's code is accepted at most once
      (`totp_replayed`).
    * Recovery code: one of the ten codes, case- and separator-insensitive; each works once.

    Wrong MFA codes are counted per account only after the password was proven (10 per
    hour by default; and per client address unless a device token came with the login
    start), so someone without the password cannot lock the owner out of MFA. At most a
    few recovery-code checks (Argon2id) run at once per name and per address; more are
    `429 rate_limited` with `Retry-After: 1`.

    On success the response carries the session token (use it as
    `Authorization: Bearer <access_token>`) and sets the `identity` cookie to the same
    token; it also carries a new `device_token` for the name (and sets the
    `invite_auth_device` cookie) to send with the next login start.

    Args:
        body (LoginFinishRequest): Send exactly one of `totp_code` and `recovery_code`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SessionResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: LoginFinishRequest,
) -> Problem | SessionResponse | None:
    """Finish the OPAQUE login (KE3) with a TOTP code or a recovery code

     The client runs `GenerateKE3(ke2)` and sends `ke3` with **exactly one** of `totp_code`
    and `recovery_code` (otherwise `401 mfa_required`, and the login attempt stays usable).
    A well-formed request with exactly one code consumes the `login_id`, whatever the
    outcome: after a failure, start again with `startLogin`.

    * TOTP: RFC 6238, SHA-1, 6 digits, 30-second step; the previous and the next step are
      accepted too; spaces are ignored; each step's code is accepted at most once
      (`totp_replayed`).
    * Recovery code: one of the ten codes, case- and separator-insensitive; each works once.

    Wrong MFA codes are counted per account only after the password was proven (10 per
    hour by default; and per client address unless a device token came with the login
    start), so someone without the password cannot lock the owner out of MFA. At most a
    few recovery-code checks (Argon2id) run at once per name and per address; more are
    `429 rate_limited` with `Retry-After: 1`.

    On success the response carries the session token (use it as
    `Authorization: Bearer <access_token>`) and sets the `identity` cookie to the same
    token; it also carries a new `device_token` for the name (and sets the
    `invite_auth_device` cookie) to send with the next login start.

    Args:
        body (LoginFinishRequest): Send exactly one of `totp_code` and `recovery_code`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SessionResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
