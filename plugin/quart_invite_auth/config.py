"""Settings: constructor argument, then app.config["INVITE_AUTH_*"], then these defaults."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from invite_auth.opaque import Argon2idKSF

RegistrationMode = Literal["invite", "closed"]

PREFIX = "INVITE_AUTH_"
# The README's example value: copied into a real app, it must not start (the README
# quotes this very string, and a test holds the two together).
README_SECRET_PLACEHOLDER = "…at least 32 random bytes, e.g. secrets.token_hex(32)…"  # noqa: S105
MIN_SECRET_BYTES = 32
MIN_SECRET_DISTINCT = 8


class ConfigurationError(SystemExit):
    """The plugin cannot start with these settings.

    A SystemExit, so that a misconfigured server stops at start with this one message and
    no traceback; host code that catches Exception around app creation does not hide it."""

    def __init__(self, message: str) -> None:
        super().__init__(f"invite-auth: {message}")
        self.message = message


@dataclass(frozen=True)
class Settings:
    # Where the LMDB environment lives; None means "<instance path>/invite-auth".
    data_dir: str | None = None
    # postgresql://… selects PostgreSQL, shared by several servers; None: LMDB in data_dir.
    database_url: str | None = None
    # The PostgreSQL schema that holds the tables, created by the plugin.
    database_schema: str = "invite_auth"
    # Connections per worker process, and how long a request waits for one (then 503).
    database_pool_size: int = 10
    database_timeout: float = 5.0
    secret_key: str | bytes | None = None
    # Old secrets that still open data sealed with them, so the secret can be rotated.
    secret_key_fallbacks: Sequence[str | bytes] = ()
    registration_mode: RegistrationMode = "invite"
    invite_ttl: float = 7 * 24 * 3600
    # How long a started registration or login waits for its finish request.
    pending_ttl: float = 10 * 60
    login_ttl: float = 5 * 60
    invitation_ttl: float = 24 * 3600
    # How long an MFA recovery invite (administration's MFA reset) stays usable.
    recovery_invite_ttl: float = 24 * 3600
    session_idle_ttl: float = 12 * 3600
    session_absolute_ttl: float = 14 * 24 * 3600
    cookie_name: str = "identity"
    cookie_secure: bool = True
    cookie_samesite: Literal["Strict", "Lax"] = "Lax"
    # Origins besides the request's own from which cookie-authenticated requests may change
    # state (e.g. "https://app.example.com"); every other cross-site one is refused.
    trusted_origins: Sequence[str] = ()
    # Where `login_required` sends browsers (requests that prefer HTML) instead of a 401;
    # None answers 401 problem+json to everyone.
    login_url: str | None = None
    # The contract (openapi.yaml, as shipped) is served here; None switches it off.
    spec_path: str | None = "/invite-auth/openapi.yaml"
    # URL prefixes of the two API surfaces; None leaves one unmounted.
    accounts_prefix: str | None = "/accounts"
    invitations_prefix: str | None = "/api"
    # The browser pages (invitation, registration, login, account) under this prefix, e.g.
    # /auth/invite/<id>; "" puts them at the root (/invite/<id>, as seed 003's client does),
    # None leaves them unmounted.
    pages_prefix: str | None = "/auth"
    # The OPAQUE key stretching (Argon2id) of the pages' client. Every client of an account
    # must use the same parameters (the SDK's `ksf=`), so change it only for all of them.
    # An Argon2idKSF or a mapping of its fields (time_cost, memory_cost in KiB, parallelism).
    client_ksf: Argon2idKSF = field(default_factory=Argon2idKSF)
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
        if isinstance(values.get("client_ksf"), Mapping):
            values["client_ksf"] = Argon2idKSF(**values["client_ksf"])
        settings = cls(**values)
        settings.validate()
        return settings

    def validate(self) -> None:
        """Refuse, at start, settings the plugin cannot run safely with."""
        _check_secret("INVITE_AUTH_SECRET_KEY", self.secret_key)
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
                raise ConfigurationError(f"INVITE_AUTH_{name.upper()} is too small")
        if self.max_failure_delay < 0 or self.audit_retention_days < 0:
            raise ConfigurationError("delays and retention are not negative")
        if self.max_map_size < self.map_size:
            raise ConfigurationError(
                "INVITE_AUTH_MAX_MAP_SIZE must be at least INVITE_AUTH_MAP_SIZE"
            )
        if isinstance(self.secret_key_fallbacks, str | bytes):
            raise ConfigurationError("INVITE_AUTH_SECRET_KEY_FALLBACKS must be a list")
        for fallback in self.secret_key_fallbacks:
            _check_secret("INVITE_AUTH_SECRET_KEY_FALLBACKS", fallback)
        if self.cookie_name.startswith("__Host-") and not self.cookie_secure:
            raise ConfigurationError(
                f"the cookie name {self.cookie_name!r} needs INVITE_AUTH_COOKIE_SECURE "
                "(browsers drop __Host- cookies without Secure)"
            )
        if isinstance(self.trusted_origins, str):
            raise ConfigurationError("INVITE_AUTH_TRUSTED_ORIGINS must be a list of origins")
        for origin in self.trusted_origins:
            if not origin.startswith(("https://", "http://")) or origin.count("/") != 2:
                raise ConfigurationError(
                    f"INVITE_AUTH_TRUSTED_ORIGINS: {origin!r} is not an origin "
                    "(scheme://host[:port], no path)"
                )
        for name in ("accounts_prefix", "invitations_prefix", "pages_prefix"):
            prefix = getattr(self, name)
            if (
                prefix is not None
                and prefix != ""
                and not (prefix.startswith("/") and not prefix.endswith("/"))
            ):
                raise ConfigurationError(
                    f"INVITE_AUTH_{name.upper()} must be None, '' or start with '/' "
                    "and not end with '/'"
                )
        if not isinstance(self.client_ksf, Argon2idKSF):
            raise ConfigurationError(
                "INVITE_AUTH_CLIENT_KSF must be an Argon2idKSF or a mapping of its fields"
            )
        if self.registration_mode not in ("invite", "closed"):
            raise ConfigurationError("INVITE_AUTH_REGISTRATION_MODE must be 'invite' or 'closed'")
        if self.cookie_samesite not in ("Strict", "Lax"):
            raise ConfigurationError("INVITE_AUTH_COOKIE_SAMESITE must be 'Strict' or 'Lax'")
        if not 0 < self.max_failures_per_account <= 100:
            raise ConfigurationError(
                "INVITE_AUTH_MAX_FAILURES_PER_ACCOUNT must be 1-100 (OWASP ASVS)"
            )
        if self.database_url is not None and not self.database_url.startswith(
            ("postgresql://", "postgres://")
        ):
            raise ConfigurationError("INVITE_AUTH_DATABASE_URL must be a postgresql:// URL")
        if self.database_pool_size < 1 or self.database_timeout <= 0:
            raise ConfigurationError(
                "INVITE_AUTH_DATABASE_POOL_SIZE and INVITE_AUTH_DATABASE_TIMEOUT must be positive"
            )


def _check_secret(name: str, secret: str | bytes | None) -> None:
    if not secret:
        raise ConfigurationError(
            f"{name} is not set: it signs invite tokens and encrypts every secret at rest. "
            "Set it to at least 32 random bytes, e.g. the output of "
            "python -c 'import secrets; print(secrets.token_hex(32))'"
        )
    if secret == README_SECRET_PLACEHOLDER:
        raise ConfigurationError(
            f"{name} is still the README's placeholder: generate a secret with "
            "python -c 'import secrets; print(secrets.token_hex(32))'"
        )
    raw = secret.encode() if isinstance(secret, str) else secret
    if len(raw) < MIN_SECRET_BYTES or len(set(raw)) < MIN_SECRET_DISTINCT:
        raise ConfigurationError(
            f"{name} is too weak: use at least {MIN_SECRET_BYTES} random bytes (at least "
            f"{MIN_SECRET_DISTINCT} different characters), e.g. the output of "
            "python -c 'import secrets; print(secrets.token_hex(32))'"
        )
