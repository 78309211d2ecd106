#!/usr/bin/env bash
# Rebuild welfarectl/verifier/assets/ from src/ with the npm packages pinned in package-lock.json.
# Needs node and npm; `pip install welfarectl` needs neither: the built assets are committed.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund
node build.mjs
ls -l ../../welfarectl/verifier/assets/
