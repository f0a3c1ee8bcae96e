/* Stage 1 and stage 2 translation table walks (DDI 0487 D8.1-D8.3, D8.5;
 * pseudocode AArch64.S1Translate, AArch64.S1Walk, AArch64.S2Translate,
 * AArch64.S2Walk). Permissions live in walk_perms.c, memory attributes in
 * walk_attrs.c. VMSAv8-64 (64-bit descriptors) only: no FEAT_D128, no
 * permission overlays, no stage 2 Indirect permissions, no FEAT_HAFT, no
 * Secure or Realm state.
 *
 * IMPLEMENTATION DEFINED choices made here:
 * - TnSZ outside the supported range (below the minimum without FEAT_LVA/
 *   FEAT_LPA, or above the maximum) takes a level 0 Translation fault
 *   (RSXWGM allows this or clamping).
 * - The reserved TG0 0b11 and TG1 0b00 encodings select the 4KB granule.
 * - The Contiguous bit is reported but never faults (ContiguousBitFaults).
 * - With HA == 1, the Access flag is not set when the access takes a
 *   Permission fault (RQSPMS leaves it CONSTRAINED UNPREDICTABLE); AT
 *   instructions set it like any other access ("AT updates AF").
 * - Instruction fetches from Device memory are permitted. */
#include "mmu/walk.h"

#include <stddef.h>

#include "mmu/walk_internal.h"

typedef struct {
    const WalkFeatures *feat;
    const WalkMem *mem;
    const S1Params *s1; /* NULL for walk_stage2 */
    const S2Params *s2; /* NULL when stage 2 does not apply */
    const WalkAccess *acc;
    WalkResult *res;
} Walker;

/* The shape of one stage's tables for one translation. */
typedef struct {
    unsigned gbits;   /* granule: 12, 14 or 16 */
    unsigned ia_bits; /* input address size, 64 - TnSZ */
    unsigned oa_bits; /* configured output address size (PS/IPS, capped by the PE) */
    int start_level;  /* -1..3 */
    uint64_t base;    /* address of the start level table (an IPA at stage 1 under stage 2) */
    bool ds;          /* 52-bit 4KB/16KB formats: OA[51:50] in bits [9:8], OA[49:48] in [49:48] */
    bool oa52_64k;    /* 64KB granule with OA[51:48] in bits [15:12] */
    bool ee;          /* big-endian descriptors */
} TableGeom;

typedef struct {
    uint64_t desc;
    uint64_t desc_addr; /* its address: an IPA for stage 1 under stage 2, otherwise a PA */
    int level;
    uint64_t tablebits; /* bits [63:59] of the Table descriptors on the way, ORed */
} WalkLeaf;

/* v<hi:lo> */
static uint64_t bits(uint64_t v, unsigned hi, unsigned lo) { return (v >> lo) & ((2ull << (hi - lo)) - 1); }

static uint64_t low_mask(unsigned n) { return n >= 64 ? ~0ull : (1ull << n) - 1; }

static unsigned stride(const TableGeom *g) { return g->gbits - 3; }

/* log2 of the region one descriptor at this level maps. */
static unsigned level_shift(const TableGeom *g, int level) { return g->gbits + (unsigned)(3 - level) * stride(g); }

static bool fault(Walker *w, WalkFaultKind kind, int level, unsigned stage)
{
    w->res->fault.kind = kind;
    w->res->fault.level = (int8_t)level;
    w->res->fault.stage = (uint8_t)stage;
    return false;
}

/* ---- Configuration decoding ---- */

/* TCR_ELx.TG0 / VTCR_EL2.TG0 and TCR_ELx.TG1 use different encodings
 * (AArch64.S1DecodeTG0/TG1). */
static unsigned granule_tg0(uint8_t tg) { return (tg & 3) == 1 ? 16 : (tg & 3) == 2 ? 14 : 12; }
static unsigned granule_tg1(uint8_t tg) { return (tg & 3) == 1 ? 14 : (tg & 3) == 3 ? 16 : 12; }

/* AArch64.PhysicalAddressSize: the PS/IPS encoding capped by what the PE and
 * the descriptor format can express. */
static unsigned oa_size(const WalkFeatures *f, uint8_t ps, unsigned gbits, bool ds)
{
    static const unsigned ps_bits[8] = {32, 36, 40, 42, 44, 48, 52, 56};
    unsigned max = f->lpa && (gbits == 16 || ds) ? 52 : 48;
    if (max > f->pa_bits)
        max = f->pa_bits;
    return ps_bits[ps & 7] < max ? ps_bits[ps & 7] : max;
}

/* Largest TnSZ (smallest input range) the PE supports (AArch64.MaxTxSZ). */
static unsigned max_tsz(const WalkFeatures *f, unsigned gbits) { return !f->ttst ? 39 : gbits == 16 ? 47 : 48; }

/* The start level table's address from a TTBR: aligned to the table's size,
 * with BADDR[51:48] in bits [5:2] for 52-bit OAs (AArch64.S1TTBaseAddress,
 * AArch64.S2TTBaseAddress). */
static uint64_t table_base(const TableGeom *g, uint64_t ttbr, bool ttbr52)
{
    unsigned levels = (unsigned)(3 - g->start_level);
    unsigned tsize = g->ia_bits - (levels * stride(g) + g->gbits) + 3;
    uint64_t base;
    if (ttbr52) {
        if (tsize < 6)
            tsize = 6;
        base = bits(ttbr, 47, 6) << 6 | bits(ttbr, 5, 2) << 48;
    } else {
        base = bits(ttbr, 47, 1) << 1;
    }
    return base & ~low_mask(tsize);
}

/* ---- Descriptors ---- */

/* AArch64.BlockDescSupported. */
static bool block_allowed(const Walker *w, const TableGeom *g, int level)
{
    switch (g->gbits) {
    case 12: return level == 1 || level == 2 || (level == 0 && g->ds);
    case 14: return level == 2 || (level == 1 && g->ds);
    default: return level == 2 || (level == 1 && w->feat->pa_bits >= 52);
    }
}

/* The output (or next table) address of a descriptor, aligned to 2^align
 * (AArch64.NextTableBase, AArch64.S1LeafBase, AArch64.S2LeafBase). */
static uint64_t desc_address(const TableGeom *g, uint64_t desc, unsigned align)
{
    uint64_t a = desc & low_mask(48) & ~low_mask(align);
    if (g->oa52_64k)
        a |= bits(desc, 15, 12) << 48;
    else if (g->ds)
        a |= bits(desc, 9, 8) << 50 | bits(desc, 49, 48) << 48;
    return a;
}

/* AArch64.ContiguousBit: RES0 for the level 0/1 blocks of 52-bit formats. */
static bool contiguous_bit(const TableGeom *g, int level, uint64_t desc)
{
    if ((g->gbits == 16 || g->gbits == 14) && level == 1)
        return false;
    if (g->gbits == 12 && level == 0)
        return false;
    return desc & DESC_CONT;
}

static uint64_t swap_if(bool ee, uint64_t v) { return ee ? __builtin_bswap64(v) : v; }

/* Writes new over old at pa if memory still holds old (AArch64.MemSwapTableDesc).
 * Returns 1 when written, 0 when memory changed (the walk restarts), -1 on
 * an External abort. */
static int update_desc(Walker *w, uint64_t pa, bool ee, uint64_t old, uint64_t new)
{
    uint64_t actual;
    if (!w->mem->cas || !w->mem->cas(w->mem->opaque, pa, swap_if(ee, old), swap_if(ee, new), &actual))
        return -1;
    return actual == swap_if(ee, old);
}

/* ---- Stage 2 ---- */

/* What a stage 2 translation is for: the access itself, or the read or
 * hardware update of a stage 1 descriptor (AccessType_TTW). */
typedef enum { S2_DATA, S2_WALK_READ, S2_WALK_WRITE } S2Use;

typedef struct {
    uint64_t pa;
    unsigned size_log2;
    uint8_t memattr; /* descriptor MemAttr[3:0] */
    uint8_t sh;
    bool contiguous;
    S2Perms perms; /* w only once the descriptor is dirty */
} S2Out;

static bool s2_translate(Walker *w, uint64_t ipa, S2Use use, S2Out *out);

static bool stage2_walks(const Walker *w) { return w->s2 != NULL; }

/* ---- The walk common to both stages ---- */

/* Reads the descriptor at addr, an IPA when stage 1 runs under stage 2. */
static bool fetch_desc(Walker *w, unsigned stage, const TableGeom *g, uint64_t addr, int level, uint64_t *desc)
{
    uint64_t pa = addr;
    if (stage == 1 && stage2_walks(w)) {
        S2Out o;
        if (!s2_translate(w, addr, S2_WALK_READ, &o))
            return false;
        pa = o.pa;
    }
    if (!w->mem->read(w->mem->opaque, pa, desc))
        return fault(w, WALK_FAULT_EXT_ABORT, level, stage);
    *desc = swap_if(g->ee, *desc);
    return true;
}

/* Walks from the start level to a Block or Page descriptor (AArch64.S1Walk,
 * AArch64.S2Walk up to the leaf). */
static bool walk_tables(Walker *w, unsigned stage, const TableGeom *g, uint64_t ia, WalkLeaf *leaf)
{
    int level = g->start_level;
    unsigned lsb = level_shift(g, level);
    /* The start level resolves IA[ia_bits-1:lsb]; at stage 2 that may index
     * up to 16 concatenated tables (D8.2.2). */
    uint64_t addr = g->base | bits(ia, g->ia_bits - 1, lsb) << 3;
    if (addr >> g->oa_bits) /* TTBR BADDR above the OA size: level 0 (RPMSLB) */
        return fault(w, WALK_FAULT_ADDR_SIZE, 0, stage);
    uint64_t tablebits = 0;
    for (;;) {
        uint64_t desc;
        if (!fetch_desc(w, stage, g, addr, level, &desc))
            return false;
        if (!(desc & DESC_VALID)) /* Invalid descriptor (RBTTHB) */
            return fault(w, WALK_FAULT_TRANSLATION, level, stage);
        if (level < 3 && (desc & DESC_TABLE)) {
            tablebits |= desc & TABLE_ATTR_MASK;
            lsb -= stride(g);
            addr = desc_address(g, desc, g->gbits) | bits(ia, lsb + stride(g) - 1, lsb) << 3;
            if (addr >> g->oa_bits) /* next table above the OA size: this level (RKMLSH) */
                return fault(w, WALK_FAULT_ADDR_SIZE, level, stage);
            level++;
            continue;
        }
        /* A level 3 descriptor with bit[1] == 0 and a Block descriptor where
         * the granule allows none are reserved: Translation fault. */
        if (level == 3 ? !(desc & DESC_TABLE) : !block_allowed(w, g, level))
            return fault(w, WALK_FAULT_TRANSLATION, level, stage);
        *leaf = (WalkLeaf){desc, addr, level, tablebits};
        return true;
    }
}

/* The leaf's output address for ia, and the checks that precede the
 * permission check: Address size (RBFVYY), then Access flag (RSWTYY). */
static bool leaf_output(Walker *w, unsigned stage, const TableGeom *g, const WalkLeaf *leaf, uint64_t ia, bool ha,
                        uint64_t *oa)
{
    unsigned size = level_shift(g, leaf->level);
    *oa = desc_address(g, leaf->desc, size) | (ia & low_mask(size));
    if (*oa >> g->oa_bits)
        return fault(w, WALK_FAULT_ADDR_SIZE, leaf->level, stage);
    if (!(leaf->desc & DESC_AF) && !ha)
        return fault(w, WALK_FAULT_ACCESS_FLAG, leaf->level, stage);
    return true;
}

/* ---- Stage 2 ---- */

/* VTCR_EL2 checks (AArch64.S2TxSZFaults, AArch64.S2InvalidSL,
 * AArch64.S2InconsistentSL) and the start level (AArch64.S2StartLevel). */
static bool s2_geometry(Walker *w, TableGeom *g)
{
    const S2Params *s2 = w->s2;
    const WalkFeatures *f = w->feat;
    unsigned gbits = granule_tg0(s2->tg0);
    bool ds = f->lpa2 && gbits != 16 && s2->ds;
    unsigned pa = f->pa_bits;
    unsigned max_ipa = pa >= 52 ? (gbits == 16 || ds ? 52 : 48) : pa;
    if (s2->t0sz < 64 - max_ipa || s2->t0sz > max_tsz(f, gbits))
        return fault(w, WALK_FAULT_TRANSLATION, 0, 2);
    unsigned sl = (gbits == 12 && ds && s2->sl2 ? 4u : 0u) | (s2->sl0 & 3u);
    int start;
    bool invalid = false;
    switch (gbits) {
    case 12:
        switch (sl) {
        case 0: start = 2; break;
        case 1: start = 1; break;
        case 2: start = 0; invalid = pa < 44; break;
        case 3: start = 3; invalid = !f->ttst; break;
        case 4: start = -1; invalid = pa < 52; break;
        default: start = 0; invalid = true; break;
        }
        break;
    case 14:
        start = 3 - (int)sl;
        invalid = (sl == 2 && pa < 42) || (sl == 3 && (!ds || pa < 52));
        break;
    default:
        start = 3 - (int)sl;
        invalid = (sl == 2 && pa < 44) || sl == 3;
        break;
    }
    if (invalid)
        return fault(w, WALK_FAULT_TRANSLATION, 0, 2);
    *g = (TableGeom){.gbits = gbits, .ia_bits = 64u - s2->t0sz, .start_level = start, .ds = ds,
                     .oa52_64k = gbits == 16 && pa >= 52, .ee = s2->ee};
    /* The start level must resolve at least one and at most stride + 4 bits
     * (up to 16 concatenated tables). */
    unsigned below = (unsigned)(3 - start) * stride(g) + gbits;
    if (g->ia_bits < below + 1 || g->ia_bits > below + stride(g) + 4)
        return fault(w, WALK_FAULT_TRANSLATION, 0, 2);
    g->oa_bits = oa_size(f, s2->ps, gbits, ds);
    g->base = table_base(g, s2->vttbr, ds || (gbits == 16 && (s2->ps & 7) == 6 && f->lpa));
    return true;
}

static bool s2_write(const Walker *w, S2Use use)
{
    return use == S2_WALK_WRITE || (use == S2_DATA && w->acc->type == WALK_WRITE);
}

/* Stage 2 Device memory: MemAttr[3:2] == 0, or MemAttr[2] == 0 with FWB. */
static bool s2_device(const Walker *w, uint64_t desc)
{
    return w->s2->fwb ? !(desc & (1u << 4)) : !(desc & (3u << 4));
}

/* AArch64.S2CheckPermissions without overlays. */
static bool s2_permitted(const Walker *w, S2Use use, const S2Perms *p, uint64_t desc)
{
    if (use != S2_DATA) {
        /* HCR_EL2.PTW: stage 1 tables in stage 2 Device memory fault. */
        if (w->s2->ptw && s2_device(w, desc))
            return false;
        return p->r && (use == S2_WALK_READ || p->w);
    }
    switch (w->acc->type) {
    case WALK_READ: return p->r;
    case WALK_WRITE: return p->w;
    case WALK_EXEC: return w->acc->unprivileged ? p->ux : p->px;
    default: return true;
    }
}

/* The stage 2 fault fields: S1PTW and the IPA for HPFAR_EL2 (IPAValid()). */
static bool s2_fail(Walker *w, uint64_t ipa, S2Use use)
{
    WalkFault *f = &w->res->fault;
    f->stage = 2;
    f->s1ptw = use != S2_DATA;
    f->ipa = ipa;
    f->ipa_valid = f->kind != WALK_FAULT_EXT_ABORT && (f->s1ptw || f->kind != WALK_FAULT_PERMISSION);
    return false;
}

static bool s2_translate(Walker *w, uint64_t ipa, S2Use use, S2Out *out)
{
    const S2Params *s2 = w->s2;
    TableGeom g;
    if (!s2_geometry(w, &g))
        return s2_fail(w, ipa, use);
    if (ipa >> g.ia_bits) { /* IPA above VTCR_EL2.T0SZ: level 0 (RVCDSW) */
        fault(w, WALK_FAULT_TRANSLATION, 0, 2);
        return s2_fail(w, ipa, use);
    }
    bool ha = s2->ha && w->feat->hafdbs >= 1;
    bool hd = ha && s2->hd && w->feat->hafdbs >= 2;
    for (;;) {
        WalkLeaf leaf;
        uint64_t oa;
        if (!walk_tables(w, 2, &g, ipa, &leaf) || !leaf_output(w, 2, &g, &leaf, ipa, ha, &oa))
            return s2_fail(w, ipa, use);
        S2Perms p = s2_permissions(leaf.desc, w->feat->xnx, hd);
        if (!s2_permitted(w, use, &p, leaf.desc)) {
            fault(w, WALK_FAULT_PERMISSION, leaf.level, 2);
            return s2_fail(w, ipa, use);
        }
        /* Hardware updates (AArch64.SetAccessFlag, AArch64.SetDirtyState):
         * AF, and S2AP[1] for writes through a DBM descriptor, including the
         * writes of stage 1 hardware updates (RJCXVS). AT never sets dirty. */
        uint64_t want = leaf.desc | (ha ? DESC_AF : 0);
        if (hd && s2_write(w, use) && !(use == S2_DATA && w->acc->at) && (leaf.desc & DESC_DBM))
            want |= DESC_AP2;
        if (want != leaf.desc) {
            int r = update_desc(w, leaf.desc_addr, g.ee, leaf.desc, want);
            if (r < 0) {
                fault(w, WALK_FAULT_EXT_ABORT, leaf.level, 2);
                return s2_fail(w, ipa, use);
            }
            if (r == 0)
                continue;
            leaf.desc = want;
        }
        out->pa = oa;
        out->size_log2 = level_shift(&g, leaf.level);
        out->memattr = (uint8_t)bits(leaf.desc, 5, 2);
        out->sh = g.ds ? s2->sh & 3 : (uint8_t)bits(leaf.desc, 9, 8);
        out->contiguous = contiguous_bit(&g, leaf.level, leaf.desc);
        out->perms = p;
        out->perms.w = p.w && (leaf.desc & DESC_AP2);
        return true;
    }
}

/* ---- Stage 1 ---- */

typedef struct {
    uint64_t oa;
    unsigned size_log2;
    uint8_t attr, sh;
    bool ng, contiguous, gp;
    S1Perms perms;
} S1Out;

static bool two_ranges(const S1Params *s1) { return s1->regime != WALK_REGIME_EL2; }

/* The VA range of va: bit 55 selects TTBR1 in regimes with two ranges
 * (AArch64.GetVARange). */
static unsigned va_range(const S1Params *s1, uint64_t va) { return two_ranges(s1) && (va >> 55 & 1); }

/* The top VA bit that translation looks at (AArch64.AddrTop). */
static unsigned addr_top(const S1RangeParams *r, WalkAccessType type)
{
    if (r->tbid && type == WALK_EXEC)
        return 63;
    return r->tbi ? 55 : 63;
}

static bool unprivileged(const Walker *w) { return w->acc->unprivileged && two_ranges(w->s1); }

/* TCR_ELx checks that fault before the walk, the start level and the table
 * base (AArch64.S1TxSZFaults, AArch64.VAIsOutOfRange, AArch64.S1StartLevel). */
static bool s1_geometry(Walker *w, TableGeom *g)
{
    const S1Params *s1 = w->s1;
    const WalkFeatures *f = w->feat;
    uint64_t va = w->acc->va;
    unsigned upper = va_range(s1, va);
    const S1RangeParams *r = &s1->range[upper];
    unsigned gbits = upper ? granule_tg1(r->tg) : granule_tg0(r->tg);
    bool ds = f->lpa2 && gbits != 16 && s1->ds;
    unsigned min_tsz = f->lva && (gbits == 16 || ds) ? 12 : 16;
    if (r->tsz < min_tsz || r->tsz > max_tsz(f, gbits))
        return fault(w, WALK_FAULT_TRANSLATION, 0, 1);
    unsigned ia_bits = 64u - r->tsz;
    /* Bits between the top and the input size must all equal the range's
     * fill (zeros below, ones above): otherwise the VA is in neither range. */
    unsigned top = addr_top(r, w->acc->type);
    if (top >= ia_bits && bits(va, top, ia_bits) != (upper ? low_mask(top - ia_bits + 1) : 0))
        return fault(w, WALK_FAULT_TRANSLATION, 0, 1);
    if (unprivileged(w) && r->e0pd) /* FEAT_E0PD: as a level 0 Translation fault */
        return fault(w, WALK_FAULT_TRANSLATION, 0, 1);
    if (two_ranges(s1) && r->epd) /* TCR_ELx.EPDn: no walks of this range */
        return fault(w, WALK_FAULT_TRANSLATION, 0, 1);
    unsigned str = gbits - 3;
    *g = (TableGeom){.gbits = gbits, .ia_bits = ia_bits, .start_level = 3 - (int)((ia_bits - 1 - gbits) / str),
                     .oa_bits = oa_size(f, s1->ps, gbits, ds), .ds = ds,
                     .oa52_64k = gbits == 16 && f->pa_bits >= 52, .ee = s1->ee};
    g->base = table_base(g, r->ttbr, ds || (gbits == 16 && (s1->ps & 7) == 6 && f->lpa));
    return true;
}

static S1PermControls s1_perm_controls(const Walker *w, bool hd)
{
    const S1Params *s1 = w->s1;
    unsigned upper = va_range(s1, w->acc->va);
    return (S1PermControls){
        .regime = s1->regime,
        .nv1 = s1->nv1 && s1->regime == WALK_REGIME_EL10,
        .pie = s1->pie,
        .table_perms = !s1->range[upper].hpd && !s1->pie,
        .dbm_writable = hd,
        .pan = s1->pan && !w->acc->ignore_pan && w->acc->type != WALK_EXEC,
        /* With S1PIE, EPAN reads as 1; it matters only to Direct permissions. */
        .epan = w->feat->pan3 && (s1->epan || s1->pie),
        .wxn = s1->wxn,
        .pir = s1->pir,
        .pire0 = s1->pire0,
    };
}

/* AArch64.S1CheckPermissions for ordinary accesses. A write through an
 * S1PIE descriptor whose nDirty is set faults unless HD manages it. */
static bool s1_permitted(Walker *w, const S1Perms *p, uint64_t desc, bool hd)
{
    const WalkPerms *side = unprivileged(w) ? &p->unpriv : &p->priv;
    switch (w->acc->type) {
    case WALK_READ: return side->r;
    case WALK_EXEC: return side->x;
    case WALK_WRITE:
        if (!side->w)
            return false;
        if (w->s1->pie && !hd && (desc & DESC_AP2)) {
            w->res->fault.dirtybit = true;
            return false;
        }
        return true;
    default: return true;
    }
}

/* A write that makes a writable-clean descriptor dirty: clear AP[2] (DBM) or
 * nDirty (S1PIE). */
static bool s1_sets_dirty(const Walker *w, uint64_t desc, bool hd)
{
    if (!hd || w->acc->type != WALK_WRITE || w->acc->at || !(desc & DESC_AP2))
        return false;
    return w->s1->pie || (desc & DESC_DBM);
}

/* Stage 1 disabled: flat mapping; Address size fault above the PA size
 * (RVCDSW); Device-nGnRnE data and Normal Non-cacheable fetches, or Normal
 * Write-Back with HCR_EL2.DC (AArch64.S1DisabledOutput). Caches are not
 * modelled, so SCTLR_ELx.I does not change the fetch attributes. */
static bool s1_disabled(Walker *w, S1Out *out)
{
    const S1Params *s1 = w->s1;
    uint64_t va = w->acc->va;
    unsigned top = addr_top(&s1->range[va_range(s1, va)], w->acc->type);
    if (bits(va, top, w->feat->pa_bits) != 0)
        return fault(w, WALK_FAULT_ADDR_SIZE, 0, 1);
    out->oa = va & low_mask(w->feat->pa_bits);
    out->size_log2 = 12;
    out->attr = s1->dc ? 0xff : w->acc->type == WALK_EXEC ? 0x44 : 0x00;
    out->sh = s1->dc ? SH_NON : SH_OUTER;
    WalkPerms all = {true, true, true};
    out->perms.priv = all;
    if (two_ranges(s1))
        out->perms.unpriv = all;
    return true;
}

static bool s1_translate(Walker *w, S1Out *out)
{
    const S1Params *s1 = w->s1;
    if (!s1->enabled)
        return s1_disabled(w, out);
    TableGeom g;
    if (!s1_geometry(w, &g))
        return false;
    bool ha = s1->ha && w->feat->hafdbs >= 1;
    bool hd = ha && s1->hd && w->feat->hafdbs >= 2;
    S1PermControls pc = s1_perm_controls(w, hd);
    uint64_t va = w->acc->va;
    for (;;) {
        WalkLeaf leaf;
        uint64_t oa;
        if (!walk_tables(w, 1, &g, va, &leaf) || !leaf_output(w, 1, &g, &leaf, va, ha, &oa))
            return false;
        S1Perms p = s1_permissions(&pc, leaf.desc, leaf.tablebits);
        /* A Permission fault reports the leaf's level even when a Table
         * descriptor removed the permission (RCSRQR). */
        if (!s1_permitted(w, &p, leaf.desc, hd))
            return fault(w, WALK_FAULT_PERMISSION, leaf.level, 1);
        uint64_t want = leaf.desc | (ha ? DESC_AF : 0);
        if (s1_sets_dirty(w, leaf.desc, hd))
            want &= ~(uint64_t)DESC_AP2;
        if (want != leaf.desc) {
            /* The update is a write to the descriptor: under stage 2 it needs
             * write permission there (AArch64.S1Translate). */
            uint64_t pa = leaf.desc_addr;
            if (stage2_walks(w)) {
                S2Out o;
                if (!s2_translate(w, leaf.desc_addr, S2_WALK_WRITE, &o))
                    return false;
                pa = o.pa;
            }
            int r = update_desc(w, pa, g.ee, leaf.desc, want);
            if (r < 0)
                return fault(w, WALK_FAULT_EXT_ABORT, leaf.level, 1);
            if (r == 0)
                continue;
            leaf.desc = want;
        }
        out->oa = oa;
        out->size_log2 = level_shift(&g, leaf.level);
        out->attr = (uint8_t)(s1->mair >> (bits(leaf.desc, 4, 2) * 8));
        out->sh = g.ds ? s1->range[va_range(s1, va)].sh & 3 : (uint8_t)bits(leaf.desc, 9, 8);
        out->ng = two_ranges(s1) && (leaf.desc & DESC_NG);
        /* GP is a stage 1 Block/Page field in every regime, S1PIE or not
         * (DDI 0487 D8.3.1; stage 2 has none). A stage 1 that is disabled
         * guards nothing (AArch64.S1DisabledOutput). */
        out->gp = w->feat->bti && (leaf.desc & DESC_GP);
        out->contiguous = contiguous_bit(&g, leaf.level, leaf.desc);
        out->perms = p;
        /* Writes stay with the walker until the descriptor is dirty. */
        if (leaf.desc & DESC_AP2)
            out->perms.priv.w = out->perms.unpriv.w = false;
        return true;
    }
}

/* ---- Entry points ---- */

uint8_t walk_fsc(WalkFaultKind kind, int level)
{
    if (level < 0) {
        switch (kind) {
        case WALK_FAULT_ADDR_SIZE: return 0x29;
        case WALK_FAULT_TRANSLATION: return 0x2b;
        case WALK_FAULT_EXT_ABORT: return 0x13;
        default: break;
        }
    }
    unsigned l = (unsigned)level & 3;
    switch (kind) {
    case WALK_FAULT_ADDR_SIZE: return (uint8_t)(0x00 | l);
    case WALK_FAULT_TRANSLATION: return (uint8_t)(0x04 | l);
    case WALK_FAULT_ACCESS_FLAG: return (uint8_t)(0x08 | l);
    case WALK_FAULT_PERMISSION: return (uint8_t)(0x0c | l);
    case WALK_FAULT_EXT_ABORT: return (uint8_t)(0x14 | l);
    default: return 0;
    }
}

/* Completes the result: on a fault, only the fault record is meaningful. */
static bool finish(Walker *w)
{
    WalkResult *res = w->res;
    if (res->fault.kind == WALK_FAULT_NONE)
        return true;
    WalkFault f = res->fault;
    /* WnR is the instruction's; AT instructions report 1 (ESR ISS.WnR). */
    f.wnr = w->acc->type == WALK_WRITE || w->acc->at;
    f.fsc = walk_fsc(f.kind, f.level);
    *res = (WalkResult){.fault = f};
    return false;
}

static void apply_stage2(WalkResult *res, const S2Params *s2, uint8_t s1_attr, uint8_t s1_sh, const S2Out *o)
{
    res->pa = o->pa;
    res->attr = s2->fwb ? attr_s2_fwb(s1_attr, o->memattr) : attr_s2_combine(s1_attr, o->memattr);
    res->sh = sh_s2_combine(s1_sh, o->sh);
    if (o->size_log2 < res->size_log2)
        res->size_log2 = (uint8_t)o->size_log2;
    res->s2_contiguous = o->contiguous;
    res->priv.r &= o->perms.r;
    res->priv.w &= o->perms.w;
    res->priv.x &= o->perms.px;
    res->unpriv.r &= o->perms.r;
    res->unpriv.w &= o->perms.w;
    res->unpriv.x &= o->perms.ux;
}

bool walk_translate(const WalkFeatures *feat, const WalkMem *mem, const S1Params *s1, const S2Params *s2,
                    const WalkAccess *acc, WalkResult *res)
{
    *res = (WalkResult){0};
    bool s2_on = s2 && s2->enabled && s1->regime == WALK_REGIME_EL10;
    Walker w = {feat, mem, s1, s2_on ? s2 : NULL, acc, res};
    S1Out o1 = {0};
    if (!s1_translate(&w, &o1))
        return finish(&w);
    res->pa = res->ipa = o1.oa;
    res->size_log2 = (uint8_t)o1.size_log2;
    res->attr = o1.attr;
    res->sh = o1.sh;
    res->ng = o1.ng;
    res->gp = o1.gp;
    res->contiguous = o1.contiguous;
    res->priv = o1.perms.priv;
    res->unpriv = o1.perms.unpriv;
    if (two_ranges(s1) && s1->enabled) {
        res->has_asid = true;
        res->asid = walk_asid(s1);
    }
    if (s2 && s1->regime == WALK_REGIME_EL10) {
        res->has_vmid = true;
        res->vmid = walk_vmid(s2);
    }
    if (s2_on && !acc->stage1_only) {
        S2Out o2;
        if (!s2_translate(&w, o1.oa, S2_DATA, &o2))
            return finish(&w);
        apply_stage2(res, s2, o1.attr, o1.sh, &o2);
    }
    res->sh = attr_effective_sh(res->attr, res->sh);
    res->device = attr_is_device(res->attr);
    return finish(&w);
}

bool walk_stage2(const WalkFeatures *feat, const WalkMem *mem, const S2Params *s2, uint64_t ipa,
                 const WalkAccess *acc, WalkResult *res)
{
    *res = (WalkResult){0};
    Walker w = {feat, mem, NULL, s2, acc, res};
    S2Out o;
    if (!s2_translate(&w, ipa, S2_DATA, &o))
        return finish(&w);
    /* Alone, stage 2 combines with a Normal Write-Back stage 1. */
    res->ipa = ipa;
    res->size_log2 = 64;
    res->priv = res->unpriv = (WalkPerms){true, true, true};
    apply_stage2(res, s2, 0xff, SH_NON, &o);
    res->sh = attr_effective_sh(res->attr, res->sh);
    res->device = attr_is_device(res->attr);
    res->has_vmid = true;
    res->vmid = walk_vmid(s2);
    return finish(&w);
}
