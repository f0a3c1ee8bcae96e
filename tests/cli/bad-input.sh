#!/bin/sh
# User errors end in exit status 1 and exactly one line on stderr, starting
# "nestor: " and naming the problem (DESIGN.md §7). Usage: bad-input.sh NESTOR
set -u
nestor=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
failures=0

# expect NAME PATTERN ARGS...: runs nestor ARGS, checks status 1, one stderr
# line matching PATTERN (a grep -E regex), nothing on stdout.
expect() {
    name=$1 pattern=$2
    shift 2
    timeout 20 "$nestor" "$@" >"$dir/out" 2>"$dir/err" </dev/null
    status=$?
    lines=$(wc -l <"$dir/err")
    if [ "$status" -ne 1 ] || [ "$lines" -ne 1 ] || [ -s "$dir/out" ] ||
        ! grep -Eq "^nestor: .*$pattern" "$dir/err"; then
        echo "FAIL $name: status $status, $lines stderr line(s):"
        cat "$dir/err" "$dir/out"
        failures=$((failures + 1))
    else
        echo "ok   $name: $(cat "$dir/err")"
    fi
}

printf 'raw' >"$dir/small.bin"
printf 'x' >"$dir/unreadable.bin"
chmod 000 "$dir/unreadable.bin"
# 129 MiB cannot fit in 128 MiB of RAM (the default).
dd if=/dev/zero of="$dir/big.bin" bs=1M count=0 seek=129 2>/dev/null
# An AArch64 ELF header whose program-header offset (0xffffffffffffff00)
# would wrap around if added carelessly.
{
    printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000' # e_ident
    printf '\002\000\267\000\001\000\000\000'                             # ET_EXEC, EM_AARCH64, version
    printf '\000\000\010\100\000\000\000\000'                             # e_entry 0x40080000
    printf '\000\377\377\377\377\377\377\377'                             # e_phoff
    printf '\000\000\000\000\000\000\000\000\000\000\000\000'         # e_shoff, e_flags
    printf '\100\000\070\000\001\000\000\000\000\000\000\000'         # sizes, e_phnum = 1
} >"$dir/trunc.elf"

# arm64 Image headers (magic "ARM\x64" at byte 56): one inside an EFI
# (PE/COFF) file whose only section lies beyond the end of the file (a
# truncated kernel), one flagged big-endian; an "MZ" file without the arm64
# header (another architecture's EFI kernel); gzip streams cut short or
# corrupt.
image_header() { # FLAGS_BYTE PE_OFFSET_BYTE
    printf 'MZ\000\000\000\000\000\000'                               # code0, code1
    printf '\000\000\000\000\000\000\000\000'                       # text_offset
    printf '\000\000\020\000\000\000\000\000'                       # image_size 1 MiB
    printf "\\$1\\000\\000\\000\\000\\000\\000\\000"      # flags
    printf '\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000'
    printf "ARM\\144\\$2\\000\\000\\000"                          # magic, PE header offset
}
{
    image_header 000 100                                                   # PE header at 0x40
    printf 'PE\000\000\144\252\001\000'                             # machine arm64, 1 section
    printf '\000\000\000\000\000\000\000\000\000\000\000\000'  # timestamp, symbols
    printf '\000\000\000\000'                                          # optional header size 0, flags
    printf '.text\000\000\000\000\000\000\000\000\000\000\000'  # section name, sizes
    printf '\000\000\020\000\000\002\000\000'                       # 1 MiB of raw data at 0x200
    printf '\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000'
} >"$dir/truncated.Image"
image_header 001 000 >"$dir/big-endian.Image"
printf 'MZ' >"$dir/other-arch.efi"
dd if=/dev/zero bs=1k count=4 2>/dev/null >>"$dir/other-arch.efi"
dd if=/dev/urandom bs=1k count=64 2>/dev/null | gzip -c >"$dir/full.gz"
head -c 2000 "$dir/full.gz" >"$dir/cut.gz"
{ printf '\037\213\010\000\000\000\000\000\000\003'; printf 'this is not deflate data at all'; } >"$dir/corrupt.gz"
printf 'not a device tree' >"$dir/bad.dtb"

expect unknown-option "unknown option '-foo'" -foo -kernel "$dir/small.bin"
expect not-implemented "option '-netdev' is not implemented" -netdev user,id=n0 -kernel "$dir/small.bin"
expect stray-argument "unexpected argument 'disk.img'" disk.img
expect missing-kernel-option "-kernel" -M virt
expect missing-kernel-file "cannot open kernel '$dir/nonexistent': No such file" -kernel "$dir/nonexistent"
expect kernel-is-directory "'$dir' is not a regular file" -kernel "$dir"
if [ "$(id -u)" -ne 0 ]; then # root can read mode-000 files
    expect unreadable-kernel "cannot open kernel '$dir/unreadable.bin': Permission denied" -kernel "$dir/unreadable.bin"
fi
expect kernel-larger-than-ram "kernel '$dir/big.bin' \(135266304 bytes in memory, at offset 0x80000\) does not fit in RAM" -kernel "$dir/big.bin"
expect bad-elf-phoff "trunc.elf': ELF program headers .* beyond the end of the file" -kernel "$dir/trunc.elf"
expect unknown-machine "unknown machine 'pc'" -M pc -kernel "$dir/small.bin"
expect unknown-machine-property "unknown property 'secure'" -M virt,secure=on -kernel "$dir/small.bin"
expect gicv2 "gic-version=2.*not implemented" -M virt,gic-version=2 -kernel "$dir/small.bin"
expect unknown-cpu "unknown CPU model 'cortex-z9'" -cpu cortex-z9 -kernel "$dir/small.bin"
expect cpu-unknown-feature "-cpu: unknown feature 'warp'" -cpu max,warp=on -kernel "$dir/small.bin"
expect cpu-unimplemented-feature "-cpu: sve=on: Nestor does not implement" -cpu max,sve=on -kernel "$dir/small.bin"
expect cpu-bad-feature-value "-cpu: pan=2: invalid value" -cpu max,pan=2 -kernel "$dir/small.bin"
expect cpu-unknown-field "-cpu: unknown ID register field 'ID_AA64MMFR1_EL1.XX'" -cpu max,ID_AA64MMFR1_EL1.XX=1 -kernel "$dir/small.bin"
expect cpu-field-range "ID_AA64MMFR1_EL1.VH=16: out of range" -cpu max,ID_AA64MMFR1_EL1.VH=16 -kernel "$dir/small.bin"
expect cpu-field-not-number "ID_AA64MMFR1_EL1.VH=x: not a number" -cpu max,ID_AA64MMFR1_EL1.VH=x -kernel "$dir/small.bin"
expect cpu-fp-without-simd "ID_AA64PFR0_EL1.AdvSIMD=15 and ID_AA64PFR0_EL1.FP=1" -cpu max,ID_AA64PFR0_EL1.AdvSIMD=0xf -kernel "$dir/small.bin"
expect cpu-s1pie-without-fgt "ID_AA64MMFR3_EL1.S1PIE=1 needs ID_AA64MMFR0_EL1.FGT" -cpu max,ID_AA64MMFR3_EL1.S1PIE=1,fgt=off -kernel "$dir/small.bin"
expect cpu-vhe-without-el2 "ID_AA64MMFR1_EL1.VH=1 needs ID_AA64PFR0_EL1.EL2" -cpu neoverse-n1,ID_AA64PFR0_EL1.EL2=0 --dump-cpu
expect zero-ram "-m 0" -m 0 -kernel "$dir/small.bin"
expect huge-ram "-m" -m 4096G -kernel "$dir/small.bin"
expect smp "-smp 65: at most 64 CPUs" -smp 65 -kernel "$dir/small.bin"
expect aff3-without-a3v "cpus-per-aff3=4: .*add gic-a3v=on" -M virt,cpus-per-aff3=4 -smp 8 -kernel "$dir/small.bin"
expect accel-kvm "-accel kvm: unknown accelerator" -accel kvm -kernel "$dir/small.bin"
expect accel-tb-size "tb-size must be" -accel jit,tb-size=0 -kernel "$dir/small.bin"
expect accel-property "unknown property 'foo=1'" -accel tcg,foo=1 -kernel "$dir/small.bin"
expect serial "-serial pty" -serial pty -kernel "$dir/small.bin"
expect log-category "log category 'bogus'" -d bogus -kernel "$dir/small.bin"
expect missing-argument "option '-m' needs an argument" -kernel "$dir/small.bin" -m
expect truncated-image "arm64 Linux Image, but the file ends before its last EFI" -kernel "$dir/truncated.Image"
expect big-endian-image "arm64 Linux Image, but it is a big-endian kernel" -kernel "$dir/big-endian.Image"
expect other-arch-efi "without the arm64 Image header: not an arm64 Linux kernel" -kernel "$dir/other-arch.efi"
expect truncated-gzip "cut.gz': its gzip data ends early" -kernel "$dir/cut.gz"
expect corrupt-gzip "corrupt.gz': its gzip data is corrupt" -kernel "$dir/corrupt.gz"
expect initrd-too-large "initrd '$dir/big.bin' \(135266304 bytes\) does not fit in RAM" -kernel "$dir/small.bin" -initrd "$dir/big.bin"
expect missing-initrd "cannot open initrd '$dir/nonexistent'" -kernel "$dir/small.bin" -initrd "$dir/nonexistent"
expect bad-dtb "bad.dtb.*not a valid flattened device tree" -kernel "$dir/small.bin" -dtb "$dir/bad.dtb"
expect drive-no-file "-drive if=none,id=d0: file= is missing" -kernel "$dir/small.bin" -drive if=none,id=d0
expect drive-format "format=qcow2 is not supported" -kernel "$dir/small.bin" -drive file="$dir/small.bin",format=qcow2,if=none,id=d0
expect drive-unknown-key "unknown parameter 'bogus'" -kernel "$dir/small.bin" -drive file="$dir/small.bin",bogus=1
expect drive-readonly-value "readonly=maybe: use on or off" -kernel "$dir/small.bin" -drive file="$dir/small.bin",readonly=maybe
expect drive-no-id "if=none needs an id=" -kernel "$dir/small.bin" -drive file="$dir/small.bin",if=none
expect drive-if-scsi "if=scsi is not supported" -kernel "$dir/small.bin" -drive file="$dir/small.bin",if=scsi
expect drive-missing-file "cannot open disk image '$dir/nonexistent'" -kernel "$dir/small.bin" -drive file="$dir/nonexistent",if=virtio,format=raw
expect device-unknown "unknown device 'e1000'" -kernel "$dir/small.bin" -device e1000
expect device-no-drive "no -drive with id=d9" -kernel "$dir/small.bin" -device virtio-blk-device,drive=d9
expect device-drive-twice "drive 'd0' is already in use" -kernel "$dir/small.bin" -drive file="$dir/small.bin",if=none,id=d0 -device virtio-blk-device,drive=d0 -device virtio-blk-device,drive=d0
expect virtconsole-no-bus "no virtio-serial-device to attach to" -kernel "$dir/small.bin" -chardev null,id=c0 -device virtconsole,chardev=c0
expect virtconsole-no-chardev "no -chardev with id=c0" -kernel "$dir/small.bin" -device virtio-serial-device -device virtconsole,chardev=c0
expect chardev-bad-backend "-chardev pty,id=c0: backend 'pty' is not supported" -kernel "$dir/small.bin" -chardev pty,id=c0
expect chardev-file-unwritable "-chardev file,path=$dir/nonexistent/c.txt: cannot create" -kernel "$dir/small.bin" -chardev file,path="$dir/nonexistent/c.txt",id=c0 -device virtio-serial-device -device virtconsole,chardev=c0
expect display-unknown "-display gtk: only 'none' and 'sdl'" -kernel "$dir/small.bin" -display gtk
expect nographic-sdl "-nographic cannot be used with -display sdl" -kernel "$dir/small.bin" -nographic -display sdl
expect rtc-bad-date "-rtc base=2026-13-01: invalid date" -kernel "$dir/small.bin" -rtc base=2026-13-01
expect dumpdtb-unwritable "dumpdtb=$dir/nonexistent/x.dtb: cannot write" -M virt,dumpdtb="$dir/nonexistent/x.dtb"

[ "$failures" -eq 0 ] && echo "all bad-input cases passed"
exit $((failures != 0))
