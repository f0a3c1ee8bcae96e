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
    uint32_t tb_flags;  /* the block's a64_tb_flags */
    bool guarded;   /* the block's page is a guarded page (FEAT_BTI) */
    bool btype_live; /* PSTATE.BTYPE may be non-zero: this instruction must clear it */
    bool ended;     /* a terminator has been emitted */
} DisasContext;

/* Translation-block flags: the CPU state a translation depends on: the EL
 * (bits 1:0), the FP access check (bits 3:2), what decides the MMU index
 * of LDTR/STTR (PSTATE.UAO, bit 4; HCR_EL2.{E2H,TGE} at EL2, bit 5), the
 * debug events to check (cpu_debug_tb_flags: breakpoints, bit 6; software
 * step, bit 7), and FEAT_BTI's: PSTATE.BTYPE at the block's start (bits
 * 9:8) and whether the block's page is guarded (bit 10, the stage 1 GP of
 * the fetch). All but BTYPE and GP change only through exceptions, ERET
 * and MSR, which all return to the run loop. BTYPE is set by BR/BLR and
 * cleared by the next instruction, which a non-zero BTYPE makes the first
 * of its block; GP is a property of the page's mapping, like the physical
 * pc: whatever keeps a virtual pc's block valid keeps its GP right (the
 * jump cache is dropped with the mappings). With breakpoints, the flags
 * also name the CPU whose breakpoint registers the block checked (bits
 * 31:16): blocks are shared by the CPUs (cpu/cpu.h Engine). */
#define A64_TB_BREAKPOINTS (CPU_DEBUG_BREAKPOINTS << 6)
#define A64_TB_STEP (CPU_DEBUG_STEP << 6)
#define A64_TB_BTYPE_SHIFT 8
#define A64_TB_BTYPE (3u << A64_TB_BTYPE_SHIFT)
#define A64_TB_GUARDED (1u << 10)
#define A64_TB_CPU_SHIFT 16
_Static_assert(PSTATE_BTYPE >> 10 == 3, "PSTATE.BTYPE is SPSR bits 11:10");
static inline uint32_t a64_tb_flags(const CPUState *cpu, bool guarded)
{
    bool vhe_host = cpu_e2h_tge(cpu);
    uint32_t debug = cpu_debug_tb_flags(cpu);
    return cpu_el(cpu) | (uint32_t)cpu_fp_access(cpu) << 2 | (cpu->pstate & PSTATE_UAO ? 16u : 0) |
           (vhe_host ? 32u : 0) | debug << 6 |
           (cpu->pstate & PSTATE_BTYPE) >> 10 << A64_TB_BTYPE_SHIFT | (guarded ? A64_TB_GUARDED : 0) |
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
void gen_goto_cond(DisasContext *s, IRTemp cond, uint64_t if_true, uint64_t if_false);
/* Indirect, from an instruction that leaves PSTATE.BTYPE = btype (BR and
 * BLR forms: a64_btype_of_br, 2; RET forms: 0). */
void gen_goto_ptr(DisasContext *s, IRTemp target, unsigned btype);
/* The BTYPE a BR (or BRAA...) with target register rn sets: 01 for X16 and
 * X17 or from a page that is not guarded, else 11 (DDI 0487 C6.2 BR). */
static inline unsigned a64_btype_of_br(const DisasContext *s, unsigned rn)
{
    return rn == 16 || rn == 17 || !s->guarded ? 1 : 3;
}
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
