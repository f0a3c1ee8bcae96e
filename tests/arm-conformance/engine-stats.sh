#!/bin/sh
# What the output comparison cannot see, checked through -d stats:
#  - both engines count exactly the same guest instructions (including the
#    instructions that fault and the blocks they interrupt);
#  - a 1 MiB JIT code cache really fills and is flushed while the
#    self-modifying-code test still passes.
# Usage: engine-stats.sh NESTOR ELF_DIR
set -u
nestor=$1 elfs=$2
fail=0

stats() { # accel elf machine -> the -d stats text (the guest output is checked elsewhere)
    "$nestor" -M "$3" -cpu max -nographic -accel "$1" -kernel "$2" -d stats 2>&1 >/dev/null
}

for t in exceptions psci ldst branch atomics smc; do
    for m in virt,virtualization=on virt; do
        a=$(stats interp "$elfs/$t.elf" "$m" | sed -n 's/.*guest instructions executed: \([0-9]*\).*/\1/p')
        b=$(stats jit "$elfs/$t.elf" "$m" | sed -n 's/.*guest instructions executed: \([0-9]*\).*/\1/p')
        if [ -z "$a" ] || [ "$a" != "$b" ]; then
            echo "FAIL $t on $m: interp counted '$a' instructions, jit '$b'"
            fail=1
        else
            echo "ok   $t on $m: $a instructions under both engines"
        fi
    done
done

out=$("$nestor" -M virt,virtualization=on -cpu cortex-a72 -nographic -accel jit,tb-size=1 \
      -kernel "$elfs/smc.elf" -d stats 2>"${TMPDIR:-/tmp}/engine-stats.$$")
flushes=$(sed -n 's/.*code cache filled up \([0-9]*\) times.*/\1/p' "${TMPDIR:-/tmp}/engine-stats.$$")
rm -f "${TMPDIR:-/tmp}/engine-stats.$$"
if [ "${flushes:-0}" -lt 2 ] || ! printf '%s\n' "$out" | tail -n 1 | grep -qx DONE || printf '%s\n' "$out" | grep -q FAIL; then
    echo "FAIL smc with a 1 MiB code cache: filled up '${flushes:-?}' times; output:"
    printf '%s\n' "$out" | tail -n 5
    fail=1
else
    echo "ok   smc with a 1 MiB code cache: filled up $flushes times, output correct"
fi
exit $fail
