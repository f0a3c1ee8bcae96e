#!/usr/bin/env bash
# Builds and runs every test (Release), then every test again under
# AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup-deps.sh

cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build-test
(cd build-test && ctest --output-on-failure -j2)

cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DNESTOR_SANITIZE=ON
cmake --build build-asan
(cd build-asan && ctest --output-on-failure -j2)
