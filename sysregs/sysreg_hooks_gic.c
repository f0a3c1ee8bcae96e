/* Hooks of the interrupt registers (sysregs_gic.def): ISR_EL1 from the PE's
 * pending interrupts, and the GICv3 CPU interface registers, whose state is
 * the board's GIC (gicv3_icc_read/write). Without a GIC they are UNDEFINED. */
#include "gic/gicv3.h"
#include "sysregs/sysreg_hooks.h"
#include "trace/log.h"

#define ICC_SRE_EL2_ENABLE (1ull << 3)
#define ICC_SRE_EL2_FIXED 0x7ull /* SRE, DFB, DIB: RAO/WI (system registers only) */

static uint64_t read_isr(CPUState *cpu, const SysregInfo *r)
{
    (void)r;
    return cpu_isr(cpu);
}
const SysregHooks sysreg_hooks_isr = {.read = read_isr};

static ICCReg icc_of(SysregId id)
{
    switch (id) {
    case SR_ICC_PMR_EL1: return ICC_PMR;
    case SR_ICC_IAR0_EL1: return ICC_IAR0;
    case SR_ICC_IAR1_EL1: return ICC_IAR1;
    case SR_ICC_EOIR0_EL1: return ICC_EOIR0;
    case SR_ICC_EOIR1_EL1: return ICC_EOIR1;
    case SR_ICC_HPPIR0_EL1: return ICC_HPPIR0;
    case SR_ICC_HPPIR1_EL1: return ICC_HPPIR1;
    case SR_ICC_BPR0_EL1: return ICC_BPR0;
    case SR_ICC_BPR1_EL1: return ICC_BPR1;
    case SR_ICC_DIR_EL1: return ICC_DIR;
    case SR_ICC_RPR_EL1: return ICC_RPR;
    case SR_ICC_CTLR_EL1: return ICC_CTLR;
    case SR_ICC_IGRPEN0_EL1: return ICC_IGRPEN0;
    case SR_ICC_IGRPEN1_EL1: return ICC_IGRPEN1;
    case SR_ICC_SGI0R_EL1: return ICC_SGI0R;
    case SR_ICC_SGI1R_EL1: return ICC_SGI1R;
    case SR_ICC_ASGI1R_EL1: return ICC_ASGI1R;
    case SR_ICC_AP0R0_EL1: return ICC_AP0R0;
    case SR_ICC_AP1R0_EL1: return ICC_AP1R0;
    case SR_ICC_SRE_EL1: return ICC_SRE;
    default: nestor_bug("ICC hook on %s", sysreg_by_id(id)->name);
    }
}

/* ICC_SRE_EL2.Enable = 0 traps EL1 accesses to ICC_SRE_EL1 to EL2 (IHI 0069
 * 12.2.16; reset to 1 here, as firmware would leave it). */
static SysregAccessResult check_icc(const CPUState *cpu, const SysregInfo *r, bool is_write)
{
    (void)is_write;
    if (!cpu->gic)
        return SRA_UNDEF;
    if (r->id == SR_ICC_SRE_EL1 && cpu_el(cpu) == 1 && cpu->has_el2 &&
        !(cpu->sr[SR_ICC_SRE_EL2] & ICC_SRE_EL2_ENABLE))
        return SRA_TRAP_EL2;
    return SRA_OK;
}

static uint64_t read_icc(CPUState *cpu, const SysregInfo *r)
{
    if (r->id == SR_ICC_SRE_EL2)
        return ICC_SRE_EL2_FIXED | (cpu->sr[r->id] & ICC_SRE_EL2_ENABLE);
    return gicv3_icc_read(cpu->gic, cpu->index, icc_of(r->id));
}

static void write_icc(CPUState *cpu, const SysregInfo *r, uint64_t v)
{
    if (r->id == SR_ICC_SRE_EL2) {
        cpu->sr[r->id] = v & ICC_SRE_EL2_ENABLE;
        return;
    }
    gicv3_icc_write(cpu->gic, cpu->index, icc_of(r->id), v);
}
const SysregHooks sysreg_hooks_icc = {.check = check_icc, .read = read_icc, .write = write_icc};
