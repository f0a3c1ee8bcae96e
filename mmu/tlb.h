/* The soft TLB: per translation context (mmu index), direct-mapped by virtual
 * page. Engines look it up inline (DESIGN.md §3); misses go to mmu/access.c.
 *
 * An entry's addr_read/addr_write/addr_code hold the page's virtual address
 * for accesses of that kind that may take the fast path, or TLB_NO_MATCH.
 * Low bits stay clear so that the fast-path compare (tlb_fast_match) also
 * rejects accesses that are not naturally aligned: such accesses always take
 * the slow path, which applies the memory type's alignment rules. */
#ifndef NESTOR_MMU_TLB_H
#define NESTOR_MMU_TLB_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "mmu/walk.h"

#define PAGE_BITS 12
#define PAGE_SIZE (1ull << PAGE_BITS)
#define PAGE_MASK (~(PAGE_SIZE - 1))

#define TLB_BITS 12
#define TLB_ENTRIES (1u << TLB_BITS)
#define TLB_NO_MATCH (~0ull)

/* Translation contexts. EL0 also serves unprivileged (LDTR/STTR) accesses. */
typedef enum { MMU_IDX_EL0, MMU_IDX_EL1, MMU_IDX_EL2, MMU_IDX_COUNT } MMUIdx;

/* 64 bytes, aligned: a miss's fill and a fetch's lookup touch one cache line
 * (the JIT reads only the tags and the addend, by the offsets in JitTarget). */
typedef struct {
    uint64_t addr_read, addr_write, addr_code;
    uintptr_t addend; /* host address = guest virtual address + addend */
    /* for the slow path, meaningful while a tag matches: the page's physical
     * address (instruction fetch needs it for the block key) and whether it
     * is Device memory (misaligned accesses) */
    uint64_t phys;
    bool device;
    uint8_t unused[23];
} __attribute__((aligned(64))) TLBEntry;

/* A copy of the entry that last served one load or store site of compiled
 * code (the JIT's access-site slots, jit.h). Slots are only ever copies of
 * entries, so whatever invalidates entries must invalidate them too: the
 * functions below do both. */
#define TLB_SITE_SLOTS 512
typedef struct {
    uint64_t tag;
    uintptr_t addend;
} TLBSite;

typedef struct {
    TLBEntry e[MMU_IDX_COUNT][TLB_ENTRIES];
    TLBSite site[MMU_IDX_COUNT][2][TLB_SITE_SLOTS]; /* [mmu index][0 load, 1 store][site] */
    /* MMIO pages never enter the entries (no fast path); the slow path
     * remembers the last one each index read [0] and wrote [1] so that
     * device accesses need no walk. */
    struct {
        uint64_t tag, phys;
    } mmio[MMU_IDX_COUNT][2];
    /* With no translation stage enabled every VA below 2^pa_bits maps flat
     * with the same attributes and permissions: the walker's answer for one
     * VA, per index and access kind (read, write, execute), serves them all. */
    struct {
        bool valid;
        uint8_t pa_bits;
        WalkResult res;
    } flat[MMU_IDX_COUNT][3];
} TLB;

/* Entries, site slots, MMIO pages and flat translations. */
static inline void tlb_flush_all(TLB *tlb)
{
    memset(tlb->e, 0xff, sizeof tlb->e);
    memset(tlb->site, 0xff, sizeof tlb->site);
    memset(tlb->mmio, 0xff, sizeof tlb->mmio);
    memset(tlb->flat, 0, sizeof tlb->flat);
}

/* Every write takes the slow path until entries are refilled (a page became
 * a code page: its stores must invalidate blocks). */
static inline void tlb_drop_write_fast_paths(TLB *tlb)
{
    for (unsigned idx = 0; idx < MMU_IDX_COUNT; idx++) {
        for (unsigned i = 0; i < TLB_ENTRIES; i++)
            tlb->e[idx][i].addr_write = TLB_NO_MATCH;
        for (unsigned i = 0; i < TLB_SITE_SLOTS; i++)
            tlb->site[idx][1][i].tag = TLB_NO_MATCH;
    }
}

static inline TLBEntry *tlb_entry(TLB *tlb, MMUIdx idx, uint64_t va)
{
    return &tlb->e[idx][(va >> PAGE_BITS) & (TLB_ENTRIES - 1)];
}

/* The entry maps va's page for an access of that kind (whatever the alignment). */
static inline bool tlb_page_match(uint64_t tag, uint64_t va) { return tag == (va & PAGE_MASK); }

static inline bool tlb_fast_match(uint64_t tag, uint64_t va, unsigned size)
{
    return (va & (PAGE_MASK | (size - 1))) == tag;
}

#endif
