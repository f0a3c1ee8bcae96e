#!/usr/bin/env bash
# Builds Nestor and runs the bare-metal demo guest at EL2:
# expected output "Hello from the guest at EL2", exit status 0.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build
exec build/cli/nestor -M virt,virtualization=on -cpu cortex-a72 -nographic -kernel build/tests/demo/hello.elf
