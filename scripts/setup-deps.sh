#!/usr/bin/env bash
# Installs Nestor's build and test dependencies on Debian 12. Idempotent: does
# nothing (not even apt-get update) when every package is already installed.
set -euo pipefail

packages=(
    build-essential cmake ninja-build pkg-config
    libcapstone-dev libsdl2-dev libglib2.0-dev check libfdt-dev zlib1g-dev
    gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross
    qemu-system-arm qemu-user python3
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then
        sudo=(sudo)
    else
        echo "setup-deps: missing packages (${missing[*]}); run this script as root" >&2
        exit 1
    fi
else
    sudo=()
fi

echo "setup-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
