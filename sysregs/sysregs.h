/* The system-register table API: lookup by encoding, access checks, MRS/MSR. */
#ifndef NESTOR_SYSREGS_SYSREGS_H
#define NESTOR_SYSREGS_SYSREGS_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpu.h"
#include "sysregs/sysreg_ids.h"

typedef enum { SR_RW, SR_RO, SR_WO, SR_RO_EL0 } SysregAccess;

#define SR_FROM_MODEL (~0ull) /* reset value placeholder: take it from the CPU model */

/* Outcome of an access check: allowed, UNDEFINED, trapped to an EL (EC 0x18),
 * or the FP access trap of cpu_fp_access (FPCR, FPSR). */
typedef enum { SRA_OK, SRA_UNDEF, SRA_TRAP_EL1, SRA_TRAP_EL2, SRA_TRAP_FP, SRA_TRAP_SVE } SysregAccessResult;

struct SysregInfo;
typedef struct {
    SysregAccessResult (*check)(const CPUState *cpu, const struct SysregInfo *r, bool is_write);
    uint64_t (*read)(CPUState *cpu, const struct SysregInfo *r);
    void (*write)(CPUState *cpu, const struct SysregInfo *r, uint64_t value);
} SysregHooks;

/* Trap controls that apply to a register (the traps column of sysregs.def),
 * one bit each; sysregs.c evaluates them in the Arm ARM's order. All of them
 * trap accesses from EL1 (and EL0 where the register is accessible there) to
 * EL2 with EC 0x18, so their relative order is not observable. */
enum {
    TRAP_TVM = 1u << 0,   /* HCR_EL2.TVM (writes) / TRVM (reads): virtual-memory controls */
    TRAP_TID1 = 1u << 1,  /* HCR_EL2.TID1: REVIDR_EL1, AIDR_EL1 */
    TRAP_TID2 = 1u << 2,  /* HCR_EL2.TID2: cache identification */
    TRAP_TID3 = 1u << 3,  /* HCR_EL2.TID3: ID group 3 */
    TRAP_TACR = 1u << 4,  /* HCR_EL2.TACR: ACTLR_EL1 */
    TRAP_TDA = 1u << 5,   /* MDCR_EL2.TDA (or TDE): debug registers */
    TRAP_TDOSA = 1u << 6, /* MDCR_EL2.TDOSA (or TDE): OS lock and power-down registers */
    TRAP_TDRA = 1u << 7,  /* MDCR_EL2.TDRA (or TDE): debug ROM address */
    TRAP_TPM = 1u << 8,   /* MDCR_EL2.TPM: PMU registers */
    TRAP_TPMCR = 1u << 9, /* MDCR_EL2.TPMCR: PMCR_EL0 */
    TRAP_TCPAC = 1u << 10, /* CPTR_EL2.TCPAC: CPACR_EL1 */
    TRAP_TTA = 1u << 11,  /* CPTR_EL2.TTA: trace registers */
    TRAP_APK = 1u << 12,  /* HCR_EL2.APK = 0: pointer authentication keys */
};
/* Fine-grained traps (FEAT_FGT): the bit of HFGRTR_EL2/HFGWTR_EL2 (same
 * layout for reads and writes; bits for read-only registers are RES0 in
 * HFGWTR_EL2) or of HDFGRTR_EL2/HDFGWTR_EL2 that traps the register. The
 * "n" bits (e.g. nPIR_EL1) trap when 0: FGTN. */
#define TRAP_FGT_SHIFT 32  /* 8 bits: the HFGxTR_EL2 (or HFGITR_EL2) bit + 1, 0 for none */
#define TRAP_FGTN_FLAG (1ull << 40)
#define TRAP_DFGT_SHIFT 48 /* 8 bits: the HDFGxTR_EL2 bit + 1, 0 for none */
#define TRAP_FGT(bit) (((uint64_t)(bit) + 1) << TRAP_FGT_SHIFT)
#define TRAP_FGTN(bit) (TRAP_FGT(bit) | TRAP_FGTN_FLAG)
#define TRAP_DFGT(bit) (((uint64_t)(bit) + 1) << TRAP_DFGT_SHIFT)
#define TRAP_HAS_FGT(traps) (((traps) >> TRAP_FGT_SHIFT & 0xff) != 0)
#define TRAP_HAS_DFGT(traps) (((traps) >> TRAP_DFGT_SHIFT & 0xff) != 0)
#define TRAP_FGT_BIT(traps) ((unsigned)((traps) >> TRAP_FGT_SHIFT & 0xff) - 1)
#define TRAP_DFGT_BIT(traps) ((unsigned)((traps) >> TRAP_DFGT_SHIFT & 0xff) - 1)

/* Trap controls of SYS instructions (sysops.def traps column): HCR_EL2 bits,
 * plus TRAP_FGT(bit) for the HFGITR_EL2 bit. */
enum {
    SYSTRAP_TSW = 1u << 0,  /* HCR_EL2.TSW: DC by set/way */
    SYSTRAP_TPCP = 1u << 1, /* HCR_EL2.TPCP: DC to the PoC/PoP */
    SYSTRAP_TPU = 1u << 2,  /* HCR_EL2.TPU: IC, DC to the PoU */
    SYSTRAP_TTLB = 1u << 3, /* HCR_EL2.TTLB: TLBI */
    SYSTRAP_TDZ = 1u << 4,  /* HCR_EL2.TDZ: DC ZVA */
};
/* Whether a SYS instruction with these traps, at the current EL, traps to
 * EL2 (EL0-to-EL1 checks such as SCTLR_EL1.UCI come before). */
bool sysop_traps_to_el2(const CPUState *cpu, uint64_t traps);

/* VHE redirection (sysregs.c): an EL1 register with a redirect names the EL2
 * register that its encoding reaches at EL2 when HCR_EL2.E2H is 1; an
 * _EL12/_EL02 alias names the EL1/EL0 register it reaches (from EL2 with
 * E2H = 1; UNDEFINED otherwise). Both come from sysregs_vhe.def. */

typedef struct SysregInfo {
    const char *name;
    SysregId id;
    uint8_t op0, op1, crn, crm, op2;
    uint8_t min_el;
    SysregAccess access;
    uint64_t reset;
    uint64_t wmask;
    const SysregHooks *hooks;
    Feature feature;  /* the register exists only with this feature (FEAT_NONE: always) */
    uint64_t traps;   /* TRAP_* bits, TRAP_FGT/TRAP_DFGT */
} SysregInfo;

/* Packs op0..op2 the way MRS/MSR encode them (bits 20:5 of the instruction). */
static inline uint32_t sysreg_key(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2)
{
    return op0 << 14 | op1 << 11 | crn << 7 | crm << 3 | op2;
}

/* ESR ISS of a trapped MSR/MRS/SYS or MSR (immediate) (EC 0x18, DDI 0487
 * D24.2.40): the instruction's encoding fields, Rt and the direction. */
static inline uint32_t sysreg_trap_iss(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2,
                                       unsigned rt, bool is_read)
{
    return op0 << 20 | op2 << 17 | op1 << 14 | crn << 10 | rt << 5 | crm << 1 | (is_read ? 1u : 0u);
}

/* The SCTLR whose EL0 controls (UCT, UCI, DZE, UMA, nTWI, nTWE) apply at
 * EL0: SCTLR_EL2 in the EL2&0 regime (HCR_EL2.{E2H,TGE} = {1,1}), else
 * SCTLR_EL1 (also with TGE alone: the trap then goes to EL2, as
 * cpu_sync_target_el routes it). */
static inline uint64_t cpu_el0_sctlr(const CPUState *cpu)
{
    return cpu->sr[cpu_e2h_tge(cpu) ? SR_SCTLR_EL2 : SR_SCTLR_EL1];
}

const SysregInfo *sysreg_by_key(uint32_t key);
const SysregInfo *sysreg_by_id(SysregId id);
const SysregInfo *sysreg_by_name(const char *name);
/* The register that an access to r at the current EL reaches (VHE
 * redirection): r itself unless HCR_EL2.E2H redirects it. */
const SysregInfo *sysreg_redirect(const CPUState *cpu, const SysregInfo *r);

/* Resets every register of the table (model values for SR_FROM_MODEL). */
void sysregs_reset(CPUState *cpu);

/* MRS/MSR at run time: checks access at the current EL and either performs it
 * or raises the exception the check chose. rt is the register number for the
 * trap syndrome. */
uint64_t sysreg_read(CPUState *cpu, const SysregInfo *r, unsigned rt);
void sysreg_write(CPUState *cpu, const SysregInfo *r, uint64_t value, unsigned rt);

/* The store of an MSR to a register without a write hook: the wmask bits
 * take the value, the others keep theirs. Write hooks that add effects
 * store through it too. */
static inline void sysreg_store(CPUState *cpu, const SysregInfo *r, uint64_t value)
{
    cpu->sr[r->id] = (cpu->sr[r->id] & ~r->wmask) | (value & r->wmask);
}

#endif
