#!/usr/bin/env bash
# Builds and runs every test (Release), then every test but the Linux boots
# again under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup-deps.sh
# Debian's arm64 kernel and busybox for the Linux boot tests (label linux),
# from Debian's archive.
./scripts/fetch-linux.sh build-test/linux

cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build-test
(cd build-test && ctest --output-on-failure -j2)

# The sanitizer pass runs everything but the Linux boots (minutes each there).
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DNESTOR_SANITIZE=ON -DNESTOR_LINUX_DIR=
cmake --build build-asan
(cd build-asan && ctest --output-on-failure -j2)
