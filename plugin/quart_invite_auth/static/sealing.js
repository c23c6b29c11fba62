// The sealed MFA bundle (openapi.yaml, finishRegistration) with WebCrypto only:
//   sk  = HKDF-SHA512(salt="", ikm=export_key, info="invite-auth sealing key v1", L=32)
//   pk  = X25519(sk, 9)                                   -> sent as sealing_public_key
//   shared = X25519(sk, E)  (all-zero is refused)
//   key = HKDF-SHA512(salt="", ikm=shared,
//                     info="invite-auth sealed bundle v1" || E || pk || UTF-8(account), L=32)
//   plaintext = AES-256-GCM-Open(key, nonce, ciphertext || tag, aad=UTF-8(account))
// The Python side is sdk/invite_auth/sealing.py; both check tests/vectors/sealing.json.

import { concatBytes, b64urlDecode, utf8 } from "./encoding.js";

/** @typedef {import("./encoding.js").Bytes} Bytes */

/**
 * @typedef {object} SealedBundle
 * @property {Bytes} ephemeralPublicKey the server's ephemeral X25519 public key E (32 bytes)
 * @property {Bytes} nonce the AES-GCM nonce (12 bytes)
 * @property {Bytes} ciphertext the ciphertext followed by the 16-byte tag
 */

/**
 * @typedef {object} MfaSecrets
 * @property {string} totpSecret RFC 6238 secret, base32
 * @property {string} otpauthUri the otpauth:// URI for authenticator apps
 * @property {string[]} recoveryCodes ten single-use codes, grouped for reading
 */

/**
 * @typedef {object} SealingKeyPair
 * @property {CryptoKey} privateKey X25519, usable for deriveBits
 * @property {Bytes} publicKey the raw 32-byte public key
 */

export const SEALING_KEY_INFO = "invite-auth sealing key v1";
export const SEALED_BUNDLE_INFO = "invite-auth sealed bundle v1";
// PKCS#8 wrapping of a raw X25519 private key (RFC 8410): WebCrypto imports no raw private keys.
const PKCS8_X25519_PREFIX = Uint8Array.from([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
]);
const KEY_LEN = 32;
const NONCE_LEN = 12;
const TAG_LEN = 16;

/** A sealing key is unusable, or a sealed bundle does not open. */
export class SealingError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = "SealingError";
  }
}

function subtle() {
  if (!globalThis.crypto?.subtle) {
    // WebCrypto exists only in secure contexts: https, or http on localhost / 127.0.0.1.
    throw new SealingError("WebCrypto is not available here (the page needs https)");
  }
  return globalThis.crypto.subtle;
}

/**
 * HKDF-SHA512 with an empty salt, 32 bytes of output.
 * @param {Bytes} ikm
 * @param {Bytes} info
 * @returns {Promise<Bytes>}
 */
export async function hkdf32(ikm, info) {
  const key = await subtle().importKey("raw", ikm, "HKDF", false, ["deriveBits"]);
  const bits = await subtle().deriveBits(
    { name: "HKDF", hash: "SHA-512", salt: new Uint8Array(0), info },
    key,
    KEY_LEN * 8,
  );
  return new Uint8Array(bits);
}

/**
 * The raw sealing private key sk, from the OPAQUE export_key.
 * @param {Bytes} exportKey
 * @returns {Promise<Bytes>}
 */
export function sealingPrivateBytes(exportKey) {
  return hkdf32(exportKey, utf8(SEALING_KEY_INFO));
}

/**
 * The client's X25519 sealing key pair; the same export_key always gives the same pair.
 * @param {Bytes} exportKey
 * @returns {Promise<SealingKeyPair>}
 */
export async function deriveSealingKeyPair(exportKey) {
  const sk = await sealingPrivateBytes(exportKey);
  const privateKey = await subtle().importKey(
    "pkcs8",
    concatBytes(PKCS8_X25519_PREFIX, sk),
    { name: "X25519" },
    true, // extractable, only to read the public key from its JWK
    ["deriveBits"],
  );
  const jwk = await subtle().exportKey("jwk", privateKey);
  if (typeof jwk.x !== "string") throw new SealingError("the X25519 key has no public part");
  return { privateKey, publicKey: b64urlDecode(jwk.x) };
}

/**
 * shared = X25519(sk, E); an all-zero result (a low-order E) is refused.
 * @param {CryptoKey} privateKey
 * @param {Bytes} ephemeralPublicKey
 * @returns {Promise<Bytes>}
 */
export async function sharedSecret(privateKey, ephemeralPublicKey) {
  if (ephemeralPublicKey.length !== KEY_LEN) {
    throw new SealingError(`an X25519 public key has ${KEY_LEN} bytes`);
  }
  let bits;
  try {
    const publicKey = await subtle().importKey(
      "raw",
      ephemeralPublicKey,
      { name: "X25519" },
      false,
      [],
    );
    bits = await subtle().deriveBits({ name: "X25519", public: publicKey }, privateKey, 256);
  } catch (err) {
    // WebCrypto itself refuses low-order points (OperationError).
    throw new SealingError(`the ephemeral key is unusable: ${String(err)}`);
  }
  const shared = new Uint8Array(bits);
  if (shared.every((b) => b === 0)) {
    throw new SealingError("the shared secret is all zero: low-order ephemeral key");
  }
  return shared;
}

/**
 * The AES-256-GCM key of a bundle, as raw bytes.
 * @param {Bytes} shared
 * @param {Bytes} ephemeralPublicKey
 * @param {Bytes} recipientPublicKey
 * @param {string} account
 * @returns {Promise<Bytes>}
 */
export function bundleKey(shared, ephemeralPublicKey, recipientPublicKey, account) {
  const info = concatBytes(
    utf8(SEALED_BUNDLE_INFO),
    ephemeralPublicKey,
    recipientPublicKey,
    utf8(account),
  );
  return hkdf32(shared, info);
}

/**
 * Open a bundle sealed to the key pair derived from this export_key; returns the JSON value.
 * @param {Bytes} exportKey
 * @param {string} account the account name the bundle was sealed for
 * @param {SealedBundle} bundle
 * @returns {Promise<unknown>}
 */
export async function openSealedBundle(exportKey, account, bundle) {
  if (bundle.nonce.length !== NONCE_LEN) throw new SealingError(`the nonce has ${NONCE_LEN} bytes`);
  if (bundle.ciphertext.length < TAG_LEN) throw new SealingError("the ciphertext is too short");
  const { privateKey, publicKey } = await deriveSealingKeyPair(exportKey);
  const shared = await sharedSecret(privateKey, bundle.ephemeralPublicKey);
  const raw = await bundleKey(shared, bundle.ephemeralPublicKey, publicKey, account);
  const key = await subtle().importKey("raw", raw, "AES-GCM", false, ["decrypt"]);
  let plaintext;
  try {
    plaintext = await subtle().decrypt(
      { name: "AES-GCM", iv: bundle.nonce, additionalData: utf8(account), tagLength: 128 },
      key,
      bundle.ciphertext,
    );
  } catch {
    throw new SealingError("the sealed bundle does not open with this key");
  }
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(plaintext));
  } catch {
    throw new SealingError("the sealed bundle does not hold JSON");
  }
}

/**
 * The MfaSecrets of an opened bundle, checked against openapi.yaml's schema.
 * @param {unknown} value
 * @returns {MfaSecrets}
 */
export function mfaSecrets(value) {
  const v = /** @type {Record<string, unknown>} */ (value);
  const codes = v?.recovery_codes;
  if (
    typeof v !== "object" ||
    v === null ||
    typeof v.totp_secret !== "string" ||
    !/^[A-Z2-7]+$/.test(v.totp_secret) ||
    typeof v.otpauth_uri !== "string" ||
    !v.otpauth_uri.startsWith("otpauth://totp/") ||
    !Array.isArray(codes) ||
    !codes.every((c) => typeof c === "string")
  ) {
    throw new SealingError("the sealed bundle does not hold the MFA secrets");
  }
  return { totpSecret: v.totp_secret, otpauthUri: v.otpauth_uri, recoveryCodes: codes };
}
