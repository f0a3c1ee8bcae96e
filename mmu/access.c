/* Slow path of every guest memory access: the regime of the access, its
 * translation by the table walker (mmu/walk.h) with the parameters the
 * system registers give, the faults it raises, memory-type alignment rules,
 * and the soft-TLB fill (DESIGN.md §3). With stage 1 disabled, VA = PA, data
 * accesses are Device-nGnRnE (so any misaligned access faults) and addresses
 * above the implemented PA size take an address size fault (DDI 0487,
 * "The effects of disabling an address translation stage"). */
#include "mmu/mmu.h"

#include <string.h>

#include "mmu/physmem.h"
#include "mmu/walk.h"
#include "sysregs/id_fields.h"
#include "trace/log.h"

/* ---- regimes and their parameters ---- */

/* LDTR/STTR are unprivileged at EL1, and at EL2 in the EL2&0 regime with
 * TGE, unless PSTATE.UAO makes them ordinary accesses (FEAT_UAO). */
MMUIdx mmu_index(const CPUState *cpu, bool unprivileged)
{
    unsigned el = cpu_el(cpu);
    if (el == 0)
        return MMU_IDX_EL0;
    if (unprivileged && !(cpu->pstate & PSTATE_UAO) && (el == 1 || cpu_e2h_tge(cpu)))
        return MMU_IDX_EL0;
    return el == 1 ? MMU_IDX_EL1 : MMU_IDX_EL2;
}

/* The stage 1 regime an MMU index translates in (HCR_EL2 is fixed while the
 * TLB holds entries: writing it flushes). */
static WalkRegime regime_of(const CPUState *cpu, MMUIdx idx)
{
    if (idx == MMU_IDX_EL2)
        return cpu_e2h(cpu) ? WALK_REGIME_EL20 : WALK_REGIME_EL2;
    return idx == MMU_IDX_EL0 && cpu_e2h_tge(cpu) ? WALK_REGIME_EL20 : WALK_REGIME_EL10;
}

static uint64_t field(uint64_t v, unsigned shift, unsigned width) { return v >> shift & ((1ull << width) - 1); }

static unsigned pa_bits(const CPUState *cpu)
{
    static const unsigned bits[] = {32, 36, 40, 42, 44, 48, 52};
    unsigned parange = (unsigned)id_field_get(cpu->sr, IDF_ID_AA64MMFR0_EL1_PARange);
    return parange < 7 ? bits[parange] : 48;
}

/* The ID-register facts the walker needs (ID_AA64MMFR0..2_EL1). */
static void walk_features(const CPUState *cpu, WalkFeatures *f)
{
    const uint64_t *sr = cpu->sr;
    *f = (WalkFeatures){
        .pa_bits = pa_bits(cpu),
        .hafdbs = (unsigned)id_field_get(sr, IDF_ID_AA64MMFR1_EL1_HAFDBS),
        .lpa = pa_bits(cpu) == 52,
        .lva = id_field_get(sr, IDF_ID_AA64MMFR2_EL1_VARange) >= 1,
        .lpa2 = id_field_get(sr, IDF_ID_AA64MMFR0_EL1_TGran4) == 1,
        .ttst = id_field_get(sr, IDF_ID_AA64MMFR2_EL1_ST) >= 1,
        .pan3 = id_field_get(sr, IDF_ID_AA64MMFR1_EL1_PAN) >= 3,
        .xnx = id_field_get(sr, IDF_ID_AA64MMFR1_EL1_XNX) >= 1,
        .bti = id_field_get(sr, IDF_ID_AA64PFR1_EL1_BT) >= 1,
    };
}

static bool has_hpds(const CPUState *cpu) { return id_field_get(cpu->sr, IDF_ID_AA64MMFR1_EL1_HPDS) >= 1; }
static bool has_e0pd(const CPUState *cpu) { return id_field_get(cpu->sr, IDF_ID_AA64MMFR2_EL1_E0PD) >= 1; }

/* SCTLR_ELx.M of the regime, unless HCR_EL2.{DC,TGE} disable stage 1 of EL1&0. */
static bool s1_enabled(const CPUState *cpu, WalkRegime regime)
{
    bool el10 = regime == WALK_REGIME_EL10;
    uint64_t hcr = cpu->has_el2 ? cpu->sr[SR_HCR_EL2] : 0;
    return (cpu->sr[el10 ? SR_SCTLR_EL1 : SR_SCTLR_EL2] & SCTLR_M) && !(el10 && (hcr & (HCR_DC | HCR_TGE)));
}

/* Stage 1 controls of a regime. Fields of features the CPU does not have are
 * passed as 0, as the walker requires. */
static void s1_params(const CPUState *cpu, WalkRegime regime, const WalkFeatures *feat, S1Params *p)
{
    bool el10 = regime == WALK_REGIME_EL10;
    uint64_t hcr = cpu->has_el2 ? cpu->sr[SR_HCR_EL2] : 0;
    uint64_t sctlr = cpu->sr[el10 ? SR_SCTLR_EL1 : SR_SCTLR_EL2];
    uint64_t tcr = cpu->sr[el10 ? SR_TCR_EL1 : SR_TCR_EL2];
    memset(p, 0, sizeof *p); /* padding too: TLB keys compare these bytes */
    p->regime = regime;
    p->enabled = s1_enabled(cpu, regime);
    p->dc = el10 && (hcr & HCR_DC);
    p->ee = sctlr & SCTLR_EE;
    p->mair = cpu->sr[el10 ? SR_MAIR_EL1 : SR_MAIR_EL2];
    p->wxn = sctlr & SCTLR_WXN;
    p->epan = feat->pan3 && (sctlr & SCTLR_EPAN);
    p->pan = cpu->pstate & PSTATE_PAN;
    /* FEAT_S1PIE: TCR2_ELx.PIE selects PIR_ELx/PIRE0_ELx (no PIRE0 in the EL2 regime). */
    p->pie = (el10 ? cpu_tcr2_el1_enabled(cpu) : feature_has(&cpu->features, FEAT_TCR2)) &&
             (cpu->sr[el10 ? SR_TCR2_EL1 : SR_TCR2_EL2] & TCR2_PIE);
    p->pir = cpu->sr[el10 ? SR_PIR_EL1 : SR_PIR_EL2];
    p->pire0 = regime == WALK_REGIME_EL2 ? 0 : cpu->sr[el10 ? SR_PIRE0_EL1 : SR_PIRE0_EL2];
    bool hpds = has_hpds(cpu);
    bool pauth = feature_has(&cpu->features, FEAT_PAUTH); /* TCR_ELx.TBIDn are RES0 without it */
    if (regime == WALK_REGIME_EL2) {
        S1RangeParams *r = &p->range[0];
        r->ttbr = cpu->sr[SR_TTBR0_EL2];
        r->tsz = (uint8_t)field(tcr, TCR_TNSZ_SHIFT(0), 6);
        r->tg = (uint8_t)field(tcr, TCR_TG_SHIFT(0), 2);
        r->sh = (uint8_t)field(tcr, TCR_SH_SHIFT(0), 2);
        r->tbi = tcr & TCR_EL2_TBI;
        r->tbid = pauth && (tcr & TCR_EL2_TBID);
        r->hpd = hpds && (tcr & TCR_EL2_HPD);
        p->ps = (uint8_t)field(tcr, TCR_EL2_PS_SHIFT, 3);
        p->ha = tcr & TCR_EL2_HA;
        p->hd = tcr & TCR_EL2_HD;
        return;
    }
    for (unsigned n = 0; n < 2; n++) {
        S1RangeParams *r = &p->range[n];
        r->ttbr = cpu->sr[el10 ? (n ? SR_TTBR1_EL1 : SR_TTBR0_EL1) : (n ? SR_TTBR1_EL2 : SR_TTBR0_EL2)];
        r->tsz = (uint8_t)field(tcr, TCR_TNSZ_SHIFT(n), 6);
        r->tg = (uint8_t)field(tcr, TCR_TG_SHIFT(n), 2);
        r->sh = (uint8_t)field(tcr, TCR_SH_SHIFT(n), 2);
        r->epd = tcr & TCR_EPD(n);
        r->e0pd = has_e0pd(cpu) && (tcr & TCR_E0PD(n));
        r->tbi = tcr & TCR_TBI(n);
        r->tbid = pauth && (tcr & TCR_TBID(n));
        r->hpd = hpds && (tcr & TCR_HPD(n));
    }
    p->ps = (uint8_t)field(tcr, TCR_IPS_SHIFT, 3);
    p->a1 = tcr & TCR_A1;
    p->as16 = (tcr & TCR_AS) && id_field_get(cpu->sr, IDF_ID_AA64MMFR0_EL1_ASIDBits) == 2;
    p->ha = tcr & TCR_HA;
    p->hd = tcr & TCR_HD;
}

/* Stage 2 of the EL1&0 regime: on with HCR_EL2.VM or DC, never with TGE. */
static void s2_params(const CPUState *cpu, S2Params *p)
{
    uint64_t hcr = cpu->has_el2 ? cpu->sr[SR_HCR_EL2] : 0, vtcr = cpu->sr[SR_VTCR_EL2];
    memset(p, 0, sizeof *p); /* padding too: TLB keys compare these bytes */
    p->enabled = (hcr & (HCR_VM | HCR_DC)) && !(hcr & HCR_TGE);
    p->vttbr = cpu->sr[SR_VTTBR_EL2];
    p->t0sz = (uint8_t)field(vtcr, 0, 6);
    p->sl0 = (uint8_t)field(vtcr, VTCR_SL0_SHIFT, 2);
    p->tg0 = (uint8_t)field(vtcr, VTCR_TG0_SHIFT, 2);
    p->ps = (uint8_t)field(vtcr, VTCR_PS_SHIFT, 3);
    p->sh = (uint8_t)field(vtcr, VTCR_SH0_SHIFT, 2);
    p->vs16 = (vtcr & VTCR_VS) && id_field_get(cpu->sr, IDF_ID_AA64MMFR1_EL1_VMIDBits) == 2;
    p->ha = vtcr & VTCR_HA;
    p->hd = vtcr & VTCR_HD;
    p->ee = cpu->sr[SR_SCTLR_EL2] & SCTLR_EE;
    p->ptw = hcr & HCR_PTW;
}

/* The key of the TLB context idx translates in now: the walker's
 * parameters, which are every register a cached translation depends on. */
static void tlb_key(const CPUState *cpu, MMUIdx idx, TLBKey *key)
{
    WalkFeatures feat;
    WalkRegime regime = regime_of(cpu, idx);
    memset(key, 0, sizeof *key);
    walk_features(cpu, &feat);
    s1_params(cpu, regime, &feat, &key->s1);
    key->s1.pan = false; /* PAN-dependent permissions are never cached (cacheable_perms) */
    key->has_s2 = regime == WALK_REGIME_EL10 && cpu->has_el2;
    if (key->has_s2)
        s2_params(cpu, &key->s2);
}

/* cur[idx] for a fill: the context of the current controls. A new context
 * may map pcs to other blocks: the jump cache goes. */
static void tlb_resolve_current(CPUState *cpu, MMUIdx idx)
{
    if (cpu->tlb.cur[idx] != &tlb_empty)
        return;
    TLBKey key;
    tlb_key(cpu, idx, &key);
    if (tlb_resolve(&cpu->tlb, idx, &key))
        tb_jmp_cache_clear(&cpu->jmp_cache);
}

/* Descriptor memory: guest RAM, little-endian (SCTLR.EE = 1 is not supported
 * by the rest of Nestor either). */
static bool desc_read(void *opaque, uint64_t pa, uint64_t *value)
{
    const uint8_t *p = as_ram_ptr(opaque, pa, 8);
    if (!p)
        return false;
    memcpy(value, p, 8);
    return true;
}

static bool desc_cas(void *opaque, uint64_t pa, uint64_t expected, uint64_t desired, uint64_t *actual)
{
    uint8_t *p = as_ram_ptr(opaque, pa, 8);
    if (!p)
        return false;
    memcpy(actual, p, 8);
    if (*actual == expected)
        memcpy(p, &desired, 8);
    return true;
}

typedef enum { ACC_READ, ACC_WRITE, ACC_EXEC } AccessType;

/* Walks va for an access through MMU index idx; false with res->fault set
 * when it faults. */
static bool walk_flat(CPUState *cpu, MMUIdx idx, uint64_t va, WalkAccessType type, bool at, bool ignore_pan,
                      bool stage1_only, WalkResult *res, unsigned *flat_pa_bits)
{
    WalkFeatures feat;
    S1Params s1;
    S2Params s2;
    WalkRegime regime = regime_of(cpu, idx);
    walk_features(cpu, &feat);
    s1_params(cpu, regime, &feat, &s1);
    s2_params(cpu, &s2);
    WalkMem mem = {.opaque = cpu->as, .read = desc_read, .cas = desc_cas};
    WalkAccess acc = {.va = va,
                      .type = type,
                      .unprivileged = idx == MMU_IDX_EL0,
                      .at = at,
                      .ignore_pan = ignore_pan,
                      .stage1_only = stage1_only};
    const S2Params *stage2 = regime == WALK_REGIME_EL10 && cpu->has_el2 ? &s2 : NULL;
    if (flat_pa_bits)
        *flat_pa_bits = !s1.enabled && (!stage2 || !s2.enabled) ? feat.pa_bits : 0;
    return walk_translate(&feat, &mem, &s1, stage2, &acc, res);
}

static bool walk(CPUState *cpu, MMUIdx idx, uint64_t va, WalkAccessType type, bool at, bool ignore_pan,
                 bool stage1_only, WalkResult *res)
{
    return walk_flat(cpu, idx, va, type, at, ignore_pan, stage1_only, res, NULL);
}

/* ---- faults ---- */

/* Aborts that are not translation faults (alignment, External): routed like
 * any synchronous exception of the current EL (EL1, or EL2 with TGE). */
_Noreturn static void raise_abort(CPUState *cpu, uint64_t va, AccessType type, unsigned fsc, uint32_t syndrome)
{
    unsigned target = cpu_sync_target_el(cpu);
    bool same = target == cpu_el(cpu);
    if (type == ACC_EXEC) {
        cpu_take_exception(cpu, target, same ? EC_IABORT_SAME : EC_IABORT_LOWER, fsc, va, true, va);
    }
    /* ISV (and the syndrome fields it validates) is only reported for stage 2
     * aborts taken to EL2 (DDI 0487 D24.2.40, ISS encoding for a Data Abort):
     * raise_walk_fault adds it there. */
    (void)syndrome;
    uint32_t iss = fsc | (type == ACC_WRITE ? DABT_WNR : 0);
    cpu_take_exception(cpu, target, same ? EC_DABORT_SAME : EC_DABORT_LOWER, iss, cpu->pc, true, va);
}

/* A fault the walker reported. Stage 2 faults (including those on stage 1
 * walks, S1PTW) go to EL2 with HPFAR_EL2 holding the faulting IPA; stage 1
 * faults are routed like other synchronous exceptions. */
_Noreturn static void raise_walk_fault(CPUState *cpu, uint64_t va, AccessType type, const WalkFault *f,
                                       uint32_t syndrome, bool from_at)
{
    bool stage2 = f->stage == 2;
    unsigned target = stage2 ? 2 : cpu_sync_target_el(cpu);
    bool same = target == cpu_el(cpu);
    uint32_t iss = f->fsc | (f->s1ptw ? ABT_S1PTW : 0);
    /* HPFAR_EL2 is only defined when the walker says so (IPAValid());
     * otherwise it is UNKNOWN, and the faulting IPA is what a hypervisor
     * can use best (QEMU writes it too). */
    if (stage2)
        cpu->sr[SR_HPFAR_EL2] = (f->ipa >> 12 << 4) & 0xfffffffffff0ull;
    if (type == ACC_EXEC)
        cpu_take_exception(cpu, target, same ? EC_IABORT_SAME : EC_IABORT_LOWER, iss, va, true, va);
    if (f->wnr)
        iss |= DABT_WNR;
    if (from_at)
        iss |= ABT_CM; /* from an address translation instruction */
    else if (stage2 && !f->s1ptw)
        iss |= syndrome;
    cpu_take_exception(cpu, target, same ? EC_DABORT_SAME : EC_DABORT_LOWER, iss, cpu->pc, true, va);
}

/* Translates va for an access, raising the fault if it has one. */
static void translate(CPUState *cpu, MMUIdx idx, uint64_t va, AccessType type, uint32_t syndrome, WalkResult *res)
{
    static const WalkAccessType kinds[] = {[ACC_READ] = WALK_READ, [ACC_WRITE] = WALK_WRITE, [ACC_EXEC] = WALK_EXEC};
    __typeof__(cpu->tlb.flat[0][0]) *flat = &cpu->tlb.flat[idx][type];
    if (flat->valid && !(va >> flat->pa_bits)) { /* MMU off: no walk (the TLB misses often in large RAM) */
        *res = flat->res;
        res->pa = res->ipa = va;
        return;
    }
    unsigned flat_pa_bits;
    if (!walk_flat(cpu, idx, va, kinds[type], false, false, false, res, &flat_pa_bits))
        raise_walk_fault(cpu, va, type, &res->fault, syndrome, false);
    if (flat_pa_bits && res->pa == va) {
        flat->valid = true;
        flat->pa_bits = (uint8_t)flat_pa_bits;
        flat->res = *res;
    }
}

bool mmu_data_is_device(CPUState *cpu, uint64_t va)
{
    WalkResult res;
    translate(cpu, mmu_index(cpu, false), va, ACC_WRITE, 0, &res);
    return res.device;
}

_Noreturn void mmu_raise_alignment_fault(CPUState *cpu, uint64_t va, bool is_write)
{
    raise_abort(cpu, va, is_write ? ACC_WRITE : ACC_READ, FSC_ALIGNMENT, 0);
}

/* ---- TLB maintenance and address translation instructions ---- */

void mmu_translation_changed(CPUState *cpu) { tlb_unresolve(&cpu->tlb); }

/* The VA a TLBI by VA names: Xt[43:0] holds VA[55:12] (DDI 0487 D8.13.4). */
static uint64_t tlbi_va(uint64_t xt) { return (uint64_t)((int64_t)(xt << 20) >> 8) & PAGE_MASK; }

/* FEAT_TLBIRANGE operand: ASID [63:48], TG [47:46], SCALE [45:44], NUM
 * [43:39], TTL [38:37], BaseADDR [36:0] in units of the granule, sign
 * extended from bit 36 (the VA range select). The range is (NUM + 1) *
 * 2^(5 * SCALE + 1) granules. TG 0 is reserved: nothing need go. */
static bool tlbi_range(uint64_t xt, uint64_t *lo, uint64_t *hi)
{
    static const unsigned granule_bits[] = {0, 12, 14, 16};
    unsigned tg = (unsigned)field(xt, 46, 2), scale = (unsigned)field(xt, 44, 2), num = (unsigned)field(xt, 39, 5);
    if (!tg)
        return false;
    unsigned shift = granule_bits[tg];
    int64_t base = (int64_t)(xt << 27) >> 27;
    uint64_t len = (uint64_t)(num + 1) << (5 * scale + 1 + shift);
    *lo = ((uint64_t)base << shift) & PAGE_MASK;
    *lo = (uint64_t)((int64_t)(*lo << 8) >> 8);
    *hi = *lo + len - 1 < *lo ? ~0ull : *lo + len - 1;
    return true;
}

static uint16_t current_vmid(const CPUState *cpu)
{
    S2Params s2;
    s2_params(cpu, &s2);
    return walk_vmid(&s2);
}

void mmu_tlbi(CPUState *cpu, unsigned op, uint64_t xt)
{
    TLBIScope s = {0};
    bool e2h = cpu_e2h(cpu);
    if (op & TLBI_E2) { /* the EL2 regime, or EL2&0 with ASIDs */
        s.regimes = 1u << WALK_REGIME_EL2 | 1u << WALK_REGIME_EL20;
        s.match_asid = e2h && (op & TLBI_ASID);
    } else if ((op & TLBI_E1) && cpu_el(cpu) == 2 && cpu_e2h_tge(cpu)) {
        s.regimes = 1u << WALK_REGIME_EL20; /* EL1 instructions at EL2 in the host */
        s.match_asid = op & TLBI_ASID;
    } else { /* EL1&0: the current VMID, or every VMID (ALLE1) */
        s.regimes = 1u << WALK_REGIME_EL10;
        s.match_vmid = cpu->has_el2 && !(op & TLBI_ALL_VMIDS);
        s.vmid = current_vmid(cpu);
        s.match_asid = op & TLBI_ASID;
    }
    s.asid = (uint16_t)(xt >> 48);
    if (op & TLBI_VA) {
        s.by_va = true;
        if (op & TLBI_RANGE) {
            if (!tlbi_range(xt, &s.va_lo, &s.va_hi))
                return;
        } else {
            s.va_lo = s.va_hi = tlbi_va(xt);
        }
    } else if (op & TLBI_IPA) {
        s.by_ipa = true;
        if (op & TLBI_RANGE) {
            if (!tlbi_range(xt & ~(1ull << 36), &s.ipa_lo, &s.ipa_hi)) /* IPAs have no range select */
                return;
        } else {
            s.ipa_lo = s.ipa_hi = (xt & 0xffffffffffull) << PAGE_BITS;
        }
    }
    bool bcast = (op & TLBI_BCAST) || (cpu_el(cpu) == 1 && (cpu->sr[SR_HCR_EL2] & HCR_FB) && cpu->has_el2);
    AddressSpace *as = cpu->as;
    unsigned n = bcast && as->cpus ? as->ncpus : 1;
    for (unsigned c = 0; c < n; c++) {
        CPUState *t = bcast && as->cpus ? &as->cpus[c] : cpu;
        if (!tlb_invalidate(&t->tlb, &s))
            continue;
        /* compiled code and the run loop trust the jump cache's pc -> block
         * answers: those of the pages that went go too */
        uint64_t pages = ((s.va_hi - s.va_lo) >> PAGE_BITS) + 1;
        if (s.by_va && pages <= 4) {
            for (uint64_t p = 0; p < pages; p++)
                tb_jmp_cache_drop_page(&t->jmp_cache, s.va_lo + p * PAGE_SIZE, PAGE_SIZE);
        } else {
            tb_jmp_cache_clear(&t->jmp_cache);
        }
    }
}

uint64_t mmu_address_translate(CPUState *cpu, uint64_t va, MMUIdx idx, bool write, bool stage1_only)
{
    WalkResult res;
    bool ok = walk(cpu, idx, va, write ? WALK_WRITE : WALK_READ, true, true, stage1_only, &res);
    if (!ok) {
        const WalkFault *f = &res.fault;
        /* AT S1E0* and S1E1* from EL1 take a stage 2 fault on the stage 1
         * walk as an exception to EL2 (DDI 0487 D8.15, "Address translation
         * instructions"); S12E* report it in PAR_EL1. */
        if (f->stage == 2 && stage1_only && cpu_el(cpu) == 1)
            raise_walk_fault(cpu, va, ACC_READ, f, 0, true);
        return PAR_F | (uint64_t)f->fsc << PAR_FST_SHIFT | (f->s1ptw ? PAR_PTW : 0) | (f->stage == 2 ? PAR_S : 0) |
               PAR_RES1_FAULT;
    }
    /* NS is UNKNOWN for a Non-secure regime; Nestor reports 1 like QEMU. */
    return (uint64_t)res.attr << PAR_ATTR_SHIFT | (res.pa & 0xffffffffff000ull) | PAR_NS |
           (uint64_t)(res.sh & 3) << PAR_SH_SHIFT;
}

static void note_code_write(CPUState *cpu, uint64_t pa, unsigned size)
{
    AddressSpace *as = cpu->as;
    uint64_t first = (pa - as->ram_base) >> PAGE_BITS, last = (pa + size - 1 - as->ram_base) >> PAGE_BITS;
    for (uint64_t p = first; p <= last && p < as->ram_size >> PAGE_BITS; p++)
        as_note_stale_code(as, p);
}

bool mmu_apply_code_invalidations(CPUState *cpu)
{
    AddressSpace *as = cpu->as;
    cpu->code_dirty = false;
    as->code_stale = false;
    if (!as->nstale)
        return false;
    for (size_t k = 0; k < as->nstale; k++) {
        uint64_t p = as->stale[k];
        uint64_t start = as->ram_base + (p << PAGE_BITS);
        /* the blocks are shared by the CPUs, the others are between blocks */
        tb_invalidate_phys(&cpu->engine->tbs, start, start + PAGE_SIZE);
        as->code_pages[p] = CODE_PAGE_NONE;
    }
    as->nstale = 0;
    return true;
}

/* Fills the TLB entry of a RAM page with what idx may do there without
 * another walk. Writes to pages holding translated code keep the slow path
 * so that they invalidate the blocks. A privileged data permission that
 * PSTATE.PAN decides (stage 1 on, the page accessible from EL0) is not
 * cached: PAN changes without a TLB flush. */
/* What idx may do at a page without another walk. */
static WalkPerms cacheable_perms(const CPUState *cpu, MMUIdx idx, const WalkResult *res)
{
    WalkPerms p = idx == MMU_IDX_EL0 ? res->unpriv : res->priv;
    /* unpriv.x: with SCTLR_ELx.EPAN or S1PIE, PAN also covers EL0-executable pages. */
    if (idx != MMU_IDX_EL0 && feature_has(&cpu->features, FEAT_PAN) &&
        (res->unpriv.r || res->unpriv.w || res->unpriv.x) &&
        s1_enabled(cpu, regime_of(cpu, idx)))
        p.r = p.w = false;
    return p;
}

static void tlb_fill_ram(CPUState *cpu, MMUIdx idx, uint64_t va, const WalkResult *res, uint8_t *host)
{
    tlb_resolve_current(cpu, idx);
    TLBEntry *e = tlb_fill_entry(&cpu->tlb, idx, va, res->size_log2);
    uint64_t page = va & PAGE_MASK;
    bool code = cpu->as->code_pages[(res->pa - cpu->as->ram_base) >> PAGE_BITS] != 0;
    WalkPerms p = cacheable_perms(cpu, idx, res);
    if (cpu_watchpoint_on_page(cpu, page)) /* watched data accesses take the slow path */
        p.r = p.w = false;
    e->addr_read = p.r ? page : TLB_NO_MATCH;
    e->addr_code = p.x ? page : TLB_NO_MATCH;
    e->addr_write = p.w && !code ? page : TLB_NO_MATCH;
    e->addend = (uintptr_t)host - (uintptr_t)page;
    e->phys = res->pa & PAGE_MASK;
    e->vpage = page;
    e->ipa = res->ipa & PAGE_MASK;
    e->device = res->device;
    e->ng = res->ng;
    e->gp = res->gp;
}

/* The host address of va if idx's TLB maps its page to Normal RAM for this
 * kind of access, else NULL. */
static uint8_t *tlb_normal_host(CPUState *cpu, MMUIdx idx, uint64_t va, bool write)
{
    TLBEntry *e = tlb_entry(&cpu->tlb, idx, va);
    if (!tlb_page_match(write ? e->addr_write : e->addr_read, va) || e->device)
        return NULL;
    return (uint8_t *)(uintptr_t)(va + e->addend);
}

static uint64_t load_host(const uint8_t *p, unsigned size)
{
    switch (size) {
    case 1: return *p;
    case 2: { uint16_t v; memcpy(&v, p, 2); return v; }
    case 4: { uint32_t v; memcpy(&v, p, 4); return v; }
    default: { uint64_t v; memcpy(&v, p, 8); return v; }
    }
}

static void store_host(uint8_t *p, unsigned size, uint64_t v)
{
    switch (size) {
    case 1: *p = (uint8_t)v; break;
    case 2: { uint16_t x = (uint16_t)v; memcpy(p, &x, 2); break; }
    case 4: { uint32_t x = (uint32_t)v; memcpy(p, &x, 4); break; }
    default: memcpy(p, &v, 8); break;
    }
}

static uint64_t sign_extend(uint64_t v, unsigned size)
{
    unsigned shift = 64 - size * 8;
    return shift ? (uint64_t)((int64_t)(v << shift) >> shift) : v;
}

static const MemRegion *access_region(CPUState *cpu, uint64_t va, uint64_t pa, unsigned size, AccessType type,
                                      uint32_t syndrome)
{
    const MemRegion *r = as_find(cpu->as, pa);
    if (!r || size > r->size - (pa - r->base)) {
        if (log_enabled(LOG_GUEST_ERRORS))
            log_printf("guest %s of %u bytes at unassigned physical address 0x%llx (pc 0x%llx)\n",
                       type == ACC_WRITE ? "write" : "read", size, (unsigned long long)pa,
                       (unsigned long long)cpu->pc);
        raise_abort(cpu, va, type, FSC_SYNC_EXTERNAL, syndrome);
    }
    return r;
}

/* SCTLR_ELx.A of the regime idx translates in. */
static bool alignment_checked(const CPUState *cpu, MMUIdx idx)
{
    return cpu->sr[regime_of(cpu, idx) == WALK_REGIME_EL10 ? SR_SCTLR_EL1 : SR_SCTLR_EL2] & SCTLR_A;
}

/* A misaligned access: an alignment fault if the instruction requires
 * alignment or SCTLR_ELx.A is set (before translation), or if either end is
 * Device memory (after). Returns the host addresses of both ends when both
 * are Normal RAM already in the TLB (the common case: no walk), else NULL
 * after translating both ends, so that a fault on the second page comes
 * before any byte is accessed. */
static bool misaligned_access(CPUState *cpu, MMUIdx idx, uint64_t va, unsigned size, unsigned flags,
                              AccessType type, uint32_t syndrome, uint8_t *host[2])
{
    if ((flags & IRM_ALIGN) || alignment_checked(cpu, idx))
        raise_abort(cpu, va, type, FSC_ALIGNMENT, syndrome);
    uint64_t last = va + size - 1;
    host[0] = tlb_normal_host(cpu, idx, va, type == ACC_WRITE);
    host[1] = tlb_normal_host(cpu, idx, last, type == ACC_WRITE);
    if (host[0] && host[1])
        return true;
    WalkResult first, second;
    translate(cpu, idx, va, type, syndrome, &first);
    translate(cpu, idx, last & PAGE_MASK, type, syndrome, &second);
    if (first.device || second.device)
        raise_abort(cpu, va, type, FSC_ALIGNMENT, syndrome);
    return false;
}

/* The byte of a misaligned access at va + i, from the host addresses of its ends. */
static uint8_t *misaligned_byte(uint8_t *const host[2], uint64_t va, unsigned size, unsigned i)
{
    uint64_t last = va + size - 1;
    return ((va + i) & PAGE_MASK) == (va & PAGE_MASK) ? host[0] + i : host[1] - (last - (va + i));
}

/* Translates an aligned access and finds its region (RAM pages enter the
 * TLB). Returns the host address for RAM, NULL for MMIO (*region and *pa say
 * where). */
static uint8_t *prepare_access(CPUState *cpu, MMUIdx idx, uint64_t va, unsigned size, AccessType type,
                               uint32_t syndrome, const MemRegion **region, uint64_t *pa)
{
    bool write = type == ACC_WRITE;
    cpu_watchpoint_check(cpu, va, size, write); /* self-hosted debug (cpu/debug.c) */
    if (tlb_page_match(cpu->tlb.mmio[idx][write].tag, va)) {
        *pa = cpu->tlb.mmio[idx][write].phys | (va & ~PAGE_MASK);
        *region = access_region(cpu, va, *pa, size, type, syndrome);
        return NULL;
    }
    WalkResult res;
    translate(cpu, idx, va, type, syndrome, &res);
    *pa = res.pa;
    const MemRegion *r = *region = access_region(cpu, va, res.pa, size, type, syndrome);
    if (!r->ram) {
        WalkPerms p = cacheable_perms(cpu, idx, &res);
        if (write ? p.w : p.r) {
            cpu->tlb.mmio[idx][write].tag = va & PAGE_MASK;
            cpu->tlb.mmio[idx][write].phys = res.pa & PAGE_MASK;
        }
        return NULL;
    }
    uint8_t *host = r->ram + (res.pa - r->base);
    tlb_fill_ram(cpu, idx, va, &res, host - (res.pa & ~PAGE_MASK));
    return host;
}

static uint64_t load_aligned(CPUState *cpu, MMUIdx idx, uint64_t va, unsigned size, uint32_t syndrome)
{
    const MemRegion *r;
    uint64_t pa, v;
    uint8_t *host = prepare_access(cpu, idx, va, size, ACC_READ, syndrome, &r, &pa);
    if (host)
        return load_host(host, size);
    if (!r->ops->read(r->opaque, pa - r->base, size, &v))
        raise_abort(cpu, va, ACC_READ, FSC_SYNC_EXTERNAL, syndrome);
    return size < 8 ? v & ((1ull << (size * 8)) - 1) : v; /* the IR's load contract: extended here, never by a device */
}

static void store_aligned(CPUState *cpu, MMUIdx idx, uint64_t va, uint64_t value, unsigned size, uint32_t syndrome)
{
    const MemRegion *r;
    uint64_t pa;
    uint8_t *host = prepare_access(cpu, idx, va, size, ACC_WRITE, syndrome, &r, &pa);
    if (!host) {
        if (!r->ops->write(r->opaque, pa - r->base, size, value))
            raise_abort(cpu, va, ACC_WRITE, FSC_SYNC_EXTERNAL, syndrome);
        if (cpu->as->code_stale) { /* the device wrote code by DMA */
            cpu->code_dirty = true;
            cpu_kick(cpu);
        }
        return;
    }
    if (cpu->as->code_pages[(pa - cpu->as->ram_base) >> PAGE_BITS]) {
        note_code_write(cpu, pa, size);
        cpu->code_dirty = true;
        cpu_kick(cpu);
    }
    store_host(host, size, value);
}

uint64_t mmu_load(void *env, uint64_t va, unsigned size, unsigned flags, uint64_t syndrome)
{
    CPUState *cpu = env;
    MMUIdx idx = mmu_index(cpu, flags & IRM_UNPRIV);
    TLBEntry *e = tlb_entry(&cpu->tlb, idx, va);
    uint64_t v;
    if (tlb_fast_match(e->addr_read, va, size)) {
        v = load_host((const uint8_t *)(uintptr_t)(va + e->addend), size);
    } else if (va & (size - 1)) {
        uint8_t *host[2];
        bool direct = misaligned_access(cpu, idx, va, size, flags, ACC_READ, (uint32_t)syndrome, host);
        v = 0;
        for (unsigned i = 0; i < size; i++) {
            uint64_t byte = direct ? *misaligned_byte(host, va, size, i)
                                   : load_aligned(cpu, idx, va + i, 1, (uint32_t)syndrome);
            v |= byte << (8 * i);
        }
    } else {
        v = load_aligned(cpu, idx, va, size, (uint32_t)syndrome);
    }
    return flags & IRM_SIGNED ? sign_extend(v, size) : v;
}

void mmu_store(void *env, uint64_t va, uint64_t value, unsigned size, unsigned flags, uint64_t syndrome)
{
    CPUState *cpu = env;
    MMUIdx idx = mmu_index(cpu, flags & IRM_UNPRIV);
    TLBEntry *e = tlb_entry(&cpu->tlb, idx, va);
    if (tlb_fast_match(e->addr_write, va, size)) {
        store_host((uint8_t *)(uintptr_t)(va + e->addend), size, value);
    } else if (va & (size - 1)) {
        uint8_t *host[2];
        bool direct = misaligned_access(cpu, idx, va, size, flags, ACC_WRITE, (uint32_t)syndrome, host);
        for (unsigned i = 0; i < size; i++) {
            if (direct)
                *misaligned_byte(host, va, size, i) = (uint8_t)(value >> (8 * i));
            else
                store_aligned(cpu, idx, va + i, value >> (8 * i) & 0xff, 1, (uint32_t)syndrome);
        }
    } else {
        store_aligned(cpu, idx, va, value, size, (uint32_t)syndrome);
    }
}

/* Instruction fetches translate like data accesses, with execute permission;
 * the TLB entry's addr_code serves later fetches from the page. */
bool mmu_fetch_insn(CPUState *cpu, uint64_t va, uint32_t *insn, uint64_t *pa_out, bool *guarded, bool raise_fault)
{
    if (va & 3) {
        if (raise_fault)
            cpu_take_exception(cpu, cpu_sync_target_el(cpu), EC_PC_ALIGN, 0, va, true, va);
        return false;
    }
    MMUIdx idx = mmu_index(cpu, false);
    TLBEntry *e = tlb_entry(&cpu->tlb, idx, va);
    AddressSpace *as = cpu->as;
    if (tlb_page_match(e->addr_code, va)) {
        *insn = (uint32_t)load_host((const uint8_t *)(uintptr_t)(va + e->addend), 4);
        *pa_out = e->phys | (va & ~PAGE_MASK);
        if (guarded)
            *guarded = e->gp;
        return true;
    }
    WalkResult res;
    if (!walk(cpu, idx, va, WALK_EXEC, false, false, false, &res)) {
        if (raise_fault)
            raise_walk_fault(cpu, va, ACC_EXEC, &res.fault, 0, false);
        return false;
    }
    uint8_t *host = as_ram_ptr(as, res.pa, 4);
    if (!host) {
        if (raise_fault)
            raise_abort(cpu, va, ACC_EXEC, FSC_SYNC_EXTERNAL, 0);
        return false;
    }
    tlb_fill_ram(cpu, idx, va, &res, host - (res.pa & ~PAGE_MASK));
    *insn = (uint32_t)load_host(host, 4);
    *pa_out = res.pa;
    if (guarded)
        *guarded = res.gp;
    return true;
}
