#!/usr/bin/env bash
# loom's demo: builds the guided tour (the "gcc" preset, as tests/check.sh does)
# and runs it.
set -euo pipefail
cd "$(dirname "$0")/.."

bash cmake/install-deps.sh
if [ -d /usr/local/cuda/bin ]; then export PATH="/usr/local/cuda/bin:$PATH"; fi

cmake --preset gcc
cmake --build --preset gcc --target tour -j "${LOOM_JOBS:-2}"
./build/gcc/examples/tour
