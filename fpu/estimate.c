/* Reciprocal and reciprocal square root: FPRecipEstimate, FPRSqrtEstimate,
 * FPRecpX, FPRecipStepFused, FPRSqrtStepFused, and the unsigned integer
 * estimates URECPE/URSQRTE. */
#include "fpu/fpu_impl.h"

static int msb64(uint64_t x) { return 63 - __builtin_clzll(x); }

/* RecipEstimate: a in [256, 512) is a fixed-point input in [0.5, 1); the
 * result in [256, 512) is its reciprocal in [1, 2), both rounded to nearest. */
static unsigned recip_estimate(unsigned a)
{
    a = a * 2 + 1;
    unsigned b = (1u << 19) / a;
    return (b + 1) / 2;
}

/* RecipSqrtEstimate: a in [128, 512) is an input in [0.25, 1). The pseudocode
 * counts b up from 512 to the largest b with a * (b+1)^2 < 2^28; since the
 * scaled a is below 1024 that is k - 1 for the smallest k with a * k^2 >= 2^28,
 * found here by bisection over (512, 1024]. */
static unsigned rsqrt_estimate(unsigned a)
{
    if (a < 256)
        a = a * 2 + 1;
    else
        a = (((a >> 1) << 1) + 1) * 2;
    unsigned lo = 512, hi = 1024;   /* a*lo^2 < 2^28 <= a*hi^2 */
    while (hi - lo > 1) {
        unsigned mid = (lo + hi) / 2;
        if (a * mid * mid < 1u << 28)
            lo = mid;
        else
            hi = mid;
    }
    return hi / 2; /* (b + 1) DIV 2 with b = hi - 1 */
}

/* The operand's fraction left-aligned in 52 bits, as the pseudocode scales it. */
static uint64_t fraction52(const FPFormat *f, uint64_t a)
{
    return (a & fp_mask(f->frac_bits)) << (52 - f->frac_bits);
}

uint64_t fpu_recip_estimate(FPCtx *c, FPSize sz, uint64_t a)
{
    const FPFormat *f = fp_format(sz);
    FPValue v = fp_unpack(c, f, a);
    if (fp_is_nan(v.type))
        return fp_process_nan(c, f, v.type, a);
    if (v.type == FPT_INF)
        return fp_zero(f, v.sign);
    if (v.type == FPT_ZERO) {
        fp_raise(c, FPSR_DZC);
        return fp_infinity(f, v.sign);
    }
    int exponent = v.exp + msb64(v.mant);
    if (exponent < f->min_exp - 2) { /* the reciprocal overflows */
        bool to_inf;
        switch (fpu_rounding_mode(c)) {
        case FP_ROUND_POSINF: to_inf = !v.sign; break;
        case FP_ROUND_NEGINF: to_inf = v.sign; break;
        case FP_ROUND_ZERO: to_inf = false; break;
        default: to_inf = true; break;
        }
        fp_raise(c, FPSR_OFC | FPSR_IXC);
        return to_inf ? fp_infinity(f, v.sign) : fp_max_normal(f, v.sign);
    }
    if ((c->fpcr & f->fz_bit) && exponent >= -f->min_exp) { /* denormal result flushed */
        fp_raise(c, FPSR_UFC);
        return fp_zero(f, v.sign);
    }
    uint64_t fraction = fraction52(f, a);
    int exp = (int)((a >> f->frac_bits) & fp_mask(f->exp_bits));
    if (exp == 0) {
        if (!(fraction >> 51 & 1)) {
            exp = -1;
            fraction = fraction << 2 & fp_mask(52);
        } else {
            fraction = fraction << 1 & fp_mask(52);
        }
    }
    int bias = 1 - f->min_exp;
    int result_exp = 2 * bias - 1 - exp;
    fraction = (uint64_t)(recip_estimate(256 | (unsigned)(fraction >> 44)) & 0xff) << 44;
    if (result_exp == 0) {
        fraction = 1ull << 51 | fraction >> 1;
    } else if (result_exp == -1) {
        fraction = 1ull << 50 | fraction >> 2;
        result_exp = 0;
    }
    return fp_pack(f, v.sign, (uint64_t)result_exp, fraction >> (52 - f->frac_bits));
}

uint64_t fpu_rsqrt_estimate(FPCtx *c, FPSize sz, uint64_t a)
{
    const FPFormat *f = fp_format(sz);
    FPValue v = fp_unpack(c, f, a);
    if (fp_is_nan(v.type))
        return fp_process_nan(c, f, v.type, a);
    if (v.type == FPT_ZERO) {
        fp_raise(c, FPSR_DZC);
        return fp_infinity(f, v.sign);
    }
    if (v.sign) {
        fp_raise(c, FPSR_IOC);
        return fp_default_nan(f);
    }
    if (v.type == FPT_INF)
        return fp_zero(f, false);
    uint64_t fraction = fraction52(f, a);
    int exp = (int)((a >> f->frac_bits) & fp_mask(f->exp_bits));
    if (exp == 0) { /* normalise a denormal, keeping its exponent's parity meaningful */
        while (!(fraction >> 51 & 1)) {
            fraction <<= 1;
            exp--;
        }
        fraction = fraction << 1 & fp_mask(52);
    }
    /* Odd exponents scale into [0.25, 0.5), even ones into [0.5, 1). */
    unsigned scaled = exp & 1 ? 128 | (unsigned)(fraction >> 45) : 256 | (unsigned)(fraction >> 44);
    int bias = 1 - f->min_exp;
    int result_exp = (3 * bias - 1 - exp) / 2;
    uint64_t estimate = rsqrt_estimate(scaled) & 0xff;
    return fp_pack(f, false, (uint64_t)result_exp, estimate << (f->frac_bits - 8));
}

uint64_t fpu_recpx(FPCtx *c, FPSize sz, uint64_t a)
{
    const FPFormat *f = fp_format(sz);
    FPValue v = fp_unpack(c, f, a);
    if (fp_is_nan(v.type))
        return fp_process_nan(c, f, v.type, a);
    uint64_t exp = (a >> f->frac_bits) & fp_mask(f->exp_bits);
    /* Zeros and denormals give the largest finite exponent. */
    uint64_t result_exp = exp == 0 ? fp_mask(f->exp_bits) - 1 : ~exp & fp_mask(f->exp_bits);
    return fp_pack(f, v.sign, result_exp, 0);
}

/* FPRecipStepFused (2 - a*b) and FPRSqrtStepFused ((3 - a*b) / 2): a is negated
 * before anything else, so a NaN in a comes back with its sign flipped. */
static uint64_t newton_step(FPCtx *c, FPSize sz, uint64_t a, uint64_t b, bool rsqrt)
{
    const FPFormat *f = fp_format(sz);
    a = fpu_neg(sz, a);
    FPValue v1 = fp_unpack(c, f, a), v2 = fp_unpack(c, f, b);
    uint64_t result;
    if (fp_process_nans(c, f, &v1, &v2, a, b, &result))
        return result;
    bool inf1 = v1.type == FPT_INF, inf2 = v2.type == FPT_INF;
    bool zero1 = v1.type == FPT_ZERO, zero2 = v2.type == FPT_ZERO;
    if ((inf1 && zero2) || (zero1 && inf2)) /* 1.5 or 2.0 */
        return rsqrt ? fp_power_of_two(f, false, 0) | 1ull << (f->frac_bits - 1) : fp_power_of_two(f, false, 1);
    if (inf1 || inf2)
        return fp_infinity(f, v1.sign != v2.sign);
    FPReal product = zero1 || zero2 ? (FPReal){false, 0, 0} : fp_real_mul(&v1, &v2);
    FPReal sum = fp_real_add(rsqrt ? (FPReal){false, 0, 3} : (FPReal){false, 1, 1}, product);
    sum.exp -= rsqrt;
    return fp_round_sum(c, f, sum);
}

uint64_t fpu_recip_step(FPCtx *c, FPSize sz, uint64_t a, uint64_t b) { return newton_step(c, sz, a, b, false); }
uint64_t fpu_rsqrt_step(FPCtx *c, FPSize sz, uint64_t a, uint64_t b) { return newton_step(c, sz, a, b, true); }

uint32_t fpu_unsigned_recip_estimate(uint32_t a)
{
    if (!(a >> 31))
        return ~0u;
    return recip_estimate(a >> 23) << 23;
}

uint32_t fpu_unsigned_rsqrt_estimate(uint32_t a)
{
    if (!(a >> 30))
        return ~0u;
    return rsqrt_estimate(a >> 23) << 23;
}
