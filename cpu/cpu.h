/* The architectural state of one A64 PE and the primitives that change it. */
#ifndef NESTOR_CPU_CPU_H
#define NESTOR_CPU_CPU_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include "crypto/qarma.h"
#include "jit/jit.h"
#include "jit/tb.h"
#include "mmu/tlb.h"
#include "sysregs/features.h"
#include "sysregs/sysreg_fields.h"
#include "sysregs/sysreg_ids.h"

struct AddressSpace;
struct CPUModel;

/* PSTATE bits, in their SPSR_ELx positions (DDI 0487, C5.2.19). */
enum {
    PSTATE_SP = 1u << 0,   /* M[0]: SP_ELx selected (SPSel) */
    PSTATE_EL_SHIFT = 2,   /* M[3:2] */
    PSTATE_EL_MASK = 3u << 2,
    PSTATE_M4 = 1u << 4,   /* AArch32 state: not supported, illegal on return */
    PSTATE_F = 1u << 6,
    PSTATE_I = 1u << 7,
    PSTATE_A = 1u << 8,
    PSTATE_D = 1u << 9,
    PSTATE_DAIF = 0xfu << 6,
    PSTATE_BTYPE = 3u << 10,
    PSTATE_SSBS = 1u << 12,
    PSTATE_IL = 1u << 20,
    PSTATE_SS = 1u << 21,
    PSTATE_PAN = 1u << 22,
    PSTATE_UAO = 1u << 23,
    PSTATE_DIT = 1u << 24,
    PSTATE_NZCV = 0xfu << 28,
};

/* Exception classes used by the CPU core (ESR_ELx.EC). */
enum {
    EC_UNKNOWN = 0x00,
    EC_WFX = 0x01,
    EC_FP_ACCESS = 0x07, /* FP/AdvSIMD disabled by CPACR_EL1/CPTR_EL2 */
    EC_PAC_TRAP = 0x09,  /* PAuth instruction trapped by HCR_EL2.API */
    EC_BTI = 0x0d,       /* Branch Target exception (FEAT_BTI) */
    EC_ILLEGAL_STATE = 0x0e,
    EC_SVC = 0x15,
    EC_HVC = 0x16,
    EC_SMC = 0x17,
    EC_SYSREG = 0x18,
    EC_SVE_ACCESS = 0x19, /* SVE disabled by CPACR_EL1.ZEN/CPTR_EL2 */
    EC_ERET = 0x1a,      /* ERET/ERETAA/ERETAB trapped to EL2 (HFGITR_EL2.ERET, HCR_EL2.NV) */
    EC_PAC_FAIL = 0x1c,  /* authentication failure (FEAT_FPAC) */
    EC_IABORT_LOWER = 0x20,
    EC_IABORT_SAME = 0x21,
    EC_PC_ALIGN = 0x22,
    EC_DABORT_LOWER = 0x24,
    EC_DABORT_SAME = 0x25,
    EC_SP_ALIGN = 0x26,
    EC_SERROR = 0x2f,
    EC_BREAKPOINT_LOWER = 0x30,    /* 0x31: from the EL it is taken to */
    EC_SOFTWARE_STEP_LOWER = 0x32, /* 0x33 */
    EC_WATCHPOINT_LOWER = 0x34,    /* 0x35 */
    EC_BRK = 0x3c,
};

/* Interrupt request lines of a PE, driven by devices (the GIC's CPU
 * interface, a board's SError source) through cpu_set_irq_line. VIRQ/VFIQ
 * are the GIC virtual interface's signals: like HCR_EL2.VI/VF, they make a
 * virtual interrupt pending only while HCR_EL2.IMO/FMO route to EL2. */
typedef enum { CPU_LINE_IRQ, CPU_LINE_FIQ, CPU_LINE_SERROR, CPU_LINE_VIRQ, CPU_LINE_VFIQ, CPU_LINE_COUNT } CPULine;

/* The generic timers of one PE (DDI 0487 D11): EL1 physical and virtual,
 * EL2 physical and (FEAT_VHE) EL2 virtual. */
typedef enum { TIMER_PHYS, TIMER_VIRT, TIMER_HYP_PHYS, TIMER_HYP_VIRT, TIMER_COUNT } CPUTimerId;

typedef struct {
    uint64_t ctl;  /* ENABLE (bit 0), IMASK (bit 1); ISTATUS is computed */
    uint64_t cval;
    bool output;   /* the level last given to timer_output */
} CPUTimer;

/* Why cpu_run returned. */
typedef enum {
    CPU_EXIT_BUDGET,    /* the instruction budget ran out */
    CPU_EXIT_POWEROFF,  /* PSCI SYSTEM_OFF */
    CPU_EXIT_RESET,     /* PSCI SYSTEM_RESET */
    CPU_EXIT_CPU_OFF,   /* PSCI CPU_OFF of this PE (with a board: others may run on) */
} CPUExit;

typedef enum { PSCI_CONDUIT_NONE, PSCI_CONDUIT_HVC, PSCI_CONDUIT_SMC } PSCIConduit;

typedef enum { ENGINE_JIT, ENGINE_INTERP } CPUEngine;

/* How a CPU executes (-accel). */
typedef struct {
    CPUEngine kind;
    uint64_t code_cache_bytes; /* JIT: bounded code cache, flushed whole when full */
    unsigned passes;           /* JIT: IR passes (jit/opt.h mask) */
    bool instrument;           /* JIT: count block entries and TLB hits (-d stats) */
} EngineConfig;

/* What the CPUs of one machine share to execute (cpu/run.c): the translated
 * blocks and, with the JIT, their host code and chaining. A block depends
 * only on the CPU state in its flags and on the CPU model, which the CPUs of
 * a machine share, so any of them may run it (the flags of a block that
 * checks breakpoints name its CPU: the breakpoint registers are per CPU).
 * Each CPU keeps its own jump cache. One host thread runs the CPUs. */
typedef struct Engine {
    EngineConfig config;
    TBCache tbs;
    Jit *jit; /* NULL when interpreting */
} Engine;

typedef struct CPUState {
    /* Guest registers: JIT code reaches these by offset, keep them first. */
    uint64_t x[31];
    uint64_t sp;        /* the SP selected by PSTATE.EL and SPSel */
    uint64_t pc;
    uint32_t nzcv;      /* N Z C V in bits 31:28 */
    uint32_t pstate;    /* every other PSTATE bit, in SPSR layout */
    uint64_t sp_el[4];  /* banked SP_EL0..SP_EL3; the live one is in sp */
    uint64_t sr[SR_COUNT];
    /* FP/AdvSIMD registers V0-V31, little-endian: v[n][0] holds bits 63:0.
     * FPCR and FPSR live in sr[]. */
    uint64_t v[32][2];

    /* Exclusive monitor (local). */
    uint64_t excl_addr; /* EXCL_NONE when open */
    uint64_t excl_val[2];
    unsigned excl_size;

    TLB tlb;

    /* Pointer authentication (cpu/pauth.c): recent codes, and the level
     * and algorithms the ID registers give (set at reset). */
    QarmaMemo pac_memo;
    uint8_t pac_level, pac_alg, pacga_alg;

    /* Configuration, fixed after creation. */
    unsigned index;
    bool has_el2;        /* without EL2, ID_AA64PFR0_EL1.EL2 reads as 0 */
    uint64_t mp_affinity; /* MPIDR_EL1 affinity fields, chosen by the board */
    unsigned start_el;
    PSCIConduit psci_conduit;
    FeatureSet features;
    const struct CPUModel *model;
    struct AddressSpace *as;

    /* Run-loop state. */
    struct Engine *engine;
    TBJmpCache jmp_cache;
    uint64_t translated;   /* blocks this CPU translated (statistics) */
    IRBlock scratch_ir;
    /* Guest instructions retired. An executing block has already added all
     * of its instructions; one that unwinds takes back icount_undo. */
    uint64_t icount;
    uint64_t icount_limit; /* blocks start only while icount < icount_limit */
    uint64_t run_limit;    /* end of the current cpu_run budget */
    uint32_t icount_undo;  /* instructions after the current one in its block */
    bool in_block;         /* a block is executing (icount_undo is meaningful) */
    Jit *jit;              /* engine->jit */
    JitCounters jit_counters;
    JitLazyFlags lazy_flags; /* JIT-owned: never set while C code runs (jit.h) */
    jmp_buf *unwind;     /* where exceptions and exits unwind to */
    CPUExit exit_reason;
    bool exit_requested;
    bool halted;
    bool code_dirty;     /* a store hit a page holding translated code */

    /* Interrupts (cpu/irq.c) and timers (cpu/timer.c). */
    uint32_t irq_lines;  /* 1 << CPULine for each asserted line */
    bool event;          /* the event register (WFE, SEV) */
    uint64_t idle;       /* of icount, the part spent halted in WFI (time skipped) */
    CPUTimer timer[TIMER_COUNT];
    uint64_t timer_deadline; /* icount at which a timer output next changes (~0: none) */
    /* The board's wiring of the timer outputs (e.g. to GIC PPIs); NULL: none. */
    void (*timer_output)(void *opaque, unsigned cpu, CPUTimerId timer, bool level);
    void *timer_opaque;
    /* Self-hosted debug (cpu/debug.c): software step bookkeeping, and
     * whether this CPU translated blocks that check its breakpoints and a
     * breakpoint register write made them stale. */
    bool ss_stepped;  /* PSTATE.SS was cleared by completing a stepped instruction */
    bool ss_ldex;     /* that instruction was a load-exclusive (ESR.EX) */
    bool ss_keep;     /* the stepped instruction (ERET) set PSTATE.SS itself */
    bool bp_blocks, bp_changed;
    /* PMU (cpu/pmu.c): the instruction count the counters are synced to,
     * the part of a PMCR_EL0.D cycle already run, the interrupt level last
     * given to pmu_output (the board's wiring, with timer_opaque; NULL: none). */
    uint64_t pmu_synced, pmu_idle_synced; /* icount and idle at the last sync */
    unsigned pmu_cycle_frac;
    bool pmu_level;
    void (*pmu_output)(void *opaque, unsigned cpu, bool level);
    /* The board's GIC, for the ICC_* system registers (NULL: none, they UNDEF). */
    struct GICv3 *gic;
    /* The other PEs, as the board sees them (NULL: a single PE). */
    const struct CPUBoardOps *board_ops;
    void *board;
} CPUState;

/* What a PE asks of the board about the other PEs (PSCI, SEV). */
typedef struct CPUBoardOps {
    /* PSCI CPU_ON of the PE with affinity mpidr: returns the PSCI status
     * (0, ALREADY_ON, INVALID_PARAMETERS). */
    int64_t (*cpu_on)(void *board, CPUState *caller, uint64_t mpidr, uint64_t entry, uint64_t context);
    /* PSCI AFFINITY_INFO at level 0: 0 on, 1 off, INVALID_PARAMETERS. */
    int64_t (*affinity_info)(void *board, uint64_t mpidr);
    /* SEV: sets the event register of every PE. */
    void (*send_event)(void *board);
} CPUBoardOps;

#define EXCL_NONE (~0ull)

static inline unsigned cpu_el(const CPUState *cpu) { return (cpu->pstate & PSTATE_EL_MASK) >> PSTATE_EL_SHIFT; }

/* HCR_EL2.E2H in effect (it is RES0 without FEAT_VHE): the EL2&0 regime. */
static inline bool cpu_e2h(const CPUState *cpu)
{
    return cpu->has_el2 && feature_has(&cpu->features, FEAT_VHE) && (cpu->sr[SR_HCR_EL2] & HCR_E2H);
}

/* HCR_EL2.TGE in effect: EL0 exceptions and EL1 controls go to EL2. */
static inline bool cpu_tge(const CPUState *cpu)
{
    return cpu->has_el2 && (cpu->sr[SR_HCR_EL2] & HCR_TGE);
}

/* HCR_EL2.{E2H,TGE} = {1,1}: EL0 is the host's user space in the EL2&0
 * regime, and the controls of a guest's EL1 do not apply to it. */
static inline bool cpu_e2h_tge(const CPUState *cpu) { return cpu_e2h(cpu) && cpu_tge(cpu); }

/* IsTCR2EL1Enabled (DDI 0487 J1.1): TCR2_EL1 takes effect with FEAT_TCR2
 * and, when EL2 is implemented, HCRX_EL2.TCR2En (HCRX_EL2 reads as 0
 * without FEAT_HCX). No EL3, so SCR_EL3.TCR2En does not apply. */
static inline bool cpu_tcr2_el1_enabled(const CPUState *cpu)
{
    if (!feature_has(&cpu->features, FEAT_TCR2))
        return false;
    return !cpu->has_el2 || (feature_has(&cpu->features, FEAT_HCX) && (cpu->sr[SR_HCRX_EL2] & HCRX_TCR2EN));
}

/* FP/AdvSIMD access check (AArch64.CheckFPEnabled): what an FP or AdvSIMD
 * instruction, or an FPCR/FPSR access, does at the current EL. Depends only
 * on the EL, CPACR_EL1, CPTR_EL2 and HCR_EL2.{E2H,TGE}. */
typedef enum {
    FP_ENABLED,
    FP_TRAP_EL1,      /* EC 0x07 to EL1 */
    FP_TRAP_EL2,      /* EC 0x07 to EL2 */
    FP_TRAP_EL2_TGE,  /* an EL1 trap from EL0 routed to EL2 by HCR_EL2.TGE: EC 0x00 */
} FPAccess;
FPAccess cpu_fp_access(const CPUState *cpu);
/* The EL that CPACR_EL1.ZEN / CPTR_EL2.ZEN or TZ trap SVE state accesses
 * at the current EL to (EC 0x19), 0 when enabled. */
unsigned cpu_sve_trap_el(const CPUState *cpu);
/* Takes the exception an FPAccess other than FP_ENABLED names, at cpu->pc. */
_Noreturn void cpu_fp_access_trap(CPUState *cpu, FPAccess access);

/* Creation and reset; the model supplies ID values, the board the rest. */
void cpu_init(CPUState *cpu, const struct CPUModel *model, struct AddressSpace *as, unsigned index);
void cpu_reset(CPUState *cpu, unsigned start_el, uint64_t pc);
void cpu_destroy(CPUState *cpu);

/* Moves to a new PSTATE (EL/SPSel may change): banks SP accordingly. */
void cpu_set_pstate(CPUState *cpu, uint32_t pstate);
uint32_t cpu_get_spsr_value(const CPUState *cpu); /* PSTATE with NZCV, as saved to SPSR */

/* EffectiveTBI of the current translation regime, with FEAT_PAuth's TBID
 * (TCR_ELx.TBIDn: the top byte is ignored for data addresses only): whether
 * the top byte of va is ignored, for a data address or (data false) an
 * instruction address. */
bool cpu_effective_tbi(const CPUState *cpu, uint64_t va, bool data);
/* AArch64.BranchAddr: the PC a branch (or ERET) to va sets at the current
 * EL: without its tag when the top byte of instruction addresses is
 * ignored, sign-extended from bit 55 in a two-range regime, zero-extended
 * at EL2 with E2H 0. */
uint64_t cpu_branch_addr(const CPUState *cpu, uint64_t va);
/* The same, with the common cases inline: a pc with bits 63:55 all 0, or
 * all 1 outside EL2 without E2H, has no tag to drop. */
static inline uint64_t cpu_branch_pc(const CPUState *cpu, uint64_t va)
{
    uint64_t top = va >> 55;
    return top == 0 || (top == 0x1ff && (cpu_el(cpu) < 2 || cpu_e2h(cpu))) ? va : cpu_branch_addr(cpu, va);
}

/* Exception entry without unwinding, for asynchronous exceptions taken
 * between blocks: vector offset 0x80 (IRQ), 0x100 (FIQ), 0x180 (SError);
 * ELR = cpu->pc; ESR written only when write_esr. */
void cpu_enter_async_exception(CPUState *cpu, unsigned target_el, unsigned vector_offset, bool write_esr,
                               uint32_t esr);

/* ---- interrupts (cpu/irq.c, DDI 0487 D1.3) ---- */
/* A device drives one of the PE's interrupt lines (level-sensitive). */
void cpu_set_irq_line(CPUState *cpu, CPULine line, bool level);
/* Takes the highest-priority pending unmasked asynchronous exception, if
 * any (between blocks). Returns whether one was taken. */
bool cpu_take_pending_interrupt(CPUState *cpu);
/* A WFI wake-up event is pending: any physical interrupt line, or a virtual
 * interrupt HCR_EL2 makes pending, whether masked by PSTATE or not. */
bool cpu_wakeup_pending(const CPUState *cpu);
/* ISR_EL1: pending IRQ (bit 7), FIQ (6), SError (8) as seen at the current EL. */
uint64_t cpu_isr(const CPUState *cpu);
/* HCR_EL2 as in effect (TGE forces or clears IMO/FMO/AMO, clears VI/VF/VSE). */
uint64_t cpu_hcr_effective(const CPUState *cpu);

/* ---- generic timers (cpu/timer.c) ---- */
/* The counter (CNTPCT) at the given icount. */
static inline uint64_t cpu_counter_at(uint64_t icount) { return icount / 16; }
/* Re-evaluates every timer's output and the next deadline (after a timer
 * register write or when icount reaches timer_deadline). */
void cpu_timer_update(CPUState *cpu);
/* PMU (cpu/pmu.c): cpu_pmu_sync adds the instructions run since the last
 * sync to the counters that count at the current EL (call it before any PMU
 * access and before every EL change); cpu_pmu_update syncs, drives
 * pmu_output and returns the icount of the next overflow that can raise the
 * interrupt (~0: none). cpu_timer_update folds it into timer_deadline. */
void cpu_pmu_sync(CPUState *cpu);

/* Self-hosted debug (cpu/debug.c). cpu_debug_tb_flags: which debug events
 * translation must check at the current EL (part of the TB flags). */
enum { CPU_DEBUG_BREAKPOINTS = 1u << 0, CPU_DEBUG_STEP = 1u << 1 };
uint32_t cpu_debug_tb_flags(const CPUState *cpu);
unsigned cpu_debug_target_el(const CPUState *cpu);
bool cpu_debug_exceptions_enabled(const CPUState *cpu);
/* A hardware breakpoint matches the instruction at pc at the current EL. */
bool cpu_breakpoint_at(const CPUState *cpu, uint64_t pc);
_Noreturn void cpu_breakpoint_exception(CPUState *cpu);
void cpu_ss_advance(CPUState *cpu);
/* The run loop: the Software Step exception when a step is pending, and the
 * end of a one-instruction block run for stepping. */
void cpu_debug_check_step(CPUState *cpu);
void cpu_debug_step_done(CPUState *cpu);
/* Watchpoints: a data access of size bytes at va that one matches takes
 * the Watchpoint exception (called by the memory slow path before
 * translation); pages an enabled watchpoint covers get no data fast path
 * (the TLB fill asks; a DBGWCR/DBGWVR write flushes the TLB). */
void cpu_watchpoint_check(CPUState *cpu, uint64_t va, unsigned size, bool write);
bool cpu_watchpoint_on_page(const CPUState *cpu, uint64_t page);
uint64_t cpu_pmu_update(CPUState *cpu);
/* Offset of the virtual counter from the physical one for a timer. */
uint64_t cpu_timer_offset(const CPUState *cpu, CPUTimerId t);

/* Exception entry. Never returns: unwinds to the run loop. preferred_return is
 * the ELR value. far_valid says whether FAR_ELx is written with far. */
_Noreturn void cpu_take_exception(CPUState *cpu, unsigned target_el, unsigned ec, uint32_t iss,
                                  uint64_t preferred_return, bool far_valid, uint64_t far);
/* Target EL for a synchronous exception "routed like an EL0/EL1 exception":
 * the current EL, or EL1 from EL0, or EL2 from EL0 when HCR_EL2.TGE is set. */
unsigned cpu_sync_target_el(const CPUState *cpu);
/* UNDEFINED instruction at cpu->pc (ESR.EC = 0). */
_Noreturn void cpu_undefined(CPUState *cpu);
/* Exception return from the current EL (ERET), with the illegal-return checks. */
void cpu_exception_return(CPUState *cpu);
/* Leaves the run loop with the given reason at the next opportunity (now: unwinds). */
_Noreturn void cpu_exit_loop(CPUState *cpu, CPUExit reason);

/* A firmware call (SMC/HVC on the PSCI conduit): function ID in x0, result in x0. */
void psci_handle_call(CPUState *cpu);

/* Counter value (CNTPCT) derived from retired instructions: deterministic. */
uint64_t cpu_counter(const CPUState *cpu);

/* Stops chained execution at the next block boundary (the run loop then
 * re-checks state: code invalidations, interrupts). */
static inline void cpu_kick(CPUState *cpu) { cpu->icount_limit = 0; }

/* Creates an engine. Exits with a message if the host cannot provide it. */
void engine_init(Engine *e, const EngineConfig *config);
/* Releases it (before the CPUs attached to it are freed). */
void engine_destroy(Engine *e);
/* Makes cpu run on e (before its first cpu_run). */
void cpu_engine_attach(CPUState *cpu, Engine *e);
/* Statistics at exit: each CPU's, then the shared JIT's. */
void engine_print_stats(const Engine *e, const CPUState *cpus, unsigned ncpus, FILE *out);

/* Runs up to budget instructions (whole blocks: a block starts only while
 * fewer than budget instructions have run). */
CPUExit cpu_run(CPUState *cpu, uint64_t budget);

#endif
