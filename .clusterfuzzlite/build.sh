#!/bin/bash -eu
# SPDX-License-Identifier: MIT
# OSS-Fuzz / ClusterFuzzLite build: the environment gives CC, CXX, CFLAGS, CXXFLAGS (with the
# sanitizer and coverage flags), LIB_FUZZING_ENGINE, SRC and OUT. Builds the fuzz targets with
# them and puts each binary in $OUT with its dictionary and seed corpus (fuzz_TARGET.dict,
# fuzz_TARGET_seed_corpus.zip), the names the engines look for.
src="${SRC}/wsharness"
build="${WORK:-/tmp}/wsharness-build"
cmake -S "$src" -B "$build" -DWSH_FUZZ=ON -DWSH_FUZZ_INSTRUMENT=OFF \
    -DWSH_FUZZ_ENGINE="$LIB_FUZZING_ENGINE" -DWSH_CODEC_ONLY=ON -DWSH_TESTS=OFF -DWSH_BENCH=OFF \
    -DCMAKE_C_COMPILER="$CC" -DCMAKE_CXX_COMPILER="$CXX" \
    -DCMAKE_C_FLAGS="$CFLAGS" -DCMAKE_CXX_FLAGS="$CXXFLAGS" -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" -j "$(nproc)"

dict_for() {
    case "$1" in
        utf8|close_payload) echo utf8 ;;
        handshake_*) echo http ;;
        extensions) echo extensions ;;
        *) echo websocket ;;
    esac
}

for binary in "$build"/fuzz/fuzz_*; do
    target="$(basename "$binary")"
    name="${target#fuzz_}"
    [ -d "$src/fuzz/corpus/$name" ] || continue
    cp "$binary" "$OUT/"
    cp "$src/fuzz/dict/$(dict_for "$name").dict" "$OUT/$target.dict"
    (cd "$src/fuzz/corpus/$name" && zip -q -r "$OUT/${target}_seed_corpus.zip" .)
done
