/* FPMax, FPMin, FPMaxNum, FPMinNum, FPCompare, FPCompareEQ/GE/GT. */
#include "fpu/fpu_impl.h"

static int msb64(uint64_t x) { return 63 - __builtin_clzll(x); }

/* Orders two nonzero non-NaN values by magnitude. */
static int compare_magnitudes(const FPValue *a, const FPValue *b)
{
    if (a->type == FPT_INF || b->type == FPT_INF)
        return (a->type == FPT_INF) - (b->type == FPT_INF);
    int ea = a->exp + msb64(a->mant), eb = b->exp + msb64(b->mant);
    if (ea != eb)
        return ea < eb ? -1 : 1;
    uint64_t ma = a->mant << (63 - msb64(a->mant)), mb = b->mant << (63 - msb64(b->mant));
    return (ma > mb) - (ma < mb);
}

/* Orders the real values of two non-NaN operands: -1, 0 (+0 == -0) or 1. */
static int compare_values(const FPValue *a, const FPValue *b)
{
    int sa = a->type == FPT_ZERO ? 0 : a->sign ? -1 : 1;
    int sb = b->type == FPT_ZERO ? 0 : b->sign ? -1 : 1;
    if (sa != sb)
        return sa < sb ? -1 : 1;
    if (sa == 0)
        return 0;
    int m = compare_magnitudes(a, b);
    return sa > 0 ? m : -m;
}

static uint64_t max_min(FPCtx *c, FPSize sz, uint64_t a, uint64_t b, bool is_max)
{
    const FPFormat *f = fp_format(sz);
    FPValue v1 = fp_unpack(c, f, a), v2 = fp_unpack(c, f, b);
    uint64_t result;
    if (fp_process_nans(c, f, &v1, &v2, a, b, &result))
        return result;
    int order = compare_values(&v1, &v2);
    const FPValue *v = (is_max ? order > 0 : order < 0) ? &v1 : &v2;
    if (v->type == FPT_INF)
        return fp_infinity(f, v->sign);
    if (v->type == FPT_ZERO) /* the most positive (max) or negative (min) zero */
        return fp_zero(f, is_max ? v1.sign && v2.sign : v1.sign || v2.sign);
    return fp_round(c, f, fpu_rounding_mode(c), fp_real(v));
}

uint64_t fpu_max(FPCtx *c, FPSize sz, uint64_t a, uint64_t b) { return max_min(c, sz, a, b, true); }
uint64_t fpu_min(FPCtx *c, FPSize sz, uint64_t a, uint64_t b) { return max_min(c, sz, a, b, false); }

/* A single quiet NaN loses: it becomes the infinity that any number beats. */
static uint64_t max_min_num(FPCtx *c, FPSize sz, uint64_t a, uint64_t b, bool is_max)
{
    const FPFormat *f = fp_format(sz);
    FPType t1 = fp_unpack(c, f, a).type, t2 = fp_unpack(c, f, b).type;
    if (t1 == FPT_QNAN && t2 != FPT_QNAN)
        a = fp_infinity(f, is_max);
    else if (t1 != FPT_QNAN && t2 == FPT_QNAN)
        b = fp_infinity(f, is_max);
    return max_min(c, sz, a, b, is_max);
}

uint64_t fpu_maxnum(FPCtx *c, FPSize sz, uint64_t a, uint64_t b) { return max_min_num(c, sz, a, b, true); }
uint64_t fpu_minnum(FPCtx *c, FPSize sz, uint64_t a, uint64_t b) { return max_min_num(c, sz, a, b, false); }

unsigned fpu_compare(FPCtx *c, FPSize sz, uint64_t a, uint64_t b, bool signal_nans)
{
    const FPFormat *f = fp_format(sz);
    FPValue v1 = fp_unpack(c, f, a), v2 = fp_unpack(c, f, b);
    if (fp_is_nan(v1.type) || fp_is_nan(v2.type)) {
        if (v1.type == FPT_SNAN || v2.type == FPT_SNAN || signal_nans)
            fp_raise(c, FPSR_IOC);
        return 0x3;
    }
    int order = compare_values(&v1, &v2);
    return order == 0 ? 0x6 : order < 0 ? 0x8 : 0x2;
}

bool fpu_compare_eq(FPCtx *c, FPSize sz, uint64_t a, uint64_t b)
{
    const FPFormat *f = fp_format(sz);
    FPValue v1 = fp_unpack(c, f, a), v2 = fp_unpack(c, f, b);
    if (fp_is_nan(v1.type) || fp_is_nan(v2.type)) {
        if (v1.type == FPT_SNAN || v2.type == FPT_SNAN)
            fp_raise(c, FPSR_IOC);
        return false;
    }
    return compare_values(&v1, &v2) == 0;
}

/* GE and GT are signalling: any NaN is invalid. Returns the order, or 2 for unordered. */
static int ordered_compare(FPCtx *c, FPSize sz, uint64_t a, uint64_t b)
{
    const FPFormat *f = fp_format(sz);
    FPValue v1 = fp_unpack(c, f, a), v2 = fp_unpack(c, f, b);
    if (fp_is_nan(v1.type) || fp_is_nan(v2.type)) {
        fp_raise(c, FPSR_IOC);
        return 2;
    }
    return compare_values(&v1, &v2);
}

bool fpu_compare_ge(FPCtx *c, FPSize sz, uint64_t a, uint64_t b)
{
    int order = ordered_compare(c, sz, a, b);
    return order == 0 || order == 1;
}

bool fpu_compare_gt(FPCtx *c, FPSize sz, uint64_t a, uint64_t b) { return ordered_compare(c, sz, a, b) == 1; }
