/* Host fast path for FPAdd/FPSub/FPMul/FPDiv/FPMulAdd on single and double.
 *
 * When FPCR.RMode is round-to-nearest-even, and every operand is zero or
 * normal, and the host's round-to-nearest result is a normal number well away
 * from both ends of the exponent range, IEEE 754 (the host) and the Arm ARM
 * pseudocode (FPRound, DDI 0487 shared/functions/float) give the same bits:
 * - FZ only changes denormal operands and results, none of which occur here;
 *   DN only NaN results; a zero operand changes nothing unless the exact result
 *   is zero, which fails the result check (so the sign-of-zero rules never
 *   matter);
 * - overflow and underflow cannot happen (Arm detects tininess before rounding
 *   and x86 after, so the result check keeps a wide margin above the smallest
 *   normal); the only possible exception is Inexact -> FPSR.IXC.
 * Inexactness is found with error-free transformations (TwoSum, exact products
 * in wider precision, FMA residuals) rather than host flags, except for the
 * double fused multiply-add, which reads MXCSR.PE. Anything else returns false
 * and the caller runs the bit-exact soft-float path. tests/unit/test_fpu_fast.c
 * compares the two on random and boundary operands.
 *
 * Host assumptions: IEEE binary32/binary64 evaluated without excess precision
 * (FLT_EVAL_METHOD 0) in round-to-nearest with no flush-to-zero (the process
 * default); FMA3 instructions only when the CPU reports them. This file must
 * not be compiled with FP contraction into FMA (it is not: no FMA target). */
#include <float.h>
#include <string.h>

#include "fpu/fpu_impl.h"

bool fpu_fast_enabled = true;

#if FLT_EVAL_METHOD == 0 && defined(__x86_64__)

static inline float as_f32(uint64_t x)
{
    uint32_t u = (uint32_t)x;
    float f;
    memcpy(&f, &u, 4);
    return f;
}
static inline uint32_t f32_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}
static inline double as_f64(uint64_t x)
{
    double d;
    memcpy(&d, &x, 8);
    return d;
}
static inline uint64_t f64_bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}

/* Operand classes: zero, or normal (biased exponent neither 0 nor all ones). */
static inline bool in32(uint64_t x)
{
    uint32_t e = (uint32_t)x >> 23 & 0xff;
    return e - 1u < 0xfeu || ((uint32_t)x & 0x7fffffffu) == 0;
}
static inline bool in64(uint64_t x)
{
    uint64_t e = x >> 52 & 0x7ff;
    return e - 1u < 0x7feu || (x & 0x7fffffffffffffffull) == 0;
}

/* Results: biased exponent in [F + 8, max - 2]: far enough above the denormal
 * range that no tininess question arises and FMA/TwoSum residuals are exact,
 * and below the top binade so that no intermediate overflows. */
static inline bool out32(uint32_t r)
{
    uint32_t e = r >> 23 & 0xff;
    return e - 31u <= 0xfdu - 31u;
}
static inline bool out64(uint64_t r)
{
    uint64_t e = r >> 52 & 0x7ff;
    return e - 60u <= 0x7fdu - 60u;
}
/* Stricter operand check for the residual-based tests (mul/div of doubles,
 * div of singles): operand also far from the denormal range. */
static inline bool big64(uint64_t x) { return (x >> 52 & 0x7ff) >= 60; }

static inline bool fast_mode(const FPCtx *c)
{
    return fpu_fast_enabled && (c->fpcr & FPCR_RMODE) == 0; /* RN */
}

static inline bool host_fma(void) { return __builtin_cpu_supports("fma"); }

/* acc + x * y rounded once (FMA3), evaluated by the asm so that no compiler
 * contraction or reordering is involved. */
static inline double fma64(double acc, double x, double y)
{
    __asm__("vfmadd231sd %[y], %[x], %[acc]" : [acc] "+x"(acc) : [x] "x"(x), [y] "x"(y));
    return acc;
}

/* Knuth's TwoSum: s + err == x + y exactly, when nothing overflows. */
#define TWO_SUM_ERR(T, x, y, s) \
    ({ T bb_ = (s) - (x); ((x) - ((s) - bb_)) + ((y) - bb_); })

bool fpu_fast_add(FPCtx *c, FPSize sz, uint64_t a, uint64_t b, bool subtract, uint64_t *res)
{
    if (!fast_mode(c))
        return false;
    if (sz == FP32) {
        if (!in32(a) || !in32(b))
            return false;
        float x = as_f32(a), y = as_f32(b);
        if (subtract)
            y = -y;
        float s = x + y;
        uint32_t r = f32_bits(s);
        if (!out32(r))
            return false;
        if (TWO_SUM_ERR(float, x, y, s) != 0.0f)
            fp_raise(c, FPSR_IXC);
        *res = r;
        return true;
    }
    if (sz == FP64) {
        if (!in64(a) || !in64(b))
            return false;
        double x = as_f64(a), y = as_f64(b);
        if (subtract)
            y = -y;
        double s = x + y;
        uint64_t r = f64_bits(s);
        if (!out64(r))
            return false;
        if (TWO_SUM_ERR(double, x, y, s) != 0.0)
            fp_raise(c, FPSR_IXC);
        *res = r;
        return true;
    }
    return false;
}

bool fpu_fast_mul(FPCtx *c, FPSize sz, uint64_t a, uint64_t b, uint64_t *res)
{
    if (!fast_mode(c))
        return false;
    if (sz == FP32) {
        if (!in32(a) || !in32(b))
            return false;
        /* A product of two singles is exact in double: one rounding to single. */
        double p = (double)as_f32(a) * (double)as_f32(b);
        float r = (float)p;
        uint32_t rb = f32_bits(r);
        if (!out32(rb))
            return false;
        if ((double)r != p)
            fp_raise(c, FPSR_IXC);
        *res = rb;
        return true;
    }
    if (sz == FP64 && host_fma()) {
        if (!big64(a) || !big64(b) || !in64(a) || !in64(b))
            return false;
        double x = as_f64(a), y = as_f64(b);
        double p = x * y;
        uint64_t r = f64_bits(p);
        if (!out64(r))
            return false;
        /* x*y - p is a double (no underflow here) and the FMA computes it exactly. */
        if (fma64(-p, x, y) != 0.0)
            fp_raise(c, FPSR_IXC);
        *res = r;
        return true;
    }
    return false;
}

bool fpu_fast_div(FPCtx *c, FPSize sz, uint64_t a, uint64_t b, uint64_t *res)
{
    if (!fast_mode(c))
        return false;
    if (sz == FP32) {
        if ((a >> 23 & 0xff) < 31 || !in32(a) || !in32(b) || ((uint32_t)b & 0x7fffffffu) == 0)
            return false;
        float x = as_f32(a), y = as_f32(b);
        float q = x / y;
        uint32_t r = f32_bits(q);
        if (!out32(r))
            return false;
        /* q*y is exact in double; the quotient is exact iff it gives x back. */
        if ((double)q * (double)y != (double)x)
            fp_raise(c, FPSR_IXC);
        *res = r;
        return true;
    }
    if (sz == FP64 && host_fma()) {
        if (!big64(a) || !big64(b) || !in64(a) || !in64(b))
            return false;
        double x = as_f64(a), y = as_f64(b);
        double q = x / y;
        uint64_t r = f64_bits(q);
        if (!out64(r))
            return false;
        /* The remainder x - q*y of a round-to-nearest quotient is a double
         * (no underflow here), computed exactly by the FMA. */
        if (fma64(-x, q, y) != 0.0)
            fp_raise(c, FPSR_IXC);
        *res = r;
        return true;
    }
    return false;
}

bool fpu_fast_muladd(FPCtx *c, FPSize sz, uint64_t addend, uint64_t op1, uint64_t op2, uint64_t *res)
{
    if (!fast_mode(c))
        return false;
    if (sz == FP32) {
        if (!in32(addend) || !in32(op1) || !in32(op2))
            return false;
        /* The product is exact in double and TwoSum gives the exact sum as
         * s + e. Rounding s to single is the single rounding of the exact sum
         * unless e != 0 and s sits exactly on a midpoint between two singles
         * (double rounding): then take the slow path. */
        double p = (double)as_f32(op1) * (double)as_f32(op2), d = (double)as_f32(addend);
        double s = p + d;
        double e = TWO_SUM_ERR(double, p, d, s);
        uint64_t sb = f64_bits(s);
        if (e != 0.0 && (sb & 0x1fffffffull) == 0x10000000ull)
            return false;
        float r = (float)s;
        uint32_t rb = f32_bits(r);
        if (!out32(rb))
            return false;
        if (e != 0.0 || (double)r != s)
            fp_raise(c, FPSR_IXC);
        *res = rb;
        return true;
    }
    /* No cheap exactness test for a fused double: the one-lane case of the
     * batched path, which reads MXCSR.PE. */
    if (sz == FP64)
        return fpu_fast_muladd_n(c, sz, 1, res, &addend, &op1, &op2);
    return false;
}

bool fpu_fast_muladd_n(FPCtx *c, FPSize sz, unsigned n, uint64_t *res, const uint64_t *addend,
                       const uint64_t *op1, const uint64_t *op2)
{
    if (!fast_mode(c) || !host_fma() || n > 16 || sz == FP16)
        return false;
    for (unsigned i = 0; i < n; i++)
        if (sz == FP32 ? !in32(addend[i]) || !in32(op1[i]) || !in32(op2[i])
                       : !in64(addend[i]) || !in64(op1[i]) || !in64(op2[i]))
            return false;
    /* One MXCSR.PE clear and read for all lanes (volatile asm keeps the
     * order): FPSR flags are cumulative, so the instruction's IXC is the OR
     * over its lanes, and nothing is needed when FPSR.IXC is already set. */
    uint32_t csr = 0;
    uint64_t r[16];
    bool want_pe = !(c->fpsr & FPSR_IXC);
    if (want_pe) {
        __asm__ volatile("stmxcsr %0" : "=m"(csr));
        if (csr & 0x20) {
            csr &= ~0x20u;
            __asm__ volatile("ldmxcsr %0" : : "m"(csr));
        }
    }
    if (sz == FP32) {
        for (unsigned i = 0; i < n; i++) {
            float acc = as_f32(addend[i]), x = as_f32(op1[i]), y = as_f32(op2[i]);
            __asm__ volatile("vfmadd231ss %[y], %[x], %[acc]" : [acc] "+x"(acc) : [x] "x"(x), [y] "x"(y));
            r[i] = f32_bits(acc);
        }
    } else {
        for (unsigned i = 0; i < n; i++) {
            double acc = as_f64(addend[i]), x = as_f64(op1[i]), y = as_f64(op2[i]);
            __asm__ volatile("vfmadd231sd %[y], %[x], %[acc]" : [acc] "+x"(acc) : [x] "x"(x), [y] "x"(y));
            r[i] = f64_bits(acc);
        }
    }
    if (want_pe)
        __asm__ volatile("stmxcsr %0" : "=m"(csr));
    for (unsigned i = 0; i < n; i++)
        if (sz == FP32 ? !out32((uint32_t)r[i]) : !out64(r[i]))
            return false;
    memcpy(res, r, n * sizeof r[0]);
    if (csr & 0x20)
        fp_raise(c, FPSR_IXC);
    return true;
}

#else /* no host fast path: always the soft-float path */

bool fpu_fast_muladd_n(FPCtx *c, FPSize sz, unsigned n, uint64_t *res, const uint64_t *addend,
                       const uint64_t *op1, const uint64_t *op2)
{
    (void)c, (void)sz, (void)n, (void)res, (void)addend, (void)op1, (void)op2;
    return false;
}

bool fpu_fast_add(FPCtx *c, FPSize sz, uint64_t a, uint64_t b, bool subtract, uint64_t *res)
{
    (void)c, (void)sz, (void)a, (void)b, (void)subtract, (void)res;
    return false;
}
bool fpu_fast_mul(FPCtx *c, FPSize sz, uint64_t a, uint64_t b, uint64_t *res)
{
    (void)c, (void)sz, (void)a, (void)b, (void)res;
    return false;
}
bool fpu_fast_div(FPCtx *c, FPSize sz, uint64_t a, uint64_t b, uint64_t *res)
{
    (void)c, (void)sz, (void)a, (void)b, (void)res;
    return false;
}
bool fpu_fast_muladd(FPCtx *c, FPSize sz, uint64_t addend, uint64_t op1, uint64_t op2, uint64_t *res)
{
    (void)c, (void)sz, (void)addend, (void)op1, (void)op2, (void)res;
    return false;
}

#endif
