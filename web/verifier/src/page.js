// The verifier page: reads the network's keys and signed revocation list from the page itself,
// takes a payload from the URL fragment, the input field or the camera, and shows one verdict.
// Nothing is fetched: the page works from file:// and from any static host.
import { decodePayload, daysOf, networkTag, payloadsIn, verifyPayload, verifyText } from "./card.js";
import { engine } from "./ed25519.js";
import { canonicalJson, readRevocationList } from "./revocations.js";
import { scanQrCode } from "./scan.js";
import { TEXTS } from "./texts.js";

const $ = (id) => document.getElementById(id);
const config = JSON.parse($("verifier-config").textContent);
const keys = new Map(Object.entries(config.keys).map(([id, raw]) => [id, Uint8Array.from(raw.match(/../g), (h) => parseInt(h, 16))]));
let language = "it";
let list = null; // {issued, revoked} once the embedded list has verified
let listError = null;
let shown = null; // the verdict on screen, redrawn when the language changes

const say = (key, ...args) => {
  const text = TEXTS[language][key];
  return typeof text === "function" ? text(...args) : text;
};
const formatDay = (iso) => iso.split("-").reverse().join("/");
const formatCard = (card) => `${card.slice(0, 4)} ${card.slice(4)}`;

function drawVerdict() {
  const box = $("verdict");
  if (!shown) {
    box.dataset.status = "";
    $("verdict-title").textContent = say("waiting");
    $("verdict-detail").textContent = say("how");
    return;
  }
  const verdict = shown;
  box.dataset.status = verdict.status;
  $("verdict-title").textContent = say(`title-${verdict.status}`);
  $("verdict-detail").textContent = say(`detail-${verdict.status}`, verdict.card && formatCard(verdict.card),
    verdict.expires && formatDay(verdict.expires), verdict.revokedOn && formatDay(verdict.revokedOn));
}

function drawPage() {
  document.documentElement.lang = language;
  for (const element of document.querySelectorAll("[data-text]")) element.textContent = say(element.dataset.text);
  $("payload").placeholder = say("placeholder");
  $("network").textContent = config.name;
  const status = $("list-status");
  if (listError) {
    status.textContent = say("list-invalid");
    status.className = "warning";
  } else {
    const age = daysOf(new Date()) - daysOf(new Date(`${list.issued}T12:00:00`));
    const stale = age > config.max_age;
    status.textContent = say("list", formatDay(list.issued), list.revoked.size)
      + (stale ? ` ${say("list-stale", age, config.max_age)}` : "");
    status.className = stale ? "warning" : "";
  }
  drawVerdict();
}

async function check(text) {
  const payload = text.trim();
  if (!payload || payload === "#") {
    shown = null;
  } else {
    shown = await verifyText(payload, { keys, networkId: config.network, revoked: list && list.revoked, today: daysOf(new Date()) });
  }
  drawVerdict();
  if (payload && !document.documentElement.dataset.verdictMs) {
    document.documentElement.dataset.verdictMs = performance.now().toFixed(1);
  }
}

function fromFragment() {
  const fragment = location.hash.slice(1);
  if (fragment) check(`#${fragment}`);
}

function setLanguage(lang) {
  language = lang;
  try { localStorage.setItem("welfare-verifier-lang", lang); } catch { /* storage may be off */ }
  drawPage();
}

async function start() {
  try { if (localStorage.getItem("welfare-verifier-lang") === "en") language = "en"; } catch { /* storage may be off */ }
  try {
    list = await readRevocationList(config.revocations, keys, config.network);
  } catch {
    listError = true; // an altered page: genuine cards are not called valid without an authentic list
  }
  drawPage();
  fromFragment();
  window.addEventListener("hashchange", fromFragment);
  $("lang").addEventListener("click", () => setLanguage(language === "it" ? "en" : "it"));
  $("form").addEventListener("submit", (event) => { event.preventDefault(); check($("payload").value); });
  $("payload").addEventListener("input", () => {
    const value = $("payload").value.trim();
    if (value.length >= 123 || value === "") check(value);
  });
  $("scan").addEventListener("click", async () => {
    $("scan-error").textContent = "";
    try {
      const text = await scanQrCode($("camera"), $("stop"));
      if (text !== null) {
        $("payload").value = text;
        await check(text);
      }
    } catch (error) {
      $("scan-error").textContent = say("camera-error", error && error.name);
    }
  });
  document.documentElement.dataset.ready = "1";
}

// For the tests: the decoding the page uses, to compare with docs/card-qr.md's vectors.
window.welfareVerifier = { decodePayload, verifyPayload, verifyText, networkTag, payloadsIn, canonicalJson, engine: () => engine };
start();
