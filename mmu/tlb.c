/* Soft-TLB contexts and their invalidation (mmu/tlb.h). Knows no CPU state:
 * mmu/access.c builds the keys and TLBI scopes from the system registers. */
#include "mmu/tlb.h"

#include <stdlib.h>

#include "trace/log.h"

TLBTable tlb_empty;

static void table_clear(TLBTable *t)
{
    memset(t->e, 0xff, sizeof t->e);
    for (unsigned i = 0; i < TLB_ENTRIES; i++)
        t->e[i].logged = false;
    memset(t->site_tag, 0xff, sizeof t->site_tag);
}

void tlb_init(TLB *tlb)
{
    static bool empty_ready;
    if (!empty_ready) { /* a constant in effect: every CPU shares it */
        table_clear(&tlb_empty);
        empty_ready = true;
    }
    memset(tlb, 0, sizeof *tlb);
    tlb_unresolve(tlb);
}

void tlb_destroy(TLB *tlb)
{
    for (unsigned idx = 0; idx < MMU_IDX_COUNT; idx++)
        for (unsigned k = 0; k < TLB_CONTEXTS; k++)
            free(tlb->ctx[idx][k]);
    memset(tlb, 0, sizeof *tlb);
}

static void entry_clear(TLBEntry *e)
{
    e->addr_read = e->addr_write = e->addr_code = TLB_NO_MATCH;
    e->logged = false;
}

/* Every entry and site of a context goes: the cost is the entries used. */
static void context_clear(TLBContext *c)
{
    for (uint32_t i = 0; i < c->nused; i++)
        entry_clear(&c->t.e[c->used[i]]);
    c->nused = 0;
    if (c->sites_dirty)
        memset(c->t.site_tag, 0xff, sizeof c->t.site_tag);
    c->nblocks = 0;
}

void tlb_flush_all(TLB *tlb)
{
    for (unsigned idx = 0; idx < MMU_IDX_COUNT; idx++)
        for (unsigned k = 0; k < TLB_CONTEXTS; k++)
            if (tlb->ctx[idx][k])
                context_clear(tlb->ctx[idx][k]);
    tlb_unresolve(tlb);
}

void tlb_unresolve(TLB *tlb)
{
    for (unsigned idx = 0; idx < MMU_IDX_COUNT; idx++)
        tlb->cur[idx] = &tlb_empty;
    memset(tlb->mmio, 0xff, sizeof tlb->mmio);
    memset(tlb->flat, 0, sizeof tlb->flat);
}

/* A VA without its top byte (TBI tags it; TLBI ignores it): bits [55:0]
 * sign-extended from bit 55, which selects the VA range. */
static uint64_t va56(uint64_t va) { return (uint64_t)((int64_t)(va << 8) >> 8); }

static TLBContext *context_new(void)
{
    TLBContext *c = aligned_alloc(64, sizeof *c);
    if (!c)
        nestor_fatal("out of memory allocating a TLB context");
    memset(c, 0, sizeof *c);
    table_clear(&c->t);
    return c;
}

/* The tags a TLBI compares, from the key (walk_asid, walk_vmid). */
static void context_tags(TLBContext *c)
{
    const TLBKey *k = &c->key;
    c->regime = k->s1.regime;
    c->has_asid = k->s1.regime != WALK_REGIME_EL2;
    c->asid = walk_asid(&k->s1);
    c->has_vmid = k->has_s2;
    c->vmid = k->has_s2 ? walk_vmid(&k->s2) : 0;
}

bool tlb_resolve(TLB *tlb, MMUIdx idx, const TLBKey *key)
{
    TLBContext **slots = tlb->ctx[idx], *c = NULL;
    unsigned victim = 0;
    for (unsigned k = 0; k < TLB_CONTEXTS; k++) {
        if (slots[k] && !memcmp(&slots[k]->key, key, sizeof *key)) {
            c = slots[k];
            break;
        }
        if (!slots[victim])
            continue;
        if (!slots[k] || slots[k]->stamp < slots[victim]->stamp)
            victim = k;
    }
    if (!c) {
        if (!slots[victim])
            slots[victim] = context_new();
        c = slots[victim];
        context_clear(c);
        c->key = *key;
        context_tags(c);
    }
    c->stamp = ++tlb->clock;
    tlb->cur[idx] = &c->t;
    TLBContext *old = tlb->ctx_of[idx];
    if (old == c)
        return false;
    /* Compiled code fills site slots of the current context only: the one
     * left behind starts clean, so TLBI need not look at its slots. */
    if (old && old->sites_dirty) {
        memset(old->t.site_tag, 0xff, sizeof old->t.site_tag);
        old->sites_dirty = false;
    }
    c->sites_dirty = true;
    tlb->ctx_of[idx] = c;
    return true;
}

static TLBContext *current(TLB *tlb, MMUIdx idx)
{
    return tlb->cur[idx] == &tlb_empty ? NULL : tlb->ctx_of[idx];
}

static uint64_t gap(uint64_t lo, uint64_t hi, uint64_t rlo, uint64_t rhi)
{
    return hi < rlo ? rlo - hi : lo > rhi ? lo - rhi : 0;
}

static void note_block(TLBContext *c, uint64_t lo, uint64_t hi)
{
    unsigned best = 0;
    for (unsigned k = 0; k < c->nblocks; k++)
        if (gap(lo, hi, c->blocks[k].lo, c->blocks[k].hi) < gap(lo, hi, c->blocks[best].lo, c->blocks[best].hi))
            best = k;
    if (c->nblocks && (gap(lo, hi, c->blocks[best].lo, c->blocks[best].hi) <= 1 || c->nblocks == TLB_BLOCK_RANGES)) {
        if (lo < c->blocks[best].lo)
            c->blocks[best].lo = lo;
        if (hi > c->blocks[best].hi)
            c->blocks[best].hi = hi;
        return;
    }
    c->blocks[c->nblocks].lo = lo;
    c->blocks[c->nblocks++].hi = hi;
}

static bool in_blocks(const TLBContext *c, uint64_t lo, uint64_t hi)
{
    for (unsigned k = 0; k < c->nblocks; k++)
        if (c->blocks[k].lo <= hi && c->blocks[k].hi >= lo)
            return true;
    return false;
}

TLBEntry *tlb_fill_entry(TLB *tlb, MMUIdx idx, uint64_t va, unsigned size_log2)
{
    TLBContext *c = current(tlb, idx);
    if (!c)
        nestor_fatal("internal error: TLB fill without a context");
    unsigned i = (va >> PAGE_BITS) & (TLB_ENTRIES - 1);
    TLBEntry *e = &c->t.e[i];
    if (!e->logged) {
        e->logged = true;
        c->used[c->nused++] = (uint16_t)i;
    }
    if (size_log2 > PAGE_BITS) {
        uint64_t base = va56(va) & ~((1ull << size_log2) - 1);
        note_block(c, base, base + ((1ull << size_log2) - 1));
    }
    e->size_log2 = (uint8_t)size_log2;
    return e;
}

/* ---- TLBI ---- */

static bool context_in_scope(const TLBContext *c, const TLBIScope *s)
{
    if (!(s->regimes & 1u << c->regime))
        return false;
    if (s->match_vmid && (!c->has_vmid || c->vmid != s->vmid))
        return false;
    return true;
}

/* Whether entry e of context c is one the scope names. */
static bool entry_in_scope(const TLBContext *c, const TLBEntry *e, const TLBIScope *s)
{
    if (s->match_asid && c->has_asid && c->asid != s->asid && e->ng)
        return false; /* another ASID's own entry (global ones match any ASID) */
    if (s->by_ipa) {
        uint64_t ipa = e->ipa >> PAGE_BITS;
        return ipa >= s->ipa_lo >> PAGE_BITS && ipa <= s->ipa_hi >> PAGE_BITS;
    }
    if (!s->by_va)
        return true;
    /* the whole mapping the entry belongs to against the range */
    uint64_t mask = ~((1ull << e->size_log2) - 1);
    uint64_t lo = va56(e->vpage) & mask, hi = lo + ~mask;
    return lo <= s->va_hi && hi >= s->va_lo;
}

/* Site slots that copied an entry of a page in [lo, hi] (TBI ignored):
 * whether or not the entry is still there. */
static void drop_sites(TLBContext *c, uint64_t lo, uint64_t hi)
{
    if (!c->sites_dirty)
        return;
    /* va56(tag) in [lo, hi] as one unsigned compare, without branches: the
     * shift by 8 keeps the order of sign-extended addresses (a TLB_NO_MATCH
     * tag may "match" the top page: clearing it again is harmless) */
    uint64_t base = lo << 8, span = (hi << 8) - base;
    uint64_t *tag = &c->t.site_tag[0][0];
    for (unsigned s = 0; s < 2 * TLB_SITE_SLOTS; s++)
        tag[s] = (tag[s] << 8) - base <= span ? TLB_NO_MATCH : tag[s];
}

/* Entries are found through their index when the range is a few pages and
 * no block mapping overlaps it; otherwise through the fill log. */
#define TLBI_FEW_PAGES 16

static bool invalidate_context(TLBContext *c, const TLBIScope *s)
{
    bool any = c->nused != 0;
    if (!s->by_va && !s->by_ipa) {
        /* ASIDE1 names the non-global entries of one ASID: the context of
         * that ASID goes (its global entries with it: a TLB may always drop
         * more), the others stay. */
        if (s->match_asid && c->has_asid && c->asid != s->asid)
            return false;
        context_clear(c);
        return any;
    }
    any = false;
    uint64_t pages = s->by_va ? ((s->va_hi - s->va_lo) >> PAGE_BITS) + 1 : ~0ull;
    if (s->by_va && pages <= TLBI_FEW_PAGES && !in_blocks(c, s->va_lo, s->va_hi)) {
        drop_sites(c, s->va_lo, s->va_hi);
        for (uint64_t p = s->va_lo; p <= s->va_hi; p += PAGE_SIZE) {
            TLBEntry *e = &c->t.e[(p >> PAGE_BITS) & (TLB_ENTRIES - 1)];
            if (e->logged && va56(e->vpage) == p && entry_in_scope(c, e, s)) {
                e->addr_read = e->addr_write = e->addr_code = TLB_NO_MATCH;
                any = true;
            }
        }
        return any;
    }
    bool sites = false;
    for (uint32_t i = 0; i < c->nused; i++) {
        TLBEntry *e = &c->t.e[c->used[i]];
        if (e->addr_read == TLB_NO_MATCH && e->addr_write == TLB_NO_MATCH && e->addr_code == TLB_NO_MATCH)
            continue;
        if (entry_in_scope(c, e, s)) {
            e->addr_read = e->addr_write = e->addr_code = TLB_NO_MATCH;
            any = sites = true;
        }
    }
    if (sites && c->sites_dirty) /* many pages may have gone: every site */
        memset(c->t.site_tag, 0xff, sizeof c->t.site_tag);
    return any;
}

bool tlb_invalidate(TLB *tlb, const TLBIScope *scope)
{
    bool any = false;
    for (unsigned idx = 0; idx < MMU_IDX_COUNT; idx++)
        for (unsigned k = 0; k < TLB_CONTEXTS; k++) {
            TLBContext *c = tlb->ctx[idx][k];
            if (c && context_in_scope(c, scope) && invalidate_context(c, scope))
                any = true;
        }
    /* the MMIO memo and flat translations are per index: cheap to rebuild */
    memset(tlb->mmio, 0xff, sizeof tlb->mmio);
    return any;
}

void tlb_drop_write_fast_paths(TLB *tlb, const uint8_t *host_page)
{
    for (unsigned idx = 0; idx < MMU_IDX_COUNT; idx++)
        for (unsigned k = 0; k < TLB_CONTEXTS; k++) {
            TLBContext *c = tlb->ctx[idx][k];
            if (!c || !c->nused)
                continue;
            for (uint32_t i = 0; i < c->nused; i++) {
                TLBEntry *e = &c->t.e[c->used[i]];
                if (e->addr_write != TLB_NO_MATCH && (uintptr_t)host_page - e->addend == e->addr_write)
                    e->addr_write = TLB_NO_MATCH;
            }
            for (unsigned s = 0; s < TLB_SITE_SLOTS && c->sites_dirty; s++) {
                uint64_t *tag = &c->t.site_tag[1][s];
                if (*tag != TLB_NO_MATCH && (uintptr_t)host_page - c->t.site_addend[1][s] == *tag)
                    *tag = TLB_NO_MATCH;
            }
        }
}
