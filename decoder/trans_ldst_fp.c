/* Loads and stores of SIMD&FP registers (B, H, S, D, Q): unsigned offset,
 * unscaled, pre-/post-index, register offset, literal, pairs. A 128-bit
 * access is two 64-bit accesses, low half first; both halves of a load are
 * read before the register is written, so a fault leaves it unchanged.
 * Abort syndromes have ISV = 0: the ISS cannot describe a SIMD&FP transfer
 * register. A load writes the whole register (zeroing above the access). */
#include "decoder/trans_fp.h"

/* (size, opc) of the single-register groups: returns the access size in
 * bytes (16 for Q), or 0 if reserved. opc<0> is the load bit. */
static unsigned fp_access_size(unsigned size_field, unsigned opc)
{
    if (opc & 2)
        return size_field == 0 ? 16 : 0;
    return 1u << size_field;
}

/* Reads a whole register's worth (lo, hi) from memory without writing it. */
static void load_v(DisasContext *s, unsigned bytes, IRTemp addr, IRTemp *lo, IRTemp *hi)
{
    *lo = ir_ld(s->ir, bytes == 16 ? 8 : bytes, 0, addr, 0);
    *hi = bytes == 16 ? ir_ld(s->ir, 8, 0, add_imm(s, addr, 8), 0) : 0;
}

static void store_v(DisasContext *s, unsigned bytes, unsigned rt, IRTemp addr)
{
    ir_st(s->ir, bytes == 16 ? 8 : bytes, 0, addr, read_v(s, rt, bytes == 16 ? 8 : bytes), 0);
    if (bytes == 16)
        ir_st(s->ir, 8, 0, add_imm(s, addr, 8), read_v_hi(s, rt), 0);
}

static void transfer(DisasContext *s, bool load, unsigned bytes, unsigned rt, IRTemp addr)
{
    if (load) {
        IRTemp lo, hi;
        load_v(s, bytes, addr, &lo, &hi);
        write_v(s, rt, lo, hi);
    } else {
        store_v(s, bytes, rt, addr);
    }
}

bool trans_LDST_fp_uimm(DisasContext *s, const A64Insn *i)
{
    unsigned bytes = fp_access_size(i->f[F_size], i->f[F_opc]);
    if (!bytes)
        return false;
    if (!fp_access_check(s))
        return true;
    IRTemp addr = add_imm(s, read_x_sp(s, i->f[F_Rn]), (int64_t)i->f[F_imm12] * bytes);
    transfer(s, i->f[F_opc] & 1, bytes, i->f[F_Rt], addr);
    return true;
}

/* Unscaled (STUR/LDUR), post-index and pre-index: bits 11:10 tell which. */
bool trans_LDST_fp_imm9(DisasContext *s, const A64Insn *i)
{
    enum { UNSCALED, POST, UNPRIV, PRE } mode = (i->raw >> 10) & 3;
    unsigned bytes = fp_access_size(i->f[F_size], i->f[F_opc]);
    if (!bytes)
        return false;
    if (!fp_access_check(s))
        return true;
    Indexed x = indexed_begin(s, i->f[F_Rn], a64_sext(i->f[F_imm9], 9), mode == POST, mode != UNSCALED);
    transfer(s, i->f[F_opc] & 1, bytes, i->f[F_Rt], x.addr);
    indexed_end(s, &x);
    return true;
}

bool trans_LDST_fp_reg(DisasContext *s, const A64Insn *i)
{
    unsigned option = i->f[F_option];
    unsigned bytes = fp_access_size(i->f[F_size], i->f[F_opc]);
    if (!(option & 2) || !bytes)
        return false;
    if (!fp_access_check(s))
        return true;
    /* option: x10 = UXTW/SXTW (32-bit index), x11 = LSL/SXTX; bit 2 = signed. */
    IRTemp index = read_x(s, i->f[F_Rm]);
    if (!(option & 1))
        index = ir_ext(s->ir, option & 4, 8, index, 32);
    if (i->f[F_S] && bytes > 1)
        index = ir_opi(s->ir, IR_shl, 8, index, (uint64_t)__builtin_ctz(bytes));
    IRTemp addr = ir_op2(s->ir, IR_add, 8, read_x_sp(s, i->f[F_Rn]), index);
    transfer(s, i->f[F_opc] & 1, bytes, i->f[F_Rt], addr);
    return true;
}

/* opc: 00 S, 01 D, 10 Q. */
bool trans_LDR_fp_literal(DisasContext *s, const A64Insn *i)
{
    unsigned opc = i->f[F_opc];
    if (opc == 3)
        return false;
    if (!fp_access_check(s))
        return true;
    IRTemp addr = konst(s, s->pc + ((uint64_t)a64_sext(i->f[F_imm19], 19) << 2));
    transfer(s, true, 4u << opc, i->f[F_Rt], addr);
    return true;
}

/* LDP/STP/LDNP/STNP of S (opc 00), D (01), Q (10); bits 24:23 select the
 * addressing mode. LDP with Rt == Rt2 (CONSTRAINED UNPREDICTABLE) gives the
 * register the second element, as for general registers. */
bool trans_LDSTP_fp(DisasContext *s, const A64Insn *i)
{
    enum { NO_ALLOC, POST, OFFSET, PRE } mode = (i->raw >> 23) & 3;
    unsigned opc = i->f[F_opc], rt = i->f[F_Rt], rt2 = i->f[F_Rt2], rn = i->f[F_Rn];
    if (opc == 3)
        return false;
    if (!fp_access_check(s))
        return true;
    unsigned bytes = 4u << opc;
    Indexed x = indexed_begin(s, rn, a64_sext(i->f[F_imm7], 7) * (int64_t)bytes, mode == POST,
                              mode == POST || mode == PRE);
    IRTemp addr = x.addr, addr2 = add_imm(s, addr, bytes);
    if (i->f[F_L]) {
        IRTemp lo1, hi1, lo2, hi2;
        load_v(s, bytes, addr, &lo1, &hi1);
        load_v(s, bytes, addr2, &lo2, &hi2);
        write_v(s, rt, lo1, hi1);
        write_v(s, rt2, lo2, hi2);
    } else {
        store_v(s, bytes, rt, addr);
        store_v(s, bytes, rt2, addr2);
    }
    indexed_end(s, &x);
    return true;
}
