#!/bin/sh
# --dump-cpu: every model dumps valid JSON and exits 0; -cpu overrides and
# the board's EL2 reach the dump. Usage: dump-cpu.sh NESTOR
set -u
nestor=$1
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

models=$("$nestor" -cpu help | awk '/^  [a-z]/ {print $1}')
# every data file under machines/cpus/ is a model: none may be missing from the list
[ "$(echo "$models" | wc -w)" -ge 5 ] || fail "-cpu help lists only: $models"
for def in "$(dirname "$0")"/../../machines/cpus/*.def; do
    name=$(basename "$def" .def)
    case " $(echo $models) " in *" $name "*) ;; *) fail "-cpu help does not list $name (machines/cpus/$name.def)" ;; esac
done
for model in $models; do
    if ! "$nestor" --dump-cpu -cpu "$model" -M virt,virtualization=on |
        python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["registers"]["MIDR_EL1"]["value"]'; then
        fail "$model: --dump-cpu is not valid JSON"
    else
        echo "ok   $model"
    fi
done

# field FIELD REG EXPECTED ARGS...: the dumped field's value
field() {
    reg=$1 name=$2 want=$3
    shift 3
    got=$("$nestor" --dump-cpu "$@" | python3 -c "import json,sys; print(json.load(sys.stdin)['registers']['$reg']['fields']['$name'])")
    if [ "$got" != "$want" ]; then fail "$*: $reg.$name = $got, want $want"; else echo "ok   $*: $reg.$name = $got"; fi
}
field ID_AA64MMFR1_EL1 VH 1 -cpu neoverse-n1 -M virt,virtualization=on
field ID_AA64MMFR1_EL1 VH 0 -cpu neoverse-n1,ID_AA64MMFR1_EL1.VH=0 -M virt,virtualization=on
field ID_AA64PFR0_EL1 EL2 1 -M virt,virtualization=on -cpu max
field ID_AA64PFR0_EL1 EL2 0 -cpu max
field ID_AA64MMFR1_EL1 VH 0 -cpu neoverse-n1
field ID_AA64ISAR0_EL1 Atomic 0 -cpu max,lse=off
field ID_AA64DFR0_EL1 BRPs 3 -cpu max,id_aa64dfr0_el1.brps=0x3

[ "$failures" -eq 0 ] && echo "all dump-cpu cases passed"
exit $((failures != 0))
