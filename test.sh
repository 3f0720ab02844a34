#!/usr/bin/env bash
# Installs what ispd needs, builds it with warnings as errors, and runs every test.
set -euo pipefail
cd "$(dirname "$0")"

bash deploy/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DISPD_WERROR=ON -DISPD_BENCH=OFF
cmake --build build -j"$(nproc)"
ctest --test-dir build --output-on-failure -j"$(nproc)"
