// /login/password: logins created from an invitation (seed 003) log in with name and password.
import { byId, go, makeClient, onSubmit, pageConfig, required } from "./common.js";

const config = pageConfig();
const client = makeClient(config);
const name = byId("name", HTMLInputElement);
const password = byId("password", HTMLInputElement);

onSubmit(
  byId("password-login-form", HTMLFormElement),
  byId("password-login-error", HTMLElement),
  "password-login",
  async () => {
    const chosen = required(name, "your name");
    if (!password.value) required(password, "your password");
    await client.passwordLogin(chosen, password.value);
    go(config, "/account");
  },
  { working: "Logging in…" },
);
