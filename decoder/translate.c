/* Block translation: fetch, decode through the table, gate by feature, and
 * hand each instruction to its translator. */
#include "decoder/translate.h"

#include <inttypes.h>

#include "decoder/disas.h"
#include "mmu/mmu.h"
#include "sysregs/sysregs.h"
#include "trace/log.h"

/* Upper bound of instructions per block: keeps interrupt latency and the
 * interpreter's temp array bounded. */
#define MAX_BLOCK_INSNS 256

IRTemp read_x(DisasContext *s, unsigned reg)
{
    return reg == 31 ? konst(s, 0) : ir_get(s->ir, 8, X_OFFSET(reg));
}

IRTemp read_x_sp(DisasContext *s, unsigned reg)
{
    return ir_get(s->ir, 8, reg == 31 ? offsetof(CPUState, sp) : X_OFFSET(reg));
}

static void write_reg(DisasContext *s, size_t offset, IRTemp v, bool sf)
{
    if (!sf)
        v = ir_ext(s->ir, false, 8, v, 32);
    ir_put(s->ir, 8, offset, v);
}

void write_x(DisasContext *s, unsigned reg, IRTemp v, bool sf)
{
    if (reg != 31)
        write_reg(s, X_OFFSET(reg), v, sf);
}

void write_x_sp(DisasContext *s, unsigned reg, IRTemp v, bool sf)
{
    write_reg(s, reg == 31 ? offsetof(CPUState, sp) : X_OFFSET(reg), v, sf);
}

IRTemp read_nzcv(DisasContext *s) { return ir_get(s->ir, 4, offsetof(CPUState, nzcv)); }
void write_nzcv(DisasContext *s, IRTemp v) { ir_put(s->ir, 4, offsetof(CPUState, nzcv), v); }

/* PSTATE.BTYPE = btype at the end of this instruction (the other PSTATE
 * bits as a helper of the instruction may have left them). */
static void gen_write_btype(DisasContext *s, unsigned btype)
{
    IRTemp p = ir_opi(s->ir, IR_and, 4, ir_get(s->ir, 4, offsetof(CPUState, pstate)), (uint32_t)~PSTATE_BTYPE);
    if (btype)
        p = ir_opi(s->ir, IR_or, 4, p, (uint64_t)btype << 10);
    ir_put(s->ir, 4, offsetof(CPUState, pstate), p);
    s->btype_live = false;
}

/* Every instruction but the branches that set it leaves BTYPE 0 (DDI 0487,
 * "PSTATE.BTYPE"): only the first one of a block may see it non-zero. */
static void gen_end_btype(DisasContext *s)
{
    if (s->btype_live)
        gen_write_btype(s, 0);
}

void gen_goto(DisasContext *s, uint64_t target)
{
    gen_end_btype(s);
    ir_goto_tb(s->ir, target);
    s->ended = true;
}

void gen_goto_cond(DisasContext *s, IRTemp cond, uint64_t if_true, uint64_t if_false)
{
    gen_end_btype(s);
    ir_goto_cond(s->ir, cond, if_true, if_false);
    s->ended = true;
}

/* The block found by the indirect jump must have been translated for the
 * BTYPE the branch leaves, and for its own page's GP, which the compiled
 * lookup cannot know and so does not compare (a block in the jump cache
 * has the GP of its page's current mapping). */
void gen_goto_ptr(DisasContext *s, IRTemp target, unsigned btype)
{
    if (!feature_has(&s->cpu->features, FEAT_BTI))
        btype = 0;
    if (btype || s->btype_live)
        gen_write_btype(s, btype);
    uint32_t flags = (s->tb_flags & ~(A64_TB_BTYPE | A64_TB_GUARDED)) | btype << A64_TB_BTYPE_SHIFT;
    ir_goto_ptr_flags(s->ir, target, flags, ~A64_TB_GUARDED);
    s->ended = true;
}

void gen_exit_to_loop(DisasContext *s, uint64_t next_pc)
{
    gen_end_btype(s);
    ir_put(s->ir, 8, offsetof(CPUState, pc), konst(s, next_pc));
    ir_exit(s->ir);
    s->ended = true;
}

static uint64_t helper_undefined(void *env, uint64_t a, uint64_t b, uint64_t c)
{
    (void)a, (void)b, (void)c;
    cpu_undefined(env);
}

/* a = EC << 32 | ISS, b = preferred return address. */
static uint64_t helper_exception(void *env, uint64_t a, uint64_t b, uint64_t c)
{
    (void)c;
    CPUState *cpu = env;
    cpu_take_exception(cpu, cpu_sync_target_el(cpu), (unsigned)(a >> 32), (uint32_t)a, b, false, 0);
}

IRTemp gen_helper(DisasContext *s, IRHelper fn, IRTemp a, IRTemp b, IRTemp c)
{
    IRTemp zero = 0;
    if (!a || !b || !c)
        zero = konst(s, 0);
    return ir_call(s->ir, fn, a ? a : zero, b ? b : zero, c ? c : zero);
}

void gen_undefined(DisasContext *s)
{
    gen_helper(s, helper_undefined, 0, 0, 0);
    ir_exit(s->ir);
    s->ended = true;
}

static uint64_t helper_fp_access_trap(void *env, uint64_t access, uint64_t b, uint64_t c)
{
    (void)b, (void)c;
    cpu_fp_access_trap(env, (FPAccess)access);
}

bool fp_access_check(DisasContext *s)
{
    if (s->fp_access == FP_ENABLED)
        return true;
    gen_helper(s, helper_fp_access_trap, konst(s, s->fp_access), 0, 0);
    ir_exit(s->ir);
    s->ended = true;
    return false;
}

void gen_exception(DisasContext *s, unsigned ec, uint32_t iss, bool return_to_next)
{
    gen_helper(s, helper_exception, konst(s, (uint64_t)ec << 32 | iss), konst(s, s->pc + (return_to_next ? 4 : 0)), 0);
    ir_exit(s->ir);
    s->ended = true;
}

/* Debug events decided at translation (cpu/debug.c). */
static uint64_t helper_breakpoint(void *env, uint64_t a, uint64_t b, uint64_t c)
{
    (void)a, (void)b, (void)c;
    cpu_breakpoint_exception(env);
}

/* ---- FEAT_BTI: the branch target check (DDI 0487, "Branch Target
 * Identification"; pseudocode BranchTargetCheck, BTypeCompatible_BTI,
 * BTypeCompatible_PACIXSP) ---- */

typedef enum { BT_INCOMPATIBLE, BT_COMPATIBLE, BT_PACIXSP } BTCompat;

/* Whether raw may be the target of a branch that set btype (non-zero): BTI
 * with a matching target kind, PACIASP/PACIBSP (which also depend on
 * SCTLR_ELx.BTn, read at run time), BRK and HLT; nothing else. */
static BTCompat btype_compatible(uint32_t raw, unsigned btype)
{
    if ((raw & 0xffffff3f) == 0xd503241f) { /* HINT #32/34/36/38: BTI {-, c, j, jc} */
        switch (raw >> 6 & 3) {
        case 0: return BT_INCOMPATIBLE;
        case 1: return btype != 3 ? BT_COMPATIBLE : BT_INCOMPATIBLE; /* c: BR X16/X17 and BLR */
        case 2: return btype != 2 ? BT_COMPATIBLE : BT_INCOMPATIBLE; /* j: BR */
        default: return BT_COMPATIBLE;
        }
    }
    if (raw == 0xd503233f || raw == 0xd503237f) /* PACIASP, PACIBSP (HINT #25, #27) */
        return btype == 3 ? BT_PACIXSP : BT_COMPATIBLE;
    if ((raw & 0xffe0001f) == 0xd4200000 || (raw & 0xffe0001f) == 0xd4400000) /* BRK, HLT */
        return BT_COMPATIBLE;
    return BT_INCOMPATIBLE;
}

static _Noreturn void branch_target_exception(CPUState *cpu, unsigned btype)
{
    /* ISS[1:0] = the BTYPE; to EL1, or EL2 from EL0 with HCR_EL2.TGE */
    cpu_take_exception(cpu, cpu_sync_target_el(cpu), EC_BTI, btype, cpu->pc, false, 0);
}

/* PACIASP/PACIBSP after BR Xn (BTYPE 11): a landing pad unless
 * SCTLR_ELx.BT0 (EL0) / BT1 (EL1; BT of EL2) of the regime asks for a BTI. */
static uint64_t helper_bti_pacixsp(void *env, uint64_t a, uint64_t b, uint64_t c)
{
    (void)a, (void)b, (void)c;
    CPUState *cpu = env;
    unsigned el = cpu_el(cpu);
    uint64_t sctlr = el == 0 ? cpu_el0_sctlr(cpu) : cpu->sr[el == 1 ? SR_SCTLR_EL1 : SR_SCTLR_EL2];
    if (sctlr & (el == 0 ? SCTLR_BT0 : SCTLR_BT1))
        branch_target_exception(cpu, 3);
    return 0;
}

static uint64_t helper_bti_fault(void *env, uint64_t btype, uint64_t b, uint64_t c)
{
    (void)b, (void)c;
    branch_target_exception(env, (unsigned)btype);
}

/* The check of a block's first instruction when it starts with BTYPE != 0
 * on a guarded page. Its priority (DDI 0487, "Synchronous exception
 * prioritization"): after the fetch abort, Software Step and Breakpoint
 * (all taken before), and after the Illegal Execution state exception (the
 * run loop); before everything the instruction itself may raise. Returns
 * false when it always faults. */
static bool gen_branch_target_check(DisasContext *s, uint32_t raw)
{
    unsigned btype = (s->tb_flags & A64_TB_BTYPE) >> A64_TB_BTYPE_SHIFT;
    switch (btype_compatible(raw, btype)) {
    case BT_COMPATIBLE:
        return true;
    case BT_PACIXSP:
        gen_helper(s, helper_bti_pacixsp, 0, 0, 0);
        return true;
    case BT_INCOMPATIBLE:
        break;
    }
    gen_helper(s, helper_bti_fault, konst(s, btype), 0, 0);
    ir_exit(s->ir);
    s->ended = true;
    return false;
}

static void translate_one(DisasContext *s, uint32_t raw)
{
    A64Insn insn;
    const A64Encoding *enc = a64_decode(raw, &insn);
    if (log_enabled(LOG_IN_ASM)) {
        char text[128];
        a64_disas(s->pc, raw, text, sizeof text);
        log_printf("0x%016" PRIx64 ":  %08x      %s\n", s->pc, raw, text);
    }
    if (!enc || !feature_has(&s->cpu->features, enc->feature) || !enc->translate(s, &insn)) {
        gen_undefined(s);
    }
}

void a64_translate_block(CPUState *cpu, TB *tb, uint32_t first_insn)
{
    DisasContext s = {.ir = &tb->ir, .cpu = cpu, .pc = tb->vpc, .el = cpu_el(cpu),
                      .fp_access = cpu_fp_access(cpu), .tb_flags = tb->flags,
                      .guarded = tb->flags & A64_TB_GUARDED, .btype_live = tb->flags & A64_TB_BTYPE};
    uint32_t raw = first_insn;
    if (log_enabled(LOG_IN_ASM))
        log_printf("IN: EL%u\n", s.el);
    tb->ninsns = 0;
    for (;;) {
        ir_insn_start(s.ir, s.pc);
        if ((tb->flags & A64_TB_BREAKPOINTS) && cpu_breakpoint_at(cpu, s.pc)) {
            /* before the instruction executes (it stays unexecuted) */
            gen_helper(&s, helper_breakpoint, 0, 0, 0);
            ir_exit(s.ir);
            s.ended = true;
        } else if (!(s.btype_live && s.guarded) || gen_branch_target_check(&s, raw)) {
            translate_one(&s, raw);
            if (!s.ended)
                gen_end_btype(&s);
        }
        tb->ninsns++;
        if (s.ended)
            break;
        if (tb->flags & A64_TB_STEP) { /* one instruction per block while stepping */
            gen_goto(&s, s.pc + 4);
            break;
        }
        s.pc += 4;
        uint64_t pa;
        /* Blocks stay within one page: its translation may change independently. */
        if ((s.pc & ~PAGE_MASK) == 0 || tb->ninsns == MAX_BLOCK_INSNS || !mmu_fetch_insn(cpu, s.pc, &raw, &pa, NULL, false)) {
            gen_goto(&s, s.pc);
            break;
        }
    }
    ir_number_insns(s.ir, tb->ninsns);
    if (log_enabled(LOG_IN_ASM))
        log_printf("\n");
    char err[160];
    if (ir_verify_enabled() && ir_verify(s.ir, err, sizeof err))
        nestor_bug("translation of the block at 0x%" PRIx64 " produced bad IR: %s", tb->vpc, err);
    if (log_enabled(LOG_OP)) {
        log_printf("OP: block 0x%016" PRIx64 " (%u instructions)\n", tb->vpc, tb->ninsns);
        ir_print(log_file(), s.ir);
        log_printf("\n");
    }
}
