/* FPAdd, FPSub, FPMul, FPMulX, FPDiv, FPSqrt, FPMulAdd, FPNeg, FPAbs. */
#include "fpu/fpu_impl.h"

uint64_t fpu_neg(FPSize sz, uint64_t a)
{
    const FPFormat *f = fp_format(sz);
    return (a ^ 1ull << (f->bits - 1)) & fp_mask(f->bits);
}

uint64_t fpu_abs(FPSize sz, uint64_t a)
{
    return a & fp_mask(fp_format(sz)->bits - 1);
}

static uint64_t add_sub(FPCtx *c, FPSize sz, uint64_t a, uint64_t b, bool subtract)
{
    uint64_t fast;
    if (fpu_fast_add(c, sz, a, b, subtract, &fast))
        return fast;
    const FPFormat *f = fp_format(sz);
    FPValue v1 = fp_unpack(c, f, a), v2 = fp_unpack(c, f, b);
    uint64_t result;
    if (fp_process_nans(c, f, &v1, &v2, a, b, &result))
        return result;
    v2.sign ^= subtract;
    bool inf1 = v1.type == FPT_INF, inf2 = v2.type == FPT_INF;
    if (inf1 && inf2 && v1.sign != v2.sign) {
        fp_raise(c, FPSR_IOC);
        return fp_default_nan(f);
    }
    if (inf1 || inf2)
        return fp_infinity(f, inf1 ? v1.sign : v2.sign);
    if (v1.type == FPT_ZERO && v2.type == FPT_ZERO && v1.sign == v2.sign)
        return fp_zero(f, v1.sign);
    return fp_round_sum(c, f, fp_real_add(fp_real(&v1), fp_real(&v2)));
}

uint64_t fpu_add(FPCtx *c, FPSize sz, uint64_t a, uint64_t b) { return add_sub(c, sz, a, b, false); }
uint64_t fpu_sub(FPCtx *c, FPSize sz, uint64_t a, uint64_t b) { return add_sub(c, sz, a, b, true); }

/* FPMul and FPMulX differ only in inf * 0: invalid, or +-2. */
static uint64_t multiply(FPCtx *c, FPSize sz, uint64_t a, uint64_t b, bool mulx)
{
    uint64_t fast; /* FMULX differs from FMUL only for inf * 0 */
    if (fpu_fast_mul(c, sz, a, b, &fast))
        return fast;
    const FPFormat *f = fp_format(sz);
    FPValue v1 = fp_unpack(c, f, a), v2 = fp_unpack(c, f, b);
    uint64_t result;
    if (fp_process_nans(c, f, &v1, &v2, a, b, &result))
        return result;
    bool sign = v1.sign != v2.sign;
    bool inf = v1.type == FPT_INF || v2.type == FPT_INF;
    bool zero = v1.type == FPT_ZERO || v2.type == FPT_ZERO;
    if (inf && zero) {
        if (mulx)
            return fp_power_of_two(f, sign, 1);
        fp_raise(c, FPSR_IOC);
        return fp_default_nan(f);
    }
    if (inf)
        return fp_infinity(f, sign);
    if (zero)
        return fp_zero(f, sign);
    return fp_round(c, f, fpu_rounding_mode(c), fp_real_mul(&v1, &v2));
}

uint64_t fpu_mul(FPCtx *c, FPSize sz, uint64_t a, uint64_t b) { return multiply(c, sz, a, b, false); }
uint64_t fpu_mulx(FPCtx *c, FPSize sz, uint64_t a, uint64_t b) { return multiply(c, sz, a, b, true); }

static int msb64(uint64_t x) { return 63 - __builtin_clzll(x); }

uint64_t fpu_div(FPCtx *c, FPSize sz, uint64_t a, uint64_t b)
{
    uint64_t fast;
    if (fpu_fast_div(c, sz, a, b, &fast))
        return fast;
    const FPFormat *f = fp_format(sz);
    FPValue v1 = fp_unpack(c, f, a), v2 = fp_unpack(c, f, b);
    uint64_t result;
    if (fp_process_nans(c, f, &v1, &v2, a, b, &result))
        return result;
    bool sign = v1.sign != v2.sign;
    bool inf1 = v1.type == FPT_INF, inf2 = v2.type == FPT_INF;
    bool zero1 = v1.type == FPT_ZERO, zero2 = v2.type == FPT_ZERO;
    if ((inf1 && inf2) || (zero1 && zero2)) {
        fp_raise(c, FPSR_IOC);
        return fp_default_nan(f);
    }
    if (inf1 || zero2) {
        if (!inf1)
            fp_raise(c, FPSR_DZC);
        return fp_infinity(f, sign);
    }
    if (zero1 || inf2)
        return fp_zero(f, sign);
    /* Dividend scaled to bit 116 over a divisor of at most 53 bits leaves a
     * quotient of at least 63 bits; a nonzero remainder becomes the sticky bit. */
    int s = 116 - msb64(v1.mant);
    u128 n = (u128)v1.mant << s;
    u128 q = n / v2.mant;
    FPReal r = {sign, v1.exp - s - v2.exp, q | (n % v2.mant != 0)};
    return fp_round(c, f, fpu_rounding_mode(c), r);
}

/* floor(sqrt(n)), digit by digit. */
static uint64_t isqrt128(u128 n, bool *exact)
{
    u128 rem = n, root = 0, bit = (u128)1 << 126;
    while (bit > n)
        bit >>= 2;
    while (bit) {
        if (rem >= root + bit) {
            rem -= root + bit;
            root = (root >> 1) + bit;
        } else {
            root >>= 1;
        }
        bit >>= 2;
    }
    *exact = rem == 0;
    return (uint64_t)root;
}

uint64_t fpu_sqrt(FPCtx *c, FPSize sz, uint64_t a)
{
    const FPFormat *f = fp_format(sz);
    FPValue v = fp_unpack(c, f, a);
    if (fp_is_nan(v.type))
        return fp_process_nan(c, f, v.type, a);
    if (v.type == FPT_ZERO)
        return fp_zero(f, v.sign);
    if (v.type == FPT_INF && !v.sign)
        return fp_infinity(f, false);
    if (v.sign) {
        fp_raise(c, FPSR_IOC);
        return fp_default_nan(f);
    }
    /* Scale to about 2^124 with an even exponent: a root of 62+ bits. */
    int s = 124 - msb64(v.mant);
    if ((v.exp - s) & 1)
        s++;
    bool exact;
    uint64_t root = isqrt128((u128)v.mant << s, &exact);
    FPReal r = {false, (v.exp - s) / 2, (u128)(root | !exact)};
    return fp_round(c, f, fpu_rounding_mode(c), r);
}

uint64_t fpu_muladd(FPCtx *c, FPSize sz, uint64_t addend, uint64_t op1, uint64_t op2)
{
    uint64_t fast;
    if (fpu_fast_muladd(c, sz, addend, op1, op2, &fast))
        return fast;
    const FPFormat *f = fp_format(sz);
    FPValue va = fp_unpack(c, f, addend), v1 = fp_unpack(c, f, op1), v2 = fp_unpack(c, f, op2);
    bool inf1 = v1.type == FPT_INF, inf2 = v2.type == FPT_INF;
    bool zero1 = v1.type == FPT_ZERO, zero2 = v2.type == FPT_ZERO;
    uint64_t result;
    bool done = fp_process_nans3(c, f, &va, &v1, &v2, addend, op1, op2, &result);
    /* inf * 0 is invalid even when the addend is a quiet NaN. */
    if (va.type == FPT_QNAN && ((inf1 && zero2) || (zero1 && inf2))) {
        fp_raise(c, FPSR_IOC);
        return fp_default_nan(f);
    }
    if (done)
        return result;
    bool infA = va.type == FPT_INF, zeroA = va.type == FPT_ZERO;
    bool signP = v1.sign != v2.sign, infP = inf1 || inf2, zeroP = zero1 || zero2;
    if ((inf1 && zero2) || (zero1 && inf2) || (infA && infP && va.sign != signP)) {
        fp_raise(c, FPSR_IOC);
        return fp_default_nan(f);
    }
    if (infA || infP)
        return fp_infinity(f, infA ? va.sign : signP);
    if (zeroA && zeroP && va.sign == signP)
        return fp_zero(f, va.sign);
    FPReal product = zeroP ? (FPReal){signP, 0, 0} : fp_real_mul(&v1, &v2);
    return fp_round_sum(c, f, fp_real_add(fp_real(&va), product));
}

void fpu_muladd_lanes(FPCtx *c, FPSize sz, unsigned n, uint64_t *res, const uint64_t *addend,
                      const uint64_t *op1, const uint64_t *op2)
{
    if (fpu_fast_muladd_n(c, sz, n, res, addend, op1, op2))
        return;
    for (unsigned i = 0; i < n; i++)
        res[i] = fpu_muladd(c, sz, addend[i], op1[i], op2[i]);
}

/* A half-precision operand of FPMulAddH as the single-precision value of the
 * same number: exact (FPUnpack with FPCR.FZ16 for N = 16, no IDC), NaN
 * payloads kept so that processing them as singles gives FPProcessNaNs3H's
 * FPConvertNaN results. AHP does not apply to data processing. */
static uint32_t half_as_single(const FPCtx *c, uint16_t h)
{
    uint32_t sign = (uint32_t)(h >> 15) << 31, exp = h >> 10 & 0x1f, frac = h & 0x3ff;
    if (exp == 0) {
        if (frac == 0 || (c->fpcr & FPCR_FZ16))
            return sign;
        unsigned p = 31 - (unsigned)__builtin_clz(frac); /* value = 2^(p-24) * 1.xxx */
        return sign | (p + 127 - 24) << 23 | (frac << (23 - p) & 0x7fffff);
    }
    if (exp == 0x1f)
        return sign | 0xffu << 23 | frac << 13;
    return sign | (exp + 127 - 15) << 23 | frac << 13;
}

uint32_t fpu_muladd_h(FPCtx *c, uint32_t addend, uint16_t op1, uint16_t op2)
{
    return (uint32_t)fpu_muladd(c, FP32, addend, half_as_single(c, op1), half_as_single(c, op2));
}
