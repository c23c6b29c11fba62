// Byte encodings of the wire format (openapi.yaml "Encodings"): base64url without padding,
// in canonical form, and UTF-8.

/** @typedef {Uint8Array<ArrayBuffer>} Bytes */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const CANONICAL = /^[A-Za-z0-9_-]*$/;

/** @type {Map<string, number>} */
const VALUES = new Map([...ALPHABET].map((c, i) => [c, i]));

/**
 * @param {Uint8Array} bytes
 * @returns {string} base64url without padding
 */
export function b64urlEncode(bytes) {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let j = 0; j < chars; j++) out += ALPHABET[(n >> (18 - 6 * j)) & 63];
  }
  return out;
}

/**
 * Decode base64url without padding; refuses padding, other alphabets, an impossible length
 * and non-zero unused bits (the server refuses them too, so they are never sent or accepted).
 * @param {string} text
 * @returns {Bytes}
 */
export function b64urlDecode(text) {
  if (!CANONICAL.test(text) || text.length % 4 === 1) {
    throw new TypeError("not base64url without padding");
  }
  const out = new Uint8Array(Math.floor((text.length * 6) / 8));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (const c of text) {
    value = (value << 6) | /** @type {number} */ (VALUES.get(c));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (value >> bits) & 0xff;
    }
  }
  if (value & ((1 << bits) - 1)) throw new TypeError("base64url with non-zero unused bits");
  return out;
}

/**
 * @param {string} hex
 * @returns {Bytes}
 */
export function hexDecode(hex) {
  if (!/^(?:[0-9a-f]{2})*$/.test(hex)) throw new TypeError("not lowercase hex");
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * @param {Uint8Array} bytes
 * @returns {string}
 */
export function hexEncode(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * @param {string} text
 * @returns {Bytes}
 */
export function utf8(text) {
  return new TextEncoder().encode(text);
}

/**
 * @param {...Uint8Array} parts
 * @returns {Bytes}
 */
export function concatBytes(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
