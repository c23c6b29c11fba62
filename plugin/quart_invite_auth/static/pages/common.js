// What every page script shares: the host's settings (from a <meta> tag the server writes,
// since the CSP allows no inline script), the client, and small DOM helpers.

import { DEFAULT_KSF, InviteAuthClient } from "../client.js";
import { InviteAuthError } from "../errors.js";
import { describe } from "../messages.js";

/**
 * @typedef {object} PageConfig
 * @property {string} pages URL prefix of the pages ("" at the root)
 * @property {string | null} accounts URL prefix of the accounts API, null when not mounted
 * @property {string | null} invitations URL prefix of the invitations API, null when not mounted
 * @property {import("../client.js").Ksf} ksf the host's OPAQUE key stretching parameters
 * @property {number} passwordMinLength
 */

/** @returns {PageConfig} */
export function pageConfig() {
  const meta = document.querySelector('meta[name="invite-auth-config"]');
  const raw = meta?.getAttribute("content");
  const parsed = raw ? JSON.parse(raw) : {};
  return {
    pages: typeof parsed.pages === "string" ? parsed.pages : "",
    accounts: parsed.accounts ?? null,
    invitations: parsed.invitations ?? null,
    ksf: parsed.ksf ?? DEFAULT_KSF,
    passwordMinLength: parsed.passwordMinLength ?? 8,
  };
}

/**
 * @param {PageConfig} config
 * @returns {InviteAuthClient}
 */
export function makeClient(config) {
  return new InviteAuthClient({
    accounts: config.accounts,
    invitations: config.invitations,
    ksf: config.ksf,
  });
}

/**
 * The element with this id, of this type (a missing one is a bug in the page).
 * @template {HTMLElement} T
 * @param {string} id
 * @param {{new(): T}} type
 * @returns {T}
 */
export function byId(id, type) {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`#${id} is missing or not a ${type.name}`);
  return el;
}

/**
 * @param {string} id
 * @returns {HTMLElement | null}
 */
export function maybe(id) {
  return document.getElementById(id);
}

/**
 * Show a message in an element with role="alert" (read out by screen readers).
 * @param {HTMLElement} el
 * @param {string} message
 */
export function showMessage(el, message) {
  el.textContent = message;
  el.hidden = false;
}

/** @param {HTMLElement} el */
export function clearMessage(el) {
  el.textContent = "";
  el.hidden = true;
}

/**
 * Switch from one step of a page to another and move the focus there, so keyboard and
 * screen reader users follow.
 * @param {HTMLElement} from
 * @param {HTMLElement} to
 * @param {HTMLElement} [focus] what gets the focus (default: the step's heading)
 */
export function showStep(from, to, focus) {
  from.hidden = true;
  to.hidden = false;
  const target = focus ?? to.querySelector("h1, h2");
  if (target instanceof HTMLElement) {
    if (!target.matches("input, button, select, textarea, a[href]")) target.tabIndex = -1;
    target.focus();
  }
}

/** Let the browser paint (a "working" message) before a long synchronous step (Argon2id). */
export function nextFrame() {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Something the person typed is not usable; its message is shown as it is. */
export class InputProblem extends Error {
  /**
   * @param {string} message
   * @param {HTMLElement} [field] the field to go back to
   */
  constructor(message, field) {
    super(message);
    this.name = "InputProblem";
    this.field = field;
  }
}

/**
 * Handle a form's submission: no page reload, the submit buttons disabled while it runs,
 * every error shown in words in `errorEl`.
 * @param {HTMLFormElement} form
 * @param {HTMLElement} errorEl
 * @param {import("../messages.js").Situation | (() => import("../messages.js").Situation)} situation
 * @param {() => Promise<void>} action
 * @param {{working?: string}} [options] a status shown while the action runs
 */
export function onSubmit(form, errorEl, situation, action, options = {}) {
  const status = form.querySelector("[data-status]");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (form.getAttribute("aria-busy") === "true") return;
    clearMessage(errorEl);
    form.setAttribute("aria-busy", "true");
    const buttons = [...form.querySelectorAll("button")];
    for (const b of buttons) b.disabled = true;
    if (status instanceof HTMLElement && options.working) showMessage(status, options.working);
    try {
      await nextFrame();
      await action();
    } catch (err) {
      if (err instanceof InputProblem) {
        showMessage(errorEl, err.message);
        (err.field ?? errorEl).focus();
        return;
      }
      if (!(err instanceof InviteAuthError)) console.error(err);
      showMessage(
        errorEl,
        describe(err, typeof situation === "function" ? situation() : situation),
      );
      errorEl.focus();
    } finally {
      form.removeAttribute("aria-busy");
      for (const b of buttons) b.disabled = false;
      if (status instanceof HTMLElement) clearMessage(status);
    }
  });
}

/**
 * A page of the pages prefix ("/account", "/login"...).
 * @param {PageConfig} config
 * @param {string} path
 */
export function pageUrl(config, path) {
  return config.pages + path;
}

/**
 * Go to another page of the pages prefix.
 * @param {PageConfig} config
 * @param {string} path
 */
export function go(config, path) {
  window.location.assign(pageUrl(config, path));
}

/**
 * Show every <time datetime> in the reader's time zone and language.
 */
export function localizeTimes() {
  const format = new Intl.DateTimeFormat(undefined, { dateStyle: "long", timeStyle: "short" });
  for (const el of document.querySelectorAll("time[datetime]")) {
    const when = new Date(el.getAttribute("datetime") ?? "");
    if (!Number.isNaN(when.getTime())) el.textContent = format.format(when);
  }
}

/**
 * Check that the "Password" and "Repeat password" fields agree and are long enough.
 * @param {HTMLInputElement} password
 * @param {HTMLInputElement} repeated
 * @param {number} minLength
 */
export function checkNewPassword(password, repeated, minLength) {
  if ([...password.value].length < minLength) {
    throw new InputProblem(`Choose a password of at least ${minLength} characters.`, password);
  }
  if (password.value !== repeated.value) {
    throw new InputProblem("The two passwords are not the same. Type them again.", repeated);
  }
}

/**
 * A required field's value, or an InputProblem naming its label.
 * @param {HTMLInputElement} field
 * @param {string} what e.g. "your name"
 */
export function required(field, what) {
  const value = field.value.trim();
  if (!value) throw new InputProblem(`Type ${what}.`, field);
  return value;
}
