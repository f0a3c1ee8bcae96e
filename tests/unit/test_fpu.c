/* fpu/: targeted cases from the Arm ARM pseudocode (NaN rules, FZ, rounding,
 * overflow, saturation, estimates, conversions). */
#include <check.h>
#include <stdlib.h>

#include "fpu/fpu.h"
#include "unit_main.h"

/* FPCR values */
#define RN 0u
#define RP (1u << FPCR_RMODE_SHIFT)
#define RM (2u << FPCR_RMODE_SHIFT)
#define RZ (3u << FPCR_RMODE_SHIFT)

/* Single-precision encodings */
#define S_ONE 0x3f800000u
#define S_TWO 0x40000000u
#define S_HALF 0x3f000000u
#define S_INF 0x7f800000u
#define S_MAX 0x7f7fffffu
#define S_MIN_NORMAL 0x00800000u
#define S_DENORMAL 0x00000001u
#define S_DEFAULT_NAN 0x7fc00000u
#define S_NEG(x) ((x) | 0x80000000u)

/* Evaluates expr (which may use the FPCtx *c) under fpcr and checks the
 * result and the FPSR flags it raised. */
#define CHECK(fpcr, expr, want, want_flags)                                                              \
    do {                                                                                                 \
        FPCtx ctx_ = {(fpcr), 0};                                                                        \
        FPCtx *c = &ctx_;                                                                                \
        uint64_t got_ = (uint64_t)(expr);                                                                \
        ck_assert_msg(got_ == (uint64_t)(want) && ctx_.fpsr == (uint32_t)(want_flags),                   \
                      "%s (fpcr %#x): got %#llx flags %#x, want %#llx flags %#x", #expr, (unsigned)(fpcr), \
                      (unsigned long long)got_, ctx_.fpsr, (unsigned long long)(want),                  \
                      (unsigned)(want_flags));                                                           \
    } while (0)

START_TEST(nan_propagation_order)
{
    /* Signalling before quiet, then first operand before second. */
    CHECK(RN, fpu_add(c, FP32, 0x7fc00001, 0x7f800002), 0x7fc00002, FPSR_IOC);
    CHECK(RN, fpu_add(c, FP32, 0x7fc00001, 0xffc00002), 0x7fc00001, 0);
    CHECK(RN, fpu_add(c, FP32, 0xff800003, 0x7f800002), 0xffc00003, FPSR_IOC);
    CHECK(RN, fpu_sub(c, FP64, 0x3ff0000000000000, 0x7ff0000000000001), 0x7ff8000000000001, FPSR_IOC);
    CHECK(RN, fpu_mul(c, FP16, 0x3c00, 0x7c01), 0x7e01, FPSR_IOC);
    /* FPMulAdd(addend, op1, op2): addend first, signalling NaNs first. */
    CHECK(RN, fpu_muladd(c, FP32, 0x7fc00005, 0x7f800006, S_ONE), 0x7fc00006, FPSR_IOC);
    CHECK(RN, fpu_muladd(c, FP32, 0x7fc00005, 0x7fc00007, S_ONE), 0x7fc00005, 0);
    CHECK(RN, fpu_muladd(c, FP32, S_ONE, 0x7fc00007, 0x7f800008), 0x7fc00008, FPSR_IOC);
    /* inf * 0 + qNaN is invalid: the default NaN, not the addend. */
    CHECK(RN, fpu_muladd(c, FP32, 0x7fc00005, S_INF, 0), S_DEFAULT_NAN, FPSR_IOC);
    CHECK(RN, fpu_muladd(c, FP32, 0x7f800005, S_INF, 0), 0x7fc00005, FPSR_IOC);
    /* FPNeg/FPAbs touch only the sign, even of a signalling NaN. */
    ck_assert_uint_eq(fpu_neg(FP32, 0x7f800001), 0xff800001);
    ck_assert_uint_eq(fpu_abs(FP64, 0xfff0000000000001), 0x7ff0000000000001);
    /* FRECPS negates its first operand before looking for NaNs. */
    CHECK(RN, fpu_recip_step(c, FP32, 0x7fc00001, S_ONE), 0xffc00001, 0);
}
END_TEST

START_TEST(default_nan)
{
    CHECK(FPCR_DN, fpu_add(c, FP32, 0xffc12345, S_ONE), S_DEFAULT_NAN, 0);
    CHECK(FPCR_DN, fpu_add(c, FP32, 0x7f812345, S_ONE), S_DEFAULT_NAN, FPSR_IOC);
    /* Invalid operations give the positive default NaN whatever FPCR.DN says. */
    CHECK(RN, fpu_sub(c, FP32, S_INF, S_INF), S_DEFAULT_NAN, FPSR_IOC);
    CHECK(RN, fpu_mul(c, FP64, 0xfff0000000000000, 0), 0x7ff8000000000000, FPSR_IOC);
    CHECK(RN, fpu_div(c, FP16, 0, 0x8000), 0x7e00, FPSR_IOC);
    CHECK(RN, fpu_sqrt(c, FP32, S_NEG(S_ONE)), S_DEFAULT_NAN, FPSR_IOC);
}
END_TEST

START_TEST(flush_to_zero)
{
    /* A flushed input reports IDC and keeps its sign. */
    CHECK(FPCR_FZ, fpu_add(c, FP32, S_DENORMAL, 0), 0, FPSR_IDC);
    CHECK(FPCR_FZ, fpu_add(c, FP32, S_NEG(S_DENORMAL), S_NEG(0)), S_NEG(0), FPSR_IDC);
    CHECK(FPCR_FZ | RM, fpu_add(c, FP32, S_NEG(S_DENORMAL), 0), S_NEG(0), FPSR_IDC);
    CHECK(FPCR_FZ, fpu_compare(c, FP64, 1, 0, false), 0x6, FPSR_IDC);
    CHECK(FPCR_FZ, fpu_div(c, FP32, S_ONE, S_DENORMAL), S_INF, FPSR_IDC | FPSR_DZC);
    /* A denormal result is flushed before rounding, raising UFC but not IXC. */
    CHECK(RN, fpu_mul(c, FP32, S_MIN_NORMAL, S_HALF), 0x00400000, 0);
    CHECK(FPCR_FZ, fpu_mul(c, FP32, S_MIN_NORMAL, S_HALF), 0, FPSR_UFC);
    /* (1 - 2^-24) * 2^-126 rounds to the smallest normal, but it is tiny
     * before rounding: Arm raises UFC (x86 would not), and FZ flushes it. */
    CHECK(RN, fpu_mul(c, FP32, 0x3f7fffff, S_MIN_NORMAL), S_MIN_NORMAL, FPSR_UFC | FPSR_IXC);
    CHECK(FPCR_FZ, fpu_mul(c, FP32, 0x3f7fffff, S_MIN_NORMAL), 0, FPSR_UFC);
    CHECK(RN, fpu_mul(c, FP32, 0x00800001, S_HALF), 0x00400000, FPSR_UFC | FPSR_IXC);
    /* Half precision follows FZ16, and its input flushing is silent. */
    CHECK(FPCR_FZ16, fpu_add(c, FP16, 0x0001, 0), 0, 0);
    CHECK(FPCR_FZ, fpu_add(c, FP16, 0x0001, 0), 0x0001, 0);
    CHECK(FPCR_FZ, fpu_mul(c, FP16, 0x0400, 0x3800), 0x0200, 0);
    CHECK(FPCR_FZ16, fpu_mul(c, FP16, 0x0400, 0x3800), 0, FPSR_UFC);
    /* Conversions ignore FZ16 but flush single and double per FZ. */
    CHECK(FPCR_FZ16, fpu_convert(c, FP16, FP64, 0x3eb0000000000000, FP_ROUND_TIEEVEN), 0x0010, 0);
    CHECK(FPCR_FZ16, fpu_convert(c, FP32, FP16, 0x0001, FP_ROUND_TIEEVEN), 0x33800000, 0);
    CHECK(FPCR_FZ, fpu_convert(c, FP64, FP32, S_DENORMAL, FP_ROUND_TIEEVEN), 0, FPSR_IDC);
}
END_TEST

START_TEST(rounding_modes_at_ties)
{
    /* 1 + 2^-24 is halfway between 1 and the next single. */
    CHECK(RN, fpu_add(c, FP32, S_ONE, 0x33800000), S_ONE, FPSR_IXC);
    CHECK(RP, fpu_add(c, FP32, S_ONE, 0x33800000), S_ONE + 1, FPSR_IXC);
    CHECK(RM, fpu_add(c, FP32, S_ONE, 0x33800000), S_ONE, FPSR_IXC);
    CHECK(RZ, fpu_add(c, FP32, S_ONE, 0x33800000), S_ONE, FPSR_IXC);
    CHECK(RN, fpu_add(c, FP32, S_ONE + 1, 0x33800000), S_ONE + 2, FPSR_IXC);
    CHECK(RN, fpu_add(c, FP32, S_NEG(S_ONE), S_NEG(0x33800000)), S_NEG(S_ONE), FPSR_IXC);
    CHECK(RP, fpu_add(c, FP32, S_NEG(S_ONE), S_NEG(0x33800000)), S_NEG(S_ONE), FPSR_IXC);
    CHECK(RM, fpu_add(c, FP32, S_NEG(S_ONE), S_NEG(0x33800000)), S_NEG(S_ONE + 1), FPSR_IXC);
    CHECK(RZ, fpu_add(c, FP32, S_NEG(S_ONE), S_NEG(0x33800000)), S_NEG(S_ONE), FPSR_IXC);
    /* Round to integral: 2.5 and -2.5. */
    const uint32_t p25 = 0x40200000, m25 = 0xc0200000;
    CHECK(RN, fpu_round_int(c, FP32, p25, FP_ROUND_TIEEVEN, false), S_TWO, 0);
    CHECK(RN, fpu_round_int(c, FP32, p25, FP_ROUND_TIEAWAY, false), 0x40400000, 0);
    CHECK(RN, fpu_round_int(c, FP32, m25, FP_ROUND_TIEAWAY, false), 0xc0400000, 0);
    CHECK(RN, fpu_round_int(c, FP32, p25, FP_ROUND_TIEEVEN, true), S_TWO, FPSR_IXC);
    CHECK(RN, fpu_round_int(c, FP32, S_NEG(S_HALF), FP_ROUND_TIEEVEN, false), S_NEG(0), 0);
    CHECK(RN, fpu_round_int(c, FP32, S_NEG(S_HALF), FP_ROUND_POSINF, false), S_NEG(0), 0);
    CHECK(RN, fpu_round_int(c, FP32, S_NEG(S_HALF), FP_ROUND_NEGINF, false), S_NEG(S_ONE), 0);
    CHECK(RN, fpu_to_fixed(c, FP32, p25, 32, 0, false, FP_ROUND_TIEAWAY), 3, FPSR_IXC);
    CHECK(RN, fpu_to_fixed(c, FP32, p25, 32, 0, false, FP_ROUND_TIEEVEN), 2, FPSR_IXC);
    CHECK(RN, fpu_to_fixed(c, FP32, m25, 32, 0, false, FP_ROUND_TIEEVEN), 0xfffffffe, FPSR_IXC);
    CHECK(RN, fpu_to_fixed(c, FP32, m25, 32, 0, false, FP_ROUND_TIEAWAY), 0xfffffffd, FPSR_IXC);
    /* BFCVT rounds per FPCR too. */
    CHECK(RN, fpu_to_bf16(c, 0x3f808000), 0x3f80, FPSR_IXC);
    CHECK(RN, fpu_to_bf16(c, 0x3f818000), 0x3f82, FPSR_IXC);
    CHECK(RZ, fpu_to_bf16(c, 0x3f81ffff), 0x3f81, FPSR_IXC);
    /* FCVTXN rounds to odd. */
    CHECK(RN, fpu_convert(c, FP32, FP64, 0x3ff0000004000000, FP_ROUND_ODD), S_ONE + 1, FPSR_IXC);
}
END_TEST

START_TEST(overflow_depends_on_rounding)
{
    const uint32_t inexact_overflow = FPSR_OFC | FPSR_IXC;
    CHECK(RN, fpu_mul(c, FP32, S_MAX, S_TWO), S_INF, inexact_overflow);
    CHECK(RP, fpu_mul(c, FP32, S_MAX, S_TWO), S_INF, inexact_overflow);
    CHECK(RM, fpu_mul(c, FP32, S_MAX, S_TWO), S_MAX, inexact_overflow);
    CHECK(RZ, fpu_mul(c, FP32, S_MAX, S_TWO), S_MAX, inexact_overflow);
    CHECK(RN, fpu_mul(c, FP32, S_NEG(S_MAX), S_TWO), S_NEG(S_INF), inexact_overflow);
    CHECK(RP, fpu_mul(c, FP32, S_NEG(S_MAX), S_TWO), S_NEG(S_MAX), inexact_overflow);
    CHECK(RM, fpu_mul(c, FP32, S_NEG(S_MAX), S_TWO), S_NEG(S_INF), inexact_overflow);
    CHECK(RZ, fpu_mul(c, FP32, S_NEG(S_MAX), S_TWO), S_NEG(S_MAX), inexact_overflow);
    CHECK(RN, fpu_add(c, FP64, 0x7fefffffffffffff, 0x7fefffffffffffff), 0x7ff0000000000000, inexact_overflow);
    CHECK(RN, fpu_convert(c, FP32, FP64, 0x7e37e43c8800759c, FP_ROUND_ODD), S_MAX, inexact_overflow);
    CHECK(RN, fpu_to_bf16(c, S_MAX), 0x7f80, inexact_overflow);
    /* 65535 to half: up to infinity (overflow), or just down to the largest half. */
    CHECK(RN, fpu_from_fixed(c, FP16, 65535, 32, 0, true, FP_ROUND_TIEEVEN), 0x7c00, inexact_overflow);
    CHECK(RN, fpu_from_fixed(c, FP16, 65535, 32, 0, true, FP_ROUND_ZERO), 0x7bff, FPSR_IXC);
}
END_TEST

START_TEST(min_max_and_signed_zeros)
{
    const uint32_t qnan = S_DEFAULT_NAN;
    CHECK(RN, fpu_min(c, FP32, S_ONE, qnan), qnan, 0);
    CHECK(RN, fpu_minnum(c, FP32, S_ONE, qnan), S_ONE, 0);
    CHECK(RN, fpu_maxnum(c, FP32, qnan, S_ONE), S_ONE, 0);
    CHECK(RN, fpu_maxnum(c, FP32, qnan, S_NEG(S_INF)), S_NEG(S_INF), 0);
    CHECK(RN, fpu_minnum(c, FP32, S_ONE, 0x7f800001), 0x7fc00001, FPSR_IOC);
    CHECK(RN, fpu_minnum(c, FP32, 0x7fc00001, 0x7fc00002), 0x7fc00001, 0);
    CHECK(RN, fpu_min(c, FP32, 0, S_NEG(0)), S_NEG(0), 0);
    CHECK(RN, fpu_min(c, FP32, S_NEG(0), 0), S_NEG(0), 0);
    CHECK(RN, fpu_max(c, FP32, 0, S_NEG(0)), 0, 0);
    CHECK(RN, fpu_max(c, FP32, S_NEG(0), 0), 0, 0);
    CHECK(RN, fpu_compare(c, FP32, 0, S_NEG(0), true), 0x6, 0);
    CHECK(RN, fpu_compare(c, FP32, S_NEG(S_ONE), 0, false), 0x8, 0);
    CHECK(RN, fpu_compare(c, FP32, S_ONE, S_NEG(0), false), 0x2, 0);
    CHECK(RN, fpu_compare(c, FP32, qnan, S_ONE, false), 0x3, 0);
    CHECK(RN, fpu_compare(c, FP32, qnan, S_ONE, true), 0x3, FPSR_IOC);
    CHECK(RN, fpu_compare(c, FP32, 0x7f800001, S_ONE, false), 0x3, FPSR_IOC);
    CHECK(RN, fpu_compare_eq(c, FP32, 0, S_NEG(0)), true, 0);
    CHECK(RN, fpu_compare_eq(c, FP32, qnan, qnan), false, 0);
    CHECK(RN, fpu_compare_ge(c, FP32, qnan, S_ONE), false, FPSR_IOC);
    CHECK(RN, fpu_compare_gt(c, FP16, 0x3c00, 0xbc00), true, 0);
    /* Exact zero sums are +0 except when rounding toward minus infinity. */
    CHECK(RN, fpu_add(c, FP32, 0, S_NEG(0)), 0, 0);
    CHECK(RM, fpu_add(c, FP32, 0, S_NEG(0)), S_NEG(0), 0);
    CHECK(RN, fpu_sub(c, FP32, S_ONE, S_ONE), 0, 0);
    CHECK(RM, fpu_sub(c, FP32, S_ONE, S_ONE), S_NEG(0), 0);
    CHECK(RP, fpu_add(c, FP32, S_NEG(0), S_NEG(0)), S_NEG(0), 0);
    CHECK(RN, fpu_muladd(c, FP32, S_NEG(0), 0, S_NEG(S_ONE)), S_NEG(0), 0);
    CHECK(RN, fpu_sqrt(c, FP32, S_NEG(0)), S_NEG(0), 0);
}
END_TEST

START_TEST(float_to_int_saturates)
{
    CHECK(RN, fpu_to_fixed(c, FP32, 0x4f32d05e, 32, 0, false, FP_ROUND_ZERO), 0x7fffffff, FPSR_IOC);
    CHECK(RN, fpu_to_fixed(c, FP32, 0xcf32d05e, 32, 0, false, FP_ROUND_ZERO), 0x80000000, FPSR_IOC);
    CHECK(RN, fpu_to_fixed(c, FP32, 0x4f000000, 32, 0, false, FP_ROUND_ZERO), 0x7fffffff, FPSR_IOC);
    CHECK(RN, fpu_to_fixed(c, FP32, 0xcf000000, 32, 0, false, FP_ROUND_ZERO), 0x80000000, 0);
    CHECK(RN, fpu_to_fixed(c, FP32, S_DEFAULT_NAN, 32, 0, false, FP_ROUND_ZERO), 0, FPSR_IOC);
    CHECK(RN, fpu_to_fixed(c, FP32, S_INF, 64, 0, false, FP_ROUND_ZERO), 0x7fffffffffffffff, FPSR_IOC);
    CHECK(RN, fpu_to_fixed(c, FP32, S_NEG(S_INF), 32, 0, true, FP_ROUND_ZERO), 0, FPSR_IOC);
    CHECK(RN, fpu_to_fixed(c, FP32, S_NEG(S_ONE), 32, 0, true, FP_ROUND_ZERO), 0, FPSR_IOC);
    CHECK(RN, fpu_to_fixed(c, FP32, S_NEG(S_HALF), 32, 0, true, FP_ROUND_ZERO), 0, FPSR_IXC);
    CHECK(RN, fpu_to_fixed(c, FP64, 0x43e0000000000000, 64, 0, false, FP_ROUND_ZERO), 0x7fffffffffffffff, FPSR_IOC);
    CHECK(RN, fpu_to_fixed(c, FP64, 0xc3e0000000000000, 64, 0, false, FP_ROUND_ZERO), 0x8000000000000000, 0);
    CHECK(RN, fpu_to_fixed(c, FP64, 0x43f0000000000000, 64, 0, true, FP_ROUND_ZERO), ~0ull, FPSR_IOC);
    CHECK(RN, fpu_to_fixed(c, FP64, 0x43efffffffffffff, 64, 0, true, FP_ROUND_ZERO), 0xfffffffffffff800, 0);
    /* Fixed point: 1.5 * 2^1, and 1.5 * 2^32 out of range. */
    CHECK(RN, fpu_to_fixed(c, FP32, 0x3fc00000, 32, 1, false, FP_ROUND_ZERO), 3, 0);
    CHECK(RN, fpu_to_fixed(c, FP32, 0x3fc00000, 32, 32, false, FP_ROUND_ZERO), 0x7fffffff, FPSR_IOC);
    /* Half to 16-bit integers (AdvSIMD). */
    CHECK(RN, fpu_to_fixed(c, FP16, 0x7bff, 16, 0, false, FP_ROUND_ZERO), 0x7fff, FPSR_IOC);
    CHECK(RN, fpu_to_fixed(c, FP16, 0x7bff, 16, 0, true, FP_ROUND_ZERO), 0xffe0, 0);
    /* And back. */
    CHECK(RN, fpu_from_fixed(c, FP32, 0x7fffffff, 32, 0, false, FP_ROUND_TIEEVEN), 0x4f000000, FPSR_IXC);
    CHECK(RN, fpu_from_fixed(c, FP32, 0x7fffffff, 32, 0, false, FP_ROUND_ZERO), 0x4effffff, FPSR_IXC);
    CHECK(RN, fpu_from_fixed(c, FP32, 0x80000000, 32, 0, false, FP_ROUND_TIEEVEN), 0xcf000000, 0);
    CHECK(RN, fpu_from_fixed(c, FP64, 1, 64, 64, true, FP_ROUND_TIEEVEN), 0x3bf0000000000000, 0);
    CHECK(RN, fpu_from_fixed(c, FP32, 0, 64, 3, false, FP_ROUND_NEGINF), 0, 0);
}
END_TEST

START_TEST(round_to_int_n)
{
    CHECK(RN, fpu_round_int_n(c, FP32, 0x4f000000, FP_ROUND_ZERO, 32), 0xcf000000, FPSR_IOC);
    CHECK(RN, fpu_round_int_n(c, FP32, 0xcf000000, FP_ROUND_ZERO, 32), 0xcf000000, 0);
    CHECK(RN, fpu_round_int_n(c, FP32, 0x40200000, FP_ROUND_ZERO, 32), S_TWO, FPSR_IXC);
    CHECK(RN, fpu_round_int_n(c, FP32, S_NEG(S_HALF), FP_ROUND_ZERO, 32), S_NEG(0), FPSR_IXC);
    CHECK(RN, fpu_round_int_n(c, FP32, S_DEFAULT_NAN, FP_ROUND_ZERO, 32), 0xcf000000, FPSR_IOC);
    CHECK(RN, fpu_round_int_n(c, FP64, 0x7ff0000000000000, FP_ROUND_ZERO, 64), 0xc3e0000000000000, FPSR_IOC);
    CHECK(RN, fpu_round_int_n(c, FP64, 0x43e0000000000000, FP_ROUND_ZERO, 64), 0xc3e0000000000000, FPSR_IOC);
    /* 2^31 - 0.5 rounds to even, out of range (no IXC then), or toward zero. */
    CHECK(RN, fpu_round_int_n(c, FP64, 0x41dfffffffe00000, FP_ROUND_TIEEVEN, 32), 0xc1e0000000000000, FPSR_IOC);
    CHECK(RN, fpu_round_int_n(c, FP64, 0x41dfffffffe00000, FP_ROUND_ZERO, 32), 0x41dfffffffc00000, FPSR_IXC);
}
END_TEST

START_TEST(reciprocal_estimates)
{
    const uint32_t overflow = FPSR_OFC | FPSR_IXC;
    CHECK(RN, fpu_recip_estimate(c, FP32, S_ONE), 0x3f7f8000, 0);
    CHECK(RN, fpu_recip_estimate(c, FP32, S_TWO), 0x3eff8000, 0);
    CHECK(RN, fpu_recip_estimate(c, FP32, S_DENORMAL), S_INF, overflow);
    CHECK(RZ, fpu_recip_estimate(c, FP32, S_DENORMAL), S_MAX, overflow);
    CHECK(RP, fpu_recip_estimate(c, FP32, S_NEG(S_DENORMAL)), S_NEG(S_MAX), overflow);
    CHECK(RM, fpu_recip_estimate(c, FP32, S_NEG(S_DENORMAL)), S_NEG(S_INF), overflow);
    CHECK(FPCR_FZ, fpu_recip_estimate(c, FP32, S_DENORMAL), S_INF, FPSR_DZC | FPSR_IDC);
    CHECK(RN, fpu_recip_estimate(c, FP32, 0x00200000), 0x7f7f8000, 0); /* 2^-128: just fits */
    CHECK(RN, fpu_recip_estimate(c, FP32, S_NEG(0)), S_NEG(S_INF), FPSR_DZC);
    CHECK(RN, fpu_recip_estimate(c, FP32, S_NEG(S_INF)), S_NEG(0), 0);
    CHECK(RN, fpu_recip_estimate(c, FP32, 0x7e800000), 0x007fc000, 0); /* denormal result */
    CHECK(FPCR_FZ, fpu_recip_estimate(c, FP32, 0x7e800000), 0, FPSR_UFC);
    CHECK(RN, fpu_rsqrt_estimate(c, FP32, S_ONE), 0x3f7f8000, 0);
    CHECK(RN, fpu_rsqrt_estimate(c, FP32, S_TWO), 0x3f348000, 0);
    CHECK(RN, fpu_rsqrt_estimate(c, FP32, S_NEG(S_ONE)), S_DEFAULT_NAN, FPSR_IOC);
    CHECK(RN, fpu_rsqrt_estimate(c, FP32, S_NEG(0)), S_NEG(S_INF), FPSR_DZC);
    CHECK(RN, fpu_rsqrt_estimate(c, FP32, S_INF), 0, 0);
    CHECK(FPCR_FZ, fpu_rsqrt_estimate(c, FP32, S_DENORMAL), S_INF, FPSR_DZC | FPSR_IDC);
    CHECK(RN, fpu_recpx(c, FP32, S_ONE), S_TWO, 0);
    CHECK(RN, fpu_recpx(c, FP32, S_NEG(0)), 0xff000000, 0);
    CHECK(RN, fpu_recpx(c, FP32, S_DENORMAL), 0x7f000000, 0);
    CHECK(RN, fpu_recpx(c, FP32, S_INF), 0, 0);
    CHECK(RN, fpu_recpx(c, FP32, 0x7f800001), 0x7fc00001, FPSR_IOC);
    ck_assert_uint_eq(fpu_unsigned_recip_estimate(0x80000000), 0xff800000);
    ck_assert_uint_eq(fpu_unsigned_recip_estimate(0x7fffffff), 0xffffffff);
    ck_assert_uint_eq(fpu_unsigned_rsqrt_estimate(0x40000000), 0xff800000);
    ck_assert_uint_eq(fpu_unsigned_rsqrt_estimate(0x3fffffff), 0xffffffff);
    /* Newton steps and FMULX: inf * 0 gives 2 (or 1.5), not a NaN. */
    CHECK(RN, fpu_recip_step(c, FP32, S_INF, 0), S_TWO, 0);
    CHECK(RN, fpu_rsqrt_step(c, FP32, 0, S_NEG(S_INF)), 0x3fc00000, 0);
    CHECK(RN, fpu_recip_step(c, FP32, S_TWO, S_HALF), S_ONE, 0);
    CHECK(RN, fpu_rsqrt_step(c, FP32, 0x40400000, S_ONE), 0, 0);
    CHECK(RM, fpu_rsqrt_step(c, FP32, 0x40400000, S_ONE), S_NEG(0), 0);
    CHECK(RN, fpu_mulx(c, FP32, S_INF, S_NEG(0)), S_NEG(S_TWO), 0);
    CHECK(RN, fpu_mulx(c, FP16, 0x0000, 0xfc00), 0xc000, 0);
}
END_TEST

START_TEST(javascript_conversion)
{
    bool z;
    CHECK(RN, fpu_to_int32_js(c, 0x3ff0000000000000, &z), 1, 0);
    ck_assert(z);
    CHECK(RN, fpu_to_int32_js(c, 0x3ff8000000000000, &z), 1, FPSR_IXC);
    ck_assert(!z);
    CHECK(RN, fpu_to_int32_js(c, 0xbff0000000000000, &z), 0xffffffff, 0);
    ck_assert(z);
    CHECK(RN, fpu_to_int32_js(c, 0x8000000000000000, &z), 0, 0); /* -0 is not exact */
    ck_assert(!z);
    CHECK(RN, fpu_to_int32_js(c, 0x41f0000000500000, &z), 5, FPSR_IOC); /* 2^32 + 5: modulo */
    ck_assert(!z);
    CHECK(RN, fpu_to_int32_js(c, 0x41e0000000000000, &z), 0x80000000, FPSR_IOC);
    ck_assert(!z);
    CHECK(RN, fpu_to_int32_js(c, 0xc1e0000000000000, &z), 0x80000000, 0);
    ck_assert(z);
    CHECK(RN, fpu_to_int32_js(c, 0x7ff0000000000000, &z), 0, FPSR_IOC);
    ck_assert(!z);
    CHECK(RN, fpu_to_int32_js(c, 0x7ff8000000000000, &z), 0, FPSR_IOC);
    ck_assert(!z);
    CHECK(RN, fpu_to_int32_js(c, 1, &z), 0, FPSR_IXC);
    ck_assert(!z);
    /* A flushed denormal is 0.0, but not exactly +0 (QEMU 7.2 sets Z here). */
    CHECK(FPCR_FZ, fpu_to_int32_js(c, 1, &z), 0, FPSR_IDC);
    ck_assert(!z);
}
END_TEST

START_TEST(half_precision_formats)
{
    const FPRounding rn = FP_ROUND_TIEEVEN;
    /* 2^16 is infinity in IEEE half but a number in the alternative format. */
    CHECK(RN, fpu_convert(c, FP16, FP32, 0x47800000, rn), 0x7c00, FPSR_OFC | FPSR_IXC);
    CHECK(FPCR_AHP, fpu_convert(c, FP16, FP32, 0x47800000, rn), 0x7c00, 0);
    CHECK(FPCR_AHP, fpu_convert(c, FP16, FP32, 0x48000000, rn), 0x7fff, FPSR_IOC);
    CHECK(FPCR_AHP, fpu_convert(c, FP16, FP32, 0xffc00000, rn), 0x8000, FPSR_IOC);
    CHECK(FPCR_AHP, fpu_convert(c, FP16, FP32, S_NEG(S_INF), rn), 0xffff, FPSR_IOC);
    CHECK(FPCR_AHP, fpu_convert(c, FP32, FP16, 0x7fff, rn), 0x47ffe000, 0);
    CHECK(RN, fpu_convert(c, FP32, FP16, 0x7c00, rn), S_INF, 0);
    /* Arithmetic ignores AHP. */
    CHECK(FPCR_AHP, fpu_add(c, FP16, 0x7c00, 0), 0x7c00, 0);
    /* NaN payloads keep their top bits across precisions. */
    CHECK(RN, fpu_convert(c, FP32, FP64, 0x7ff4000000000000, rn), 0x7fe00000, FPSR_IOC);
    CHECK(RN, fpu_convert(c, FP32, FP64, 0x7ff0000000000001, rn), S_DEFAULT_NAN, FPSR_IOC);
    CHECK(RN, fpu_convert(c, FP64, FP32, 0x7f800001, rn), 0x7ff8000020000000, FPSR_IOC);
    CHECK(RN, fpu_convert(c, FP32, FP16, 0x7d01, rn), 0x7fe02000, FPSR_IOC);
    CHECK(RN, fpu_to_bf16(c, 0x7f800001), 0x7fc0, FPSR_IOC);
    CHECK(FPCR_FZ, fpu_to_bf16(c, S_DENORMAL), 0, FPSR_IDC);
}
END_TEST

START_TEST(division_by_zero)
{
    CHECK(RN, fpu_div(c, FP32, S_ONE, 0), S_INF, FPSR_DZC);
    CHECK(RN, fpu_div(c, FP32, S_ONE, S_NEG(0)), S_NEG(S_INF), FPSR_DZC);
    CHECK(RN, fpu_div(c, FP32, S_INF, 0), S_INF, 0);
    CHECK(RN, fpu_div(c, FP64, 0x3ff0000000000000, 0x4008000000000000), 0x3fd5555555555555, FPSR_IXC);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fpu");
    TCase *tc = tcase_create("arm-rules");
    tcase_add_test(tc, nan_propagation_order);
    tcase_add_test(tc, default_nan);
    tcase_add_test(tc, flush_to_zero);
    tcase_add_test(tc, rounding_modes_at_ties);
    tcase_add_test(tc, overflow_depends_on_rounding);
    tcase_add_test(tc, min_max_and_signed_zeros);
    tcase_add_test(tc, float_to_int_saturates);
    tcase_add_test(tc, round_to_int_n);
    tcase_add_test(tc, reciprocal_estimates);
    tcase_add_test(tc, javascript_conversion);
    tcase_add_test(tc, half_precision_formats);
    tcase_add_test(tc, division_by_zero);
    suite_add_tcase(s, tc);
    return unit_run_suite(s, true);
}
