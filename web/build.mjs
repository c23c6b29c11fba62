// Build the browser files the plugin ships: plugin/quart_invite_auth/static/.
//
//   node build.mjs          write the build
//   node build.mjs --check  build into a temporary folder and fail on any difference from
//                           the committed build (as `tox -e generated` does for the SDK)
//
// There is no compile step: the JSDoc-typed modules ship as they are. Each src/vendor/*.js
// stands for an npm package while type-checking and testing ("export * from 'pkg'"); the
// build puts that package's self-contained ES module in its place, with its licence.
// The output depends on nothing but the sources and the pinned packages: no dates, no paths.

import { createHash } from "node:crypto";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const WEB = dirname(fileURLToPath(import.meta.url));
const SRC = join(WEB, "src");
const OUT = join(WEB, "..", "plugin", "quart_invite_auth", "static");

/** The file each vendor stand-in becomes: [package, file in it, licence file in it]. */
const VENDOR = {
  "vendor/opaque.js": ["@serenity-kit/opaque", "esm/index.js", "LICENSE"],
  "vendor/uqr.js": ["uqr", "dist/index.mjs", "LICENSE"],
};

const README = `These files are built from web/ by \`node web/build.mjs\` (see web/build.mjs).
Do not edit them here: change web/src and rebuild; \`tox -e web\` fails when they differ.
vendor/ holds pinned npm packages (web/package-lock.json) with their licences.
`;

/**
 * Every file under `dir`, as paths relative to it with "/" separators, sorted.
 * @param {string} dir
 * @returns {string[]}
 */
function files(dir) {
  /** @type {string[]} */
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile())
      found.push(relative(dir, join(entry.parentPath, entry.name)).split(sep).join("/"));
  }
  return found.sort();
}

/** @param {string} name */
function pinnedVersion(name) {
  const manifest = JSON.parse(readFileSync(join(WEB, "package.json"), "utf-8"));
  return manifest.dependencies?.[name] ?? manifest.devDependencies?.[name];
}

/**
 * The package a stand-in re-exports, checked to be the one VENDOR names.
 * @param {string} path
 * @param {string} expected
 */
function checkStandIn(path, expected) {
  const text = readFileSync(join(SRC, path), "utf-8");
  const match = /^export \* from "([^"]+)";$/m.exec(text);
  if (!match || match[1] !== expected) {
    throw new Error(`${path} must be exactly: export * from "${expected}";`);
  }
}

/**
 * Write the complete build into `out` (which must be empty or missing).
 * @param {string} out
 */
function build(out) {
  const sources = files(SRC);
  for (const path of sources) {
    if (path.startsWith("vendor/") && !(path in VENDOR)) {
      throw new Error(`${path}: every vendor stand-in needs an entry in VENDOR`);
    }
  }
  for (const path of sources) {
    mkdirSync(dirname(join(out, path)), { recursive: true });
    const vendored = VENDOR[/** @type {keyof typeof VENDOR} */ (path)];
    if (vendored === undefined) {
      cpSync(join(SRC, path), join(out, path));
      continue;
    }
    const [name, file, licence] = vendored;
    checkStandIn(path, name);
    const root = join(WEB, "node_modules", ...name.split("/"));
    const installed = JSON.parse(readFileSync(join(root, "package.json"), "utf-8")).version;
    if (installed !== pinnedVersion(name)) {
      throw new Error(
        `${name} ${installed} is installed but ${pinnedVersion(name)} is pinned: run npm ci`,
      );
    }
    cpSync(join(root, file), join(out, path));
    cpSync(join(root, licence), join(out, path.replace(/\.js$/, ".LICENSE.txt")));
  }
  writeFileSync(join(out, "README.txt"), README);
}

/** @param {string} path */
function digest(path) {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

/**
 * The differences between two builds, in words.
 * @param {string} expected
 * @param {string} actual
 * @returns {string[]}
 */
function differences(expected, actual) {
  const want = new Map(files(expected).map((p) => [p, digest(join(expected, p))]));
  const have = new Map(files(actual).map((p) => [p, digest(join(actual, p))]));
  /** @type {string[]} */
  const found = [];
  for (const [path, hash] of want) {
    if (!have.has(path)) found.push(`missing: ${path}`);
    else if (have.get(path) !== hash) found.push(`differs: ${path}`);
  }
  for (const path of have.keys()) if (!want.has(path)) found.push(`not built from web/: ${path}`);
  return found;
}

if (process.argv.includes("--check")) {
  const scratch = mkdtempSync(join(tmpdir(), "invite-auth-web-"));
  try {
    build(scratch);
    const found = differences(scratch, OUT);
    if (found.length) {
      console.error(
        `the committed build in ${relative(process.cwd(), OUT)} is not what web/ builds:`,
      );
      for (const line of found) console.error(`  ${line}`);
      console.error("run `npm --prefix web ci && node web/build.mjs` and commit the result");
      process.exit(1);
    }
    console.log(
      `build check: ${files(scratch).length} files in ${relative(process.cwd(), OUT)} match web/`,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
} else {
  rmSync(OUT, { recursive: true, force: true });
  build(OUT);
  console.log(`built ${files(OUT).length} files into ${relative(process.cwd(), OUT)}`);
}
