/*
 * Data processing (register): shifted and extended operands, logical ops
 * with inverted operand, ADC/SBC, conditional compare and select (every
 * condition against every flag state), multiplies, divides, variable
 * shifts, bit/byte reversal, counting and CRC32.  Results and NZCV are
 * printed and checked against C models of the Arm ARM pseudo-code.
 */
#include "testlib.h"

/* ---- operand-2 models ---- */
enum operand_kind { LSL, LSR, ASR, ROR, UXTB, UXTH, UXTW, UXTX, SXTB, SXTH, SXTW, SXTX };
enum alu_op { ADD, ADDS, SUB, SUBS, AND, BIC, ORR, ORN, EOR, EON, ANDS, BICS };

static uint64_t width_mask(unsigned bits) { return bits == 64 ? ~0ul : 0xfffffffful; }

static uint64_t sign_extend(uint64_t v, unsigned from_bits)
{
    uint64_t sign = 1ul << (from_bits - 1);
    v &= from_bits == 64 ? ~0ul : (sign << 1) - 1;
    return (v ^ sign) - sign;
}

static uint64_t shift_model(uint64_t v, enum operand_kind kind, unsigned amount, unsigned bits)
{
    v &= width_mask(bits);
    if (amount == 0)
        return v;
    switch (kind) {
    case LSL: return (v << amount) & width_mask(bits);
    case LSR: return v >> amount;
    case ASR: return (uint64_t)((int64_t)sign_extend(v, bits) >> amount) & width_mask(bits);
    default:  return ((v >> amount) | (v << (bits - amount))) & width_mask(bits);
    }
}

static uint64_t operand2_model(uint64_t m, enum operand_kind kind, unsigned amount, unsigned bits)
{
    static const unsigned ext_bits[] = { 8, 16, 32, 64 };
    uint64_t v;

    if (kind <= ROR)
        return shift_model(m, kind, amount, bits);
    if (kind <= UXTX)
        v = kind == UXTX ? m : m & ((1ul << ext_bits[kind - UXTB]) - 1);
    else
        v = sign_extend(m, ext_bits[kind - SXTB]);
    return (v << amount) & width_mask(bits);
}

static uint64_t alu_model(enum alu_op op, uint64_t n, uint64_t m2, unsigned bits, unsigned *nzcv)
{
    uint64_t mask = width_mask(bits), r;
    unsigned flags;

    switch (op) {
    case ADD: case ADDS: return add_with_carry(n, m2, 0, bits, nzcv);
    case SUB: case SUBS: return add_with_carry(n, ~m2, 1, bits, nzcv);
    case AND: case ANDS: r = n & m2; break;
    case BIC: case BICS: r = n & ~m2; break;
    case ORR: r = n | m2; break;
    case ORN: r = n | ~m2; break;
    case EOR: r = n ^ m2; break;
    default:  r = n ^ ~m2; break; /* EON */
    }
    r &= mask;
    flags = ((r >> (bits - 1)) & 1 ? FLAG_N : 0) | (r == 0 ? FLAG_Z : 0);
    *nzcv = flags;
    return r;
}

static bool sets_flags(enum alu_op op)
{
    return op == ADDS || op == SUBS || op == ANDS || op == BICS;
}

struct reg_case {
    const char *name;
    op2_fn fn;
    enum alu_op op;
    enum operand_kind kind;
    unsigned amount, bits;
};

static void run_reg_cases(const struct reg_case *cases, size_t n_cases, const uint64_t *ns,
                          size_t n_ns, const uint64_t *ms, size_t n_ms)
{
    const unsigned flags_in = FLAG_Z | FLAG_V; /* non-S forms must keep these */

    for (size_t i = 0; i < n_cases; i++) {
        const struct reg_case *c = &cases[i];
        for (size_t j = 0; j < n_ns; j++)
            for (size_t k = 0; k < n_ms; k++) {
                uint64_t f = flags_in;
                uint64_t d = c->fn(ns[j], ms[k], &f);
                unsigned want_f;
                uint64_t want = alu_model(c->op, ns[j], operand2_model(ms[k], c->kind, c->amount,
                                                                        c->bits),
                                          c->bits, &want_f);
                printf("%s %016lx %016lx -> %016lx %lx\n", c->name, ns[j], ms[k], d, f);
                CHECK_EQ(c->name, d, want);
                CHECK_EQ(c->name, f, sets_flags(c->op) ? want_f : flags_in);
            }
    }
}

static const uint64_t small_ns[] = {
    0x0000000000000000, 0xffffffffffffffff, 0x8000000000000000, 0x000000007fffffff,
};
static const uint64_t small_ms[] = {
    0x0000000000000001, 0xffffffffffffff80, 0x0000000080007fff, 0x0123456789abcdef,
};

/* ---- ADD/SUB (shifted register) ---- */
#define ADDSUB_SHIFTED(X)                                                          \
    X(w, "lsl #0", w_lsl0, LSL, 0, 32) X(w, "lsl #31", w_lsl31, LSL, 31, 32)        \
    X(w, "lsr #1", w_lsr1, LSR, 1, 32) X(w, "asr #31", w_asr31, ASR, 31, 32)        \
    X(x, "lsl #0", x_lsl0, LSL, 0, 64) X(x, "lsl #63", x_lsl63, LSL, 63, 64)        \
    X(x, "lsr #63", x_lsr63, LSR, 63, 64) X(x, "asr #32", x_asr32, ASR, 32, 64)
#define DEF_ADDSUB_SHIFTED(r, sh, id, kind, amt, bits)                              \
    DEF_OP2(add_##id, "add %" #r "[d], %" #r "[n], %" #r "[m], " sh)                 \
    DEF_OP2(adds_##id, "adds %" #r "[d], %" #r "[n], %" #r "[m], " sh)               \
    DEF_OP2(sub_##id, "sub %" #r "[d], %" #r "[n], %" #r "[m], " sh)                 \
    DEF_OP2(subs_##id, "subs %" #r "[d], %" #r "[n], %" #r "[m], " sh)
ADDSUB_SHIFTED(DEF_ADDSUB_SHIFTED)
#define ADDSUB_SHIFTED_ENTRY(r, sh, id, kind, amt, bits)                            \
    { "add " #r " " sh, add_##id, ADD, kind, amt, bits },                           \
    { "adds " #r " " sh, adds_##id, ADDS, kind, amt, bits },                        \
    { "sub " #r " " sh, sub_##id, SUB, kind, amt, bits },                           \
    { "subs " #r " " sh, subs_##id, SUBS, kind, amt, bits },
static const struct reg_case addsub_shifted[] = { ADDSUB_SHIFTED(ADDSUB_SHIFTED_ENTRY) };

/* ---- ADD/SUB (extended register): Rm is W unless the extension is UXTX/SXTX of an X op ---- */
#define ADDSUB_EXTENDED(X)                                                         \
    X(x, w, "uxtb #0", x_uxtb0, UXTB, 0, 64) X(x, w, "uxth #1", x_uxth1, UXTH, 1, 64) \
    X(x, w, "uxtw #2", x_uxtw2, UXTW, 2, 64) X(x, x, "uxtx #3", x_uxtx3, UXTX, 3, 64) \
    X(x, w, "sxtb #4", x_sxtb4, SXTB, 4, 64) X(x, w, "sxth #0", x_sxth0, SXTH, 0, 64) \
    X(x, w, "sxtw #1", x_sxtw1, SXTW, 1, 64) X(x, x, "sxtx #2", x_sxtx2, SXTX, 2, 64) \
    X(w, w, "uxtb #1", w_uxtb1, UXTB, 1, 32) X(w, w, "uxth #4", w_uxth4, UXTH, 4, 32) \
    X(w, w, "uxtw #0", w_uxtw0, UXTW, 0, 32) X(w, w, "uxtx #1", w_uxtx1, UXTX, 1, 32) \
    X(w, w, "sxtb #2", w_sxtb2, SXTB, 2, 32) X(w, w, "sxth #3", w_sxth3, SXTH, 3, 32) \
    X(w, w, "sxtw #4", w_sxtw4, SXTW, 4, 32) X(w, w, "sxtx #0", w_sxtx0, SXTX, 0, 32)
#define DEF_ADDSUB_EXT(r, rm, ext, id, kind, amt, bits)                             \
    DEF_OP2(add_##id, "add %" #r "[d], %" #r "[n], %" #rm "[m], " ext)               \
    DEF_OP2(adds_##id, "adds %" #r "[d], %" #r "[n], %" #rm "[m], " ext)             \
    DEF_OP2(sub_##id, "sub %" #r "[d], %" #r "[n], %" #rm "[m], " ext)               \
    DEF_OP2(subs_##id, "subs %" #r "[d], %" #r "[n], %" #rm "[m], " ext)
ADDSUB_EXTENDED(DEF_ADDSUB_EXT)
#define ADDSUB_EXT_ENTRY(r, rm, ext, id, kind, amt, bits)                           \
    { "add " #r " " ext, add_##id, ADD, kind, amt, bits },                          \
    { "adds " #r " " ext, adds_##id, ADDS, kind, amt, bits },                       \
    { "sub " #r " " ext, sub_##id, SUB, kind, amt, bits },                          \
    { "subs " #r " " ext, subs_##id, SUBS, kind, amt, bits },
static const struct reg_case addsub_extended[] = { ADDSUB_EXTENDED(ADDSUB_EXT_ENTRY) };

/* ---- logical (shifted register), including the inverted-operand forms ---- */
#define LOGICAL_SHIFTED(X)                                                         \
    X(w, "lsl #0", w_lsl0, LSL, 0, 32) X(w, "lsr #31", w_lsr31, LSR, 31, 32)        \
    X(w, "asr #1", w_asr1, ASR, 1, 32) X(w, "ror #16", w_ror16, ROR, 16, 32)        \
    X(x, "lsl #63", x_lsl63, LSL, 63, 64) X(x, "lsr #1", x_lsr1, LSR, 1, 64)        \
    X(x, "asr #63", x_asr63, ASR, 63, 64) X(x, "ror #1", x_ror1, ROR, 1, 64)
#define DEF_LOGICAL(r, sh, id, kind, amt, bits)                                     \
    DEF_OP2(and_##id, "and %" #r "[d], %" #r "[n], %" #r "[m], " sh)                 \
    DEF_OP2(bic_##id, "bic %" #r "[d], %" #r "[n], %" #r "[m], " sh)                 \
    DEF_OP2(orr_##id, "orr %" #r "[d], %" #r "[n], %" #r "[m], " sh)                 \
    DEF_OP2(orn_##id, "orn %" #r "[d], %" #r "[n], %" #r "[m], " sh)                 \
    DEF_OP2(eor_##id, "eor %" #r "[d], %" #r "[n], %" #r "[m], " sh)                 \
    DEF_OP2(eon_##id, "eon %" #r "[d], %" #r "[n], %" #r "[m], " sh)                 \
    DEF_OP2(ands_##id, "ands %" #r "[d], %" #r "[n], %" #r "[m], " sh)               \
    DEF_OP2(bics_##id, "bics %" #r "[d], %" #r "[n], %" #r "[m], " sh)
LOGICAL_SHIFTED(DEF_LOGICAL)
#define LOGICAL_ENTRY(r, sh, id, kind, amt, bits)                                   \
    { "and " #r " " sh, and_##id, AND, kind, amt, bits },                           \
    { "bic " #r " " sh, bic_##id, BIC, kind, amt, bits },                           \
    { "orr " #r " " sh, orr_##id, ORR, kind, amt, bits },                           \
    { "orn " #r " " sh, orn_##id, ORN, kind, amt, bits },                           \
    { "eor " #r " " sh, eor_##id, EOR, kind, amt, bits },                           \
    { "eon " #r " " sh, eon_##id, EON, kind, amt, bits },                           \
    { "ands " #r " " sh, ands_##id, ANDS, kind, amt, bits },                        \
    { "bics " #r " " sh, bics_##id, BICS, kind, amt, bits },
static const struct reg_case logical_shifted[] = { LOGICAL_SHIFTED(LOGICAL_ENTRY) };

/* MOV/MVN/TST/NEG/CMP aliases: the zero-register encodings. */
DEF_OP2(mvn_x, "mvn %x[d], %x[m]")
DEF_OP2(neg_w, "neg %w[d], %w[m], lsl #1")
DEF_OP2(negs_x, "negs %x[d], %x[m]")
DEF_OP2(tst_w, "tst %w[n], %w[m]")
DEF_OP2(cmp_x_asr, "cmp %x[n], %x[m], asr #3")
DEF_OP2(cmn_w_sxth, "cmn %w[n], %w[m], sxth")
static const struct op2 alias_ops[] = {
    { "mvn x", mvn_x }, { "neg w lsl #1", neg_w }, { "negs x", negs_x }, { "tst w", tst_w },
    { "cmp x asr #3", cmp_x_asr }, { "cmn w sxth", cmn_w_sxth },
};

static void test_shift_extend_logical(void)
{
    run_reg_cases(addsub_shifted, ARRAY_SIZE(addsub_shifted), small_ns, ARRAY_SIZE(small_ns),
                  small_ms, ARRAY_SIZE(small_ms));
    /* The plain forms get every pair of sign-boundary values for the flags. */
    run_reg_cases(addsub_shifted, 4, pair_values, ARRAY_SIZE(pair_values), pair_values,
                  ARRAY_SIZE(pair_values));
    run_reg_cases(addsub_shifted + 16, 4, pair_values, ARRAY_SIZE(pair_values), pair_values,
                  ARRAY_SIZE(pair_values));
    run_reg_cases(addsub_extended, ARRAY_SIZE(addsub_extended), small_ns, ARRAY_SIZE(small_ns),
                  small_ms, ARRAY_SIZE(small_ms));
    run_reg_cases(logical_shifted, ARRAY_SIZE(logical_shifted), small_ns, ARRAY_SIZE(small_ns),
                  small_ms, ARRAY_SIZE(small_ms));
    sweep_op2(alias_ops, ARRAY_SIZE(alias_ops), small_ms, ARRAY_SIZE(small_ms), FLAG_C);
}

/* ---- ADC/SBC(S) with both carry-in values ---- */
DEF_OP2(adc_w, "adc %w[d], %w[n], %w[m]")
DEF_OP2(adcs_w, "adcs %w[d], %w[n], %w[m]")
DEF_OP2(sbc_w, "sbc %w[d], %w[n], %w[m]")
DEF_OP2(sbcs_w, "sbcs %w[d], %w[n], %w[m]")
DEF_OP2(adc_x, "adc %x[d], %x[n], %x[m]")
DEF_OP2(adcs_x, "adcs %x[d], %x[n], %x[m]")
DEF_OP2(sbc_x, "sbc %x[d], %x[n], %x[m]")
DEF_OP2(sbcs_x, "sbcs %x[d], %x[n], %x[m]")
DEF_OP2(ngcs_x, "ngcs %x[d], %x[m]")

static void test_carry(void)
{
    static const struct {
        const char *name;
        op2_fn fn;
        bool sub, setflags;
        unsigned bits;
    } cases[] = {
        { "adc w", adc_w, false, false, 32 }, { "adcs w", adcs_w, false, true, 32 },
        { "sbc w", sbc_w, true, false, 32 },  { "sbcs w", sbcs_w, true, true, 32 },
        { "adc x", adc_x, false, false, 64 }, { "adcs x", adcs_x, false, true, 64 },
        { "sbc x", sbc_x, true, false, 64 },  { "sbcs x", sbcs_x, true, true, 64 },
    };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
        for (unsigned carry = 0; carry < 2; carry++)
            for (size_t j = 0; j < ARRAY_SIZE(pair_values); j++)
                for (size_t k = 0; k < ARRAY_SIZE(pair_values); k++) {
                    uint64_t n = pair_values[j], m = pair_values[k];
                    /* Also set N and V so that non-S forms visibly keep them. */
                    unsigned flags_in = FLAG_N | FLAG_V | (carry ? FLAG_C : 0), want_f;
                    uint64_t f = flags_in;
                    uint64_t d = cases[i].fn(n, m, &f);
                    uint64_t want = add_with_carry(n, cases[i].sub ? ~m : m, carry,
                                                   cases[i].bits, &want_f);
                    printf("%s c=%u %016lx %016lx -> %016lx %lx\n", cases[i].name, carry, n, m,
                           d, f);
                    CHECK_EQ(cases[i].name, d, want);
                    CHECK_EQ(cases[i].name, f, cases[i].setflags ? want_f : flags_in);
                }
    for (unsigned carry = 0; carry < 2; carry++) {
        uint64_t f = carry ? FLAG_C : 0;
        uint64_t d = ngcs_x(0, 5, &f);
        printf("ngcs x c=%u 5 -> %016lx %lx\n", carry, d, f);
        CHECK_EQ("ngcs", d, carry ? (uint64_t)-5 : (uint64_t)-6);
    }
}

/* ---- conditional compare: every condition x every incoming NZCV ---- */
#define DEF_CCMP(c, num)                                                             \
    DEF_OP2(ccmp_x_##c, "ccmp %x[n], %x[m], #0, " #c)                                 \
    DEF_OP2(ccmn_w_##c, "ccmn %w[n], %w[m], #15, " #c)                                \
    DEF_OP2(ccmp_w_imm_##c, "ccmp %w[n], #31, #5, " #c)                               \
    DEF_OP2(ccmn_x_imm_##c, "ccmn %x[n], #1, #10, " #c)
FOR_EACH_COND(DEF_CCMP)

struct ccmp_variant {
    const char *name;
    bool negate;          /* CCMN: compare with -operand, i.e. add */
    bool imm;             /* operand is the immediate below, not Rm */
    uint64_t imm_value;
    unsigned nzcv_if_false;
    unsigned bits;
};
static const struct ccmp_variant ccmp_variants[4] = {
    { "ccmp x", false, false, 0, 0, 64 },
    { "ccmn w", true, false, 0, 15, 32 },
    { "ccmp w #31", false, true, 31, 5, 32 },
    { "ccmn x #1", true, true, 1, 10, 64 },
};
#define CCMP_ROW(c, num) { ccmp_x_##c, ccmn_w_##c, ccmp_w_imm_##c, ccmn_x_imm_##c },
static const op2_fn ccmp_fns[16][4] = { FOR_EACH_COND(CCMP_ROW) };

static void test_cond_compare(void)
{
    static const uint64_t operands[][2] = {
        { 5, 5 }, { 0, 1 }, { 0x8000000000000000, 1 }, { 0x80000000, 0x7fffffff }, { 31, 0 },
        { 0xffffffffffffffff, 1 },
    };

    for (size_t v = 0; v < 4; v++) {
        const struct ccmp_variant *var = &ccmp_variants[v];
        for (size_t p = 0; p < ARRAY_SIZE(operands); p++) {
            uint64_t n = operands[p][0], m = var->imm ? var->imm_value : operands[p][1];
            for (unsigned cond = 0; cond < 16; cond++) {
                char line[17];
                for (unsigned flags = 0; flags < 16; flags++) {
                    uint64_t f = flags;
                    unsigned want_f = var->nzcv_if_false;
                    ccmp_fns[cond][v](n, operands[p][1], &f);
                    if (condition_holds(cond, flags)) {
                        if (var->negate)
                            add_with_carry(n, m, 0, var->bits, &want_f);
                        else
                            add_with_carry(n, ~m, 1, var->bits, &want_f);
                    }
                    line[flags] = "0123456789abcdef"[f & 15];
                    if (f != want_f) {
                        printf("FAIL %s %s n=%lx m=%lx flags=%x: got %lx want %x\n", var->name,
                               cond_names[cond], n, m, flags, f, want_f);
                        rt_failures++;
                    }
                }
                line[16] = 0;
                printf("%s %s %016lx %016lx -> %s\n", var->name, cond_names[cond], n, m, line);
            }
        }
    }
}

/* ---- conditional select: every condition x every NZCV ---- */
#define DEF_CSEL(c, num)                                                             \
    DEF_OP2(csel_w_##c, "csel %w[d], %w[n], %w[m], " #c)                              \
    DEF_OP2(csinc_w_##c, "csinc %w[d], %w[n], %w[m], " #c)                            \
    DEF_OP2(csinv_w_##c, "csinv %w[d], %w[n], %w[m], " #c)                            \
    DEF_OP2(csneg_w_##c, "csneg %w[d], %w[n], %w[m], " #c)                            \
    DEF_OP2(csel_x_##c, "csel %x[d], %x[n], %x[m], " #c)                              \
    DEF_OP2(csinc_x_##c, "csinc %x[d], %x[n], %x[m], " #c)                            \
    DEF_OP2(csinv_x_##c, "csinv %x[d], %x[n], %x[m], " #c)                            \
    DEF_OP2(csneg_x_##c, "csneg %x[d], %x[n], %x[m], " #c)
FOR_EACH_COND(DEF_CSEL)
#define CSEL_ROW(c, num)                                                             \
    { csel_w_##c, csinc_w_##c, csinv_w_##c, csneg_w_##c,                             \
      csel_x_##c, csinc_x_##c, csinv_x_##c, csneg_x_##c },
static const op2_fn csel_fns[16][8] = { FOR_EACH_COND(CSEL_ROW) };

/* Aliases (CSET/CSETM/CINC/CINV/CNEG invert the condition); AL/NV are not allowed there. */
#define DEF_CSET(c, num)                                                             \
    DEF_OP2(cset_w_##c, "cset %w[d], " #c)                                            \
    DEF_OP2(csetm_x_##c, "csetm %x[d], " #c)                                          \
    DEF_OP2(cinc_x_##c, "cinc %x[d], %x[n], " #c)                                     \
    DEF_OP2(cinv_w_##c, "cinv %w[d], %w[n], " #c)                                     \
    DEF_OP2(cneg_x_##c, "cneg %x[d], %x[n], " #c)
#define FOR_EACH_COND_NOT_AL(X) \
    X(eq, 0) X(ne, 1) X(cs, 2) X(cc, 3) X(mi, 4) X(pl, 5) X(vs, 6) X(vc, 7) \
    X(hi, 8) X(ls, 9) X(ge, 10) X(lt, 11) X(gt, 12) X(le, 13)
FOR_EACH_COND_NOT_AL(DEF_CSET)
#define CSET_ROW(c, num) { cset_w_##c, csetm_x_##c, cinc_x_##c, cinv_w_##c, cneg_x_##c },
static const op2_fn cset_fns[14][5] = { FOR_EACH_COND_NOT_AL(CSET_ROW) };

static void test_cond_select(void)
{
    static const char *const names[8] = { "csel w", "csinc w", "csinv w", "csneg w",
                                          "csel x", "csinc x", "csinv x", "csneg x" };
    static const char *const alias_names[5] = { "cset w", "csetm x", "cinc x", "cinv w", "cneg x" };
    const uint64_t n = 0x0123456789abcdef, m = 0xfedcba9876543210;

    for (unsigned op = 0; op < 8; op++)
        for (unsigned cond = 0; cond < 16; cond++) {
            char map[17];
            uint64_t mask = width_mask(op < 4 ? 32 : 64);
            uint64_t else_value[4] = { m, m + 1, ~m, -m };
            for (unsigned flags = 0; flags < 16; flags++) {
                uint64_t f = flags;
                uint64_t d = csel_fns[cond][op](n, m, &f);
                uint64_t want = condition_holds(cond, flags) ? n : else_value[op % 4];
                map[flags] = d == (n & mask) ? 'n' : d == (else_value[op % 4] & mask) ? 'm' : '?';
                CHECK_EQ(names[op], d, want & mask);
                CHECK_EQ("csel keeps flags", f, flags);
            }
            map[16] = 0;
            uint64_t f = 0;
            printf("%s %s -> %s (at nzcv 0: %016lx)\n", names[op], cond_names[cond], map,
                   csel_fns[cond][op](n, m, &f));
        }
    for (unsigned op = 0; op < 5; op++)
        for (unsigned cond = 0; cond < 14; cond++) {
            printf("%s %s ->", alias_names[op], cond_names[cond]);
            for (unsigned flags = 0; flags < 16; flags += 5) {
                uint64_t f = flags;
                printf(" %016lx", cset_fns[cond][op](n, m, &f));
            }
            printf("\n");
        }
}

/* ---- multiplies ---- */
DEF_OP3(madd_w, "madd %w[d], %w[n], %w[m], %w[a]")
DEF_OP3(msub_w, "msub %w[d], %w[n], %w[m], %w[a]")
DEF_OP3(madd_x, "madd %x[d], %x[n], %x[m], %x[a]")
DEF_OP3(msub_x, "msub %x[d], %x[n], %x[m], %x[a]")
DEF_OP3(smaddl, "smaddl %x[d], %w[n], %w[m], %x[a]")
DEF_OP3(smsubl, "smsubl %x[d], %w[n], %w[m], %x[a]")
DEF_OP3(umaddl, "umaddl %x[d], %w[n], %w[m], %x[a]")
DEF_OP3(umsubl, "umsubl %x[d], %w[n], %w[m], %x[a]")
DEF_OP3(smulh, "smulh %x[d], %x[n], %x[m]")
DEF_OP3(umulh, "umulh %x[d], %x[n], %x[m]")
DEF_OP3(mul_w, "mul %w[d], %w[n], %w[m]")
DEF_OP3(mneg_x, "mneg %x[d], %x[n], %x[m]")
DEF_OP3(smull, "smull %x[d], %w[n], %w[m]")
DEF_OP3(umull, "umull %x[d], %w[n], %w[m]")

static uint64_t mul_model(unsigned which, uint64_t n, uint64_t m, uint64_t a)
{
    int64_t sn = (int32_t)n, sm = (int32_t)m;
    uint64_t un = (uint32_t)n, um = (uint32_t)m;

    switch (which) {
    case 0: return (uint32_t)(a + n * m);
    case 1: return (uint32_t)(a - n * m);
    case 2: return a + n * m;
    case 3: return a - n * m;
    case 4: return a + (uint64_t)(sn * sm);
    case 5: return a - (uint64_t)(sn * sm);
    case 6: return a + un * um;
    case 7: return a - un * um;
    case 8: return (uint64_t)(((__int128)(int64_t)n * (int64_t)m) >> 64);
    case 9: return (uint64_t)(((unsigned __int128)n * m) >> 64);
    case 10: return (uint32_t)(n * m);
    case 11: return -(n * m);
    case 12: return (uint64_t)(sn * sm);
    default: return un * um;
    }
}

static void test_multiply(void)
{
    static const struct {
        const char *name;
        op3_fn fn;
    } ops[] = {
        { "madd w", madd_w }, { "msub w", msub_w }, { "madd x", madd_x }, { "msub x", msub_x },
        { "smaddl", smaddl }, { "smsubl", smsubl }, { "umaddl", umaddl }, { "umsubl", umsubl },
        { "smulh", smulh },   { "umulh", umulh },   { "mul w", mul_w },   { "mneg x", mneg_x },
        { "smull", smull },   { "umull", umull },
    };
    const uint64_t a = 0x0123456789abcdef;

    for (unsigned i = 0; i < ARRAY_SIZE(ops); i++)
        for (size_t j = 0; j < ARRAY_SIZE(pair_values); j++)
            for (size_t k = 0; k < ARRAY_SIZE(pair_values); k++) {
                uint64_t n = pair_values[j], m = pair_values[k];
                uint64_t d = ops[i].fn(n, m, a);
                printf("%s %016lx %016lx -> %016lx\n", ops[i].name, n, m, d);
                CHECK_EQ(ops[i].name, d, mul_model(i, n, m, a));
            }
}

/* ---- divides: no exception on zero, INT_MIN / -1 wraps ---- */
DEF_OP2(udiv_w, "udiv %w[d], %w[n], %w[m]")
DEF_OP2(sdiv_w, "sdiv %w[d], %w[n], %w[m]")
DEF_OP2(udiv_x, "udiv %x[d], %x[n], %x[m]")
DEF_OP2(sdiv_x, "sdiv %x[d], %x[n], %x[m]")

static uint64_t div_model(unsigned which, uint64_t n, uint64_t m)
{
    if (which == 0)
        return (uint32_t)m ? (uint32_t)n / (uint32_t)m : 0;
    if (which == 2)
        return m ? n / m : 0;
    if (which == 1) {
        int32_t sn = (int32_t)n, sm = (int32_t)m;
        if (sm == 0)
            return 0;
        if (sn == INT32_MIN && sm == -1)
            return (uint32_t)INT32_MIN;
        return (uint32_t)(sn / sm); /* C and Arm both round toward zero */
    }
    int64_t sn = (int64_t)n, sm = (int64_t)m;
    if (sm == 0)
        return 0;
    if (sn == INT64_MIN && sm == -1)
        return (uint64_t)INT64_MIN;
    return (uint64_t)(sn / sm);
}

static void test_divide(void)
{
    static const struct op2 ops[] = {
        { "udiv w", udiv_w }, { "sdiv w", sdiv_w }, { "udiv x", udiv_x }, { "sdiv x", sdiv_x },
    };
    static const uint64_t extra[][2] = {
        { 0x80000000, 0xffffffff }, { 0x8000000000000000, 0xffffffffffffffff },
        { 7, 0xfffffffffffffffe }, { 0xfffffffffffffff9, 2 }, { 100, 7 }, { 5, 0 },
    };

    sweep_op2(ops, ARRAY_SIZE(ops), pair_values, ARRAY_SIZE(pair_values), FLAG_N | FLAG_Z);
    for (unsigned i = 0; i < 4; i++)
        for (size_t j = 0; j < ARRAY_SIZE(pair_values); j++)
            for (size_t k = 0; k < ARRAY_SIZE(pair_values); k++) {
                uint64_t f = 0;
                CHECK_EQ(ops[i].name, ops[i].fn(pair_values[j], pair_values[k], &f),
                         div_model(i, pair_values[j], pair_values[k]));
            }
    for (unsigned i = 0; i < 4; i++)
        for (size_t j = 0; j < ARRAY_SIZE(extra); j++) {
            uint64_t f = 0, d = ops[i].fn(extra[j][0], extra[j][1], &f);
            printf("%s %016lx %016lx -> %016lx\n", ops[i].name, extra[j][0], extra[j][1], d);
            CHECK_EQ(ops[i].name, d, div_model(i, extra[j][0], extra[j][1]));
        }
}

/* ---- variable shifts: the amount is taken modulo the width ---- */
DEF_OP2(lslv_w, "lslv %w[d], %w[n], %w[m]")
DEF_OP2(lsrv_w, "lsrv %w[d], %w[n], %w[m]")
DEF_OP2(asrv_w, "asrv %w[d], %w[n], %w[m]")
DEF_OP2(rorv_w, "rorv %w[d], %w[n], %w[m]")
DEF_OP2(lslv_x, "lslv %x[d], %x[n], %x[m]")
DEF_OP2(lsrv_x, "lsrv %x[d], %x[n], %x[m]")
DEF_OP2(asrv_x, "asrv %x[d], %x[n], %x[m]")
DEF_OP2(rorv_x, "rorv %x[d], %x[n], %x[m]")

static void test_variable_shift(void)
{
    static const struct op2 ops[] = {
        { "lslv w", lslv_w }, { "lsrv w", lsrv_w }, { "asrv w", asrv_w }, { "rorv w", rorv_w },
        { "lslv x", lslv_x }, { "lsrv x", lsrv_x }, { "asrv x", asrv_x }, { "rorv x", rorv_x },
    };
    static const uint64_t amounts[] = { 0, 1, 31, 32, 33, 63, 64, 0xffffffffffffffc1 };
    static const enum operand_kind kinds[] = { LSL, LSR, ASR, ROR };
    static const uint64_t values[] = { 0x8000000000000001, 0x0123456789abcdef, 0x00000000f0000000 };

    for (unsigned i = 0; i < ARRAY_SIZE(ops); i++)
        for (size_t j = 0; j < ARRAY_SIZE(values); j++)
            for (size_t k = 0; k < ARRAY_SIZE(amounts); k++) {
                unsigned bits = i < 4 ? 32 : 64;
                uint64_t f = FLAG_V, d = ops[i].fn(values[j], amounts[k], &f);
                printf("%s %016lx %016lx -> %016lx\n", ops[i].name, values[j], amounts[k], d);
                CHECK_EQ(ops[i].name, d,
                         shift_model(values[j], kinds[i % 4], (unsigned)(amounts[k] % bits), bits));
                CHECK_EQ("shift keeps flags", f, FLAG_V);
            }
}

/* ---- one-source: bit/byte reversal and counting ---- */
DEF_OP1(rbit_w, "rbit %w[d], %w[n]")
DEF_OP1(rbit_x, "rbit %x[d], %x[n]")
DEF_OP1(rev16_w, "rev16 %w[d], %w[n]")
DEF_OP1(rev16_x, "rev16 %x[d], %x[n]")
DEF_OP1(rev_w, "rev %w[d], %w[n]")
DEF_OP1(rev32_x, "rev32 %x[d], %x[n]")
DEF_OP1(rev_x, "rev %x[d], %x[n]")
DEF_OP1(clz_w, "clz %w[d], %w[n]")
DEF_OP1(clz_x, "clz %x[d], %x[n]")
DEF_OP1(cls_w, "cls %w[d], %w[n]")
DEF_OP1(cls_x, "cls %x[d], %x[n]")
static const struct op1 one_source_ops[] = {
    { "rbit w", rbit_w }, { "rbit x", rbit_x }, { "rev16 w", rev16_w }, { "rev16 x", rev16_x },
    { "rev w", rev_w },   { "rev32 x", rev32_x }, { "rev x", rev_x },   { "clz w", clz_w },
    { "clz x", clz_x },   { "cls w", cls_w },   { "cls x", cls_x },
};

static void test_one_source(void)
{
    uint64_t f = 0;

    sweep_op1(one_source_ops, ARRAY_SIZE(one_source_ops), common_values,
              ARRAY_SIZE(common_values), FLAG_C);
    CHECK_EQ("clz x 0", clz_x(0, &f), 64);
    CHECK_EQ("clz w 0", clz_w(0xffffffff00000000, &f), 32);
    CHECK_EQ("clz x 1", clz_x(1, &f), 63);
    CHECK_EQ("cls x -1", cls_x(~0ul, &f), 63);
    CHECK_EQ("cls x 0", cls_x(0, &f), 63);
    CHECK_EQ("cls w 0x40000000", cls_w(0x40000000, &f), 0);
    CHECK_EQ("cls x 0xc000..", cls_x(0xc000000000000000, &f), 1);
    CHECK_EQ("rbit x 1", rbit_x(1, &f), 0x8000000000000000);
    CHECK_EQ("rbit w 1", rbit_w(0xffffffff00000001, &f), 0x80000000);
    CHECK_EQ("rev x", rev_x(0x0123456789abcdef, &f), 0xefcdab8967452301);
    CHECK_EQ("rev w", rev_w(0x0123456789abcdef, &f), 0xefcdab89);
    CHECK_EQ("rev16 x", rev16_x(0x0123456789abcdef, &f), 0x23016745ab89efcd);
    CHECK_EQ("rev32 x", rev32_x(0x0123456789abcdef, &f), 0x67452301efcdab89);
}

/* ---- CRC32 / CRC32C (reflected polynomials 0x04c11db7 / 0x1edc6f41) ---- */
DEF_OP2(crc32b, "crc32b %w[d], %w[n], %w[m]")
DEF_OP2(crc32h, "crc32h %w[d], %w[n], %w[m]")
DEF_OP2(crc32w, "crc32w %w[d], %w[n], %w[m]")
DEF_OP2(crc32x, "crc32x %w[d], %w[n], %x[m]")
DEF_OP2(crc32cb, "crc32cb %w[d], %w[n], %w[m]")
DEF_OP2(crc32ch, "crc32ch %w[d], %w[n], %w[m]")
DEF_OP2(crc32cw, "crc32cw %w[d], %w[n], %w[m]")
DEF_OP2(crc32cx, "crc32cx %w[d], %w[n], %x[m]")
static const struct op2 crc_ops[] = {
    { "crc32b", crc32b },   { "crc32h", crc32h },   { "crc32w", crc32w },   { "crc32x", crc32x },
    { "crc32cb", crc32cb }, { "crc32ch", crc32ch }, { "crc32cw", crc32cw }, { "crc32cx", crc32cx },
};

/* Bitwise model: feed `bytes` low bytes of data, LSB first. */
static uint32_t crc_model(uint32_t crc, uint64_t data, unsigned bytes, uint32_t poly_reflected)
{
    for (unsigned i = 0; i < bytes * 8; i++) {
        crc ^= (data >> i) & 1;
        crc = (crc >> 1) ^ ((crc & 1) ? poly_reflected : 0);
    }
    return crc;
}

static void test_crc32(void)
{
    static const char check_string[] = "123456789";
    uint64_t f = 0, lo = 0;
    uint32_t crc = 0xffffffff, crcc = 0xffffffff;

    sweep_op2(crc_ops, ARRAY_SIZE(crc_ops), pair_values, ARRAY_SIZE(pair_values), 0);
    for (unsigned i = 0; i < 8; i++)
        for (size_t j = 0; j < ARRAY_SIZE(pair_values); j++)
            for (size_t k = 0; k < ARRAY_SIZE(pair_values); k++) {
                uint32_t poly = i < 4 ? 0xedb88320 : 0x82f63b78;
                CHECK_EQ(crc_ops[i].name, crc_ops[i].fn(pair_values[j], pair_values[k], &f),
                         crc_model((uint32_t)pair_values[j], pair_values[k], 1u << (i % 4), poly));
            }

    /* The standard check values: 8 bytes with the X form, the 9th with the B form. */
    for (unsigned i = 0; i < 8; i++)
        lo |= (uint64_t)(unsigned char)check_string[i] << (8 * i);
    crc = (uint32_t)crc32x(crc, lo, &f);
    crc = (uint32_t)crc32b(crc, (unsigned char)check_string[8], &f);
    crcc = (uint32_t)crc32cx(crcc, lo, &f);
    crcc = (uint32_t)crc32cb(crcc, (unsigned char)check_string[8], &f);
    printf("crc32(\"123456789\") = %08x, crc32c = %08x\n", ~crc, ~crcc);
    CHECK_EQ("crc32 check value", ~crc, 0xcbf43926);
    CHECK_EQ("crc32c check value", ~crcc, 0xe3069283);
    /* H and W forms over the same bytes must agree. */
    crc = 0xffffffff;
    crc = (uint32_t)crc32w(crc, lo & 0xffffffff, &f);
    crc = (uint32_t)crc32h(crc, (lo >> 32) & 0xffff, &f);
    crc = (uint32_t)crc32h(crc, lo >> 48, &f);
    crc = (uint32_t)crc32b(crc, (unsigned char)check_string[8], &f);
    CHECK_EQ("crc32 w+h+h+b", ~crc, 0xcbf43926);
}

int main(void)
{
    test_shift_extend_logical();
    test_carry();
    test_cond_compare();
    test_cond_select();
    test_multiply();
    test_divide();
    test_variable_shift();
    test_one_source();
    test_crc32();
    return 0;
}
