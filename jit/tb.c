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

void tb_cache_destroy(TBCache *c)
{
    tb_cache_flush(c);
    free(c->jmp_caches);
    c->jmp_caches = NULL;
    c->njmp_caches = 0;
}

void tb_cache_add_jmp_cache(TBCache *c, TBJmpCache *j)
{
    TBJmpCache **n = realloc(c->jmp_caches, (c->njmp_caches + 1) * sizeof *n);
    if (!n)
        nestor_fatal("out of memory registering a jump cache");
    n[c->njmp_caches++] = j;
    c->jmp_caches = n;
    tb_jmp_cache_clear(j);
}

static unsigned page_hash(uint64_t ppc) { return tb_page_hash(ppc, TB_PAGE_HASH_BITS); }

static void tb_free(TB *tb)
{
    ir_block_free(&tb->ir);
    free(tb);
}

void tb_jmp_cache_clear(TBJmpCache *j)
{
    memset(j->slots, 0, sizeof j->slots);
    memset(j->pages, 0, sizeof j->pages);
}

void tb_jmp_cache_drop_page(TBJmpCache *j, uint64_t vpage, uint64_t size)
{
    if (size == 1ull << TB_PAGE_BITS) {
        unsigned bit = tb_jmp_page_bit(vpage);
        if (!(j->pages[bit / 64] >> (bit % 64) & 1))
            return;
    }
    for (uint64_t pc = vpage; pc - vpage < size; pc += 4) {
        TB **slot = &j->slots[tb_jmp_cache_index(pc)];
        if (*slot && (*slot)->vpc - vpage < size)
            *slot = NULL;
    }
}

/* Chained jumps become meaningless with the code cache: a full flush drops
 * the code too, so nothing is unlinked here. */
void tb_cache_flush(TBCache *c)
{
    for (unsigned k = 0; k < c->njmp_caches; k++)
        tb_jmp_cache_clear(c->jmp_caches[k]);
    for (unsigned i = 0; i < 1u << TB_HASH_BITS; i++) {
        for (TB *tb = c->buckets[i], *next; tb; tb = next) {
            next = tb->hash_next;
            tb_free(tb);
        }
        c->buckets[i] = NULL;
    }
    memset(c->page_buckets, 0, sizeof c->page_buckets);
    c->count = 0;
    if (c->flush)
        c->flush(c->backend);
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
    unsigned p = page_hash(tb->ppc);
    tb->page_next = c->page_buckets[p];
    c->page_buckets[p] = tb;
    c->count++;
    c->translated++;
}

/* Unlinks tb from its hash bucket, its chained jumps and every jump cache,
 * and frees it (the caller has taken it off its page bucket). */
static void tb_drop(TBCache *c, TB *tb)
{
    TB **h = &c->buckets[tb_hash(tb->vpc, tb->ppc, tb->flags)];
    while (*h != tb)
        h = &(*h)->hash_next;
    *h = tb->hash_next;
    if (c->unlink)
        c->unlink(c->backend, tb);
    unsigned jc = tb_jmp_cache_index(tb->vpc);
    for (unsigned k = 0; k < c->njmp_caches; k++)
        if (c->jmp_caches[k]->slots[jc] == tb)
            c->jmp_caches[k]->slots[jc] = NULL;
    tb_free(tb);
    c->count--;
}

/* Drops the blocks in the page buckets of [start, end): each bucket holds
 * the blocks of a few pages, so the cost is the blocks of those pages. */
size_t tb_invalidate_phys(TBCache *c, uint64_t start, uint64_t end)
{
    size_t dropped = 0;
    uint64_t first = start >> TB_PAGE_BITS, last = (end - 1) >> TB_PAGE_BITS;
    if (last - first >= 1u << TB_PAGE_HASH_BITS) /* every bucket */
        last = first + (1u << TB_PAGE_HASH_BITS) - 1;
    for (uint64_t page = first; page <= last; page++) {
        TB **link = &c->page_buckets[page_hash(page << TB_PAGE_BITS)];
        while (*link) {
            TB *tb = *link;
            uint64_t tb_end = tb->ppc + 4ull * tb->ninsns;
            if (tb->ppc >= end || tb_end <= start) {
                link = &tb->page_next;
                continue;
            }
            *link = tb->page_next;
            tb_drop(c, tb);
            dropped++;
        }
    }
    return dropped;
}

size_t tb_invalidate_if(TBCache *c, bool (*drop)(const TB *tb, void *arg), void *arg)
{
    size_t dropped = 0;
    for (unsigned p = 0; p < 1u << TB_PAGE_HASH_BITS; p++) {
        TB **link = &c->page_buckets[p];
        while (*link) {
            TB *tb = *link;
            if (!drop(tb, arg)) {
                link = &tb->page_next;
                continue;
            }
            *link = tb->page_next;
            tb_drop(c, tb);
            dropped++;
        }
    }
    return dropped;
}
