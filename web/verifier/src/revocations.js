// The signed revocation list (welfarectl/cards/revocations.py, docs/card-qr.md), verified in the
// page: a list altered on a web host, or one of another network, is not believed.
import { verifySignature } from "./ed25519.js";

const FORMAT = "welfarectl-revocations/1";
const FIELDS = ["format", "issued", "key_id", "network", "revoked", "signature"];

/** The canonical form the signature covers: members sorted by name, no whitespace, UTF-8. */
export function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const names = Object.keys(value).sort();
    return `{${names.map((name) => `${JSON.stringify(name)}:${canonicalJson(value[name])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function base64Bytes(text) {
  const binary = atob(text);
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** {issued, revoked: Map(card -> date)} from the list's text, or throws an Error saying why. */
export async function readRevocationList(text, keys, networkId) {
  const list = JSON.parse(text);
  if (!list || typeof list !== "object" || Object.keys(list).sort().join() !== FIELDS.join()) throw new Error("fields");
  if (list.format !== FORMAT) throw new Error("format");
  const key = keys.get(list.key_id);
  if (key === undefined) throw new Error("unknown key");
  const { signature, ...unsigned } = list;
  const signed = new TextEncoder().encode(canonicalJson(unsigned));
  if (!(await verifySignature(base64Bytes(signature), signed, key))) throw new Error("signature");
  if (list.network !== networkId) throw new Error("network");
  if (!Array.isArray(list.revoked)) throw new Error("revoked");
  return { issued: list.issued, revoked: new Map(list.revoked.map((entry) => [entry.card, entry.date])) };
}
