/* Device models behind virtio-mmio slots. */
#ifndef NESTOR_MACHINES_VIRTIO_DEVICES_H
#define NESTOR_MACHINES_VIRTIO_DEVICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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

/* virtio-console (§5.3) with port 0 only (no VIRTIO_CONSOLE_F_MULTIPORT,
 * so no control queues): queue 0 receives, queue 1 transmits. Output is
 * written and flushed inside the guest's QueueNotify write, so it lands at
 * a fixed point of the run; input waits in a small buffer until the driver
 * offers a receive buffer. */
#define VIRTIO_CONSOLE_INPUT 256

typedef struct {
    FILE *out;       /* port 0's output (the chardev); NULL: discarded */
    uint8_t in[VIRTIO_CONSOLE_INPUT]; /* host bytes not yet in a receive buffer */
    unsigned in_head, in_count;
} VirtioConsole;

const VirtioDeviceOps *virtio_console_setup(VirtioConsole *c, VirtioMMIO *t, FILE *out);
/* Bytes the input buffer can take now. */
unsigned virtio_console_rx_room(const VirtioConsole *c);
/* Queues host input for port 0 and passes what fits to the driver's buffers. */
void virtio_console_receive(VirtioMMIO *t, const uint8_t *buf, size_t n);

#endif
