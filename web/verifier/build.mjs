// Builds welfarectl/verifier/assets/ from src/ and the pinned npm packages (package-lock.json):
//   verifier.js             the page's code, with @noble/ed25519 and @noble/hashes
//   qr-decoder.js           the fallback QR decoder (jsQR), loaded only where the browser has no BarcodeDetector
//   THIRD-PARTY-LICENSES.txt the licences of everything bundled
// Run by build.sh (npm ci, then this); commit the assets it writes.
import { build } from "esbuild";
import { readFileSync, writeFileSync } from "node:fs";

const out = new URL("../../welfarectl/verifier/assets/", import.meta.url).pathname;
const common = { bundle: true, format: "iife", minify: true, target: ["es2020"], legalComments: "none", logLevel: "warning" };

await build({ ...common, entryPoints: ["src/page.js"], outfile: `${out}verifier.js` });
await build({ ...common, entryPoints: ["src/decoder.js"], outfile: `${out}qr-decoder.js` });

const lock = JSON.parse(readFileSync("package-lock.json", "utf8")).packages;
const bundled = [
  ["@noble/ed25519", "LICENSE"], ["@noble/hashes", "LICENSE"], ["jsqr", "LICENSE"],
];
const parts = ["Third-party software bundled in verifier.js and qr-decoder.js, with its licence.\n"];
for (const [name, file] of bundled) {
  const version = lock[`node_modules/${name}`].version;
  parts.push(`\n${"=".repeat(78)}\n${name} ${version} (${lock[`node_modules/${name}`].license})\n${"=".repeat(78)}\n\n`
    + readFileSync(`node_modules/${name}/${file}`, "utf8").trim() + "\n");
}
writeFileSync(`${out}THIRD-PARTY-LICENSES.txt`, parts.join(""));
