from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.login_password_change_request import LoginPasswordChangeRequest
from ...models.login_password_changed import LoginPasswordChanged
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    *,
    body: LoginPasswordChangeRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/auth/password",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LoginPasswordChanged | Problem | None:
    if response.status_code == 200:
        response_200 = LoginPasswordChanged.from_dict(response.json())

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
) -> Response[LoginPasswordChanged | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: LoginPasswordChangeRequest,
) -> Response[LoginPasswordChanged | Problem]:
    """Change a password login's password

     For password logins only (an OPAQUE account proves its password by OPAQUE
    instead: `403 wrong_account_kind`). The current password is checked like a
    password login's: a wrong one is `401 login_failed` and counts as a failed login
    for the name, on the same counters and limits as `passwordLogin` (with a valid
    `device_token`, in the body or the device cookie, the device's own; see "Failure
    limits and device tokens"); past them the answer is `429 rate_limited`. The new password must meet
    the
    password policy (`400 invalid_password`).

    In one transaction the new password replaces the old one, which stops working at
    once, every other session of the login ends (this one stays) and the audit event
    `password_changed` is written. Of two concurrent changes exactly one succeeds: the
    other finds that the password it proved is no longer the current one, and is
    `401 login_failed` (not counted as a failure) — log in with the new password.

    Args:
        body (LoginPasswordChangeRequest): The login's current password, the new one (see
            "Password policy"), and the device token from an earlier login, if any.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LoginPasswordChanged | Problem]
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
    body: LoginPasswordChangeRequest,
) -> LoginPasswordChanged | Problem | None:
    """Change a password login's password

     For password logins only (an OPAQUE account proves its password by OPAQUE
    instead: `403 wrong_account_kind`). The current password is checked like a
    password login's: a wrong one is `401 login_failed` and counts as a failed login
    for the name, on the same counters and limits as `passwordLogin` (with a valid
    `device_token`, in the body or the device cookie, the device's own; see "Failure
    limits and device tokens"); past them the answer is `429 rate_limited`. The new password must meet
    the
    password policy (`400 invalid_password`).

    In one transaction the new password replaces the old one, which stops working at
    once, every other session of the login ends (this one stays) and the audit event
    `password_changed` is written. Of two concurrent changes exactly one succeeds: the
    other finds that the password it proved is no longer the current one, and is
    `401 login_failed` (not counted as a failure) — log in with the new password.

    Args:
        body (LoginPasswordChangeRequest): The login's current password, the new one (see
            "Password policy"), and the device token from an earlier login, if any.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LoginPasswordChanged | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: LoginPasswordChangeRequest,
) -> Response[LoginPasswordChanged | Problem]:
    """Change a password login's password

     For password logins only (an OPAQUE account proves its password by OPAQUE
    instead: `403 wrong_account_kind`). The current password is checked like a
    password login's: a wrong one is `401 login_failed` and counts as a failed login
    for the name, on the same counters and limits as `passwordLogin` (with a valid
    `device_token`, in the body or the device cookie, the device's own; see "Failure
    limits and device tokens"); past them the answer is `429 rate_limited`. The new password must meet
    the
    password policy (`400 invalid_password`).

    In one transaction the new password replaces the old one, which stops working at
    once, every other session of the login ends (this one stays) and the audit event
    `password_changed` is written. Of two concurrent changes exactly one succeeds: the
    other finds that the password it proved is no longer the current one, and is
    `401 login_failed` (not counted as a failure) — log in with the new password.

    Args:
        body (LoginPasswordChangeRequest): The login's current password, the new one (see
            "Password policy"), and the device token from an earlier login, if any.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LoginPasswordChanged | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: LoginPasswordChangeRequest,
) -> LoginPasswordChanged | Problem | None:
    """Change a password login's password

     For password logins only (an OPAQUE account proves its password by OPAQUE
    instead: `403 wrong_account_kind`). The current password is checked like a
    password login's: a wrong one is `401 login_failed` and counts as a failed login
    for the name, on the same counters and limits as `passwordLogin` (with a valid
    `device_token`, in the body or the device cookie, the device's own; see "Failure
    limits and device tokens"); past them the answer is `429 rate_limited`. The new password must meet
    the
    password policy (`400 invalid_password`).

    In one transaction the new password replaces the old one, which stops working at
    once, every other session of the login ends (this one stays) and the audit event
    `password_changed` is written. Of two concurrent changes exactly one succeeds: the
    other finds that the password it proved is no longer the current one, and is
    `401 login_failed` (not counted as a failure) — log in with the new password.

    Args:
        body (LoginPasswordChangeRequest): The login's current password, the new one (see
            "Password policy"), and the device token from an earlier login, if any.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LoginPasswordChanged | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
