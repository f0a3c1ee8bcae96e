/* The QEMU-compatible command line, parsed into plain data. Parsing never
 * exits or prints: it returns an error message so that tests can check it
 * and main can report it in the one-line "nestor: ..." form. */
#ifndef NESTOR_CLI_OPTIONS_H
#define NESTOR_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "machines/virt_layout.h"
#include "sysregs/cpu_model.h"

/* What main should do once the command line is parsed. Information requests
 * (-h, --version, -M help, ...) win over running a guest, as in QEMU. */
typedef enum {
    NESTOR_ACTION_RUN,
    NESTOR_ACTION_HELP,
    NESTOR_ACTION_VERSION,
    NESTOR_ACTION_LIST_MACHINES,
    NESTOR_ACTION_LIST_CPUS,
    NESTOR_ACTION_LIST_LOG,
    NESTOR_ACTION_LIST_DEVICES,
    NESTOR_ACTION_DUMP_CPU,  /* --dump-cpu: the configured CPU's ID registers as JSON */
} NestorAction;

#define NESTOR_DEFAULT_MACHINE "virt"
#define NESTOR_DEFAULT_CPU "cortex-a72"
#define NESTOR_DEFAULT_RAM (128ull << 20)
#define NESTOR_DEFAULT_TB_SIZE_MIB 256
#define NESTOR_MAX_TB_SIZE_MIB 2047
#define NESTOR_DEFAULT_TB_SIZE ((uint64_t)NESTOR_DEFAULT_TB_SIZE_MIB << 20)

/* -drive and -device: disks and virtio-mmio devices. */
#define NESTOR_MAX_DRIVES 32
#define NESTOR_MAX_DEVICES VIRT_MMIO_SLOTS /* one virtio-mmio slot each */

typedef struct {
    char id[64];          /* id=; "" for if=virtio drives */
    char file[4096];
    bool readonly, snapshot;
    bool attached;        /* a virtio-blk-device uses it (if=virtio: itself) */
} NestorDrive;

/* -chardev: a host end for a virtconsole. */
#define NESTOR_MAX_CHARDEVS 32
typedef enum { NESTOR_CHARDEV_NULL, NESTOR_CHARDEV_STDIO, NESTOR_CHARDEV_FILE } NestorChardevKind;

typedef struct {
    NestorChardevKind kind;
    char id[64];
    char path[4096];      /* file: path= */
    bool used;            /* a virtconsole has it */
} NestorChardev;

/* virtio-serial-device takes a slot; virtconsole,chardev=ID is its port 0
 * (kept in that device's entry: one port per virtio-serial-device). */
typedef enum { NESTOR_DEVICE_VIRTIO_BLK, NESTOR_DEVICE_VIRTIO_RNG, NESTOR_DEVICE_VIRTIO_SERIAL } NestorDeviceKind;

typedef struct {
    NestorDeviceKind kind;
    unsigned drive;       /* virtio-blk: index into drives[] */
    char serial[21];      /* virtio-blk: serial=, at most 20 characters */
    bool has_console;     /* virtio-serial: a virtconsole is attached */
    char chardev[64];     /* virtio-serial: its chardev= (resolved after parsing) */
    unsigned chardev_index; /* virtio-serial: index into chardevs[] once resolved */
} NestorDevice;

typedef struct {
    NestorAction action;
    const char *machine;     /* always "virt" after a successful parse */
    bool virtualization;     /* -machine virtualization=on: EL2 present, start at EL2 */
    unsigned gic_version;    /* 3 (the only one modelled) */
    const char *cpu;         /* the -cpu argument: MODEL[,property...] */
    CPUModel cpu_model;      /* the model -cpu configures (overrides applied, checked) */
    uint64_t ram_size;       /* bytes */
    unsigned smp_cpus;
    bool gic_a3v;            /* -machine gic-a3v=on */
    unsigned cpus_per_aff3;  /* -machine cpus-per-aff3=N (0: every CPU has Aff3 = 0) */
    const char *kernel;
    const char *append;      /* kernel command line (/chosen bootargs) */
    const char *initrd;      /* -initrd FILE */
    const char *dtb;         /* -dtb FILE */
    const char *dumpdtb;     /* -machine dumpdtb=FILE (NULL or dumpdtb_path) */
    char dumpdtb_path[4096];
    bool no_reboot;
    bool dump_cpu;           /* --dump-cpu */
    bool interp;             /* -accel interp: the IR interpreter instead of the JIT */
    uint64_t tb_size;        /* -accel jit,tb-size=: code cache bytes */
    unsigned passes;         /* -accel jit,passes=: IR passes (jit/opt.h mask) */
    unsigned log_mask;       /* -d categories (trace/log.h) */
    NestorDrive drives[NESTOR_MAX_DRIVES];
    unsigned ndrives;
    NestorDevice devices[NESTOR_MAX_DEVICES]; /* in command-line order */
    unsigned ndevices;
    NestorChardev chardevs[NESTOR_MAX_CHARDEVS];
    unsigned nchardevs;
    bool serial_none;        /* -serial none: the UART is connected to nothing */
    bool snapshot;           /* -snapshot: every drive as snapshot=on */
    bool rtc_fixed;          /* -rtc base=DATE given */
    int64_t rtc_base;        /* its seconds since the Unix epoch (UTC) */
    const char *log_file;    /* -D */
    bool display_sdl;        /* -display sdl: the framebuffer in an SDL2 window */
    const char *screendump;  /* -screendump FILE: the framebuffer as a PPM at exit */
    /* Headless (the default) as said explicitly; -nodefaults is accepted for
     * QEMU compatibility: Nestor creates no default devices. */
    bool nographic, display_none, nodefaults;
} NestorOptions;

/* Parses argv[1..argc-1] into *opts (argv[0] is the program name). On error
 * writes a message naming the offending option (no "nestor: " prefix, no
 * newline) into err and returns false. Does not check that files exist. */
bool nestor_parse_options(int argc, char *const argv[], NestorOptions *opts, char *err, size_t errlen);

/* Parses a QEMU -m size: plain number = MiB, K/M/G/T suffixes (either case).
 * Returns false on syntax errors, zero and overflow. */
bool nestor_parse_size(const char *text, uint64_t *bytes);

/* Prints -h output: every option, one line each. */
void nestor_print_help(FILE *out);
void nestor_print_machines(FILE *out);
void nestor_print_devices(FILE *out);

#endif
