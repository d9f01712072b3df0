#!/usr/bin/env bash
# Usage: fuzz/kit/compare.sh WSLAY_SOURCE_DIR [SECONDS] [SEED] [SEED_CORPUS]
# Measures what the kit's frame-level mutator buys on a third-party parser (wslay): runs
# fuzz_wslay_kit and fuzz_wslay_plain one after the other for SECONDS each (default 60), same
# libFuzzer seed (default 1), same seed corpus (default fuzz/corpus/frame_decoder), one process each,
# no dictionary, and prints the edges (libFuzzer's cov) each reached, their ratio, and the
# features (ft: edges with hit-count buckets). wslay
# is compiled from WSLAY_SOURCE_DIR with coverage instrumentation (Debian's .so has none):
# e.g. `apt-get source wslay` (Debian's wslay 1.1.1 source; needs a deb-src apt line).
# SPDX-License-Identifier: MIT
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[ $# -ge 1 ] || { echo "usage: fuzz/kit/compare.sh WSLAY_SOURCE_DIR [SECONDS] [SEED]" >&2; exit 2; }
wslay="$(cd "$1" && pwd)"
seconds="${2:-60}"
seed="${3:-1}"
seeds="${4:-$repo/fuzz/corpus/frame_decoder}"
build="$repo/build-fuzz-wslay"
CC=clang CXX=clang++ cmake -S "$repo" -B "$build" -DWSH_FUZZ=ON -DWSH_CODEC_ONLY=ON -DWSH_TESTS=OFF \
    -DWSH_BENCH=OFF -DWSH_WSLAY_SOURCE="$wslay" >/dev/null
cmake --build "$build" -j "$(nproc)" --target fuzz_wslay_kit fuzz_wslay_plain >/dev/null
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

edges() {
    mkdir -p "$scratch/$1"
    "$build/fuzz/fuzz_wslay_$1" -seed="$seed" -max_total_time="$seconds" -max_len=4096 \
        -print_final_stats=1 "$scratch/$1" "$seeds" >"$scratch/$1.log" 2>&1
    grep -a -E 'DONE' "$scratch/$1.log" | grep -oE 'cov: [0-9]+' | grep -oE '[0-9]+'
}
features() { grep -a -E 'DONE' "$scratch/$1.log" | grep -oE 'ft: [0-9]+' | grep -oE '[0-9]+'; }

kit="$(edges kit)"
plain="$(edges plain)"
echo "wslay after ${seconds}s, seed $seed, corpus $(basename "$seeds") ($(ls "$seeds" | wc -l) files): kit mutator $kit edges, plain byte mutation $plain edges," \
     "ratio $(awk -v a="$kit" -v b="$plain" 'BEGIN { printf "%.2f", a / b }');" \
     "features (edge counters) kit $(features kit), plain $(features plain)"
