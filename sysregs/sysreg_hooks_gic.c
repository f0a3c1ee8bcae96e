/* Hooks of the interrupt registers (sysregs_gic.def): ISR_EL1 from the PE's
 * pending interrupts, the GICv3 CPU interface registers (gicv3_icc_read/
 * write, or gicv3_icv_read/write for EL1 accesses HCR_EL2.IMO/FMO
 * virtualize) and the virtual interface's ICH_* (gicv3_ich_read/write),
 * whose state is the board's GIC. Without a GIC they are UNDEFINED. */
#include "gic/gicv3.h"
#include "sysregs/sysreg_hooks.h"
#include "trace/log.h"

#define ICC_SRE_EL2_ENABLE (1ull << 3)

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

/* Which interrupt group's routing bit virtualizes a register at EL1:
 * Group 1 registers follow HCR_EL2.IMO, Group 0 ones FMO, the common ones
 * (PMR, RPR, CTLR, DIR, and the SGI registers) either. */
typedef enum { ICC_GROUP0, ICC_GROUP1, ICC_COMMON, ICC_NONE } ICCGroup;

static ICCGroup group_of(SysregId id)
{
    switch (id) {
    case SR_ICC_IAR0_EL1: case SR_ICC_EOIR0_EL1: case SR_ICC_HPPIR0_EL1: case SR_ICC_BPR0_EL1:
    case SR_ICC_AP0R0_EL1: case SR_ICC_IGRPEN0_EL1: case SR_ICC_SGI0R_EL1:
        return ICC_GROUP0;
    case SR_ICC_IAR1_EL1: case SR_ICC_EOIR1_EL1: case SR_ICC_HPPIR1_EL1: case SR_ICC_BPR1_EL1:
    case SR_ICC_AP1R0_EL1: case SR_ICC_IGRPEN1_EL1: case SR_ICC_SGI1R_EL1: case SR_ICC_ASGI1R_EL1:
        return ICC_GROUP1;
    case SR_ICC_PMR_EL1: case SR_ICC_RPR_EL1: case SR_ICC_CTLR_EL1: case SR_ICC_DIR_EL1:
        return ICC_COMMON;
    default:
        return ICC_NONE; /* SRE */
    }
}

static bool is_sgi_reg(SysregId id)
{
    return id == SR_ICC_SGI0R_EL1 || id == SR_ICC_SGI1R_EL1 || id == SR_ICC_ASGI1R_EL1;
}

/* An EL1 access that HCR_EL2.{IMO,FMO} send to the virtual interface. */
static bool virtualized(const CPUState *cpu, SysregId id)
{
    if (cpu_el(cpu) != 1)
        return false;
    uint64_t hcr = cpu_hcr_effective(cpu);
    switch (group_of(id)) {
    case ICC_GROUP0: return hcr & HCR_FMO;
    case ICC_GROUP1: return hcr & HCR_IMO;
    case ICC_COMMON: return hcr & (HCR_IMO | HCR_FMO);
    default: return false;
    }
}

/* ICC_SRE_EL2.Enable = 0 traps EL1 accesses to ICC_SRE_EL1 to EL2 (IHI 0069
 * 12.2.16; reset to 1 here, as firmware would leave it). Virtualized EL1
 * accesses: the SGI registers always trap to EL2 (a hypervisor emulates
 * them), the others when ICH_HCR_EL2.TALL0/TALL1/TC/TDIR ask for it. */
static SysregAccessResult check_icc(const CPUState *cpu, const SysregInfo *r, bool is_write)
{
    (void)is_write;
    if (!cpu->gic)
        return SRA_UNDEF;
    if (r->id == SR_ICC_SRE_EL1 && cpu_el(cpu) == 1 && cpu->has_el2 &&
        !(cpu->sr[SR_ICC_SRE_EL2] & ICC_SRE_EL2_ENABLE))
        return SRA_TRAP_EL2;
    /* ICH_HCR_EL2.TALL0/TALL1/TC/TDIR trap EL1's accesses to the ICC_* and
     * ICV_* views alike: whether or not IMO/FMO virtualize the register
     * (IHI 0069 ICH_HCR_EL2; QEMU 7.2 agrees, conf/gic-virt). */
    if (cpu_el(cpu) != 1 || !cpu->has_el2 || r->id == SR_ICC_SRE_EL1 || r->id == SR_ICC_SRE_EL2)
        return SRA_OK;
    uint64_t ich_hcr = gicv3_ich_read(cpu->gic, cpu->index, ICH_HCR);
    if (is_sgi_reg(r->id))
        return (ich_hcr & ICH_HCR_TC) || virtualized(cpu, r->id) ? SRA_TRAP_EL2 : SRA_OK;
    switch (group_of(r->id)) {
    case ICC_GROUP0: return ich_hcr & ICH_HCR_TALL0 ? SRA_TRAP_EL2 : SRA_OK;
    case ICC_GROUP1: return ich_hcr & ICH_HCR_TALL1 ? SRA_TRAP_EL2 : SRA_OK;
    default:
        if ((ich_hcr & ICH_HCR_TC) || (r->id == SR_ICC_DIR_EL1 && (ich_hcr & ICH_HCR_TDIR)))
            return SRA_TRAP_EL2;
        return SRA_OK;
    }
}

static uint64_t read_icc(CPUState *cpu, const SysregInfo *r)
{
    if (r->id == SR_ICC_SRE_EL2)
        return ICC_SRE_SYSREG_ONLY | (cpu->sr[r->id] & ICC_SRE_EL2_ENABLE);
    if (virtualized(cpu, r->id))
        return gicv3_icv_read(cpu->gic, cpu->index, icc_of(r->id));
    return gicv3_icc_read(cpu->gic, cpu->index, icc_of(r->id));
}

static void write_icc(CPUState *cpu, const SysregInfo *r, uint64_t v)
{
    if (r->id == SR_ICC_SRE_EL2) {
        cpu->sr[r->id] = v & ICC_SRE_EL2_ENABLE;
        return;
    }
    if (virtualized(cpu, r->id))
        gicv3_icv_write(cpu->gic, cpu->index, icc_of(r->id), v);
    else
        gicv3_icc_write(cpu->gic, cpu->index, icc_of(r->id), v);
}
const SysregHooks sysreg_hooks_icc = {.check = check_icc, .read = read_icc, .write = write_icc};

static ICHReg ich_of(SysregId id)
{
    switch (id) {
    case SR_ICH_AP0R0_EL2: return ICH_AP0R0;
    case SR_ICH_AP1R0_EL2: return ICH_AP1R0;
    case SR_ICH_HCR_EL2: return ICH_HCR;
    case SR_ICH_VTR_EL2: return ICH_VTR;
    case SR_ICH_MISR_EL2: return ICH_MISR;
    case SR_ICH_EISR_EL2: return ICH_EISR;
    case SR_ICH_ELRSR_EL2: return ICH_ELRSR;
    case SR_ICH_VMCR_EL2: return ICH_VMCR;
    case SR_ICH_LR0_EL2: case SR_ICH_LR1_EL2: case SR_ICH_LR2_EL2: case SR_ICH_LR3_EL2:
        return (ICHReg)(ICH_LR0 + (id - SR_ICH_LR0_EL2));
    default: nestor_bug("ICH hook on %s", sysreg_by_id(id)->name);
    }
}

static SysregAccessResult check_ich(const CPUState *cpu, const SysregInfo *r, bool is_write)
{
    (void)r, (void)is_write;
    return cpu->gic ? SRA_OK : SRA_UNDEF;
}
static uint64_t read_ich(CPUState *cpu, const SysregInfo *r) { return gicv3_ich_read(cpu->gic, cpu->index, ich_of(r->id)); }
static void write_ich(CPUState *cpu, const SysregInfo *r, uint64_t v)
{
    gicv3_ich_write(cpu->gic, cpu->index, ich_of(r->id), v);
}
const SysregHooks sysreg_hooks_ich = {.check = check_ich, .read = read_ich, .write = write_ich};
