#include "jit/tb.h"

#include <stdlib.h>
#include <string.h>

#include "trace/log.h"

static unsigned tb_hash(uint64_t vpc, uint64_t ppc, uint32_t flags)
{
    uint64_t h = (vpc >> 2) * 0x9e3779b97f4a7c15ull ^ (ppc >> 2) ^ (uint64_t)flags * 0xff51afd7ed558ccdull;
    return (unsigned)(h >> (64 - TB_HASH_BITS));
}

void tb_cache_init(TBCache *c) { memset(c, 0, sizeof *c); }

static void tb_free(TB *tb)
{
    ir_block_free(&tb->ir);
    free(tb);
}

void tb_cache_flush(TBCache *c)
{
    for (unsigned i = 0; i < 1u << TB_HASH_BITS; i++) {
        for (TB *tb = c->buckets[i], *next; tb; tb = next) {
            next = tb->hash_next;
            tb_free(tb);
        }
        c->buckets[i] = NULL;
    }
    c->count = 0;
}

TB *tb_lookup(const TBCache *c, uint64_t vpc, uint64_t ppc, uint32_t flags)
{
    for (TB *tb = c->buckets[tb_hash(vpc, ppc, flags)]; tb; tb = tb->hash_next)
        if (tb->vpc == vpc && tb->ppc == ppc && tb->flags == flags)
            return tb;
    return NULL;
}

TB *tb_new(uint64_t vpc, uint64_t ppc, uint32_t flags)
{
    TB *tb = calloc(1, sizeof *tb);
    if (!tb)
        nestor_fatal("out of memory allocating a translation block");
    tb->vpc = vpc;
    tb->ppc = ppc;
    tb->flags = flags;
    ir_block_init(&tb->ir);
    return tb;
}

void tb_insert(TBCache *c, TB *tb)
{
    unsigned h = tb_hash(tb->vpc, tb->ppc, tb->flags);
    tb->hash_next = c->buckets[h];
    c->buckets[h] = tb;
    c->count++;
    c->translated++;
}

/* Walks the whole table: self-modifying code is rare, and the JIT issue
 * replaces this with per-page lists. */
size_t tb_invalidate_phys(TBCache *c, uint64_t start, uint64_t end)
{
    size_t dropped = 0;
    for (unsigned i = 0; i < 1u << TB_HASH_BITS; i++) {
        TB **link = &c->buckets[i];
        while (*link) {
            TB *tb = *link;
            uint64_t tb_end = tb->ppc + 4ull * tb->ninsns;
            if (tb->ppc < end && tb_end > start) {
                *link = tb->hash_next;
                tb_free(tb);
                c->count--;
                dropped++;
            } else {
                link = &tb->hash_next;
            }
        }
    }
    return dropped;
}
