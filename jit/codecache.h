/* The code cache: one memfd mapped twice, writable at one address and
 * executable at another, so that no page is ever writable and executable
 * through the same mapping. Bounded; when full, the owner flushes it whole. */
#ifndef NESTOR_JIT_CODECACHE_H
#define NESTOR_JIT_CODECACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint8_t *rw, *rx;   /* the two views of the same memory */
    size_t size;
    size_t reserved;    /* bytes at the start kept across flushes (trampolines) */
    size_t used;
    size_t populated;   /* bytes from the start whose pages are mapped in both views */
    bool no_populate;   /* the host cannot prefault (madvise refused) */
} CodeCache;

/* Returns false (with errno) if the host refuses the mapping. */
bool code_cache_init(CodeCache *c, size_t size);
void code_cache_destroy(CodeCache *c);
/* Forgets every block; the reserved prefix stays. */
void code_cache_reset(CodeCache *c);
/* Makes sure the pages of the next `ahead` bytes after `used` are mapped,
 * several at a time: one madvise instead of a page fault per 4 KiB page in
 * each view, the writable one while compiling and the executable one at the
 * first run of the code. Only a speed-up: pages it leaves out fault in. */
void code_cache_prefault(CodeCache *c, size_t ahead);

static inline uint8_t *code_cache_rw(const CodeCache *c, const uint8_t *rx) { return c->rw + (rx - c->rx); }
static inline uint8_t *code_cache_rx(const CodeCache *c, const uint8_t *rw) { return c->rx + (rw - c->rw); }

#endif
