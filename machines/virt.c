/* The virt board: RAM, PL011, one CPU, and the power-state loop. */
#include "machines/virt.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sysregs/cpu_model.h"
#include "trace/log.h"

/* Instructions per cpu_run call: large, since the loop only has to come back
 * here for power-state changes. */
#define RUN_BUDGET (1ull << 30)

/* Puts images into RAM and the CPU into its reset state: used at power-on
 * and on every guest-requested reset, as QEMU's system reset does. */
static void virt_reset(VirtMachine *m)
{
    char err[512];
    uint64_t entry;
    if (!kernel_image_load(&m->kernel, &m->as, VIRT_RAM_BASE, m->config.ram_size, &entry, err, sizeof err))
        nestor_fatal("%s", err);
    pl011_reset(&m->uart);

    CPUState *cpu = &m->cpu;
    cpu->has_el2 = m->config.virtualization;
    cpu->psci_conduit = m->config.virtualization ? PSCI_CONDUIT_SMC : PSCI_CONDUIT_HVC;
    cpu->mp_affinity = cpu->index; /* Aff0 = CPU index, all in cluster 0 */
    cpu_reset(cpu, m->config.virtualization ? 2 : 1, entry);
    /* No DTB yet: Linux's boot protocol wants its address in x0, so x0 = 0
     * tells a guest there is none. x1..x3 are zero as the protocol requires. */
    cpu->x[0] = 0;
}

VirtMachine *virt_create(const VirtConfig *config)
{
    if (config->ram_size > VIRT_RAM_MAX)
        nestor_fatal("-m: %" PRIu64 " MiB of RAM is more than the virt board's %llu GiB", config->ram_size >> 20,
                     VIRT_RAM_MAX >> 30);
    VirtMachine *m = calloc(1, sizeof *m);
    if (!m)
        nestor_fatal("cannot allocate the machine: %s", strerror(errno));
    m->config = *config;

    char err[512];
    if (!kernel_image_read(&m->kernel, config->kernel, err, sizeof err))
        nestor_fatal("%s", err);

    as_init(&m->as);
    if (!as_add_ram(&m->as, "ram", VIRT_RAM_BASE, config->ram_size))
        nestor_fatal("cannot allocate %" PRIu64 " MiB of guest RAM (-m): try a smaller size", config->ram_size >> 20);
    pl011_init(&m->uart, stdout);
    pl011_map(&m->uart, &m->as, VIRT_UART_BASE);

    cpu_init(&m->cpu, config->cpu_model, &m->as, 0);
    cpu_engine_init(&m->cpu, &config->engine);
    virt_reset(m);
    return m;
}

int virt_run(VirtMachine *m)
{
    for (;;) {
        switch (cpu_run(&m->cpu, RUN_BUDGET)) {
        case CPU_EXIT_BUDGET:
            break;
        case CPU_EXIT_POWEROFF:
            return 0;
        case CPU_EXIT_RESET:
            if (m->config.no_reboot)
                return 0;
            if (log_enabled(LOG_INT))
                log_printf("virt: guest requested a system reset\n");
            virt_reset(m);
            break;
        }
    }
}

void virt_destroy(VirtMachine *m)
{
    if (!m)
        return;
    cpu_engine_destroy(&m->cpu);
    cpu_destroy(&m->cpu);
    as_destroy(&m->as);
    kernel_image_free(&m->kernel);
    free(m);
}

void virt_print_stats(const VirtMachine *m, FILE *out) { cpu_engine_print_stats(&m->cpu, out); }
