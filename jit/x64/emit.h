/* A small x86-64 assembler: just the instructions the backend emits. Each
 * function appends one instruction to an X64Buf; writing past the end sets
 * overflow and writes nothing (the caller checks once per block). */
#ifndef NESTOR_JIT_X64_EMIT_H
#define NESTOR_JIT_X64_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15,
    X64_NOREG = -1
} X64Reg;

/* Condition codes, as in Jcc/SETcc/CMOVcc. */
typedef enum {
    CC_O, CC_NO, CC_B, CC_AE, CC_E, CC_NE, CC_BE, CC_A, CC_S, CC_NS, CC_P, CC_NP, CC_L, CC_GE, CC_LE, CC_G
} X64Cond;

/* Group-1 ALU operations (their /digit). */
typedef enum { ALU_ADD = 0, ALU_OR = 1, ALU_ADC = 2, ALU_SBB = 3, ALU_AND = 4, ALU_SUB = 5, ALU_XOR = 6, ALU_CMP = 7 } X64Alu;
/* Group-2 shift operations (their /digit). */
typedef enum { SH_ROL = 0, SH_ROR = 1, SH_SHL = 4, SH_SHR = 5, SH_SAR = 7 } X64Shift;
/* Group-3 unary operations (their /digit). */
typedef enum { U_NOT = 2, U_NEG = 3, U_MUL = 4, U_IMUL = 5, U_DIV = 6, U_IDIV = 7 } X64Unary;

typedef struct {
    uint8_t *start, *p, *end;
    bool overflow;
} X64Buf;

/* A memory operand [base + index * scale + disp]. */
typedef struct {
    X64Reg base, index;
    uint8_t scale; /* 1, 2, 4, 8 */
    int32_t disp;
} X64Mem;

static inline X64Mem x64_mem(X64Reg base, int32_t disp) { return (X64Mem){base, X64_NOREG, 1, disp}; }
static inline X64Mem x64_mem_idx(X64Reg base, X64Reg index, uint8_t scale, int32_t disp)
{
    return (X64Mem){base, index, scale, disp};
}
static inline bool x64_fits_i32(int64_t v) { return v == (int32_t)v; }
static inline size_t x64_offset(const X64Buf *b) { return (size_t)(b->p - b->start); }

/* size is the operand width in bytes (1, 2, 4, 8) where it matters. */
void x64_alu_rr(X64Buf *b, X64Alu op, unsigned size, X64Reg dst, X64Reg src);
void x64_alu_ri(X64Buf *b, X64Alu op, unsigned size, X64Reg dst, int32_t imm);
void x64_alu_rm(X64Buf *b, X64Alu op, unsigned size, X64Reg dst, X64Mem m);   /* dst op= [m] */
void x64_alu_mi(X64Buf *b, X64Alu op, unsigned size, X64Mem m, int32_t imm); /* [m] op= imm */
void x64_test_rr(X64Buf *b, unsigned size, X64Reg a, X64Reg c);
void x64_mov_rr(X64Buf *b, unsigned size, X64Reg dst, X64Reg src);
/* Loads an immediate with the shortest form; never touches the flags. */
void x64_mov_ri(X64Buf *b, X64Reg dst, uint64_t imm);
/* Zero- or sign-extending load of size bytes into a 64-bit register. */
void x64_load(X64Buf *b, unsigned size, bool sign, X64Reg dst, X64Mem m);
void x64_store(X64Buf *b, unsigned size, X64Mem m, X64Reg src);
void x64_store_imm(X64Buf *b, unsigned size, X64Mem m, int32_t imm);
void x64_lea(X64Buf *b, unsigned size, X64Reg dst, X64Mem m);
void x64_shift_ri(X64Buf *b, X64Shift op, unsigned size, X64Reg r, uint8_t amount);
void x64_shift_rcl(X64Buf *b, X64Shift op, unsigned size, X64Reg r);
void x64_unary(X64Buf *b, X64Unary op, unsigned size, X64Reg r);
void x64_imul_rr(X64Buf *b, unsigned size, X64Reg dst, X64Reg src);
void x64_imul_rri(X64Buf *b, unsigned size, X64Reg dst, X64Reg src, int32_t imm);
void x64_bsr(X64Buf *b, unsigned size, X64Reg dst, X64Reg src);
void x64_bswap(X64Buf *b, unsigned size, X64Reg r); /* size 4 or 8 */
void x64_movzx8(X64Buf *b, X64Reg dst, X64Reg src8);  /* dst32 = src.low8 */
void x64_movzx16(X64Buf *b, X64Reg dst, X64Reg src16);
void x64_movsx(X64Buf *b, unsigned dst_size, unsigned src_size, X64Reg dst, X64Reg src); /* src_size 1, 2, 4 */
void x64_setcc(X64Buf *b, X64Cond cc, X64Reg r8);
/* r = cc ? 1 : 0 (64-bit), flags kept. Writes all of r before SETcc: SETcc
 * alone merges into r's old value, a false dependency that can chain blocks. */
void x64_setcc_zx(X64Buf *b, X64Cond cc, X64Reg r);
void x64_cmov(X64Buf *b, X64Cond cc, unsigned size, X64Reg dst, X64Reg src);
void x64_bt_ri(X64Buf *b, unsigned size, X64Reg r, uint8_t bit);
void x64_bt_rr(X64Buf *b, unsigned size, X64Reg r, X64Reg bit);
void x64_cqo(X64Buf *b, unsigned size); /* cdq / cqo */
void x64_lahf(X64Buf *b);
void x64_cmc(X64Buf *b);
void x64_stc(X64Buf *b);
void x64_push(X64Buf *b, X64Reg r);
void x64_pop(X64Buf *b, X64Reg r);
/* Push / pop the registers of a mask around a call, keeping RSP 16-byte aligned. */
void x64_push_mask(X64Buf *b, uint16_t mask);
void x64_pop_mask(X64Buf *b, uint16_t mask);
void x64_ret(X64Buf *b);
void x64_call_r(X64Buf *b, X64Reg r);
void x64_jmp_r(X64Buf *b, X64Reg r);
void x64_inc_m(X64Buf *b, X64Mem m); /* 64-bit */
/* SSE on xmm0-xmm7. x64_sse_rr: "66 0F opcode" with a two-byte opcode for the
 * 0F 38 map (0x38xx); x64_sse_shift_imm: "66 0F opcode /ext ib". */
void x64_sse_load(X64Buf *b, int xmm, X64Mem m);
void x64_sse_store(X64Buf *b, X64Mem m, int xmm);
/* The same 16 bytes as two 8-byte loads (movq, movhps): each can be
 * forwarded from an 8-byte store still in the store buffer. */
void x64_sse_load_halves(X64Buf *b, int xmm, X64Mem m);
void x64_sse_rr(X64Buf *b, uint16_t opcode, int dst, int src);
void x64_sse_shift_imm(X64Buf *b, uint8_t opcode, int ext, int xmm, uint8_t amount);
void x64_sse_movq_zx(X64Buf *b, int xmm);
/* Packed FP "[66] 0F opcode" (prefix 0: ps, 0x66: pd), e.g. addps 0x58. */
void x64_sse_fp_rr(X64Buf *b, uint8_t prefix, uint8_t opcode, int dst, int src);
void x64_sse_movd_from(X64Buf *b, int xmm, X64Reg src);    /* movd xmm, r32 */
void x64_put8(X64Buf *b, uint8_t v); /* a raw byte (an instruction's immediate) */
void x64_sse_pshufd(X64Buf *b, int dst, int src, uint8_t order);
void x64_sse_movmskps(X64Buf *b, X64Reg dst, int xmm);
/* VEX.128.66.0F38 FMA3 "opcode dst, src1, src2" (W selects pd), e.g.
 * vfmadd231ps 0xb8: dst += src1 * src2. Only when the host has FMA3. */
void x64_vex_fma(X64Buf *b, uint8_t opcode, bool w, int dst, int src1, int src2);

/* Branches with 32-bit displacements. Each returns the offset of its rel32
 * field (for x64_patch_rel32), or 0 on overflow. */
size_t x64_jmp(X64Buf *b);
size_t x64_call_rel32(X64Buf *b); /* call rel32: returns the field to patch */
size_t x64_jcc(X64Buf *b, X64Cond cc);
/* Points the rel32 field at offset field_off of buffer start to target. */
void x64_patch_rel32(uint8_t *start, size_t field_off, const uint8_t *target);

#endif
