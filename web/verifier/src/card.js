// A welfare card's QR payload, format WC1 (docs/card-qr.md), decoded and verified as
// welfarectl/cards/payload.py does it: same rules, same order of checks, same statuses.
import { verifySignature } from "./ed25519.js";
import { sha256 } from "@noble/hashes/sha2.js";

export const PREFIX = "WC1:";
const BODY_LENGTH = 15;
const PAYLOAD_LENGTH = 79; // the body and a 64-byte Ed25519 signature
const BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
const EPOCH = Date.UTC(2000, 0, 1);
const DAY = 86400000;

// Damm's quasigroup of order 10 (as python-stdnum's stdnum.damm).
const DAMM = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2], [7, 0, 9, 2, 1, 5, 4, 8, 6, 3], [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6], [6, 1, 2, 3, 0, 4, 5, 9, 7, 8], [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4], [8, 9, 4, 5, 3, 6, 2, 0, 1, 7], [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

export class Malformed extends Error {}

/** The bytes of RFC 9285 base45 text; Malformed for a stray character or a group out of range. */
export function base45Decode(text) {
  const values = [];
  for (const char of text) {
    const value = BASE45.indexOf(char);
    if (value < 0) throw new Malformed("base45");
    values.push(value);
  }
  if (values.length % 3 === 1) throw new Malformed("base45");
  const bytes = [];
  for (let i = 0; i < values.length; i += 3) {
    if (i + 2 < values.length) {
      const n = values[i] + values[i + 1] * 45 + values[i + 2] * 2025;
      if (n > 0xffff) throw new Malformed("base45");
      bytes.push(n >> 8, n & 0xff);
    } else {
      const n = values[i] + values[i + 1] * 45;
      if (n > 0xff) throw new Malformed("base45");
      bytes.push(n);
    }
  }
  return Uint8Array.from(bytes);
}

/** True when the 8 digits pass their Damm check digit. */
export function isCardNumber(digits) {
  if (!/^[0-9]{8}$/.test(digits)) return false;
  let interim = 0;
  for (const digit of digits) interim = DAMM[interim][Number(digit)];
  return interim === 0;
}

export const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
export const networkTag = (networkId) => hex(sha256(new TextEncoder().encode(networkId)).slice(0, 4));
/** The day `days` after 2000-01-01, as YYYY-MM-DD. */
export const dayOf = (days) => new Date(EPOCH + days * DAY).toISOString().slice(0, 10);
/** Days since 2000-01-01 of a local calendar day (a Date): the device's today. */
export const daysOf = (when) => Math.round((Date.UTC(when.getFullYear(), when.getMonth(), when.getDate()) - EPOCH) / DAY);

/** The fields of a payload, without checking the signature (decode_payload in payload.py). */
export function decodePayload(text) {
  if (!text.startsWith(PREFIX)) throw new Malformed("prefix");
  const data = base45Decode(text.slice(PREFIX.length));
  if (data.length !== PAYLOAD_LENGTH) throw new Malformed("length");
  const view = new DataView(data.buffer);
  if (data[0] !== 1) throw new Malformed("version");
  const card = String(view.getUint32(9)).padStart(8, "0");
  if (card.length > 8 || !isCardNumber(card)) throw new Malformed("card number");
  return {
    keyId: hex(data.slice(1, 5)), networkTag: hex(data.slice(5, 9)), card,
    expiresDays: view.getUint16(13), expires: dayOf(view.getUint16(13)),
    body: data.slice(0, BODY_LENGTH), signature: data.slice(BODY_LENGTH),
  };
}

/** The payloads a QR code's text or a link may hold, most likely first (payloads_in in payload.py):
 * a link's fragment, percent-decoded as welfarectl writes it (` ` as %20, `%` as %25), or, typed
 * by hand, with only its spaces percent-encoded (as a browser's address bar leaves it), or as it is;
 * else the text itself. Surrounding whitespace is ignored. */
export function payloadsIn(text) {
  const trimmed = text.trim();
  const hash = trimmed.indexOf("#");
  if (hash < 0 || trimmed.startsWith(PREFIX)) return [trimmed];
  const fragment = trimmed.slice(hash + 1).trim();
  const found = [];
  try { found.push(decodeURIComponent(fragment)); } catch { /* not percent-encoded throughout */ }
  found.push(fragment.replaceAll("%20", " "), fragment);
  return [...new Set(found)];
}

/**
 * The verdict on a QR code's text or a link (verify_payload in payload.py): {status, card, expires, keyId, revokedOn}, status one of malformed,
 * unknown-key, bad-signature, other-network, revoked, expired, valid, revocation-unchecked
 * (the first check that fails, in the order of docs/card-qr.md). `keys` maps key ids to raw
 * 32-byte public keys; `revoked` maps card numbers to dates, or is null when no authentic list
 * is at hand; `today` counts days since 2000-01-01.
 */
export async function verifyText(text, context) {
  let first = null;
  for (const payload of payloadsIn(text)) {
    const verdict = await verifyPayload(payload, context);
    if (verdict.status !== "malformed") return verdict;
    first = first || verdict;
  }
  return first;
}

/** The verdict on one payload (verify_payload in payload.py). */
export async function verifyPayload(text, { keys, networkId, revoked, today }) {
  let decoded;
  try {
    decoded = decodePayload(text);
  } catch (error) {
    if (error instanceof Malformed) return { status: "malformed" };
    throw error;
  }
  const key = keys.get(decoded.keyId);
  if (key === undefined) return { status: "unknown-key", keyId: decoded.keyId };
  if (!(await verifySignature(decoded.signature, decoded.body, key))) return { status: "bad-signature", keyId: decoded.keyId };
  const found = { card: decoded.card, expires: decoded.expires, keyId: decoded.keyId };
  if (decoded.networkTag !== networkTag(networkId)) return { status: "other-network", ...found };
  if (revoked && revoked.has(decoded.card)) return { status: "revoked", revokedOn: revoked.get(decoded.card), ...found };
  if (decoded.expiresDays < today) return { status: "expired", ...found };
  return { status: revoked ? "valid" : "revocation-unchecked", ...found };
}
