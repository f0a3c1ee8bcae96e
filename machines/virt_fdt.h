/* The virt board's device tree (libfdt): generated from the same constants
 * that place the devices, or a -dtb file with /chosen filled in. */
#ifndef NESTOR_MACHINES_VIRT_FDT_H
#define NESTOR_MACHINES_VIRT_FDT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct CPUModel;

/* What the tree describes. */
typedef struct {
    uint64_t ram_base, ram_size;
    const struct CPUModel *cpu_model;
    const uint64_t *mpidr; /* affinity fields of each CPU (MPIDR_EL1 without bit 31) */
    unsigned ncpus;
    bool psci_smc;         /* PSCI conduit: SMC (EL2 present) or HVC */
    const char *bootargs;  /* NULL: none */
    uint64_t initrd_start, initrd_end; /* equal: no initrd */
    uint64_t fb_base, fb_size;         /* fb_size 0: no simple-framebuffer */
    uint32_t fb_width, fb_height, fb_stride;
} VirtFdtInfo;

/* Builds the tree. Returns a malloc'd blob (its size in *size) or NULL with
 * a message in err. */
void *virt_fdt_build(const VirtFdtInfo *info, size_t *size, char *err, size_t errlen);

/* Copies a user's blob (-dtb) with room to spare and sets /chosen bootargs
 * and initrd properties from info, as QEMU does. Returns NULL with a message
 * if the blob is not a valid flattened device tree. */
void *virt_fdt_adopt(const void *blob, size_t blob_size, const VirtFdtInfo *info, size_t *size, char *err,
                     size_t errlen);

#endif
