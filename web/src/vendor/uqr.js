// Stands for uqr (QR code encoder) while type-checking and testing; the build ships the
// package's dist/index.mjs in this file's place.
export * from "uqr";
