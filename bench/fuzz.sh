#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for FUZZ_SECONDS each (default 600: 10 minutes), one
# after the other, and prints a line per target: executions, corpus size, crash or not.
#
#   bench/fuzz.sh                       # every target, 10 minutes each
#   FUZZ_SECONDS=60 bench/fuzz.sh       # a smoke test
#   bench/fuzz.sh login_flow set_cookie # some targets only
#
# Needs a nightly toolchain (`rustup toolchain install nightly`) and cargo-fuzz
# (`cargo install cargo-fuzz`). The build goes to FUZZ_TARGET_DIR (default
# /tmp/kfp-wasm-fuzz-target) so that it never disturbs the main build. Crashing inputs land in
# fuzz/artifacts/<target>/; turn each into a regression test in the module that owns the code.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${FUZZ_SECONDS:-600}"
jobs="${FUZZ_JOBS:-1}"
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-/tmp/kfp-wasm-fuzz-target}"

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "bench/fuzz.sh: needs the nightly toolchain: rustup toolchain install nightly" >&2
  exit 2
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "bench/fuzz.sh: needs cargo-fuzz: cargo install cargo-fuzz" >&2
  exit 2
fi

cd "$root/fuzz"
if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo +nightly fuzz list)
fi

cargo +nightly fuzz build >/dev/null
status=0
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "artifacts/$target"
  log="$(mktemp)"
  # -timeout: one input taking more than 10 s is a hang (every parser is linear);
  # -rss_limit_mb: more than 2 GiB is unbounded memory.
  if cargo +nightly fuzz run "$target" "corpus/$target" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -jobs="$jobs" -workers="$jobs" \
      -print_final_stats=1 >"$log" 2>&1; then
    outcome="no crash"
  else
    outcome="CRASH (see fuzz/artifacts/$target/ and $log)"
    status=1
  fi
  execs="$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -1 || true)"
  corpus="$(find "corpus/$target" -type f | wc -l)"
  printf '%-18s %6ss  %12s execs  %6s corpus files  %s\n' "$target" "$seconds" "${execs:-?}" "$corpus" "$outcome"
  [ "$status" -eq 0 ] && rm -f "$log"
done
exit "$status"
