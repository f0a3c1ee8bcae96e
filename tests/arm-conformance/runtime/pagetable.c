/*
 * Translation tables for the tests that turn the MMU on: VMSAv8-64 stage 1
 * tables with a 4, 16 or 64 KiB granule (DDI 0487 D8.2), built in a static
 * pool.  Identity-mapped, so table addresses are physical addresses.
 */
#include "runtime.h"

#define POOL_SIZE (384u * 1024)

static uint8_t pool[POOL_SIZE] __attribute__((aligned(65536)));
static size_t pool_used;

void pt_pool_reset(void) { pool_used = 0; }

static unsigned stride(const struct pt *pt) { return pt->granule_bits - 3; }
static uint64_t table_bytes(const struct pt *pt) { return 1ul << pt->granule_bits; }

/* log2 of the size one entry maps at a level. */
static unsigned level_shift(const struct pt *pt, unsigned level)
{
    return pt->granule_bits + (3 - level) * stride(pt);
}

static uint64_t *new_table(const struct pt *pt)
{
    size_t bytes = table_bytes(pt);
    size_t at = (pool_used + bytes - 1) & ~(bytes - 1);
    if (at + bytes > POOL_SIZE) {
        printf("FAIL page-table pool exhausted\n");
        rt_failures++;
        system_off();
    }
    pool_used = at + bytes;
    uint64_t *t = (uint64_t *)(pool + at);
    for (size_t i = 0; i < bytes / 8; i++) /* word stores: the byte-wise memset is slow to emulate */
        t[i] = 0;
    return t;
}

void pt_init(struct pt *pt, unsigned granule_bits, unsigned va_bits)
{
    pt->granule_bits = granule_bits;
    pt->va_bits = va_bits;
    unsigned levels = (va_bits - granule_bits + stride(pt) - 1) / stride(pt);
    pt->start_level = 4 - levels;
    pt->root = new_table(pt);
}

static unsigned index_at(const struct pt *pt, unsigned level, uint64_t va)
{
    unsigned width = level == pt->start_level ? pt->va_bits - level_shift(pt, level) : stride(pt);
    return (unsigned)((va >> level_shift(pt, level)) & ((1ul << width) - 1));
}

/* Block mappings exist at level 1 (4 KiB granule) and level 2 (all). */
static bool block_allowed(const struct pt *pt, unsigned level)
{
    return level == 2 || (level == 1 && pt->granule_bits == 12);
}

#define PTE_ADDR_MASK 0x0000fffffffff000ul

void pt_map(struct pt *pt, uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs)
{
    while (size) {
        uint64_t *table = pt->root;
        unsigned level = pt->start_level;
        for (;;) {
            uint64_t *e = &table[index_at(pt, level, va)];
            uint64_t span = 1ul << level_shift(pt, level);
            bool aligned = ((va | pa) & (span - 1)) == 0 && size >= span;
            bool is_table = (*e & (PTE_VALID | PTE_TABLE)) == (PTE_VALID | PTE_TABLE);
            if (level == 3 || (block_allowed(pt, level) && aligned && !is_table)) {
                *e = (pa & PTE_ADDR_MASK) | attrs | PTE_VALID | (level == 3 ? PTE_TABLE : 0);
                va += span, pa += span, size -= span;
                break;
            }
            if (!is_table) /* (a block here would be replaced by the table) */
                *e = (uint64_t)new_table(pt) | PTE_VALID | PTE_TABLE;
            table = (uint64_t *)(*e & PTE_ADDR_MASK);
            level++;
        }
    }
}

uint64_t *pt_leaf(struct pt *pt, uint64_t va, unsigned *level_out)
{
    uint64_t *table = pt->root;
    for (unsigned level = pt->start_level;; level++) {
        uint64_t *e = &table[index_at(pt, level, va)];
        *level_out = level;
        if (level == 3 || (*e & (PTE_VALID | PTE_TABLE)) != (PTE_VALID | PTE_TABLE))
            return e;
        table = (uint64_t *)(*e & PTE_ADDR_MASK);
    }
}

unsigned pt_tg0(const struct pt *pt)
{
    return pt->granule_bits == 12 ? 0 : pt->granule_bits == 16 ? 1 : 2;
}

unsigned pt_tg1(const struct pt *pt)
{
    return pt->granule_bits == 12 ? 2 : pt->granule_bits == 16 ? 3 : 1;
}
