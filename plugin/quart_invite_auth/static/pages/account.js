// /account: the server shows who you are; each section here is one account operation and
// initialises itself only when the server rendered it (add a section: add a function).
import {
  byId,
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

for (const section of [logoutSection, invitationSection, siteInviteSection, copyButtons]) section();
