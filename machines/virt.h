/* The QEMU-compatible "virt" board: memory map and CPU set-up as QEMU's
 * hw/arm/virt.c, so guests built for QEMU run unchanged. */
#ifndef NESTOR_MACHINES_VIRT_H
#define NESTOR_MACHINES_VIRT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu/cpu.h"
#include "gic/gicv3.h"
#include "machines/loader.h"
#include "machines/pl011.h"
#include "mmu/physmem.h"

/* The regions Nestor models; QEMU's other virt regions are simply absent
 * (accesses take an external abort). */
#define VIRT_GICD_BASE 0x08000000ull
#define VIRT_GICR_BASE 0x080a0000ull
#define VIRT_GICR_MAX_SIZE 0xf60000ull /* QEMU's first redistributor region: 123 CPUs */
#define VIRT_UART_BASE 0x09000000ull
#define VIRT_RAM_BASE 0x40000000ull
/* Interrupts, as QEMU's virt: the UART on SPI 1, the timers' PPIs and the
 * GIC maintenance interrupt (PPI 9), as INTIDs. */
#define VIRT_SPI_UART (32 + 1)
#define VIRT_PPI_TIMER_HYP_VIRT (16 + 12)
#define VIRT_PPI_TIMER_PHYS (16 + 14)
#define VIRT_PPI_TIMER_VIRT (16 + 11)
#define VIRT_PPI_TIMER_HYP_PHYS (16 + 10)
#define VIRT_PPI_GIC_MAINTENANCE (16 + 9)
#define VIRT_GIC_SPIS 256
/* QEMU's low-memory RAM window ends at 256 GiB. */
#define VIRT_RAM_MAX (255ull << 30)

struct CPUModel;

typedef struct {
    const struct CPUModel *cpu_model;
    uint64_t ram_size;
    bool virtualization; /* EL2 present; start at EL2; PSCI over SMC */
    const char *kernel;
    const char *append;  /* /chosen bootargs */
    const char *initrd;  /* NULL: none */
    const char *dtb;     /* NULL: generate the device tree */
    const char *dumpdtb; /* write the device tree here and exit (-M dumpdtb=) */
    bool no_reboot;
    unsigned ncpus;      /* -smp: 1..GIC_MAX_CPUS (0 means 1) */
    bool gic_a3v;        /* -M gic-a3v=on: the GIC supports affinity level 3 */
    unsigned aff3_cpus;  /* -M cpus-per-aff3=N: CPUs i get Aff3 = i / N (0: all Aff3 0) */
    EngineConfig engine;
} VirtConfig;

/* One machine object owns all of its state (DESIGN.md §1). Large: allocate it. */
typedef struct {
    VirtConfig config;
    AddressSpace as;
    PL011 uart;
    KernelImage kernel;
    KernelImage initrd; /* size 0: none */
    KernelImage dtb;    /* -dtb file; size 0: generated */
    GICv3 gic;
    unsigned ncpus;
    CPUState *cpus;     /* ncpus of them (cache-line aligned: their TLBs are) */
    bool *cpu_on;       /* PSCI power state of each CPU */
    uint64_t now;       /* scheduler time (icount units) all CPUs have reached */
} VirtMachine;

/* Builds the board and loads the kernel, initrd and device tree. User errors
 * (RAM too large, files unreadable, not fitting or malformed) end in
 * nestor_fatal. With config->dumpdtb, writes the device tree and exits. */
VirtMachine *virt_create(const VirtConfig *config);
/* Runs the guest until it powers off (or resets under -no-reboot); returns
 * the process exit status. */
int virt_run(VirtMachine *m);
void virt_destroy(VirtMachine *m);
/* Engine statistics (-d stats). */
void virt_print_stats(const VirtMachine *m, FILE *out);

#endif
