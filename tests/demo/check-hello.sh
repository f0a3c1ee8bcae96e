#!/bin/sh
# Runs the demo guest and checks its exact serial output, an empty stderr and
# exit status 0 (PSCI SYSTEM_OFF). Usage: check-hello.sh NESTOR HELLO_ELF on|off
set -u
nestor=$1 elf=$2 virt=$3
if [ "$virt" = on ]; then el=2; else el=1; fi
err=$(mktemp)
out=$("$nestor" -M "virt,virtualization=$virt" -cpu cortex-a72 -nographic -kernel "$elf" 2>"$err")
status=$?
fail=0
[ "$status" -eq 0 ] || { echo "exit status $status, expected 0"; fail=1; }
[ "$out" = "Hello from the guest at EL$el" ] || { echo "stdout: '$out'"; fail=1; }
[ ! -s "$err" ] || { echo "unexpected stderr:"; cat "$err"; fail=1; }
rm -f "$err"
exit $fail
