/* Device tree of the virt board, with the node names, compatibles and
 * properties QEMU's virt uses, so that kernels see the same machine. Nodes
 * for devices Nestor does not model yet (ITS, fw-cfg, flash, PCIe)
 * come with those devices. */
#include "machines/virt_fdt.h"

#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machines/pl011.h"
#include "sysregs/id_fields.h"
#include "machines/pl031.h"
#include "machines/virtio_mmio.h"
#include "cpu/psci.h"
#include "machines/virt.h"
#include "sysregs/sysreg_fields.h"
#include "sysregs/cpu_model.h"
#include "trace/log.h"

#define FDT_MAX_SIZE (64u << 10)
#define APB_CLOCK_HZ 24000000u
#define PHANDLE_APB_CLOCK 0x8000u
#define PHANDLE_GIC 0x8001u
/* The GIC binding's interrupt specifier: <type number flags>. */
#define GIC_FDT_SPI 0u
#define GIC_FDT_PPI 1u
#define GIC_FDT_EDGE_RISING 1u
#define GIC_FDT_LEVEL_HIGH 4u


typedef struct {
    void *fdt;
    int err;
} Tree;

static int node(Tree *t, int parent, const char *name)
{
    if (t->err)
        return -1;
    int n = fdt_add_subnode(t->fdt, parent, name);
    if (n < 0)
        t->err = n;
    return n;
}

static void prop(Tree *t, int n, const char *name, const void *value, int len)
{
    if (!t->err) {
        int rc = fdt_setprop(t->fdt, n, name, value, len);
        if (rc < 0)
            t->err = rc;
    }
}

static void prop_str(Tree *t, int n, const char *name, const char *s) { prop(t, n, name, s, (int)strlen(s) + 1); }

/* A string list: the strings separated by NULs (sizeof of the literal). */
#define PROP_STRS(t, n, name, lit) prop(t, n, name, lit, (int)sizeof lit)

static void prop_u32(Tree *t, int n, const char *name, uint32_t v)
{
    fdt32_t be = cpu_to_fdt32(v);
    prop(t, n, name, &be, sizeof be);
}

static void prop_u64(Tree *t, int n, const char *name, uint64_t v)
{
    fdt64_t be = cpu_to_fdt64(v);
    prop(t, n, name, &be, sizeof be);
}

/* reg = <address size> with two cells each (the root's #address-cells and
 * #size-cells). */
static void prop_reg(Tree *t, int n, uint64_t addr, uint64_t size)
{
    fdt64_t cells[2] = {cpu_to_fdt64(addr), cpu_to_fdt64(size)};
    prop(t, n, "reg", cells, sizeof cells);
}

static void chosen(Tree *t, int n, const VirtFdtInfo *info)
{
    if (info->bootargs)
        prop_str(t, n, "bootargs", info->bootargs);
    if (info->initrd_end > info->initrd_start) {
        prop_u64(t, n, "linux,initrd-start", info->initrd_start);
        prop_u64(t, n, "linux,initrd-end", info->initrd_end);
    }
}

static void cpus(Tree *t, const VirtFdtInfo *info)
{
    int n = node(t, 0, "cpus");
    bool aff3 = false;
    for (unsigned i = 0; i < info->ncpus; i++)
        aff3 |= (info->mpidr[i] >> 32 & 0xff) != 0;
    prop_u32(t, n, "#address-cells", aff3 ? 2 : 1);
    prop_u32(t, n, "#size-cells", 0);
    /* added last-first: libfdt puts each new subnode first, Linux numbers
     * CPUs in tree order */
    for (unsigned i = info->ncpus; i-- > 0;) {
        uint64_t reg = info->mpidr[i] & MPIDR_AFF_MASK;
        char name[32];
        snprintf(name, sizeof name, "cpu@%llx", (unsigned long long)reg);
        int c = node(t, n, name);
        prop_str(t, c, "device_type", "cpu");
        prop_str(t, c, "compatible", info->cpu_model->dt_compatible);
        if (aff3)
            prop_u64(t, c, "reg", reg);
        else
            prop_u32(t, c, "reg", (uint32_t)reg);
        if (info->ncpus > 1)
            prop_str(t, c, "enable-method", "psci");
    }
}

static void psci(Tree *t, const VirtFdtInfo *info)
{
    int n = node(t, 0, "psci");
    PROP_STRS(t, n, "compatible", "arm,psci-1.0\0arm,psci-0.2\0arm,psci");
    prop_str(t, n, "method", info->psci_smc ? "smc" : "hvc");
    /* the legacy "arm,psci" binding's IDs: the 64-bit forms, as QEMU lists them */
    prop_u32(t, n, "cpu_suspend", PSCI_CPU_SUSPEND_64);
    prop_u32(t, n, "cpu_off", PSCI_CPU_OFF);
    prop_u32(t, n, "cpu_on", PSCI_CPU_ON_64);
    prop_u32(t, n, "migrate", PSCI_MIGRATE_64);
}

/* An interrupts property of n <type number flags> triples (level-high). */
static void prop_irqs(Tree *t, int n, unsigned type, const unsigned *numbers, unsigned count, unsigned flags)
{
    fdt32_t cells[3 * 8];
    for (unsigned i = 0; i < count; i++) {
        cells[3 * i] = cpu_to_fdt32(type);
        cells[3 * i + 1] = cpu_to_fdt32(numbers[i]);
        cells[3 * i + 2] = cpu_to_fdt32(flags);
    }
    prop(t, n, "interrupts", cells, (int)(3 * count * sizeof cells[0]));
}

/* The GICv3 as QEMU describes it: one redistributor region of QEMU's fixed
 * size, the maintenance interrupt. */
static void gic(Tree *t)
{
    char name[32];
    snprintf(name, sizeof name, "intc@%llx", (unsigned long long)VIRT_GICD_BASE);
    int n = node(t, 0, name);
    prop_u32(t, n, "#interrupt-cells", 3);
    prop(t, n, "interrupt-controller", NULL, 0);
    prop_u32(t, n, "#address-cells", 2);
    prop_u32(t, n, "#size-cells", 2);
    prop(t, n, "ranges", NULL, 0);
    prop_str(t, n, "compatible", "arm,gic-v3");
    prop_u32(t, n, "#redistributor-regions", 1);
    fdt64_t reg[4] = {cpu_to_fdt64(VIRT_GICD_BASE), cpu_to_fdt64(GICD_MMIO_SIZE), cpu_to_fdt64(VIRT_GICR_BASE),
                      cpu_to_fdt64(VIRT_GICR_MAX_SIZE)};
    prop(t, n, "reg", reg, sizeof reg);
    unsigned maint = VIRT_PPI_GIC_MAINTENANCE;
    prop_irqs(t, n, GIC_FDT_PPI, &maint, 1, GIC_FDT_LEVEL_HIGH);
    prop_u32(t, n, "phandle", PHANDLE_GIC);
}

/* The Generic Timer's PPIs in the binding's order: secure EL1 physical (not
 * modelled, QEMU's number), EL1 physical, EL1 virtual, EL2 physical. QEMU 7.2
 * lists no EL2 virtual timer (PPI 12), so neither does Nestor. */
static void timer(Tree *t)
{
    int n = node(t, 0, "timer");
    PROP_STRS(t, n, "compatible", "arm,armv8-timer\0arm,armv7-timer");
    prop(t, n, "always-on", NULL, 0);
    const unsigned ppis[] = {VIRT_PPI_TIMER_SECURE, VIRT_PPI_TIMER_PHYS, VIRT_PPI_TIMER_VIRT, VIRT_PPI_TIMER_HYP_PHYS};
    prop_irqs(t, n, GIC_FDT_PPI, ppis, 4, GIC_FDT_LEVEL_HIGH);
}

/* The PMUv3 overflow interrupt, as QEMU's virt lists it for a CPU with a PMU. */
static void pmu(Tree *t)
{
    int n = node(t, 0, "pmu");
    prop_str(t, n, "compatible", "arm,armv8-pmuv3");
    const unsigned ppi = VIRT_PPI_PMU;
    prop_irqs(t, n, GIC_FDT_PPI, &ppi, 1, GIC_FDT_LEVEL_HIGH);
}

static void uart(Tree *t, char *path, size_t pathlen)
{
    int clk = node(t, 0, "apb-pclk");
    prop_str(t, clk, "compatible", "fixed-clock");
    prop_u32(t, clk, "#clock-cells", 0);
    prop_u32(t, clk, "clock-frequency", APB_CLOCK_HZ);
    prop_str(t, clk, "clock-output-names", "clk24mhz");
    prop_u32(t, clk, "phandle", PHANDLE_APB_CLOCK);

    snprintf(path, pathlen, "/pl011@%llx", (unsigned long long)VIRT_UART_BASE);
    int n = node(t, 0, path + 1);
    PROP_STRS(t, n, "compatible", "arm,pl011\0arm,primecell");
    prop_reg(t, n, VIRT_UART_BASE, PL011_MMIO_SIZE);
    unsigned spi = VIRT_UART_SPI;
    prop_irqs(t, n, GIC_FDT_SPI, &spi, 1, GIC_FDT_LEVEL_HIGH);
    fdt32_t clocks[2] = {cpu_to_fdt32(PHANDLE_APB_CLOCK), cpu_to_fdt32(PHANDLE_APB_CLOCK)};
    prop(t, n, "clocks", clocks, sizeof clocks);
    PROP_STRS(t, n, "clock-names", "uartclk\0apb_pclk");
}

static void rtc(Tree *t)
{
    char name[32];
    snprintf(name, sizeof name, "pl031@%llx", (unsigned long long)VIRT_RTC_BASE);
    int n = node(t, 0, name);
    PROP_STRS(t, n, "compatible", "arm,pl031\0arm,primecell");
    prop_reg(t, n, VIRT_RTC_BASE, PL031_MMIO_SIZE);
    unsigned spi = VIRT_RTC_SPI;
    prop_irqs(t, n, GIC_FDT_SPI, &spi, 1, GIC_FDT_LEVEL_HIGH);
    prop_u32(t, n, "clocks", PHANDLE_APB_CLOCK);
    prop_str(t, n, "clock-names", "apb_pclk");
}

/* Every slot gets a node, filled or not (an empty one reads DeviceID 0).
 * Added highest address first: libfdt puts each new node first, so the
 * tree lists them lowest address first, as QEMU's does. */
static void virtio_slots(Tree *t)
{
    for (unsigned slot = VIRT_MMIO_SLOTS; slot-- > 0;) {
        uint64_t base = VIRT_MMIO_BASE + slot * (uint64_t)VIRTIO_MMIO_SIZE;
        char name[40];
        snprintf(name, sizeof name, "virtio_mmio@%llx", (unsigned long long)base);
        int n = node(t, 0, name);
        prop_str(t, n, "compatible", "virtio,mmio");
        prop_reg(t, n, base, VIRTIO_MMIO_SIZE);
        unsigned spi = VIRT_MMIO_SPI + slot;
        prop_irqs(t, n, GIC_FDT_SPI, &spi, 1, GIC_FDT_EDGE_RISING);
        prop(t, n, "dma-coherent", NULL, 0);
    }
}

/* The simple-framebuffer binding (Documentation/devicetree/bindings/
 * display/simple-framebuffer.yaml): Linux's simplefb/simpledrm probe it
 * as a platform device at the root. */
static void framebuffer(Tree *t, const VirtFdtInfo *info)
{
    if (!info->fb_size)
        return;
    char name[40];
    snprintf(name, sizeof name, "framebuffer@%llx", (unsigned long long)info->fb_base);
    int n = node(t, 0, name);
    prop_str(t, n, "compatible", "simple-framebuffer");
    prop_reg(t, n, info->fb_base, info->fb_size);
    prop_u32(t, n, "width", info->fb_width);
    prop_u32(t, n, "height", info->fb_height);
    prop_u32(t, n, "stride", info->fb_stride);
    prop_str(t, n, "format", "a8r8g8b8");
}

/* Packs the tree and hands it over, or frees it and reports the first error. */
static void *finish(Tree *t, const char *what, size_t *size, char *err, size_t errlen)
{
    if (!t->err)
        t->err = fdt_pack(t->fdt);
    if (t->err) {
        error_format(err, errlen, "%s: %s", what, fdt_strerror(t->err));
        free(t->fdt);
        return NULL;
    }
    *size = fdt_totalsize(t->fdt);
    return t->fdt;
}

void *virt_fdt_build(const VirtFdtInfo *info, size_t *size, char *err, size_t errlen)
{
    Tree t = {.fdt = calloc(1, FDT_MAX_SIZE)};
    if (!t.fdt) {
        error_format(err, errlen, "cannot allocate the device tree");
        return NULL;
    }
    t.err = fdt_create_empty_tree(t.fdt, FDT_MAX_SIZE);
    prop_str(&t, 0, "compatible", "linux,dummy-virt");
    prop_str(&t, 0, "model", "Nestor virt");
    prop_u32(&t, 0, "#address-cells", 2);
    prop_u32(&t, 0, "#size-cells", 2);
    prop_u32(&t, 0, "interrupt-parent", PHANDLE_GIC);

    char uart_path[48];
    framebuffer(&t, info);
    virtio_slots(&t);
    rtc(&t);
    timer(&t);
    if (id_field_get(info->cpu_model->values, IDF_ID_AA64DFR0_EL1_PMUVer) != 0)
        pmu(&t);
    gic(&t);
    uart(&t, uart_path, sizeof uart_path);
    psci(&t, info);
    cpus(&t, info);
    char name[40];
    snprintf(name, sizeof name, "memory@%llx", (unsigned long long)info->ram_base);
    int mem = node(&t, 0, name);
    prop_str(&t, mem, "device_type", "memory");
    prop_reg(&t, mem, info->ram_base, info->ram_size);
    int aliases = node(&t, 0, "aliases");
    prop_str(&t, aliases, "serial0", uart_path);
    int ch = node(&t, 0, "chosen");
    prop_str(&t, ch, "stdout-path", uart_path);
    chosen(&t, ch, info);
    return finish(&t, "cannot build the device tree", size, err, errlen);
}

void *virt_fdt_adopt(const void *blob, size_t blob_size, const VirtFdtInfo *info, size_t *size, char *err,
                     size_t errlen)
{
    int rc = blob_size >= sizeof(struct fdt_header) ? fdt_check_header(blob) : -FDT_ERR_TRUNCATED;
    if (rc == 0 && fdt_totalsize(blob) > blob_size)
        rc = -FDT_ERR_TRUNCATED;
    if (rc == 0)
        rc = fdt_check_full(blob, blob_size);
    if (rc < 0) {
        error_format(err, errlen, "not a valid flattened device tree (%s)", fdt_strerror(rc));
        return NULL;
    }
    size_t room = blob_size + 4096 + (info->bootargs ? strlen(info->bootargs) : 0);
    Tree t = {.fdt = malloc(room)};
    if (!t.fdt) {
        error_format(err, errlen, "cannot allocate memory for the device tree");
        return NULL;
    }
    t.err = fdt_open_into(blob, t.fdt, (int)room);
    int ch = t.err ? -1 : fdt_path_offset(t.fdt, "/chosen");
    if (!t.err && ch == -FDT_ERR_NOTFOUND)
        ch = node(&t, 0, "chosen");
    else if (!t.err && ch < 0)
        t.err = ch;
    chosen(&t, ch, info);
    return finish(&t, "cannot update its /chosen node", size, err, errlen);
}
