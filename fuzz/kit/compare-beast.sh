#!/usr/bin/env bash
# Usage: fuzz/kit/compare-beast.sh [SECONDS] [SEEDS] [CHECKPOINTS] [SEED_CORPUS]
# Measures what the kit's frame-level mutator buys on Boost.Beast's websocket server (see
# beast_example.cpp; nothing to download, Beast comes with libboost-dev). For each libFuzzer
# seed in SEEDS (default "1 2 3") it runs fuzz_beast_kit, then fuzz_beast_plain, one process at
# a time, for SECONDS each (default 300), same seed corpus (default fuzz/corpus/frame_decoder),
# no dictionary, -max_len=4096, and reads the edges (libFuzzer's cov) and features (ft) each
# had reached at every checkpoint in CHECKPOINTS (seconds, default "60 300"; a checkpoint is
# the last status line printed at or before it). Prints one line per seed and checkpoint and
# the median kit/plain edge ratio per checkpoint. Built without sanitizers (coverage, not
# bugs, is measured here) in build-fuzz-beast/.
# SPDX-License-Identifier: MIT
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
seconds="${1:-300}"
seeds_list="${2:-1 2 3}"
checkpoints="${3:-60 300}"
corpus="${4:-$repo/fuzz/corpus/frame_decoder}"
[ -d "$corpus" ] || { echo "compare-beast.sh: no seed corpus $corpus" >&2; exit 2; }
build="$repo/build-fuzz-beast"
CC=clang CXX=clang++ cmake -S "$repo" -B "$build" -DWSH_FUZZ=ON -DWSH_CODEC_ONLY=ON -DWSH_TESTS=OFF \
    -DWSH_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)" --target fuzz_beast_kit fuzz_beast_plain >/dev/null
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# Prefixes each line with the seconds since the run started.
stamp() {
    local start="$EPOCHREALTIME" line
    while IFS= read -r line; do
        printf '%s %s\n' "$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')" "$line"
    done
}

# run VARIANT SEED: one timed run, log in $scratch/VARIANT-SEED.log
run() {
    mkdir -p "$scratch/$1-$2"
    # A crash ends the run early (its later checkpoints keep the last value); it is reported.
    { "$build/fuzz/fuzz_beast_$1" -seed="$2" -max_total_time="$seconds" -max_len=4096 \
        -artifact_prefix="$scratch/$1-$2-" -print_final_stats=1 "$scratch/$1-$2" "$corpus" 2>&1 || true; } |
        stamp >"$scratch/$1-$2.log"
}

# crashed VARIANT SEED: " (crashed after Ts)" if the run ended on a crash.
crashed() {
    awk '/ERROR: libFuzzer|ERROR: AddressSanitizer|==ERROR/ { printf " (crashed after %ss)", $1; exit }' "$scratch/$1-$2.log"
}

# at VARIANT SEED T FIELD: the FIELD (cov or ft) of the last status line at or before T seconds.
at() {
    awk -v t="$3" -v f="$4:" '$1 <= t && $2 ~ /^#[0-9]+$/ {
        for (i = 3; i < NF; ++i) if ($i == f) v = $(i + 1) } END { print v + 0 }' "$scratch/$1-$2.log"
}

declare -A ratios
for seed in $seeds_list; do
    run kit "$seed"
    run plain "$seed"
    for t in $checkpoints; do
        k="$(at kit "$seed" "$t" cov)"; p="$(at plain "$seed" "$t" cov)"
        r="$(awk -v a="$k" -v b="$p" 'BEGIN { printf "%.2f", a / b }')"
        ratios[$t]+="$r "
        echo "beast seed $seed after ${t}s: kit $k edges (ft $(at kit "$seed" "$t" ft))$(crashed kit "$seed")," \
             "plain $p edges (ft $(at plain "$seed" "$t" ft))$(crashed plain "$seed"), ratio $r"
    done
done
for t in $checkpoints; do
    echo "beast after ${t}s, corpus $(basename "$corpus") ($(ls "$corpus" | wc -l) files), seeds $seeds_list:" \
         "median kit/plain edge ratio $(echo "${ratios[$t]}" | tr ' ' '\n' | grep . | sort -n |
             awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')"
done
