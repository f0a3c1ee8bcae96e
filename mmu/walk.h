/* The VMSAv8-64 translation table walker: stage 1 for the EL1&0, EL2 and
 * EL2&0 regimes, stage 2 for EL1&0, permission checks (Direct and S1PIE
 * Indirect), hardware Access flag and dirty state updates, and the fault
 * record that the exception code turns into ESR/FAR/HPFAR/PAR.
 *
 * Pure functions over explicit parameter structs: the caller derives the
 * parameters from the system registers of the current regime (DESIGN.md §3)
 * and supplies descriptor memory through callbacks. Nothing here knows
 * CPUState, sysregs or the TLB.
 *
 * The rules follow DDI 0487 chapter D8 ("The AArch64 Virtual Memory System
 * Architecture") and its pseudocode (J1.1.4 aarch64/translation:
 * AArch64.S1Translate, AArch64.S2Translate, AArch64.S1Walk, AArch64.S2Walk,
 * AArch64.S1DirectBasePermissions, AArch64.S1IndirectBasePermissions, ...). */
#ifndef NESTOR_MMU_WALK_H
#define NESTOR_MMU_WALK_H

#include <stdbool.h>
#include <stdint.h>

/* Implementation facts (ID_AA64MMFR*_EL1) that change what the walker does.
 * Register fields the caller passes are otherwise taken at face value: a
 * field of an unimplemented feature must be passed as 0 (RES0). */
typedef struct {
    unsigned pa_bits; /* AArch64.PAMax(): 32, 36, 40, 42, 44, 48 or 52 (PARange) */
    unsigned hafdbs;  /* FEAT_HAFDBS level: 0 none, 1 Access flag, 2 Access flag and dirty state */
    bool lpa;         /* FEAT_LPA: 52-bit OA with the 64KB granule (needs pa_bits == 52) */
    bool lva;         /* FEAT_LVA: 52-bit VA with the 64KB granule */
    bool lpa2;        /* FEAT_LPA2: TCR_ELx.DS / VTCR_EL2.DS are honoured (52-bit with 4KB/16KB) */
    bool ttst;        /* FEAT_TTST: larger maximum TnSZ */
    bool pan3;        /* FEAT_PAN3: SCTLR_ELx.EPAN is honoured */
    bool xnx;         /* FEAT_XNX: stage 2 XN[0] distinguishes EL0 and EL1 execution */
    bool bti;         /* FEAT_BTI: stage 1 Block and Page descriptors have GP (bit 50) */
} WalkFeatures;

/* Stage 1 translation regimes. */
typedef enum {
    WALK_REGIME_EL10, /* EL1&0: two VA ranges, EL0 side, ASIDs, PAN, stage 2 applies */
    WALK_REGIME_EL2,  /* EL2 with HCR_EL2.E2H == 0: one VA range, no EL0 side, no ASID */
    WALK_REGIME_EL20, /* EL2&0 (VHE): two VA ranges, EL0 side, ASIDs, PAN, no stage 2 */
} WalkRegime;

/* The controls of one VA range (TTBR0 for the lower, TTBR1 for the upper). */
typedef struct {
    uint64_t ttbr; /* TTBRn_ELx as written: BADDR, ASID (bits [63:48]) and, with 52-bit OAs, BADDR[51:48] in [5:2] */
    uint8_t tsz;   /* TCR_ELx.TnSZ */
    uint8_t tg;    /* TCR_ELx.TGn as encoded: range[0] uses the TG0 encoding, range[1] the TG1 encoding */
    uint8_t sh;    /* TCR_ELx.SHn: the Shareability of leaves when DS == 1 (descriptor bits [9:8] hold OA bits) */
    bool epd;      /* TCR_ELx.EPDn: a walk of this range takes a level 0 Translation fault */
    bool e0pd;     /* TCR_ELx.E0PDn (FEAT_E0PD): unprivileged accesses to this range fault */
    bool tbi;      /* TCR_ELx.TBIn (TCR_EL2.TBI for the EL2 regime) */
    bool tbid;     /* TCR_ELx.TBIDn: TBI applies to data accesses only */
    bool hpd;      /* TCR_ELx.HPDn (FEAT_HPDS): hierarchical permissions disabled */
} S1RangeParams;

typedef struct {
    WalkRegime regime;
    /* SCTLR_ELx.M == 0 (or, for EL1&0, HCR_EL2.{DC,TGE} != {0,0}): VA maps flat
     * to the output, Device-nGnRnE for data, Normal for fetches. */
    bool enabled;
    bool dc;                  /* HCR_EL2.DC with stage 1 disabled: data is Normal Write-Back */
    S1RangeParams range[2];   /* [0] lower (TTBR0), [1] upper (TTBR1); the EL2 regime uses [0] only */
    uint8_t ps;               /* TCR_ELx.IPS (EL1&0, EL2&0) or TCR_EL2.PS (EL2): output size */
    bool a1;                  /* TCR_ELx.A1: the ASID comes from TTBR1 */
    bool as16;                /* TCR_ELx.AS: 16-bit ASIDs */
    bool ha, hd;              /* TCR_ELx.HA, HD: hardware Access flag and dirty state updates */
    bool ds;                  /* TCR_ELx.DS: 52-bit addresses with 4KB/16KB granules (FEAT_LPA2) */
    bool ee;                  /* SCTLR_ELx.EE: descriptors are big-endian */
    uint64_t mair;            /* MAIR_ELx */
    bool wxn;                 /* SCTLR_ELx.WXN */
    bool epan;                /* SCTLR_ELx.EPAN */
    bool pan;                 /* PSTATE.PAN */
    bool nv1;                 /* EL1&0 only: effective HCR_EL2.{NV,NV1} == {1,1} (nested virtualization) */
    bool pie;                 /* TCR2_ELx.PIE (FEAT_S1PIE): Indirect permissions */
    uint64_t pir, pire0;      /* PIR_ELx, PIRE0_ELx */
} S1Params;

typedef struct {
    bool enabled;   /* HCR_EL2.VM (or DC): stage 2 translates EL1&0 IPAs */
    uint64_t vttbr; /* VTTBR_EL2 as written: BADDR and VMID (bits [63:48]) */
    uint8_t t0sz;   /* VTCR_EL2.T0SZ */
    uint8_t sl0;    /* VTCR_EL2.SL0 */
    bool sl2;       /* VTCR_EL2.SL2 (4KB granule, DS == 1) */
    uint8_t tg0;    /* VTCR_EL2.TG0 */
    uint8_t ps;     /* VTCR_EL2.PS */
    uint8_t sh;     /* VTCR_EL2.SH0: Shareability of leaves when DS == 1 */
    bool vs16;      /* VTCR_EL2.VS: 16-bit VMID */
    bool ha, hd;    /* VTCR_EL2.HA, HD */
    bool ds;        /* VTCR_EL2.DS */
    bool ee;        /* SCTLR_EL2.EE */
    bool fwb;       /* HCR_EL2.FWB (FEAT_S2FWB): stage 2 attributes override stage 1 */
    bool ptw;       /* HCR_EL2.PTW: stage 1 walks that hit stage 2 Device memory fault */
} S2Params;

typedef enum {
    WALK_READ,
    WALK_WRITE,
    WALK_EXEC,
    WALK_ANY, /* AT S1E1A / S1E2A (FEAT_ATS1A): translate without a permission check */
} WalkAccessType;

typedef struct {
    uint64_t va;
    WalkAccessType type;
    bool unprivileged; /* EL0 access, or LDTR/STTR at EL1 and at EL2 in EL2&0; ignored by the EL2 regime */
    bool at;           /* an AT instruction: WnR reads 1 and the dirty state is never updated */
    bool ignore_pan;   /* AT S1E1R/S1E1W and other accesses that PSTATE.PAN does not affect */
    bool stage1_only;  /* AT S1E*: the result is the stage 1 output; walks still go through stage 2 */
} WalkAccess;

/* Descriptor memory: physical addresses, 64-bit little-endian values. */
typedef struct {
    void *opaque;
    /* Reads the descriptor at pa. False: the read took an External abort. */
    bool (*read)(void *opaque, uint64_t pa, uint64_t *value);
    /* Atomically replaces the descriptor at pa with desired if it equals
     * expected, and stores what memory held in *actual. False: External
     * abort. May be NULL when no hardware update is enabled (HA/HD); a
     * needed update then takes an External abort. */
    bool (*cas)(void *opaque, uint64_t pa, uint64_t expected, uint64_t desired, uint64_t *actual);
} WalkMem;

typedef enum {
    WALK_FAULT_NONE,
    WALK_FAULT_TRANSLATION,
    WALK_FAULT_ADDR_SIZE,
    WALK_FAULT_ACCESS_FLAG,
    WALK_FAULT_PERMISSION,
    WALK_FAULT_EXT_ABORT, /* synchronous External abort on a walk or on a hardware update */
} WalkFaultKind;

typedef struct {
    WalkFaultKind kind;
    int8_t level;   /* lookup level -1..3 the fault code reports */
    uint8_t stage;  /* 1 or 2 */
    bool s1ptw;     /* stage 2 fault on a stage 1 table walk (or its hardware update) */
    bool wnr;       /* ESR ISS.WnR */
    bool dirtybit;  /* Permission fault due to the S1PIE dirty state (ESR ISS2.DirtyBit) */
    bool ipa_valid; /* the architecture requires HPFAR_EL2 to hold ipa (AArch64 IPAValid()) */
    uint64_t ipa;   /* faulting IPA, set for every stage 2 fault */
    uint8_t fsc;    /* DFSC/IFSC (also PAR_EL1.FST) */
} WalkFault;

typedef struct {
    bool r, w, x;
} WalkPerms;

typedef struct {
    uint64_t pa;        /* output address: PA, or the IPA when stage1_only */
    uint64_t ipa;       /* stage 1 output address */
    uint8_t size_log2;  /* log2 size of the page or block mapping va, smallest over both stages */
    uint8_t attr;       /* MAIR-format attribute byte after stage 2 combining */
    uint8_t sh;         /* Shareability as SH[1:0]: 0 Non-, 2 Outer, 3 Inner (Device and Normal NC: Outer) */
    bool device;        /* attr is a Device memory type */
    bool ng;            /* not global: tag with asid */
    bool gp;            /* guarded page (FEAT_BTI): stage 1 GP; never with stage 1 disabled */
    bool contiguous;    /* stage 1 leaf Contiguous bit */
    bool s2_contiguous; /* stage 2 leaf Contiguous bit */
    bool has_asid;      /* regime uses ASIDs (EL1&0, EL2&0) */
    uint16_t asid;
    bool has_vmid;      /* stage 2 parameters were supplied (EL1&0) */
    uint16_t vmid;
    /* What the mapping permits without another walk, for privileged and
     * unprivileged accesses (unpriv is all false in the EL2 regime). Write is
     * reported only once the dirty state allows it, execute includes stage 2. */
    WalkPerms priv, unpriv;
    WalkFault fault;
} WalkResult;

/* The tags of a translation (DDI 0487 D8.13.2): the ASID from TTBR0 or TTBR1
 * by TCR_ELx.A1, 8 or 16 bits by TCR_ELx.AS; the VMID from VTTBR_EL2, 8 or
 * 16 bits by VTCR_EL2.VS. */
static inline uint16_t walk_asid(const S1Params *s1)
{
    return (uint16_t)((s1->range[s1->a1].ttbr >> 48) & (s1->as16 ? 0xffff : 0xff));
}
static inline uint16_t walk_vmid(const S2Params *s2) { return (uint16_t)((s2->vttbr >> 48) & (s2->vs16 ? 0xffff : 0xff)); }

/* Translates acc->va through stage 1 and, when s2 is non-NULL and enabled,
 * stage 2. Returns true on success; otherwise res->fault says why. */
bool walk_translate(const WalkFeatures *feat, const WalkMem *mem, const S1Params *s1, const S2Params *s2,
                    const WalkAccess *acc, WalkResult *res);

/* Stage 2 alone, whatever s2->enabled says: translates ipa (acc->va is
 * ignored) with the attributes of a Normal Write-Back stage 1. */
bool walk_stage2(const WalkFeatures *feat, const WalkMem *mem, const S2Params *s2, uint64_t ipa,
                 const WalkAccess *acc, WalkResult *res);

/* The fault status code (DFSC/IFSC) of a fault kind at a lookup level. */
uint8_t walk_fsc(WalkFaultKind kind, int level);

#endif
