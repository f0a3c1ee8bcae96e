/* Branches, exception generation, hints, barriers and system instructions
 * (DDI 0487 C4.1.65-C4.1.68), and the run-time helpers they call. */
#include <inttypes.h>

#include "decoder/translate.h"
#include "mmu/mmu.h"
#include "sysregs/sysregs.h"
#include "trace/log.h"

/* ---- branches ---- */

bool trans_B(DisasContext *s, const A64Insn *i)
{
    gen_goto(s, s->pc + (uint64_t)(a64_sext(i->f[F_imm26], 26) * 4));
    return true;
}

bool trans_BL(DisasContext *s, const A64Insn *i)
{
    write_x(s, 30, konst(s, s->pc + 4), true);
    return trans_B(s, i);
}

bool trans_B_cond(DisasContext *s, const A64Insn *i)
{
    uint64_t target = s->pc + (uint64_t)(a64_sext(i->f[F_imm19], 19) * 4);
    gen_goto_cond(s, ir_cond(s->ir, i->f[F_cond], read_nzcv(s)), target, s->pc + 4);
    return true;
}

static bool compare_branch(DisasContext *s, const A64Insn *i, IRCond cond)
{
    unsigned size = sf_size(i->f[F_sf]);
    IRTemp zero = konst(s, 0);
    IRTemp c = ir_setcond(s->ir, cond, size, read_x(s, i->f[F_Rt]), zero);
    gen_goto_cond(s, c, s->pc + (uint64_t)(a64_sext(i->f[F_imm19], 19) * 4), s->pc + 4);
    return true;
}

bool trans_CBZ(DisasContext *s, const A64Insn *i) { return compare_branch(s, i, IRC_EQ); }
bool trans_CBNZ(DisasContext *s, const A64Insn *i) { return compare_branch(s, i, IRC_NE); }

static bool test_branch(DisasContext *s, const A64Insn *i, bool branch_if_set)
{
    unsigned bit = i->f[F_b5] << 5 | i->f[F_b40];
    IRTemp v = ir_opi(s->ir, IR_and, 8, ir_opi(s->ir, IR_shr, 8, read_x(s, i->f[F_Rt]), bit), 1);
    IRTemp c = ir_setcond(s->ir, branch_if_set ? IRC_NE : IRC_EQ, 8, v, konst(s, 0));
    gen_goto_cond(s, c, s->pc + (uint64_t)(a64_sext(i->f[F_imm14], 14) * 4), s->pc + 4);
    return true;
}

bool trans_TBZ(DisasContext *s, const A64Insn *i) { return test_branch(s, i, false); }
bool trans_TBNZ(DisasContext *s, const A64Insn *i) { return test_branch(s, i, true); }

/* BR, BLR and RET leave PSTATE.BTYPE for the branch target check of the
 * instruction they reach (FEAT_BTI): BR 01 or 11 (a64_btype_of_br), BLR 10,
 * RET 00. */
bool trans_BR(DisasContext *s, const A64Insn *i)
{
    gen_goto_ptr(s, read_x(s, i->f[F_Rn]), a64_btype_of_br(s, i->f[F_Rn]));
    return true;
}

bool trans_BLR(DisasContext *s, const A64Insn *i)
{
    IRTemp target = read_x(s, i->f[F_Rn]); /* read before LR is written: BLR x30 */
    write_x(s, 30, konst(s, s->pc + 4), true);
    gen_goto_ptr(s, target, 2);
    return true;
}

bool trans_RET(DisasContext *s, const A64Insn *i)
{
    gen_goto_ptr(s, read_x(s, i->f[F_Rn]), 0);
    return true;
}

/* ---- exception generation and return ---- */

/* The fine-grained trap bit of HFGITR_EL2 (a HFGITR_* mask) that applies,
 * as for the SYS instructions: FEAT_FGT, EL2 controls over EL1 and EL0
 * (not the host's EL0 with HCR_EL2.{E2H,TGE} = {1,1}); no EL3, so
 * SCR_EL3.FGTEn does not gate it. */
static bool hfgitr_traps(const CPUState *cpu, uint64_t bit)
{
    return sysop_traps_to_el2(cpu, TRAP_FGT(__builtin_ctzll(bit)));
}

/* AArch64.CheckForERetTrap: HFGITR_EL2.ERET traps ERET, ERETAA and ERETAB
 * at EL1 to EL2 (EC 0x1A, ELR = the instruction; ISS bit 1: an ERETAx, bit
 * 0: with key B). HCR_EL2.NV would too, but FEAT_NV is not implemented. */
void a64_check_eret_trap(CPUState *cpu, bool pac, bool key_b)
{
    if (cpu_el(cpu) == 1 && hfgitr_traps(cpu, HFGITR_ERET))
        cpu_take_exception(cpu, 2, EC_ERET, (pac ? 2u : 0u) | (pac && key_b ? 1u : 0u), cpu->pc, false, 0);
}

static uint64_t helper_eret(void *env, uint64_t a, uint64_t b, uint64_t c)
{
    (void)a, (void)b, (void)c;
    a64_check_eret_trap(env, false, false);
    cpu_exception_return(env);
    return 0;
}

/* SVC: AArch64.CheckForSVCTrap first. HFGITR_EL2.SVC_EL1 traps SVC at EL1,
 * SVC_EL0 at EL0 unless in the host's EL2&0 regime (E2H and TGE); the trap
 * is the SVC exception itself (EC 0x15, ISS imm16) taken to EL2 with ELR =
 * the SVC rather than the next instruction. Otherwise AArch64.CallSupervisor:
 * to the current EL, or from EL0 to EL1 (EL2 with HCR_EL2.TGE). */
static uint64_t helper_svc(void *env, uint64_t imm16, uint64_t b, uint64_t c)
{
    (void)b, (void)c;
    CPUState *cpu = env;
    unsigned el = cpu_el(cpu);
    if (hfgitr_traps(cpu, el == 1 ? HFGITR_SVC_EL1 : HFGITR_SVC_EL0))
        cpu_take_exception(cpu, 2, EC_SVC, (uint32_t)imm16, cpu->pc, false, 0);
    cpu_ss_advance(cpu); /* the SVC completes: SPSR.SS = 0 */
    cpu_take_exception(cpu, cpu_sync_target_el(cpu), EC_SVC, (uint32_t)imm16, cpu->pc + 4, false, 0);
}

bool trans_ERET(DisasContext *s, const A64Insn *i)
{
    (void)i;
    if (s->el == 0)
        return false;
    gen_helper(s, helper_eret, 0, 0, 0);
    ir_exit(s->ir);
    s->ended = true;
    return true;
}

bool trans_UNDEF(DisasContext *s, const A64Insn *i)
{
    (void)s, (void)i;
    return false;
}

bool trans_SVC(DisasContext *s, const A64Insn *i)
{
    gen_helper(s, helper_svc, konst(s, i->f[F_imm16]), 0, 0);
    ir_exit(s->ir);
    s->ended = true;
    return true;
}

bool trans_BRK(DisasContext *s, const A64Insn *i)
{
    gen_exception(s, EC_BRK, i->f[F_imm16], false);
    return true;
}

/* HVC: UNDEFINED at EL0, without EL2, or with HCR_EL2.HCD at EL1. On the
 * HVC conduit (no EL2) every call is served by the emulated firmware, as
 * QEMU does; otherwise the call is an exception to EL2. */
static uint64_t helper_hvc(void *env, uint64_t imm16, uint64_t b, uint64_t c)
{
    (void)b, (void)c;
    CPUState *cpu = env;
    unsigned el = cpu_el(cpu);
    if (el >= 1 && cpu->psci_conduit == PSCI_CONDUIT_HVC) {
        psci_handle_call(cpu);
        return 0;
    }
    if (el == 0 || !cpu->has_el2 || (el == 1 && (cpu->sr[SR_HCR_EL2] & HCR_HCD)))
        cpu_undefined(cpu);
    cpu_ss_advance(cpu);
    cpu_take_exception(cpu, 2, EC_HVC, (uint32_t)imm16, cpu->pc + 4, false, 0);
}

/* SMC: UNDEFINED at EL0. HCR_EL2.TSC traps it from EL1 to EL2 (returning to
 * the SMC itself). Otherwise the emulated firmware stands in for EL3 on the
 * SMC conduit; with no conduit there is no EL3 and SMC is UNDEFINED. */
static uint64_t helper_smc(void *env, uint64_t imm16, uint64_t b, uint64_t c)
{
    (void)b, (void)c;
    CPUState *cpu = env;
    unsigned el = cpu_el(cpu);
    if (el == 0)
        cpu_undefined(cpu);
    if (el == 1 && cpu->has_el2 && (cpu->sr[SR_HCR_EL2] & HCR_TSC))
        cpu_take_exception(cpu, 2, EC_SMC, (uint32_t)imm16, cpu->pc, false, 0);
    if (cpu->psci_conduit == PSCI_CONDUIT_SMC) {
        psci_handle_call(cpu);
        return 0;
    }
    cpu_undefined(cpu);
}

static bool gen_call_then_continue(DisasContext *s, IRHelper fn, uint64_t arg)
{
    gen_helper(s, fn, konst(s, arg), 0, 0);
    gen_goto(s, s->pc + 4);
    return true;
}

bool trans_HVC(DisasContext *s, const A64Insn *i) { return gen_call_then_continue(s, helper_hvc, i->f[F_imm16]); }
bool trans_SMC(DisasContext *s, const A64Insn *i) { return gen_call_then_continue(s, helper_smc, i->f[F_imm16]); }

/* ---- hints and barriers ---- */

/* WFI (is_wfe 0) / WFE (1) traps: SCTLR_EL1.nTWI/nTWE from EL0 to EL1 (EL2
 * with TGE), then HCR_EL2.TWI/TWE from EL0/EL1 to EL2. ISS: CV = 1, COND =
 * AL, TI = instruction. Untrapped, WFI halts the PE until a WFI wake-up event
 * (an interrupt, even masked by PSTATE: D1.6.2): the run loop then skips
 * time to the next timer deadline. WFE completes at once when the event
 * register is set (clearing it); otherwise it ends the block, which lets
 * other PEs run (WFE may complete spuriously, D1.6.1: halting would need
 * every event source, e.g. the global monitor, to wake it). */
static uint64_t helper_wfx(void *env, uint64_t is_wfe, uint64_t b, uint64_t c)
{
    (void)b, (void)c;
    CPUState *cpu = env;
    unsigned el = cpu_el(cpu);
    uint32_t iss = 1u << 24 | 0xeu << 20 | (uint32_t)is_wfe;
    if (is_wfe && cpu->event) {
        cpu->event = false; /* no trap either: the trap applies only when it would wait */
        return 0;
    }
    if (!is_wfe && cpu_wakeup_pending(cpu))
        return 0;
    if (el == 0 && !(cpu_el0_sctlr(cpu) & (is_wfe ? SCTLR_NTWE : SCTLR_NTWI)))
        cpu_take_exception(cpu, cpu_sync_target_el(cpu), EC_WFX, iss, cpu->pc, false, 0);
    if (el <= 1 && cpu->has_el2 && (cpu->sr[SR_HCR_EL2] & (is_wfe ? HCR_TWE : HCR_TWI)))
        cpu_take_exception(cpu, 2, EC_WFX, iss, cpu->pc, false, 0);
    if (!is_wfe)
        cpu->halted = true;
    return 0;
}

static uint64_t helper_sev(void *env, uint64_t local, uint64_t b, uint64_t c)
{
    (void)b, (void)c;
    CPUState *cpu = env;
    if (!local && cpu->board_ops)
        cpu->board_ops->send_event(cpu->board); /* SEV: every PE, this one included */
    else
        cpu->event = true;
    return 0;
}

/* Every hint behaves as NOP unless its feature gives it a meaning (DDI 0487
 * C6.2.126). */
bool trans_HINT(DisasContext *s, const A64Insn *i)
{
    bool wfe = i->f[F_CRm] == 0 && i->f[F_op2] == 2, wfi = i->f[F_CRm] == 0 && i->f[F_op2] == 3;
    bool sev = i->f[F_CRm] == 0 && i->f[F_op2] == 4, sevl = i->f[F_CRm] == 0 && i->f[F_op2] == 5;
    if (wfe || wfi) {
        gen_helper(s, helper_wfx, konst(s, wfe), 0, 0);
        gen_exit_to_loop(s, s->pc + 4); /* halted, or let the run loop look at interrupts */
    } else if (sev || sevl) {
        gen_helper(s, helper_sev, konst(s, sevl), 0, 0);
    } else {
        pauth_translate_hint(s, i->f[F_CRm], i->f[F_op2]);
    }
    return true;
}

bool trans_BARRIER(DisasContext *s, const A64Insn *i)
{
    switch (i->f[F_op2]) {
    case 2: /* CLREX */
        ir_put(s->ir, 8, offsetof(CPUState, excl_addr), konst(s, EXCL_NONE));
        return true;
    case 4: /* DSB (incl. SSBB, PSSBB) */
    case 5: /* DMB */
        return true; /* one PE executing in order: no reordering to prevent */
    case 6: /* ISB: later instructions are fetched anew, after pending code invalidation */
        gen_exit_to_loop(s, s->pc + 4);
        return true;
    case 7: /* SB */
        return i->f[F_CRm] == 0 && feature_has(&s->cpu->features, FEAT_SB);
    default:
        return false;
    }
}

/* ---- MSR (immediate): PSTATE fields ---- */


static uint64_t helper_msr_imm(void *env, uint64_t field, uint64_t crm, uint64_t c)
{
    (void)c;
    CPUState *cpu = env;
    unsigned op1 = (unsigned)field >> 3, op2 = field & 7, el = cpu_el(cpu);
    uint32_t p = cpu->pstate;
    switch (field) {
    case 0 << 3 | 5: /* SPSel */
        if (el == 0)
            cpu_undefined(cpu);
        cpu_set_pstate(cpu, ((p & ~PSTATE_SP) | (crm & 1 ? PSTATE_SP : 0)) | cpu->nzcv);
        return 0;
    case 3 << 3 | 6: /* DAIFSet */
    case 3 << 3 | 7: /* DAIFClr */
        if (el == 0 && !(cpu_el0_sctlr(cpu) & SCTLR_UMA))
            cpu_take_exception(cpu, cpu_sync_target_el(cpu), EC_SYSREG,
                               sysreg_trap_iss(0, op1, 4, (unsigned)crm, op2, 31, false), cpu->pc, false, 0);
        if (op2 == 6)
            cpu->pstate |= (uint32_t)crm << 6;
        else
            cpu->pstate &= ~((uint32_t)crm << 6);
        return 0;
    case 0 << 3 | 4: /* PAN */
        if (el == 0 || !feature_has(&cpu->features, FEAT_PAN))
            cpu_undefined(cpu);
        cpu->pstate = crm & 1 ? p | PSTATE_PAN : p & ~PSTATE_PAN;
        return 0;
    case 0 << 3 | 3: /* UAO */
        if (el == 0 || !feature_has(&cpu->features, FEAT_UAO))
            cpu_undefined(cpu);
        cpu->pstate = crm & 1 ? p | PSTATE_UAO : p & ~PSTATE_UAO;
        return 0;
    case 3 << 3 | 2: /* DIT */
        if (!feature_has(&cpu->features, FEAT_DIT))
            cpu_undefined(cpu);
        cpu->pstate = crm & 1 ? p | PSTATE_DIT : p & ~PSTATE_DIT;
        return 0;
    case 3 << 3 | 1: /* SSBS */
        if (!feature_has(&cpu->features, FEAT_SSBS))
            cpu_undefined(cpu);
        cpu->pstate = crm & 1 ? p | PSTATE_SSBS : p & ~PSTATE_SSBS;
        return 0;
    default:
        cpu_undefined(cpu);
    }
}

/* The PSTATE fields MSR (immediate) can name, with their feature gates. */
static bool msr_imm_field_exists(const FeatureSet *f, unsigned field)
{
    switch (field) {
    case 0 << 3 | 5: case 3 << 3 | 6: case 3 << 3 | 7: return true; /* SPSel, DAIFSet, DAIFClr */
    case 0 << 3 | 4: return feature_has(f, FEAT_PAN);
    case 0 << 3 | 3: return feature_has(f, FEAT_UAO);
    case 3 << 3 | 2: return feature_has(f, FEAT_DIT);
    case 3 << 3 | 1: return feature_has(f, FEAT_SSBS);
    default: return false;
    }
}

bool trans_MSR_imm(DisasContext *s, const A64Insn *i)
{
    if (!msr_imm_field_exists(&s->cpu->features, i->f[F_op1] << 3 | i->f[F_op2]))
        return false;
    gen_helper(s, helper_msr_imm, konst(s, i->f[F_op1] << 3 | i->f[F_op2]), konst(s, i->f[F_CRm]), 0);
    /* DAIF or SP selection changed: pending interrupts and SP banking are
     * handled by the run loop. */
    gen_exit_to_loop(s, s->pc + 4);
    return true;
}

/* ---- MRS / MSR (register) ---- */

/* a = table id, b = Rt (for the trap syndrome). */
static uint64_t helper_mrs(void *env, uint64_t id, uint64_t rt, uint64_t c)
{
    (void)c;
    return sysreg_read(env, sysreg_by_id((SysregId)id), (unsigned)rt);
}

static uint64_t helper_msr(void *env, uint64_t id, uint64_t value, uint64_t rt)
{
    sysreg_write(env, sysreg_by_id((SysregId)id), value, (unsigned)rt);
    return 0;
}

/* The trap ISS (sysreg_trap_iss) of the MRS/MSR/SYS whose sysreg_key
 * (op0 included) is key. */
static uint32_t key_trap_iss(uint64_t key, unsigned rt, bool is_read)
{
    return sysreg_trap_iss(key >> 14 & 3, key >> 11 & 7, key >> 7 & 15, key >> 3 & 15, key & 7, rt, is_read);
}

/* An IMPLEMENTATION DEFINED register (op0 = 3, CRn = 11 or 15) Nestor has
 * none of: UNDEFINED, but HCR_EL2.TIDCP traps EL1 accesses to EL2 first
 * (EL0 accesses stay UNDEFINED: the Arm ARM lets an implementation choose).
 * a = the encoding's sysreg_key, b = Rt, c = 1 for MRS. */
static uint64_t helper_impdef_sysreg(void *env, uint64_t key, uint64_t rt, uint64_t is_read)
{
    CPUState *cpu = env;
    if (cpu_el(cpu) == 1 && cpu->has_el2 && (cpu->sr[SR_HCR_EL2] & HCR_TIDCP))
        cpu_take_exception(cpu, 2, EC_SYSREG, key_trap_iss(key, (unsigned)rt, is_read != 0), cpu->pc, false, 0);
    cpu_undefined(cpu);
}

bool trans_MRS_MSR(DisasContext *s, const A64Insn *i)
{
    unsigned op0 = 2 + i->f[F_o0], rt = i->f[F_Rt];
    uint32_t key = sysreg_key(op0, i->f[F_op1], i->f[F_CRn], i->f[F_CRm], i->f[F_op2]);
    const SysregInfo *r = sysreg_by_key(key);
    if (!r && op0 == 3 && (i->f[F_CRn] == 11 || i->f[F_CRn] == 15) && s->el == 1 && s->cpu->has_el2) {
        gen_helper(s, helper_impdef_sysreg, konst(s, key), konst(s, rt), konst(s, i->f[F_L]));
        gen_exit_to_loop(s, s->pc + 4); /* not reached: the helper always raises */
        return true;
    }
    if (!r) {
        if (log_enabled(LOG_UNIMP))
            log_printf("unimplemented system register S%u_%u_C%u_C%u_%u at pc 0x%" PRIx64 " (%s)\n", op0, i->f[F_op1],
                       i->f[F_CRn], i->f[F_CRm], i->f[F_op2], s->pc, i->f[F_L] ? "read" : "write");
        return false;
    }
    if (i->f[F_L]) {
        write_x(s, rt, gen_helper(s, helper_mrs, konst(s, r->id), konst(s, rt), 0), true);
        return true;
    }
    gen_helper(s, helper_msr, konst(s, r->id), read_x(s, rt), konst(s, rt));
    /* A register write can change how the following code must be translated
     * or whether an interrupt is now pending: return to the run loop. */
    gen_exit_to_loop(s, s->pc + 4);
    return true;
}

/* ---- SYS: cache and TLB maintenance ---- */

typedef enum { SYSOP_NOP, SYSOP_CACHE_EL0UCI, SYSOP_DC_ZVA, SYSOP_TLBI, SYSOP_AT } SysopKind;

static const struct {
    const char *name;
    uint8_t op1, crn, crm, op2, min_el;
    SysopKind kind;
    uint64_t traps;
    Feature feature;
    unsigned tlbi; /* TLBI_* (mmu.h) */
} sysops[] = {
#define SYSOP(name, op1, crn, crm, op2, min_el, kind, traps) {#name, op1, crn, crm, op2, min_el, kind, traps, FEAT_NONE, 0},
#define TLBI(name, op1, crm, op2, feature, flags, traps) \
    {"TLBI_" #name, op1, 8, crm, op2, op1 == 4 ? 2 : 1, SYSOP_TLBI, traps, FEAT_##feature, flags},
#include "sysregs/sysops.def"
#undef TLBI
#undef SYSOP
};

/* ISS of a trapped SYS instruction, from its sysreg_key and Rt. */
static uint32_t sys_iss(uint64_t key, unsigned rt)
{
    return key_trap_iss(key, rt, false);
}

/* Zeroes the DCZID-sized block holding va (DC ZVA), through normal stores so
 * that faults (including the alignment fault on Device memory) are right. */
static uint64_t helper_dc_zva(void *env, uint64_t va, uint64_t key_rt, uint64_t c)
{
    CPUState *cpu = env;
    unsigned el = cpu_el(cpu);
    if (el == 0 && !(cpu_el0_sctlr(cpu) & SCTLR_DZE))
        cpu_take_exception(cpu, cpu_sync_target_el(cpu), EC_SYSREG, sys_iss(key_rt >> 5, key_rt & 31), cpu->pc, false, 0);
    if (sysop_traps_to_el2(cpu, c))
        cpu_take_exception(cpu, 2, EC_SYSREG, sys_iss(key_rt >> 5, key_rt & 31), cpu->pc, false, 0);
    uint64_t block = 4ull << (cpu->sr[SR_DCZID_EL0] & 0xf);
    uint64_t base = va & ~(block - 1);
    /* Device memory: DC ZVA takes an alignment fault on the address given
     * (DDI 0487 C5.3.13). */
    if (mmu_data_is_device(cpu, va))
        mmu_raise_alignment_fault(cpu, va, true);
    for (uint64_t off = 0; off < block; off += 8)
        mmu_store(cpu, base + off, 0, 8, 0, 0);
    return 0;
}

/* EL0 cache maintenance needs SCTLR_EL1.UCI (a trap to EL1 first), then the
 * EL2 trap controls of the instruction (b: its traps column) apply. */
static uint64_t helper_sys_traps(void *env, uint64_t key_rt, uint64_t traps, uint64_t el0uci)
{
    CPUState *cpu = env;
    if (el0uci && cpu_el(cpu) == 0 && !(cpu_el0_sctlr(cpu) & SCTLR_UCI))
        cpu_take_exception(cpu, cpu_sync_target_el(cpu), EC_SYSREG, sys_iss(key_rt >> 5, key_rt & 31), cpu->pc, false, 0);
    if (sysop_traps_to_el2(cpu, traps))
        cpu_take_exception(cpu, 2, EC_SYSREG, sys_iss(key_rt >> 5, key_rt & 31), cpu->pc, false, 0);
    return 0;
}

/* TLBI: a = Xt, b = what it names (TLBI_* flags). */
static uint64_t helper_tlbi(void *env, uint64_t xt, uint64_t op, uint64_t c)
{
    (void)c;
    mmu_tlbi(env, (unsigned)op, xt);
    return 0;
}

/* AT: a = VA, b = op1 << 3 | op2 (which AT). S1E1* and S1E0* at EL2 with
 * HCR_EL2.{E2H,TGE} = {1,1} translate in the EL2&0 regime; S12E* are the
 * S1E* of EL1&0 when stage 2 is off. S1E1R/W ignore PSTATE.PAN. */
static uint64_t helper_at(void *env, uint64_t va, uint64_t op, uint64_t c)
{
    (void)c;
    CPUState *cpu = env;
    bool el2_op = op >> 3 == 4, write = op & 1;
    unsigned kind = op & 6; /* 0: S1E1/S1E2, 2: S1E0, 4: S12E1, 6: S12E0 */
    bool vhe = cpu_e2h_tge(cpu);
    MMUIdx idx;
    if (el2_op && kind == 0)
        idx = MMU_IDX_EL2;
    else if (kind == 2 || kind == 6)
        idx = MMU_IDX_EL0;
    else
        idx = cpu_el(cpu) == 2 && vhe && !el2_op ? MMU_IDX_EL2 : MMU_IDX_EL1;
    cpu->sr[SR_PAR_EL1] = mmu_address_translate(cpu, va, idx, write, !(el2_op && kind >= 4));
    return 0;
}

bool trans_SYS(DisasContext *s, const A64Insn *i)
{
    if (i->f[F_L])
        return false; /* SYSL: no allocated encodings in the base architecture */
    for (size_t k = 0; k < sizeof sysops / sizeof sysops[0]; k++) {
        if (sysops[k].op1 != i->f[F_op1] || sysops[k].crn != i->f[F_CRn] || sysops[k].crm != i->f[F_CRm] ||
            sysops[k].op2 != i->f[F_op2])
            continue;
        if (s->el < sysops[k].min_el || (sysops[k].min_el == 2 && !s->cpu->has_el2) ||
            !feature_has(&s->cpu->features, sysops[k].feature))
            return false;
        uint64_t key_rt = (uint64_t)sysreg_key(1, i->f[F_op1], i->f[F_CRn], i->f[F_CRm], i->f[F_op2]) << 5 | i->f[F_Rt];
        bool el0uci = sysops[k].kind == SYSOP_CACHE_EL0UCI && s->el == 0;
        bool el2_traps = sysops[k].traps && s->el < 2 && s->cpu->has_el2;
        if (sysops[k].kind != SYSOP_DC_ZVA && (el0uci || el2_traps))
            gen_helper(s, helper_sys_traps, konst(s, key_rt), konst(s, el2_traps ? sysops[k].traps : 0),
                       konst(s, el0uci));
        switch (sysops[k].kind) {
        case SYSOP_NOP:
        case SYSOP_CACHE_EL0UCI:
            return true;
        case SYSOP_DC_ZVA:
            gen_helper(s, helper_dc_zva, read_x(s, i->f[F_Rt]), konst(s, key_rt), konst(s, sysops[k].traps));
            return true;
        case SYSOP_TLBI:
            gen_helper(s, helper_tlbi, read_x(s, i->f[F_Rt]), konst(s, sysops[k].tlbi), 0);
            gen_exit_to_loop(s, s->pc + 4);
            return true;
        case SYSOP_AT:
            gen_helper(s, helper_at, read_x(s, i->f[F_Rt]), konst(s, i->f[F_op1] << 3 | i->f[F_op2]), 0);
            return true;
        }
    }
    if (log_enabled(LOG_UNIMP))
        log_printf("unimplemented SYS #%u, C%u, C%u, #%u at pc 0x%" PRIx64 "\n", i->f[F_op1], i->f[F_CRn], i->f[F_CRm],
                   i->f[F_op2], s->pc);
    return false;
}
