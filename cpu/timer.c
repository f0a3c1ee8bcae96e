/* The Generic Timer of one PE (DDI 0487 D11): the counters CNTPCT/CNTVCT and
 * the timers EL1 physical (CNTP_*), EL1 virtual (CNTV_*), EL2 physical
 * (CNTHP_*) and EL2 virtual (CNTHV_*, FEAT_VHE), with their access controls
 * CNTKCTL_EL1 and CNTHCTL_EL2 (both layouts of the latter, by HCR_EL2.E2H),
 * and the VHE redirections: at EL2 with E2H = 1, and at EL0 with
 * {E2H,TGE} = {1,1}, CNTP_* and CNTV_* name the EL2 timers; CNTP/CNTV_*_EL02
 * name the EL1 ones from EL2.
 *
 * Time is the instruction count (cpu_counter_at): deterministic. Each timer's
 * output (ENABLE, not IMASK, condition met) goes to the board
 * (cpu->timer_output); the run loop stops blocks at timer_deadline, the
 * icount at which the next output rises, and a PE halted in WFI skips ahead
 * to it. */
#include "cpu/cpu.h"

#include "sysregs/sysregs.h"
#include "sysregs/sysreg_hooks.h"
#include "trace/log.h"

#define CTL_ENABLE 1u
#define CTL_IMASK 2u
#define CTL_ISTATUS 4u

/* EL0 in the EL2&0 regime. */
static bool host_el0(const CPUState *cpu) { return cpu_el(cpu) == 0 && cpu_e2h_tge(cpu); }

uint64_t cpu_timer_offset(const CPUState *cpu, CPUTimerId t)
{
    /* Only the EL1 virtual timer counts from CNTVOFF_EL2 (the EL2 virtual
     * timer exists with FEAT_VHE, where the EL2&0 view has no offset). */
    return t == TIMER_VIRT && cpu->has_el2 ? cpu->sr[SR_CNTVOFF_EL2] : 0;
}

void cpu_timer_update(CPUState *cpu)
{
    uint64_t now = cpu_counter(cpu), deadline = ~0ull;
    for (CPUTimerId t = 0; t < TIMER_COUNT; t++) {
        CPUTimer *tm = &cpu->timer[t];
        uint64_t off = cpu_timer_offset(cpu, t);
        bool enabled = tm->ctl & CTL_ENABLE, masked = tm->ctl & CTL_IMASK;
        bool met = enabled && now - off >= tm->cval; /* unsigned 64-bit comparison */
        bool out = met && !masked;
        if (out != tm->output) {
            tm->output = out;
            if (cpu->timer_output)
                cpu->timer_output(cpu->timer_opaque, cpu->index, t, out);
        }
        if (enabled && !masked && !met) {
            /* the condition becomes true when the counter reaches cval + off */
            uint64_t at = tm->cval + off;
            if (at > now && at <= ~0ull / 16 && at * 16 < deadline)
                deadline = at * 16;
        }
    }
    uint64_t pmu = cpu_pmu_update(cpu); /* the PMU's overflow shares the deadline */
    cpu->timer_deadline = pmu < deadline ? pmu : deadline;
}

/* ---- access checks (the CNT*_EL0 pseudocode: D11, D19 register pages) ---- */

/* EL0 and EL1 access to a counter or timer. Physical ones are also subject
 * to CNTHCTL_EL2's EL1 enables, in the bit positions of the E2H layout in
 * use. The EL1-targeted trap is routed to EL2 by TGE (SRA_TRAP_EL1 does). */
static SysregAccessResult check_el0_el1(const CPUState *cpu, bool timer, bool physical)
{
    unsigned el = cpu_el(cpu);
    bool vhe = cpu_e2h(cpu), tge = cpu_tge(cpu);
    if (el == 0) {
        uint64_t enable = timer ? (physical ? CNTKCTL_EL0PTEN : CNTKCTL_EL0VTEN)
                                : (physical ? CNTKCTL_EL0PCTEN : CNTKCTL_EL0VCTEN);
        if (vhe && tge)
            return cpu->sr[SR_CNTHCTL_EL2] & enable ? SRA_OK : SRA_TRAP_EL2;
        if (!(cpu->sr[SR_CNTKCTL_EL1] & enable))
            return SRA_TRAP_EL1;
    }
    if (el <= 1 && physical && cpu->has_el2) {
        uint64_t enable = vhe ? (timer ? CNTHCTL_E2H1_EL1PTEN : CNTHCTL_E2H1_EL1PCTEN)
                              : (timer ? CNTHCTL_E2H0_EL1PCEN : CNTHCTL_E2H0_EL1PCTEN);
        if (!(cpu->sr[SR_CNTHCTL_EL2] & enable))
            return SRA_TRAP_EL2;
    }
    return SRA_OK;
}

/* ---- counters ---- */

static uint64_t virtual_count_offset(const CPUState *cpu)
{
    /* CNTVCT_EL0 reads CNTPCT - CNTVOFF_EL2, except at EL2 with E2H = 1 and in
     * the EL2&0 regime's EL0, where the offset is 0. */
    if (!cpu->has_el2 || (cpu_el(cpu) == 2 && cpu_e2h(cpu)) || host_el0(cpu))
        return 0;
    return cpu->sr[SR_CNTVOFF_EL2];
}

static SysregAccessResult check_cntpct(const CPUState *cpu, const SysregInfo *r, bool w)
{
    (void)r, (void)w;
    return check_el0_el1(cpu, false, true);
}
static SysregAccessResult check_cntvct(const CPUState *cpu, const SysregInfo *r, bool w)
{
    (void)r, (void)w;
    return check_el0_el1(cpu, false, false);
}
static uint64_t read_cntpct(CPUState *cpu, const SysregInfo *r)
{
    (void)r;
    return cpu_counter(cpu);
}
static uint64_t read_cntvct(CPUState *cpu, const SysregInfo *r)
{
    (void)r;
    return cpu_counter(cpu) - virtual_count_offset(cpu);
}
const SysregHooks sysreg_hooks_cntpct = {.check = check_cntpct, .read = read_cntpct};
const SysregHooks sysreg_hooks_cntvct = {.check = check_cntvct, .read = read_cntvct};

/* CNTVOFF_EL2 moves the EL1 virtual timer's deadline. */
static void write_cntvoff(CPUState *cpu, const SysregInfo *r, uint64_t v)
{
    cpu->sr[r->id] = v & r->wmask;
    cpu_timer_update(cpu);
}
const SysregHooks sysreg_hooks_cntvoff = {.write = write_cntvoff};



/* ---- timers ---- */

typedef enum { FIELD_CTL, FIELD_CVAL, FIELD_TVAL } TimerField;

/* What a timer register names: the EL0 names (CNTP_*, CNTV_*) are
 * redirected by VHE; the _EL02 names exist at EL2 with E2H = 1 only. */
typedef struct {
    CPUTimerId timer;
    TimerField field;
    bool el0_name, el02;
} TimerReg;

static TimerReg decode(SysregId id)
{
    switch (id) {
    case SR_CNTP_CTL_EL0: return (TimerReg){TIMER_PHYS, FIELD_CTL, true, false};
    case SR_CNTP_CVAL_EL0: return (TimerReg){TIMER_PHYS, FIELD_CVAL, true, false};
    case SR_CNTP_TVAL_EL0: return (TimerReg){TIMER_PHYS, FIELD_TVAL, true, false};
    case SR_CNTV_CTL_EL0: return (TimerReg){TIMER_VIRT, FIELD_CTL, true, false};
    case SR_CNTV_CVAL_EL0: return (TimerReg){TIMER_VIRT, FIELD_CVAL, true, false};
    case SR_CNTV_TVAL_EL0: return (TimerReg){TIMER_VIRT, FIELD_TVAL, true, false};
    case SR_CNTHP_CTL_EL2: return (TimerReg){TIMER_HYP_PHYS, FIELD_CTL, false, false};
    case SR_CNTHP_CVAL_EL2: return (TimerReg){TIMER_HYP_PHYS, FIELD_CVAL, false, false};
    case SR_CNTHP_TVAL_EL2: return (TimerReg){TIMER_HYP_PHYS, FIELD_TVAL, false, false};
    case SR_CNTHV_CTL_EL2: return (TimerReg){TIMER_HYP_VIRT, FIELD_CTL, false, false};
    case SR_CNTHV_CVAL_EL2: return (TimerReg){TIMER_HYP_VIRT, FIELD_CVAL, false, false};
    case SR_CNTHV_TVAL_EL2: return (TimerReg){TIMER_HYP_VIRT, FIELD_TVAL, false, false};
    case SR_CNTP_CTL_EL02: return (TimerReg){TIMER_PHYS, FIELD_CTL, false, true};
    case SR_CNTP_CVAL_EL02: return (TimerReg){TIMER_PHYS, FIELD_CVAL, false, true};
    case SR_CNTP_TVAL_EL02: return (TimerReg){TIMER_PHYS, FIELD_TVAL, false, true};
    case SR_CNTV_CTL_EL02: return (TimerReg){TIMER_VIRT, FIELD_CTL, false, true};
    case SR_CNTV_CVAL_EL02: return (TimerReg){TIMER_VIRT, FIELD_CVAL, false, true};
    case SR_CNTV_TVAL_EL02: return (TimerReg){TIMER_VIRT, FIELD_TVAL, false, true};
    default: nestor_bug("timer hook on %s", sysreg_by_id(id)->name);
    }
}

/* The timer an access reaches at the current EL. */
static CPUTimerId target_timer(const CPUState *cpu, TimerReg tr)
{
    if (tr.el0_name && cpu_e2h(cpu) && (cpu_el(cpu) == 2 || host_el0(cpu)))
        return tr.timer == TIMER_PHYS ? TIMER_HYP_PHYS : TIMER_HYP_VIRT;
    return tr.timer;
}

static SysregAccessResult check_timer(const CPUState *cpu, const SysregInfo *r, bool is_write)
{
    (void)is_write;
    TimerReg tr = decode(r->id);
    if (tr.el02)
        return cpu_el(cpu) == 2 && cpu_e2h(cpu) ? SRA_OK : SRA_UNDEF;
    if (tr.timer == TIMER_HYP_VIRT && !feature_has(&cpu->features, FEAT_VHE))
        return SRA_UNDEF;
    if (tr.el0_name)
        return check_el0_el1(cpu, true, tr.timer == TIMER_PHYS);
    return SRA_OK;
}

static uint64_t read_timer(CPUState *cpu, const SysregInfo *r)
{
    TimerReg tr = decode(r->id);
    CPUTimerId t = target_timer(cpu, tr);
    CPUTimer *tm = &cpu->timer[t];
    uint64_t count = cpu_counter(cpu) - cpu_timer_offset(cpu, t);
    switch (tr.field) {
    case FIELD_CTL:
        /* ISTATUS reads 0 while the timer is disabled (its value is then
         * UNKNOWN; QEMU and Nestor give 0). */
        return tm->ctl | ((tm->ctl & CTL_ENABLE) && count >= tm->cval ? CTL_ISTATUS : 0);
    case FIELD_CVAL:
        return tm->cval;
    case FIELD_TVAL:
        return (uint32_t)(tm->cval - count); /* TimerValue: bits 31:0, 63:32 RES0 */
    }
    return 0;
}

static void write_timer(CPUState *cpu, const SysregInfo *r, uint64_t v)
{
    TimerReg tr = decode(r->id);
    CPUTimerId t = target_timer(cpu, tr);
    CPUTimer *tm = &cpu->timer[t];
    switch (tr.field) {
    case FIELD_CTL:
        tm->ctl = v & (CTL_ENABLE | CTL_IMASK);
        break;
    case FIELD_CVAL:
        tm->cval = v;
        break;
    case FIELD_TVAL: /* CVAL = count + SignExtend(TVAL<31:0>) */
        tm->cval = cpu_counter(cpu) - cpu_timer_offset(cpu, t) + (uint64_t)(int64_t)(int32_t)v;
        break;
    }
    cpu_timer_update(cpu);
}

const SysregHooks sysreg_hooks_timer = {.check = check_timer, .read = read_timer, .write = write_timer};
