/* x86-64 instruction encoding (Intel SDM vol. 2, chapter 2: REX, ModRM, SIB). */
#include "jit/x64/emit.h"

#include <string.h>

static void put8(X64Buf *b, uint8_t v)
{
    if (b->p >= b->end) {
        b->overflow = true;
        return;
    }
    *b->p++ = v;
}

static void put32(X64Buf *b, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        put8(b, (uint8_t)(v >> (8 * i)));
}

static void put64(X64Buf *b, uint64_t v)
{
    put32(b, (uint32_t)v);
    put32(b, (uint32_t)(v >> 32));
}

/* REX prefix when needed. reg/index/base are register numbers or X64_NOREG.
 * byte_regs forces a REX for SPL/BPL/SIL/DIL byte accesses. */
static void rex(X64Buf *b, bool w, int reg, int index, int base, bool byte_regs)
{
    uint8_t r = (uint8_t)(0x40 | (w ? 8 : 0) | (reg >= 8 ? 4 : 0) | (index >= 8 ? 2 : 0) | (base >= 8 ? 1 : 0));
    bool need_byte = byte_regs && ((reg >= 4 && reg < 8) || (base >= 4 && base < 8));
    if (r != 0x40 || need_byte)
        put8(b, r);
}

static void modrm_rr(X64Buf *b, int reg, int rm) { put8(b, (uint8_t)(0xc0 | (reg & 7) << 3 | (rm & 7))); }

static void modrm_mem(X64Buf *b, int reg, X64Mem m)
{
    int base = m.base, index = m.index;
    unsigned mod = m.disp == 0 && (base & 7) != RBP ? 0 : m.disp == (int8_t)m.disp ? 1 : 2;
    if (index == X64_NOREG && (base & 7) != RSP) {
        put8(b, (uint8_t)(mod << 6 | (reg & 7) << 3 | (base & 7)));
    } else {
        unsigned ss = m.scale == 8 ? 3 : m.scale == 4 ? 2 : m.scale == 2 ? 1 : 0;
        int idx = index == X64_NOREG ? RSP : index; /* index RSP means none */
        put8(b, (uint8_t)(mod << 6 | (reg & 7) << 3 | 4));
        put8(b, (uint8_t)(ss << 6 | (idx & 7) << 3 | (base & 7)));
    }
    if (mod == 1)
        put8(b, (uint8_t)m.disp);
    else if (mod == 2)
        put32(b, (uint32_t)m.disp);
}

static void op_prefix(X64Buf *b, unsigned size)
{
    if (size == 2)
        put8(b, 0x66);
}

/* An instruction "opcode reg, r/m" on registers with the usual size rules. */
static void insn_rr(X64Buf *b, unsigned size, uint8_t opcode, int reg, int rm)
{
    op_prefix(b, size);
    rex(b, size == 8, reg, X64_NOREG, rm, size == 1);
    put8(b, (uint8_t)(size == 1 ? opcode & ~1 : opcode));
    modrm_rr(b, reg, rm);
}

static void insn_rm(X64Buf *b, unsigned size, uint8_t opcode, int reg, X64Mem m)
{
    op_prefix(b, size);
    rex(b, size == 8, reg, m.index, m.base, size == 1);
    put8(b, (uint8_t)(size == 1 ? opcode & ~1 : opcode));
    modrm_mem(b, reg, m);
}

void x64_alu_rr(X64Buf *b, X64Alu op, unsigned size, X64Reg dst, X64Reg src)
{
    insn_rr(b, size, (uint8_t)(op << 3 | 1), src, dst);
}

void x64_alu_ri(X64Buf *b, X64Alu op, unsigned size, X64Reg dst, int32_t imm)
{
    op_prefix(b, size);
    rex(b, size == 8, 0, X64_NOREG, dst, false);
    if (imm == (int8_t)imm) {
        put8(b, 0x83);
        modrm_rr(b, op, dst);
        put8(b, (uint8_t)imm);
    } else {
        put8(b, 0x81);
        modrm_rr(b, op, dst);
        put32(b, (uint32_t)imm);
    }
}

void x64_alu_rm(X64Buf *b, X64Alu op, unsigned size, X64Reg dst, X64Mem m)
{
    insn_rm(b, size, (uint8_t)(op << 3 | 3), dst, m);
}

void x64_alu_mi(X64Buf *b, X64Alu op, unsigned size, X64Mem m, int32_t imm)
{
    op_prefix(b, size);
    rex(b, size == 8, 0, m.index, m.base, false);
    if (imm == (int8_t)imm) {
        put8(b, 0x83);
        modrm_mem(b, op, m);
        put8(b, (uint8_t)imm);
    } else {
        put8(b, 0x81);
        modrm_mem(b, op, m);
        put32(b, (uint32_t)imm);
    }
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
    if (imm <= 0xffffffffu) { /* mov r32, imm32 zero-extends */
        rex(b, false, 0, X64_NOREG, dst, false);
        put8(b, (uint8_t)(0xb8 + (dst & 7)));
        put32(b, (uint32_t)imm);
    } else if (x64_fits_i32((int64_t)imm)) { /* mov r/m64, imm32 sign-extends */
        rex(b, true, 0, X64_NOREG, dst, false);
        put8(b, 0xc7);
        modrm_rr(b, 0, dst);
        put32(b, (uint32_t)imm);
    } else {
        rex(b, true, 0, X64_NOREG, dst, false);
        put8(b, (uint8_t)(0xb8 + (dst & 7)));
        put64(b, imm);
    }
}

void x64_load(X64Buf *b, unsigned size, bool sign, X64Reg dst, X64Mem m)
{
    switch (size) {
    case 1:
    case 2:
        rex(b, sign, dst, m.index, m.base, false);
        put8(b, 0x0f);
        put8(b, (uint8_t)((sign ? 0xbe : 0xb6) + (size == 2)));
        modrm_mem(b, dst, m);
        break;
    case 4:
        if (sign) {
            rex(b, true, dst, m.index, m.base, false);
            put8(b, 0x63);
            modrm_mem(b, dst, m);
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
    op_prefix(b, size);
    rex(b, size == 8, 0, m.index, m.base, false);
    put8(b, size == 1 ? 0xc6 : 0xc7);
    modrm_mem(b, 0, m);
    if (size == 1)
        put8(b, (uint8_t)imm);
    else if (size == 2)
        put8(b, (uint8_t)imm), put8(b, (uint8_t)(imm >> 8));
    else
        put32(b, (uint32_t)imm);
}

void x64_lea(X64Buf *b, unsigned size, X64Reg dst, X64Mem m) { insn_rm(b, size == 8 ? 8 : 4, 0x8d, dst, m); }

void x64_shift_ri(X64Buf *b, X64Shift op, unsigned size, X64Reg r, uint8_t amount)
{
    rex(b, size == 8, 0, X64_NOREG, r, false);
    put8(b, 0xc1);
    modrm_rr(b, op, r);
    put8(b, amount);
}

void x64_shift_rcl(X64Buf *b, X64Shift op, unsigned size, X64Reg r)
{
    rex(b, size == 8, 0, X64_NOREG, r, false);
    put8(b, 0xd3);
    modrm_rr(b, op, r);
}

void x64_unary(X64Buf *b, X64Unary op, unsigned size, X64Reg r)
{
    rex(b, size == 8, 0, X64_NOREG, r, false);
    put8(b, 0xf7);
    modrm_rr(b, op, r);
}

static void insn_0f_rr(X64Buf *b, bool w, uint8_t opcode, int reg, int rm)
{
    rex(b, w, reg, X64_NOREG, rm, false);
    put8(b, 0x0f);
    put8(b, opcode);
    modrm_rr(b, reg, rm);
}

void x64_imul_rr(X64Buf *b, unsigned size, X64Reg dst, X64Reg src) { insn_0f_rr(b, size == 8, 0xaf, dst, src); }

void x64_imul_rri(X64Buf *b, unsigned size, X64Reg dst, X64Reg src, int32_t imm)
{
    rex(b, size == 8, dst, X64_NOREG, src, false);
    put8(b, 0x69);
    modrm_rr(b, dst, src);
    put32(b, (uint32_t)imm);
}

void x64_bsr(X64Buf *b, unsigned size, X64Reg dst, X64Reg src) { insn_0f_rr(b, size == 8, 0xbd, dst, src); }

void x64_bswap(X64Buf *b, unsigned size, X64Reg r)
{
    rex(b, size == 8, 0, X64_NOREG, r, false);
    put8(b, 0x0f);
    put8(b, (uint8_t)(0xc8 + (r & 7)));
}

void x64_movzx8(X64Buf *b, X64Reg dst, X64Reg src8)
{
    rex(b, false, dst, X64_NOREG, src8, true);
    put8(b, 0x0f);
    put8(b, 0xb6);
    modrm_rr(b, dst, src8);
}

void x64_movzx16(X64Buf *b, X64Reg dst, X64Reg src16) { insn_0f_rr(b, false, 0xb7, dst, src16); }

void x64_movsx(X64Buf *b, unsigned dst_size, unsigned src_size, X64Reg dst, X64Reg src)
{
    bool w = dst_size == 8;
    if (src_size == 4) {
        if (!w) { /* sign-extending 32 to 32 bits is a plain move */
            x64_mov_rr(b, 4, dst, src);
            return;
        }
        rex(b, true, dst, X64_NOREG, src, false);
        put8(b, 0x63);
        modrm_rr(b, dst, src);
        return;
    }
    rex(b, w, dst, X64_NOREG, src, src_size == 1);
    put8(b, 0x0f);
    put8(b, src_size == 1 ? 0xbe : 0xbf);
    modrm_rr(b, dst, src);
}

void x64_setcc(X64Buf *b, X64Cond cc, X64Reg r8)
{
    rex(b, false, 0, X64_NOREG, r8, true);
    put8(b, 0x0f);
    put8(b, (uint8_t)(0x90 + cc));
    modrm_rr(b, 0, r8);
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
    rex(b, size == 8, 0, X64_NOREG, r, false);
    put8(b, 0x0f);
    put8(b, 0xba);
    modrm_rr(b, 4, r);
    put8(b, bit);
}

void x64_bt_rr(X64Buf *b, unsigned size, X64Reg r, X64Reg bit) { insn_0f_rr(b, size == 8, 0xa3, bit, r); }

void x64_cqo(X64Buf *b, unsigned size)
{
    if (size == 8)
        put8(b, 0x48);
    put8(b, 0x99);
}

void x64_lahf(X64Buf *b) { put8(b, 0x9f); }
void x64_cmc(X64Buf *b) { put8(b, 0xf5); }
void x64_stc(X64Buf *b) { put8(b, 0xf9); }

void x64_push(X64Buf *b, X64Reg r)
{
    rex(b, false, 0, X64_NOREG, r, false);
    put8(b, (uint8_t)(0x50 + (r & 7)));
}

void x64_pop(X64Buf *b, X64Reg r)
{
    rex(b, false, 0, X64_NOREG, r, false);
    put8(b, (uint8_t)(0x58 + (r & 7)));
}

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

void x64_ret(X64Buf *b) { put8(b, 0xc3); }

void x64_call_r(X64Buf *b, X64Reg r)
{
    rex(b, false, 0, X64_NOREG, r, false);
    put8(b, 0xff);
    modrm_rr(b, 2, r);
}

void x64_jmp_r(X64Buf *b, X64Reg r)
{
    rex(b, false, 0, X64_NOREG, r, false);
    put8(b, 0xff);
    modrm_rr(b, 4, r);
}

void x64_inc_m(X64Buf *b, X64Mem m)
{
    rex(b, true, 0, m.index, m.base, false);
    put8(b, 0xff);
    modrm_mem(b, 0, m);
}

size_t x64_call_rel32(X64Buf *b)
{
    put8(b, 0xe8);
    size_t field = x64_offset(b);
    put32(b, 0);
    return b->overflow ? 0 : field;
}

size_t x64_jmp(X64Buf *b)
{
    put8(b, 0xe9);
    size_t field = x64_offset(b);
    put32(b, 0);
    return b->overflow ? 0 : field;
}

size_t x64_jcc(X64Buf *b, X64Cond cc)
{
    put8(b, 0x0f);
    put8(b, (uint8_t)(0x80 + cc));
    size_t field = x64_offset(b);
    put32(b, 0);
    return b->overflow ? 0 : field;
}

void x64_patch_rel32(uint8_t *start, size_t field_off, const uint8_t *target)
{
    int32_t rel = (int32_t)(target - (start + field_off + 4));
    memcpy(start + field_off, &rel, 4);
}

/* ---- SSE (xmm0-xmm7 only: no REX.R needed for them) ---- */

static void sse_mem(X64Buf *b, uint8_t prefix, uint8_t opcode, int xmm, X64Mem m)
{
    if (prefix)
        put8(b, prefix);
    rex(b, false, xmm, m.index, m.base, false);
    put8(b, 0x0f);
    put8(b, opcode);
    modrm_mem(b, xmm, m);
}

void x64_sse_load(X64Buf *b, int xmm, X64Mem m) { sse_mem(b, 0xf3, 0x6f, xmm, m); }  /* movdqu */
void x64_sse_store(X64Buf *b, X64Mem m, int xmm) { sse_mem(b, 0xf3, 0x7f, xmm, m); } /* movdqu */
void x64_sse_load_halves(X64Buf *b, int xmm, X64Mem m)
{
    sse_mem(b, 0xf3, 0x7e, xmm, m); /* movq */
    m.disp += 8;
    sse_mem(b, 0, 0x16, xmm, m);    /* movhps */
}

void x64_sse_rr(X64Buf *b, uint16_t opcode, int dst, int src)
{
    put8(b, 0x66);
    put8(b, 0x0f);
    if (opcode > 0xff)
        put8(b, (uint8_t)(opcode >> 8));
    put8(b, (uint8_t)opcode);
    modrm_rr(b, dst, src);
}

void x64_sse_shift_imm(X64Buf *b, uint8_t opcode, int ext, int xmm, uint8_t amount)
{
    put8(b, 0x66);
    put8(b, 0x0f);
    put8(b, opcode);
    modrm_rr(b, ext, xmm);
    put8(b, amount);
}

void x64_sse_fp_rr(X64Buf *b, uint8_t prefix, uint8_t opcode, int dst, int src)
{
    if (prefix)
        put8(b, prefix);
    put8(b, 0x0f);
    put8(b, opcode);
    modrm_rr(b, dst, src);
}

void x64_sse_movd_from(X64Buf *b, int xmm, X64Reg src)
{
    put8(b, 0x66);
    rex(b, false, xmm, 0, src, false);
    put8(b, 0x0f);
    put8(b, 0x6e);
    modrm_rr(b, xmm, src);
}

void x64_put8(X64Buf *b, uint8_t v) { put8(b, v); }

void x64_sse_pshufd(X64Buf *b, int dst, int src, uint8_t order)
{
    x64_sse_rr(b, 0x70, dst, src);
    put8(b, order);
}

void x64_sse_movmskps(X64Buf *b, X64Reg dst, int xmm)
{
    rex(b, false, dst, 0, xmm, false);
    put8(b, 0x0f);
    put8(b, 0x50);
    modrm_rr(b, dst, xmm);
}

void x64_vex_fma(X64Buf *b, uint8_t opcode, bool w, int dst, int src1, int src2)
{
    put8(b, 0xc4);
    put8(b, 0xe2); /* R, X, B inverted (xmm0-7 only), map 0F38 */
    put8(b, (uint8_t)((w ? 0x80 : 0) | (~src1 & 0xf) << 3 | 0x01)); /* vvvv = ~src1, L = 0, pp = 66 */
    put8(b, opcode);
    modrm_rr(b, dst, src2);
}

void x64_sse_movq_zx(X64Buf *b, int xmm) /* movq xmm, xmm: clears bits 127:64 */
{
    put8(b, 0xf3);
    put8(b, 0x0f);
    put8(b, 0x7e);
    modrm_rr(b, xmm, xmm);
}
