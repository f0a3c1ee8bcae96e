/* Block translation: fetch, decode through the table, gate by feature, and
 * hand each instruction to its translator. */
#include "decoder/translate.h"

#include <inttypes.h>

#include "decoder/disas.h"
#include "mmu/mmu.h"
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

void gen_goto(DisasContext *s, uint64_t target)
{
    ir_goto_tb(s->ir, target);
    s->ended = true;
}

void gen_goto_ptr(DisasContext *s, IRTemp target)
{
    ir_goto_ptr(s->ir, target);
    s->ended = true;
}

void gen_exit_to_loop(DisasContext *s, uint64_t next_pc)
{
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
                      .fp_access = cpu_fp_access(cpu)};
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
        } else {
            translate_one(&s, raw);
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
        if ((s.pc & ~PAGE_MASK) == 0 || tb->ninsns == MAX_BLOCK_INSNS || !mmu_fetch_insn(cpu, s.pc, &raw, &pa, false)) {
            gen_goto(&s, s.pc);
            break;
        }
    }
    ir_number_insns(s.ir, tb->ninsns);
    if (log_enabled(LOG_IN_ASM))
        log_printf("\n");
    char err[160];
    if (ir_verify(s.ir, err, sizeof err))
        nestor_bug("translation of the block at 0x%" PRIx64 " produced bad IR: %s", tb->vpc, err);
    if (log_enabled(LOG_OP)) {
        log_printf("OP: block 0x%016" PRIx64 " (%u instructions)\n", tb->vpc, tb->ninsns);
        ir_print(log_file(), s.ir);
        log_printf("\n");
    }
}
