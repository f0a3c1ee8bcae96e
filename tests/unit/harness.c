#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysregs/cpu_model.h"
#include "trace/log.h"

void harness_init(Harness *h, const char *model, unsigned start_el)
{
    as_init(&h->as);
    if (!as_add_ram(&h->as, "ram", HARNESS_RAM_BASE, HARNESS_RAM_SIZE))
        abort();
    char err[256];
    if (!cpu_model_configure(&h->model, model ? model : "max", err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        abort();
    }
    cpu_init(&h->cpu, &h->model, &h->as, 0);
    /* ctest runs the CPU-level tests once per engine (tests/unit/CMakeLists.txt) */
    const char *accel = getenv("NESTOR_TEST_ACCEL");
    EngineConfig engine = {.kind = accel && !strcmp(accel, "jit") ? ENGINE_JIT : ENGINE_INTERP,
                           .code_cache_bytes = 64ull << 20};
    engine_init(&h->engine, &engine);
    cpu_engine_attach(&h->cpu, &h->engine);
    h->cpu.has_el2 = start_el == 2;
    h->cpu.psci_conduit = start_el == 2 ? PSCI_CONDUIT_SMC : PSCI_CONDUIT_HVC;
    cpu_reset(&h->cpu, start_el, HARNESS_RAM_BASE);
}

void harness_destroy(Harness *h)
{
    engine_destroy(&h->engine);
    cpu_destroy(&h->cpu);
    as_destroy(&h->as);
}

void harness_code(Harness *h, uint64_t addr, const uint32_t *insns, unsigned count)
{
    if (!as_write_bytes(&h->as, addr, insns, 4ull * count))
        abort();
    /* Written behind the CPU's back (not through guest stores): drop stale blocks. */
    tb_invalidate_phys(&h->engine.tbs, addr, addr + 4ull * count);
}

CPUExit harness_run(Harness *h, uint64_t count) { return cpu_run(&h->cpu, count); }
