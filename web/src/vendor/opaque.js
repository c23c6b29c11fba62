// Stands for @serenity-kit/opaque while type-checking and testing; the build ships the
// package's self-contained esm/index.js (WASM inlined) in this file's place.
export * from "@serenity-kit/opaque";
