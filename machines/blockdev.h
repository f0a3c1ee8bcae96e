/* A raw disk image behind a block device model (-drive format=raw).
 *
 * Writes go to the file with pwrite as the guest issues them and a guest
 * flush is an fsync, so a write the guest saw completed survives Nestor
 * exiting; snapshot=on keeps every write in memory instead and leaves the
 * file untouched. */
#ifndef NESTOR_MACHINES_BLOCKDEV_H
#define NESTOR_MACHINES_BLOCKDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BLOCKDEV_SECTOR 512u

typedef struct BlockOverlay BlockOverlay;

typedef struct {
    char path[4096];
    int fd;
    uint64_t size;      /* bytes the guest can address: the file size rounded down to sectors */
    bool readonly;
    BlockOverlay *overlay; /* snapshot=on: written chunks, NULL otherwise */
} BlockDev;

/* Opens path (read-only when readonly or snapshot is set). On failure writes
 * a message naming the file into err and returns false. */
bool blockdev_open(BlockDev *bd, const char *path, bool readonly, bool snapshot, char *err, size_t errlen);
void blockdev_close(BlockDev *bd);
/* Byte-range I/O inside [0, size); false on a host I/O error or a range
 * outside the disk (the device reports an I/O error to the guest). */
bool blockdev_read(BlockDev *bd, uint64_t offset, void *buf, size_t len);
bool blockdev_write(BlockDev *bd, uint64_t offset, const void *buf, size_t len);
/* Makes completed writes durable (fsync; nothing to do for a snapshot). */
bool blockdev_flush(BlockDev *bd);

#endif
