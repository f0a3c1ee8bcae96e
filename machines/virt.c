/* The virt board: RAM, PL011, one CPU, and the power-state loop (the other
 * devices: virt_devices.c). */
#include "machines/virt.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "machines/virt_fdt.h"
#include "sysregs/cpu_model.h"
#include "trace/log.h"

/* Instructions per cpu_run call: large, since the loop only has to come back
 * here for power-state changes. */
#define RUN_BUDGET (1ull << 30)

#define MIB (1ull << 20)

static uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

/* Copies an image to guest physical addr. */
static void put_image(VirtMachine *m, const char *what, uint64_t addr, const void *data, uint64_t size)
{
    uint64_t ram_end = VIRT_RAM_BASE + m->config.ram_size;
    if (addr < VIRT_RAM_BASE || addr > ram_end || size > ram_end - addr || !as_write_bytes(&m->as, addr, data, size))
        nestor_fatal("%s (%" PRIu64 " bytes) does not fit in RAM at 0x%" PRIx64 " (%" PRIu64 " MiB of RAM; try a "
                     "larger -m)", what, size, addr, m->config.ram_size >> 20);
}

/* The device tree for this boot, as a malloc'd blob. */
static void *device_tree(VirtMachine *m, uint64_t initrd_start, uint64_t initrd_end, size_t *size)
{
    uint64_t mpidr = m->cpu.mp_affinity;
    VirtFdtInfo info = {
        .ram_base = VIRT_RAM_BASE,
        .ram_size = m->config.ram_size,
        .cpu_model = m->config.cpu_model,
        .mpidr = &mpidr,
        .ncpus = 1,
        .psci_smc = m->cpu.psci_conduit == PSCI_CONDUIT_SMC,
        .bootargs = m->config.append,
        .initrd_start = initrd_start,
        .initrd_end = initrd_end,
    };
    char err[256];
    void *fdt = m->dtb.size ? virt_fdt_adopt(m->dtb.data, m->dtb.size, &info, size, err, sizeof err)
                            : virt_fdt_build(&info, size, err, sizeof err);
    if (!fdt)
        nestor_fatal("%s%s%s%s", m->dtb.size ? "-dtb " : "", m->dtb.size ? m->dtb.path : "", m->dtb.size ? ": " : "", err);
    return fdt;
}

/* Places kernel, initrd and device tree as QEMU does for its virt board: a
 * Linux Image at its header's offset, the initrd page-aligned at the larger
 * of half the RAM (at most 128 MiB) and the kernel's end, the DTB 2 MiB
 * aligned after both (Linux wants it 8-byte aligned within one 2 MiB
 * block). Bare-metal images get the DTB at the start of RAM when it is free,
 * as QEMU's virt does. Returns the kernel entry; *dtb_addr the DTB's. */
static uint64_t load_images(VirtMachine *m, uint64_t *dtb_addr)
{
    char err[512];
    KernelPlacement k;
    if (!kernel_image_load(&m->kernel, &m->as, VIRT_RAM_BASE, m->config.ram_size, &k, err, sizeof err))
        nestor_fatal("%s", err);
    uint64_t ram_size = m->config.ram_size, ram_end = VIRT_RAM_BASE + ram_size;
    uint64_t initrd_start = 0, initrd_end = 0, high = k.end;
    if (m->initrd.size) {
        uint64_t low = VIRT_RAM_BASE + (ram_size / 2 < 128 * MIB ? ram_size / 2 : 128 * MIB);
        initrd_start = align_up(k.end > low ? k.end : low, 4096);
        if (initrd_start >= ram_end || m->initrd.size > ram_end - initrd_start)
            nestor_fatal("initrd '%s' (%" PRIu64 " bytes) does not fit in RAM after the kernel (from 0x%" PRIx64
                         ", %" PRIu64 " MiB of RAM; try a larger -m)", m->initrd.path, m->initrd.size, initrd_start,
                         ram_size >> 20);
        put_image(m, "initrd", initrd_start, m->initrd.data, m->initrd.size);
        initrd_end = high = initrd_start + m->initrd.size;
    }
    size_t fdt_size;
    void *fdt = device_tree(m, initrd_start, initrd_end, &fdt_size);
    bool is_linux = m->kernel.kind == KERNEL_LINUX;
    if (!is_linux && k.start >= VIRT_RAM_BASE + fdt_size)
        *dtb_addr = VIRT_RAM_BASE;
    else
        *dtb_addr = align_up(high, 2 * MIB);
    if (is_linux && fdt_size > 2 * MIB)
        nestor_fatal("-dtb %s: %zu bytes, more than the 2 MiB Linux accepts", m->dtb.path, fdt_size);
    if (*dtb_addr >= ram_end || fdt_size > ram_end - *dtb_addr) {
        if (is_linux)
            nestor_fatal("no room for the device tree after the kernel and initrd (%" PRIu64 " MiB of RAM; try a "
                         "larger -m)", ram_size >> 20);
        *dtb_addr = 0; /* a bare-metal image filling RAM: no tree, as for QEMU's */
    } else {
        put_image(m, "device tree", *dtb_addr, fdt, fdt_size);
    }
    free(fdt);
    return k.entry;
}

/* Puts images into RAM and the CPU into its reset state: used at power-on
 * and on every guest-requested reset, as QEMU's system reset does. */
static void virt_reset(VirtMachine *m)
{
    pl011_reset(&m->uart);
    virt_devices_reset(m);
    CPUState *cpu = &m->cpu;
    cpu->has_el2 = m->config.virtualization;
    cpu->psci_conduit = m->config.virtualization ? PSCI_CONDUIT_SMC : PSCI_CONDUIT_HVC;
    cpu->mp_affinity = cpu->index; /* Aff0 = CPU index, all in cluster 0 */
    uint64_t dtb_addr;
    uint64_t entry = load_images(m, &dtb_addr);
    cpu_reset(cpu, m->config.virtualization ? 2 : 1, entry);
    /* The Linux boot protocol: x0 = the DTB's physical address, x1..x3 = 0
     * (cpu_reset zeroed them). Bare-metal images start with x0 = 0, as
     * QEMU starts them. */
    cpu->x[0] = m->kernel.kind == KERNEL_LINUX ? dtb_addr : 0;
}

static void dump_device_tree(VirtMachine *m)
{
    size_t size;
    void *fdt = device_tree(m, 0, 0, &size);
    FILE *f = fopen(m->config.dumpdtb, "wb");
    bool ok = f && fwrite(fdt, 1, size, f) == size;
    if (f && fclose(f) != 0)
        ok = false;
    free(fdt);
    if (!ok)
        nestor_fatal("-machine dumpdtb=%s: cannot write the device tree: %s", m->config.dumpdtb, strerror(errno));
    exit(0);
}

VirtMachine *virt_create(const VirtConfig *config)
{
    if (config->ram_size > VIRT_RAM_MAX)
        nestor_fatal("-m: %" PRIu64 " MiB of RAM is more than the virt board's %llu GiB", config->ram_size >> 20,
                     VIRT_RAM_MAX >> 30);
    /* aligned: the TLB entries inside are cache-line sized and aligned */
    size_t bytes = (sizeof(VirtMachine) + _Alignof(VirtMachine) - 1) / _Alignof(VirtMachine) * _Alignof(VirtMachine);
    VirtMachine *m = aligned_alloc(_Alignof(VirtMachine), bytes);
    if (m)
        memset(m, 0, sizeof *m);
    if (!m)
        nestor_fatal("cannot allocate the machine: %s", strerror(errno));
    m->config = *config;

    char err[512];
    if (config->kernel && !kernel_image_read(&m->kernel, config->kernel, err, sizeof err))
        nestor_fatal("%s", err);
    if (config->initrd && !host_file_read(&m->initrd, "initrd", config->initrd, err, sizeof err))
        nestor_fatal("%s", err);
    if (config->dtb && !host_file_read(&m->dtb, "dtb", config->dtb, err, sizeof err))
        nestor_fatal("%s", err);

    as_init(&m->as);
    if (!as_add_ram(&m->as, "ram", VIRT_RAM_BASE, config->ram_size))
        nestor_fatal("cannot allocate %" PRIu64 " MiB of guest RAM (-m): try a smaller size", config->ram_size >> 20);
    pl011_init(&m->uart, stdout);
    pl011_map(&m->uart, &m->as, VIRT_UART_BASE);

    cpu_init(&m->cpu, config->cpu_model, &m->as, 0);
    virt_devices_create(m);
    if (config->dumpdtb) {
        m->cpu.psci_conduit = config->virtualization ? PSCI_CONDUIT_SMC : PSCI_CONDUIT_HVC;
        dump_device_tree(m);
    }
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
    virt_devices_destroy(m);
    cpu_engine_destroy(&m->cpu);
    cpu_destroy(&m->cpu);
    as_destroy(&m->as);
    kernel_image_free(&m->kernel);
    kernel_image_free(&m->initrd);
    kernel_image_free(&m->dtb);
    free(m);
}

void virt_print_stats(const VirtMachine *m, FILE *out) { cpu_engine_print_stats(&m->cpu, out); }
