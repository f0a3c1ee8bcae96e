/* Device models behind virtio-mmio slots. */
#ifndef NESTOR_MACHINES_VIRTIO_DEVICES_H
#define NESTOR_MACHINES_VIRTIO_DEVICES_H

#include <stdint.h>

#include "machines/blockdev.h"
#include "machines/virtio_mmio.h"

/* virtio-blk (virtio 1.x §5.2) on an open BlockDev (owned by the caller). */
typedef struct {
    BlockDev *disk;
    char serial[20]; /* VIRTIO_BLK_T_GET_ID answer, NUL-padded */
    uint8_t stage[65536]; /* request data on its way between guest and file */
} VirtioBlk;

/* Fills the slot's configuration space and returns the device's ops. */
const VirtioDeviceOps *virtio_blk_setup(VirtioBlk *b, VirtioMMIO *t, BlockDev *disk, const char *serial);

/* virtio-rng (§5.4). The bytes come from a seeded generator, not the host's
 * entropy: a run is reproducible (the guest only needs them unpredictable
 * to itself). */
typedef struct {
    uint64_t state;
} VirtioRng;

const VirtioDeviceOps *virtio_rng_setup(VirtioRng *r, uint64_t seed);

#endif
