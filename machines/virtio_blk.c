/* virtio-blk: a raw disk image as a virtio block device (virtio 1.x §5.2).
 * Requests complete synchronously: IN reads the image, OUT writes it (the
 * write has reached the host file when the guest sees it completed), FLUSH
 * is an fsync, GET_ID returns the serial. */
#include <string.h>

#include "machines/virtio_devices.h"

enum { BLK_F_SEG_MAX = 1u << 2, BLK_F_RO = 1u << 5, BLK_F_BLK_SIZE = 1u << 6, BLK_F_FLUSH = 1u << 9 };
enum { BLK_T_IN = 0, BLK_T_OUT = 1, BLK_T_FLUSH = 4, BLK_T_GET_ID = 8 };
enum { BLK_S_OK = 0, BLK_S_IOERR = 1, BLK_S_UNSUPP = 2 };
#define BLK_ID_BYTES 20
#define BLK_HEADER_BYTES 16 /* type, reserved, sector */
/* One request's data is staged in host memory in pieces of this size. */
#define BLK_STAGE sizeof(((VirtioBlk *)0)->stage)

/* Configuration space offsets (struct virtio_blk_config). */
enum { CFG_CAPACITY = 0, CFG_SEG_MAX = 12, CFG_BLK_SIZE = 20, CFG_SIZE = 24 };

static void put_le(uint8_t *p, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint8_t do_io(VirtioMMIO *t, VirtioBlk *b, const VirtioRequest *req, uint32_t type, uint64_t sector)
{
    BlockDev *disk = b->disk;
    uint64_t len = type == BLK_T_IN ? req->in_len - 1 : req->out_len - BLK_HEADER_BYTES;
    if (len % BLOCKDEV_SECTOR || sector > disk->size / BLOCKDEV_SECTOR ||
        len > disk->size - sector * BLOCKDEV_SECTOR)
        return BLK_S_IOERR;
    if (type == BLK_T_OUT && disk->readonly)
        return BLK_S_IOERR;
    uint8_t *stage = b->stage;
    uint64_t offset = sector * BLOCKDEV_SECTOR;
    for (uint64_t done = 0; done < len;) {
        uint64_t n = len - done < BLK_STAGE ? len - done : BLK_STAGE;
        if (type == BLK_T_IN) {
            if (!blockdev_read(disk, offset + done, stage, n) || !virtq_write(t, req, done, stage, n))
                return BLK_S_IOERR;
        } else if (!virtq_read(t, req, BLK_HEADER_BYTES + done, stage, n) ||
                   !blockdev_write(disk, offset + done, stage, n)) {
            return BLK_S_IOERR;
        }
        done += n;
    }
    return BLK_S_OK;
}

static void blk_notify(VirtioMMIO *t, unsigned q)
{
    VirtioBlk *b = t->device;
    VirtioRequest *req = &t->req;
    bool any = false;
    while (virtq_pop(t, q, req)) {
        any = true;
        uint8_t header[BLK_HEADER_BYTES];
        uint8_t status;
        if (req->in_len < 1 || !virtq_read(t, req, 0, header, sizeof header)) {
            /* No room for a status byte or no header: nothing to answer into. */
            virtio_mmio_set_broken(t, "virtio-blk request without header or status byte");
            return;
        }
        uint32_t type = (uint32_t)header[0] | (uint32_t)header[1] << 8 | (uint32_t)header[2] << 16 |
                        (uint32_t)header[3] << 24;
        uint64_t sector = 0;
        for (int i = 15; i >= 8; i--)
            sector = sector << 8 | header[i];
        switch (type) {
        case BLK_T_IN:
        case BLK_T_OUT:
            status = do_io(t, b, req, type, sector);
            break;
        case BLK_T_FLUSH:
            status = blockdev_flush(b->disk) ? BLK_S_OK : BLK_S_IOERR;
            break;
        case BLK_T_GET_ID: {
            uint64_t n = req->in_len - 1 < BLK_ID_BYTES ? req->in_len - 1 : BLK_ID_BYTES;
            status = virtq_write(t, req, 0, b->serial, n) ? BLK_S_OK : BLK_S_IOERR;
            break;
        }
        default:
            status = BLK_S_UNSUPP;
            break;
        }
        /* The status byte is the last byte of the device-writable part. */
        if (!virtq_write(t, req, req->in_len - 1, &status, 1)) {
            virtio_mmio_set_broken(t, "virtio-blk status byte outside RAM");
            return;
        }
        /* Used length: the whole device-writable size, whatever the outcome,
         * as QEMU reports it (drivers read the status byte, not this). */
        virtq_push(t, q, req, (uint32_t)req->in_len);
    }
    if (any)
        virtq_notify(t, q);
}

static const VirtioDeviceOps blk_ops = {
    .name = "virtio-blk",
    .device_id = 2,
    .features = BLK_F_SEG_MAX | BLK_F_BLK_SIZE | BLK_F_FLUSH,
    .num_queues = 1,
    .config_size = CFG_SIZE,
    .notify = blk_notify,
};

static const VirtioDeviceOps blk_ro_ops = {
    .name = "virtio-blk",
    .device_id = 2,
    .features = BLK_F_SEG_MAX | BLK_F_BLK_SIZE | BLK_F_FLUSH | BLK_F_RO,
    .num_queues = 1,
    .config_size = CFG_SIZE,
    .notify = blk_notify,
};

const VirtioDeviceOps *virtio_blk_setup(VirtioBlk *b, VirtioMMIO *t, BlockDev *disk, const char *serial)
{
    b->disk = disk;
    memset(b->serial, 0, sizeof b->serial);
    size_t n = strlen(serial);
    memcpy(b->serial, serial, n < sizeof b->serial ? n : sizeof b->serial); /* 20 bytes, NUL only if shorter */
    memset(t->config, 0, sizeof t->config);
    put_le(t->config + CFG_CAPACITY, disk->size / BLOCKDEV_SECTOR, 8);
    put_le(t->config + CFG_SEG_MAX, VIRTIO_MAX_SEGMENTS - 2, 4); /* header and status take two */
    put_le(t->config + CFG_BLK_SIZE, BLOCKDEV_SECTOR, 4);
    return disk->readonly ? &blk_ro_ops : &blk_ops;
}
