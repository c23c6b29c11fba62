// One error type for everything the client can meet: a problem+json answer from the server
// (its stable `code`), a refusal noticed in the browser (e.g. a wrong password shows when
// the OPAQUE envelope does not open), or no answer at all.

/** Codes the client itself uses besides the server's problem codes (openapi.yaml Problem). */
export const CLIENT_CODES = Object.freeze({
  NETWORK: "network_error",
  HTTP: "http_error",
  PROTOCOL: "protocol_error",
});

export class InviteAuthError extends Error {
  /**
   * @param {string} code a problem code from openapi.yaml, or one of CLIENT_CODES
   * @param {string} detail
   * @param {{status?: number, retryAfter?: number | null, fields?: {field: string, message: string}[]}} [extra]
   */
  constructor(code, detail, extra = {}) {
    super(`${code}: ${detail}`);
    this.name = "InviteAuthError";
    this.code = code;
    this.detail = detail;
    /** The HTTP status, or 0 when the browser noticed the problem itself. */
    this.status = extra.status ?? 0;
    /** Seconds to wait (Retry-After), when the server said. */
    this.retryAfter = extra.retryAfter ?? null;
    /** The offending fields of a malformed request, when the server listed them. */
    this.fields = extra.fields ?? [];
  }
}

/**
 * The error an HTTP answer of status >= 400 stands for.
 * @param {Response} response
 * @returns {Promise<InviteAuthError>}
 */
export async function errorFromResponse(response) {
  const header = response.headers.get("Retry-After");
  const retryAfter = header !== null && /^\d+$/.test(header) ? Number(header) : null;
  /** @type {unknown} */
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const problem = /** @type {Record<string, unknown> | null} */ (
    typeof body === "object" && body !== null ? body : null
  );
  if (problem === null || typeof problem.code !== "string") {
    // Not one of ours: a proxy's error page, the host app's own 404...
    return new InviteAuthError(CLIENT_CODES.HTTP, `HTTP ${response.status}`, {
      status: response.status,
      retryAfter,
    });
  }
  const fields = Array.isArray(problem.errors)
    ? problem.errors.filter(
        /** @returns {e is {field: string, message: string}} */
        (e) => typeof e?.field === "string" && typeof e?.message === "string",
      )
    : [];
  const detail = typeof problem.detail === "string" ? problem.detail : response.statusText;
  return new InviteAuthError(problem.code, detail, {
    status: response.status,
    retryAfter,
    fields,
  });
}
