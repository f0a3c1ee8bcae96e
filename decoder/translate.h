/* Shared by the A64 -> IR translators of every instruction group. */
#ifndef NESTOR_DECODER_TRANSLATE_H
#define NESTOR_DECODER_TRANSLATE_H

#include <stddef.h>

#include "cpu/cpu.h"
#include "decoder/a64.h"
#include "jit/ir.h"

typedef struct DisasContext {
    IRBlock *ir;
    CPUState *cpu;  /* read-only at translation: features, and state in the TB flags */
    uint64_t pc;    /* address of the instruction being translated */
    unsigned el;    /* PSTATE.EL, part of the TB key */
    FPAccess fp_access; /* cpu_fp_access(), part of the TB key */
    bool ended;     /* a terminator has been emitted */
} DisasContext;

/* Translation-block flags: the CPU state a translation depends on: the EL
 * (bits 1:0), the FP access check (bits 3:2), what decides the MMU index
 * of LDTR/STTR (PSTATE.UAO, bit 4; HCR_EL2.{E2H,TGE} at EL2, bit 5), and
 * the debug events to check (cpu_debug_tb_flags: breakpoints, bit 6;
 * software step, bit 7), and with breakpoints, the CPU whose breakpoint
 * registers the block checked (bits 31:16: blocks are shared by the CPUs,
 * cpu/cpu.h Engine). They change only through exceptions, ERET and MSR,
 * which all return to the run loop. */
#define A64_TB_BREAKPOINTS (CPU_DEBUG_BREAKPOINTS << 6)
#define A64_TB_STEP (CPU_DEBUG_STEP << 6)
#define A64_TB_CPU_SHIFT 16
static inline uint32_t a64_tb_flags(const CPUState *cpu)
{
    bool vhe_host = cpu_e2h_tge(cpu);
    uint32_t debug = cpu_debug_tb_flags(cpu);
    return cpu_el(cpu) | (uint32_t)cpu_fp_access(cpu) << 2 | (cpu->pstate & PSTATE_UAO ? 16u : 0) |
           (vhe_host ? 32u : 0) | debug << 6 |
           (debug & CPU_DEBUG_BREAKPOINTS ? cpu->index << A64_TB_CPU_SHIFT : 0);
}

/* Translates the block starting at tb->vpc (whose first instruction, raw, was
 * already fetched by the caller). Sets tb->ninsns and tb->ir. */
void a64_translate_block(CPUState *cpu, TB *tb, uint32_t first_insn);

/* Guest registers. Register 31 is XZR in the plain forms and SP in the _sp
 * forms; sf selects X (1) or W (0): W reads use the low 32 bits, W writes
 * zero-extend. */
#define X_OFFSET(n) (offsetof(CPUState, x) + 8 * (size_t)(n))
IRTemp read_x(DisasContext *s, unsigned reg);
IRTemp read_x_sp(DisasContext *s, unsigned reg);
void write_x(DisasContext *s, unsigned reg, IRTemp v, bool sf);
void write_x_sp(DisasContext *s, unsigned reg, IRTemp v, bool sf);
IRTemp read_nzcv(DisasContext *s);
void write_nzcv(DisasContext *s, IRTemp v);
static inline IRTemp konst(DisasContext *s, uint64_t v) { return ir_movi(s->ir, v); }
/* base + offset, as 64-bit address arithmetic (no op for 0). */
static inline IRTemp add_imm(DisasContext *s, IRTemp base, int64_t offset)
{
    return offset ? ir_op2(s->ir, IR_add, 8, base, konst(s, (uint64_t)offset)) : base;
}

/* Base-register + immediate addressing, shared by every load/store class:
 * the access address (the old base when post-indexed) and, for pre- and
 * post-index, the base written back after the access. */
typedef struct {
    unsigned rn;
    IRTemp base, addr;
    int64_t offset;
    bool post, writeback;
} Indexed;

static inline Indexed indexed_begin(DisasContext *s, unsigned rn, int64_t offset, bool post, bool writeback)
{
    IRTemp base = read_x_sp(s, rn);
    return (Indexed){rn, base, post ? base : add_imm(s, base, offset), offset, post, writeback};
}

static inline void indexed_end(DisasContext *s, const Indexed *x)
{
    if (x->writeback)
        write_x_sp(s, x->rn, x->post ? add_imm(s, x->base, x->offset) : x->addr, true);
}
static inline unsigned sf_size(bool sf) { return sf ? 8 : 4; }

/* Block ends. */
void gen_goto(DisasContext *s, uint64_t target);      /* direct jump */
void gen_goto_ptr(DisasContext *s, IRTemp target);    /* indirect */
void gen_exit_to_loop(DisasContext *s, uint64_t next_pc); /* state changed: re-check interrupts/flags */
/* Raises a synchronous exception at this instruction (UNDEFINED: ec 0). */
void gen_undefined(DisasContext *s);
void gen_exception(DisasContext *s, unsigned ec, uint32_t iss, bool return_to_next);
/* The FP/AdvSIMD access check every FP instruction starts with: returns
 * false after emitting the trap (the translator then emits nothing else). */
bool fp_access_check(DisasContext *s);
/* Calls a helper, making it clear that it may raise an exception. */
IRTemp gen_helper(DisasContext *s, IRHelper fn, IRTemp a, IRTemp b, IRTemp c);
/* Calls a pure helper: a function of its arguments only (no guest state, no
 * exception), which the JIT calls without writing guest state back first. */
static inline IRTemp gen_helper_pure(DisasContext *s, IRHelper fn, IRTemp a, IRTemp b, IRTemp c)
{
    return ir_callp(s->ir, fn, a, b, c);
}

/* HFGITR_EL2.ERET for ERET (pac false) and ERETAA/ERETAB (run time, in
 * their helpers; trans_branch_sys.c). */
void a64_check_eret_trap(CPUState *cpu, bool pac, bool key_b);

/* The PAuth hint-space instructions (trans_pauth.c): false when the hint
 * is not one of them or the CPU has no FEAT_PAuth (a NOP then). */
bool pauth_translate_hint(DisasContext *s, unsigned crm, unsigned op2);

#endif
