from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.mfa_recovery_finish_request import MfaRecoveryFinishRequest
from ...models.problem import Problem
from ...models.registration_finish_response import RegistrationFinishResponse
from ...types import Response


def _get_kwargs(
    *,
    body: MfaRecoveryFinishRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/accounts/mfa-recovery/finish",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | RegistrationFinishResponse | None:
    if response.status_code == 200:
        response_200 = RegistrationFinishResponse.from_dict(response.json())

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

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | RegistrationFinishResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: MfaRecoveryFinishRequest,
) -> Response[Problem | RegistrationFinishResponse]:
    """Finish the MFA recovery (KE3); receive new MFA secrets, sealed

     The client runs `GenerateKE3(ke2)` and sends `ke3`. With a valid one, in one atomic
    step, the server spends the recovery invite (single use), gives the account a new
    TOTP secret and ten new recovery codes (the old secret and codes stop working at
    once) and writes the audit event `mfa_recovered`. The answer is the account and the
    new `MfaSecrets`, sealed to the account's sealing public key exactly as
    `finishRegistration` seals them (the client re-derives the key pair from this
    login's `export_key`). No session is opened: log in with the new secrets.

    A wrong password is `401 login_failed`: it spends the `recovery_id` and stays counted
    as a failure for the name, and the invite stays usable for another try. So is a
    KE3 for the password the account had when the recovery started, if it has changed
    since. A disabled account is `403 account_disabled`; a recovery invite whose
    administrator has since been disabled, deleted or made unprivileged is
    `404 recovery_invite_invalid`.

    Clients should send `sealing_public_key`, derived from this login's `export_key` as
    at registration: an account registered before the server kept sealing keys has
    none on record, and then this one is used and kept.

    Args:
        body (MfaRecoveryFinishRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RegistrationFinishResponse]
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
    body: MfaRecoveryFinishRequest,
) -> Problem | RegistrationFinishResponse | None:
    """Finish the MFA recovery (KE3); receive new MFA secrets, sealed

     The client runs `GenerateKE3(ke2)` and sends `ke3`. With a valid one, in one atomic
    step, the server spends the recovery invite (single use), gives the account a new
    TOTP secret and ten new recovery codes (the old secret and codes stop working at
    once) and writes the audit event `mfa_recovered`. The answer is the account and the
    new `MfaSecrets`, sealed to the account's sealing public key exactly as
    `finishRegistration` seals them (the client re-derives the key pair from this
    login's `export_key`). No session is opened: log in with the new secrets.

    A wrong password is `401 login_failed`: it spends the `recovery_id` and stays counted
    as a failure for the name, and the invite stays usable for another try. So is a
    KE3 for the password the account had when the recovery started, if it has changed
    since. A disabled account is `403 account_disabled`; a recovery invite whose
    administrator has since been disabled, deleted or made unprivileged is
    `404 recovery_invite_invalid`.

    Clients should send `sealing_public_key`, derived from this login's `export_key` as
    at registration: an account registered before the server kept sealing keys has
    none on record, and then this one is used and kept.

    Args:
        body (MfaRecoveryFinishRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RegistrationFinishResponse
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: MfaRecoveryFinishRequest,
) -> Response[Problem | RegistrationFinishResponse]:
    """Finish the MFA recovery (KE3); receive new MFA secrets, sealed

     The client runs `GenerateKE3(ke2)` and sends `ke3`. With a valid one, in one atomic
    step, the server spends the recovery invite (single use), gives the account a new
    TOTP secret and ten new recovery codes (the old secret and codes stop working at
    once) and writes the audit event `mfa_recovered`. The answer is the account and the
    new `MfaSecrets`, sealed to the account's sealing public key exactly as
    `finishRegistration` seals them (the client re-derives the key pair from this
    login's `export_key`). No session is opened: log in with the new secrets.

    A wrong password is `401 login_failed`: it spends the `recovery_id` and stays counted
    as a failure for the name, and the invite stays usable for another try. So is a
    KE3 for the password the account had when the recovery started, if it has changed
    since. A disabled account is `403 account_disabled`; a recovery invite whose
    administrator has since been disabled, deleted or made unprivileged is
    `404 recovery_invite_invalid`.

    Clients should send `sealing_public_key`, derived from this login's `export_key` as
    at registration: an account registered before the server kept sealing keys has
    none on record, and then this one is used and kept.

    Args:
        body (MfaRecoveryFinishRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | RegistrationFinishResponse]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: MfaRecoveryFinishRequest,
) -> Problem | RegistrationFinishResponse | None:
    """Finish the MFA recovery (KE3); receive new MFA secrets, sealed

     The client runs `GenerateKE3(ke2)` and sends `ke3`. With a valid one, in one atomic
    step, the server spends the recovery invite (single use), gives the account a new
    TOTP secret and ten new recovery codes (the old secret and codes stop working at
    once) and writes the audit event `mfa_recovered`. The answer is the account and the
    new `MfaSecrets`, sealed to the account's sealing public key exactly as
    `finishRegistration` seals them (the client re-derives the key pair from this
    login's `export_key`). No session is opened: log in with the new secrets.

    A wrong password is `401 login_failed`: it spends the `recovery_id` and stays counted
    as a failure for the name, and the invite stays usable for another try. So is a
    KE3 for the password the account had when the recovery started, if it has changed
    since. A disabled account is `403 account_disabled`; a recovery invite whose
    administrator has since been disabled, deleted or made unprivileged is
    `404 recovery_invite_invalid`.

    Clients should send `sealing_public_key`, derived from this login's `export_key` as
    at registration: an account registered before the server kept sealing keys has
    none on record, and then this one is used and kept.

    Args:
        body (MfaRecoveryFinishRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | RegistrationFinishResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
