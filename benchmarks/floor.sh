#!/bin/sh
# The floor: a wheel built by hand, with no Python started.
#
#     benchmarks/floor.sh PROJECT WHEEL PYTHON [FLAGS]
#
# cmake configures PROJECT into PROJECT/build when it has no cache yet, ninja
# builds, `cmake --install` stages into PROJECT/stage (emptied first), and the
# wheel WHEEL is zipped here with a RECORD of sha256 digests. PYTHON is the
# interpreter CMake builds for; FLAGS the release flags of C and C++. What
# every build backend must do at least, so the benchmarks state their
# figures as ratios to it.
set -eu
project=$1 wheel=$2 python=$3 flags=${4:-"-O2 -DNDEBUG"}
case $wheel in /*) ;; *) wheel=$PWD/$wheel ;; esac
build=$project/build stage=$project/stage
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$project" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
        "-DCMAKE_C_FLAGS_RELEASE=$flags" "-DCMAKE_CXX_FLAGS_RELEASE=$flags" \
        "-DPython_EXECUTABLE=$python"
fi
ninja -C "$build"
rm -rf "$stage"
cmake --install "$build" --prefix "$stage"
meta=bench-1.0.dist-info
mkdir -p "$stage/$meta"
printf 'Metadata-Version: 2.1\nName: bench\nVersion: 1.0\n' >"$stage/$meta/METADATA"
printf 'Wheel-Version: 1.0\nGenerator: floor\nRoot-Is-Purelib: false\nTag: py3-none-any\n' \
    >"$stage/$meta/WHEEL"
cd "$stage"
find . -type f ! -name RECORD | sed 's|^\./||' | sort | while read -r name; do
    digest=$(openssl dgst -sha256 -binary "$name" | basenc --base64url | tr -d '=')
    printf '%s,sha256=%s,%s\n' "$name" "$digest" "$(wc -c <"$name")"
done >"$meta/RECORD"
printf '%s/RECORD,,\n' "$meta" >>"$meta/RECORD"
rm -f "$wheel"
zip -q -r -X "$wheel" .
