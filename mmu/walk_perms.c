/* Stage 1 and stage 2 Base permissions (DDI 0487 D8.4 "Memory access
 * control"; pseudocode AArch64.S1DirectBasePermissions,
 * AArch64.S1IndirectBasePermissions, AArch64.S1ComputePermissions,
 * AArch64.S2DirectBasePermissions). Permission overlays (FEAT_S1POE,
 * FEAT_S2POE), GCS and stage 2 Indirect permissions are not modelled.
 *
 * Each step is one function. Execute permission is computed without
 * PSTATE.PAN, data permissions with it: PAN never applies to instruction
 * fetches (RPMTWB), and WXN is evaluated on the Base permissions before PAN
 * (IXGFTP), so one computation serves fetches and data accesses alike. */
#include "mmu/walk_internal.h"

/* The leaf and hierarchical fields of the Direct permission scheme, decoded
 * per descriptor format (AArch64.S1ApplyOutputPerms/S1ApplyTablePerms). */
typedef struct {
    bool ap2, ap1;    /* AP[2:1] */
    bool pxn, uxn;    /* PXN, UXN (XN of the single-privilege format in pxn) */
    bool ap_table0;   /* APTable[0] */
    bool ap_table1;   /* APTable[1] */
    bool pxn_table, uxn_table;
} DirectFields;

static DirectFields direct_fields(const S1PermControls *c, uint64_t leaf, uint64_t tablebits)
{
    DirectFields f = {.ap2 = leaf & DESC_AP2};
    if (!c->table_perms)
        tablebits = 0; /* HPD: the hierarchical fields are IGNORED (IPKGJC, INYWHQ) */
    f.ap_table1 = tablebits & TABLE_AP1;
    if (c->regime == WALK_REGIME_EL2) {
        /* One privilege level: AP[1] is RES1, bit 54 is XN, APTable[0] is
         * RES0 (IPCLHM), bit 60 is XNTable. */
        f.ap1 = true;
        f.pxn = leaf & DESC_UXN;
        f.pxn_table = tablebits & TABLE_UXN;
    } else if (c->nv1) {
        /* HCR_EL2.{NV,NV1} == {1,1}: the guest hypervisor's EL2 format in the
         * EL1&0 regime. AP[1] is taken as 0, bit 54 is PXN, bit 60 PXNTable. */
        f.pxn = leaf & DESC_UXN;
        f.pxn_table = tablebits & TABLE_UXN;
        f.uxn = true; /* no EL0 access of any kind through this format */
    } else {
        f.ap1 = leaf & DESC_AP1;
        f.pxn = leaf & DESC_PXN;
        f.uxn = leaf & DESC_UXN;
        f.ap_table0 = tablebits & TABLE_AP0;
        f.pxn_table = tablebits & TABLE_PXN;
        f.uxn_table = tablebits & TABLE_UXN;
    }
    /* With hardware dirty state management, a DBM descriptor is writable:
     * AP[2] counts as 0 (writable-clean, D8.5.2; RNKLQN for execute). */
    if (c->dbm_writable && (leaf & DESC_DBM))
        f.ap2 = false;
    return f;
}

/* AP[2:1] with APTable, and the execute-never controls. */
static S1Perms direct_base(const S1PermControls *c, const DirectFields *f)
{
    S1Perms p = {{0}, {0}};
    p.priv.r = true;
    p.priv.w = !f->ap2 && !f->ap_table1;
    if (c->regime != WALK_REGIME_EL2) {
        p.unpriv.r = f->ap1 && !f->ap_table0;
        p.unpriv.w = p.unpriv.r && !f->ap2 && !f->ap_table1;
        p.unpriv.x = !f->uxn && !f->uxn_table;
    }
    /* Memory writable at EL0 is never executable at EL1/EL2. */
    p.priv.x = !f->pxn && !f->pxn_table && !p.unpriv.w;
    return p;
}

/* PSTATE.PAN: privileged data accesses to memory that EL0 can read or write
 * (or, with EPAN, execute: ICVRWF) fault. Not with NV1 (IYMLJD). */
static void direct_pan(const S1PermControls *c, S1Perms *p)
{
    if (!c->pan || c->nv1 || c->regime == WALK_REGIME_EL2)
        return;
    if (p->unpriv.r || p->unpriv.w || (c->epan && p->unpriv.x))
        p->priv.r = p->priv.w = false;
}

/* SCTLR_ELx.WXN: writable memory is not executable (RSYMMB, RFYMXJ; without
 * overlays RQXXPC/RNPBXC remove Execute). */
static void direct_wxn(const S1PermControls *c, S1Perms *p)
{
    if (!c->wxn)
        return;
    if (p->priv.w)
        p->priv.x = false;
    if (p->unpriv.w)
        p->unpriv.x = false;
}

/* One 4-bit S1PIE permission encoding (PIR_ELx / PIRE0_ELx PermN). GCS
 * permissions are not modelled: 0b1001 grants Read to ordinary accesses. */
typedef struct {
    bool r, w, x, gcs, wxn;
} PieBase;

static PieBase pie_decode(unsigned perm)
{
    switch (perm & 0xf) {
    case 0x1: case 0x8: return (PieBase){.r = true};
    case 0x2: return (PieBase){.x = true};
    case 0x3: case 0xa: return (PieBase){.r = true, .x = true};
    case 0x5: case 0xc: return (PieBase){.r = true, .w = true};
    case 0x6: return (PieBase){.r = true, .w = true, .x = true, .wxn = true};
    case 0x7: case 0xe: return (PieBase){.r = true, .w = true, .x = true};
    case 0x9: return (PieBase){.r = true, .gcs = true};
    default: return (PieBase){0}; /* no access, or reserved: treated as no access */
    }
}

/* The PIIndex of a VMSAv8-64 leaf: bits {54, 53, 51, 6} (RBCPGD). */
static unsigned pie_index(uint64_t leaf)
{
    return (unsigned)((leaf >> 54 & 1) << 3 | (leaf >> 53 & 1) << 2 | (leaf >> 51 & 1) << 1 | (leaf >> 6 & 1));
}

static S1Perms indirect(const S1PermControls *c, uint64_t leaf)
{
    unsigned idx = pie_index(leaf);
    unsigned ppi = (unsigned)(c->pir >> (idx * 4)) & 0xf;
    /* With NV1 the unprivileged side reads as PIRE0 == 0. */
    unsigned upi = c->regime == WALK_REGIME_EL2 || c->nv1 ? 0 : (unsigned)(c->pire0 >> (idx * 4)) & 0xf;
    PieBase pp = pie_decode(ppi), up = pie_decode(upi);
    /* A mapping both privileged-executable and unprivileged-writable grants
     * nothing to either side. */
    if ((pp.x || pp.gcs) && (up.w || up.gcs))
        pp = up = (PieBase){0};
    /* PrivWXN/UnprivWXN come from encoding 0b0110 only; SCTLR_ELx.WXN has no
     * effect (RVFPJF). Without overlays they remove Execute (RQXXPC). */
    S1Perms p = {{pp.r, pp.w, pp.x && !pp.wxn}, {up.r, up.w, up.x && !up.wxn}};
    /* PAN with S1PIE: any unprivileged permission at all. */
    if (c->pan && !c->nv1 && upi != 0)
        p.priv.r = p.priv.w = false;
    return p;
}

S1Perms s1_permissions(const S1PermControls *c, uint64_t leaf, uint64_t tablebits)
{
    if (c->pie)
        return indirect(c, leaf); /* hierarchical controls are disabled with S1PIE */
    DirectFields f = direct_fields(c, leaf, tablebits);
    S1Perms p = direct_base(c, &f);
    direct_wxn(c, &p);
    direct_pan(c, &p);
    return p;
}

S2Perms s2_permissions(uint64_t leaf, bool xnx, bool dbm_writable)
{
    S2Perms p;
    p.r = leaf & DESC_AP1;
    /* DBM with VTCR_EL2.HD: writable-clean counts as writable. */
    p.w = (leaf & DESC_AP2) || (dbm_writable && (leaf & DESC_DBM));
    /* XN[1:0] (RSTCTY): 00 both, 01 EL0 only, 10 none, 11 EL1 only. Without
     * FEAT_XNX, XN[0] is RES0. */
    unsigned xn = (unsigned)(leaf >> 53) & 3;
    if (!xnx)
        xn &= 2;
    p.px = xn == 0 || xn == 3;
    p.ux = xn == 0 || xn == 1;
    return p;
}
