/* The meaning of every IR op that neither touches env nor memory nor leaves
 * the block: one definition, used by the interpreter to run them and by the
 * optimiser to fold them. */
#include "jit/ir.h"
#include "trace/log.h"

static uint64_t trunc_to(unsigned size, uint64_t v) { return size == 8 ? v : v & ((1ull << (size * 8)) - 1); }

static uint64_t sign_from(unsigned bits, uint64_t v)
{
    return bits >= 64 ? v : (uint64_t)((int64_t)(v << (64 - bits)) >> (64 - bits));
}

static uint64_t nzcv_adc(unsigned size, uint64_t a, uint64_t b, uint64_t c)
{
    unsigned bits = size * 8;
    uint64_t mask = trunc_to(size, ~0ull);
    a &= mask;
    b &= mask;
    unsigned __int128 usum = (unsigned __int128)a + b + (c & 1);
    uint64_t res = (uint64_t)usum & mask;
    uint64_t sign = 1ull << (bits - 1);
    uint64_t n = (res & sign) != 0;
    uint64_t z = res == 0;
    uint64_t carry = bits == 64 ? (uint64_t)(usum >> 64) : (uint64_t)(usum >> bits) & 1;
    uint64_t v = ((~(a ^ b) & (a ^ res)) & sign) != 0;
    return n << 31 | z << 30 | carry << 29 | v << 28;
}

static uint64_t rbit(uint64_t v, unsigned size)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < size * 8; i++)
        r |= ((v >> i) & 1) << (size * 8 - 1 - i);
    return r;
}

static uint64_t bswap(uint64_t v, unsigned size)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < size; i++)
        r |= ((v >> (8 * i)) & 0xff) << (8 * (size - 1 - i));
    return r;
}

static bool setcond(unsigned cond, unsigned size, uint64_t a, uint64_t b)
{
    a = trunc_to(size, a);
    b = trunc_to(size, b);
    int64_t sa = (int64_t)sign_from(size * 8, a), sb = (int64_t)sign_from(size * 8, b);
    switch (cond) {
    case IRC_EQ: return a == b;
    case IRC_NE: return a != b;
    case IRC_LTU: return a < b;
    case IRC_GEU: return a >= b;
    case IRC_LEU: return a <= b;
    case IRC_GTU: return a > b;
    case IRC_LTS: return sa < sb;
    case IRC_GES: return sa >= sb;
    case IRC_LES: return sa <= sb;
    case IRC_GTS: return sa > sb;
    }
    nestor_bug("setcond with condition %u", cond);
}

bool ir_eval_pure(const IRInsn *in, const uint64_t src[3], uint64_t *result)
{
    unsigned sz = in->size, bits = sz * 8;
    uint64_t a = src[0], b = src[1], c = src[2];
    uint64_t r;
    switch ((IROp)in->op) {
    case IR_movi: r = in->imm; break;
    case IR_mov: r = a; break;
    case IR_add: r = a + b; break;
    case IR_sub: r = a - b; break;
    case IR_mul: r = a * b; break;
    case IR_umulh: r = (uint64_t)(((unsigned __int128)a * b) >> 64); break;
    case IR_smulh: r = (uint64_t)(((__int128)(int64_t)a * (int64_t)b) >> 64); break;
    case IR_udiv:
        a = trunc_to(sz, a), b = trunc_to(sz, b);
        r = b ? a / b : 0;
        break;
    case IR_sdiv: {
        int64_t sa = (int64_t)sign_from(bits, a), sb = (int64_t)sign_from(bits, b);
        if (sb == 0)
            r = 0;
        else if (sb == -1)
            r = (uint64_t)0 - (uint64_t)sa; /* MIN / -1 wraps to MIN, as Arm defines */
        else
            r = (uint64_t)(sa / sb);
        break;
    }
    case IR_and: r = a & b; break;
    case IR_or: r = a | b; break;
    case IR_xor: r = a ^ b; break;
    case IR_shl: r = a << (b & (bits - 1)); break;
    case IR_shr: r = trunc_to(sz, a) >> (b & (bits - 1)); break;
    case IR_sar: r = (uint64_t)((int64_t)sign_from(bits, a) >> (b & (bits - 1))); break;
    case IR_ror: {
        unsigned n = b & (bits - 1);
        a = trunc_to(sz, a);
        r = n ? (a >> n) | (a << (bits - n)) : a;
        break;
    }
    case IR_neg: r = 0 - a; break;
    case IR_not: r = ~a; break;
    case IR_clz:
        a = trunc_to(sz, a);
        r = a ? (uint64_t)(__builtin_clzll(a) - (64 - bits)) : bits;
        break;
    case IR_rbit: r = rbit(a, sz); break;
    case IR_bswap: r = bswap(a, sz); break;
    case IR_sext: r = sign_from((unsigned)in->imm, a); break;
    case IR_zext: r = in->imm >= 64 ? a : a & ((1ull << in->imm) - 1); break;
    case IR_setcond: r = setcond((unsigned)in->imm, sz, a, b); break;
    case IR_select: r = a ? b : c; break;
    case IR_nzcv_adc: r = nzcv_adc(sz, a, b, c); break;
    case IR_nzcv_logic: {
        uint64_t v = trunc_to(sz, a);
        r = (uint64_t)((v >> (bits - 1)) & 1) << 31 | (uint64_t)(v == 0) << 30;
        break;
    }
    case IR_cond: r = ir_condition_holds((unsigned)in->imm, a); break;
    default: return false; /* reaches env, memory or the block's exit */
    }
    *result = sz == 4 ? (uint32_t)r : r; /* a 4-byte op zero-extends its result */
    return true;
}
