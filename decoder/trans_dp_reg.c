/* Data processing -- register: logical and add/subtract (shifted and
 * extended), with carry, conditional compare and select, 1- and 2-source,
 * 3-source multiply, and the FEAT_FLAGM/FLAGM2 flag manipulation
 * instructions (DDI 0487 C6.2). */
#include "decoder/translate.h"

enum { NZCV_N = 1u << 31, NZCV_Z = 1u << 30, NZCV_C = 1u << 29, NZCV_V = 1u << 28 };

/* ShiftReg(): LSL, LSR, ASR, ROR of a register by an immediate. */
static IRTemp shifted_reg(DisasContext *s, unsigned reg, unsigned shift_type, unsigned amount, unsigned size)
{
    static const IROp ops[4] = {IR_shl, IR_shr, IR_sar, IR_ror};
    IRTemp v = read_x(s, reg);
    return amount ? ir_opi(s->ir, ops[shift_type], size, v, amount) : v;
}

/* Writes result and, for the S forms, flags of a + b + carry (carry 0/1). */
static void add_with_carry(DisasContext *s, bool sf, bool setflags, bool rd_is_sp, unsigned rd, IRTemp a,
                           IRTemp b, IRTemp carry)
{
    unsigned size = sf_size(sf);
    IRTemp result = ir_op2(s->ir, IR_add, size, ir_op2(s->ir, IR_add, size, a, b), carry);
    if (setflags)
        write_nzcv(s, ir_nzcv_adc(s->ir, size, a, b, carry));
    if (rd_is_sp && !setflags)
        write_x_sp(s, rd, result, sf);
    else
        write_x(s, rd, result, sf);
}

bool trans_LOGIC_shift(DisasContext *s, const A64Insn *i)
{
    bool sf = i->f[F_sf];
    unsigned size = sf_size(sf), opc = i->f[F_opc];
    if (!sf && i->f[F_imm6] >= 32)
        return false;
    IRTemp b = shifted_reg(s, i->f[F_Rm], i->f[F_shift], i->f[F_imm6], size);
    if (i->f[F_N])
        b = ir_op1(s->ir, IR_not, size, b);
    static const IROp ops[4] = {IR_and, IR_or, IR_xor, IR_and};
    IRTemp result = ir_op2(s->ir, ops[opc], size, read_x(s, i->f[F_Rn]), b);
    if (opc == 3)
        write_nzcv(s, ir_nzcv_logic(s->ir, size, result));
    write_x(s, i->f[F_Rd], result, sf);
    return true;
}

bool trans_ADDSUB_shift(DisasContext *s, const A64Insn *i)
{
    bool sf = i->f[F_sf], sub = i->f[F_op];
    unsigned size = sf_size(sf);
    if (i->f[F_shift] == 3 || (!sf && i->f[F_imm6] >= 32))
        return false;
    IRTemp b = shifted_reg(s, i->f[F_Rm], i->f[F_shift], i->f[F_imm6], size);
    if (sub)
        b = ir_op1(s->ir, IR_not, size, b);
    add_with_carry(s, sf, i->f[F_S], false, i->f[F_Rd], read_x(s, i->f[F_Rn]), b, konst(s, sub));
    return true;
}

/* ExtendReg(): option selects UXTB..SXTX, then LSL by 0..4. */
bool trans_ADDSUB_ext(DisasContext *s, const A64Insn *i)
{
    bool sf = i->f[F_sf], sub = i->f[F_op];
    unsigned size = sf_size(sf), option = i->f[F_option], shift = i->f[F_imm3];
    if (shift > 4)
        return false;
    IRTemp b = read_x(s, i->f[F_Rm]);
    unsigned from_bits = 8u << (option & 3);
    if (from_bits < 64)
        b = ir_ext(s->ir, option & 4, 8, b, from_bits);
    if (shift)
        b = ir_opi(s->ir, IR_shl, 8, b, shift);
    if (sub)
        b = ir_op1(s->ir, IR_not, size, b);
    add_with_carry(s, sf, i->f[F_S], true, i->f[F_Rd], read_x_sp(s, i->f[F_Rn]), b, konst(s, sub));
    return true;
}

static IRTemp carry_flag(DisasContext *s)
{
    return ir_opi(s->ir, IR_and, 4, ir_opi(s->ir, IR_shr, 4, read_nzcv(s), 29), 1);
}

bool trans_ADC(DisasContext *s, const A64Insn *i)
{
    bool sf = i->f[F_sf];
    IRTemp b = read_x(s, i->f[F_Rm]);
    if (i->f[F_op])
        b = ir_op1(s->ir, IR_not, sf_size(sf), b);
    add_with_carry(s, sf, i->f[F_S], false, i->f[F_Rd], read_x(s, i->f[F_Rn]), b, carry_flag(s));
    return true;
}

/* Shared by the register and immediate forms: op 1 = CCMP, 0 = CCMN. */
bool trans_CCMP(DisasContext *s, const A64Insn *i)
{
    bool sf = i->f[F_sf], sub = i->f[F_op];
    unsigned size = sf_size(sf);
    bool is_imm = i->raw & (1u << 11);
    IRTemp nzcv = read_nzcv(s);
    IRTemp holds = ir_cond(s->ir, i->f[F_cond], nzcv);
    IRTemp b = is_imm ? konst(s, i->f[F_imm5]) : read_x(s, i->f[F_Rm]);
    if (sub)
        b = ir_op1(s->ir, IR_not, size, b);
    IRTemp compared = ir_nzcv_adc(s->ir, size, read_x(s, i->f[F_Rn]), b, konst(s, sub));
    write_nzcv(s, ir_select(s->ir, holds, compared, konst(s, (uint64_t)i->f[F_nzcv] << 28)));
    return true;
}

bool trans_CSEL(DisasContext *s, const A64Insn *i)
{
    bool sf = i->f[F_sf];
    unsigned size = sf_size(sf);
    IRTemp holds = ir_cond(s->ir, i->f[F_cond], read_nzcv(s));
    IRTemp other = read_x(s, i->f[F_Rm]);
    switch (i->f[F_op] << 1 | i->f[F_o2]) {
    case 1: other = ir_opi(s->ir, IR_add, size, other, 1); break; /* CSINC */
    case 2: other = ir_op1(s->ir, IR_not, size, other); break;     /* CSINV */
    case 3: other = ir_op1(s->ir, IR_neg, size, other); break;     /* CSNEG */
    default: break;                                                /* CSEL */
    }
    write_x(s, i->f[F_Rd], ir_select(s->ir, holds, read_x(s, i->f[F_Rn]), other), sf);
    return true;
}

bool trans_DIV(DisasContext *s, const A64Insn *i)
{
    bool sf = i->f[F_sf];
    IRTemp q = ir_op2(s->ir, i->f[F_o1] ? IR_sdiv : IR_udiv, sf_size(sf), read_x(s, i->f[F_Rn]),
                      read_x(s, i->f[F_Rm]));
    write_x(s, i->f[F_Rd], q, sf);
    return true;
}

/* The IR shift ops take the amount modulo the width, as LSLV..RORV do. */
bool trans_SHIFT_var(DisasContext *s, const A64Insn *i)
{
    static const IROp ops[4] = {IR_shl, IR_shr, IR_sar, IR_ror};
    bool sf = i->f[F_sf];
    IRTemp r = ir_op2(s->ir, ops[i->f[F_op2]], sf_size(sf), read_x(s, i->f[F_Rn]), read_x(s, i->f[F_Rm]));
    write_x(s, i->f[F_Rd], r, sf);
    return true;
}

/* The Arm ARM pseudocode bit-reverses acc and value, divides by the
 * polynomial and bit-reverses the remainder: that is the usual LSB-first CRC
 * with the reflected polynomial and no pre/post inversion.
 * c = log2(bytes) | crc32c << 2. */
/* crc_table[c][k][byte]: the reflected CRC (CRC-32 for c = 0, CRC-32C for
 * c = 1) of byte followed by k zero bytes; slices of 4 and 8 bytes then take
 * one lookup per byte, independent of each other. */
static uint32_t crc_table[2][8][256];

static void crc_tables_init(void)
{
    static const uint32_t poly[2] = {0xedb88320u /* 0x04C11DB7 reflected */, 0x82f63b78u /* 0x1EDC6F41 reflected */};
    for (unsigned c = 0; c < 2; c++) {
        for (uint32_t byte = 0; byte < 256; byte++) {
            uint32_t crc = byte;
            for (unsigned bit = 0; bit < 8; bit++)
                crc = (crc >> 1) ^ ((crc & 1) ? poly[c] : 0);
            crc_table[c][0][byte] = crc;
        }
        for (unsigned k = 1; k < 8; k++)
            for (unsigned byte = 0; byte < 256; byte++) {
                uint32_t prev = crc_table[c][k - 1][byte];
                crc_table[c][k][byte] = (prev >> 8) ^ crc_table[c][0][prev & 0xff];
            }
    }
}

static uint64_t helper_crc32(void *env, uint64_t acc, uint64_t value, uint64_t c)
{
    (void)env;
    uint32_t (*t)[256] = crc_table[(c >> 2) & 1];
    unsigned nbytes = 1u << (c & 3);
    uint32_t crc = (uint32_t)acc;
    if (nbytes >= 4) {
        uint32_t lo = (uint32_t)value ^ crc, hi = (uint32_t)(value >> 32);
        unsigned top = nbytes - 1; /* table of the first byte */
        crc = t[top][lo & 0xff] ^ t[top - 1][(lo >> 8) & 0xff] ^ t[top - 2][(lo >> 16) & 0xff] ^ t[top - 3][lo >> 24];
        if (nbytes == 8)
            crc ^= t[3][hi & 0xff] ^ t[2][(hi >> 8) & 0xff] ^ t[1][(hi >> 16) & 0xff] ^ t[0][hi >> 24];
        return crc;
    }
    for (unsigned i = 0; i < nbytes; i++)
        crc = t[0][(crc ^ (uint32_t)(value >> (8 * i))) & 0xff] ^ (crc >> 8);
    return crc;
}

bool trans_CRC32(DisasContext *s, const A64Insn *i)
{
    unsigned sz = i->f[F_sz];
    if ((sz == 3) != i->f[F_sf])
        return false;
    if (!crc_table[0][0][1])
        crc_tables_init();
    IRTemp r = gen_helper_pure(s, helper_crc32, read_x(s, i->f[F_Rn]), read_x(s, i->f[F_Rm]),
                               konst(s, sz | i->f[F_C] << 2));
    write_x(s, i->f[F_Rd], r, false);
    return true;
}

bool trans_DP_1src(DisasContext *s, const A64Insn *i)
{
    bool sf = i->f[F_sf];
    unsigned size = sf_size(sf), opc = i->f[F_opc];
    IRTemp x = read_x(s, i->f[F_Rn]), r;
    switch (opc) {
    case 0: r = ir_op1(s->ir, IR_rbit, size, x); break;
    case 1: { /* REV16: bytes swapped within each halfword */
        const uint64_t even = 0x00ff00ff00ff00ffull;
        IRTemp down = ir_opi(s->ir, IR_and, size, ir_opi(s->ir, IR_shr, size, x, 8), even);
        IRTemp up = ir_opi(s->ir, IR_and, size, ir_opi(s->ir, IR_shl, size, x, 8), ~even);
        r = ir_op2(s->ir, IR_or, size, down, up);
        break;
    }
    case 2: /* REV32 for X (bytes reversed within each word), REV for W */
        r = ir_op1(s->ir, IR_bswap, size, x);
        if (sf)
            r = ir_opi(s->ir, IR_ror, 8, r, 32);
        break;
    case 3:
        if (!sf)
            return false;
        r = ir_op1(s->ir, IR_bswap, 8, x);
        break;
    case 4: r = ir_op1(s->ir, IR_clz, size, x); break;
    case 5: { /* CLS(x) = CLZ(x EOR (x ASR 1)) - 1 */
        IRTemp diff = ir_op2(s->ir, IR_xor, size, x, ir_opi(s->ir, IR_sar, size, x, 1));
        r = ir_opi(s->ir, IR_sub, size, ir_op1(s->ir, IR_clz, size, diff), 1);
        break;
    }
    default: return false;
    }
    write_x(s, i->f[F_Rd], r, sf);
    return true;
}

bool trans_MADD(DisasContext *s, const A64Insn *i)
{
    bool sf = i->f[F_sf];
    unsigned size = sf_size(sf);
    IRTemp product = ir_op2(s->ir, IR_mul, size, read_x(s, i->f[F_Rn]), read_x(s, i->f[F_Rm]));
    IRTemp r = ir_op2(s->ir, i->f[F_o0] ? IR_sub : IR_add, size, read_x(s, i->f[F_Ra]), product);
    write_x(s, i->f[F_Rd], r, sf);
    return true;
}

bool trans_MADDL(DisasContext *s, const A64Insn *i)
{
    bool is_signed = !i->f[F_U];
    IRTemp n = ir_ext(s->ir, is_signed, 8, read_x(s, i->f[F_Rn]), 32);
    IRTemp m = ir_ext(s->ir, is_signed, 8, read_x(s, i->f[F_Rm]), 32);
    IRTemp product = ir_op2(s->ir, IR_mul, 8, n, m);
    IRTemp r = ir_op2(s->ir, i->f[F_o0] ? IR_sub : IR_add, 8, read_x(s, i->f[F_Ra]), product);
    write_x(s, i->f[F_Rd], r, true);
    return true;
}

/* Ra is should-be-ones here; other values are CONSTRAINED UNPREDICTABLE and
 * are ignored, one of the permitted behaviours. */
bool trans_MULH(DisasContext *s, const A64Insn *i)
{
    IRTemp r = ir_op2(s->ir, i->f[F_U] ? IR_umulh : IR_smulh, 8, read_x(s, i->f[F_Rn]), read_x(s, i->f[F_Rm]));
    write_x(s, i->f[F_Rd], r, true);
    return true;
}

/* FEAT_FLAGM / FEAT_FLAGM2. The flag shuffles run as pure helpers over the
 * packed NZCV: a = NZCV, b/c operands. */
static uint64_t helper_cfinv(void *env, uint64_t nzcv, uint64_t b, uint64_t c)
{
    (void)env, (void)b, (void)c;
    return nzcv ^ NZCV_C;
}

static uint64_t helper_xaflag(void *env, uint64_t nzcv, uint64_t b, uint64_t c)
{
    (void)env, (void)b, (void)c;
    bool z = nzcv & NZCV_Z, cf = nzcv & NZCV_C;
    return (!cf && !z ? NZCV_N : 0) | (z && cf ? NZCV_Z : 0) | (cf || z ? NZCV_C : 0) | (!cf && z ? NZCV_V : 0);
}

static uint64_t helper_axflag(void *env, uint64_t nzcv, uint64_t b, uint64_t c)
{
    (void)env, (void)b, (void)c;
    bool z = nzcv & NZCV_Z, cf = nzcv & NZCV_C, v = nzcv & NZCV_V;
    return (z || v ? NZCV_Z : 0) | (cf && !v ? NZCV_C : 0);
}

/* b = ROR(Xn, imm6), c = mask: flags selected by mask take bits 3:0 of b. */
static uint64_t helper_rmif(void *env, uint64_t nzcv, uint64_t b, uint64_t mask)
{
    (void)env;
    return (nzcv & ~(mask << 28)) | ((b & mask) << 28);
}

/* b = value, c = width (8/16): N, Z, V from the narrow value, C kept. */
static uint64_t helper_setf(void *env, uint64_t nzcv, uint64_t value, uint64_t width)
{
    (void)env;
    uint64_t top = value >> (width - 1) & 1, next = value >> width & 1;
    bool zero = (value & ((1ull << width) - 1)) == 0;
    return (nzcv & NZCV_C) | (top ? NZCV_N : 0) | (zero ? NZCV_Z : 0) | ((top ^ next) ? NZCV_V : 0);
}

static void flag_helper(DisasContext *s, IRHelper fn, IRTemp b, IRTemp c)
{
    write_nzcv(s, gen_helper(s, fn, read_nzcv(s), b, c));
}

bool trans_CFINV(DisasContext *s, const A64Insn *i)
{
    (void)i;
    flag_helper(s, helper_cfinv, 0, 0);
    return true;
}

bool trans_XAFLAG(DisasContext *s, const A64Insn *i)
{
    (void)i;
    flag_helper(s, helper_xaflag, 0, 0);
    return true;
}

bool trans_AXFLAG(DisasContext *s, const A64Insn *i)
{
    (void)i;
    flag_helper(s, helper_axflag, 0, 0);
    return true;
}

bool trans_RMIF(DisasContext *s, const A64Insn *i)
{
    IRTemp rotated = ir_opi(s->ir, IR_ror, 8, read_x(s, i->f[F_Rn]), i->f[F_imm6]);
    flag_helper(s, helper_rmif, rotated, konst(s, i->f[F_mask]));
    return true;
}

bool trans_SETF(DisasContext *s, const A64Insn *i)
{
    flag_helper(s, helper_setf, read_x(s, i->f[F_Rn]), konst(s, i->f[F_sz] ? 16 : 8));
    return true;
}
