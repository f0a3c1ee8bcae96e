/* FPUnpack, NaN processing and FPRound: the pieces every operation shares. */
#include "fpu/fpu_impl.h"

const FPFormat fp_formats[3] = {
    [FP16] = {16, 5, 10, -14, FPCR_FZ16, true},
    [FP32] = {32, 8, 23, -126, FPCR_FZ, false},
    [FP64] = {64, 11, 52, -1022, FPCR_FZ, false},
};
const FPFormat fp_bfloat16 = {16, 8, 7, -126, FPCR_FZ, false};

static int msb128(u128 x)
{
    uint64_t hi = (uint64_t)(x >> 64);
    return hi ? 127 - __builtin_clzll(hi) : 63 - __builtin_clzll((uint64_t)x);
}

FPValue fp_unpack_base(FPCtx *c, const FPFormat *f, uint64_t bits, uint32_t fpcr)
{
    unsigned F = f->frac_bits;
    uint64_t frac = bits & fp_mask(F);
    uint64_t exp = (bits >> F) & fp_mask(f->exp_bits);
    FPValue v = {.sign = (bits >> (f->bits - 1)) & 1};

    if (exp == 0) {
        if (frac == 0 || (fpcr & f->fz_bit)) {
            v.type = FPT_ZERO;
            /* Flushing under FZ16 is silent; under FZ it reports IDC. */
            if (frac != 0 && !f->is_half)
                fp_raise(c, FPSR_IDC);
        } else {
            v.type = FPT_NONZERO;
            v.mant = frac;
            v.exp = f->min_exp - (int)F;
        }
    } else if (exp == fp_mask(f->exp_bits) && !(f->is_half && (fpcr & FPCR_AHP))) {
        if (frac == 0)
            v.type = FPT_INF;
        else
            v.type = (frac >> (F - 1)) & 1 ? FPT_QNAN : FPT_SNAN;
    } else {
        v.type = FPT_NONZERO;
        v.mant = frac | 1ull << F;
        v.exp = (int)exp - 1 + f->min_exp - (int)F;
    }
    return v;
}

uint64_t fp_process_nan(FPCtx *c, const FPFormat *f, FPType type, uint64_t bits)
{
    uint64_t result = bits & fp_mask(f->bits);
    if (type == FPT_SNAN) {
        result |= 1ull << (f->frac_bits - 1);
        fp_raise(c, FPSR_IOC);
    }
    if (c->fpcr & FPCR_DN)
        result = fp_default_nan(f);
    return result;
}

bool fp_process_nans(FPCtx *c, const FPFormat *f, const FPValue *v1, const FPValue *v2,
                     uint64_t op1, uint64_t op2, uint64_t *result)
{
    /* Signalling NaNs take priority over quiet ones, then operand order. */
    if (v1->type == FPT_SNAN)
        *result = fp_process_nan(c, f, v1->type, op1);
    else if (v2->type == FPT_SNAN)
        *result = fp_process_nan(c, f, v2->type, op2);
    else if (v1->type == FPT_QNAN)
        *result = fp_process_nan(c, f, v1->type, op1);
    else if (v2->type == FPT_QNAN)
        *result = fp_process_nan(c, f, v2->type, op2);
    else
        return false;
    return true;
}

bool fp_process_nans3(FPCtx *c, const FPFormat *f, const FPValue *v1, const FPValue *v2,
                      const FPValue *v3, uint64_t op1, uint64_t op2, uint64_t op3, uint64_t *result)
{
    const FPValue *v[3] = {v1, v2, v3};
    uint64_t op[3] = {op1, op2, op3};
    for (FPType wanted = FPT_SNAN;; wanted = FPT_QNAN) {
        for (int i = 0; i < 3; i++) {
            if (v[i]->type == wanted) {
                *result = fp_process_nan(c, f, wanted, op[i]);
                return true;
            }
        }
        if (wanted == FPT_QNAN)
            return false;
    }
}

bool fp_round_up(FPRounding rounding, bool sign, bool lsb_odd, bool half, bool sticky)
{
    switch (rounding) {
    case FP_ROUND_TIEEVEN: return half && (sticky || lsb_odd);
    case FP_ROUND_TIEAWAY: return half;
    case FP_ROUND_POSINF: return (half || sticky) && !sign;
    case FP_ROUND_NEGINF: return (half || sticky) && sign;
    case FP_ROUND_ZERO:
    case FP_ROUND_ODD: return false;
    }
    return false;
}

uint64_t fp_round_base(FPCtx *c, const FPFormat *f, uint32_t fpcr, FPRounding rounding, FPReal r)
{
    const unsigned F = f->frac_bits, E = f->exp_bits;
    const int exponent = msb128(r.mant) + r.exp; /* value in [2^exponent, 2^(exponent+1)) */

    /* Flush-to-zero looks at the exponent before rounding and raises only UFC. */
    if ((fpcr & f->fz_bit) && exponent < f->min_exp) {
        fp_raise(c, FPSR_UFC);
        return fp_zero(f, r.sign);
    }

    /* 63 significant bits are plenty for at most 53 kept: fold the rest into
     * a sticky bit. */
    uint64_t mant = (uint64_t)r.mant;
    int mant_exp = r.exp;
    if (exponent - r.exp > 62) {
        int s = exponent - r.exp - 62;
        mant = (uint64_t)(r.mant >> s) | ((r.mant & (((u128)1 << s) - 1)) != 0);
        mant_exp += s;
    }

    /* biased_exp 0 means denormal: the last place is then that of min_exp. */
    int biased_exp = exponent < f->min_exp ? 0 : exponent - f->min_exp + 1;
    int lsb_exp = (biased_exp ? exponent : f->min_exp) - (int)F;
    int shift = lsb_exp - mant_exp; /* bits of mant below the last place */
    uint64_t int_mant;
    bool half, sticky;
    if (shift <= 0) {
        int_mant = mant << -shift;
        half = sticky = false;
    } else if (shift > 63) { /* below half an ulp: mant < 2^63 */
        int_mant = 0;
        half = false;
        sticky = true;
    } else {
        int_mant = mant >> shift;
        half = (mant >> (shift - 1)) & 1;
        sticky = (mant & fp_mask(shift - 1)) != 0;
    }
    bool inexact = half || sticky;

    /* Underflow: tiny before rounding and inexact (UFE is RAZ). */
    if (biased_exp == 0 && inexact)
        fp_raise(c, FPSR_UFC);

    bool overflow_to_inf;
    switch (rounding) {
    case FP_ROUND_POSINF: overflow_to_inf = !r.sign; break;
    case FP_ROUND_NEGINF: overflow_to_inf = r.sign; break;
    case FP_ROUND_ZERO:
    case FP_ROUND_ODD: overflow_to_inf = false; break;
    default: overflow_to_inf = true; break;
    }
    if (fp_round_up(rounding, r.sign, int_mant & 1, half, sticky)) {
        int_mant++;
        if (int_mant == 1ull << F) /* denormal rounded up to the smallest normal */
            biased_exp = 1;
        if (int_mant == 1ull << (F + 1)) { /* carried into the next binade */
            biased_exp++;
            int_mant >>= 1;
        }
    }
    if (inexact && rounding == FP_ROUND_ODD)
        int_mant |= 1;

    uint64_t result;
    if (!(f->is_half && (fpcr & FPCR_AHP))) {
        if ((uint64_t)biased_exp >= fp_mask(E)) {
            result = overflow_to_inf ? fp_infinity(f, r.sign) : fp_max_normal(f, r.sign);
            fp_raise(c, FPSR_OFC);
            inexact = true;
        } else {
            result = fp_pack(f, r.sign, (uint64_t)biased_exp, int_mant & fp_mask(F));
        }
    } else if ((uint64_t)biased_exp >= 1ull << E) {
        /* The alternative half format has no infinity: saturate, invalid. */
        result = fp_pack(f, r.sign, fp_mask(E), fp_mask(F));
        fp_raise(c, FPSR_IOC);
        inexact = false;
    } else {
        result = fp_pack(f, r.sign, (uint64_t)biased_exp, int_mant & fp_mask(F));
    }
    if (inexact)
        fp_raise(c, FPSR_IXC);
    return result;
}

/* Exact sum of two exact reals whose mantissas are below 2^126 (products of
 * two significands are at most 106 bits). Both magnitudes are aligned to bit
 * 125 so that a carry still fits; the smaller one is shifted right with a
 * sticky bit, which only happens when cancellation is at most two bits. */
FPReal fp_real_add(FPReal a, FPReal b)
{
    if (a.mant == 0)
        return b;
    if (b.mant == 0)
        return a;
    int sa = 125 - msb128(a.mant), sb = 125 - msb128(b.mant);
    a.mant <<= sa, a.exp -= sa;
    b.mant <<= sb, b.exp -= sb;
    if (a.exp < b.exp) {
        FPReal t = a;
        a = b;
        b = t;
    }
    int d = a.exp - b.exp;
    if (d >= 126) {
        b.mant = 1;
    } else if (d > 0) {
        bool lost = (b.mant & (((u128)1 << d) - 1)) != 0;
        b.mant = b.mant >> d | lost;
    }
    FPReal r = {a.sign, a.exp, 0};
    if (a.sign == b.sign) {
        r.mant = a.mant + b.mant;
    } else if (a.mant >= b.mant) {
        r.mant = a.mant - b.mant;
    } else {
        r.mant = b.mant - a.mant;
        r.sign = b.sign;
    }
    return r;
}
