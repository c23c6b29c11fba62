// The account operations of the browser client against a recorded fetch: the request each
// sends (method, URL under the right prefix, JSON body) and how each answer is read.
import assert from "node:assert/strict";
import { describe as suite, it } from "node:test";

import { InviteAuthClient } from "../src/client.js";
import { InviteAuthError } from "../src/errors.js";

/**
 * A client whose fetch records each request and answers with the next of `answers`.
 * @param {{status: number, body?: unknown}[]} answers
 */
function recorded(answers) {
  /** @type {{method: string, url: string, body: unknown}[]} */
  const sent = [];
  /** @type {typeof fetch} */
  const fakeFetch = async (url, init) => {
    const text = typeof init?.body === "string" ? init.body : null;
    sent.push({ method: init?.method ?? "GET", url: String(url), body: text && JSON.parse(text) });
    const next = answers.shift();
    if (next === undefined) throw new Error("no answer left");
    const isProblem = next.status >= 400;
    return new Response(next.body === undefined ? null : JSON.stringify(next.body), {
      status: next.status,
      headers: { "Content-Type": isProblem ? "application/problem+json" : "application/json" },
    });
  };
  const client = new InviteAuthClient({ accounts: "/a", invitations: "/i", fetch: fakeFetch });
  return { client, sent };
}

const SESSION = {
  id: "3f2a9c41d0b7e85a6c1d2e3f",
  created_at: "2026-12-01T09:12:44.120391Z",
  last_used_at: "2026-12-02T08:30:02.004518Z",
  expires_at: "2026-12-02T20:30:02.004518Z",
  client: null,
  user_agent: "Mozilla/5.0",
  current: true,
};

suite("account operations", () => {
  it("lists own sessions", async () => {
    const { client, sent } = recorded([{ status: 200, body: { sessions: [SESSION] } }]);
    assert.deepEqual(await client.sessions(), [
      {
        id: SESSION.id,
        createdAt: SESSION.created_at,
        lastUsedAt: SESSION.last_used_at,
        expiresAt: SESSION.expires_at,
        client: null,
        userAgent: "Mozilla/5.0",
        current: true,
      },
    ]);
    assert.deepEqual(sent, [{ method: "GET", url: "/a/sessions", body: null }]);
  });

  it("revokes a session by its id, and passes session_not_found on", async () => {
    const { client, sent } = recorded([
      { status: 204 },
      { status: 404, body: { code: "session_not_found", detail: "no such session" } },
    ]);
    await client.revokeSession("a/b");
    await assert.rejects(client.revokeSession("gone"), (err) => {
      assert.ok(err instanceof InviteAuthError);
      assert.equal(err.code, "session_not_found");
      assert.equal(err.status, 404);
      return true;
    });
    assert.deepEqual(
      sent.map((r) => [r.method, r.url]),
      [
        ["DELETE", "/a/sessions/a%2Fb"],
        ["DELETE", "/a/sessions/gone"],
      ],
    );
  });

  it("revokes the other sessions with an empty object", async () => {
    const { client, sent } = recorded([{ status: 200, body: { revoked: 2 } }]);
    assert.equal(await client.revokeOtherSessions(), 2);
    assert.deepEqual(sent, [{ method: "POST", url: "/a/sessions/revoke-others", body: {} }]);
  });

  it("lists and revokes invitations by ref on the invitations prefix", async () => {
    const listed = {
      ref: "9b1f03c2d4e5a6b7",
      issued_at: "2026-12-02T08:00:00Z",
      expires_at: "2026-12-03T08:00:00Z",
    };
    const { client, sent } = recorded([
      { status: 200, body: { invitations: [listed] } },
      { status: 204 },
    ]);
    assert.deepEqual(await client.invitations(), [
      { ref: listed.ref, issuedAt: listed.issued_at, expiresAt: listed.expires_at },
    ]);
    await client.revokeInvitation(listed.ref);
    assert.deepEqual(
      sent.map((r) => [r.method, r.url]),
      [
        ["GET", "/i/invitations"],
        ["DELETE", "/i/invitations/9b1f03c2d4e5a6b7"],
      ],
    );
  });

  it("changes a login's password and says how many sessions ended", async () => {
    const { client, sent } = recorded([{ status: 200, body: { sessions_ended: 1 } }]);
    assert.equal(await client.changeLoginPassword("old one", "new one"), 1);
    assert.deepEqual(sent, [
      {
        method: "POST",
        url: "/i/auth/password",
        body: { current_password: "old one", new_password: "new one" },
      },
    ]);
  });

  it("reads recovery_codes_remaining from me()", async () => {
    const info = {
      id: "x",
      name: "root",
      kind: "opaque",
      domain: null,
      privileged: true,
      created_at: "2026-12-02T08:00:00Z",
    };
    const { client } = recorded([
      { status: 200, body: { ...info, recovery_codes_remaining: 7 } },
      { status: 200, body: { ...info, kind: "password", recovery_codes_remaining: null } },
    ]);
    assert.equal((await client.me()).recoveryCodesRemaining, 7);
    assert.equal((await client.me()).recoveryCodesRemaining, null);
  });

  it("refuses an answer without the list it should hold", async () => {
    const { client } = recorded([{ status: 200, body: { sessions: "nope" } }]);
    await assert.rejects(client.sessions(), /protocol_error/);
  });
});
