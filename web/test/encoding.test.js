import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { b64urlDecode, b64urlEncode, concatBytes, hexDecode, hexEncode } from "../src/encoding.js";

describe("base64url without padding", () => {
  it("agrees with Node's encoder on every length and byte", () => {
    for (let n = 0; n < 70; n++) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 97 + n * 31) & 0xff);
      const expected = Buffer.from(bytes).toString("base64url");
      assert.equal(b64urlEncode(bytes), expected);
      assert.deepEqual(b64urlDecode(expected), bytes);
    }
  });

  it("refuses padding, other alphabets, impossible lengths and non-canonical forms", () => {
    for (const bad of ["AA==", "A", "AAAAA", "+/8", "a b", "AB", "AAB"]) {
      assert.throws(() => b64urlDecode(bad), TypeError, bad);
    }
    // The canonical neighbours decode.
    assert.deepEqual(b64urlDecode("AA"), new Uint8Array([0]));
    assert.deepEqual(b64urlDecode("AAA"), new Uint8Array([0, 0]));
  });
});

describe("hex and concatenation", () => {
  it("round-trips and refuses odd input", () => {
    assert.equal(hexEncode(hexDecode("00ff10")), "00ff10");
    assert.throws(() => hexDecode("0"), TypeError);
    assert.throws(() => hexDecode("GG"), TypeError);
    assert.deepEqual(
      concatBytes(new Uint8Array([1]), new Uint8Array([2, 3])),
      new Uint8Array([1, 2, 3]),
    );
  });
});
