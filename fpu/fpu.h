/* Bit-exact AArch64 floating point, following the Arm ARM pseudocode
 * (DDI 0487, shared/functions/float). The slow path behind every scalar FP and
 * AdvSIMD instruction: a JIT may use host SSE for the common cases, and must
 * agree with this library bit for bit, FPSR flags included.
 *
 * Values travel as raw encodings in the low bits of a uint64_t (half: 16 bits,
 * single: 32, double: 64; upper bits are ignored on input and zero on output).
 * Every operation reads FPCR and ORs cumulative exception flags into FPSR
 * through an FPCtx. Nestor implements no FP exception trapping: the trap-enable
 * bits of FPCR are RAZ/WI (FPCR_WRITABLE), so every exception only sets its
 * cumulative flag. FEAT_AFP (FPCR.AH/FIZ/NEP) and FEAT_RPRES are not modelled. */
#ifndef NESTOR_FPU_FPU_H
#define NESTOR_FPU_FPU_H

#include <stdbool.h>
#include <stdint.h>

/* FPCR fields (DDI 0487 C5.2.8). */
#define FPCR_IOE (1u << 8) /* trap enables: RAZ/WI in Nestor */
#define FPCR_DZE (1u << 9)
#define FPCR_OFE (1u << 10)
#define FPCR_UFE (1u << 11)
#define FPCR_IXE (1u << 12)
#define FPCR_IDE (1u << 15)
#define FPCR_FZ16 (1u << 19) /* flush half-precision denormals (no IDC) */
#define FPCR_RMODE_SHIFT 22
#define FPCR_RMODE (3u << FPCR_RMODE_SHIFT)
#define FPCR_FZ (1u << 24)  /* flush single/double denormals */
#define FPCR_DN (1u << 25)  /* NaN results are the default NaN */
#define FPCR_AHP (1u << 26) /* alternative half-precision format in conversions */
#define FPCR_WRITABLE (FPCR_AHP | FPCR_DN | FPCR_FZ | FPCR_RMODE | FPCR_FZ16)

/* FPSR cumulative flags (DDI 0487 C5.2.10). */
#define FPSR_IOC (1u << 0) /* invalid operation */
#define FPSR_DZC (1u << 1) /* divide by zero */
#define FPSR_OFC (1u << 2) /* overflow */
#define FPSR_UFC (1u << 3) /* underflow */
#define FPSR_IXC (1u << 4) /* inexact */
#define FPSR_IDC (1u << 7) /* input denormal flushed to zero */
#define FPSR_QC (1u << 27) /* AdvSIMD saturation (not set by this library) */
#define FPSR_WRITABLE (FPSR_IOC | FPSR_DZC | FPSR_OFC | FPSR_UFC | FPSR_IXC | FPSR_IDC | FPSR_QC)

typedef struct FPCtx {
    uint32_t fpcr;
    uint32_t fpsr;
} FPCtx;

/* The pseudocode's FPRounding; the first four equal FPCR.RMode's encodings. */
typedef enum FPRounding {
    FP_ROUND_TIEEVEN,
    FP_ROUND_POSINF,
    FP_ROUND_NEGINF,
    FP_ROUND_ZERO,
    FP_ROUND_TIEAWAY,
    FP_ROUND_ODD,
} FPRounding;

/* Operand precision; the value is log2(size in bytes) - 1. */
typedef enum FPSize { FP16, FP32, FP64 } FPSize;

static inline FPRounding fpu_rounding_mode(const FPCtx *c)
{
    return (FPRounding)((c->fpcr & FPCR_RMODE) >> FPCR_RMODE_SHIFT);
}

/* Sign-bit operations: no flags, NaNs are not quietened (FPNeg, FPAbs). */
uint64_t fpu_neg(FPSize sz, uint64_t a);
uint64_t fpu_abs(FPSize sz, uint64_t a);

/* Arithmetic, rounded per FPCR.RMode. */
uint64_t fpu_add(FPCtx *c, FPSize sz, uint64_t a, uint64_t b);
uint64_t fpu_sub(FPCtx *c, FPSize sz, uint64_t a, uint64_t b);
uint64_t fpu_mul(FPCtx *c, FPSize sz, uint64_t a, uint64_t b);
uint64_t fpu_mulx(FPCtx *c, FPSize sz, uint64_t a, uint64_t b); /* FMULX: inf * 0 = +-2 */
uint64_t fpu_div(FPCtx *c, FPSize sz, uint64_t a, uint64_t b);
uint64_t fpu_sqrt(FPCtx *c, FPSize sz, uint64_t a);
/* FPMulAdd: addend + op1 * op2 with one rounding. FMSUB/FNMADD/FNMSUB are this
 * with fpu_neg applied to op1 and/or the addend first, as in the pseudocode. */
uint64_t fpu_muladd(FPCtx *c, FPSize sz, uint64_t addend, uint64_t op1, uint64_t op2);
/* n independent fpu_muladd calls (AdvSIMD lanes): the same results and FPSR
 * flags, faster. res may be addend. */
void fpu_muladd_lanes(FPCtx *c, FPSize sz, unsigned n, uint64_t *res, const uint64_t *addend,
                      const uint64_t *op1, const uint64_t *op2);
/* FPMulAddH (FMLAL/FMLSL, FEAT_FHM): single addend + half op1 * half op2,
 * one rounding to single. */
uint32_t fpu_muladd_h(FPCtx *c, uint32_t addend, uint16_t op1, uint16_t op2);

/* FMAX/FMIN propagate NaNs; FMAXNM/FMINNM prefer a number to one quiet NaN. */
uint64_t fpu_max(FPCtx *c, FPSize sz, uint64_t a, uint64_t b);
uint64_t fpu_min(FPCtx *c, FPSize sz, uint64_t a, uint64_t b);
uint64_t fpu_maxnum(FPCtx *c, FPSize sz, uint64_t a, uint64_t b);
uint64_t fpu_minnum(FPCtx *c, FPSize sz, uint64_t a, uint64_t b);

/* FCMP (signal_nans = false) / FCMPE (true): returns NZCV in bits 3:0
 * (N = 8, Z = 4, C = 2, V = 1): 0110 equal, 1000 less, 0010 greater, 0011 unordered. */
unsigned fpu_compare(FPCtx *c, FPSize sz, uint64_t a, uint64_t b, bool signal_nans);
/* AdvSIMD FCMEQ/FCMGE/FCMGT (FCMLE/FCMLT swap the operands). EQ signals only
 * on signalling NaNs, GE/GT on any NaN. */
bool fpu_compare_eq(FPCtx *c, FPSize sz, uint64_t a, uint64_t b);
bool fpu_compare_ge(FPCtx *c, FPSize sz, uint64_t a, uint64_t b);
bool fpu_compare_gt(FPCtx *c, FPSize sz, uint64_t a, uint64_t b);

/* FCVT between precisions (FPConvert): half input/output observes FPCR.AHP and
 * ignores FZ16. FCVTXN is FP64 -> FP32 with FP_ROUND_ODD. */
uint64_t fpu_convert(FPCtx *c, FPSize to, FPSize from, uint64_t a, FPRounding rounding);
/* BFCVT: single to BFloat16, rounded per FPCR.RMode. */
uint16_t fpu_to_bf16(FPCtx *c, uint32_t a);

/* FCVT{N,M,P,Z,A}{S,U} and their fixed-point forms (FPToFixed): converts to an
 * int_bits-wide (16, 32 or 64) integer scaled by 2^fbits, saturating with IOC.
 * The result is in the low int_bits bits, zero-extended. */
uint64_t fpu_to_fixed(FPCtx *c, FPSize sz, uint64_t a, unsigned int_bits, unsigned fbits,
                      bool is_unsigned, FPRounding rounding);
/* SCVTF/UCVTF (FixedToFP): the low int_bits bits of v, divided by 2^fbits. */
uint64_t fpu_from_fixed(FPCtx *c, FPSize sz, uint64_t v, unsigned int_bits, unsigned fbits,
                        bool is_unsigned, FPRounding rounding);
/* FJCVTZS: double to int32 modulo 2^32, toward zero; *z is the Z flag (exact
 * and in range). */
uint32_t fpu_to_int32_js(FPCtx *c, uint64_t a, bool *z);

/* FRINT{N,M,P,Z,A} (exact = false), FRINTI (FPCR rounding), FRINTX (exact = true:
 * IXC when the value changes). */
uint64_t fpu_round_int(FPCtx *c, FPSize sz, uint64_t a, FPRounding rounding, bool exact);
/* FRINT32{Z,X}/FRINT64{Z,X} (FPRoundIntN), FP32 and FP64 only: out-of-range
 * values, infinities and NaNs give the most negative int_bits integer with IOC. */
uint64_t fpu_round_int_n(FPCtx *c, FPSize sz, uint64_t a, FPRounding rounding, unsigned int_bits);

/* FRECPE, FRSQRTE (8-bit estimates), FRECPX (exponent reciprocal),
 * FRECPS (2 - a*b) and FRSQRTS ((3 - a*b) / 2), fused. */
uint64_t fpu_recip_estimate(FPCtx *c, FPSize sz, uint64_t a);
uint64_t fpu_rsqrt_estimate(FPCtx *c, FPSize sz, uint64_t a);
uint64_t fpu_recpx(FPCtx *c, FPSize sz, uint64_t a);
uint64_t fpu_recip_step(FPCtx *c, FPSize sz, uint64_t a, uint64_t b);
uint64_t fpu_rsqrt_step(FPCtx *c, FPSize sz, uint64_t a, uint64_t b);
/* URECPE/URSQRTE on one 32-bit element (no flags). */
uint32_t fpu_unsigned_recip_estimate(uint32_t a);
uint32_t fpu_unsigned_rsqrt_estimate(uint32_t a);

#endif
