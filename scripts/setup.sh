#!/usr/bin/env bash
# Installs what building and testing kfp-wasm needs, skipping what is already there:
# the wasm32 target, wasm-bindgen-cli at exactly the crate's wasm-bindgen version, wasm-pack,
# and the npm dev dependencies. Used by `npm start`, `npm test` and CI.
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
if [ ! -d node_modules/undici ] || [ ! -d node_modules/binaryen ] || [ ! -d node_modules/typescript ] || [ ! -d node_modules/yaml ]; then
  echo "setup: installing npm dev dependencies"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
fi
