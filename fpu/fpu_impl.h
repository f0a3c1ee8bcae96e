/* Internals shared by the fpu/ sources: format parameters, unpacked values,
 * NaN processing and the one rounding function (FPRoundBase). */
#ifndef NESTOR_FPU_FPU_IMPL_H
#define NESTOR_FPU_FPU_IMPL_H

#include "fpu/fpu.h"

typedef unsigned __int128 u128;

/* Encoding parameters of one format. */
typedef struct FPFormat {
    unsigned bits;      /* container width */
    unsigned exp_bits;  /* E */
    unsigned frac_bits; /* F */
    int min_exp;        /* unbiased exponent of the smallest normal */
    uint32_t fz_bit;    /* the FPCR bit that flushes its denormals: FZ or FZ16 */
    bool is_half;       /* IEEE half: FZ16 flushing raises no IDC; AHP applies */
} FPFormat;

extern const FPFormat fp_formats[3]; /* indexed by FPSize */
extern const FPFormat fp_bfloat16;   /* single's range, 7 fraction bits, in 16 bits */

typedef enum FPType { FPT_ZERO, FPT_NONZERO, FPT_INF, FPT_QNAN, FPT_SNAN } FPType;

/* What FPUnpack returns. For FPT_NONZERO the value is mant * 2^exp, mant being
 * the integer significand (hidden bit included, denormals not normalised). */
typedef struct FPValue {
    FPType type;
    bool sign;
    int exp;
    uint64_t mant;
} FPValue;

/* A real number (-1)^sign * mant * 2^exp as computed before rounding. Results
 * that are not exact carry a sticky 1 in bit 0 and at least 60 significant
 * bits, so the rounding point lies well above it. */
typedef struct FPReal {
    bool sign;
    int exp;
    u128 mant;
} FPReal;

static inline bool fp_is_nan(FPType t) { return t == FPT_QNAN || t == FPT_SNAN; }
static inline void fp_raise(FPCtx *c, uint32_t flags) { c->fpsr |= flags; }
static inline uint64_t fp_mask(unsigned bits) { return bits >= 64 ? ~0ull : (1ull << bits) - 1; }
static inline const FPFormat *fp_format(FPSize sz) { return &fp_formats[sz]; }

static inline uint64_t fp_pack(const FPFormat *f, bool sign, uint64_t biased_exp, uint64_t frac)
{
    return (uint64_t)sign << (f->bits - 1) | biased_exp << f->frac_bits | frac;
}
static inline uint64_t fp_zero(const FPFormat *f, bool sign) { return fp_pack(f, sign, 0, 0); }
static inline uint64_t fp_infinity(const FPFormat *f, bool sign)
{
    return fp_pack(f, sign, fp_mask(f->exp_bits), 0);
}
static inline uint64_t fp_max_normal(const FPFormat *f, bool sign)
{
    return fp_pack(f, sign, fp_mask(f->exp_bits) - 1, fp_mask(f->frac_bits));
}
static inline uint64_t fp_default_nan(const FPFormat *f)
{
    return fp_pack(f, false, fp_mask(f->exp_bits), 1ull << (f->frac_bits - 1));
}
/* +-2^k for small k >= 0 (FPTwo, FPOnePointFive's exponent, ...). */
static inline uint64_t fp_power_of_two(const FPFormat *f, bool sign, int k)
{
    return fp_pack(f, sign, (uint64_t)(k - f->min_exp + 1), 0);
}

/* FPUnpackBase with the given FPCR; fp_unpack is FPUnpack (ignores AHP,
 * observes FZ16), fp_unpack_cv is FPUnpackCV (observes AHP, ignores FZ16). */
FPValue fp_unpack_base(FPCtx *c, const FPFormat *f, uint64_t bits, uint32_t fpcr);
static inline FPValue fp_unpack(FPCtx *c, const FPFormat *f, uint64_t bits)
{
    return fp_unpack_base(c, f, bits, c->fpcr & ~FPCR_AHP);
}
static inline FPValue fp_unpack_cv(FPCtx *c, const FPFormat *f, uint64_t bits)
{
    return fp_unpack_base(c, f, bits, c->fpcr & ~FPCR_FZ16);
}

uint64_t fp_process_nan(FPCtx *c, const FPFormat *f, FPType type, uint64_t bits);
/* FPProcessNaNs / FPProcessNaNs3: true (and *result set) if an operand is a NaN. */
bool fp_process_nans(FPCtx *c, const FPFormat *f, const FPValue *v1, const FPValue *v2,
                     uint64_t op1, uint64_t op2, uint64_t *result);
bool fp_process_nans3(FPCtx *c, const FPFormat *f, const FPValue *v1, const FPValue *v2,
                      const FPValue *v3, uint64_t op1, uint64_t op2, uint64_t op3, uint64_t *result);

/* Whether a magnitude whose discarded part is (half, sticky) rounds up. */
bool fp_round_up(FPRounding rounding, bool sign, bool lsb_odd, bool half, bool sticky);

/* FPRoundBase: r.mant must be nonzero. fp_round is FPRound (ignores AHP),
 * fp_round_cv is FPRoundCV (observes AHP, ignores FZ16). */
uint64_t fp_round_base(FPCtx *c, const FPFormat *f, uint32_t fpcr, FPRounding rounding, FPReal r);
static inline uint64_t fp_round(FPCtx *c, const FPFormat *f, FPRounding rounding, FPReal r)
{
    return fp_round_base(c, f, c->fpcr & ~FPCR_AHP, rounding, r);
}
static inline uint64_t fp_round_cv(FPCtx *c, const FPFormat *f, FPRounding rounding, FPReal r)
{
    return fp_round_base(c, f, c->fpcr & ~FPCR_FZ16, rounding, r);
}

/* Rounds a sum per FPCR; an exact zero sum of nonzero or opposite-signed
 * terms is -0 only when rounding toward minus infinity. */
static inline uint64_t fp_round_sum(FPCtx *c, const FPFormat *f, FPReal r)
{
    FPRounding rounding = fpu_rounding_mode(c);
    if (r.mant == 0)
        return fp_zero(f, rounding == FP_ROUND_NEGINF);
    return fp_round(c, f, rounding, r);
}

/* Exact real arithmetic on unpacked values (sticky where noted above). */
static inline FPReal fp_real(const FPValue *v)
{
    return (FPReal){v->sign, v->exp, v->type == FPT_NONZERO ? v->mant : 0};
}
FPReal fp_real_add(FPReal a, FPReal b);
static inline FPReal fp_real_mul(const FPValue *a, const FPValue *b)
{
    return (FPReal){a->sign != b->sign, a->exp + b->exp, (u128)a->mant * b->mant};
}

/* Host fast path (fast.c): true with *res set, and FPSR.IXC raised if inexact,
 * when the host computes the same bits as the pseudocode; false to take the
 * soft-float path. fpu_fast_enabled = false forces the soft path (tests). */
extern bool fpu_fast_enabled;
bool fpu_fast_add(FPCtx *c, FPSize sz, uint64_t a, uint64_t b, bool subtract, uint64_t *res);
bool fpu_fast_mul(FPCtx *c, FPSize sz, uint64_t a, uint64_t b, uint64_t *res);
bool fpu_fast_div(FPCtx *c, FPSize sz, uint64_t a, uint64_t b, uint64_t *res);
bool fpu_fast_muladd(FPCtx *c, FPSize sz, uint64_t addend, uint64_t op1, uint64_t op2, uint64_t *res);
/* n FP32 or FP64 FPMulAdds at once (fpu_muladd_lanes), all or nothing:
 * false leaves res and c alone. */
bool fpu_fast_muladd_n(FPCtx *c, FPSize sz, unsigned n, uint64_t *res, const uint64_t *addend,
                       const uint64_t *op1, const uint64_t *op2);

#endif
