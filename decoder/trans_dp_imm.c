/* Data processing -- immediate: PC-relative addressing, add/subtract,
 * logical, move wide, bitfield and extract (DDI 0487 C6.2). */
#include "decoder/translate.h"

static uint64_t ones(unsigned n) { return n >= 64 ? ~0ull : (1ull << n) - 1; }

static uint64_t ror_bits(uint64_t v, unsigned r, unsigned esize)
{
    v &= ones(esize);
    return r == 0 ? v : ((v >> r) | (v << (esize - r))) & ones(esize);
}

static uint64_t replicate(uint64_t elem, unsigned esize)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < 64; i += esize)
        r |= elem << i;
    return r;
}

/* DecodeBitMasks() of the Arm ARM (J1 shared pseudocode), for a 64-bit
 * register; callers truncate to 32 bits. Returns false on the reserved
 * combinations that make the instruction UNDEFINED. */
static bool decode_bit_masks(unsigned n, unsigned imms, unsigned immr, bool immediate, uint64_t *wmask,
                             uint64_t *tmask)
{
    unsigned combined = n << 6 | (~imms & 0x3f);
    if (combined == 0)
        return false;
    unsigned len = 31 - (unsigned)__builtin_clz(combined);
    if (len < 1)
        return false;
    unsigned levels = (unsigned)ones(len);
    if (immediate && (imms & levels) == levels)
        return false;
    unsigned s = imms & levels, r = immr & levels, esize = 1u << len;
    unsigned d = (s - r) & levels;
    *wmask = replicate(ror_bits(ones(s + 1), r, esize), esize);
    if (tmask)
        *tmask = replicate(ones(d + 1), esize);
    return true;
}

bool trans_ADR(DisasContext *s, const A64Insn *i)
{
    int64_t imm = a64_sext((uint64_t)i->f[F_immhi] << 2 | i->f[F_immlo], 21);
    uint64_t target = i->f[F_op] ? (s->pc & ~0xfffull) + ((uint64_t)imm << 12) : s->pc + (uint64_t)imm;
    write_x(s, i->f[F_Rd], konst(s, target), true);
    return true;
}

bool trans_ADDSUB_imm(DisasContext *s, const A64Insn *i)
{
    bool sf = i->f[F_sf], sub = i->f[F_op], setflags = i->f[F_S];
    unsigned size = sf_size(sf);
    uint64_t imm = (uint64_t)i->f[F_imm12] << (i->f[F_sh] ? 12 : 0);
    IRTemp a = read_x_sp(s, i->f[F_Rn]);
    IRTemp result = ir_opi(s->ir, sub ? IR_sub : IR_add, size, a, imm);
    if (setflags) {
        IRTemp b = konst(s, sub ? ~imm : imm);
        write_nzcv(s, ir_nzcv_adc(s->ir, size, a, b, konst(s, sub)));
        write_x(s, i->f[F_Rd], result, sf);
    } else {
        write_x_sp(s, i->f[F_Rd], result, sf);
    }
    return true;
}

bool trans_LOGIC_imm(DisasContext *s, const A64Insn *i)
{
    bool sf = i->f[F_sf];
    unsigned size = sf_size(sf), opc = i->f[F_opc];
    uint64_t imm;
    if (!sf && i->f[F_N])
        return false;
    if (!decode_bit_masks(i->f[F_N], i->f[F_imms], i->f[F_immr], true, &imm, NULL))
        return false;
    static const IROp ops[4] = {IR_and, IR_or, IR_xor, IR_and};
    IRTemp result = ir_opi(s->ir, ops[opc], size, read_x(s, i->f[F_Rn]), imm);
    if (opc == 3) {
        write_nzcv(s, ir_nzcv_logic(s->ir, size, result));
        write_x(s, i->f[F_Rd], result, sf);
    } else {
        write_x_sp(s, i->f[F_Rd], result, sf);
    }
    return true;
}

bool trans_MOVE_wide(DisasContext *s, const A64Insn *i)
{
    bool sf = i->f[F_sf];
    unsigned opc = i->f[F_opc], pos = i->f[F_hw] * 16;
    if (opc == 1 || (!sf && pos >= 32))
        return false;
    uint64_t imm = (uint64_t)i->f[F_imm16] << pos;
    IRTemp result;
    switch (opc) {
    case 0: result = konst(s, ~imm); break; /* MOVN */
    case 2: result = konst(s, imm); break;  /* MOVZ */
    default: {                              /* MOVK keeps the other halfwords */
        IRTemp kept = ir_opi(s->ir, IR_and, 8, read_x(s, i->f[F_Rd]), ~(0xffffull << pos));
        result = ir_opi(s->ir, IR_or, 8, kept, imm);
        break;
    }
    }
    write_x(s, i->f[F_Rd], result, sf);
    return true;
}

/* SBFM/UBFM (opc 0/2) as shifts: the field of the source moved to its place
 * with zeros or sign copies around it, which is what the general pseudocode
 * below computes for them (fewer ops: LSL, LSR, ASR, extends are one). */
static IRTemp extract_or_insert(DisasContext *s, bool is_signed, unsigned size, IRTemp src, unsigned immr,
                                unsigned imms)
{
    unsigned bits = size * 8;
    IROp right = is_signed ? IR_sar : IR_shr;
    if (imms >= immr) { /* (S|U)BFX, ASR, LSR, extends: src<imms:immr> at bit 0 */
        unsigned width = imms - immr + 1;
        if (immr == 0)
            return width == bits ? src : ir_ext(s->ir, is_signed, size, src, width);
        if (imms == bits - 1)
            return ir_opi(s->ir, right, size, src, immr);
        return ir_opi(s->ir, right, size, ir_opi(s->ir, IR_shl, size, src, bits - 1 - imms), bits - width);
    }
    /* (S|U)BFIZ, LSL: src<imms:0> at bit bits - immr */
    unsigned width = imms + 1, lsb = bits - immr;
    IRTemp top = ir_opi(s->ir, IR_shl, size, src, bits - width);
    return bits - width - lsb ? ir_opi(s->ir, right, size, top, bits - width - lsb) : top;
}

bool trans_BITFIELD(DisasContext *s, const A64Insn *i)
{
    bool sf = i->f[F_sf];
    unsigned opc = i->f[F_opc], n = i->f[F_N], immr = i->f[F_immr], imms = i->f[F_imms];
    unsigned size = sf_size(sf), bits = size * 8;
    uint64_t wmask, tmask;
    if (opc == 3 || n != sf || (!sf && (immr >= 32 || imms >= 32)))
        return false;
    if (!decode_bit_masks(n, imms, immr, false, &wmask, &tmask))
        return false;
    bool inzero = opc != 1, extend = opc == 0;
    IRTemp src = read_x(s, i->f[F_Rn]);
    if (inzero) {
        write_x(s, i->f[F_Rd], extract_or_insert(s, extend, size, src, immr, imms), sf);
        return true;
    }
    IRTemp dst = inzero ? konst(s, 0) : read_x(s, i->f[F_Rd]);
    /* bot = (dst AND NOT wmask) OR (ROR(src, R) AND wmask) */
    IRTemp rotated = ir_opi(s->ir, IR_ror, size, src, immr);
    IRTemp bot = ir_op2(s->ir, IR_or, size, ir_opi(s->ir, IR_and, size, dst, ~wmask),
                        ir_opi(s->ir, IR_and, size, rotated, wmask));
    /* top = extend ? Replicate(src<S>) : dst */
    IRTemp top = dst;
    if (extend)
        top = ir_opi(s->ir, IR_sar, size, ir_opi(s->ir, IR_shl, size, src, bits - 1 - imms), bits - 1);
    IRTemp result = ir_op2(s->ir, IR_or, size, ir_opi(s->ir, IR_and, size, top, ~tmask),
                           ir_opi(s->ir, IR_and, size, bot, tmask));
    write_x(s, i->f[F_Rd], result, sf);
    return true;
}

bool trans_EXTR(DisasContext *s, const A64Insn *i)
{
    bool sf = i->f[F_sf];
    unsigned size = sf_size(sf), bits = size * 8, lsb = i->f[F_imms];
    if (i->f[F_N] != sf || lsb >= bits)
        return false;
    IRTemp lo = read_x(s, i->f[F_Rm]);
    IRTemp result = lo;
    if (lsb != 0 && i->f[F_Rn] == i->f[F_Rm]) { /* ROR (immediate) */
        result = ir_opi(s->ir, IR_ror, size, lo, lsb);
    } else if (lsb != 0) {
        /* (Rn:Rm)<lsb+datasize-1:lsb>; the shift pair avoids a datasize shift at lsb 0 */
        IRTemp hi = ir_opi(s->ir, IR_shl, size, read_x(s, i->f[F_Rn]), bits - lsb);
        result = ir_op2(s->ir, IR_or, size, hi, ir_opi(s->ir, IR_shr, size, lo, lsb));
    }
    write_x(s, i->f[F_Rd], result, sf);
    return true;
}
