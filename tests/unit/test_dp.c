/* Data processing (immediate and register): real instruction words run on
 * the harness CPU, checked against the architectural results. Encodings come
 * from the GNU assembler. */
#include <check.h>
#include <stdlib.h>

#include "decoder/a64.h"
#include "harness.h"
#include "unit_main.h"

#define BASE HARNESS_RAM_BASE
#define VBAR (BASE + 0x10000)
#define NOP 0xd503201fu
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define FLAGS(n, z, c, v) ((uint32_t)(n) << 31 | (uint32_t)(z) << 30 | (uint32_t)(c) << 29 | (uint32_t)(v) << 28)

static Harness h;
static uint64_t next_code;

/* The vector holds a run of NOPs so that a run stops there after an
 * exception instead of faulting again (and overwriting ELR_EL2). */
static void setup(void)
{
    harness_init(&h, "max", 2);
    next_code = BASE;
    h.cpu.sr[SR_VBAR_EL2] = VBAR;
    uint32_t nops[256];
    for (unsigned i = 0; i < N_OF(nops); i++)
        nops[i] = NOP;
    harness_code(&h, VBAR + 0x200, nops, N_OF(nops));
}

static void teardown(void) { harness_destroy(&h); }

static void set_feature_field(unsigned shift, uint64_t value)
{
    h.cpu.sr[SR_ID_AA64ISAR0_EL1] = (h.cpu.sr[SR_ID_AA64ISAR0_EL1] & ~(0xfull << shift)) | value << shift;
    features_compute(&h.cpu.features, h.cpu.sr);
}

/* Runs insns followed by a UDF (0), each run at a fresh address so that no
 * stale translation is reused: returns the offset from the start of the run
 * of the instruction that took the (first) UNDEF exception. */
static uint64_t run_until_undef(const uint32_t *insns, unsigned n)
{
    static const uint64_t stride = 0x100;
    uint32_t code[stride / 4];
    ck_assert_uint_lt(n, N_OF(code));
    for (unsigned i = 0; i < n; i++)
        code[i] = insns[i];
    code[n] = 0;
    uint64_t start = next_code;
    next_code += stride;
    harness_code(&h, start, code, n + 1);
    h.cpu.pc = start;
    h.cpu.sr[SR_ESR_EL2] = ~0ull;
    harness_run(&h, n + 1);
    ck_assert_uint_eq(h.cpu.sr[SR_ESR_EL2] >> 26, 0); /* EC: unknown reason */
    ck_assert_uint_ge(h.cpu.pc, VBAR + 0x200);         /* went through the current-EL SPx vector */
    return h.cpu.sr[SR_ELR_EL2] - start;
}

/* Every instruction must retire: the UNDEF is the trailing UDF. */
static void run(const uint32_t *insns, unsigned n) { ck_assert_uint_eq(run_until_undef(insns, n), 4ull * n); }
#define RUN(...) do { const uint32_t c_[] = {__VA_ARGS__}; run(c_, N_OF(c_)); } while (0)

static void expect_undef(uint32_t insn) { ck_assert_uint_eq(run_until_undef(&insn, 1), 0); }

START_TEST(table_entries_nest)
{
    ck_assert_uint_eq(a64_table_check(stderr), 0);
}
END_TEST

START_TEST(adr_adrp)
{
    RUN(0x10000080 /* adr x0, .+16 */, 0xf0ffffe1 /* adrp x1, .-0x1000 */, 0x10ffffe2 /* adr x2, .-4 */, 0xf03fffe3 /* adrp x3, .+0x7ffff000 */);
    ck_assert_uint_eq(h.cpu.x[0], BASE + 0x10);
    ck_assert_uint_eq(h.cpu.x[1], BASE - 0x1000);
    ck_assert_uint_eq(h.cpu.x[2], BASE + 4);
    ck_assert_uint_eq(h.cpu.x[3], BASE + 0x7ffff000);
}
END_TEST

START_TEST(add_sub_immediate)
{
    h.cpu.x[1] = ~0ull;
    h.cpu.x[3] = 0xdeadbeefffffffffull;
    h.cpu.x[7] = 0xffffffff00000000ull;
    h.cpu.sp = BASE + 0x8000;
    RUN(0x91000420 /* add x0, x1, #1 */, 0x117ffc62 /* add w2, w3, #0xfff, lsl #12 */, 0x910043ff /* add sp, sp, #16 */, 0x910003e4 /* mov x4, sp */,
        0x510023e5 /* sub w5, wsp, #8 */, 0xb1000426 /* adds x6, x1, #1 */);
    ck_assert_uint_eq(h.cpu.x[0], 0);
    ck_assert_uint_eq(h.cpu.x[2], 0x00ffefff);
    ck_assert_uint_eq(h.cpu.sp, BASE + 0x8010);
    ck_assert_uint_eq(h.cpu.x[4], BASE + 0x8010);
    ck_assert_uint_eq(h.cpu.x[5], (uint32_t)(BASE + 0x8008));
    ck_assert_uint_eq(h.cpu.x[6], 0);
    ck_assert_uint_eq(h.cpu.nzcv, FLAGS(0, 1, 1, 0));
}
END_TEST

START_TEST(adds_subs_immediate_write_xzr_not_sp)
{
    h.cpu.sp = BASE + 0x8000;
    h.cpu.x[1] = 5;
    h.cpu.x[7] = 0xffffffff00000000ull;
    RUN(0xb100143f /* cmn x1, #5 */, 0x710004e6 /* subs w6, w7, #1 */);
    ck_assert_uint_eq(h.cpu.sp, BASE + 0x8000);
    ck_assert_uint_eq(h.cpu.x[6], 0xffffffff);
    ck_assert_uint_eq(h.cpu.nzcv, FLAGS(1, 0, 0, 0));
    RUN(0xf14023ff /* cmp sp, #0x8, lsl #12 */);
    ck_assert_uint_eq(h.cpu.sp, BASE + 0x8000);
    ck_assert_uint_eq(h.cpu.nzcv, FLAGS(0, 0, 1, 0));
    h.cpu.x[2] = 0x7fffffff;
    RUN(0x31000443 /* adds w3, w2, #1 */);
    ck_assert_uint_eq(h.cpu.x[3], 0x80000000);
    ck_assert_uint_eq(h.cpu.nzcv, FLAGS(1, 0, 0, 1));
}
END_TEST

START_TEST(logical_immediate)
{
    h.cpu.x[1] = 0x123456789abcdef0ull;
    h.cpu.x[2] = 0xffffffffffffffffull;
    RUN(0x92401c20 /* and x0, x1, #0xff */, 0x3201f3e3 /* orr w3, wzr, #0xaaaaaaaa */, 0xd200f024 /* eor x4, x1, #0x5555555555555555 */,
        0x9200cc45 /* and x5, x2, #0x0f0f0f0f0f0f0f0f */, 0x92441c46 /* and x6, x2, #0xf00000000000000f */, 0x121f7447 /* and w7, w2, #0x7ffffffe */,
        0xb2101fe8 /* orr x8, xzr, #0x00ff000000ff0000 */, 0x9240f849 /* and x9, x2, #0x7fffffffffffffff */, 0xf241002a /* ands x10, x1, #0x8000000000000000 */);
    ck_assert_uint_eq(h.cpu.x[0], 0xf0);
    ck_assert_uint_eq(h.cpu.x[3], 0xaaaaaaaa);
    ck_assert_uint_eq(h.cpu.x[4], 0x123456789abcdef0ull ^ 0x5555555555555555ull);
    ck_assert_uint_eq(h.cpu.x[5], 0x0f0f0f0f0f0f0f0full);
    ck_assert_uint_eq(h.cpu.x[6], 0xf00000000000000full);
    ck_assert_uint_eq(h.cpu.x[7], 0x7ffffffe);
    ck_assert_uint_eq(h.cpu.x[8], 0x00ff000000ff0000ull);
    ck_assert_uint_eq(h.cpu.x[9], 0x7fffffffffffffffull);
    ck_assert_uint_eq(h.cpu.x[10], 0);
    ck_assert_uint_eq(h.cpu.nzcv, FLAGS(0, 1, 0, 0));
}
END_TEST

START_TEST(logical_immediate_sp_and_flags)
{
    h.cpu.x[1] = 0x80000001;
    h.cpu.nzcv = FLAGS(0, 0, 1, 1); /* C and V are cleared by ANDS */
    RUN(0xb27003ff /* orr sp, xzr, #0x10000 */, 0x7201003f /* tst w1, #0x80000000 */);
    ck_assert_uint_eq(h.cpu.sp, 0x10000);
    ck_assert_uint_eq(h.cpu.nzcv, FLAGS(1, 0, 0, 0));
}
END_TEST

START_TEST(logical_immediate_reserved)
{
    expect_undef(0x12400020); /* and w0, w1 with N = 1 */
}
END_TEST

START_TEST(logical_immediate_all_ones_element_64)
{
    expect_undef(0x9240fc20); /* N = 1, imms = 111111 */
}
END_TEST

START_TEST(logical_immediate_no_element_size)
{
    expect_undef(0x9200fc20); /* N = 0, imms = 111111 */
}
END_TEST

START_TEST(logical_immediate_all_ones_element_32)
{
    expect_undef(0x12007c20); /* 32-bit element of 32 ones */
}
END_TEST

START_TEST(move_wide)
{
    h.cpu.x[3] = 0x1111111111111111ull;
    h.cpu.x[4] = ~0ull;
    RUN(0xd2e24680 /* movz x0, #0x1234, lsl #48 */, 0x12800001 /* movn w1, #0 */, 0x92a00022 /* movn x2, #1, lsl #16 */, 0xf2b7dde3 /* movk x3, #0xbeef, lsl #16 */,
        0x729579a4 /* movk w4, #0xabcd */, 0x52bfffe5 /* movz w5, #0xffff, lsl #16 */, 0x12a24686 /* movn w6, #0x1234, lsl #16 */, 0xf280003f /* movk xzr, #1 */);
    ck_assert_uint_eq(h.cpu.x[0], 0x1234000000000000ull);
    ck_assert_uint_eq(h.cpu.x[1], 0xffffffff);
    ck_assert_uint_eq(h.cpu.x[2], ~0x10000ull);
    ck_assert_uint_eq(h.cpu.x[3], 0x11111111beef1111ull);
    ck_assert_uint_eq(h.cpu.x[4], 0xffffabcd);
    ck_assert_uint_eq(h.cpu.x[5], 0xffff0000);
    ck_assert_uint_eq(h.cpu.x[6], 0xedcbffff);
}
END_TEST

START_TEST(move_wide_w_with_hw_2)
{
    expect_undef(0x52c00020); /* movz w0, #1, lsl #32 */
}
END_TEST

START_TEST(move_wide_opc_01)
{
    expect_undef(0x32800000);
}
END_TEST

START_TEST(bitfield_aliases)
{
    h.cpu.x[1] = 0x8123456789abcdefull;
    h.cpu.x[3] = 0xffffffff80000010ull;
    h.cpu.x[6] = 0x5555555555555555ull;
    h.cpu.x[7] = 0x1111111111111111ull;
    h.cpu.x[8] = 0x2222222222222222ull;
    RUN(0xd37cec20 /* lsl x0, x1, #4 */, 0x53047c62 /* lsr w2, w3, #4 */, 0x937ffc24 /* asr x4, x1, #63 */, 0x93483c25 /* sbfx x5, x1, #8, #8 */,
        0xb37c0c26 /* bfi x6, x1, #4, #4 */, 0xb37cfc27 /* bfxil x7, x1, #60, #4 */, 0xd37cfc29 /* ubfx x9, x1, #60, #4 */, 0x93401c2a /* sxtb x10, w1 */,
        0x13003c2b /* sxth w11, w1 */, 0x93407c2c /* sxtw x12, w1 */, 0x53001c2d /* uxtb w13, w1 */, 0x53003c2e /* uxth w14, w1 */, 0x93440c2f /* sbfiz x15, x1, #60, #4 */,
        0x131f7c70 /* asr w16, w3, #31 */, 0x331c0c28 /* bfm w8, w1, #28, #3 */, 0x53010031 /* ubfiz w17, w1, #31, #1 */, 0x53007c72 /* lsl w18, w3, #0 */);
    ck_assert_uint_eq(h.cpu.x[0], 0x123456789abcdef0ull);
    ck_assert_uint_eq(h.cpu.x[2], 0x08000001);
    ck_assert_uint_eq(h.cpu.x[4], ~0ull);
    ck_assert_uint_eq(h.cpu.x[5], 0xffffffffffffffcdull);
    ck_assert_uint_eq(h.cpu.x[6], 0x55555555555555f5ull);
    ck_assert_uint_eq(h.cpu.x[7], 0x1111111111111118ull);
    ck_assert_uint_eq(h.cpu.x[9], 0x8);
    ck_assert_uint_eq(h.cpu.x[10], 0xffffffffffffffefull);
    ck_assert_uint_eq(h.cpu.x[11], 0xffffcdef);
    ck_assert_uint_eq(h.cpu.x[12], 0xffffffff89abcdefull);
    ck_assert_uint_eq(h.cpu.x[13], 0xef);
    ck_assert_uint_eq(h.cpu.x[14], 0xcdef);
    ck_assert_uint_eq(h.cpu.x[15], 0xf000000000000000ull);
    ck_assert_uint_eq(h.cpu.x[16], 0xffffffff);
    /* BFM with S < R wraps: inserts w1<3:0> at bit 4 of w8 (bfi w8, w1, #4, #4) */
    ck_assert_uint_eq(h.cpu.x[8], 0x222222f2);
    ck_assert_uint_eq(h.cpu.x[17], 0x80000000);
    ck_assert_uint_eq(h.cpu.x[18], 0x80000010);
}
END_TEST

START_TEST(bitfield_sf1_n0)
{
    expect_undef(0x93000020);
}
END_TEST

START_TEST(bitfield_sf0_n1)
{
    expect_undef(0x13400020);
}
END_TEST

START_TEST(bitfield_sf0_immr_32)
{
    expect_undef(0x13200020);
}
END_TEST

START_TEST(bitfield_opc_11)
{
    expect_undef(0x73000020);
}
END_TEST

START_TEST(extract)
{
    h.cpu.x[1] = 0x0123456789abcdefull;
    h.cpu.x[2] = 0xfedcba9876543210ull;
    h.cpu.x[4] = 0xffffffff12345678ull;
    RUN(0x93c22020 /* extr x0, x1, x2, #8 */, 0x13841083 /* ror w3, w4, #4 */, 0x93c20025 /* extr x5, x1, x2, #0 */, 0x13827c26 /* extr w6, w1, w2, #31 */,
        0x93c1fc27 /* ror x7, x1, #63 */);
    ck_assert_uint_eq(h.cpu.x[0], 0xeffedcba98765432ull);
    ck_assert_uint_eq(h.cpu.x[3], 0x81234567);
    ck_assert_uint_eq(h.cpu.x[5], 0xfedcba9876543210ull);
    ck_assert_uint_eq(h.cpu.x[6], 0x13579bde);
    ck_assert_uint_eq(h.cpu.x[7], 0x02468acf13579bdeull);
}
END_TEST

START_TEST(extract_sf1_n0)
{
    expect_undef(0x93822020); /* extr x0, x1, x2, #8 with N = 0 */
}
END_TEST

START_TEST(extract_w_lsb_32)
{
    expect_undef(0x13828020); /* extr w0, w1, w2, #32 */
}
END_TEST

START_TEST(logical_shifted)
{
    h.cpu.x[1] = 0xff00ff00ff00ff00ull;
    h.cpu.x[2] = 0x80000000000000f1ull;
    RUN(0x8a021020 /* and x0, x1, x2, lsl #4 */, 0x0ae22023 /* bic w3, w1, w2, ror #8 */, 0xaa420424 /* orr x4, x1, x2, lsr #1 */, 0xaa2203e5 /* mvn x5, x2 */,
        0xca82fc26 /* eor x6, x1, x2, asr #63 */, 0x4a220027 /* eon w7, w1, w2 */, 0x2a2203e8 /* orn w8, wzr, w2, lsl #0 */, 0xea020029 /* ands x9, x1, x2 */);
    ck_assert_uint_eq(h.cpu.x[0], 0xff00ff00ff00ff00ull & 0x0000000000000f10ull);
    ck_assert_uint_eq(h.cpu.x[3], 0xff00ff00u & ~0xf1000000u);
    ck_assert_uint_eq(h.cpu.x[4], 0xff00ff00ff00ff00ull | 0x4000000000000078ull);
    ck_assert_uint_eq(h.cpu.x[5], ~0x80000000000000f1ull);
    ck_assert_uint_eq(h.cpu.x[6], ~0xff00ff00ff00ff00ull);
    ck_assert_uint_eq(h.cpu.x[7], (uint32_t) ~(0xff00ff00u ^ 0xf1u));
    ck_assert_uint_eq(h.cpu.x[8], 0xffffff0e);
    ck_assert_uint_eq(h.cpu.x[9], 0x8000000000000000ull);
    ck_assert_uint_eq(h.cpu.nzcv, FLAGS(1, 0, 0, 0));
    h.cpu.nzcv = FLAGS(0, 0, 1, 1);
    RUN(0x6a21003f /* bics wzr, w1, w1 */);
    ck_assert_uint_eq(h.cpu.nzcv, FLAGS(0, 1, 0, 0));
}
END_TEST

START_TEST(logical_shifted_w_amount_32)
{
    expect_undef(0x0a028020); /* and w0, w1, w2, lsl #32 */
}
END_TEST

START_TEST(add_sub_shifted)
{
    h.cpu.x[1] = 0x7fffffffffffffffull;
    h.cpu.x[2] = 1;
    h.cpu.x[3] = 0x80000000;
    RUN(0x8b020c20 /* add x0, x1, x2, lsl #3 */, 0x4b837c44 /* sub w4, w2, w3, asr #31 */, 0xcb0203e5 /* neg x5, x2 */, 0x6b0203e6 /* negs w6, w2 */,
        0xab020027 /* adds x7, x1, x2 */);
    ck_assert_uint_eq(h.cpu.x[0], 0x8000000000000007ull);
    ck_assert_uint_eq(h.cpu.x[4], 2);
    ck_assert_uint_eq(h.cpu.x[5], ~0ull);
    ck_assert_uint_eq(h.cpu.x[6], 0xffffffff);
    ck_assert_uint_eq(h.cpu.x[7], 0x8000000000000000ull);
    ck_assert_uint_eq(h.cpu.nzcv, FLAGS(1, 0, 0, 1));
    RUN(0xeb010028 /* subs x8, x1, x1 */);
    ck_assert_uint_eq(h.cpu.nzcv, FLAGS(0, 1, 1, 0));
    RUN(0x6b43045f /* cmp w2, w3, lsr #1 */);
    ck_assert_uint_eq(h.cpu.nzcv, FLAGS(1, 0, 0, 0));
    RUN(0xeb1f0049 /* subs x9, x2, xzr */);
    ck_assert_uint_eq(h.cpu.nzcv, FLAGS(0, 0, 1, 0));
}
END_TEST

START_TEST(add_sub_shifted_ror)
{
    expect_undef(0x8bc20020);
}
END_TEST

START_TEST(add_sub_shifted_w_amount_32)
{
    expect_undef(0x0b028020);
}
END_TEST

START_TEST(add_sub_extended)
{
    h.cpu.sp = BASE + 0x8000;
    h.cpu.x[1] = 0xffffffff000000f0ull;
    h.cpu.x[3] = 0x1000;
    RUN(0x8b214be0 /* add x0, sp, w1, uxtw #2 */, 0xcb218062 /* sub x2, x3, w1, sxtb */, 0x0b210465 /* add w5, w3, w1, uxtb #1 */,
        0x8b21f066 /* add x6, x3, x1, sxtx #4 */, 0xcb21ac67 /* sub x7, x3, w1, sxth #3 */, 0x8b2363ff /* add sp, sp, x3 */,
        0xab213064 /* adds x4, x3, w1, uxth #4 */);
    ck_assert_uint_eq(h.cpu.x[0], BASE + 0x8000 + 0x3c0);
    ck_assert_uint_eq(h.cpu.x[2], 0x1000 + 0x10);
    ck_assert_uint_eq(h.cpu.x[5], 0x11e0);
    ck_assert_uint_eq(h.cpu.x[6], 0x1000 + (0xffffffff000000f0ull << 4));
    ck_assert_uint_eq(h.cpu.x[7], 0x1000 - (0xf0ull << 3));
    ck_assert_uint_eq(h.cpu.sp, BASE + 0x9000);
    ck_assert_uint_eq(h.cpu.x[4], 0x1f00);
    ck_assert_uint_eq(h.cpu.nzcv, 0);
    RUN(0xeb2363ff /* cmp sp, x3 */, 0x2b2343ff /* cmn wsp, w3, uxtw */);
    ck_assert_uint_eq(h.cpu.sp, BASE + 0x9000);
    ck_assert_uint_eq(h.cpu.nzcv, FLAGS(0, 0, 0, 0));
}
END_TEST

START_TEST(add_sub_extended_shift_5)
{
    expect_undef(0x8b225420); /* add x0, x1, w2, uxtw #5 */
}
END_TEST

START_TEST(add_sub_with_carry)
{
    h.cpu.x[1] = 5;
    h.cpu.x[2] = 3;
    h.cpu.x[3] = 0x7fffffff;
    h.cpu.nzcv = FLAGS(0, 0, 1, 0);
    RUN(0x9a020020 /* adc x0, x1, x2 */, 0xda020024 /* sbc x4, x1, x2 */, 0x3a1f0065 /* adcs w5, w3, wzr */);
    ck_assert_uint_eq(h.cpu.x[0], 9);
    ck_assert_uint_eq(h.cpu.x[4], 2);
    ck_assert_uint_eq(h.cpu.x[5], 0x80000000);
    ck_assert_uint_eq(h.cpu.nzcv, FLAGS(1, 0, 0, 1));
    RUN(0xfa020026 /* sbcs x6, x1, x2 */, 0x5a0203e7 /* ngc w7, w2 */);
    ck_assert_uint_eq(h.cpu.x[6], 1);
    ck_assert_uint_eq(h.cpu.x[7], 0xfffffffd);
    ck_assert_uint_eq(h.cpu.nzcv, FLAGS(0, 0, 1, 0));
    h.cpu.nzcv = FLAGS(0, 0, 1, 0);
    RUN(0x7a020048 /* sbcs w8, w2, w2 */);
    ck_assert_uint_eq(h.cpu.x[8], 0);
    ck_assert_uint_eq(h.cpu.nzcv, FLAGS(0, 1, 1, 0));
}
END_TEST

START_TEST(conditional_compare)
{
    h.cpu.x[1] = 3;
    h.cpu.x[2] = 3;
    h.cpu.nzcv = FLAGS(0, 1, 0, 0);
    RUN(0xfa42002f /* ccmp x1, x2, #0xf, eq */);
    ck_assert_uint_eq(h.cpu.nzcv, FLAGS(0, 1, 1, 0));
    h.cpu.nzcv = 0;
    RUN(0xfa420029 /* ccmp x1, x2, #0x9, eq */);
    ck_assert_uint_eq(h.cpu.nzcv, FLAGS(1, 0, 0, 1));
    RUN(0x3a451822 /* ccmn w1, #5, #2, ne */);
    ck_assert_uint_eq(h.cpu.nzcv, 0);
    h.cpu.x[1] = 0xfffffffb;
    RUN(0x3a45e820 /* ccmn w1, #5, #0, al */);
    ck_assert_uint_eq(h.cpu.nzcv, FLAGS(0, 1, 1, 0));
    RUN(0xfa5ff840 /* ccmp x2, #31, #0, nv */);
    ck_assert_uint_eq(h.cpu.nzcv, FLAGS(1, 0, 0, 0));
}
END_TEST

START_TEST(conditional_select)
{
    h.cpu.x[1] = 0xffffffff00000010ull;
    h.cpu.x[2] = 0xffffffff00000020ull;
    h.cpu.nzcv = FLAGS(0, 1, 0, 0);
    RUN(0x9a820020 /* csel x0, x1, x2, eq */, 0x9a821023 /* csel x3, x1, x2, ne */, 0x1a821424 /* csinc w4, w1, w2, ne */, 0xda821025 /* csinv x5, x1, x2, ne */,
        0x5a821426 /* csneg w6, w1, w2, ne */, 0x9a9f17e7 /* cset x7, eq */, 0x5a9f13e8 /* csetm w8, eq */, 0xda811429 /* cneg x9, x1, eq */, 0x9a82e42a /* csinc x10, x1, x2, al */);
    ck_assert_uint_eq(h.cpu.x[0], 0xffffffff00000010ull);
    ck_assert_uint_eq(h.cpu.x[3], 0xffffffff00000020ull);
    ck_assert_uint_eq(h.cpu.x[4], 0x21);
    ck_assert_uint_eq(h.cpu.x[5], 0x00000000ffffffdfull);
    ck_assert_uint_eq(h.cpu.x[6], 0xffffffe0);
    ck_assert_uint_eq(h.cpu.x[7], 1);
    ck_assert_uint_eq(h.cpu.x[8], 0xffffffff);
    ck_assert_uint_eq(h.cpu.x[9], 0x00000000fffffff0ull);
    ck_assert_uint_eq(h.cpu.x[10], 0xffffffff00000010ull);
}
END_TEST

START_TEST(divide)
{
    h.cpu.x[1] = 0x8000000000000000ull;
    h.cpu.x[2] = ~0ull;
    h.cpu.x[3] = (uint64_t)-7;
    h.cpu.x[4] = 2;
    h.cpu.x[5] = 0xffffffff80000000ull;
    RUN(0x9adf0820 /* udiv x0, x1, xzr */, 0x9ac20c26 /* sdiv x6, x1, x2 */, 0x1ac20ca7 /* sdiv w7, w5, w2 */, 0x9ac40c68 /* sdiv x8, x3, x4 */, 0x1ac40849 /* udiv w9, w2, w4 */,
        0x1adf0c6a /* sdiv w10, w3, wzr */, 0x9ac4084b /* udiv x11, x2, x4 */, 0x1ac40c6c /* sdiv w12, w3, w4 */);
    ck_assert_uint_eq(h.cpu.x[0], 0);
    ck_assert_uint_eq(h.cpu.x[6], 0x8000000000000000ull);
    ck_assert_uint_eq(h.cpu.x[7], 0x80000000);
    ck_assert_uint_eq(h.cpu.x[8], (uint64_t)-3);
    ck_assert_uint_eq(h.cpu.x[9], 0x7fffffff);
    ck_assert_uint_eq(h.cpu.x[10], 0);
    ck_assert_uint_eq(h.cpu.x[11], 0x7fffffffffffffffull);
    ck_assert_uint_eq(h.cpu.x[12], 0xfffffffd);
}
END_TEST

START_TEST(variable_shifts)
{
    h.cpu.x[1] = 0x8000000000000001ull;
    h.cpu.x[2] = 65;
    h.cpu.x[3] = 0xffffffff80000001ull;
    h.cpu.x[4] = 33;
    RUN(0x9ac22020 /* lsl x0, x1, x2 */, 0x9ac22425 /* lsr x5, x1, x2 */, 0x9ac22826 /* asr x6, x1, x2 */, 0x9ac22c27 /* ror x7, x1, x2 */, 0x1ac42068 /* lsl w8, w3, w4 */,
        0x1ac42469 /* lsr w9, w3, w4 */, 0x1ac4286a /* asr w10, w3, w4 */, 0x1ac42c6b /* ror w11, w3, w4 */, 0x9adf202c /* lsl x12, x1, xzr */);
    ck_assert_uint_eq(h.cpu.x[0], 2);
    ck_assert_uint_eq(h.cpu.x[5], 0x4000000000000000ull);
    ck_assert_uint_eq(h.cpu.x[6], 0xc000000000000000ull);
    ck_assert_uint_eq(h.cpu.x[7], 0xc000000000000000ull);
    ck_assert_uint_eq(h.cpu.x[8], 2);
    ck_assert_uint_eq(h.cpu.x[9], 0x40000000);
    ck_assert_uint_eq(h.cpu.x[10], 0xc0000000);
    ck_assert_uint_eq(h.cpu.x[11], 0xc0000000);
    ck_assert_uint_eq(h.cpu.x[12], 0x8000000000000001ull);
}
END_TEST

/* CRC of "123456789" with the usual pre/post inversion (done here, as
 * software does): CRC-32 0xCBF43926, CRC-32C 0xE3069283. */
START_TEST(crc32_check_values)
{
    h.cpu.x[0] = 0xffffffff;
    h.cpu.x[5] = 0xffffffff;
    h.cpu.x[1] = 0x3837363534333231ull;
    h.cpu.x[2] = 0xffffff39; /* only the low byte counts */
    RUN(0x9ac14c00 /* crc32x w0, w0, x1 */, 0x1ac24000 /* crc32b w0, w0, w2 */, 0x9ac15ca5 /* crc32cx w5, w5, x1 */, 0x1ac250a5 /* crc32cb w5, w5, w2 */);
    ck_assert_uint_eq(~h.cpu.x[0] & 0xffffffff, 0xcbf43926);
    ck_assert_uint_eq(~h.cpu.x[5] & 0xffffffff, 0xe3069283);
    h.cpu.x[0] = 0xffffffff;
    h.cpu.x[5] = 0xffffffff;
    h.cpu.x[1] = 0xaaaaaaaa34333231ull;
    h.cpu.x[2] = 0x3635;
    h.cpu.x[3] = 0xffff3837;
    h.cpu.x[4] = 0x39;
    RUN(0x1ac14800 /* crc32w w0, w0, w1 */, 0x1ac24400 /* crc32h w0, w0, w2 */, 0x1ac34400 /* crc32h w0, w0, w3 */, 0x1ac44000 /* crc32b w0, w0, w4 */,
        0x1ac158a5 /* crc32cw w5, w5, w1 */, 0x1ac254a5 /* crc32ch w5, w5, w2 */, 0x1ac354a5 /* crc32ch w5, w5, w3 */, 0x1ac450a5 /* crc32cb w5, w5, w4 */);
    ck_assert_uint_eq(h.cpu.x[0], 0xffffffffu & ~0xcbf43926u);
    ck_assert_uint_eq(h.cpu.x[5], 0xffffffffu & ~0xe3069283u);
}
END_TEST

START_TEST(crc32x_needs_sf)
{
    expect_undef(0x1ac14c00); /* crc32x with sf = 0 */
}
END_TEST

START_TEST(crc32b_with_sf)
{
    expect_undef(0x9ac14000);
}
END_TEST

START_TEST(crc32_gated_by_feature)
{
    set_feature_field(16, 0);
    expect_undef(0x1ac14000); /* crc32b w0, w0, w1 */
}
END_TEST

START_TEST(one_source)
{
    h.cpu.x[1] = 0x0123456789abcdefull;
    h.cpu.x[2] = 0;
    h.cpu.x[3] = ~0ull;
    h.cpu.x[4] = 1;
    h.cpu.x[5] = 0xffffffff00008000ull;
    RUN(0xdac00020 /* rbit x0, x1 */, 0x5ac00026 /* rbit w6, w1 */, 0xdac00427 /* rev16 x7, x1 */, 0x5ac00428 /* rev16 w8, w1 */, 0xdac00829 /* rev32 x9, x1 */, 0x5ac0082a /* rev w10, w1 */,
        0xdac00c2b /* rev x11, x1 */, 0xdac0104c /* clz x12, x2 */, 0x5ac0108d /* clz w13, w4 */, 0xdac0144e /* cls x14, x2 */, 0xdac0146f /* cls x15, x3 */, 0xdac01490 /* cls x16, x4 */,
        0x5ac014b1 /* cls w17, w5 */, 0xdac01072 /* clz x18, x3 */);
    ck_assert_uint_eq(h.cpu.x[0], 0xf7b3d591e6a2c480ull);
    ck_assert_uint_eq(h.cpu.x[6], 0xf7b3d591);
    ck_assert_uint_eq(h.cpu.x[7], 0x23016745ab89efcdull);
    ck_assert_uint_eq(h.cpu.x[8], 0xab89efcd);
    ck_assert_uint_eq(h.cpu.x[9], 0x67452301efcdab89ull);
    ck_assert_uint_eq(h.cpu.x[10], 0xefcdab89);
    ck_assert_uint_eq(h.cpu.x[11], 0xefcdab8967452301ull);
    ck_assert_uint_eq(h.cpu.x[12], 64);
    ck_assert_uint_eq(h.cpu.x[13], 31);
    ck_assert_uint_eq(h.cpu.x[14], 63);
    ck_assert_uint_eq(h.cpu.x[15], 63);
    ck_assert_uint_eq(h.cpu.x[16], 62);
    ck_assert_uint_eq(h.cpu.x[17], 15);
    ck_assert_uint_eq(h.cpu.x[18], 0);
}
END_TEST

START_TEST(rev_x_form_with_sf0)
{
    expect_undef(0x5ac00c20);
}
END_TEST

START_TEST(multiply)
{
    h.cpu.x[1] = 0xffffffff00000003ull;
    h.cpu.x[2] = 0xfffffffffffffffeull; /* -2 */
    h.cpu.x[3] = 100;
    RUN(0x9b020c20 /* madd x0, x1, x2, x3 */, 0x1b028c24 /* msub w4, w1, w2, w3 */, 0x9b027c45 /* mul x5, x2, x2 */, 0x1b01fc26 /* mneg w6, w1, w1 */,
        0x9b220c27 /* smaddl x7, w1, w2, x3 */, 0x9ba20c28 /* umaddl x8, w1, w2, x3 */, 0x9b228c29 /* smsubl x9, w1, w2, x3 */, 0x9ba27c4a /* umull x10, w2, w2 */,
        0x9b227c4b /* smull x11, w2, w2 */, 0x9b437c4c /* smulh x12, x2, x3 */, 0x9bc37c4d /* umulh x13, x2, x3 */, 0x9ba1fc2e /* umnegl x14, w1, w1 */);
    ck_assert_uint_eq(h.cpu.x[0], 100 + 0xffffffff00000003ull * 0xfffffffffffffffeull);
    ck_assert_uint_eq(h.cpu.x[4], 106);
    ck_assert_uint_eq(h.cpu.x[5], 4);
    ck_assert_uint_eq(h.cpu.x[6], 0xfffffff7);
    ck_assert_uint_eq(h.cpu.x[7], 94);
    ck_assert_uint_eq(h.cpu.x[8], 100 + 3ull * 0xfffffffeull);
    ck_assert_uint_eq(h.cpu.x[9], 106);
    ck_assert_uint_eq(h.cpu.x[10], 0xfffffffeull * 0xfffffffeull);
    ck_assert_uint_eq(h.cpu.x[11], 4);
    ck_assert_uint_eq(h.cpu.x[12], ~0ull);
    ck_assert_uint_eq(h.cpu.x[13], 99);
    ck_assert_uint_eq(h.cpu.x[14], (uint64_t)-9);
}
END_TEST

START_TEST(flag_manipulation)
{
    set_feature_field(52, 2);
    h.cpu.x[1] = 0x50; /* ROR #4 gives 0b0101 in bits 3:0 */
    h.cpu.x[2] = 0x100;
    h.cpu.x[3] = 0x10000;
    h.cpu.nzcv = FLAGS(1, 0, 0, 0);
    RUN(0xd500401f /* cfinv */);
    ck_assert_uint_eq(h.cpu.nzcv, FLAGS(1, 0, 1, 0));
    RUN(0xba020423 /* rmif x1, #4, #0x3 */);
    ck_assert_uint_eq(h.cpu.nzcv, FLAGS(1, 0, 0, 1));
    RUN(0x3a00084d /* setf8 w2 */);
    ck_assert_uint_eq(h.cpu.nzcv, FLAGS(0, 1, 0, 1));
    h.cpu.nzcv = FLAGS(0, 0, 1, 0);
    RUN(0x3a00486d /* setf16 w3 */);
    ck_assert_uint_eq(h.cpu.nzcv, FLAGS(0, 1, 1, 1));
    h.cpu.nzcv = FLAGS(1, 0, 1, 1);
    RUN(0xd500405f /* axflag */);
    ck_assert_uint_eq(h.cpu.nzcv, FLAGS(0, 1, 0, 0));
    h.cpu.nzcv = FLAGS(0, 0, 0, 0);
    RUN(0xd500403f /* xaflag */);
    ck_assert_uint_eq(h.cpu.nzcv, FLAGS(1, 0, 0, 0));
    h.cpu.nzcv = FLAGS(0, 1, 0, 0);
    RUN(0xd500403f /* xaflag */);
    ck_assert_uint_eq(h.cpu.nzcv, FLAGS(0, 0, 1, 1));
}
END_TEST

START_TEST(flagm_gated_by_feature)
{
    expect_undef(0xd500401f); /* cfinv without FEAT_FLAGM */
}
END_TEST

START_TEST(flagm2_gated_by_feature)
{
    set_feature_field(52, 1);
    expect_undef(0xd500405f); /* axflag needs FEAT_FLAGM2 */
}
END_TEST


/* Encodings next to allocated ones that must stay unallocated here. */
START_TEST(unallocated_neighbours)
{
    static const uint32_t words[] = {
        0xfa420420, /* ccmp with o2 = 1 */
        0xfa420030, /* ccmp with o3 = 1 */
        0x9a820820, /* csel with op2<1> = 1 */
        0xba820020, /* csel with S = 1 */
        0xdac01820, /* opcode 000110 of 1-source (CTZ, FEAT_CSSC absent) */
        0x9b42fc20, /* smulh with o0 = 1 */
        0x9a020420, /* adc with bits 15:10 != 0 */
        0x1ac21420, /* 2-source opcode 000101 */
        0x9a820c20, /* csel with op2 = 11 */
    };
    uint32_t word = words[_i];
    expect_undef(word);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("dp");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    const TTest *const tests[] = {
        table_entries_nest, adr_adrp, add_sub_immediate, adds_subs_immediate_write_xzr_not_sp, logical_immediate,
        logical_immediate_sp_and_flags, logical_immediate_reserved, logical_immediate_all_ones_element_64,
        logical_immediate_no_element_size, logical_immediate_all_ones_element_32, move_wide, move_wide_w_with_hw_2,
        move_wide_opc_01, bitfield_aliases, bitfield_sf1_n0, bitfield_sf0_n1, bitfield_sf0_immr_32, bitfield_opc_11,
        extract, extract_sf1_n0, extract_w_lsb_32, logical_shifted, logical_shifted_w_amount_32, add_sub_shifted,
        add_sub_shifted_ror, add_sub_shifted_w_amount_32, add_sub_extended, add_sub_extended_shift_5,
        add_sub_with_carry, conditional_compare, conditional_select, divide, variable_shifts, crc32_check_values,
        crc32x_needs_sf, crc32b_with_sf, crc32_gated_by_feature, one_source, rev_x_form_with_sf0, multiply,
        flag_manipulation, flagm_gated_by_feature, flagm2_gated_by_feature,
    };
    for (unsigned i = 0; i < N_OF(tests); i++)
        tcase_add_test(tc, tests[i]);
    tcase_add_loop_test(tc, unallocated_neighbours, 0, 9);
    suite_add_tcase(s, tc);
    return unit_run_suite(s, true);
}
