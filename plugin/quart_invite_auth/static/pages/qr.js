// A QR code drawn as SVG in the page: the otpauth URI (which holds the TOTP secret) never
// leaves the browser, and the SVG is built with DOM calls (no inline style, CSP-safe).
import { encode } from "../vendor/uqr.js";

const SVG = "http://www.w3.org/2000/svg";
const QUIET_ZONE = 4; // modules of white border, as ISO/IEC 18004 asks

/**
 * Draw `text` as a QR code (error correction M) into `container`.
 * @param {HTMLElement} container
 * @param {string} text
 * @param {string} label what the code is, for screen readers
 */
export function renderQr(container, text, label) {
  const qr = encode(text, { ecc: "M", border: QUIET_ZONE });
  const size = qr.size;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  svg.setAttribute("shape-rendering", "crispEdges");
  svg.dataset.version = String(qr.version);
  svg.dataset.mask = String(qr.maskPattern);
  const background = document.createElementNS(SVG, "rect");
  background.setAttribute("width", String(size));
  background.setAttribute("height", String(size));
  background.setAttribute("fill", "#fff");
  const path = document.createElementNS(SVG, "path");
  let d = "";
  qr.data.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) d += `M${x} ${y}h1v1h-1z`;
    });
  });
  path.setAttribute("d", d);
  path.setAttribute("fill", "#000");
  svg.append(background, path);
  container.replaceChildren(svg);
}
