// /account: the server shows who you are; each section here is one account operation and
// initialises itself only when the server rendered it (add a section: add a function).
import { renderQr } from "./qr.js";
import {
  byId,
  checkNewPassword,
  clearMessage,
  go,
  localizeTimes,
  makeClient,
  maybe,
  onSubmit,
  pageConfig,
  pageUrl,
  required,
  showMessage,
} from "./common.js";
import { InviteAuthError } from "../errors.js";
import { describe } from "../messages.js";

const config = pageConfig();
const client = makeClient(config);
localizeTimes();

/**
 * Show a link in a read-only field, with a copy button.
 * @param {string} resultId the hidden container of the field
 * @param {string} fieldId
 * @param {string} link
 */
function showLink(resultId, fieldId, link) {
  byId(resultId, HTMLElement).hidden = false;
  const field = byId(fieldId, HTMLInputElement);
  field.value = link;
  field.focus();
  field.select();
}

function logoutSection() {
  const form = maybe("logout-form");
  if (!(form instanceof HTMLFormElement)) return;
  const kind = form.dataset.kind;
  onSubmit(form, byId("logout-error", HTMLElement), "account", async () => {
    await client.logout();
    go(config, kind === "password" ? "/login/password" : "/login");
  });
}

function invitationSection() {
  const form = maybe("invitation-form");
  if (!(form instanceof HTMLFormElement)) return;
  onSubmit(
    form,
    byId("invitation-error", HTMLElement),
    "account",
    async () => {
      const invitation = await client.createInvitation();
      const link =
        window.location.origin + pageUrl(config, `/invite/${encodeURIComponent(invitation.id)}`);
      showLink("invitation-result", "invitation-link", link);
      await reloadInvitations();
    },
    { working: "Creating an invitation…" },
  );
}

function siteInviteSection() {
  const form = maybe("site-invite-form");
  if (!(form instanceof HTMLFormElement)) return;
  const domain = byId("domain", HTMLInputElement);
  const account = byId("site-account", HTMLInputElement);
  onSubmit(
    form,
    byId("site-invite-error", HTMLElement),
    "site-invite",
    async () => {
      const invite = await client.createSiteInvite(
        required(domain, "the site's domain"),
        required(account, "the owner's account name"),
      );
      const link =
        window.location.origin +
        pageUrl(config, `/register?token=${encodeURIComponent(invite.inviteToken)}`);
      showLink("site-invite-result", "site-invite-link", link);
    },
    { working: "Creating a registration link…" },
  );
}

// -- the account lifecycle (issue 13) --------------------------------------------------

/**
 * A <time> the reader's zone and language show (localizeTimes formats it).
 * @param {string} iso
 */
function timeElement(iso) {
  const el = document.createElement("time");
  el.dateTime = iso;
  el.textContent = iso;
  return el;
}

/**
 * A table cell that says what it holds (the stacked rows show the label).
 * @param {string} label
 * @param {string | Node} content
 */
function cell(label, content) {
  const td = document.createElement("td");
  if (label) td.dataset.label = label;
  td.append(content);
  return td;
}

/**
 * A button in a list whose click runs `action`, with the list's error and status elements.
 * @param {string} text
 * @param {string} accessibleName what the button does, for screen readers
 * @param {HTMLElement} errorEl
 * @param {import("../messages.js").Situation} situation
 * @param {() => Promise<void>} action
 */
function rowButton(text, accessibleName, errorEl, situation, action) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "secondary";
  button.textContent = text;
  button.setAttribute("aria-label", accessibleName);
  button.addEventListener("click", async () => {
    if (button.disabled) return;
    clearMessage(errorEl);
    button.disabled = true;
    try {
      await action();
    } catch (err) {
      if (!(err instanceof InviteAuthError)) console.error(err);
      showMessage(errorEl, describe(err, situation));
      errorEl.focus();
      button.disabled = false;
    }
  });
  return button;
}

/**
 * One code of the two a fresh proof takes: six digits are an authenticator code, anything
 * else a recovery code (any case, any separators: the server normalises them).
 * @param {HTMLInputElement} field
 * @returns {import("../client.js").SecondFactor}
 */
function secondFactor(field) {
  const value = required(field, "the code your authenticator app shows, or a recovery code");
  const digits = value.replace(/\s/g, "");
  return /^\d{6}$/.test(digits) ? { totpCode: digits } : { recoveryCode: value };
}

/**
 * "3 other sessions ended." / "No other session was open."
 * @param {number} n
 */
function othersEnded(n) {
  if (n === 0) return "No other session was open.";
  return n === 1 ? "1 other session ended." : `${n} other sessions ended.`;
}

/** @type {() => Promise<void>} */
let reloadSessions = async () => {};

function sessionsSection() {
  const body = maybe("sessions-body");
  if (!(body instanceof HTMLTableSectionElement)) return;
  const errorEl = byId("sessions-error", HTMLElement);
  const status = byId("sessions-status", HTMLElement);
  reloadSessions = async () => {
    const sessions = await client.sessions();
    body.replaceChildren(
      ...sessions.map((s) => {
        const row = document.createElement("tr");
        row.dataset.session = s.id;
        if (s.current) row.dataset.current = "true";
        const action = s.current
          ? Object.assign(document.createElement("span"), {
              className: "tag",
              textContent: "This session",
            })
          : rowButton(
              "Revoke",
              `Revoke the session logged in ${new Date(s.createdAt).toLocaleString()}`,
              errorEl,
              "account",
              async () => {
                await client.revokeSession(s.id);
                showMessage(status, "The session is revoked: it is logged out.");
                await reloadSessions();
                status.focus(); // the button is gone with its row: keep the keyboard's place
              },
            );
        row.append(
          cell("Logged in", timeElement(s.createdAt)),
          cell("Last used", timeElement(s.lastUsedAt)),
          cell("Address", s.client ?? "unknown"),
          cell("Browser", s.userAgent ?? "unknown"),
          cell("", action),
        );
        return row;
      }),
    );
    localizeTimes();
  };
  reloadSessions().catch((err) => showMessage(errorEl, describe(err, "account")));

  const form = byId("revoke-others-form", HTMLFormElement);
  onSubmit(
    form,
    byId("revoke-others-error", HTMLElement),
    "account",
    async () => {
      clearMessage(status);
      const ended = await client.revokeOtherSessions();
      showMessage(status, `Logged out everywhere else: ${othersEnded(ended)}`);
      await reloadSessions();
    },
    { working: "Logging out the other sessions…" },
  );
}

/** @type {() => Promise<void>} */
let reloadInvitations = async () => {};

function outstandingInvitationsSection() {
  const body = maybe("outstanding-body");
  if (!(body instanceof HTMLTableSectionElement)) return;
  const table = byId("outstanding-table", HTMLTableElement);
  const empty = byId("outstanding-empty", HTMLElement);
  const errorEl = byId("outstanding-error", HTMLElement);
  const status = byId("outstanding-status", HTMLElement);
  reloadInvitations = async () => {
    const invitations = await client.invitations();
    table.hidden = invitations.length === 0;
    empty.hidden = invitations.length !== 0;
    body.replaceChildren(
      ...invitations.map((invitation) => {
        const row = document.createElement("tr");
        row.dataset.invitation = invitation.ref;
        row.append(
          cell("Made", timeElement(invitation.issuedAt)),
          cell("Works until", timeElement(invitation.expiresAt)),
          cell(
            "",
            rowButton(
              "Revoke",
              `Revoke the invitation made ${new Date(invitation.issuedAt).toLocaleString()}`,
              errorEl,
              "account",
              async () => {
                await client.revokeInvitation(invitation.ref);
                showMessage(status, "The invitation is withdrawn: its link no longer works.");
                await reloadInvitations();
                status.focus(); // the button is gone with its row: keep the keyboard's place
              },
            ),
          ),
        );
        return row;
      }),
    );
    localizeTimes();
  };
  reloadInvitations().catch((err) => showMessage(errorEl, describe(err, "account")));
}

function loginPasswordSection() {
  const form = maybe("login-password-form");
  if (!(form instanceof HTMLFormElement)) return;
  const current = byId("login-current-password", HTMLInputElement);
  const fresh = byId("login-new-password", HTMLInputElement);
  const repeated = byId("login-new-password-repeat", HTMLInputElement);
  const done = byId("login-password-done", HTMLElement);
  onSubmit(
    form,
    byId("login-password-error", HTMLElement),
    "current-password",
    async () => {
      clearMessage(done);
      if (!current.value) required(current, "your current password");
      checkNewPassword(fresh, repeated, config.passwordMinLength);
      const ended = await client.changeLoginPassword(current.value, fresh.value);
      for (const field of [current, fresh, repeated]) field.value = "";
      showMessage(done, `Your password is changed. ${othersEnded(ended)}`);
      done.focus();
      await reloadSessions();
    },
    { working: "Changing your password…" },
  );
}

async function showRemainingCodes() {
  const el = maybe("recovery-remaining");
  if (el === null) return;
  try {
    const me = await client.me();
    const n = me.recoveryCodesRemaining ?? 0;
    el.textContent = `Recovery codes: ${n} unused.`;
  } catch (err) {
    el.textContent = describe(err, "account");
  }
}

/**
 * @param {HTMLFormElement} form
 * @returns {string} the account name the server rendered (the sealing's associated data)
 */
function accountOf(form) {
  return form.dataset.account ?? "";
}

function recoveryCodesSection() {
  const form = maybe("recovery-form");
  if (!(form instanceof HTMLFormElement)) return;
  const password = byId("recovery-password", HTMLInputElement);
  const factor = byId("recovery-factor", HTMLInputElement);
  const result = byId("recovery-result", HTMLElement);
  showRemainingCodes();
  onSubmit(
    form,
    byId("recovery-error", HTMLElement),
    "fresh-proof",
    async () => {
      if (!password.value) required(password, "your password");
      const codes = await client.regenerateRecoveryCodes(
        accountOf(form),
        password.value,
        secondFactor(factor),
      );
      password.value = "";
      factor.value = "";
      byId("new-recovery-codes", HTMLOListElement).replaceChildren(
        ...codes.map((c) => {
          const item = document.createElement("li");
          const text = document.createElement("code");
          text.textContent = c;
          item.append(text);
          return item;
        }),
      );
      result.hidden = false;
      byId("recovery-result-heading", HTMLElement).focus();
      await showRemainingCodes();
    },
    { working: "Checking your password… this takes a moment." },
  );
}

/**
 * "ABCDEFGH…" as "ABCD EFGH …", easier to type into an app by hand.
 * @param {string} secret
 */
function grouped(secret) {
  return secret.match(/.{1,4}/g)?.join(" ") ?? secret;
}

function totpSection() {
  const form = maybe("totp-form");
  if (!(form instanceof HTMLFormElement)) return;
  const password = byId("totp-password", HTMLInputElement);
  const factor = byId("totp-factor", HTMLInputElement);
  const pending = byId("totp-new", HTMLElement);
  const done = byId("totp-done", HTMLElement);
  onSubmit(
    form,
    byId("totp-error", HTMLElement),
    "fresh-proof",
    async () => {
      clearMessage(done);
      if (!password.value) required(password, "your password");
      const secret = await client.startTotpReenrollment(
        accountOf(form),
        password.value,
        secondFactor(factor),
      );
      password.value = "";
      factor.value = "";
      renderQr(
        byId("totp-qr", HTMLElement),
        secret.otpauthUri,
        "QR code for your new authenticator app",
      );
      byId("totp-otpauth-link", HTMLAnchorElement).href = secret.otpauthUri;
      byId("totp-new-secret", HTMLElement).textContent = grouped(secret.totpSecret);
      pending.hidden = false;
      byId("totp-new-heading", HTMLElement).focus();
    },
    { working: "Checking your password… this takes a moment." },
  );
  const code = byId("totp-new-code", HTMLInputElement);
  onSubmit(
    byId("totp-confirm-form", HTMLFormElement),
    byId("totp-confirm-error", HTMLElement),
    "totp",
    async () => {
      await client.confirmTotpReenrollment(
        required(code, "the 6-digit code the new app shows").replace(/\s/g, ""),
      );
      code.value = "";
      pending.hidden = true;
      byId("totp-qr", HTMLElement).replaceChildren();
      byId("totp-new-secret", HTMLElement).textContent = "";
      showMessage(done, "Your new authenticator app is in use; the old one no longer works.");
      done.focus();
    },
    { working: "Checking the code…" },
  );
}

function opaquePasswordSection() {
  const form = maybe("opaque-password-form");
  if (!(form instanceof HTMLFormElement)) return;
  const current = byId("opaque-current-password", HTMLInputElement);
  const fresh = byId("opaque-new-password", HTMLInputElement);
  const repeated = byId("opaque-new-password-repeat", HTMLInputElement);
  const factor = byId("opaque-password-factor", HTMLInputElement);
  const done = byId("opaque-password-done", HTMLElement);
  onSubmit(
    form,
    byId("opaque-password-error", HTMLElement),
    "fresh-proof",
    async () => {
      clearMessage(done);
      if (!current.value) required(current, "your current password");
      checkNewPassword(fresh, repeated, config.passwordMinLength);
      const ended = await client.changePassword(current.value, fresh.value, secondFactor(factor));
      for (const field of [current, fresh, repeated, factor]) field.value = "";
      showMessage(done, `Your password is changed. ${othersEnded(ended)}`);
      done.focus();
      await reloadSessions();
    },
    { working: "Changing your password… this takes a moment." },
  );
}

function copyButtons() {
  for (const button of document.querySelectorAll("button[data-copy]")) {
    if (!(button instanceof HTMLButtonElement)) continue;
    button.addEventListener("click", async () => {
      const field = byId(button.dataset.copy ?? "", HTMLInputElement);
      const status = byId(`${field.id}-status`, HTMLElement);
      try {
        await navigator.clipboard.writeText(field.value);
        showMessage(status, "Copied.");
      } catch {
        field.select();
        showMessage(
          status,
          "Copying is not allowed here: the link is selected, copy it with your keyboard.",
        );
      }
    });
  }
}

for (const section of [
  logoutSection,
  invitationSection,
  siteInviteSection,
  copyButtons,
  sessionsSection,
  outstandingInvitationsSection,
  loginPasswordSection,
  recoveryCodesSection,
  totpSection,
  opaquePasswordSection,
]) {
  section();
}
