/* The host fast path of fpu/ (fpu/fast.c) against the soft-float path it
 * short-cuts: FPAdd, FPSub, FPMul, FPMulX, FPDiv, FPMulAdd on single and double,
 * under random FPCR values (RMode, FZ, DN), on random normals and on boundary
 * operands: exponents near overflow and near the denormal threshold, exact
 * results, ties (an operand at half an ulp of the other), double-rounding
 * midpoints of the single FMA, zeros, denormals, infinities and NaNs. Results
 * and FPSR must be identical, and the fast path must actually be taken. */
#include <check.h>
#include <stdlib.h>

#include "fpu/fpu_impl.h"
#include "tests/splitmix.h"
#include "unit_main.h"

enum { OP_ADD, OP_SUB, OP_MUL, OP_MULX, OP_DIV, OP_FMA, OP_FMS, NUM_OPS };

static uint64_t rng_state;
static uint64_t rnd(void) { return splitmix64(&rng_state); }

static uint64_t eval(int op, FPSize sz, FPCtx *c, uint64_t a, uint64_t b, uint64_t d)
{
    switch (op) {
    case OP_ADD: return fpu_add(c, sz, a, b);
    case OP_SUB: return fpu_sub(c, sz, a, b);
    case OP_MUL: return fpu_mul(c, sz, a, b);
    case OP_MULX: return fpu_mulx(c, sz, a, b);
    case OP_DIV: return fpu_div(c, sz, a, b);
    case OP_FMA: return fpu_muladd(c, sz, d, a, b);
    default: return fpu_muladd(c, sz, d, fpu_neg(sz, a), b);
    }
}

/* An operand with e exponent and f fraction bits; "near" is a biased exponent
 * the value clusters around (the other operand's, or the product's). */
static uint64_t gen(unsigned e, unsigned f, int64_t near)
{
    int64_t emax = (1ll << e) - 1, exp;
    uint64_t frac = rnd() & ((1ull << f) - 1);
    unsigned kind = (unsigned)(rnd() % 20);
    if (kind == 0)
        exp = 0, frac = rnd() & 1 ? 0 : frac >> rnd() % f; /* zero or denormal */
    else if (kind == 1)
        exp = emax, frac = rnd() % 4 == 0 ? frac : 0; /* infinity or NaN */
    else if (kind <= 3)
        exp = 1 + (int64_t)(rnd() % (f + 12)); /* near the denormal threshold */
    else if (kind <= 5)
        exp = emax - 1 - (int64_t)(rnd() % 4); /* near overflow */
    else if (kind <= 9)
        exp = near + (int64_t)(rnd() % 7) - 3; /* cancellation */
    else if (kind <= 12)
        exp = near - (int64_t)f - 1 + (int64_t)(rnd() % 3) - 1, frac &= ~0ull << (f - rnd() % 3); /* ties */
    else if (kind <= 14)
        exp = (emax >> 1) + (int64_t)(rnd() % 64) - 32; /* everyday magnitudes */
    else
        exp = 1 + (int64_t)(rnd() % (uint64_t)(emax - 1));
    if (kind >= 2 && rnd() & 1)
        frac &= ~0ull << (rnd() % f); /* few significant bits: exact results */
    if (kind >= 2 && (exp < 1 || exp >= emax))
        exp = exp < 1 ? 1 : emax - 1;
    return (rnd() & 1) << (e + f) | (uint64_t)exp << f | frac;
}

static unsigned fast_hits, cases;

static void compare(int op, bool dbl, unsigned n)
{
    const unsigned e = dbl ? 11 : 8, f = dbl ? 52 : 23;
    const FPSize sz = dbl ? FP64 : FP32;
    const int64_t bias = (1ll << (e - 1)) - 1, emask = (1ll << e) - 1;
    static const uint32_t fpcrs[] = {0, 0, 0, FPCR_FZ, FPCR_DN, FPCR_FZ | FPCR_DN,
                                     1u << FPCR_RMODE_SHIFT, 3u << FPCR_RMODE_SHIFT};
    for (unsigned i = 0; i < n; i++) {
        uint64_t a = gen(e, f, bias + (int64_t)(rnd() % 9) - 4);
        uint64_t b = gen(e, f, (int64_t)(a >> f) & emask);
        int64_t prod_exp = ((int64_t)(a >> f) & emask) + ((int64_t)(b >> f) & emask) - bias;
        uint64_t d = gen(e, f, rnd() & 1 ? prod_exp : (int64_t)(b >> f) & emask);
        uint32_t fpcr = fpcrs[rnd() % 8];
        FPCtx fast = {fpcr, (uint32_t)(rnd() & 1 ? FPSR_IXC : 0)}, soft = fast;
        uint64_t dummy;
        FPCtx probe = fast;
        bool hit = op <= OP_SUB ? fpu_fast_add(&probe, sz, a, b, op == OP_SUB, &dummy)
                   : op <= OP_MULX ? fpu_fast_mul(&probe, sz, a, b, &dummy)
                   : op == OP_DIV ? fpu_fast_div(&probe, sz, a, b, &dummy)
                                  : fpu_fast_muladd(&probe, sz, d, op == OP_FMS ? fpu_neg(sz, a) : a, b, &dummy);
        fast_hits += hit;
        cases++;
        fpu_fast_enabled = true;
        uint64_t got = eval(op, sz, &fast, a, b, d);
        fpu_fast_enabled = false;
        uint64_t want = eval(op, sz, &soft, a, b, d);
        fpu_fast_enabled = true;
        /* No ck_assert per case: Check records every passing assertion. */
        if (got != want || fast.fpsr != soft.fpsr)
            ck_abort_msg("op %d %s fpcr %#x: a=%#llx b=%#llx d=%#llx: soft %#llx fpsr %#x, fast %#llx fpsr %#x",
                         op, dbl ? "double" : "single", fpcr, (unsigned long long)a, (unsigned long long)b,
                         (unsigned long long)d, (unsigned long long)want, soft.fpsr, (unsigned long long)got,
                         fast.fpsr);
    }
}

/* 2 precisions x 7 operations x 300000 cases. */
START_TEST(fast_path_matches_soft_float)
{
    rng_state = 0xfa57000 + (uint64_t)_i;
    fast_hits = cases = 0;
    for (int op = 0; op < NUM_OPS; op++)
        compare(op, _i, 300000);
    /* The fast path must be exercised (FP64 mul/div/FMA need host FMA3). */
    ck_assert_uint_gt(fast_hits, cases / 10);
}
END_TEST

/* fpu_muladd_lanes (the batched FMLA path, all lanes or none fast) against
 * lane-by-lane soft-float fpu_muladd. */
START_TEST(muladd_lanes_match_soft_float)
{
    rng_state = 0x1a4e5000 + (uint64_t)_i;
    const bool dbl = _i;
    const unsigned e = dbl ? 11 : 8, f = dbl ? 52 : 23;
    const int64_t bias = (1ll << (e - 1)) - 1;
    unsigned hits = 0;
    for (unsigned i = 0; i < 200000; i++) {
        unsigned n = 1 + (unsigned)(rnd() % (dbl ? 2 : 4));
        uint64_t a[4], b[4], d[4], got[4], want[4];
        for (unsigned k = 0; k < n; k++) {
            a[k] = gen(e, f, bias + (int64_t)(rnd() % 9) - 4);
            b[k] = gen(e, f, bias + (int64_t)(rnd() % 9) - 4);
            d[k] = rnd() % 8 ? gen(e, f, bias) : gen(e, f, bias + (int64_t)(rnd() % 9) - 4);
        }
        FPCtx fast = {rnd() % 4 ? 0 : FPCR_FZ, 0}, soft = fast, probe = fast;
        uint64_t dummy[4];
        hits += fpu_fast_muladd_n(&probe, dbl ? FP64 : FP32, n, dummy, d, a, b);
        fpu_muladd_lanes(&fast, dbl ? FP64 : FP32, n, got, d, a, b);
        fpu_fast_enabled = false;
        for (unsigned k = 0; k < n; k++)
            want[k] = fpu_muladd(&soft, dbl ? FP64 : FP32, d[k], a[k], b[k]);
        fpu_fast_enabled = true;
        for (unsigned k = 0; k < n; k++)
            if (got[k] != want[k] || fast.fpsr != soft.fpsr)
                ck_abort_msg("%s lane %u/%u: a=%#llx b=%#llx d=%#llx: soft %#llx fpsr %#x, fast %#llx fpsr %#x",
                             dbl ? "double" : "single", k, n, (unsigned long long)a[k], (unsigned long long)b[k],
                             (unsigned long long)d[k], (unsigned long long)want[k], soft.fpsr,
                             (unsigned long long)got[k], fast.fpsr);
    }
    /* The batched path must be exercised, not only its lane-by-lane fallback
     * (about half the cases take it). */
    ck_assert_uint_gt(hits, 200000 / 10);
}
END_TEST

/* Hand-picked boundaries, single precision: the largest finite sum (falls back
 * near overflow), a tie to even, and a product just above the denormal range. */
START_TEST(boundaries_single)
{
    static const struct { int op; uint32_t a, b, d; } cs[] = {
        {OP_ADD, 0x3f800000, 0x33800000, 0}, /* 1 + 2^-24: tie, stays 1, inexact */
        {OP_ADD, 0x3f800001, 0x33800000, 0}, /* tie rounds up to even */
        {OP_ADD, 0x7f7fffff, 0x73000000, 0}, /* max + half ulp: overflow */
        {OP_SUB, 0x3f800000, 0x3f800000, 0}, /* exact zero */
        {OP_MUL, 0x20000000, 0x1f800000, 0}, /* 2^-63 * 2^-64 = 2^-127: denormal */
        {OP_MUL, 0x3fc00000, 0x40000000, 0}, /* exact 3 */
        {OP_DIV, 0x3f800000, 0x40400000, 0}, /* 1/3 */
        {OP_DIV, 0x40c00000, 0x40400000, 0}, /* exact 2 */
        {OP_FMA, 0x3f800001, 0x3f800001, 0xbf800000}, /* (1+u)^2 - 1: exact */
        {OP_FMA, 0x3f800000, 0x3f800000, 0x33800000}, /* 1 + 2^-24 tie through FMA */
    };
    for (unsigned i = 0; i < sizeof cs / sizeof cs[0]; i++) {
        FPCtx fast = {0, 0}, soft = {0, 0};
        uint64_t got = eval(cs[i].op, FP32, &fast, cs[i].a, cs[i].b, cs[i].d);
        fpu_fast_enabled = false;
        uint64_t want = eval(cs[i].op, FP32, &soft, cs[i].a, cs[i].b, cs[i].d);
        fpu_fast_enabled = true;
        ck_assert_msg(got == want && fast.fpsr == soft.fpsr, "case %u: %#llx/%#x vs %#llx/%#x", i,
                      (unsigned long long)got, fast.fpsr, (unsigned long long)want, soft.fpsr);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fpu-fast");
    TCase *tc = tcase_create("fast-vs-soft");
    tcase_set_timeout(tc, 240);
    tcase_add_loop_test(tc, fast_path_matches_soft_float, 0, 2); /* single, double */
    tcase_add_loop_test(tc, muladd_lanes_match_soft_float, 0, 2);
    tcase_add_test(tc, boundaries_single);
    suite_add_tcase(s, tc);
    return unit_run_suite(s, true);
}
