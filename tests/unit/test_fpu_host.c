/* fpu/ against the host's SSE unit (x86-64, MXCSR) on random operands where
 * IEEE 754 and Arm agree: add, sub, mul, div, sqrt and fused multiply-add of
 * non-NaN values with FZ = 0, in the four IEEE rounding modes. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "fpu/fpu.h"
#include "tests/splitmix.h"
#include "unit_main.h"

enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_SQRT, OP_FMA, NUM_HOST_OPS };

/* MXCSR exception flags and rounding control */
enum { MX_IE = 1, MX_DE = 2, MX_ZE = 4, MX_OE = 8, MX_UE = 16, MX_PE = 32, MX_MASK_ALL = 0x1f80 };

/* One SSE instruction under the given MXCSR; dst is also the first source. */
#define HOST_OP(insn, dst_var, src1_var, src2_var, csr_var)                     \
    __asm__ volatile("ldmxcsr %[in]\n\t" insn "\n\tstmxcsr %[out]"              \
                     : [dst] "+x"(dst_var), [out] "=m"(csr_var)                 \
                     : [s1] "x"(src1_var), [s2] "x"(src2_var), [in] "m"(csr_var))

/* Runs op on the host with MXCSR rounding control rc; returns the result bits
 * and sets *flags to the MXCSR exception flags. FMA computes d + a * b. */
static uint64_t host_eval(int op, bool dbl, uint64_t a, uint64_t b, uint64_t d, unsigned rc, unsigned *flags)
{
    uint32_t csr = MX_MASK_ALL | rc << 13;
    uint64_t result = 0;
    if (dbl) {
        double x, y, acc;
        memcpy(&x, &a, 8), memcpy(&y, &b, 8), memcpy(&acc, &d, 8);
        switch (op) {
        case OP_ADD: HOST_OP("addsd %[s1], %[dst]", x, y, y, csr); break;
        case OP_SUB: HOST_OP("subsd %[s1], %[dst]", x, y, y, csr); break;
        case OP_MUL: HOST_OP("mulsd %[s1], %[dst]", x, y, y, csr); break;
        case OP_DIV: HOST_OP("divsd %[s1], %[dst]", x, y, y, csr); break;
        case OP_SQRT: HOST_OP("sqrtsd %[dst], %[dst]", x, y, y, csr); break;
        case OP_FMA: HOST_OP("vfmadd231sd %[s2], %[s1], %[dst]", acc, x, y, csr); x = acc; break;
        }
        memcpy(&result, &x, 8);
    } else {
        float x, y, acc;
        uint32_t a32 = (uint32_t)a, b32 = (uint32_t)b, d32 = (uint32_t)d, r32;
        memcpy(&x, &a32, 4), memcpy(&y, &b32, 4), memcpy(&acc, &d32, 4);
        switch (op) {
        case OP_ADD: HOST_OP("addss %[s1], %[dst]", x, y, y, csr); break;
        case OP_SUB: HOST_OP("subss %[s1], %[dst]", x, y, y, csr); break;
        case OP_MUL: HOST_OP("mulss %[s1], %[dst]", x, y, y, csr); break;
        case OP_DIV: HOST_OP("divss %[s1], %[dst]", x, y, y, csr); break;
        case OP_SQRT: HOST_OP("sqrtss %[dst], %[dst]", x, y, y, csr); break;
        case OP_FMA: HOST_OP("vfmadd231ss %[s2], %[s1], %[dst]", acc, x, y, csr); x = acc; break;
        }
        memcpy(&r32, &x, 4);
        result = r32;
    }
    *flags = csr & 0x3f;
    return result;
}

static uint64_t lib_eval(int op, FPSize sz, FPCtx *c, uint64_t a, uint64_t b, uint64_t d)
{
    switch (op) {
    case OP_ADD: return fpu_add(c, sz, a, b);
    case OP_SUB: return fpu_sub(c, sz, a, b);
    case OP_MUL: return fpu_mul(c, sz, a, b);
    case OP_DIV: return fpu_div(c, sz, a, b);
    case OP_SQRT: return fpu_sqrt(c, sz, a);
    default: return fpu_muladd(c, sz, d, a, b);
    }
}

static uint64_t rng_state;
static uint64_t rnd(void) { return splitmix64(&rng_state); }

/* A non-NaN operand with e exponent and f fraction bits: zeros, infinities,
 * denormals, extremes, exponents near "near" (cancellation, ties), short
 * fractions, or anything. */
static uint64_t gen_number(unsigned e, unsigned f, uint64_t near)
{
    uint64_t emax = (1ull << e) - 1, frac = rnd() & ((1ull << f) - 1), exp;
    unsigned kind = (unsigned)(rnd() % 16);
    if (kind == 0)
        exp = 0, frac = 0;
    else if (kind == 1)
        exp = emax, frac = 0;
    else if (kind <= 3)
        exp = 0, frac >>= rnd() % f;
    else if (kind == 4)
        exp = rnd() & 1 ? 1 : emax - 1;
    else if (kind <= 9)
        exp = ((near >> f) & emax) + rnd() % 7 - 3;
    else
        exp = rnd() % emax;
    if (kind >= 5 && rnd() & 1)
        frac &= ~0ull << (rnd() % f); /* few significant bits */
    if (exp >= emax)
        exp = emax - 1;
    return (rnd() & 1) << (e + f) | exp << f | frac;
}

static bool is_nan(bool dbl, uint64_t v)
{
    return dbl ? (v & 0x7fffffffffffffff) > 0x7ff0000000000000 : (v & 0x7fffffff) > 0x7f800000;
}

/* Compares n random cases of op at one precision and rounding mode. */
static void compare_with_host(int op, bool dbl, unsigned rmode, unsigned n)
{
    static const unsigned mxcsr_rc[4] = {0, 2, 1, 3}; /* Arm RMode -> x86 RC */
    const unsigned e = dbl ? 11 : 8, f = dbl ? 52 : 23;
    const uint64_t min_normal = 1ull << f, sign = 1ull << (e + f);
    const FPSize sz = dbl ? FP64 : FP32;
    for (unsigned i = 0; i < n; i++) {
        uint64_t a = gen_number(e, f, 0);
        uint64_t b = gen_number(e, f, a);
        uint64_t d = gen_number(e, f, rnd() & 1 ? a : b);
        if (op == OP_FMA && rnd() & 1) /* addend near the product's exponent */
            d = gen_number(e, f, (((a >> f) & ((1 << e) - 1)) + ((b >> f) & ((1 << e) - 1)) - ((1 << (e - 1)) - 1)) << f);
        unsigned mx;
        uint64_t want = host_eval(op, dbl, a, b, d, mxcsr_rc[rmode], &mx);
        FPCtx c = {rmode << FPCR_RMODE_SHIFT, 0};
        uint64_t got = lib_eval(op, sz, &c, a, b, d);
        uint32_t want_flags = (mx & MX_IE ? FPSR_IOC : 0) | (mx & MX_ZE ? FPSR_DZC : 0) |
                              (mx & MX_OE ? FPSR_OFC : 0) | (mx & MX_UE ? FPSR_UFC : 0) |
                              (mx & MX_PE ? FPSR_IXC : 0);
        /* x86 detects tininess after rounding, Arm before: they differ only
         * when the result rounds to the smallest normal. */
        uint32_t mask = (got & ~sign) == min_normal ? ~FPSR_UFC : ~0u;
        /* x86's default NaN is negative, Arm's positive. */
        if (is_nan(dbl, want))
            want = dbl ? 0x7ff8000000000000 : 0x7fc00000;
        /* No ck_assert per case: Check records every passing assertion. */
        if (got != want || (c.fpsr & mask) != (want_flags & mask))
            ck_abort_msg("op %d %s rmode %u: a=%#llx b=%#llx d=%#llx: host %#llx flags %#x, fpu %#llx flags %#x", op,
                      dbl ? "double" : "single", rmode, (unsigned long long)a, (unsigned long long)b,
                      (unsigned long long)d, (unsigned long long)want, want_flags, (unsigned long long)got, c.fpsr);
    }
}

/* 2 precisions x 6 operations x 4 rounding modes x 20000 = 960000 cases. */
START_TEST(random_cases_agree_with_host_sse)
{
    bool have_fma = __builtin_cpu_supports("fma");
    rng_state = 0x5eed0000 + (uint64_t)_i;
    for (int op = 0; op < NUM_HOST_OPS; op++) {
        if (op == OP_FMA && !have_fma)
            continue;
        for (unsigned rmode = 0; rmode < 4; rmode++)
            compare_with_host(op, _i, rmode, 20000);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fpu-host");
    TCase *tc = tcase_create("host-sse");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, random_cases_agree_with_host_sse, 0, 2); /* single, double */
    suite_add_tcase(s, tc);
    return unit_run_suite(s, true);
}
