/* Conversions: FPConvert, FPConvertBF, FPToFixed, FixedToFP, FPToFixedJS,
 * FPRoundInt and FPRoundIntN. */
#include "fpu/fpu_impl.h"

/* FPConvertNaN: keeps the sign and the payload's top bits, and quietens. */
static uint64_t convert_nan(const FPFormat *from, const FPFormat *to, uint64_t bits)
{
    bool sign = (bits >> (from->bits - 1)) & 1;
    uint64_t payload = (bits & fp_mask(from->frac_bits - 1)) << (52 - from->frac_bits);
    uint64_t frac = 1ull << (to->frac_bits - 1) | payload >> (52 - to->frac_bits);
    return fp_pack(to, sign, fp_mask(to->exp_bits), frac);
}

uint64_t fpu_convert(FPCtx *c, FPSize to, FPSize from, uint64_t a, FPRounding rounding)
{
    const FPFormat *fin = fp_format(from), *fout = fp_format(to);
    FPValue v = fp_unpack_cv(c, fin, a);
    /* The alternative half format has neither NaNs nor infinities. */
    bool alt_hp = fout->is_half && (c->fpcr & FPCR_AHP);
    switch (v.type) {
    case FPT_QNAN:
    case FPT_SNAN:
        if (v.type == FPT_SNAN || alt_hp)
            fp_raise(c, FPSR_IOC);
        if (alt_hp)
            return fp_zero(fout, v.sign);
        return c->fpcr & FPCR_DN ? fp_default_nan(fout) : convert_nan(fin, fout, a);
    case FPT_INF:
        if (alt_hp) {
            fp_raise(c, FPSR_IOC);
            return fp_pack(fout, v.sign, fp_mask(fout->exp_bits), fp_mask(fout->frac_bits));
        }
        return fp_infinity(fout, v.sign);
    case FPT_ZERO:
        return fp_zero(fout, v.sign);
    case FPT_NONZERO:
        break;
    }
    return fp_round_cv(c, fout, rounding, fp_real(&v));
}

uint16_t fpu_to_bf16(FPCtx *c, uint32_t a)
{
    const FPFormat *f = fp_format(FP32);
    FPValue v = fp_unpack(c, f, a);
    switch (v.type) {
    case FPT_QNAN:
    case FPT_SNAN:
        if (v.type == FPT_SNAN)
            fp_raise(c, FPSR_IOC);
        return (uint16_t)((c->fpcr & FPCR_DN ? fp_default_nan(f) : convert_nan(f, f, a)) >> 16);
    case FPT_INF:
        return (uint16_t)fp_infinity(&fp_bfloat16, v.sign);
    case FPT_ZERO:
        return (uint16_t)fp_zero(&fp_bfloat16, v.sign);
    case FPT_NONZERO:
        break;
    }
    return (uint16_t)fp_round(c, &fp_bfloat16, fpu_rounding_mode(c), fp_real(&v));
}

/* |value| * 2^scale split into its integer part and the discarded fraction;
 * huge means at least 2^64 (integer then unset). */
typedef struct {
    bool huge;
    u128 integer;
    bool half, sticky;
} IntSplit;

static IntSplit split_integer(const FPValue *v, int scale)
{
    IntSplit s = {0};
    int e = v->exp + scale;
    if (e >= 64) {
        s.huge = true;
    } else if (e >= 0) {
        s.integer = (u128)v->mant << e; /* mant < 2^53 */
    } else if (e < -64) {
        s.sticky = true;
    } else {
        int n = -e;
        s.integer = n == 64 ? 0 : v->mant >> n;
        uint64_t below = n == 64 ? v->mant : v->mant & fp_mask(n);
        s.half = (below >> (n - 1)) & 1;
        s.sticky = (below & fp_mask(n - 1)) != 0;
    }
    return s;
}

/* The magnitude rounded to an integer; *inexact reports a discarded fraction. */
static u128 round_split(const IntSplit *s, FPRounding rounding, bool sign, bool *inexact)
{
    *inexact = s->half || s->sticky;
    return s->integer + fp_round_up(rounding, sign, s->integer & 1, s->half, s->sticky);
}

uint64_t fpu_to_fixed(FPCtx *c, FPSize sz, uint64_t a, unsigned int_bits, unsigned fbits,
                      bool is_unsigned, FPRounding rounding)
{
    FPValue v = fp_unpack(c, fp_format(sz), a);
    if (fp_is_nan(v.type)) {
        fp_raise(c, FPSR_IOC);
        return 0;
    }
    if (v.type == FPT_ZERO)
        return 0;
    bool overflow = v.type == FPT_INF, inexact = false;
    u128 mag = 0;
    if (!overflow) {
        IntSplit s = split_integer(&v, (int)fbits);
        overflow = s.huge;
        mag = round_split(&s, rounding, v.sign, &inexact);
    }
    u128 max_pos = ((u128)1 << (int_bits - !is_unsigned)) - 1;
    u128 max_neg = is_unsigned ? 0 : (u128)1 << (int_bits - 1);
    if (overflow || mag > (v.sign ? max_neg : max_pos)) {
        fp_raise(c, FPSR_IOC);
        mag = v.sign ? max_neg : max_pos;
    } else if (inexact) {
        fp_raise(c, FPSR_IXC);
    }
    uint64_t result = (uint64_t)mag;
    return (v.sign ? -result : result) & fp_mask(int_bits);
}

uint64_t fpu_from_fixed(FPCtx *c, FPSize sz, uint64_t v, unsigned int_bits, unsigned fbits,
                        bool is_unsigned, FPRounding rounding)
{
    v &= fp_mask(int_bits);
    bool sign = !is_unsigned && (v >> (int_bits - 1)) & 1;
    uint64_t mag = sign ? -v & fp_mask(int_bits) : v;
    if (mag == 0)
        return fp_zero(fp_format(sz), false);
    return fp_round(c, fp_format(sz), rounding, (FPReal){sign, -(int)fbits, mag});
}

uint32_t fpu_to_int32_js(FPCtx *c, uint64_t a, bool *z)
{
    FPValue v = fp_unpack(c, fp_format(FP64), a);
    *z = false;
    if (fp_is_nan(v.type) || v.type == FPT_INF) {
        fp_raise(c, FPSR_IOC);
        return 0;
    }
    if (v.type == FPT_ZERO) {
        /* Only +0 itself is exact: -0 and a flushed denormal are not. */
        *z = !v.sign && (a & fp_mask(52)) == 0;
        return 0;
    }
    bool inexact;
    IntSplit s = split_integer(&v, 0);
    u128 mag = round_split(&s, FP_ROUND_ZERO, v.sign, &inexact);
    /* At 2^64 and above the low 32 bits of the integer are zero. */
    uint32_t low = s.huge ? 0 : (uint32_t)mag;
    if (s.huge || mag > (v.sign ? 1ull << 31 : (1ull << 31) - 1))
        fp_raise(c, FPSR_IOC);
    else if (inexact)
        fp_raise(c, FPSR_IXC);
    else
        *z = true;
    return v.sign ? -low : low;
}

uint64_t fpu_round_int(FPCtx *c, FPSize sz, uint64_t a, FPRounding rounding, bool exact)
{
    const FPFormat *f = fp_format(sz);
    FPValue v = fp_unpack(c, f, a);
    if (fp_is_nan(v.type))
        return fp_process_nan(c, f, v.type, a);
    if (v.type == FPT_INF)
        return fp_infinity(f, v.sign);
    if (v.type == FPT_ZERO || v.exp >= 0) /* zero, or already integral */
        return v.type == FPT_ZERO ? fp_zero(f, v.sign) : fp_round(c, f, FP_ROUND_ZERO, fp_real(&v));
    bool inexact;
    IntSplit s = split_integer(&v, 0);
    u128 mag = round_split(&s, rounding, v.sign, &inexact);
    if (inexact && exact)
        fp_raise(c, FPSR_IXC);
    if (mag == 0)
        return fp_zero(f, v.sign);
    return fp_round(c, f, FP_ROUND_ZERO, (FPReal){v.sign, 0, mag});
}

uint64_t fpu_round_int_n(FPCtx *c, FPSize sz, uint64_t a, FPRounding rounding, unsigned int_bits)
{
    const FPFormat *f = fp_format(sz);
    FPValue v = fp_unpack(c, f, a);
    uint64_t most_negative = fp_power_of_two(f, true, (int)int_bits - 1);
    if (fp_is_nan(v.type) || v.type == FPT_INF) {
        fp_raise(c, FPSR_IOC);
        return most_negative;
    }
    if (v.type == FPT_ZERO)
        return fp_zero(f, v.sign);
    bool inexact;
    IntSplit s = split_integer(&v, 0);
    u128 mag = round_split(&s, rounding, v.sign, &inexact);
    u128 limit = ((u128)1 << (int_bits - 1)) - !v.sign;
    if (s.huge || mag > limit) {
        fp_raise(c, FPSR_IOC); /* and no IXC */
        return most_negative;
    }
    if (inexact)
        fp_raise(c, FPSR_IXC);
    if (mag == 0)
        return fp_zero(f, v.sign);
    return fp_round(c, f, FP_ROUND_ZERO, (FPReal){v.sign, 0, mag});
}
