/* A bare CPU with RAM for unit tests: place instructions, run, inspect. */
#ifndef NESTOR_TESTS_HARNESS_H
#define NESTOR_TESTS_HARNESS_H

#include <stdint.h>

#include "cpu/cpu.h"
#include "mmu/physmem.h"
#include "sysregs/cpu_model.h"

#define HARNESS_RAM_BASE 0x40000000ull
#define HARNESS_RAM_SIZE (16ull << 20)

typedef struct {
    AddressSpace as;
    CPUState cpu;
    Engine engine;
    CPUModel model; /* the model with its -cpu properties applied */
} Harness;

/* model NULL = "max", else a -cpu argument ("MODEL[,PROPERTY=VALUE]..."); start_el 1 or 2 (EL2
 * present when 2). pc = RAM base. */
void harness_init(Harness *h, const char *model, unsigned start_el);
void harness_destroy(Harness *h);
/* Writes instructions at addr. */
void harness_code(Harness *h, uint64_t addr, const uint32_t *insns, unsigned count);
/* Runs until `count` instructions have retired or an exception is taken
 * (then returns false). Execution starts at the CPU's pc. */
CPUExit harness_run(Harness *h, uint64_t count);

#endif
