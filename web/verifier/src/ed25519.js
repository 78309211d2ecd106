// Ed25519 signatures: the browser's WebCrypto where it has Ed25519, else @noble/ed25519 (audited),
// both with the rules of RFC 8032 that OpenSSL (welfarectl's `cryptography`) applies.
import * as noble from "@noble/ed25519";
import { sha512 } from "@noble/hashes/sha2.js";

noble.hashes.sha512 = sha512;
let webCrypto = globalThis.crypto && globalThis.crypto.subtle ? null : false; // null: not tried yet

export let engine = "";

async function verifyWithWebCrypto(signature, message, publicKey) {
  const key = await crypto.subtle.importKey("raw", publicKey, { name: "Ed25519" }, false, ["verify"]);
  return crypto.subtle.verify({ name: "Ed25519" }, key, signature, message);
}

/** True when `signature` is a valid Ed25519 signature of `message` by the raw `publicKey`. */
export async function verifySignature(signature, message, publicKey) {
  if (webCrypto !== false) {
    try {
      const valid = await verifyWithWebCrypto(signature, message, publicKey);
      webCrypto = true;
      engine = "WebCrypto";
      return valid;
    } catch (error) {
      if (webCrypto === true && !(error instanceof DOMException && error.name === "NotSupportedError")) return false;
      webCrypto = false; // no Ed25519 in this browser's WebCrypto (or a key it refuses): noble from now on
    }
  }
  engine = "noble";
  try {
    return noble.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}
