/*
 * Data processing (immediate): ADD/SUB(S) imm incl. SP forms, logical
 * immediates, move wide, ADR/ADRP, bitfield moves and aliases, EXTR/ROR.
 * Every result is printed; results with a simple Arm ARM definition are
 * also checked against a C model.
 */
#include "testlib.h"

/* ---- ADD/SUB/ADDS/SUBS (immediate) ---- */
#define ADDSUB_IMMS(X)                                                      \
    X(0, "#0") X(1, "#1") X(4095, "#4095") X(1s12, "#1, lsl #12")           \
    X(4095s12, "#4095, lsl #12")
#define DEF_ADDSUB(id, imm)                                                 \
    DEF_OP1(add_w_##id, "add %w[d], %w[n], " imm)                           \
    DEF_OP1(adds_w_##id, "adds %w[d], %w[n], " imm)                         \
    DEF_OP1(sub_w_##id, "sub %w[d], %w[n], " imm)                           \
    DEF_OP1(subs_w_##id, "subs %w[d], %w[n], " imm)                         \
    DEF_OP1(add_x_##id, "add %x[d], %x[n], " imm)                           \
    DEF_OP1(adds_x_##id, "adds %x[d], %x[n], " imm)                         \
    DEF_OP1(sub_x_##id, "sub %x[d], %x[n], " imm)                           \
    DEF_OP1(subs_x_##id, "subs %x[d], %x[n], " imm)
ADDSUB_IMMS(DEF_ADDSUB)

struct addsub_case {
    const char *name;
    op1_fn fn;
    uint64_t imm;
    bool sub, setflags;
    unsigned bits;
};
#define ADDSUB_ENTRIES(id, imm)                                             \
    { "add w," imm, add_w_##id, 0, false, false, 32 },                     \
    { "adds w," imm, adds_w_##id, 0, false, true, 32 },                    \
    { "sub w," imm, sub_w_##id, 0, true, false, 32 },                      \
    { "subs w," imm, subs_w_##id, 0, true, true, 32 },                     \
    { "add x," imm, add_x_##id, 0, false, false, 64 },                     \
    { "adds x," imm, adds_x_##id, 0, false, true, 64 },                    \
    { "sub x," imm, sub_x_##id, 0, true, false, 64 },                      \
    { "subs x," imm, subs_x_##id, 0, true, true, 64 },
static struct addsub_case addsub_cases[] = { ADDSUB_IMMS(ADDSUB_ENTRIES) };
static const uint64_t addsub_imm_values[] = { 0, 1, 4095, 1 << 12, 4095 << 12 };

static void test_addsub_imm(void)
{
    const unsigned flags_in = FLAG_N | FLAG_C; /* non-S forms must leave these alone */

    for (size_t i = 0; i < ARRAY_SIZE(addsub_cases); i++)
        addsub_cases[i].imm = addsub_imm_values[i / 8];
    for (size_t i = 0; i < ARRAY_SIZE(addsub_cases); i++) {
        const struct addsub_case *c = &addsub_cases[i];
        for (size_t j = 0; j < ARRAY_SIZE(common_values); j++) {
            uint64_t n = common_values[j], f = flags_in;
            uint64_t d = c->fn(n, &f);
            unsigned want_f;
            /* SUB is ADD of the inverted operand with carry in = 1. */
            uint64_t want = c->sub ? add_with_carry(n, ~c->imm, 1, c->bits, &want_f)
                                   : add_with_carry(n, c->imm, 0, c->bits, &want_f);
            printf("%s %016lx -> %016lx %lx\n", c->name, n, d, f);
            CHECK_EQ(c->name, d, want);
            CHECK_EQ(c->name, f, c->setflags ? want_f : flags_in);
        }
    }
}

/* SP as source and destination; print values relative to the entry SP. */
static void test_addsub_sp(void)
{
    uint64_t sp0, a, b, c, d, f;

    asm volatile("mov %[sp0], sp\n\t"
                 "add %[a], sp, #16\n\t"          /* Rn = SP */
                 "sub sp, sp, #32\n\t"            /* Rd = Rn = SP */
                 "mov %[b], sp\n\t"
                 "add sp, sp, #1, lsl #12\n\t"
                 "mov %[c], sp\n\t"
                 "sub sp, sp, #4064\n\t"          /* back to sp0 */
                 "mov %[d], sp\n\t"
                 "cmp sp, %[sp0]\n\t"             /* SUBS XZR, SP, Xm (extended) */
                 "mrs %[f], nzcv"
                 : [sp0] "=&r"(sp0), [a] "=&r"(a), [b] "=&r"(b), [c] "=&r"(c), [d] "=&r"(d),
                   [f] "=&r"(f)
                 :
                 : "cc", "memory");
    printf("sp forms: %ld %ld %ld %ld flags %lx\n", (int64_t)(a - sp0), (int64_t)(b - sp0),
           (int64_t)(c - sp0), (int64_t)(d - sp0), f >> 28);
    CHECK_EQ("add x, sp, #16", a - sp0, 16);
    CHECK_EQ("sub sp, sp, #32", b - sp0, (uint64_t)-32);
    CHECK_EQ("add sp, sp, #1, lsl #12", c - sp0, 4096 - 32);
    CHECK_EQ("cmp sp", f >> 28, FLAG_Z | FLAG_C);

    /* ADDS/SUBS with Rn = SP: flags come from the SP arithmetic. */
    asm volatile("cmn sp, #1\n\tmrs %[f], nzcv" : [f] "=r"(f) : : "cc");
    printf("cmn sp, #1 -> %lx\n", f >> 28);
    asm volatile("adds %[d], sp, #0\n\tmrs %[f], nzcv" : [d] "=r"(d), [f] "=r"(f) : : "cc");
    printf("adds x, sp, #0 -> sp%+ld %lx\n", (int64_t)(d - sp0), f >> 28);
}

/* ---- logical (immediate): a spread of element sizes, runs and rotations ---- */
#define LOGIMM_X(X)                                                          \
    X(x0, 0x5555555555555555) X(x1, 0x3333333333333333)                     \
    X(x2, 0x0f0f0f0f0f0f0f0f) X(x3, 0x00ff00ff00ff00ff)                     \
    X(x4, 0x0000ffff0000ffff) X(x5, 0x00000000ffffffff)                     \
    X(x6, 0x0000000000000001) X(x7, 0x8000000000000000)                     \
    X(x8, 0x7fffffffffffffff) X(x9, 0xfffffffffffffffe)                     \
    X(x10, 0x00000ffffff00000) X(x11, 0xc000000000000003)                   \
    X(x12, 0xffff0000ffff0000) X(x13, 0x8181818181818181)
#define LOGIMM_W(X)                                                          \
    X(w0, 0x55555555) X(w1, 0x0000ffff) X(w2, 0x80000001) X(w3, 0xfffffffe)  \
    X(w4, 0x7ffffff0) X(w5, 0x0ff00ff0) X(w6, 0x00000001) X(w7, 0xc3c3c3c3)
#define DEF_LOGIMM(id, imm, r)                                               \
    DEF_OP1(and_##id, "and %" r "[d], %" r "[n], #" #imm)                    \
    DEF_OP1(orr_##id, "orr %" r "[d], %" r "[n], #" #imm)                    \
    DEF_OP1(eor_##id, "eor %" r "[d], %" r "[n], #" #imm)                    \
    DEF_OP1(ands_##id, "ands %" r "[d], %" r "[n], #" #imm)
#define DEF_LOGIMM_X(id, imm) DEF_LOGIMM(id, imm, "x")
#define DEF_LOGIMM_W(id, imm) DEF_LOGIMM(id, imm, "w")
LOGIMM_X(DEF_LOGIMM_X)
LOGIMM_W(DEF_LOGIMM_W)

struct logimm_case {
    const char *name;
    op1_fn fn;
    uint64_t imm;
    char op; /* & | ^ or 's' for ANDS */
    unsigned bits;
};
#define LOGIMM_ENTRIES(id, imm, bits)                                        \
    { "and #" #imm, and_##id, imm, '&', bits },                              \
    { "orr #" #imm, orr_##id, imm, '|', bits },                              \
    { "eor #" #imm, eor_##id, imm, '^', bits },                              \
    { "ands #" #imm, ands_##id, imm, 's', bits },
#define LOGIMM_ENTRIES_X(id, imm) LOGIMM_ENTRIES(id, imm, 64)
#define LOGIMM_ENTRIES_W(id, imm) LOGIMM_ENTRIES(id, imm, 32)
static const struct logimm_case logimm_cases[] = {
    LOGIMM_X(LOGIMM_ENTRIES_X) LOGIMM_W(LOGIMM_ENTRIES_W)
};
static const uint64_t logimm_values[] = {
    0, 0xffffffffffffffff, 0x0123456789abcdef, 0x8000000080000000, 0x00000000ffff0000,
};

static void test_logical_imm(void)
{
    const unsigned flags_in = FLAG_C | FLAG_V;

    for (size_t i = 0; i < ARRAY_SIZE(logimm_cases); i++) {
        const struct logimm_case *c = &logimm_cases[i];
        uint64_t mask = c->bits == 64 ? ~0ul : 0xfffffffful;
        for (size_t j = 0; j < ARRAY_SIZE(logimm_values); j++) {
            uint64_t n = logimm_values[j], f = flags_in, want;
            uint64_t d = c->fn(n, &f);
            unsigned want_f = flags_in;
            switch (c->op) {
            case '|': want = (n | c->imm) & mask; break;
            case '^': want = (n ^ c->imm) & mask; break;
            default: want = n & c->imm & mask; break;
            }
            if (c->op == 's') /* ANDS: N and Z from the result, C = V = 0 */
                want_f = ((want >> (c->bits - 1)) & 1 ? FLAG_N : 0) | (want == 0 ? FLAG_Z : 0);
            printf("%s %c %016lx -> %016lx %lx\n", c->name, c->bits == 64 ? 'x' : 'w', n, d, f);
            CHECK_EQ(c->name, d, want);
            CHECK_EQ(c->name, f, want_f);
        }
    }
}

/* ---- move wide ---- */
DEF_OP1(movz_w0, "movz %w[d], #0xffff")
DEF_OP1(movz_w16, "movz %w[d], #0x8001, lsl #16")
DEF_OP1(movz_x0, "movz %x[d], #0")
DEF_OP1(movz_x32, "movz %x[d], #0x1234, lsl #32")
DEF_OP1(movz_x48, "movz %x[d], #0xffff, lsl #48")
DEF_OP1(movn_w0, "movn %w[d], #0")
DEF_OP1(movn_w16, "movn %w[d], #0x8000, lsl #16")
DEF_OP1(movn_wffff, "movn %w[d], #0xffff")
DEF_OP1(movn_x0, "movn %x[d], #0")
DEF_OP1(movn_x16, "movn %x[d], #0x1234, lsl #16")
DEF_OP1(movn_x48, "movn %x[d], #0x8000, lsl #48")
DEF_OP1_RMW(movk_w0, "movk %w[d], #0xbeef")
DEF_OP1_RMW(movk_w16, "movk %w[d], #0xdead, lsl #16")
DEF_OP1_RMW(movk_x0, "movk %x[d], #0")
DEF_OP1_RMW(movk_x16, "movk %x[d], #0xffff, lsl #16")
DEF_OP1_RMW(movk_x32, "movk %x[d], #0x1234, lsl #32")
DEF_OP1_RMW(movk_x48, "movk %x[d], #0x8000, lsl #48")

static void test_move_wide(void)
{
    static const struct {
        struct op1 op;
        bool keep;      /* MOVK: keeps the other bits of the old value */
        uint64_t want;  /* MOVZ/MOVN result; MOVK: inserted field */
        unsigned shift;
        unsigned bits;
    } cases[] = {
        { { "movz w, #0xffff", movz_w0 }, false, 0xffff, 0, 32 },
        { { "movz w, #0x8001, lsl 16", movz_w16 }, false, 0x80010000, 0, 32 },
        { { "movz x, #0", movz_x0 }, false, 0, 0, 64 },
        { { "movz x, #0x1234, lsl 32", movz_x32 }, false, 0x123400000000, 0, 64 },
        { { "movz x, #0xffff, lsl 48", movz_x48 }, false, 0xffff000000000000, 0, 64 },
        { { "movn w, #0", movn_w0 }, false, 0xffffffff, 0, 32 },
        { { "movn w, #0x8000, lsl 16", movn_w16 }, false, 0x7fffffff, 0, 32 },
        { { "movn w, #0xffff", movn_wffff }, false, 0xffff0000, 0, 32 },
        { { "movn x, #0", movn_x0 }, false, 0xffffffffffffffff, 0, 64 },
        { { "movn x, #0x1234, lsl 16", movn_x16 }, false, 0xffffffffedcbffff, 0, 64 },
        { { "movn x, #0x8000, lsl 48", movn_x48 }, false, 0x7fffffffffffffff, 0, 64 },
        { { "movk w, #0xbeef", movk_w0 }, true, 0xbeef, 0, 32 },
        { { "movk w, #0xdead, lsl 16", movk_w16 }, true, 0xdead, 16, 32 },
        { { "movk x, #0", movk_x0 }, true, 0, 0, 64 },
        { { "movk x, #0xffff, lsl 16", movk_x16 }, true, 0xffff, 16, 64 },
        { { "movk x, #0x1234, lsl 32", movk_x32 }, true, 0x1234, 32, 64 },
        { { "movk x, #0x8000, lsl 48", movk_x48 }, true, 0x8000, 48, 64 },
    };
    static const uint64_t olds[] = { 0, 0xffffffffffffffff, 0x0123456789abcdef };

    for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
        for (size_t j = 0; j < ARRAY_SIZE(olds); j++) {
            uint64_t f = 0, want = cases[i].want;
            uint64_t d = cases[i].op.fn(olds[j], &f);
            if (cases[i].keep) {
                uint64_t field = 0xfffful << cases[i].shift;
                want = (olds[j] & ~field) | (want << cases[i].shift);
                if (cases[i].bits == 32)
                    want &= 0xffffffff;
            }
            printf("%s old %016lx -> %016lx\n", cases[i].op.name, olds[j], d);
            CHECK_EQ(cases[i].op.name, d, want);
        }
}

/* ---- ADR / ADRP ---- */
/* noinline/noclone: the asm defines a label, so it must exist exactly once. */
__attribute__((noinline, noclone)) static void test_adr(void)
{
    uint64_t here, fwd, back, page, page_fwd, page_back, sym_page;
    extern char adr_anchor[];

    asm volatile(".balign 4\n"
                 "adr_anchor:\n\t"
                 "adr %[here], .\n\t"
                 "adr %[fwd], . + 1048575\n\t"   /* largest forward reach */
                 "adr %[back], . - 1048576\n\t"  /* largest backward reach */
                 "adrp %[page], adr_anchor\n\t"
                 "adrp %[page_fwd], adr_anchor + 0x12345000\n\t"
                 "adrp %[page_back], adr_anchor - 0xfffff000"
                 : [here] "=&r"(here), [fwd] "=&r"(fwd), [back] "=&r"(back), [page] "=&r"(page),
                   [page_fwd] "=&r"(page_fwd), [page_back] "=&r"(page_back));
    asm volatile("adrp %0, %1" : "=r"(sym_page) : "S"(common_values));

    uint64_t anchor = (uint64_t)adr_anchor, anchor_page = anchor & ~0xffful;
    printf("adr: here%+ld fwd%+ld back%+ld\n", (int64_t)(here - anchor), (int64_t)(fwd - anchor),
           (int64_t)(back - anchor));
    printf("adrp: page%+ld fwd%+ld back%+ld (relative to the anchor's page)\n",
           (int64_t)(page - anchor_page), (int64_t)(page_fwd - anchor_page),
           (int64_t)(page_back - anchor_page));
    CHECK_EQ("adr .", here, anchor);
    CHECK_EQ("adr . + 1MiB-1", fwd - anchor, 4 + 1048575);
    CHECK_EQ("adr . - 1MiB", anchor + 8 - back, 1048576);
    CHECK_EQ("adrp page", page, anchor_page);
    CHECK_EQ("adrp fwd", page_fwd - page, 0x12345000);
    CHECK_EQ("adrp back", page - page_back, 0xfffff000);
    CHECK_EQ("adrp symbol", sym_page, (uint64_t)common_values & ~0xffful);
}

/* ---- bitfield moves ---- */
#define BITFIELD_OPS(X)                                                       \
    X(sbfm_x_0_63, "sbfm %x[d], %x[n], #0, #63", false)                       \
    X(sbfm_x_63_63, "sbfm %x[d], %x[n], #63, #63", false) /* asr #63 */       \
    X(sbfm_x_4_2, "sbfm %x[d], %x[n], #4, #2", false)     /* sbfiz */         \
    X(sbfm_w_31_31, "sbfm %w[d], %w[n], #31, #31", false)                     \
    X(sbfm_w_8_3, "sbfm %w[d], %w[n], #8, #3", false)                         \
    X(ubfm_x_1_0, "ubfm %x[d], %x[n], #1, #0", false)                         \
    X(ubfm_w_31_30, "ubfm %w[d], %w[n], #31, #30", false)                     \
    X(bfm_x_60_3, "bfm %x[d], %x[n], #60, #3", true)                          \
    X(bfm_w_0_31, "bfm %w[d], %w[n], #0, #31", true)                          \
    X(lsl_w_0, "lsl %w[d], %w[n], #0", false)                                 \
    X(lsl_w_1, "lsl %w[d], %w[n], #1", false)                                 \
    X(lsl_w_31, "lsl %w[d], %w[n], #31", false)                               \
    X(lsl_x_1, "lsl %x[d], %x[n], #1", false)                                 \
    X(lsl_x_63, "lsl %x[d], %x[n], #63", false)                               \
    X(lsr_w_1, "lsr %w[d], %w[n], #1", false)                                 \
    X(lsr_w_31, "lsr %w[d], %w[n], #31", false)                               \
    X(lsr_x_1, "lsr %x[d], %x[n], #1", false)                                 \
    X(lsr_x_63, "lsr %x[d], %x[n], #63", false)                               \
    X(asr_w_1, "asr %w[d], %w[n], #1", false)                                 \
    X(asr_w_31, "asr %w[d], %w[n], #31", false)                               \
    X(asr_x_1, "asr %x[d], %x[n], #1", false)                                 \
    X(asr_x_63, "asr %x[d], %x[n], #63", false)                               \
    X(uxtb, "uxtb %w[d], %w[n]", false)                                       \
    X(uxth, "uxth %w[d], %w[n]", false)                                       \
    X(sxtb_w, "sxtb %w[d], %w[n]", false)                                     \
    X(sxtb_x, "sxtb %x[d], %w[n]", false)                                     \
    X(sxth_w, "sxth %w[d], %w[n]", false)                                     \
    X(sxth_x, "sxth %x[d], %w[n]", false)                                     \
    X(sxtw, "sxtw %x[d], %w[n]", false)                                       \
    X(ubfx_x, "ubfx %x[d], %x[n], #8, #16", false)                            \
    X(ubfx_w, "ubfx %w[d], %w[n], #28, #4", false)                            \
    X(sbfx_x, "sbfx %x[d], %x[n], #60, #4", false)                            \
    X(sbfx_w, "sbfx %w[d], %w[n], #0, #1", false)                             \
    X(ubfiz_x, "ubfiz %x[d], %x[n], #48, #16", false)                         \
    X(sbfiz_w, "sbfiz %w[d], %w[n], #30, #2", false)                          \
    X(bfi_x, "bfi %x[d], %x[n], #12, #8", true)                               \
    X(bfi_w, "bfi %w[d], %w[n], #31, #1", true)                               \
    X(bfxil_x, "bfxil %x[d], %x[n], #56, #8", true)                           \
    X(bfxil_w, "bfxil %w[d], %w[n], #1, #30", true)
/* RMW ones start from ~n, so inserted and kept bits are distinguishable. */
#define DEF_BITFIELD(id, insn, rmw) DEF_OP1_INIT(bf_##id, insn, rmw ? ~n : D_MARKER)
BITFIELD_OPS(DEF_BITFIELD)
#define BITFIELD_ENTRY(id, insn, rmw) { insn, bf_##id },
static const struct op1 bitfield_ops[] = { BITFIELD_OPS(BITFIELD_ENTRY) };

static void test_bitfield(void)
{
    uint64_t f = 0;

    sweep_op1(bitfield_ops, ARRAY_SIZE(bitfield_ops), common_values, ARRAY_SIZE(common_values),
              FLAG_Z);
    /* A few Arm ARM answers. */
    CHECK_EQ("asr x #63", bf_asr_x_63(0x8000000000000000, &f), ~0ul);
    CHECK_EQ("lsr w #31", bf_lsr_w_31(0xffffffffffffffff, &f), 1);
    CHECK_EQ("sxtw", bf_sxtw(0x0000000080000000, &f), 0xffffffff80000000);
    CHECK_EQ("sxtb w", bf_sxtb_w(0x80, &f), 0xffffff80);
    CHECK_EQ("ubfx x #8,#16", bf_ubfx_x(0x0123456789abcdef, &f), 0xabcd);
    CHECK_EQ("sbfx x #60,#4", bf_sbfx_x(0x8000000000000000, &f), ~0ul - 7);
    CHECK_EQ("bfi x #12,#8", bf_bfi_x(0xab, &f), (~0xabul & ~0xff000ul) | 0xab000);
    CHECK_EQ("ubfiz x #48,#16", bf_ubfiz_x(0x1234, &f), 0x1234000000000000);
    CHECK_EQ("bitfield ops keep flags", f, 0);
}

/* ---- EXTR / ROR (immediate) ---- */
DEF_OP2(extr_x_0, "extr %x[d], %x[n], %x[m], #0")
DEF_OP2(extr_x_1, "extr %x[d], %x[n], %x[m], #1")
DEF_OP2(extr_x_32, "extr %x[d], %x[n], %x[m], #32")
DEF_OP2(extr_x_63, "extr %x[d], %x[n], %x[m], #63")
DEF_OP2(extr_w_0, "extr %w[d], %w[n], %w[m], #0")
DEF_OP2(extr_w_1, "extr %w[d], %w[n], %w[m], #1")
DEF_OP2(extr_w_31, "extr %w[d], %w[n], %w[m], #31")
DEF_OP1(ror_x_8, "ror %x[d], %x[n], #8")
DEF_OP1(ror_x_63, "ror %x[d], %x[n], #63")
DEF_OP1(ror_w_1, "ror %w[d], %w[n], #1")
DEF_OP1(ror_w_16, "ror %w[d], %w[n], #16")

static const struct op2 extr_ops[] = {
    { "extr x #0", extr_x_0 }, { "extr x #1", extr_x_1 }, { "extr x #32", extr_x_32 },
    { "extr x #63", extr_x_63 }, { "extr w #0", extr_w_0 }, { "extr w #1", extr_w_1 },
    { "extr w #31", extr_w_31 },
};
static const struct op1 ror_ops[] = {
    { "ror x #8", ror_x_8 }, { "ror x #63", ror_x_63 }, { "ror w #1", ror_w_1 },
    { "ror w #16", ror_w_16 },
};

static void test_extr(void)
{
    uint64_t f = 0;

    sweep_op2(extr_ops, ARRAY_SIZE(extr_ops), pair_values, ARRAY_SIZE(pair_values), 0);
    sweep_op1(ror_ops, ARRAY_SIZE(ror_ops), common_values, ARRAY_SIZE(common_values), 0);
    /* EXTR takes the low bits from Rm and the high bits from Rn. */
    CHECK_EQ("extr x #32", extr_x_32(0x1111111122222222, 0x3333333344444444, &f),
             0x2222222233333333);
    CHECK_EQ("extr w #31", extr_w_31(0x1, 0x80000000, &f), 0x3);
    CHECK_EQ("ror w #16", ror_w_16(0xffffffff12345678, &f), 0x56781234);
}

int main(void)
{
    test_addsub_imm();
    test_addsub_sp();
    test_logical_imm();
    test_move_wide();
    test_adr();
    test_bitfield();
    test_extr();
    return 0;
}
