// /register?token=…: a site owner (or the first root) registers with OPAQUE, saves the
// TOTP secret and recovery codes, and proves the enrolment with a first code (a real login).
import { renderQr } from "./qr.js";
import {
  InputProblem,
  byId,
  checkNewPassword,
  go,
  makeClient,
  onSubmit,
  pageConfig,
  required,
  showStep,
} from "./common.js";

const config = pageConfig();
const client = makeClient(config);

const passwordStep = byId("password-step", HTMLElement);
const secretsStep = byId("secrets-step", HTMLElement);
const registerForm = byId("register-form", HTMLFormElement);
const confirmForm = byId("confirm-form", HTMLFormElement);
const password = byId("password", HTMLInputElement);
const repeated = byId("password-repeat", HTMLInputElement);
const saved = byId("saved", HTMLInputElement);
const code = byId("totp-code", HTMLInputElement);
const accountName = registerForm.dataset.account ?? "";
const token = new URLSearchParams(window.location.search).get("token") ?? "";

/** @param {BeforeUnloadEvent} event */
function warnBeforeLeaving(event) {
  // The secrets are shown once: leaving before saving them would lose them.
  event.preventDefault();
}

/**
 * "ABCDEFGH…" as "ABCD EFGH …", easier to type into an app by hand.
 * @param {string} secret
 */
function grouped(secret) {
  return secret.match(/.{1,4}/g)?.join(" ") ?? secret;
}

/** @type {string | null} */
let chosenPassword = null;

onSubmit(
  registerForm,
  byId("register-error", HTMLElement),
  "register",
  async () => {
    checkNewPassword(password, repeated, config.passwordMinLength);
    const registration = await client.register(token, accountName, password.value);
    chosenPassword = password.value;
    password.value = "";
    repeated.value = "";
    window.addEventListener("beforeunload", warnBeforeLeaving);
    renderQr(
      byId("qr", HTMLElement),
      registration.otpauthUri,
      "QR code for your authenticator app",
    );
    // On a phone the QR code cannot be scanned by the phone itself: the link opens the app.
    byId("otpauth-link", HTMLAnchorElement).href = registration.otpauthUri;
    byId("totp-secret", HTMLElement).textContent = grouped(registration.totpSecret);
    const list = byId("recovery-codes", HTMLOListElement);
    list.replaceChildren(
      ...registration.recoveryCodes.map((c) => {
        const item = document.createElement("li");
        const text = document.createElement("code");
        text.textContent = c;
        item.append(text);
        return item;
      }),
    );
    showStep(passwordStep, secretsStep);
  },
  { working: "Creating your account… this takes a moment." },
);

onSubmit(
  confirmForm,
  byId("confirm-error", HTMLElement),
  "totp",
  async () => {
    if (!saved.checked) {
      throw new InputProblem("Save your recovery codes first, then tick the box.", saved);
    }
    const totpCode = required(code, "the 6-digit code your authenticator app shows");
    if (chosenPassword === null) throw new InputProblem("Create your account first.");
    await client.login(accountName, chosenPassword, { totpCode });
    window.removeEventListener("beforeunload", warnBeforeLeaving);
    chosenPassword = null;
    go(config, "/account");
  },
  { working: "Checking the code…" },
);
