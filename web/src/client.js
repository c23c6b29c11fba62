// The invite-auth API from a browser: OPAQUE through @serenity-kit/opaque, the sealed MFA
// bundle through WebCrypto, sessions through the HttpOnly identity cookie (the client never
// keeps the session token in script-readable storage).
//
//   const client = new InviteAuthClient({ accounts: "/accounts", invitations: "/api" });
//   const mfa = await client.register(inviteToken, "owner", password);
//   await client.login("owner", password, { totpCode: "123456" });
//
// Every failure is an InviteAuthError with the server's problem code (openapi.yaml).

import { client as opaque, ready } from "./vendor/opaque.js";
import { b64urlDecode, b64urlEncode } from "./encoding.js";
import { CLIENT_CODES, InviteAuthError, errorFromResponse } from "./errors.js";
import { SealingError, deriveSealingKeyPair, mfaSecrets, openSealedBundle } from "./sealing.js";

/**
 * Argon2id parameters of the OPAQUE key stretching function; the same at registration and
 * at every login, and the same as any other client of the account (the Python SDK's
 * Argon2idKSF(time_cost, memory_cost, parallelism)).
 * @typedef {object} Ksf
 * @property {number} timeCost passes
 * @property {number} memoryCost KiB
 * @property {number} parallelism lanes
 */

/** serenity-kit's default and the SDK's: t=3, m=64 MiB, p=4. */
export const DEFAULT_KSF = Object.freeze({ timeCost: 3, memoryCost: 65536, parallelism: 4 });

/**
 * @typedef {object} ClientOptions
 * @property {string | null} [accounts] URL prefix of the accounts API; null when not mounted
 * @property {string | null} [invitations] URL prefix of the invitations API; null when not mounted
 * @property {Ksf} [ksf]
 * @property {typeof fetch} [fetch]
 */

/**
 * @typedef {object} Account
 * @property {string} id
 * @property {string} name
 * @property {"opaque" | "password"} kind
 * @property {string | null} domain
 * @property {boolean} privileged
 * @property {string} createdAt
 */

/**
 * @typedef {object} Registration
 * @property {Account} account
 * @property {string} totpSecret
 * @property {string} otpauthUri
 * @property {string[]} recoveryCodes
 */

/**
 * @typedef {object} Session
 * @property {Account} account
 * @property {string} expiresAt
 */

/** @typedef {{totpCode: string} | {recoveryCode: string}} SecondFactor */

/**
 * @typedef {object} PendingLogin
 * @property {(factor: SecondFactor) => Promise<Session>} finish sends KE3 with one code;
 *   the attempt is used up whatever the outcome (start again after a failure)
 */

/**
 * @typedef {object} SiteInvite
 * @property {string} inviteToken
 * @property {string} domain
 * @property {string} account
 * @property {string} expiresAt
 */

/**
 * @typedef {object} Invitation
 * @property {string} id
 * @property {string} issuer the issuer's login id
 * @property {string} issuedAt
 */

/**
 * @typedef {object} InvitationDetails
 * @property {string} id
 * @property {{id: string, name: string}} issuer
 * @property {string} issuedAt
 */

/** @typedef {{id: string, name: string}} Login */

/**
 * @typedef {Account & {recoveryCodesRemaining: number | null}} Me
 * recoveryCodesRemaining: unused recovery codes of an OPAQUE account; null for a password login
 */

/**
 * One of your own sessions (listSessions).
 * @typedef {object} OwnSession
 * @property {string} id public handle, for revokeSession (not the token)
 * @property {string} createdAt
 * @property {string} lastUsedAt
 * @property {string} expiresAt
 * @property {string | null} client the address it was opened from
 * @property {string | null} userAgent
 * @property {boolean} current whether it is the session of this browser
 */

/**
 * One of your outstanding seed-003 invitations (listInvitations): listed by its ref, since
 * the server keeps the id itself only as a hash.
 * @typedef {object} OutstandingInvitation
 * @property {string} ref
 * @property {string} issuedAt
 * @property {string} expiresAt
 */

/**
 * What a fresh proof (reauth/start + the OPAQUE login it runs) leaves in the browser.
 * @typedef {object} FreshProof
 * @property {string} reauthId
 * @property {string} ke3
 * @property {Bytes} exportKey the current password's export key (opens sealed answers)
 * @property {string | null} registrationRecord the new password's record, for a change
 * @property {Bytes | null} newExportKey the new password's export key, for a change
 */

/** @typedef {import("./encoding.js").Bytes} Bytes */

/** @typedef {Record<string, unknown>} Json */

/**
 * @param {unknown} value
 * @param {string} what
 * @returns {Json}
 */
function object(value, what) {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InviteAuthError(CLIENT_CODES.PROTOCOL, `the server's ${what} is not an object`);
  }
  return /** @type {Json} */ (value);
}

/**
 * @param {Json} obj
 * @param {string} key
 * @returns {string}
 */
function str(obj, key) {
  const value = obj[key];
  if (typeof value !== "string") {
    throw new InviteAuthError(CLIENT_CODES.PROTOCOL, `the server's answer has no ${key}`);
  }
  return value;
}

/**
 * @param {unknown} value
 * @returns {Account}
 */
function account(value) {
  const a = object(value, "account");
  const kind = str(a, "kind");
  if (kind !== "opaque" && kind !== "password") {
    throw new InviteAuthError(CLIENT_CODES.PROTOCOL, `unknown account kind ${kind}`);
  }
  return {
    id: str(a, "id"),
    name: str(a, "name"),
    kind,
    domain: typeof a.domain === "string" ? a.domain : null,
    privileged: a.privileged === true,
    createdAt: str(a, "created_at"),
  };
}

/**
 * serenity-kit's key stretching option for these Argon2id parameters.
 * @param {Ksf} ksf
 */
function keyStretching(ksf) {
  return {
    "argon2id-custom": {
      iterations: ksf.timeCost,
      memory: ksf.memoryCost,
      parallelism: ksf.parallelism,
    },
  };
}

/**
 * Run a step of the OPAQUE library; its own errors (malformed server messages) become
 * protocol errors.
 * @template T
 * @param {string} what
 * @param {() => T} step
 * @returns {T}
 */
function opaqueStep(what, step) {
  try {
    return step();
  } catch (err) {
    throw new InviteAuthError(CLIENT_CODES.PROTOCOL, `${what}: ${String(err)}`);
  }
}

export class InviteAuthClient {
  /** @param {ClientOptions} [options] */
  constructor(options = {}) {
    // The prefixes are kept under their own names: `invitations()` is an operation.
    this.accountsPrefix = options.accounts === undefined ? "/accounts" : options.accounts;
    this.invitationsPrefix = options.invitations === undefined ? "/api" : options.invitations;
    this.ksf = options.ksf ?? DEFAULT_KSF;
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  // -- transport ------------------------------------------------------------------------

  /**
   * @param {"accounts" | "invitations"} surface
   * @param {string} path
   */
  url(surface, path) {
    const prefix = surface === "accounts" ? this.accountsPrefix : this.invitationsPrefix;
    if (prefix === null) {
      throw new InviteAuthError(CLIENT_CODES.HTTP, `the ${surface} API is not mounted here`);
    }
    return prefix + path;
  }

  /**
   * @param {string} method
   * @param {string} url
   * @param {unknown} [body]
   * @returns {Promise<unknown>} the JSON answer, or null for an empty one
   */
  async call(method, url, body) {
    /** @type {Record<string, string>} */
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response;
    try {
      response = await this.fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
        cache: "no-store",
        redirect: "error",
      });
    } catch (err) {
      throw new InviteAuthError(CLIENT_CODES.NETWORK, `the server did not answer: ${String(err)}`);
    }
    if (response.status >= 400) throw await errorFromResponse(response);
    if (response.status === 204) return null;
    try {
      return await response.json();
    } catch {
      throw new InviteAuthError(CLIENT_CODES.PROTOCOL, "the server's answer is not JSON", {
        status: response.status,
      });
    }
  }

  // -- accounts (seed 000) --------------------------------------------------------------

  /**
   * Register with an invite token; returns the opened MFA secrets (show them once).
   * @param {string} inviteToken
   * @param {string} accountName
   * @param {string} password never leaves the browser
   * @returns {Promise<Registration>}
   */
  async register(inviteToken, accountName, password) {
    await ready;
    const { clientRegistrationState, registrationRequest } = opaque.startRegistration({
      password,
    });
    const started = object(
      await this.call("POST", this.url("accounts", "/registration/start"), {
        invite_token: inviteToken,
        account: accountName,
        registration_request: registrationRequest,
      }),
      "registration start",
    );
    const { registrationRecord, exportKey } = opaqueStep("registration response", () =>
      opaque.finishRegistration({
        clientRegistrationState,
        registrationResponse: str(started, "registration_response"),
        password,
        keyStretching: keyStretching(this.ksf),
      }),
    );
    const exportKeyBytes = b64urlDecode(exportKey);
    const { publicKey } = await deriveSealingKeyPair(exportKeyBytes);
    const finished = object(
      await this.call("POST", this.url("accounts", "/registration/finish"), {
        registration_id: str(started, "registration_id"),
        registration_record: registrationRecord,
        sealing_public_key: b64urlEncode(publicKey),
      }),
      "registration finish",
    );
    const created = account(finished.account);
    const sealed = object(finished.sealed_mfa, "sealed bundle");
    try {
      const secrets = mfaSecrets(
        await openSealedBundle(exportKeyBytes, created.name, {
          ephemeralPublicKey: b64urlDecode(str(sealed, "ephemeral_public_key")),
          nonce: b64urlDecode(str(sealed, "nonce")),
          ciphertext: b64urlDecode(str(sealed, "ciphertext")),
        }),
      );
      return { account: created, ...secrets };
    } catch (err) {
      // The account exists now, but its secrets are unreadable: say so loudly.
      const reason = err instanceof SealingError || err instanceof TypeError ? err.message : err;
      throw new InviteAuthError(
        CLIENT_CODES.PROTOCOL,
        `the sealed MFA bundle does not open: ${String(reason)}`,
      );
    }
  }

  /**
   * The password half of a login: KE1 → KE2 → KE3. A wrong password (or an unknown
   * account: the server answers it with a fake KE2) is `login_failed` here already.
   * @param {string} accountName
   * @param {string} password never leaves the browser
   * @returns {Promise<PendingLogin>}
   */
  async startLogin(accountName, password) {
    await ready;
    const { clientLoginState, startLoginRequest } = opaque.startLogin({ password });
    const started = object(
      await this.call("POST", this.url("accounts", "/login/start"), {
        account: accountName,
        ke1: startLoginRequest,
      }),
      "login start",
    );
    const loginResponse = str(started, "ke2");
    const finished = opaqueStep("KE2", () =>
      opaque.finishLogin({
        clientLoginState,
        loginResponse,
        password,
        keyStretching: keyStretching(this.ksf),
      }),
    );
    if (finished === undefined) {
      throw new InviteAuthError("login_failed", "wrong password or unknown account");
    }
    const loginId = str(started, "login_id");
    return {
      finish: async (factor) => {
        const codes =
          "totpCode" in factor
            ? { totp_code: factor.totpCode }
            : { recovery_code: factor.recoveryCode };
        const session = object(
          await this.call("POST", this.url("accounts", "/login/finish"), {
            login_id: loginId,
            ke3: finished.finishLoginRequest,
            ...codes,
          }),
          "session",
        );
        return { account: account(session.account), expiresAt: str(session, "expires_at") };
      },
    };
  }

  /**
   * OPAQUE login with one second factor; the browser keeps the identity cookie.
   * @param {string} accountName
   * @param {string} password
   * @param {SecondFactor} factor
   * @returns {Promise<Session>}
   */
  async login(accountName, password, factor) {
    const pending = await this.startLogin(accountName, password);
    return pending.finish(factor);
  }

  /**
   * Who the session belongs to (an account or a password login), and how many recovery
   * codes an OPAQUE account has left.
   * @returns {Promise<Me>}
   */
  async me() {
    const answer = await this.call("GET", this.url("accounts", "/me"));
    const remaining = object(answer, "account").recovery_codes_remaining;
    return {
      ...account(answer),
      recoveryCodesRemaining: typeof remaining === "number" ? remaining : null,
    };
  }

  /** End the session on the server (either surface revokes any session). */
  async logout() {
    if (this.accountsPrefix !== null) await this.call("POST", this.url("accounts", "/logout"));
    else await this.call("POST", this.url("invitations", "/auth/logout"));
  }

  /**
   * Mint an invite token for a site owner (privileged accounts only).
   * @param {string} domain
   * @param {string} accountName
   * @returns {Promise<SiteInvite>}
   */
  async createSiteInvite(domain, accountName) {
    const query = new URLSearchParams({ domain, account: accountName });
    const invite = object(
      await this.call("GET", this.url("accounts", `/invite?${query}`)),
      "invite",
    );
    return {
      inviteToken: str(invite, "invite_token"),
      domain: str(invite, "domain"),
      account: str(invite, "account"),
      expiresAt: str(invite, "expires_at"),
    };
  }

  // -- invitations (seed 003) -----------------------------------------------------------

  /** @returns {Promise<Invitation>} */
  async createInvitation() {
    const created = object(
      await this.call("POST", this.url("invitations", "/invite"), {}),
      "invitation",
    );
    return {
      id: str(created, "id"),
      issuer: str(created, "issuer"),
      issuedAt: str(created, "issued_at"),
    };
  }

  /**
   * @param {string} id
   * @returns {Promise<InvitationDetails>}
   */
  async showInvitation(id) {
    const shown = object(
      await this.call("GET", this.url("invitations", `/invite/${encodeURIComponent(id)}`)),
      "invitation",
    );
    const issuer = object(shown.issuer, "issuer");
    return {
      id: str(shown, "id"),
      issuer: { id: str(issuer, "id"), name: str(issuer, "name") },
      issuedAt: str(shown, "issued_at"),
    };
  }

  /**
   * Accept an invitation: creates a password login and logs the browser in as it.
   * @param {string} id
   * @param {string} name
   * @param {string} password sent to the server (seed 003 hashes it with Argon2id)
   * @returns {Promise<Login>}
   */
  async acceptInvitation(id, name, password) {
    return this.#login(`/invite/${encodeURIComponent(id)}`, name, password);
  }

  /**
   * The first login of an empty server (only while no account or login exists).
   * @param {string} name
   * @param {string} password
   * @returns {Promise<Login>}
   */
  async initialSetup(name, password) {
    return this.#login("/setup", name, password);
  }

  /**
   * @param {string} name
   * @param {string} password
   * @returns {Promise<Login>}
   */
  async passwordLogin(name, password) {
    return this.#login("/auth/login", name, password);
  }

  async passwordLogout() {
    await this.call("POST", this.url("invitations", "/auth/logout"));
  }

  // -- account lifecycle (issue 13): own sessions, own invitations, new secrets ----------

  /**
   * The live sessions of this account or login, oldest first.
   * @returns {Promise<OwnSession[]>}
   */
  async sessions() {
    const listed = object(await this.call("GET", this.url("accounts", "/sessions")), "list");
    if (!Array.isArray(listed.sessions)) {
      throw new InviteAuthError(CLIENT_CODES.PROTOCOL, "the server's answer has no sessions");
    }
    return listed.sessions.map((item) => {
      const s = object(item, "session");
      return {
        id: str(s, "id"),
        createdAt: str(s, "created_at"),
        lastUsedAt: str(s, "last_used_at"),
        expiresAt: str(s, "expires_at"),
        client: typeof s.client === "string" ? s.client : null,
        userAgent: typeof s.user_agent === "string" ? s.user_agent : null,
        current: s.current === true,
      };
    });
  }

  /**
   * End one of your sessions at once (the current one too: that logs this browser out).
   * @param {string} id an OwnSession's id
   */
  async revokeSession(id) {
    await this.call("DELETE", this.url("accounts", `/sessions/${encodeURIComponent(id)}`));
  }

  /**
   * End every session of this account but the current one.
   * @returns {Promise<number>} how many ended
   */
  async revokeOtherSessions() {
    const revoked = object(
      await this.call("POST", this.url("accounts", "/sessions/revoke-others"), {}),
      "answer",
    );
    return typeof revoked.revoked === "number" ? revoked.revoked : 0;
  }

  /**
   * Your outstanding seed-003 invitations, oldest first.
   * @returns {Promise<OutstandingInvitation[]>}
   */
  async invitations() {
    const listed = object(await this.call("GET", this.url("invitations", "/invitations")), "list");
    if (!Array.isArray(listed.invitations)) {
      throw new InviteAuthError(CLIENT_CODES.PROTOCOL, "the server's answer has no invitations");
    }
    return listed.invitations.map((item) => {
      const i = object(item, "invitation");
      return { ref: str(i, "ref"), issuedAt: str(i, "issued_at"), expiresAt: str(i, "expires_at") };
    });
  }

  /**
   * Withdraw one of your outstanding invitations; its link stops working at once.
   * @param {string} ref an OutstandingInvitation's ref
   */
  async revokeInvitation(ref) {
    await this.call("DELETE", this.url("invitations", `/invitations/${encodeURIComponent(ref)}`));
  }

  /**
   * Change a seed-003 password login's password; every other session of the login ends.
   * @param {string} currentPassword
   * @param {string} newPassword
   * @returns {Promise<number>} how many other sessions ended
   */
  async changeLoginPassword(currentPassword, newPassword) {
    const changed = object(
      await this.call("POST", this.url("invitations", "/auth/password"), {
        current_password: currentPassword,
        new_password: newPassword,
      }),
      "answer",
    );
    return typeof changed.sessions_ended === "number" ? changed.sessions_ended : 0;
  }

  /**
   * A fresh proof of the current password for the session's own OPAQUE account: the
   * OPAQUE login run again (KE1 → KE2 → KE3) inside /reauth/start; with a new password,
   * also its registration (request → response → record), as the SDK's _fresh_proof.
   * @param {string} password never leaves the browser
   * @param {string | null} newPassword
   * @returns {Promise<FreshProof>}
   */
  async #freshProof(password, newPassword) {
    await ready;
    const { clientLoginState, startLoginRequest } = opaque.startLogin({ password });
    const registration =
      newPassword === null ? null : opaque.startRegistration({ password: newPassword });
    const started = object(
      await this.call("POST", this.url("accounts", "/reauth/start"), {
        ke1: startLoginRequest,
        ...(registration ? { registration_request: registration.registrationRequest } : {}),
      }),
      "reauthentication start",
    );
    const loginResponse = str(started, "ke2");
    const finished = opaqueStep("KE2", () =>
      opaque.finishLogin({
        clientLoginState,
        loginResponse,
        password,
        keyStretching: keyStretching(this.ksf),
      }),
    );
    if (finished === undefined) {
      throw new InviteAuthError("login_failed", "wrong password");
    }
    const proof = {
      reauthId: str(started, "reauth_id"),
      ke3: finished.finishLoginRequest,
      exportKey: b64urlDecode(finished.exportKey),
      registrationRecord: null,
      newExportKey: null,
    };
    if (registration === null || newPassword === null) return proof;
    const registrationResponse = str(started, "registration_response");
    const made = opaqueStep("registration response", () =>
      opaque.finishRegistration({
        clientRegistrationState: registration.clientRegistrationState,
        registrationResponse,
        password: newPassword,
        keyStretching: keyStretching(this.ksf),
      }),
    );
    return {
      ...proof,
      registrationRecord: made.registrationRecord,
      newExportKey: b64urlDecode(made.exportKey),
    };
  }

  /**
   * @param {FreshProof} proof
   * @param {SecondFactor} factor
   */
  static #proofBody(proof, factor) {
    return {
      reauth_id: proof.reauthId,
      ke3: proof.ke3,
      ...("totpCode" in factor
        ? { totp_code: factor.totpCode }
        : { recovery_code: factor.recoveryCode }),
    };
  }

  /**
   * Open what the server sealed to the account's sealing key (re-derived from the proof's
   * export key), with the account name as associated data.
   * @param {Bytes} exportKey
   * @param {string} accountName
   * @param {unknown} value the sealed object of the answer
   * @returns {Promise<Json>}
   */
  static async #openSealed(exportKey, accountName, value) {
    const sealed = object(value, "sealed bundle");
    try {
      return object(
        await openSealedBundle(exportKey, accountName, {
          ephemeralPublicKey: b64urlDecode(str(sealed, "ephemeral_public_key")),
          nonce: b64urlDecode(str(sealed, "nonce")),
          ciphertext: b64urlDecode(str(sealed, "ciphertext")),
        }),
        "sealed content",
      );
    } catch (err) {
      if (err instanceof InviteAuthError) throw err;
      const reason = err instanceof SealingError || err instanceof TypeError ? err.message : err;
      throw new InviteAuthError(
        CLIENT_CODES.PROTOCOL,
        `the sealed answer does not open: ${String(reason)}`,
      );
    }
  }

  /**
   * Replace all recovery codes with ten new ones, behind a fresh proof (password + one
   * second factor); the old ones stop working at once. Show the new ones once.
   * @param {string} accountName the session's account name (the sealing's associated data)
   * @param {string} password
   * @param {SecondFactor} factor
   * @returns {Promise<string[]>}
   */
  async regenerateRecoveryCodes(accountName, password, factor) {
    const proof = await this.#freshProof(password, null);
    const answer = object(
      await this.call(
        "POST",
        this.url("accounts", "/recovery-codes"),
        InviteAuthClient.#proofBody(proof, factor),
      ),
      "answer",
    );
    const opened = await InviteAuthClient.#openSealed(
      proof.exportKey,
      accountName,
      answer.sealed_recovery_codes,
    );
    const codes = opened.recovery_codes;
    if (!Array.isArray(codes) || !codes.every((c) => typeof c === "string")) {
      throw new InviteAuthError(CLIENT_CODES.PROTOCOL, "the sealed recovery codes are not codes");
    }
    return codes;
  }

  /**
   * Start re-enrolling the authenticator, behind a fresh proof: the new secret (pending
   * until confirmTotpReenrollment; the old one keeps working until then).
   * @param {string} accountName
   * @param {string} password
   * @param {SecondFactor} factor
   * @returns {Promise<{totpSecret: string, otpauthUri: string}>}
   */
  async startTotpReenrollment(accountName, password, factor) {
    const proof = await this.#freshProof(password, null);
    const answer = object(
      await this.call(
        "POST",
        this.url("accounts", "/totp"),
        InviteAuthClient.#proofBody(proof, factor),
      ),
      "answer",
    );
    const opened = await InviteAuthClient.#openSealed(
      proof.exportKey,
      accountName,
      answer.sealed_totp,
    );
    const secret = opened.totp_secret;
    const uri = opened.otpauth_uri;
    if (
      typeof secret !== "string" ||
      !/^[A-Z2-7]+$/.test(secret) ||
      typeof uri !== "string" ||
      !uri.startsWith("otpauth://totp/")
    ) {
      throw new InviteAuthError(CLIENT_CODES.PROTOCOL, "the sealed TOTP secret is not one");
    }
    return { totpSecret: secret, otpauthUri: uri };
  }

  /**
   * Confirm the pending authenticator with a code made from the new secret.
   * @param {string} totpCode
   * @returns {Promise<Account>}
   */
  async confirmTotpReenrollment(totpCode) {
    return account(
      await this.call("POST", this.url("accounts", "/totp/confirm"), { totp_code: totpCode }),
    );
  }

  /**
   * Change an OPAQUE account's password, behind a fresh proof: a new OPAQUE record and a
   * new sealing key (from the new export key); every other session ends.
   * @param {string} currentPassword
   * @param {string} newPassword
   * @param {SecondFactor} factor
   * @returns {Promise<number>} how many other sessions ended
   */
  async changePassword(currentPassword, newPassword, factor) {
    const proof = await this.#freshProof(currentPassword, newPassword);
    if (proof.newExportKey === null || proof.registrationRecord === null) {
      throw new InviteAuthError(CLIENT_CODES.PROTOCOL, "no registration for the new password");
    }
    const { publicKey } = await deriveSealingKeyPair(proof.newExportKey);
    const changed = object(
      await this.call("POST", this.url("accounts", "/password"), {
        ...InviteAuthClient.#proofBody(proof, factor),
        registration_record: proof.registrationRecord,
        sealing_public_key: b64urlEncode(publicKey),
      }),
      "answer",
    );
    return typeof changed.sessions_ended === "number" ? changed.sessions_ended : 0;
  }

  /**
   * @param {string} path
   * @param {string} name
   * @param {string} password
   * @returns {Promise<Login>}
   */
  async #login(path, name, password) {
    const login = object(
      await this.call("POST", this.url("invitations", path), { name, password }),
      "login",
    );
    return { id: str(login, "id"), name: str(login, "name") };
  }
}
