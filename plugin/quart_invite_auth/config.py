"""Settings: constructor argument, then app.config["INVITE_AUTH_*"], then these defaults."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

RegistrationMode = Literal["invite", "closed"]

PREFIX = "INVITE_AUTH_"


@dataclass(frozen=True)
class Settings:
    # Where the LMDB environment lives; None means "<instance path>/invite-auth".
    data_dir: str | None = None
    secret_key: str | bytes | None = None
    # Old secrets that still open data sealed with them, so the secret can be rotated.
    secret_key_fallbacks: Sequence[str | bytes] = ()
    registration_mode: RegistrationMode = "invite"
    invite_ttl: float = 7 * 24 * 3600
    # How long a started registration or login waits for its finish request.
    pending_ttl: float = 10 * 60
    login_ttl: float = 5 * 60
    invitation_ttl: float = 24 * 3600
    session_idle_ttl: float = 12 * 3600
    session_absolute_ttl: float = 14 * 24 * 3600
    cookie_name: str = "identity"
    cookie_secure: bool = True
    cookie_samesite: Literal["Strict", "Lax"] = "Lax"
    # URL prefixes of the two API surfaces; None leaves one unmounted.
    accounts_prefix: str | None = "/accounts"
    invitations_prefix: str | None = "/api"
    # Seed 003 initial setup through POST /api/setup (the CLI works regardless).
    allow_setup_endpoint: bool = True
    max_body_bytes: int = 64 * 1024
    # Seconds between sweeps of expired invites, pending states, sessions and counters
    # while serving; 0 turns the sweep off (the CLI's `purge` still works).
    purge_interval: float = 600
    # Audit events older than this many days are deleted by the sweep (0 keeps them all).
    audit_retention_days: float = 365
    # LMDB: the map starts at map_size and doubles when full, up to max_map_size.
    map_size: int = 1 << 30
    max_map_size: int = 16 << 30
    totp_issuer: str = "invite-auth"
    # Brute-force limits per rolling hour (OWASP ASVS: at most 100 per account). Untrusted
    # attempts (no device token) count per name: free_failures_per_account free, then
    # growing delays (1 s, 2 s, 4 s, ... up to max_failure_delay), never more than
    # max_failures_per_account; and per client address. A device token's own counter
    # allows max_failures_per_device before that device is judged as untrusted.
    max_failures_per_account: int = 50
    free_failures_per_account: int = 5
    max_failure_delay: float = 300
    max_failures_per_client: int = 200
    max_failures_per_device: int = 10
    max_mfa_failures_per_account: int = 10
    failure_window: float = 3600
    # Device tokens: how long one stays valid, and the browser cookie that carries them.
    device_token_ttl: float = 180 * 24 * 3600
    device_cookie_name: str = "invite_auth_device"
    # Argon2id verifications in flight per name (or device) and per client address, in
    # each worker process; more are refused with 429 before any hashing.
    max_hashing_per_account: int = 2
    max_hashing_per_client: int = 4
    # Seed-003 invitations a login may have outstanding (not accepted, not expired).
    max_outstanding_invitations: int = 20
    # Argon2id for seed-003 passwords: the argon2-cffi defaults (RFC 9106 low-memory).
    password_time_cost: int = 3
    password_memory_cost: int = 65536
    password_parallelism: int = 4
    password_min_length: int = 8
    password_max_length: int = 1024

    @classmethod
    def resolve(cls, app_config: Mapping[str, Any], overrides: Mapping[str, Any]) -> Settings:
        values: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            if f.name in overrides:
                values[f.name] = overrides[f.name]
            elif PREFIX + f.name.upper() in app_config:
                values[f.name] = app_config[PREFIX + f.name.upper()]
        unknown = set(overrides) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise TypeError(f"unknown InviteAuth settings: {sorted(unknown)}")
        settings = cls(**values)
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.registration_mode not in ("invite", "closed"):
            raise ValueError("INVITE_AUTH_REGISTRATION_MODE must be 'invite' or 'closed'")
        if self.cookie_samesite not in ("Strict", "Lax"):
            raise ValueError("INVITE_AUTH_COOKIE_SAMESITE must be 'Strict' or 'Lax'")
        if not 0 < self.max_failures_per_account <= 100:
            raise ValueError("INVITE_AUTH_MAX_FAILURES_PER_ACCOUNT must be 1-100 (OWASP ASVS)")
        for name in (
            "free_failures_per_account",
            "max_failures_per_client",
            "max_failures_per_device",
            "max_mfa_failures_per_account",
            "max_hashing_per_account",
            "max_hashing_per_client",
            "max_outstanding_invitations",
        ):
            if getattr(self, name) < (0 if name == "free_failures_per_account" else 1):
                raise ValueError(f"INVITE_AUTH_{name.upper()} is too small")
        if self.max_failure_delay < 0 or self.audit_retention_days < 0:
            raise ValueError("delays and retention are not negative")
        if self.max_map_size < self.map_size:
            raise ValueError("INVITE_AUTH_MAX_MAP_SIZE must be at least INVITE_AUTH_MAP_SIZE")
        if isinstance(self.secret_key_fallbacks, str | bytes):
            raise ValueError("INVITE_AUTH_SECRET_KEY_FALLBACKS must be a list")
