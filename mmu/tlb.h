/* The soft TLB (DESIGN.md §3): per translation context, direct-mapped by
 * virtual page. Engines look it up inline; misses go to mmu/access.c.
 *
 * Contexts. Entries are tagged the way the Arm ARM tags TLB entries (by
 * regime, ASID and VMID), but by table rather than by entry: each MMU index
 * keeps up to TLB_CONTEXTS tables, each filled under one set of translation
 * controls (the stage 1 and stage 2 parameters the walker takes, TLBKey),
 * and TLB.cur[idx] points at the table of the controls now in force. A write
 * to a translation control (a TTBR holding a new ASID, VTTBR a new VMID, HCR,
 * TCR, SCTLR, MAIR...) only points cur[] at tlb_empty; the next fill finds
 * the context whose key matches, or recycles the least recently used one.
 * Switching ASID or VMID therefore flushes nothing, and TLBI removes only
 * what it names, from the contexts whose regime, VMID and ASID it names
 * (tlb.c), on every CPU for the broadcast forms.
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
#define TLB_CONTEXTS 8
#define TLB_BLOCK_RANGES 8

/* Translation contexts. EL0 also serves unprivileged (LDTR/STTR) accesses. */
typedef enum { MMU_IDX_EL0, MMU_IDX_EL1, MMU_IDX_EL2, MMU_IDX_COUNT } MMUIdx;

/* 64 bytes, aligned: a miss's fill and a fetch's lookup touch one cache line
 * (the JIT reads only the tags and the addend, by the offsets in JitTarget). */
typedef struct {
    uint64_t addr_read, addr_write, addr_code;
    uintptr_t addend; /* host address = guest virtual address + addend */
    /* for the slow path and for TLBI, meaningful while the entry is in its
     * context's fill log (logged): */
    uint64_t phys;  /* the page's physical address (fetches need it for the block key) */
    uint64_t vpage; /* the page's virtual address (the tags may be TLB_NO_MATCH) */
    uint64_t ipa;   /* the page's IPA (TLBI IPAS2*) */
    uint8_t size_log2; /* size of the mapping the page belongs to (a block: TLBI by VA in it removes it) */
    bool device;       /* Device memory (misaligned accesses) */
    bool ng;           /* not global: belongs to the context's ASID only */
    bool gp;           /* guarded page (FEAT_BTI): fetches report it (mmu_fetch_insn) */
    bool logged;       /* in the context's fill log */
    uint8_t unused[3];
} __attribute__((aligned(64))) TLBEntry;

/* Site slots: copies of the entry that last served one load or store site
 * of compiled code (the JIT's access-site slots, jit.h). Slots are only ever
 * copies of entries of the same table, so whatever invalidates entries must
 * invalidate them too (tlb.c does both). The tags lie apart from the
 * addends: invalidation scans and clears only the tags (an addend means
 * nothing under a TLB_NO_MATCH tag). */
#define TLB_SITE_SLOTS 512

/* What compiled code reads through TLB.cur[idx]. */
typedef struct {
    TLBEntry e[TLB_ENTRIES];
    uint64_t site_tag[2][TLB_SITE_SLOTS]; /* [0 load, 1 store][site] */
    uintptr_t site_addend[2][TLB_SITE_SLOTS];
} TLBTable;

/* The translation controls a context's entries were filled under: the
 * walker's parameters (PSTATE.PAN excluded: PAN-dependent permissions are
 * never cached). Compared with memcmp, so built from zeroed memory. */
typedef struct {
    S1Params s1;
    S2Params s2;
    bool has_s2; /* EL1&0 with EL2 implemented: the VMID tags entries */
} TLBKey;

typedef struct {
    TLBTable t; /* first: cache-line aligned */
    TLBKey key;
    /* the tags TLBI matches, from the key */
    WalkRegime regime;
    bool has_asid, has_vmid;
    uint16_t asid, vmid;
    uint64_t stamp; /* last time it became current (least recently used goes first) */
    bool sites_dirty; /* current since its site slots were last cleared */
    /* where block mappings among the entries lie (VA[55:0] sign-extended,
     * adjacent blocks merged; when full, the nearest ranges merge): a TLBI
     * by VA in one must look for entries of the same block */
    struct {
        uint64_t lo, hi;
    } blocks[TLB_BLOCK_RANGES];
    unsigned nblocks;
    uint32_t nused;
    uint16_t used[TLB_ENTRIES]; /* fill log: the entries that may be valid */
} TLBContext;

typedef struct {
    TLBTable *cur[MMU_IDX_COUNT]; /* read by compiled code; &tlb_empty until resolved */
    TLBContext *ctx_of[MMU_IDX_COUNT]; /* what cur[] was last resolved to (also while unresolved) */
    TLBContext *ctx[MMU_IDX_COUNT][TLB_CONTEXTS]; /* allocated on first use */
    uint64_t clock;
    /* MMIO pages never enter the entries (no fast path); the slow path
     * remembers the last one each index read [0] and wrote [1] so that
     * device accesses need no walk. Valid while cur[idx] is resolved. */
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

/* The table of a context no one has resolved: every lookup misses. Never
 * written (fills resolve first, and site slots copy only hits). */
extern TLBTable tlb_empty;

static inline TLBEntry *tlb_entry(TLB *tlb, MMUIdx idx, uint64_t va)
{
    return &tlb->cur[idx]->e[(va >> PAGE_BITS) & (TLB_ENTRIES - 1)];
}

/* The entry maps va's page for an access of that kind (whatever the alignment). */
static inline bool tlb_page_match(uint64_t tag, uint64_t va) { return tag == (va & PAGE_MASK); }

static inline bool tlb_fast_match(uint64_t tag, uint64_t va, unsigned size)
{
    return (va & (PAGE_MASK | (size - 1))) == tag;
}

/* ---- tlb.c ---- */

void tlb_init(TLB *tlb);
void tlb_destroy(TLB *tlb);
/* Empties every context (reset). */
void tlb_flush_all(TLB *tlb);
/* The translation controls changed: every index resolves its context again
 * at its next fill. */
void tlb_unresolve(TLB *tlb);
/* Makes cur[idx] the context of key (found, or recycled and emptied).
 * Returns true when that is not the context idx had before. */
bool tlb_resolve(TLB *tlb, MMUIdx idx, const TLBKey *key);

/* Fills idx's entry for va (cur[idx] resolved). */
TLBEntry *tlb_fill_entry(TLB *tlb, MMUIdx idx, uint64_t va, unsigned size_log2);

/* What a TLBI names (DDI 0487 D8.13 "TLB maintenance instructions"). */
typedef struct {
    unsigned regimes;    /* bit per WalkRegime */
    bool match_vmid;
    uint16_t vmid;
    bool match_asid;     /* ASID forms: that ASID's entries and, by VA, global ones */
    uint16_t asid;
    bool by_va;          /* else every entry of the matching contexts */
    uint64_t va_lo, va_hi; /* inclusive range of page addresses, VA[55:0] sign-extended from bit 55 */
    bool by_ipa;         /* stage 2 forms: entries whose IPA is in the range */
    uint64_t ipa_lo, ipa_hi;
} TLBIScope;

/* Removes what the scope names from tlb. Returns true when an entry that
 * could serve instruction fetches may have gone (the caller then drops
 * the jump cache). */
bool tlb_invalidate(TLB *tlb, const TLBIScope *scope);
/* Write fast paths to the RAM page at host address host_page go: it now
 * holds translated code. */
void tlb_drop_write_fast_paths(TLB *tlb, const uint8_t *host_page);

#endif
