// /invite/<id>: the server shows who invited you; this script accepts the invitation.
import {
  byId,
  checkNewPassword,
  go,
  localizeTimes,
  makeClient,
  onSubmit,
  pageConfig,
  required,
} from "./common.js";

const config = pageConfig();
const client = makeClient(config);
localizeTimes();

const form = byId("accept-form", HTMLFormElement);
const name = byId("name", HTMLInputElement);
const password = byId("password", HTMLInputElement);
const repeated = byId("password-repeat", HTMLInputElement);
const invitationId = form.dataset.invitation ?? "";

onSubmit(
  form,
  byId("accept-error", HTMLElement),
  "invitation",
  async () => {
    const chosen = required(name, "the name you want to use");
    checkNewPassword(password, repeated, config.passwordMinLength);
    try {
      await client.acceptInvitation(invitationId, chosen, password.value);
    } catch (err) {
      // A taken name keeps the person here with the invitation still usable: back to the name.
      name.focus();
      throw err;
    }
    go(config, "/account");
  },
  { working: "Creating your login…" },
);
