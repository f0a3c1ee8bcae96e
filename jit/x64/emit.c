/* x86-64 instruction encoding (Intel SDM vol. 2, chapter 2: REX, ModRM, SIB). */
#include "jit/x64/emit.h"

#include <string.h>

/* Each emitter checks once that its instruction fits (x86 instructions are
 * at most 15 bytes), then writes through a local cursor p and stores it back
 * at the end: writing through b->p would make the compiler reload it after
 * every byte, since a store through uint8_t * may alias anything. The helpers
 * take and return the cursor. */
enum { MAX_INSN_BYTES = 16 };

/* The cursor for one instruction, or NULL (overflow set, nothing written). */
static inline uint8_t *begin(X64Buf *b)
{
    if (b->end - b->p < MAX_INSN_BYTES) {
        b->overflow = true;
        return NULL;
    }
    return b->p;
}

#define BEGIN(b, ...)                 \
    uint8_t *p = begin(b);            \
    if (!p)                           \
        return __VA_ARGS__
#define END(b) ((b)->p = p)

static inline uint8_t *put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4); /* the host is x86-64: little-endian */
    return p + 4;
}

static inline uint8_t *put64(uint8_t *p, uint64_t v)
{
    memcpy(p, &v, 8);
    return p + 8;
}

/* REX prefix when needed. reg/index/base are register numbers or X64_NOREG.
 * byte_regs forces a REX for SPL/BPL/SIL/DIL byte accesses. */
static inline uint8_t *rex(uint8_t *p, bool w, int reg, int index, int base, bool byte_regs)
{
    uint8_t r = (uint8_t)(0x40 | (w ? 8 : 0) | (reg >= 8 ? 4 : 0) | (index >= 8 ? 2 : 0) | (base >= 8 ? 1 : 0));
    bool need_byte = byte_regs && ((reg >= 4 && reg < 8) || (base >= 4 && base < 8));
    if (r != 0x40 || need_byte)
        *p++ = r;
    return p;
}

static inline uint8_t *modrm_rr(uint8_t *p, int reg, int rm)
{
    *p++ = (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7));
    return p;
}

static uint8_t *modrm_mem(uint8_t *p, int reg, X64Mem m)
{
    int base = m.base, index = m.index;
    unsigned mod = m.disp == 0 && (base & 7) != RBP ? 0 : m.disp == (int8_t)m.disp ? 1 : 2;
    if (index == X64_NOREG && (base & 7) != RSP) {
        *p++ = (uint8_t)(mod << 6 | (reg & 7) << 3 | (base & 7));
    } else {
        unsigned ss = m.scale == 8 ? 3 : m.scale == 4 ? 2 : m.scale == 2 ? 1 : 0;
        int idx = index == X64_NOREG ? RSP : index; /* index RSP means none */
        *p++ = (uint8_t)(mod << 6 | (reg & 7) << 3 | 4);
        *p++ = (uint8_t)(ss << 6 | (idx & 7) << 3 | (base & 7));
    }
    if (mod == 1)
        *p++ = (uint8_t)m.disp;
    else if (mod == 2)
        p = put32(p, (uint32_t)m.disp);
    return p;
}

static inline uint8_t *op_prefix(uint8_t *p, unsigned size)
{
    if (size == 2)
        *p++ = 0x66;
    return p;
}

/* An instruction "opcode reg, r/m" on registers with the usual size rules. */
static void insn_rr(X64Buf *b, unsigned size, uint8_t opcode, int reg, int rm)
{
    BEGIN(b);
    p = op_prefix(p, size);
    p = rex(p, size == 8, reg, X64_NOREG, rm, size == 1);
    *p++ = (uint8_t)(size == 1 ? opcode & ~1 : opcode);
    p = modrm_rr(p, reg, rm);
    END(b);
}

static void insn_rm(X64Buf *b, unsigned size, uint8_t opcode, int reg, X64Mem m)
{
    BEGIN(b);
    p = op_prefix(p, size);
    p = rex(p, size == 8, reg, m.index, m.base, size == 1);
    *p++ = (uint8_t)(size == 1 ? opcode & ~1 : opcode);
    p = modrm_mem(p, reg, m);
    END(b);
}

void x64_alu_rr(X64Buf *b, X64Alu op, unsigned size, X64Reg dst, X64Reg src)
{
    insn_rr(b, size, (uint8_t)(op << 3 | 1), src, dst);
}

void x64_alu_ri(X64Buf *b, X64Alu op, unsigned size, X64Reg dst, int32_t imm)
{
    BEGIN(b);
    p = op_prefix(p, size);
    p = rex(p, size == 8, 0, X64_NOREG, dst, false);
    if (imm == (int8_t)imm) {
        *p++ = 0x83;
        p = modrm_rr(p, op, dst);
        *p++ = (uint8_t)imm;
    } else {
        *p++ = 0x81;
        p = modrm_rr(p, op, dst);
        p = put32(p, (uint32_t)imm);
    }
    END(b);
}

void x64_alu_rm(X64Buf *b, X64Alu op, unsigned size, X64Reg dst, X64Mem m)
{
    insn_rm(b, size, (uint8_t)(op << 3 | 3), dst, m);
}

void x64_alu_mi(X64Buf *b, X64Alu op, unsigned size, X64Mem m, int32_t imm)
{
    BEGIN(b);
    p = op_prefix(p, size);
    p = rex(p, size == 8, 0, m.index, m.base, false);
    if (imm == (int8_t)imm) {
        *p++ = 0x83;
        p = modrm_mem(p, op, m);
        *p++ = (uint8_t)imm;
    } else {
        *p++ = 0x81;
        p = modrm_mem(p, op, m);
        p = put32(p, (uint32_t)imm);
    }
    END(b);
}

void x64_test_rr(X64Buf *b, unsigned size, X64Reg a, X64Reg c) { insn_rr(b, size, 0x85, c, a); }

void x64_mov_rr(X64Buf *b, unsigned size, X64Reg dst, X64Reg src)
{
    if (dst == src && size == 8)
        return;
    insn_rr(b, size, 0x89, src, dst);
}

void x64_mov_ri(X64Buf *b, X64Reg dst, uint64_t imm)
{
    BEGIN(b);
    if (imm <= 0xffffffffu) { /* mov r32, imm32 zero-extends */
        p = rex(p, false, 0, X64_NOREG, dst, false);
        *p++ = (uint8_t)(0xb8 + (dst & 7));
        p = put32(p, (uint32_t)imm);
    } else if (x64_fits_i32((int64_t)imm)) { /* mov r/m64, imm32 sign-extends */
        p = rex(p, true, 0, X64_NOREG, dst, false);
        *p++ = 0xc7;
        p = modrm_rr(p, 0, dst);
        p = put32(p, (uint32_t)imm);
    } else {
        p = rex(p, true, 0, X64_NOREG, dst, false);
        *p++ = (uint8_t)(0xb8 + (dst & 7));
        p = put64(p, imm);
    }
    END(b);
}

void x64_load(X64Buf *b, unsigned size, bool sign, X64Reg dst, X64Mem m)
{
    switch (size) {
    case 1:
    case 2: {
        BEGIN(b);
        p = rex(p, sign, dst, m.index, m.base, false);
        *p++ = 0x0f;
        *p++ = (uint8_t)((sign ? 0xbe : 0xb6) + (size == 2));
        p = modrm_mem(p, dst, m);
        END(b);
        break;
    }
    case 4:
        if (sign) {
            BEGIN(b);
            p = rex(p, true, dst, m.index, m.base, false);
            *p++ = 0x63;
            p = modrm_mem(p, dst, m);
            END(b);
        } else {
            insn_rm(b, 4, 0x8b, dst, m);
        }
        break;
    default:
        insn_rm(b, 8, 0x8b, dst, m);
        break;
    }
}

void x64_store(X64Buf *b, unsigned size, X64Mem m, X64Reg src) { insn_rm(b, size, 0x89, src, m); }

void x64_store_imm(X64Buf *b, unsigned size, X64Mem m, int32_t imm)
{
    BEGIN(b);
    p = op_prefix(p, size);
    p = rex(p, size == 8, 0, m.index, m.base, false);
    *p++ = size == 1 ? 0xc6 : 0xc7;
    p = modrm_mem(p, 0, m);
    if (size == 1) {
        *p++ = (uint8_t)imm;
    } else if (size == 2) {
        *p++ = (uint8_t)imm;
        *p++ = (uint8_t)(imm >> 8);
    } else {
        p = put32(p, (uint32_t)imm);
    }
    END(b);
}

void x64_lea(X64Buf *b, unsigned size, X64Reg dst, X64Mem m) { insn_rm(b, size == 8 ? 8 : 4, 0x8d, dst, m); }

/* "[REX] opcode /digit" on a register, with an optional imm8. */
static void insn_digit_r(X64Buf *b, bool w, uint8_t opcode, int digit, int r, bool has_imm8, uint8_t imm8)
{
    BEGIN(b);
    p = rex(p, w, 0, X64_NOREG, r, false);
    *p++ = opcode;
    p = modrm_rr(p, digit, r);
    if (has_imm8)
        *p++ = imm8;
    END(b);
}

void x64_shift_ri(X64Buf *b, X64Shift op, unsigned size, X64Reg r, uint8_t amount)
{
    insn_digit_r(b, size == 8, 0xc1, op, r, true, amount);
}

void x64_shift_rcl(X64Buf *b, X64Shift op, unsigned size, X64Reg r) { insn_digit_r(b, size == 8, 0xd3, op, r, false, 0); }

void x64_unary(X64Buf *b, X64Unary op, unsigned size, X64Reg r) { insn_digit_r(b, size == 8, 0xf7, op, r, false, 0); }

static void insn_0f_rr(X64Buf *b, bool w, uint8_t opcode, int reg, int rm)
{
    BEGIN(b);
    p = rex(p, w, reg, X64_NOREG, rm, false);
    *p++ = 0x0f;
    *p++ = opcode;
    p = modrm_rr(p, reg, rm);
    END(b);
}

void x64_imul_rr(X64Buf *b, unsigned size, X64Reg dst, X64Reg src) { insn_0f_rr(b, size == 8, 0xaf, dst, src); }

void x64_imul_rri(X64Buf *b, unsigned size, X64Reg dst, X64Reg src, int32_t imm)
{
    BEGIN(b);
    p = rex(p, size == 8, dst, X64_NOREG, src, false);
    *p++ = 0x69;
    p = modrm_rr(p, dst, src);
    p = put32(p, (uint32_t)imm);
    END(b);
}

void x64_bsr(X64Buf *b, unsigned size, X64Reg dst, X64Reg src) { insn_0f_rr(b, size == 8, 0xbd, dst, src); }

void x64_bswap(X64Buf *b, unsigned size, X64Reg r)
{
    BEGIN(b);
    p = rex(p, size == 8, 0, X64_NOREG, r, false);
    *p++ = 0x0f;
    *p++ = (uint8_t)(0xc8 + (r & 7));
    END(b);
}

void x64_movzx8(X64Buf *b, X64Reg dst, X64Reg src8)
{
    BEGIN(b);
    p = rex(p, false, dst, X64_NOREG, src8, true);
    *p++ = 0x0f;
    *p++ = 0xb6;
    p = modrm_rr(p, dst, src8);
    END(b);
}

void x64_movzx16(X64Buf *b, X64Reg dst, X64Reg src16) { insn_0f_rr(b, false, 0xb7, dst, src16); }

void x64_movsx(X64Buf *b, unsigned dst_size, unsigned src_size, X64Reg dst, X64Reg src)
{
    bool w = dst_size == 8;
    if (src_size == 4 && !w) { /* sign-extending 32 to 32 bits is a plain move */
        x64_mov_rr(b, 4, dst, src);
        return;
    }
    BEGIN(b);
    if (src_size == 4) {
        p = rex(p, true, dst, X64_NOREG, src, false);
        *p++ = 0x63;
    } else {
        p = rex(p, w, dst, X64_NOREG, src, src_size == 1);
        *p++ = 0x0f;
        *p++ = src_size == 1 ? 0xbe : 0xbf;
    }
    p = modrm_rr(p, dst, src);
    END(b);
}

void x64_setcc(X64Buf *b, X64Cond cc, X64Reg r8)
{
    BEGIN(b);
    p = rex(p, false, 0, X64_NOREG, r8, true);
    *p++ = 0x0f;
    *p++ = (uint8_t)(0x90 + cc);
    p = modrm_rr(p, 0, r8);
    END(b);
}

void x64_setcc_zx(X64Buf *b, X64Cond cc, X64Reg r)
{
    x64_mov_ri(b, r, 0); /* a full write (not XOR: flags stay) */
    x64_setcc(b, cc, r);
}

void x64_cmov(X64Buf *b, X64Cond cc, unsigned size, X64Reg dst, X64Reg src)
{
    insn_0f_rr(b, size == 8, (uint8_t)(0x40 + cc), dst, src);
}

void x64_bt_ri(X64Buf *b, unsigned size, X64Reg r, uint8_t bit)
{
    BEGIN(b);
    p = rex(p, size == 8, 0, X64_NOREG, r, false);
    *p++ = 0x0f;
    *p++ = 0xba;
    p = modrm_rr(p, 4, r);
    *p++ = bit;
    END(b);
}

void x64_bt_rr(X64Buf *b, unsigned size, X64Reg r, X64Reg bit) { insn_0f_rr(b, size == 8, 0xa3, bit, r); }

void x64_cqo(X64Buf *b, unsigned size)
{
    BEGIN(b);
    if (size == 8)
        *p++ = 0x48;
    *p++ = 0x99;
    END(b);
}

void x64_put8(X64Buf *b, uint8_t v)
{
    BEGIN(b);
    *p++ = v;
    END(b);
}

void x64_lahf(X64Buf *b) { x64_put8(b, 0x9f); }
void x64_cmc(X64Buf *b) { x64_put8(b, 0xf5); }
void x64_stc(X64Buf *b) { x64_put8(b, 0xf9); }
void x64_ret(X64Buf *b) { x64_put8(b, 0xc3); }

/* "[REX.B] opcode+r": push, pop. */
static void insn_plus_r(X64Buf *b, uint8_t opcode, X64Reg r)
{
    BEGIN(b);
    p = rex(p, false, 0, X64_NOREG, r, false);
    *p++ = (uint8_t)(opcode + (r & 7));
    END(b);
}

void x64_push(X64Buf *b, X64Reg r) { insn_plus_r(b, 0x50, r); }
void x64_pop(X64Buf *b, X64Reg r) { insn_plus_r(b, 0x58, r); }

/* Pushes the registers of mask (bit r: register r), then pads RSP by 8 when
 * their count is odd, so an aligned stack stays 16-byte aligned for a call. */
void x64_push_mask(X64Buf *b, uint16_t mask)
{
    for (int r = 0; r < 16; r++)
        if (mask >> r & 1)
            x64_push(b, (X64Reg)r);
    if (__builtin_popcount(mask) & 1)
        x64_alu_ri(b, ALU_SUB, 8, RSP, 8);
}

/* Undoes x64_push_mask of the same mask. */
void x64_pop_mask(X64Buf *b, uint16_t mask)
{
    if (__builtin_popcount(mask) & 1)
        x64_alu_ri(b, ALU_ADD, 8, RSP, 8);
    for (int r = 15; r >= 0; r--)
        if (mask >> r & 1)
            x64_pop(b, (X64Reg)r);
}

void x64_call_r(X64Buf *b, X64Reg r) { insn_digit_r(b, false, 0xff, 2, r, false, 0); }
void x64_jmp_r(X64Buf *b, X64Reg r) { insn_digit_r(b, false, 0xff, 4, r, false, 0); }

void x64_inc_m(X64Buf *b, X64Mem m)
{
    BEGIN(b);
    p = rex(p, true, 0, m.index, m.base, false);
    *p++ = 0xff;
    p = modrm_mem(p, 0, m);
    END(b);
}

/* A branch: opcode bytes then a zero rel32; returns the field's offset. */
static size_t branch_rel32(X64Buf *b, uint8_t op1, int op2)
{
    BEGIN(b, 0);
    *p++ = op1;
    if (op2 >= 0)
        *p++ = (uint8_t)op2;
    size_t field = (size_t)(p - b->start);
    p = put32(p, 0);
    END(b);
    return field;
}

size_t x64_call_rel32(X64Buf *b) { return branch_rel32(b, 0xe8, -1); }
size_t x64_jmp(X64Buf *b) { return branch_rel32(b, 0xe9, -1); }
size_t x64_jcc(X64Buf *b, X64Cond cc) { return branch_rel32(b, 0x0f, 0x80 + cc); }

void x64_patch_rel32(uint8_t *start, size_t field_off, const uint8_t *target)
{
    int32_t rel = (int32_t)(target - (start + field_off + 4));
    memcpy(start + field_off, &rel, 4);
}

/* ---- SSE (xmm0-xmm7 only: no REX.R needed for them) ---- */

static void sse_mem(X64Buf *b, uint8_t prefix, uint8_t opcode, int xmm, X64Mem m)
{
    BEGIN(b);
    if (prefix)
        *p++ = prefix;
    p = rex(p, false, xmm, m.index, m.base, false);
    *p++ = 0x0f;
    *p++ = opcode;
    p = modrm_mem(p, xmm, m);
    END(b);
}

void x64_sse_load(X64Buf *b, int xmm, X64Mem m) { sse_mem(b, 0xf3, 0x6f, xmm, m); }  /* movdqu */
void x64_sse_store(X64Buf *b, X64Mem m, int xmm) { sse_mem(b, 0xf3, 0x7f, xmm, m); } /* movdqu */
void x64_sse_load_halves(X64Buf *b, int xmm, X64Mem m)
{
    sse_mem(b, 0xf3, 0x7e, xmm, m); /* movq */
    m.disp += 8;
    sse_mem(b, 0, 0x16, xmm, m);    /* movhps */
}

/* "66 0F op [op2] /r" with an optional imm8. */
static void sse_66_rr(X64Buf *b, uint16_t opcode, int dst, int src, bool has_imm8, uint8_t imm8)
{
    BEGIN(b);
    *p++ = 0x66;
    *p++ = 0x0f;
    if (opcode > 0xff)
        *p++ = (uint8_t)(opcode >> 8);
    *p++ = (uint8_t)opcode;
    p = modrm_rr(p, dst, src);
    if (has_imm8)
        *p++ = imm8;
    END(b);
}

void x64_sse_rr(X64Buf *b, uint16_t opcode, int dst, int src) { sse_66_rr(b, opcode, dst, src, false, 0); }

void x64_sse_shift_imm(X64Buf *b, uint8_t opcode, int ext, int xmm, uint8_t amount)
{
    sse_66_rr(b, opcode, ext, xmm, true, amount);
}

void x64_sse_fp_rr(X64Buf *b, uint8_t prefix, uint8_t opcode, int dst, int src)
{
    BEGIN(b);
    if (prefix)
        *p++ = prefix;
    *p++ = 0x0f;
    *p++ = opcode;
    p = modrm_rr(p, dst, src);
    END(b);
}

void x64_sse_movd_from(X64Buf *b, int xmm, X64Reg src)
{
    BEGIN(b);
    *p++ = 0x66;
    p = rex(p, false, xmm, 0, src, false);
    *p++ = 0x0f;
    *p++ = 0x6e;
    p = modrm_rr(p, xmm, src);
    END(b);
}

void x64_sse_pshufd(X64Buf *b, int dst, int src, uint8_t order) { sse_66_rr(b, 0x70, dst, src, true, order); }

void x64_sse_movmskps(X64Buf *b, X64Reg dst, int xmm)
{
    BEGIN(b);
    p = rex(p, false, dst, 0, xmm, false);
    *p++ = 0x0f;
    *p++ = 0x50;
    p = modrm_rr(p, dst, xmm);
    END(b);
}

void x64_vex_fma(X64Buf *b, uint8_t opcode, bool w, int dst, int src1, int src2)
{
    BEGIN(b);
    *p++ = 0xc4;
    *p++ = 0xe2; /* R, X, B inverted (xmm0-7 only), map 0F38 */
    *p++ = (uint8_t)((w ? 0x80 : 0) | (~src1 & 0xf) << 3 | 0x01); /* vvvv = ~src1, L = 0, pp = 66 */
    *p++ = opcode;
    p = modrm_rr(p, dst, src2);
    END(b);
}

void x64_sse_movq_zx(X64Buf *b, int xmm) /* movq xmm, xmm: clears bits 127:64 */
{
    BEGIN(b);
    *p++ = 0xf3;
    *p++ = 0x0f;
    *p++ = 0x7e;
    p = modrm_rr(p, xmm, xmm);
    END(b);
}
