#!/usr/bin/env bash
# Installs the Debian packages that loom's build, tests, examples and docs need.
# As root it installs what is missing; otherwise it names what is missing and
# exits 1. The CUDA toolkit is not installed here: CUDA tests are built when nvcc
# is found (e.g. in /usr/local/cuda/bin) and skipped otherwise.
set -euo pipefail

packages=(cmake make g++ clang libxsimd-dev xtl-dev libeigen3-dev catch2 doxygen
          python3 python3-jsonschema)

if ! command -v dpkg-query >/dev/null; then
  echo "install-deps: not a Debian system; make sure the equivalents of these are installed:"
  echo "  ${packages[*]}"
  exit 0
fi

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$package")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} Debian packages are installed"
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "${missing[@]}"
else
  echo "install-deps: missing Debian packages: ${missing[*]}"
  echo "install them with: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
  exit 1
fi
