#define _GNU_SOURCE
#include "jit/codecache.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

bool code_cache_init(CodeCache *c, size_t size)
{
    memset(c, 0, sizeof *c);
    int fd = memfd_create("nestor-code-cache", MFD_CLOEXEC);
    if (fd < 0)
        return false;
    if (ftruncate(fd, (off_t)size) != 0) {
        close(fd);
        return false;
    }
    void *rw = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    void *rx = rw == MAP_FAILED ? MAP_FAILED : mmap(NULL, size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    close(fd); /* the mappings keep the memory */
    if (rx == MAP_FAILED) {
        if (rw != MAP_FAILED)
            munmap(rw, size);
        return false;
    }
    c->rw = rw;
    c->rx = rx;
    c->size = size;
    return true;
}

void code_cache_destroy(CodeCache *c)
{
    if (c->rw) {
        munmap(c->rw, c->size);
        munmap(c->rx, c->size);
    }
    memset(c, 0, sizeof *c);
}

void code_cache_reset(CodeCache *c) { c->used = c->reserved; }

/* Pages mapped per madvise: large enough to make the call's cost vanish,
 * small enough not to map memory a short run never uses. */
#define PREFAULT_CHUNK ((size_t)1 << 20)

void code_cache_prefault(CodeCache *c, size_t ahead)
{
#if defined(MADV_POPULATE_WRITE) && defined(MADV_POPULATE_READ)
    if (c->no_populate || c->used + ahead <= c->populated || c->populated >= c->size)
        return;
    size_t from = c->populated, to = (c->used + ahead + PREFAULT_CHUNK - 1) & ~(PREFAULT_CHUNK - 1);
    if (to > c->size)
        to = c->size;
    if (madvise(c->rw + from, to - from, MADV_POPULATE_WRITE) != 0 ||
        madvise(c->rx + from, to - from, MADV_POPULATE_READ) != 0) {
        c->no_populate = true; /* an older kernel: pages fault in one by one */
        return;
    }
    c->populated = to;
#else
    (void)c, (void)ahead;
#endif
}
