/* Raw image files for the block devices (blockdev.h). */
#include "machines/blockdev.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* snapshot=on: chunks of the disk that were written, in an open-addressing
 * hash table keyed by chunk number. Chunks are copied in from the file on
 * their first write, so reads of a chunk come wholly from one place. */
#define CHUNK_BITS 12
#define CHUNK_SIZE (1u << CHUNK_BITS)

typedef struct {
    uint64_t key; /* chunk number + 1; 0 = empty slot */
    uint8_t *data;
} OverlaySlot;

struct BlockOverlay {
    OverlaySlot *slots;
    size_t capacity, used; /* capacity: a power of two */
};

static size_t slot_of(const BlockOverlay *o, uint64_t key)
{
    size_t i = (size_t)(key * 0x9e3779b97f4a7c15ull) & (o->capacity - 1);
    while (o->slots[i].key && o->slots[i].key != key)
        i = (i + 1) & (o->capacity - 1);
    return i;
}

static uint8_t *overlay_find(const BlockOverlay *o, uint64_t chunk)
{
    return o->slots[slot_of(o, chunk + 1)].data;
}

static bool overlay_grow(BlockOverlay *o)
{
    size_t capacity = o->capacity ? o->capacity * 2 : 1024;
    OverlaySlot *old = o->slots, *slots = calloc(capacity, sizeof *slots);
    if (!slots)
        return false;
    size_t old_capacity = o->capacity;
    o->slots = slots;
    o->capacity = capacity;
    for (size_t i = 0; i < old_capacity; i++)
        if (old[i].key)
            o->slots[slot_of(o, old[i].key)] = old[i];
    free(old);
    return true;
}

/* pread/pwrite of the whole range (they may transfer less than asked). */
static bool io_full(int fd, bool write, void *buf, size_t len, uint64_t offset)
{
    uint8_t *p = buf;
    while (len) {
        ssize_t n = write ? pwrite(fd, p, len, (off_t)offset) : pread(fd, p, len, (off_t)offset);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        p += n, len -= (size_t)n, offset += (uint64_t)n;
    }
    return true;
}

static bool pread_full(int fd, void *buf, size_t len, uint64_t offset) { return io_full(fd, false, buf, len, offset); }

static bool pwrite_full(int fd, const void *buf, size_t len, uint64_t offset)
{
    return io_full(fd, true, (void *)buf, len, offset);
}

/* The overlay copy of a chunk, created from the file on first use. */
static uint8_t *overlay_chunk(BlockDev *bd, uint64_t chunk)
{
    BlockOverlay *o = bd->overlay;
    uint8_t *data = overlay_find(o, chunk);
    if (data)
        return data;
    if ((o->used + 1) * 2 > o->capacity && !overlay_grow(o))
        return NULL;
    data = calloc(1, CHUNK_SIZE);
    if (!data)
        return NULL;
    uint64_t start = chunk << CHUNK_BITS;
    uint64_t len = bd->size - start < CHUNK_SIZE ? bd->size - start : CHUNK_SIZE;
    if (!pread_full(bd->fd, data, (size_t)len, start)) {
        free(data);
        return NULL;
    }
    OverlaySlot *s = &o->slots[slot_of(o, chunk + 1)];
    s->key = chunk + 1;
    s->data = data;
    o->used++;
    return data;
}

bool blockdev_open(BlockDev *bd, const char *path, bool readonly, bool snapshot, char *err, size_t errlen)
{
    memset(bd, 0, sizeof *bd);
    bd->fd = -1;
    snprintf(bd->path, sizeof bd->path, "%s", path);
    bd->readonly = readonly;
    int fd = open(path, readonly || snapshot ? O_RDONLY : O_RDWR);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(err, errlen, "cannot open disk image '%s'%s: %s", path,
                 !readonly && !snapshot && errno == EACCES ? " for writing (use readonly=on or snapshot=on)" : "",
                 strerror(errno));
        if (fd >= 0)
            close(fd);
        return false;
    }
    if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
        snprintf(err, errlen, "disk image '%s' is not a regular file or block device", path);
        close(fd);
        return false;
    }
    uint64_t size = (uint64_t)st.st_size;
    if (S_ISBLK(st.st_mode)) {
        off_t end = lseek(fd, 0, SEEK_END);
        size = end > 0 ? (uint64_t)end : 0;
    }
    bd->fd = fd;
    bd->size = size / BLOCKDEV_SECTOR * BLOCKDEV_SECTOR;
    if (snapshot) {
        bd->overlay = calloc(1, sizeof *bd->overlay);
        if (!bd->overlay || !overlay_grow(bd->overlay)) {
            snprintf(err, errlen, "out of memory for the snapshot of '%s'", path);
            blockdev_close(bd);
            return false;
        }
    }
    return true;
}

void blockdev_close(BlockDev *bd)
{
    if (bd->overlay) {
        for (size_t i = 0; i < bd->overlay->capacity; i++)
            free(bd->overlay->slots[i].data);
        free(bd->overlay->slots);
        free(bd->overlay);
        bd->overlay = NULL;
    }
    if (bd->fd >= 0)
        close(bd->fd);
    bd->fd = -1;
}

static bool in_range(const BlockDev *bd, uint64_t offset, size_t len)
{
    return offset <= bd->size && len <= bd->size - offset;
}

bool blockdev_read(BlockDev *bd, uint64_t offset, void *buf, size_t len)
{
    if (!in_range(bd, offset, len))
        return false;
    if (!bd->overlay)
        return pread_full(bd->fd, buf, len, offset);
    uint8_t *p = buf;
    while (len) {
        uint64_t chunk = offset >> CHUNK_BITS, within = offset & (CHUNK_SIZE - 1);
        size_t n = CHUNK_SIZE - within < len ? CHUNK_SIZE - within : len;
        const uint8_t *data = overlay_find(bd->overlay, chunk);
        if (data)
            memcpy(p, data + within, n);
        else if (!pread_full(bd->fd, p, n, offset))
            return false;
        p += n, len -= n, offset += n;
    }
    return true;
}

bool blockdev_write(BlockDev *bd, uint64_t offset, const void *buf, size_t len)
{
    if (bd->readonly || !in_range(bd, offset, len))
        return false;
    if (!bd->overlay)
        return pwrite_full(bd->fd, buf, len, offset);
    const uint8_t *p = buf;
    while (len) {
        uint64_t chunk = offset >> CHUNK_BITS, within = offset & (CHUNK_SIZE - 1);
        size_t n = CHUNK_SIZE - within < len ? CHUNK_SIZE - within : len;
        uint8_t *data = overlay_chunk(bd, chunk);
        if (!data)
            return false;
        memcpy(data + within, p, n);
        p += n, len -= n, offset += n;
    }
    return true;
}

bool blockdev_flush(BlockDev *bd)
{
    if (bd->overlay || bd->readonly)
        return true;
    return fsync(bd->fd) == 0;
}
