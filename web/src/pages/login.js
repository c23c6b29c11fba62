// /login: account and password (OPAQUE: the password stays in the browser), then an
// authenticator code or a recovery code.
import { byId, go, makeClient, onSubmit, pageConfig, required, showStep } from "./common.js";

const config = pageConfig();
const client = makeClient(config);

const passwordStep = byId("password-step", HTMLElement);
const codeStep = byId("code-step", HTMLElement);
const account = byId("account", HTMLInputElement);
const password = byId("password", HTMLInputElement);
const totpField = byId("totp-field", HTMLElement);
const recoveryField = byId("recovery-field", HTMLElement);
const totpCode = byId("totp-code", HTMLInputElement);
const recoveryCode = byId("recovery-code", HTMLInputElement);
const toggle = byId("use-recovery", HTMLButtonElement);

/** @type {import("../client.js").PendingLogin | null} */
let pending = null;
let useRecovery = false;

onSubmit(
  byId("password-form", HTMLFormElement),
  byId("password-error", HTMLElement),
  "login",
  async () => {
    const name = required(account, "your account name");
    if (!password.value) required(password, "your password");
    pending = await client.startLogin(name, password.value);
    showStep(passwordStep, codeStep, totpCode);
  },
  { working: "Checking your password…" },
);

toggle.addEventListener("click", () => {
  useRecovery = !useRecovery;
  totpField.hidden = useRecovery;
  recoveryField.hidden = !useRecovery;
  toggle.textContent = useRecovery
    ? "Use the code from your authenticator app instead"
    : "Use a recovery code instead";
  (useRecovery ? recoveryCode : totpCode).focus();
});

onSubmit(
  byId("code-form", HTMLFormElement),
  byId("code-error", HTMLElement),
  () => (useRecovery ? "recovery" : "totp"),
  async () => {
    const factor = useRecovery
      ? { recoveryCode: required(recoveryCode, "one of your recovery codes") }
      : { totpCode: required(totpCode, "the 6-digit code your authenticator app shows") };
    // A finish uses the login attempt up, whatever the outcome: after a wrong code the next
    // try starts a new attempt with the password this page still holds.
    const attempt = pending ?? (await client.startLogin(account.value.trim(), password.value));
    pending = null;
    await attempt.finish(factor);
    password.value = "";
    go(config, "/account");
  },
  { working: "Logging in…" },
);

byId("start-over", HTMLButtonElement).addEventListener("click", () => {
  pending = null;
  password.value = "";
  showStep(codeStep, passwordStep, account);
});
