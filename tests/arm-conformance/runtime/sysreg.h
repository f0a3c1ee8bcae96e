/* System-register access and architectural constants used by the runtime and tests. */
#ifndef NESTOR_CONF_SYSREG_H
#define NESTOR_CONF_SYSREG_H

#ifndef __ASSEMBLER__
#include <stdint.h>

#define read_sysreg(name)                                   \
    ({                                                      \
        uint64_t v_;                                        \
        asm volatile("mrs %0, " #name : "=r"(v_));          \
        v_;                                                 \
    })

#define write_sysreg(name, val) \
    asm volatile("msr " #name ", %0" ::"r"((uint64_t)(val)) : "memory")

static inline void isb(void) { asm volatile("isb" ::: "memory"); }
#endif

/* Constants below are plain hex so that start.S can use them too. */

/* ESR_ELx fields */
#define ESR_EC(esr)  (((esr) >> 26) & 0x3f)
#define ESR_IL       0x02000000
#define ESR_ISS(esr) ((esr) & 0x1ffffff)

/* Exception classes (ESR_ELx.EC) */
#define EC_UNKNOWN      0x00
#define EC_FP_ACCESS    0x07
#define EC_ILLEGAL      0x0e
#define EC_SVC64        0x15
#define EC_HVC64        0x16
#define EC_SMC64        0x17
#define EC_SYSREG       0x18
#define EC_IABT_LOWER   0x20
#define EC_IABT_CUR     0x21
#define EC_PC_ALIGN     0x22
#define EC_DABT_LOWER   0x24
#define EC_DABT_CUR     0x25
#define EC_SP_ALIGN     0x26
#define EC_BRK64        0x3c

/* SPSR / PSTATE */
#define PSR_MODE_EL0t 0x0
#define PSR_MODE_EL1t 0x4
#define PSR_MODE_EL1h 0x5
#define PSR_MODE_EL2t 0x8
#define PSR_MODE_EL2h 0x9
#define PSR_DAIF_MASK 0x3c0
#define PSR_IL        0x100000

/*
 * SCTLR values with only the RES1 bits set: MMU, caches, alignment and
 * SP-alignment checks all off, so every test starts from the same state no
 * matter what the machine's reset value was.
 */
#define SCTLR_EL2_RES1 0x30c50830 /* bits 4,5,11,16,18,22,23,28,29 (E2H=0) */
#define SCTLR_EL1_RES1 0x30d00800 /* bits 11,20,22,23,28,29 */
#define SCTLR_A   0x2
#define SCTLR_SA  0x8
#define SCTLR_SA0 0x10
#define SCTLR_UMA 0x200
#define SCTLR_UCT 0x8000
#define SCTLR_M   0x1
#define SCTLR_C   0x4
#define SCTLR_I   0x1000

/* HCR_EL2 */
#define HCR_RW  0x80000000
#define HCR_TSC 0x80000
#define HCR_FMO 0x8
#define HCR_IMO 0x10
#define HCR_TVM 0x4000000
#define HCR_TRVM 0x40000000
#define HCR_E2H 0x400000000

/* CPTR_EL2 (E2H=0): only the RES1 bits, so nothing is trapped. */
#define CPTR_EL2_RES1 0x33ff
/* CPACR_EL1.FPEN (and CPTR_EL2.FPEN with E2H = 1): 3 = FP/AdvSIMD untrapped. */
#define CPACR_FPEN(v) ((v) << 20)
/* CNTHCTL_EL2.EL1PCTEN|EL1PCEN: EL1 may use the physical counter/timer. */
#define CNTHCTL_EL2_EL1_ACCESS 0x3

#endif
