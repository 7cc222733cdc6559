#!/usr/bin/env bash
# loom's test command. Builds and tests with g++ (with CUDA when nvcc is found,
# and the consumer projects), then with clang++ (host code only), then runs the
# unit tests and the fuzzer under AddressSanitizer and UndefinedBehaviorSanitizer,
# then builds the docs, whose warnings are errors. The configurations are the
# presets "gcc", "clang" and "asan" in CMakePresets.json. LOOM_JOBS sets the
# parallelism.
set -euo pipefail
cd "$(dirname "$0")/.."

bash cmake/install-deps.sh
if [ -d /usr/local/cuda/bin ]; then export PATH="/usr/local/cuda/bin:$PATH"; fi
jobs="${LOOM_JOBS:-2}"

for preset in gcc clang asan; do
  echo "== $preset: build/$preset"
  cmake --preset "$preset"
  cmake --build --preset "$preset" -j "$jobs"
  ctest --preset "$preset" -j "$jobs"
done

echo "== docs: build/gcc/docs/html"
cmake --build --preset docs
