#!/usr/bin/env bash
# Installs what building and testing kfp-wasm needs, skipping what is already there:
# the wasm32 target, wasm-bindgen-cli at exactly the crate's wasm-bindgen version, wasm-pack,
# the npm dev dependencies (binaryen's wasm-opt among them), and Chromium for the browser tests
# (Debian's package, driven by the playwright-core dev dependency). Used by `npm start`,
# `npm test` and CI.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

if ! command -v cargo >/dev/null; then
  echo "setup: Rust is required (cargo not found); install it with rustup." >&2
  exit 1
fi
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "setup: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
# wasm-pack uses the wasm-bindgen on PATH only when its version matches the crate's exactly.
wbg=$(sed -nE 's/^wasm-bindgen = "=([0-9.]+)".*/\1/p' Cargo.toml)
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $wbg"; then
  echo "setup: installing wasm-bindgen-cli $wbg (a few minutes)"
  cargo install wasm-bindgen-cli --version "$wbg"
fi
if ! command -v wasm-pack >/dev/null; then
  echo "setup: installing wasm-pack (a few minutes)"
  cargo install wasm-pack
fi
missing_npm=0
for dep in undici binaryen typescript yaml playwright-core; do [ -d "node_modules/$dep" ] || missing_npm=1; done
if [ "$missing_npm" = 1 ]; then
  echo "setup: installing npm dev dependencies"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
fi
# Headless Chromium for tests/js/package-browser.test.mjs (and the dashboard's tests). Only where
# apt-get exists and we are root; elsewhere those tests skip the browser part and say so.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "setup: installing chromium and chromium-driver (Debian packages)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "setup: /usr/bin/chromium is missing and cannot be installed here; the browser tests will skip loading pages" >&2
  fi
fi
