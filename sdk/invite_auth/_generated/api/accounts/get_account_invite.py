from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.invite_response import InviteResponse
from ...models.problem import Problem
from ...types import UNSET, Response


def _get_kwargs(
    *,
    domain: str,
    account: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["domain"] = domain

    params["account"] = account

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/accounts/invite",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> InviteResponse | Problem | None:
    if response.status_code == 200:
        response_200 = InviteResponse.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[InviteResponse | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    domain: str,
    account: str,
) -> Response[InviteResponse | Problem]:
    """Issue an invite token for a new site owner

     A privileged account (root) mints an invite token for one account name on one domain.
    The checks run in the documented order: the domain is validated, then the credentials,
    then that the caller is privileged, that the domain has no owner yet, that the account
    name is valid and not taken, and that registration is open.

    The token is a UUID with HMAC-protected system claims (account, domain, expiry,
    issuer) and custom claims; its id is stored so the token can start one registration.
    It expires after 7 days by default (`expires_at`).

    Args:
        domain (str):
        account (str): An account name: 1–64 characters of `a-z 0-9 . _ -`, starting and ending
            with a letter or digit.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InviteResponse | Problem]
    """

    kwargs = _get_kwargs(
        domain=domain,
        account=account,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    domain: str,
    account: str,
) -> InviteResponse | Problem | None:
    """Issue an invite token for a new site owner

     A privileged account (root) mints an invite token for one account name on one domain.
    The checks run in the documented order: the domain is validated, then the credentials,
    then that the caller is privileged, that the domain has no owner yet, that the account
    name is valid and not taken, and that registration is open.

    The token is a UUID with HMAC-protected system claims (account, domain, expiry,
    issuer) and custom claims; its id is stored so the token can start one registration.
    It expires after 7 days by default (`expires_at`).

    Args:
        domain (str):
        account (str): An account name: 1–64 characters of `a-z 0-9 . _ -`, starting and ending
            with a letter or digit.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InviteResponse | Problem
    """

    return sync_detailed(
        client=client,
        domain=domain,
        account=account,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    domain: str,
    account: str,
) -> Response[InviteResponse | Problem]:
    """Issue an invite token for a new site owner

     A privileged account (root) mints an invite token for one account name on one domain.
    The checks run in the documented order: the domain is validated, then the credentials,
    then that the caller is privileged, that the domain has no owner yet, that the account
    name is valid and not taken, and that registration is open.

    The token is a UUID with HMAC-protected system claims (account, domain, expiry,
    issuer) and custom claims; its id is stored so the token can start one registration.
    It expires after 7 days by default (`expires_at`).

    Args:
        domain (str):
        account (str): An account name: 1–64 characters of `a-z 0-9 . _ -`, starting and ending
            with a letter or digit.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InviteResponse | Problem]
    """

    kwargs = _get_kwargs(
        domain=domain,
        account=account,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    domain: str,
    account: str,
) -> InviteResponse | Problem | None:
    """Issue an invite token for a new site owner

     A privileged account (root) mints an invite token for one account name on one domain.
    The checks run in the documented order: the domain is validated, then the credentials,
    then that the caller is privileged, that the domain has no owner yet, that the account
    name is valid and not taken, and that registration is open.

    The token is a UUID with HMAC-protected system claims (account, domain, expiry,
    issuer) and custom claims; its id is stored so the token can start one registration.
    It expires after 7 days by default (`expires_at`).

    Args:
        domain (str):
        account (str): An account name: 1–64 characters of `a-z 0-9 . _ -`, starting and ending
            with a letter or digit.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InviteResponse | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            domain=domain,
            account=account,
        )
    ).parsed
