/* virtio over MMIO, version 2 ("modern", virtio 1.x spec §4.2), with split
 * virtqueues (§2.7). The transport owns the registers, the queue state and
 * the interrupt; a device model (virtio_blk.c, virtio_rng.c) supplies its ID,
 * features, configuration space and what happens on a queue notification.
 *
 * Requests are served synchronously inside the guest's QueueNotify write, so
 * a run is deterministic. Guest memory is reached through the physical
 * address space only; a descriptor outside RAM or a malformed chain puts the
 * device into DEVICE_NEEDS_RESET (§2.1.2) instead of touching host memory. */
#ifndef NESTOR_MACHINES_VIRTIO_MMIO_H
#define NESTOR_MACHINES_VIRTIO_MMIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct AddressSpace;

#define VIRTIO_MMIO_SIZE 0x200
#define VIRTIO_MAX_QUEUES 2
#define VIRTIO_QUEUE_MAX 256 /* QueueNumMax of every queue */
#define VIRTIO_CONFIG_MAX 64 /* bytes of device configuration space */
#define VIRTIO_MAX_SEGMENTS 256 /* descriptors in one chain (incl. indirect) */

/* Feature bits of the transport and the rings (§6). */
#define VIRTIO_F_INDIRECT_DESC (1ull << 28)
#define VIRTIO_F_VERSION_1 (1ull << 32)

/* Device status bits (§2.1). */
enum {
    VIRTIO_STATUS_ACKNOWLEDGE = 1, VIRTIO_STATUS_DRIVER = 2, VIRTIO_STATUS_DRIVER_OK = 4,
    VIRTIO_STATUS_FEATURES_OK = 8, VIRTIO_STATUS_NEEDS_RESET = 64, VIRTIO_STATUS_FAILED = 128,
};

typedef struct VirtioMMIO VirtioMMIO;

/* One buffer segment of a request: guest-physical range, device-writable or not. */
typedef struct {
    uint64_t addr;
    uint32_t len;
    bool write;
} VirtioSegment;

/* A request taken from a queue's available ring. */
typedef struct {
    uint16_t head;
    unsigned nsegs;
    VirtioSegment seg[VIRTIO_MAX_SEGMENTS];
    uint64_t in_len, out_len; /* bytes the device may write / may read */
} VirtioRequest;

typedef struct {
    const char *name;
    uint32_t device_id;
    uint64_t features; /* device feature bits; the transport adds VERSION_1 and INDIRECT_DESC */
    unsigned num_queues;
    uint32_t config_size;
    /* The driver wrote QueueNotify for queue q (ready, in range). */
    void (*notify)(VirtioMMIO *t, unsigned q);
    /* Device reset (Status written with 0): forget in-flight state. May be NULL. */
    void (*reset)(VirtioMMIO *t);
} VirtioDeviceOps;

typedef struct {
    uint32_t num;
    bool ready;
    uint64_t desc, avail, used;
    uint16_t last_avail; /* next available-ring entry the device takes */
    uint16_t used_idx;   /* next used-ring entry the device fills */
} VirtQueue;

struct VirtioMMIO {
    const VirtioDeviceOps *ops; /* NULL: an empty slot (DeviceID 0) */
    void *device;               /* the device model's state */
    struct AddressSpace *as;
    void (*set_irq)(void *opaque, bool level);
    void *irq_opaque;
    uint8_t config[VIRTIO_CONFIG_MAX]; /* device configuration space, little-endian */
    uint32_t status, device_features_sel, driver_features_sel, queue_sel, int_status, config_generation;
    uint64_t driver_features;
    VirtQueue vq[VIRTIO_MAX_QUEUES];
    VirtioRequest req; /* the request a device model is serving (one at a time) */
};

/* Sets up a slot: ops NULL for an empty one. set_irq drives the slot's
 * interrupt line (may be NULL until an interrupt controller exists). */
void virtio_mmio_init(VirtioMMIO *t, struct AddressSpace *as, const VirtioDeviceOps *ops, void *device,
                      void (*set_irq)(void *opaque, bool level), void *irq_opaque);
void virtio_mmio_reset(VirtioMMIO *t);
void virtio_mmio_map(VirtioMMIO *t, struct AddressSpace *as, uint64_t base);

/* ---- for device models ---- */
/* Takes the next request from queue q. Returns false when the ring is empty
 * or broken (then the device is marked NEEDS_RESET). */
bool virtq_pop(VirtioMMIO *t, unsigned q, VirtioRequest *req);
/* Copies between a request's buffers and the host, skipping offset bytes of
 * the readable (out) or writable (in) segments. False if a segment is not RAM
 * or the range runs past the buffers. */
bool virtq_read(VirtioMMIO *t, const VirtioRequest *req, uint64_t offset, void *buf, uint64_t len);
bool virtq_write(VirtioMMIO *t, const VirtioRequest *req, uint64_t offset, const void *buf, uint64_t len);
/* Returns a request to the driver with the number of bytes written. */
void virtq_push(VirtioMMIO *t, unsigned q, const VirtioRequest *req, uint32_t written);
/* Signals used buffers (unless the driver suppressed interrupts). */
void virtq_notify(VirtioMMIO *t, unsigned q);
/* Marks the device broken (DEVICE_NEEDS_RESET) and signals a config change. */
void virtio_mmio_set_broken(VirtioMMIO *t, const char *why);

#endif
