#!/usr/bin/env bash
# Builds every fuzz target with cargo-fuzz (libFuzzer) and runs each for
# SECONDS (default 60), starting from the committed seeds in seeds/<target>/
# and the inputs earlier runs found in corpus/<target>/ (not committed).
# Fails, naming the saved input in artifacts/<target>/, if any target finds
# a crash, a panic, a timeout or runaway memory.
#
#   fuzz/run.sh 60                      # every target, a minute each
#   TARGETS="command roster" fuzz/run.sh 300
#
# Needs `cargo install cargo-fuzz`. libFuzzer needs nightly compiler flags;
# RUSTC_BOOTSTRAP=1 lets the stable toolchain accept them. Build artefacts
# go to FUZZ_TARGET_DIR (default fuzz/target): the instrumented build uses
# other flags than the main crate's and would otherwise rebuild it.
set -euo pipefail
cd "$(dirname "$0")"

seconds="${1:-60}"
case "$seconds" in '' | *[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;; esac
targets="${TARGETS:-callback command crypto inert quiz roster}"
target_dir="${FUZZ_TARGET_DIR:-$PWD/target}"

export RUSTC_BOOTSTRAP=1
# The main crate forbids unsafe code, so AddressSanitizer would mostly slow
# the search down; debug assertions turn integer overflow into a crash.
flags=(--release --debug-assertions --sanitizer none --target-dir "$target_dir")

echo "==> building fuzz targets"
cargo fuzz build "${flags[@]}"

failed=()
for t in $targets; do
  mkdir -p "corpus/$t" "artifacts/$t"
  echo "==> fuzzing $t for ${seconds}s"
  # -timeout: one input taking 10 s is a finding; -rss_limit_mb likewise.
  if ! cargo fuzz run "${flags[@]}" "$t" "corpus/$t" "seeds/$t" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=1024 \
      -artifact_prefix="artifacts/$t/" -print_final_stats=1; then
    failed+=("$t")
  fi
done

if ((${#failed[@]})); then
  echo "FAILED: ${failed[*]}; inputs saved under fuzz/artifacts/" >&2
  ls -l artifacts/ >&2 || true
  exit 1
fi
echo "fuzzing passed: ${targets} (${seconds}s each, 0 crashes)"
