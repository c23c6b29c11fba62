// Errors in words: every problem code the server can send has words of its own, and waits
// are told in units people use.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe as suite, it } from "node:test";

import { InviteAuthError } from "../src/errors.js";
import { describe, duration } from "../src/messages.js";

/** The Problem codes of openapi.yaml (read as text: no YAML parser needed for one list). */
function problemCodes() {
  const spec = readFileSync(new URL("../../openapi.yaml", import.meta.url), "utf-8");
  const start = spec.indexOf("    Problem:");
  const list = spec.slice(spec.indexOf("enum:", start), spec.indexOf("errors:", start));
  return [...list.matchAll(/^\s+- ([a-z_]+)$/gm)].map((m) => m[1]);
}

suite("describe", () => {
  it("has words for every problem code of the API", () => {
    const codes = problemCodes();
    assert.ok(codes.length >= 20, `found ${codes.length} codes`);
    for (const code of codes) {
      const words = describe(new InviteAuthError(code, "detail from the server"), "login");
      assert.ok(!words.startsWith("The server refused:"), `${code} has no words: ${words}`);
      assert.ok(!words.includes(code), `${code} shows its code: ${words}`);
    }
  });

  it("tells a used recovery code apart from a wrong authenticator code", () => {
    const err = new InviteAuthError("mfa_invalid", "wrong", { status: 401 });
    assert.match(describe(err, "recovery"), /used already.*only once/);
    assert.match(describe(err, "totp"), /clock/);
  });

  it("tells a wrong current password as such when secrets are changed", () => {
    const err = new InviteAuthError("login_failed", "wrong", { status: 401 });
    assert.equal(describe(err, "current-password"), "Your current password is not right.");
    assert.equal(describe(err, "fresh-proof"), "Your current password is not right.");
    const code = new InviteAuthError("mfa_invalid", "wrong", { status: 401 });
    assert.match(describe(code, "fresh-proof"), /recovery code you have not used yet/);
  });

  it("gives the wait of a rate limit and of a busy store", () => {
    const limited = new InviteAuthError("rate_limited", "x", { status: 429, retryAfter: 600 });
    assert.match(describe(limited, "login"), /Try again in 10 minutes\.$/);
    const busy = new InviteAuthError("store_unavailable", "x", { status: 503, retryAfter: 5 });
    assert.match(describe(busy, "login"), /Try again in 5 seconds\.$/);
    const unknown = new InviteAuthError("rate_limited", "x", { status: 429 });
    assert.match(describe(unknown, "login"), /Try again later\.$/);
  });

  it("passes the server's reason on for names and passwords", () => {
    const err = new InviteAuthError("invalid_password", "passwords have at least 8 characters");
    assert.equal(
      describe(err, "invitation"),
      "That password cannot be used: passwords have at least 8 characters.",
    );
  });

  it("has words for what is not an API error", () => {
    assert.match(describe(new Error("bug"), "login"), /Reload/);
    assert.match(describe(new InviteAuthError("network_error", "x"), "login"), /reached/);
    assert.match(
      describe(new InviteAuthError("http_error", "x", { status: 502 }), "login"),
      /problem/,
    );
  });
});

suite("duration", () => {
  it("rounds up to units people use", () => {
    assert.equal(duration(0), "1 second");
    assert.equal(duration(1), "1 second");
    assert.equal(duration(59), "59 seconds");
    assert.equal(duration(60), "1 minute");
    assert.equal(duration(61), "2 minutes");
    assert.equal(duration(3599), "1 hour");
    assert.equal(duration(3600), "1 hour");
    assert.equal(duration(3660), "1 hour and 1 minute");
    assert.equal(duration(7322), "2 hours and 3 minutes");
  });
});
