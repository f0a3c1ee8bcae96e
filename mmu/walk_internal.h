/* Pieces of the table walker shared between its files (mmu/walk*.c); not
 * part of the mmu/ public interface. */
#ifndef NESTOR_MMU_WALK_INTERNAL_H
#define NESTOR_MMU_WALK_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "mmu/walk.h"

/* Descriptor fields used by more than one file (VMSAv8-64, 64-bit). */
enum {
    DESC_VALID = 1u << 0,
    DESC_TABLE = 1u << 1,       /* with VALID: Table (levels < 3) or Page (level 3) */
    DESC_AP1 = 1u << 6,         /* stage 1 AP[1]; stage 2 S2AP[0] (read); S1PIE PIIndex[0] */
    DESC_AP2 = 1u << 7,         /* stage 1 AP[2] / nDirty; stage 2 S2AP[1] (write) / Dirty */
    DESC_AF = 1u << 10,
    DESC_NG = 1u << 11,
};
#define DESC_DBM (1ull << 51)  /* stage 1 S1PIE: PIIndex[1] */
#define DESC_GP (1ull << 50)   /* stage 1 Block/Page: Guarded Page (FEAT_BTI) */
#define DESC_CONT (1ull << 52)
#define DESC_PXN (1ull << 53)  /* stage 1; stage 2 XN[0] (FEAT_XNX); S1PIE PIIndex[2] */
#define DESC_UXN (1ull << 54)  /* stage 1 UXN/XN; stage 2 XN[1]; S1PIE PIIndex[3] */
/* Hierarchical attributes of stage 1 Table descriptors. */
#define TABLE_PXN (1ull << 59)
#define TABLE_UXN (1ull << 60) /* XNTable in the EL2 regime */
#define TABLE_AP0 (1ull << 61) /* APTable[0]: no unprivileged access */
#define TABLE_AP1 (1ull << 62) /* APTable[1]: no write access */
#define TABLE_ATTR_MASK (TABLE_PXN | TABLE_UXN | TABLE_AP0 | TABLE_AP1)

/* ---- walk_perms.c ---- */

/* Inputs of the stage 1 permission computation besides the descriptors. */
typedef struct {
    WalkRegime regime;
    bool nv1;         /* EL1&0 with HCR_EL2.{NV,NV1} == {1,1} */
    bool pie;         /* Indirect permissions */
    bool table_perms; /* hierarchical controls apply: HPD == 0 and Direct permissions */
    bool dbm_writable; /* HD == 1: a DBM descriptor counts as writable (AP[2] taken as 0) */
    bool pan;         /* PSTATE.PAN applies to this access's privileged data permissions */
    bool epan;        /* effective SCTLR_ELx.EPAN */
    bool wxn;         /* SCTLR_ELx.WXN */
    uint64_t pir, pire0;
} S1PermControls;

typedef struct {
    WalkPerms priv, unpriv;
} S1Perms;

/* The stage 1 permissions of a leaf reached through Table descriptors whose
 * bits [63:59] OR to tablebits. */
S1Perms s1_permissions(const S1PermControls *c, uint64_t leaf, uint64_t tablebits);

typedef struct {
    bool r, w, px, ux;
} S2Perms;

/* The stage 2 Direct permissions of a leaf. */
S2Perms s2_permissions(uint64_t leaf, bool xnx, bool dbm_writable);

/* ---- walk_attrs.c ---- */

enum { SH_NON = 0, SH_OUTER = 2, SH_INNER = 3 };

bool attr_is_device(uint8_t attr);
/* Shareability after forcing Outer Shareable on Device and Normal
 * Inner/Outer Non-cacheable memory (EffectiveShareability()). */
uint8_t attr_effective_sh(uint8_t attr, uint8_t sh);
/* Combines a stage 1 MAIR-format attribute with a stage 2 MemAttr[3:0]
 * (HCR_EL2.FWB == 0). */
uint8_t attr_s2_combine(uint8_t s1_attr, uint8_t s2_memattr);
/* The same with HCR_EL2.FWB == 1: stage 2 MemAttr decides. */
uint8_t attr_s2_fwb(uint8_t s1_attr, uint8_t s2_memattr);
uint8_t sh_s2_combine(uint8_t s1_sh, uint8_t s2_sh);

#endif
