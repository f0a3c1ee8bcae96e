/* The virt board: RAM, PL011, GICv3, N CPUs, and the loop that runs them:
 * round-robin on one host thread in fixed instruction quanta, so that runs
 * are deterministic. The other devices: virt_devices.c. */
#include "machines/virt.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cpu/psci.h"
#include "machines/virt_fdt.h"
#include "sysregs/cpu_model.h"
#include "sysregs/sysreg_fields.h"
#include "trace/log.h"

/* Instructions per cpu_run call: large for one CPU, since the loop only has
 * to come back here for power-state changes; with several, the quantum each
 * CPU runs before the next one's turn (what another CPU's store, SGI or
 * CPU_ON waits at most). */
#define RUN_BUDGET (1ull << 30)
#define SMP_QUANTUM (1ull << 12)
/* With console input, one CPU still returns to the board this often (about
 * 4 ms of virtual time) so that typed keys reach the UART. */
#define INPUT_QUANTUM (1ull << 22)

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
    uint64_t mpidr[GIC_MAX_CPUS];
    for (unsigned i = 0; i < m->ncpus; i++)
        mpidr[i] = m->cpus[i].mp_affinity;
    VirtFdtInfo info = {
        .ram_base = VIRT_RAM_BASE,
        .ram_size = m->config.ram_size,
        .cpu_model = m->config.cpu_model,
        .mpidr = mpidr,
        .ncpus = m->ncpus,
        .psci_smc = m->config.virtualization,
        .bootargs = m->config.append,
        .initrd_start = initrd_start,
        .initrd_end = initrd_end,
        .fb_base = VIRT_FB_BASE,
        .fb_size = m->fb.pixels ? m->fb.size : 0,
        .fb_width = m->fb.width,
        .fb_height = m->fb.height,
        .fb_stride = m->fb.stride,
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

/* MPIDR affinity of CPU i, as QEMU's virt with a GICv3: clusters of 16
 * (the GICv3 SGI target list width): Aff0 = i % 16, Aff1 = i / 16; with
 * -M cpus-per-aff3=N, Aff3 = i / N and the rest counts within the group.
 * A model whose MPIDR has MT = 1 (neoverse-n1/v1) says Aff0 numbers the
 * threads of a core (Arm ARM D19.2 MPIDR_EL1.MT): each core has one
 * thread, so Aff0 = 0 and the core's number moves up one level (Aff1 =
 * i % 16, Aff2 = i / 16). MPIDR, GICR_TYPER, the DT's cpu reg and PSCI
 * targets all come from this one function. */
static uint64_t cpu_affinity(const VirtConfig *c, unsigned i)
{
    uint64_t aff3 = 0;
    if (c->aff3_cpus) {
        aff3 = i / c->aff3_cpus;
        i %= c->aff3_cpus;
    }
    uint64_t core = (uint64_t)(i / 16) << 8 | i % 16;
    bool mt = c->cpu_model->values[SR_MPIDR_EL1] & MPIDR_MT;
    return aff3 << 32 | (mt ? core << 8 : core);
}

static void gic_update(void *opaque, unsigned cpu);

/* Puts one CPU into its reset state at entry (the board-level part:
 * EL2, conduit, affinity, wiring, then the architectural reset). */
static void reset_cpu(VirtMachine *m, CPUState *cpu, uint64_t entry)
{
    cpu->has_el2 = m->config.virtualization;
    cpu->psci_conduit = m->config.virtualization ? PSCI_CONDUIT_SMC : PSCI_CONDUIT_HVC;
    cpu->mp_affinity = cpu_affinity(&m->config, cpu->index);
    cpu_reset(cpu, m->config.virtualization ? 2 : 1, entry);
}

/* Puts images into RAM and the CPUs into their reset state: used at
 * power-on and on every guest-requested reset, as QEMU's system reset does.
 * CPU 0 starts at the kernel; the others stay off until PSCI CPU_ON. */
static void virt_reset(VirtMachine *m)
{
    pl011_reset(&m->uart);
    virt_devices_reset(m);
    gicv3_reset(&m->gic);
    m->now = 0;
    for (unsigned i = 0; i < m->ncpus; i++) {
        reset_cpu(m, &m->cpus[i], 0);
        m->cpu_on[i] = i == 0;
    }
    for (unsigned i = 0; i < m->ncpus; i++)
        gic_update(m, i); /* the GIC's reset drops every CPU's IRQ/FIQ input */
    uint64_t dtb_addr;
    uint64_t entry = load_images(m, &dtb_addr);
    CPUState *cpu = &m->cpus[0];
    cpu->pc = entry;
    /* The Linux boot protocol: x0 = the DTB's physical address, x1..x3 = 0
     * (cpu_reset zeroed them). Bare-metal images start with x0 = 0, as
     * QEMU starts them. */
    cpu->x[0] = m->kernel.kind == KERNEL_LINUX ? dtb_addr : 0;
}

/* ---- wiring ---- */

static void gic_update(void *opaque, unsigned cpu)
{
    VirtMachine *m = opaque;
    bool irq, fiq, virq, vfiq;
    gicv3_cpu_lines(&m->gic, cpu, &irq, &fiq);
    gicv3_virt_lines(&m->gic, cpu, &virq, &vfiq);
    cpu_set_irq_line(&m->cpus[cpu], CPU_LINE_IRQ, irq);
    cpu_set_irq_line(&m->cpus[cpu], CPU_LINE_FIQ, fiq);
    cpu_set_irq_line(&m->cpus[cpu], CPU_LINE_VIRQ, virq);
    cpu_set_irq_line(&m->cpus[cpu], CPU_LINE_VFIQ, vfiq);
}

static void timer_output(void *opaque, unsigned cpu, CPUTimerId timer, bool level)
{
    static const unsigned ppi[TIMER_COUNT] = {
        [TIMER_PHYS] = VIRT_PPI_INTID(VIRT_PPI_TIMER_PHYS), [TIMER_VIRT] = VIRT_PPI_INTID(VIRT_PPI_TIMER_VIRT),
        [TIMER_HYP_PHYS] = VIRT_PPI_INTID(VIRT_PPI_TIMER_HYP_PHYS),
        [TIMER_HYP_VIRT] = VIRT_PPI_INTID(VIRT_PPI_TIMER_HYP_VIRT)};
    VirtMachine *m = opaque;
    gicv3_set_ppi(&m->gic, cpu, ppi[timer], level);
}

static void pmu_output(void *opaque, unsigned cpu, bool level)
{
    VirtMachine *m = opaque;
    gicv3_set_ppi(&m->gic, cpu, VIRT_PPI_INTID(VIRT_PPI_PMU), level);
}

static int find_cpu(const VirtMachine *m, uint64_t mpidr)
{
    for (unsigned i = 0; i < m->ncpus; i++)
        if (m->cpus[i].mp_affinity == mpidr)
            return (int)i;
    return -1;
}

/* PSCI CPU_ON: the target starts as after reset, at the boot EL (the
 * highest EL the guest has, as QEMU's built-in PSCI does), at entry with
 * x0 = context. Its time starts at the scheduler's current round. */
static int64_t board_cpu_on(void *board, CPUState *caller, uint64_t mpidr, uint64_t entry, uint64_t context)
{
    (void)caller;
    VirtMachine *m = board;
    int i = find_cpu(m, mpidr);
    if (i < 0)
        return PSCI_INVALID_PARAMETERS;
    if (m->cpu_on[i])
        return PSCI_ALREADY_ON;
    CPUState *cpu = &m->cpus[i];
    reset_cpu(m, cpu, entry);
    cpu->x[0] = context;
    cpu->icount = cpu->idle = m->now;
    cpu_timer_update(cpu);
    m->cpu_on[i] = true;
    if (log_enabled(LOG_INT))
        log_printf("psci: CPU_ON cpu%d at 0x%016" PRIx64 "\n", i, entry);
    return PSCI_SUCCESS;
}

static int64_t board_affinity_info(void *board, uint64_t mpidr)
{
    VirtMachine *m = board;
    int i = find_cpu(m, mpidr);
    if (i < 0)
        return PSCI_INVALID_PARAMETERS;
    return m->cpu_on[i] ? PSCI_AFFINITY_ON : PSCI_AFFINITY_OFF;
}

static void board_send_event(void *board)
{
    VirtMachine *m = board;
    for (unsigned i = 0; i < m->ncpus; i++)
        m->cpus[i].event = true;
}

static const CPUBoardOps board_ops = {
    .cpu_on = board_cpu_on, .affinity_info = board_affinity_info, .send_event = board_send_event};

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
    unsigned ncpus = config->ncpus ? config->ncpus : 1;
    if (ncpus > GIC_MAX_CPUS)
        nestor_fatal("-smp %u: the virt board supports at most %d CPUs", ncpus, GIC_MAX_CPUS);
    VirtMachine *m = calloc(1, sizeof *m);
    /* aligned: the TLB entries inside are cache-line sized and aligned */
    size_t bytes = (ncpus * sizeof(CPUState) + _Alignof(CPUState) - 1) / _Alignof(CPUState) * _Alignof(CPUState);
    CPUState *cpus = aligned_alloc(_Alignof(CPUState), bytes);
    bool *on = calloc(ncpus, sizeof *on);
    if (!m || !cpus || !on)
        nestor_fatal("cannot allocate the machine: %s", strerror(errno));
    memset(cpus, 0, bytes);
    m->config = *config;
    m->ncpus = ncpus;
    m->cpus = cpus;
    m->cpu_on = on;

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
    m->as.cpus = cpus;
    m->as.ncpus = ncpus;
    pl011_init(&m->uart, config->serial_none ? NULL : stdout);
    m->uart.irq = virt_spi_line_set;
    m->uart.irq_opaque = virt_spi_line(m, VIRT_UART_SPI);
    pl011_map(&m->uart, &m->as, VIRT_UART_BASE);

    uint64_t affinity[GIC_MAX_CPUS];
    for (unsigned i = 0; i < ncpus; i++)
        affinity[i] = cpu_affinity(config, i);
    if (ncpus * GICR_FRAME_SIZE > VIRT_GICR_MAX_SIZE)
        nestor_fatal("-smp %u: more CPUs than the virt board's redistributor region holds (%llu)", ncpus,
                     VIRT_GICR_MAX_SIZE / GICR_FRAME_SIZE);
    if (!gicv3_init(&m->gic, ncpus, affinity, VIRT_GIC_SPIS, config->gic_a3v, err, sizeof err))
        nestor_fatal("-machine virt: %s", err);
    m->gic.update = gic_update;
    m->gic.update_opaque = m;
    m->gic.maintenance_intid = VIRT_PPI_INTID(VIRT_PPI_GIC_MAINTENANCE);
    gicv3_map(&m->gic, &m->as, VIRT_GICD_BASE, VIRT_GICR_BASE);

    for (unsigned i = 0; i < ncpus; i++) {
        CPUState *cpu = &cpus[i];
        cpu_init(cpu, config->cpu_model, &m->as, i);
        cpu->gic = &m->gic;
        cpu->timer_output = timer_output;
        cpu->pmu_output = pmu_output;
        cpu->timer_opaque = m;
        cpu->board_ops = &board_ops;
        cpu->board = m;
    }
    virt_devices_create(m);
    if (config->framebuffer) {
        if (!framebuffer_init(&m->fb, VIRT_FB_WIDTH, VIRT_FB_HEIGHT))
            nestor_fatal("cannot allocate the framebuffer: %s", strerror(errno));
        framebuffer_map(&m->fb, &m->as, VIRT_FB_BASE);
    }
    m->serial_in.fd = -1;
    if (config->dumpdtb) {
        for (unsigned i = 0; i < ncpus; i++)
            reset_cpu(m, &cpus[i], 0);
        dump_device_tree(m);
    }
    if (config->display_sdl) {
        m->display = display_sdl_open(&m->fb, err, sizeof err);
        if (!m->display)
            nestor_fatal("-display sdl: %s", err);
    }
    if (config->serial_stdin || m->stdin_console >= 0)
        host_serial_open(&m->serial_in);
    engine_init(&m->engine, &config->engine);
    for (unsigned i = 0; i < ncpus; i++)
        cpu_engine_attach(&cpus[i], &m->engine);
    virt_reset(m);
    return m;
}

/* When every running CPU waits in WFI with nothing pending, time jumps to
 * the earliest timer deadline (DESIGN.md §5). */
static void skip_idle_time(VirtMachine *m)
{
    uint64_t next = ~0ull;
    for (unsigned i = 0; i < m->ncpus; i++) {
        CPUState *cpu = &m->cpus[i];
        if (!m->cpu_on[i])
            continue;
        if (!cpu->halted || cpu_wakeup_pending(cpu))
            return;
        if (cpu->timer_deadline < next)
            next = cpu->timer_deadline;
    }
    if (next == ~0ull || next <= m->now + SMP_QUANTUM)
        return;
    next -= SMP_QUANTUM; /* the round starting there reaches the deadline */
    for (unsigned i = 0; i < m->ncpus; i++) {
        CPUState *cpu = &m->cpus[i];
        if (m->cpu_on[i] && cpu->icount < next) {
            cpu->idle += next - cpu->icount;
            cpu->icount = next;
        }
    }
    m->now = next;
}

/* Every running CPU waits for an interrupt. */
static bool all_idle(const VirtMachine *m)
{
    for (unsigned i = 0; i < m->ncpus; i++)
        if (m->cpu_on[i] && (!m->cpus[i].halted || cpu_wakeup_pending(&m->cpus[i])))
            return false;
    return true;
}

/* Moves typed bytes into the UART (or the virtio-console that owns stdin). An idle guest on a terminal waits for
 * them in real time (about one quantum), so that it does not spin through
 * its timer ticks faster than the wall clock; without a terminal (tests,
 * pipes) nothing waits and runs stay deterministic. Returns false when the
 * user asked to quit (Ctrl-A x). */
static bool feed_serial(VirtMachine *m)
{
    HostSerial *in = &m->serial_in;
    if (in->fd < 0)
        return true;
    VirtioMMIO *console = m->stdin_console >= 0 ? &m->virtio[m->stdin_console] : NULL;
    unsigned room = console ? virtio_console_rx_room(console->device) : pl011_rx_room(&m->uart);
    int wait_ms = in->terminal && all_idle(m) ? (int)(INPUT_QUANTUM / 1000000) : 0;
    uint8_t buf[VIRTIO_CONSOLE_INPUT];
    size_t n = host_serial_read(in, buf, room < sizeof buf ? room : sizeof buf, room ? wait_ms : 0);
    if (console)
        virtio_console_receive(console, buf, n);
    else
        for (size_t k = 0; k < n; k++)
            pl011_receive(&m->uart, buf[k]);
    return !in->quit;
}

static uint64_t host_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Redraws the window when a refresh period of host time has passed.
 * Returns false once the user closed it. */
static bool refresh_display(VirtMachine *m)
{
    if (!m->display)
        return true;
    uint64_t now = host_ns();
    if (now < m->next_refresh_ns)
        return true;
    m->next_refresh_ns = now + DISPLAY_REFRESH_NS;
    return display_refresh(m->display);
}

int virt_run(VirtMachine *m)
{
    for (;;) {
        pl031_update(&m->rtc); /* the RTC's match interrupt as virtual time passes */
        if (!refresh_display(m))
            return 0; /* closing the window is a power-off */
        if (!feed_serial(m)) {
            fprintf(stderr, "\r\nnestor: terminated (Ctrl-A x)\r\n");
            return 0;
        }
        /* A window is redrawn between quanta: one CPU comes back as often as
         * for input. Decided by the framebuffer, not the window, so that a
         * run with -display sdl and one with only -screendump are the same. */
        uint64_t quantum = m->ncpus > 1                               ? SMP_QUANTUM
                           : m->serial_in.fd >= 0 || m->fb.pixels ? INPUT_QUANTUM
                                                                      : RUN_BUDGET;
        if (m->ncpus > 1)
            skip_idle_time(m);
        uint64_t end = m->now + quantum;
        bool any_on = false;
        for (unsigned i = 0; i < m->ncpus; i++) {
            CPUState *cpu = &m->cpus[i];
            if (!m->cpu_on[i] || cpu->icount >= end)
                continue;
            switch (cpu_run(cpu, end - cpu->icount)) {
            case CPU_EXIT_BUDGET:
                break;
            case CPU_EXIT_CPU_OFF:
                m->cpu_on[i] = false;
                break;
            case CPU_EXIT_POWEROFF:
                return 0;
            case CPU_EXIT_RESET:
                if (m->config.no_reboot)
                    return 0;
                if (log_enabled(LOG_INT))
                    log_printf("virt: guest requested a system reset\n");
                virt_reset(m);
                goto next_round;
            }
        }
        m->now = end;
        for (unsigned i = 0; i < m->ncpus; i++)
            any_on |= m->cpu_on[i];
        if (!any_on) { /* the last CPU turned itself off: nothing can run again */
            if (log_enabled(LOG_INT))
                log_printf("psci: every CPU is off: powering off\n");
            return 0;
        }
    next_round:;
    }
}

void virt_destroy(VirtMachine *m)
{
    if (!m)
        return;
    host_serial_close(&m->serial_in);
    display_close(m->display);
    framebuffer_destroy(&m->fb);
    virt_devices_destroy(m);
    engine_destroy(&m->engine);
    for (unsigned i = 0; i < m->ncpus; i++)
        cpu_destroy(&m->cpus[i]);
    free(m->cpus);
    free(m->cpu_on);
    as_destroy(&m->as);
    kernel_image_free(&m->kernel);
    kernel_image_free(&m->initrd);
    kernel_image_free(&m->dtb);
    free(m);
}

bool virt_screendump(const VirtMachine *m)
{
    char err[4200];
    if (!m->config.screendump || !m->fb.pixels)
        return true;
    if (framebuffer_write_ppm(&m->fb, m->config.screendump, err, sizeof err))
        return true;
    fprintf(stderr, "nestor: -screendump: %s\n", err);
    return false;
}

void virt_print_stats(const VirtMachine *m, FILE *out)
{
    engine_print_stats(&m->engine, m->cpus, m->ncpus, out);
}
