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
#include "machines/blockdev.h"
#include "machines/display.h"
#include "machines/framebuffer.h"
#include "machines/host_serial.h"
#include "machines/pl011.h"
#include "machines/pl031.h"
#include "machines/virtio_devices.h"
#include "machines/virtio_mmio.h"
#include "mmu/physmem.h"
#include "machines/virt_layout.h"


struct CPUModel;

/* A device on a virtio-mmio slot (-device). Slots fill from the highest
 * address down, as on QEMU's virt: the first -device gets slot 31. */
typedef enum { VIRT_DEVICE_VIRTIO_BLK, VIRT_DEVICE_VIRTIO_RNG, VIRT_DEVICE_VIRTIO_CONSOLE } VirtDeviceKind;

/* Where a virtio-console's port 0 goes (-chardev): nowhere, the host's
 * stdout (and stdin when the UART does not take it), or a file. */
typedef enum { VIRT_CHARDEV_NULL, VIRT_CHARDEV_STDIO, VIRT_CHARDEV_FILE } VirtChardevKind;

typedef struct {
    VirtDeviceKind kind;
    const char *file;     /* virtio-blk: raw image */
    bool readonly;        /* virtio-blk: the guest may not write */
    bool snapshot;        /* virtio-blk: writes stay in memory, the file is untouched */
    const char *serial;   /* virtio-blk: GET_ID answer ("" if none) */
    VirtChardevKind chardev; /* virtio-console: its port 0's backend */
    const char *path;     /* virtio-console: VIRT_CHARDEV_FILE's file (created or truncated) */
} VirtDeviceConfig;

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
    bool serial_stdin;   /* the UART receives the host's stdin */
    bool serial_none;    /* -serial none: the UART is connected to nothing (output dropped) */
    unsigned ncpus;      /* -smp: 1..GIC_MAX_CPUS (0 means 1) */
    bool gic_a3v;        /* -M gic-a3v=on: the GIC supports affinity level 3 */
    unsigned aff3_cpus;  /* -M cpus-per-aff3=N: CPUs i get Aff3 = i / N (0: all Aff3 0) */
    EngineConfig engine;
    VirtDeviceConfig devices[VIRT_MMIO_SLOTS];
    unsigned ndevices;
    uint64_t rtc_base;   /* PL031 wall-clock seconds at power-on */
    bool framebuffer;    /* a simple-framebuffer at VIRT_FB_BASE (with display_sdl or screendump) */
    bool display_sdl;    /* -display sdl: show it in a window */
    const char *screendump; /* write it as a PPM file at exit (NULL: no) */
} VirtConfig;

/* One machine object owns all of its state (DESIGN.md §1). Large: allocate it. */
typedef struct VirtMachine {
    VirtConfig config;
    AddressSpace as;
    PL011 uart;
    HostSerial serial_in; /* the host's stdin: the UART's input, or a stdio virtio-console's */
    PL031 rtc;
    VirtioMMIO virtio[VIRT_MMIO_SLOTS]; /* slot i at VIRT_MMIO_BASE + i * VIRTIO_MMIO_SIZE */
    BlockDev disks[VIRT_MMIO_SLOTS];
    VirtioBlk blk[VIRT_MMIO_SLOTS];
    VirtioRng rng[VIRT_MMIO_SLOTS];
    VirtioConsole console[VIRT_MMIO_SLOTS];
    FILE *console_file[VIRT_MMIO_SLOTS]; /* -chardev file outputs, closed at exit */
    int stdin_console;    /* the slot whose console reads stdin; -1: none (the UART may) */
    /* The opaque argument of each device's set_irq callback: its SPI. */
    struct VirtSPILine {
        struct VirtMachine *m;
        unsigned spi;
    } spi_line[VIRT_MMIO_SPI + VIRT_MMIO_SLOTS]; /* indexed by SPI */
    Framebuffer fb;       /* pixels NULL: none */
    Display *display;     /* -display sdl's window; NULL: headless */
    uint64_t next_refresh_ns; /* host monotonic time of the window's next redraw */
    KernelImage kernel;
    KernelImage initrd; /* size 0: none */
    KernelImage dtb;    /* -dtb file; size 0: generated */
    GICv3 gic;
    unsigned ncpus;
    CPUState *cpus;     /* ncpus of them (cache-line aligned: their TLBs are) */
    Engine engine;      /* their shared blocks and JIT */
    bool *cpu_on;       /* PSCI power state of each CPU */
    uint64_t now;       /* scheduler time (icount units) all CPUs have reached */
} VirtMachine;

/* Devices of the board beyond the UART (virt_devices.c): the RTC and the
 * virtio-mmio slots with their -device models. */
void virt_devices_create(VirtMachine *m);
void virt_devices_reset(VirtMachine *m);
/* Makes completed disk writes durable and closes the images. */
void virt_devices_destroy(VirtMachine *m);
/* A device's interrupt output: sets SPI spi's input level at the GIC. */
void virt_set_spi(VirtMachine *m, unsigned spi, bool level);
/* The same as a device callback (set_irq(opaque, level)): virt_spi_line
 * gives the opaque argument for SPI spi. */
void virt_spi_line_set(void *opaque, bool level);
void *virt_spi_line(VirtMachine *m, unsigned spi);

/* Builds the board and loads the kernel, initrd and device tree. User errors
 * (RAM too large, files unreadable, not fitting or malformed) end in
 * nestor_fatal. With config->dumpdtb, writes the device tree and exits. */
VirtMachine *virt_create(const VirtConfig *config);
/* Runs the guest until it powers off (or resets under -no-reboot); returns
 * the process exit status. */
int virt_run(VirtMachine *m);
void virt_destroy(VirtMachine *m);
/* Writes the framebuffer to config->screendump (if set); false with a
 * message on stderr if the file cannot be written. */
bool virt_screendump(const VirtMachine *m);
/* Engine statistics (-d stats). */
void virt_print_stats(const VirtMachine *m, FILE *out);

#endif
