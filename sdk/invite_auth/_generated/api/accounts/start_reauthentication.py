from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.reauth_start_request import ReauthStartRequest
from ...models.reauth_start_response import ReauthStartResponse
from ...types import Response


def _get_kwargs(
    *,
    body: ReauthStartRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/accounts/reauth/start",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | ReauthStartResponse | None:
    if response.status_code == 200:
        response_200 = ReauthStartResponse.from_dict(response.json())

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
) -> Response[Problem | ReauthStartResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ReauthStartRequest,
) -> Response[Problem | ReauthStartResponse]:
    """Start a fresh proof of the password (KE1 → KE2) for the session's own account

     Changing the password, regenerating the recovery codes and re-enrolling TOTP need a
    **fresh proof**: an OPAQUE login run again, inside the same flow, for the account of
    the current session, plus a second factor. The client runs `GenerateKE1(password)`
    and sends `ke1`; the server answers with `ke2` and a `reauth_id`, valid for 5 minutes
    by default, **bound to this session** (another session of the same account cannot
    finish it) and spent by the first finish, whatever its outcome.

    For a password change, send also the `registration_request` of the **new** password
    (`CreateRegistrationRequest`): the answer then carries the server's
    `registration_response` (credential identifier: the account `id`, as at
    registration), from which the client makes the new `registration_record` and, from
    its new `export_key`, the new sealing key pair.

    A fresh proof is judged and counted exactly like a login (see "Failure limits and
    device tokens"): this start counts as a failed attempt for the account's name until
    a valid `ke3` proves the password, and the second factor then counts under the MFA
    limits. Past a limit the answer is `429 rate_limited` with `Retry-After`. A
    seed-003 password login has no OPAQUE password: `403 wrong_account_kind`.

    Args:
        body (ReauthStartRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReauthStartResponse]
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
    body: ReauthStartRequest,
) -> Problem | ReauthStartResponse | None:
    """Start a fresh proof of the password (KE1 → KE2) for the session's own account

     Changing the password, regenerating the recovery codes and re-enrolling TOTP need a
    **fresh proof**: an OPAQUE login run again, inside the same flow, for the account of
    the current session, plus a second factor. The client runs `GenerateKE1(password)`
    and sends `ke1`; the server answers with `ke2` and a `reauth_id`, valid for 5 minutes
    by default, **bound to this session** (another session of the same account cannot
    finish it) and spent by the first finish, whatever its outcome.

    For a password change, send also the `registration_request` of the **new** password
    (`CreateRegistrationRequest`): the answer then carries the server's
    `registration_response` (credential identifier: the account `id`, as at
    registration), from which the client makes the new `registration_record` and, from
    its new `export_key`, the new sealing key pair.

    A fresh proof is judged and counted exactly like a login (see "Failure limits and
    device tokens"): this start counts as a failed attempt for the account's name until
    a valid `ke3` proves the password, and the second factor then counts under the MFA
    limits. Past a limit the answer is `429 rate_limited` with `Retry-After`. A
    seed-003 password login has no OPAQUE password: `403 wrong_account_kind`.

    Args:
        body (ReauthStartRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReauthStartResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ReauthStartRequest,
) -> Response[Problem | ReauthStartResponse]:
    """Start a fresh proof of the password (KE1 → KE2) for the session's own account

     Changing the password, regenerating the recovery codes and re-enrolling TOTP need a
    **fresh proof**: an OPAQUE login run again, inside the same flow, for the account of
    the current session, plus a second factor. The client runs `GenerateKE1(password)`
    and sends `ke1`; the server answers with `ke2` and a `reauth_id`, valid for 5 minutes
    by default, **bound to this session** (another session of the same account cannot
    finish it) and spent by the first finish, whatever its outcome.

    For a password change, send also the `registration_request` of the **new** password
    (`CreateRegistrationRequest`): the answer then carries the server's
    `registration_response` (credential identifier: the account `id`, as at
    registration), from which the client makes the new `registration_record` and, from
    its new `export_key`, the new sealing key pair.

    A fresh proof is judged and counted exactly like a login (see "Failure limits and
    device tokens"): this start counts as a failed attempt for the account's name until
    a valid `ke3` proves the password, and the second factor then counts under the MFA
    limits. Past a limit the answer is `429 rate_limited` with `Retry-After`. A
    seed-003 password login has no OPAQUE password: `403 wrong_account_kind`.

    Args:
        body (ReauthStartRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReauthStartResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ReauthStartRequest,
) -> Problem | ReauthStartResponse | None:
    """Start a fresh proof of the password (KE1 → KE2) for the session's own account

     Changing the password, regenerating the recovery codes and re-enrolling TOTP need a
    **fresh proof**: an OPAQUE login run again, inside the same flow, for the account of
    the current session, plus a second factor. The client runs `GenerateKE1(password)`
    and sends `ke1`; the server answers with `ke2` and a `reauth_id`, valid for 5 minutes
    by default, **bound to this session** (another session of the same account cannot
    finish it) and spent by the first finish, whatever its outcome.

    For a password change, send also the `registration_request` of the **new** password
    (`CreateRegistrationRequest`): the answer then carries the server's
    `registration_response` (credential identifier: the account `id`, as at
    registration), from which the client makes the new `registration_record` and, from
    its new `export_key`, the new sealing key pair.

    A fresh proof is judged and counted exactly like a login (see "Failure limits and
    device tokens"): this start counts as a failed attempt for the account's name until
    a valid `ke3` proves the password, and the second factor then counts under the MFA
    limits. Past a limit the answer is `429 rate_limited` with `Retry-After`. A
    seed-003 password login has no OPAQUE password: `403 wrong_account_kind`.

    Args:
        body (ReauthStartRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReauthStartResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
