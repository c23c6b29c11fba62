// The browser client's sealing (WebCrypto) against tests/vectors/sealing.json, the vectors
// generated from the Python SDK's sealing.py: every intermediate, every bundle, every refusal.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";

import { hexDecode, hexEncode, utf8 } from "../src/encoding.js";
import {
  SealingError,
  bundleKey,
  deriveSealingKeyPair,
  mfaSecrets,
  openSealedBundle,
  sealingPrivateBytes,
  sharedSecret,
} from "../src/sealing.js";

/**
 * @typedef {{name: string, export_key: string, account: string, sealing_private_key: string,
 *   sealing_public_key: string, ephemeral_public_key: string, shared_secret: string,
 *   bundle_key_info: string, bundle_key: string, nonce: string, plaintext: string,
 *   ciphertext: string, mfa: {totp_secret: string, otpauth_uri: string,
 *   recovery_codes: string[]}}} Vector
 * @typedef {{name: string, export_key: string, account: string, ephemeral_public_key: string,
 *   nonce: string, ciphertext: string}} Failure
 */

/** @type {{vectors: Vector[], failures: Failure[]}} */
const data = JSON.parse(
  readFileSync(new URL("../../tests/vectors/sealing.json", import.meta.url), "utf-8"),
);

describe("sealing vectors", () => {
  it("has vectors and failure cases to check", () => {
    assert.ok(data.vectors.length >= 3);
    assert.ok(data.failures.length >= 5);
  });

  for (const v of data.vectors) {
    it(`derives every intermediate of ${v.name}`, async () => {
      const exportKey = hexDecode(v.export_key);
      assert.equal(hexEncode(await sealingPrivateBytes(exportKey)), v.sealing_private_key);
      const { privateKey, publicKey } = await deriveSealingKeyPair(exportKey);
      assert.equal(hexEncode(publicKey), v.sealing_public_key);
      const ephemeral = hexDecode(v.ephemeral_public_key);
      const shared = await sharedSecret(privateKey, ephemeral);
      assert.equal(hexEncode(shared), v.shared_secret);
      assert.equal(
        hexEncode(
          new Uint8Array([
            ...utf8("invite-auth sealed bundle v1"),
            ...ephemeral,
            ...publicKey,
            ...utf8(v.account),
          ]),
        ),
        v.bundle_key_info,
      );
      assert.equal(
        hexEncode(await bundleKey(shared, ephemeral, publicKey, v.account)),
        v.bundle_key,
      );
    });

    it(`opens the bundle of ${v.name}`, async () => {
      const opened = await openSealedBundle(hexDecode(v.export_key), v.account, {
        ephemeralPublicKey: hexDecode(v.ephemeral_public_key),
        nonce: hexDecode(v.nonce),
        ciphertext: hexDecode(v.ciphertext),
      });
      assert.deepEqual(opened, JSON.parse(v.plaintext));
      assert.deepEqual(mfaSecrets(opened), {
        totpSecret: v.mfa.totp_secret,
        otpauthUri: v.mfa.otpauth_uri,
        recoveryCodes: v.mfa.recovery_codes,
      });
    });
  }

  for (const f of data.failures) {
    it(`refuses: ${f.name}`, async () => {
      await assert.rejects(
        openSealedBundle(hexDecode(f.export_key), f.account, {
          ephemeralPublicKey: hexDecode(f.ephemeral_public_key),
          nonce: hexDecode(f.nonce),
          ciphertext: hexDecode(f.ciphertext),
        }),
        SealingError,
      );
    });
  }
});

describe("bundle shape", () => {
  const v = data.vectors[0];
  it("refuses a nonce of the wrong length and a truncated ciphertext", async () => {
    const bundle = {
      ephemeralPublicKey: hexDecode(v.ephemeral_public_key),
      nonce: hexDecode(v.nonce),
      ciphertext: hexDecode(v.ciphertext),
    };
    const exportKey = hexDecode(v.export_key);
    await assert.rejects(
      openSealedBundle(exportKey, v.account, { ...bundle, nonce: bundle.nonce.slice(1) }),
      SealingError,
    );
    await assert.rejects(
      openSealedBundle(exportKey, v.account, {
        ...bundle,
        ciphertext: bundle.ciphertext.slice(0, 15),
      }),
      SealingError,
    );
    await assert.rejects(
      openSealedBundle(exportKey, v.account, {
        ...bundle,
        ephemeralPublicKey: bundle.ephemeralPublicKey.slice(1),
      }),
      SealingError,
    );
  });

  it("refuses JSON that is not the MFA secrets", () => {
    assert.throws(() => mfaSecrets(null), SealingError);
    assert.throws(() => mfaSecrets({ ...v.mfa, totp_secret: "lower" }), SealingError);
    assert.throws(() => mfaSecrets({ ...v.mfa, otpauth_uri: "https://x" }), SealingError);
    assert.throws(() => mfaSecrets({ ...v.mfa, recovery_codes: [1] }), SealingError);
  });
});
