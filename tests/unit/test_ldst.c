/* Loads and stores of general-purpose registers: real instruction words
 * (from aarch64-linux-gnu-as) run on the harness CPU at EL2. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "decoder/a64.h"
#include "decoder/disas.h"
#include "harness.h"
#include "jit/tb.h"
#include "unit_main.h"

#define CODE HARNESS_RAM_BASE
#define VBAR (HARNESS_RAM_BASE + 0x8000)
#define DATA (HARNESS_RAM_BASE + 0x10000)
#define UNMAPPED 0x1000ull
#define NOP 0xd503201fu

static Harness h;

static void setup_model(const char *model)
{
    harness_init(&h, model, 2);
    h.cpu.sr[SR_VBAR_EL2] = VBAR;
    /* Data bytes 0x80, 0x81, ... from DATA - 64 so that every test sees a known pattern. */
    for (unsigned i = 0; i < 256; i++) {
        uint8_t b = (uint8_t)(0x80 + i);
        as_write_bytes(&h.as, DATA - 64 + i, &b, 1);
    }
    h.cpu.x[1] = DATA;
}

static void setup(void) { setup_model("max"); }
static void teardown(void) { harness_destroy(&h); }

static uint64_t peek(uint64_t addr, unsigned size)
{
    uint64_t v = 0;
    ck_assert(as_read_bytes(&h.as, addr, &v, size));
    return v;
}

static void poke(uint64_t addr, uint64_t v, unsigned size) { ck_assert(as_write_bytes(&h.as, addr, &v, size)); }

/* Checks that Capstone names the instruction with a mnemonic its table entry
 * lists (keeps the .def mnemonics honest). */
static void check_mnemonic(uint32_t raw)
{
    A64Insn insn;
    const A64Encoding *e = a64_decode(raw, &insn);
    ck_assert_msg(e, "0x%08x does not decode", raw);
    char text[128], mnemonic[32];
    a64_disas(0, raw, text, sizeof text);
    if (text[0] == '<')
        return; /* Capstone does not know it (LSE, RCPC, or an UNPREDICTABLE form) */
    sscanf(text, "%31s", mnemonic);
    char padded[1200];
    snprintf(padded, sizeof padded, " %s ", e->mnemonics);
    char needle[40];
    snprintf(needle, sizeof needle, " %s ", mnemonic);
    ck_assert_msg(strstr(padded, needle), "%s (0x%08x) not listed in %s", text, raw, e->name);
}

/* Writes code at CODE (followed by zero words) and starts there. The writes
 * bypass the CPU, so drop the blocks translated from earlier code. */
static void place_code(const uint32_t *code, unsigned n)
{
    static const uint32_t zeros[8];
    harness_code(&h, CODE, code, n);
    harness_code(&h, CODE + 4 * n, zeros, 8);
    tb_invalidate_phys(&h.engine.tbs, CODE, CODE + 0x1000);
    h.cpu.pc = CODE;
}

/* Runs n instructions; they must all retire without an exception (the
 * UNDEFINED zero word after them is then taken: ELR points at it). */
static void run(const uint32_t *code, unsigned n)
{
    for (unsigned k = 0; k < n; k++)
        check_mnemonic(code[k]);
    place_code(code, n);
    harness_run(&h, n);
    ck_assert_uint_eq(h.cpu.sr[SR_ELR_EL2], CODE + 4 * n);
    ck_assert_uint_eq(h.cpu.sr[SR_ESR_EL2] >> 26, 0);
}

/* Runs a NOP then insn, which must take a synchronous exception to EL2
 * (current EL with SP_EL2: VBAR_EL2 + 0x200). Returns ESR_EL2. */
static uint64_t run_faulting(uint32_t insn)
{
    uint32_t code[2] = {NOP, insn};
    place_code(code, 2);
    harness_run(&h, 1);
    ck_assert_uint_eq(h.cpu.pc, VBAR + 0x200);
    ck_assert_uint_eq(h.cpu.sr[SR_ELR_EL2], CODE + 4);
    return h.cpu.sr[SR_ESR_EL2];
}

START_TEST(table_is_consistent)
{
    ck_assert_uint_eq(a64_table_check(stderr), 0);
}
END_TEST

START_TEST(immediate_offset_loads_extend)
{
    static const uint32_t code[] = {
        0xf9400420, /* ldr x0, [x1, #8] */
        0x39c00422, /* ldrsb w2, [x1, #1] */
        0x39800423, /* ldrsb x3, [x1, #1] */
        0x79800424, /* ldrsh x4, [x1, #2] */
        0xb9800425, /* ldrsw x5, [x1, #4] */
        0x79400426, /* ldrh w6, [x1, #2] */
        0xf85f8028, /* ldur x8, [x1, #-8] */
    };
    h.cpu.x[2] = h.cpu.x[6] = ~0ull;
    run(code, 7);
    ck_assert_uint_eq(h.cpu.x[0], 0xcfcecdcccbcac9c8ull);
    ck_assert_uint_eq(h.cpu.x[2], 0xffffffc1ull);
    ck_assert_uint_eq(h.cpu.x[3], 0xffffffffffffffc1ull);
    ck_assert_uint_eq(h.cpu.x[4], 0xffffffffffffc3c2ull);
    ck_assert_uint_eq(h.cpu.x[5], 0xffffffffc7c6c5c4ull);
    ck_assert_uint_eq(h.cpu.x[6], 0xc3c2);
    ck_assert_uint_eq(h.cpu.x[8], 0xbfbebdbcbbbab9b8ull);
}
END_TEST

START_TEST(immediate_offset_stores_truncate)
{
    static const uint32_t code[] = {
        0x39004027, /* strb w7, [x1, #16] */
        0x79002427, /* strh w7, [x1, #18] */
        0xb9001427, /* str w7, [x1, #20] */
        0xf9000c27, /* str x7, [x1, #24] */
        0x38003822, /* sttrb w2, [x1, #3] */
        0xf8408820, /* ldtr x0, [x1, #8] */
    };
    h.cpu.x[7] = 0x1122334455667788ull;
    h.cpu.x[2] = 0x5a;
    run(code, 6);
    ck_assert_uint_eq(peek(DATA + 16, 8), 0x556677887788d188ull);
    ck_assert_uint_eq(peek(DATA + 24, 8), 0x1122334455667788ull);
    ck_assert_uint_eq(peek(DATA, 4), 0x5ac2c1c0);
    ck_assert_uint_eq(h.cpu.x[0], 0xcfcecdcccbcac9c8ull);
}
END_TEST

START_TEST(pre_and_post_index_write_back)
{
    static const uint32_t code[] = {
        0xf8408c20, /* ldr x0, [x1, #8]! */
        0xf85f0423, /* ldr x3, [x1], #-16 */
        0xf81f8c22, /* str x2, [x1, #-8]! */
        0xf8018c24, /* str x4, [x1, #24]! */
        0xf8018425, /* str x5, [x1], #24 */
    };
    h.cpu.x[2] = 0x2222;
    h.cpu.x[4] = 0x4444;
    h.cpu.x[5] = 0x5555;
    run(code, 5);
    ck_assert_uint_eq(h.cpu.x[0], 0xcfcecdcccbcac9c8ull);
    ck_assert_uint_eq(h.cpu.x[3], 0xcfcecdcccbcac9c8ull);
    ck_assert_uint_eq(peek(DATA - 16, 8), 0x2222);
    ck_assert_uint_eq(peek(DATA + 8, 8), 0x5555);
    ck_assert_uint_eq(h.cpu.x[1], DATA + 32);
}
END_TEST

START_TEST(writeback_to_the_loaded_register_keeps_the_address)
{
    static const uint32_t code[] = {0xf8408c21 /* ldr x1, [x1, #8]! */};
    run(code, 1);
    ck_assert_uint_eq(h.cpu.x[1], DATA + 8);
}
END_TEST

START_TEST(register_offsets_extend_and_scale)
{
    static const uint32_t code[] = {
        0xf8627820, /* ldr x0, [x1, x2, lsl #3] */
        0xb863d824, /* ldr w4, [x1, w3, sxtw #2] */
        0x38654826, /* ldrb w6, [x1, w5, uxtw] */
        0x78a7f828, /* ldrsh x8, [x1, x7, sxtx #1] */
        0xf86a6829, /* ldr x9, [x1, x10] */
    };
    h.cpu.x[2] = 2;
    h.cpu.x[3] = 0xabcdef00ffffffffull; /* w3 = -1 */
    h.cpu.x[5] = 0xffffffff00000003ull; /* w5 = 3 */
    h.cpu.x[7] = ~0ull;
    h.cpu.x[10] = 8;
    run(code, 5);
    ck_assert_uint_eq(h.cpu.x[0], 0xd7d6d5d4d3d2d1d0ull);
    ck_assert_uint_eq(h.cpu.x[4], 0xbfbebdbc);
    ck_assert_uint_eq(h.cpu.x[6], 0xc3);
    ck_assert_uint_eq(h.cpu.x[8], 0xffffffffffffbfbeull);
    ck_assert_uint_eq(h.cpu.x[9], 0xcfcecdcccbcac9c8ull);
}
END_TEST

START_TEST(literal_loads_and_prefetches)
{
    static const uint32_t code[] = {
        0x58000080, /* ldr x0, lit */
        0x98000061, /* ldrsw x1, lit */
        0x18000042, /* ldr w2, lit */
        0xd8000020, /* prfm pldl1keep, lit */
        0x80000001, /* lit: */
        0x11223344,
    };
    place_code(code, 6);
    for (unsigned k = 0; k < 4; k++)
        check_mnemonic(code[k]);
    harness_run(&h, 4);
    ck_assert_uint_eq(h.cpu.sr[SR_ELR_EL2], CODE + 16); /* the literal word is UNDEFINED */
    ck_assert_uint_eq(h.cpu.x[0], 0x1122334480000001ull);
    ck_assert_uint_eq(h.cpu.x[1], 0xffffffff80000001ull);
    ck_assert_uint_eq(h.cpu.x[2], 0x80000001ull);
}
END_TEST

START_TEST(prefetch_never_faults)
{
    static const uint32_t code[] = {
        0xf9800420, /* prfm pldl1keep, [x1, #8] */
        0xf8a26820, /* prfm pldl1keep, [x1, x2] */
        0xf8801020, /* prfum pldl1keep, [x1, #1] */
    };
    h.cpu.x[1] = UNMAPPED + 1;
    run(code, 3);
}
END_TEST

START_TEST(pairs)
{
    static const uint32_t code[] = {
        0xa9410820, /* ldp x0, x2, [x1, #16] */
        0xa8400823, /* ldnp x3, x2, [x1] */
        0x29ff1424, /* ldp w4, w5, [x1, #-8]! */
        0x68c11c26, /* ldpsw x6, x7, [x1], #8 */
        0xa9bf27e8, /* stp x8, x9, [sp, #-16]! */
        0x28012c2a, /* stnp w10, w11, [x1, #8] */
        0xa940302c, /* ldp x12, x12, [x1] */
    };
    h.cpu.sp = DATA + 0x100;
    h.cpu.x[8] = 0x8888;
    h.cpu.x[9] = 0x9999;
    h.cpu.x[10] = 0xaaaa;
    h.cpu.x[11] = 0xbbbb;
    run(code, 7);
    ck_assert_uint_eq(h.cpu.x[0], 0xd7d6d5d4d3d2d1d0ull);
    ck_assert_uint_eq(h.cpu.x[3], 0xc7c6c5c4c3c2c1c0ull);
    ck_assert_uint_eq(h.cpu.x[2], 0xcfcecdcccbcac9c8ull);
    ck_assert_uint_eq(h.cpu.x[4], 0xbbbab9b8);
    ck_assert_uint_eq(h.cpu.x[5], 0xbfbebdbc);
    ck_assert_uint_eq(h.cpu.x[6], 0xffffffffbbbab9b8ull);
    ck_assert_uint_eq(h.cpu.x[7], 0xffffffffbfbebdbcull);
    ck_assert_uint_eq(h.cpu.sp, DATA + 0xf0);
    ck_assert_uint_eq(peek(DATA + 0xf0, 8), 0x8888);
    ck_assert_uint_eq(peek(DATA + 0xf8, 8), 0x9999);
    ck_assert_uint_eq(h.cpu.x[1], DATA);
    ck_assert_uint_eq(peek(DATA + 8, 8), 0x0000bbbb0000aaaaull);
    ck_assert_uint_eq(h.cpu.x[12], 0x0000bbbb0000aaaaull); /* Rt == Rt2: the second element */
}
END_TEST

START_TEST(exclusive_store_succeeds_once)
{
    static const uint32_t code[] = {
        0xc85f7c20, /* ldxr x0, [x1] */
        0xc8037c22, /* stxr w3, x2, [x1] */
        0xc8047c25, /* stxr w4, x5, [x1] -- monitor now closed */
    };
    h.cpu.x[2] = 0x1234;
    h.cpu.x[3] = h.cpu.x[4] = 77;
    h.cpu.x[5] = 0x5678;
    run(code, 3);
    ck_assert_uint_eq(h.cpu.x[0], 0xc7c6c5c4c3c2c1c0ull);
    ck_assert_uint_eq(h.cpu.x[3], 0);
    ck_assert_uint_eq(h.cpu.x[4], 1);
    ck_assert_uint_eq(peek(DATA, 8), 0x1234);
}
END_TEST

START_TEST(exclusive_store_fails_when_memory_changed_or_size_differs)
{
    static const uint32_t code[] = {
        0xc85f7c20, /* ldxr x0, [x1] */
        0xf9000027, /* str x7, [x1] */
        0xc8037c22, /* stxr w3, x2, [x1] */
        0x085ffc20, /* ldaxrb w0, [x1] */
        0x4804fc22, /* stlxrh w4, w2, [x1] */
    };
    h.cpu.x[2] = 0x1234;
    h.cpu.x[7] = 0x7777;
    run(code, 5);
    ck_assert_uint_eq(h.cpu.x[3], 1);
    ck_assert_uint_eq(h.cpu.x[4], 1);
    ck_assert_uint_eq(h.cpu.x[0], 0x77);
    ck_assert_uint_eq(peek(DATA, 8), 0x7777);
}
END_TEST

START_TEST(exclusive_pairs)
{
    static const uint32_t code[] = {
        0xc87f0820, /* ldxp x0, x2, [x1] */
        0xc8231424, /* stxp w3, x4, x5, [x1] */
        0x887f1c26, /* ldxp w6, w7, [x1, #0] */
        0x88239424, /* stlxp w3, w4, w5, [x1] */
    };
    h.cpu.x[4] = 0x4444444444444444ull;
    h.cpu.x[5] = 0x5555555555555555ull;
    h.cpu.x[3] = 9;
    run(code, 2);
    ck_assert_uint_eq(h.cpu.x[0], 0xc7c6c5c4c3c2c1c0ull);
    ck_assert_uint_eq(h.cpu.x[2], 0xcfcecdcccbcac9c8ull);
    ck_assert_uint_eq(h.cpu.x[3], 0);
    ck_assert_uint_eq(peek(DATA, 8), 0x4444444444444444ull);
    ck_assert_uint_eq(peek(DATA + 8, 8), 0x5555555555555555ull);
    place_code(code, 4);
    h.cpu.pc = CODE + 8;
    h.cpu.x[4] = 0x11111111;
    h.cpu.x[5] = 0x22222222;
    harness_run(&h, 2);
    ck_assert_uint_eq(h.cpu.x[6], 0x44444444);
    ck_assert_uint_eq(h.cpu.x[7], 0x44444444);
    ck_assert_uint_eq(h.cpu.x[3], 0);
    ck_assert_uint_eq(peek(DATA, 8), 0x2222222211111111ull);
}
END_TEST

START_TEST(acquire_release_and_rcpc)
{
    static const uint32_t code[] = {
        0xc8dffc20, /* ldar x0, [x1] */
        0x889ffc22, /* stlr w2, [x1] */
        0x48dffc23, /* ldarh w3, [x1] */
        0x089ffc24, /* stlrb w4, [x1] */
        0xf8bfc025, /* ldapr x5, [x1] */
        0x195ff026, /* ldapurb w6, [x1, #-1] */
        0x99804027, /* ldapursw x7, [x1, #4] */
        0xd9008028, /* stlur x8, [x1, #8] */
    };
    /* The max model does not list FEAT_LRCPC2 yet: turn it on (LRCPC = 2). */
    h.cpu.sr[SR_ID_AA64ISAR1_EL1] = (h.cpu.sr[SR_ID_AA64ISAR1_EL1] & ~(0xfull << 20)) | 2ull << 20;
    features_compute(&h.cpu.features, h.cpu.sr);
    h.cpu.x[2] = 0xdeadbeef;
    h.cpu.x[4] = 0x11;
    h.cpu.x[8] = 0x8888;
    run(code, 8);
    ck_assert_uint_eq(h.cpu.x[0], 0xc7c6c5c4c3c2c1c0ull);
    ck_assert_uint_eq(h.cpu.x[3], 0xbeef);
    ck_assert_uint_eq(h.cpu.x[5], 0xc7c6c5c4deadbe11ull);
    ck_assert_uint_eq(h.cpu.x[6], 0xbf);
    ck_assert_uint_eq(h.cpu.x[7], 0xffffffffc7c6c5c4ull);
    ck_assert_uint_eq(peek(DATA + 8, 8), 0x8888);
}
END_TEST

/* One LSE read-modify-write on memory `old` with operand x2: returns the
 * new memory value and checks that x0 received the old one. */
static uint64_t rmw(uint32_t insn, unsigned size, uint64_t old, uint64_t operand)
{
    poke(DATA, old, 8);
    h.cpu.x[0] = 0x5a5a5a5a5a5a5a5aull;
    h.cpu.x[2] = operand;
    run(&insn, 1);
    uint64_t mask = size == 8 ? ~0ull : (1ull << (8 * size)) - 1;
    ck_assert_uint_eq(h.cpu.x[0], old & mask);
    ck_assert_uint_eq(peek(DATA, 8) & ~mask, old & ~mask); /* bytes beyond the access untouched */
    return peek(DATA, 8) & mask;
}

START_TEST(lse_atomics_return_old_and_store_new)
{
    ck_assert_uint_eq(rmw(0xf8220020 /* ldadd x2, x0, [x1] */, 8, 40, 2), 42);
    ck_assert_uint_eq(rmw(0x38e20020 /* ldaddalb w2, w0, [x1] */, 1, 0x11223344556677ffull, 2), 0x01);
    ck_assert_uint_eq(rmw(0xf8221020 /* ldclr x2, x0, [x1] */, 8, 0xff, 0x0f), 0xf0);
    ck_assert_uint_eq(rmw(0x78222020 /* ldeorh w2, w0, [x1] */, 2, 0xffff00ff, 0xffff), 0xff00);
    ck_assert_uint_eq(rmw(0xb8223020 /* ldset w2, w0, [x1] */, 4, 0xf0000001, 0x10), 0xf0000011);
    ck_assert_uint_eq(rmw(0xf8224020 /* ldsmax x2, x0, [x1] */, 8, ~0ull, 1), 1);
    ck_assert_uint_eq(rmw(0x38225020 /* ldsminb w2, w0, [x1] */, 1, 0x7f, 0x80), 0x80);
    ck_assert_uint_eq(rmw(0xf8226020 /* ldumax x2, x0, [x1] */, 8, ~0ull, 1), ~0ull);
    ck_assert_uint_eq(rmw(0x78227020 /* lduminh w2, w0, [x1] */, 2, 0x8000, 0x7fff), 0x7fff);
    ck_assert_uint_eq(rmw(0xf8228020 /* swp x2, x0, [x1] */, 8, 5, 6), 6);
    ck_assert_uint_eq(rmw(0xb8e28020 /* swpal w2, w0, [x1] */, 4, 0x12345678, 0xffffffff), 0xffffffff);
    /* stadd x2, [x1]: the LDADD alias with XZR as destination */
    poke(DATA, 10, 8);
    h.cpu.x[2] = 5;
    const uint32_t stadd = 0xf822003f;
    run(&stadd, 1);
    ck_assert_uint_eq(peek(DATA, 8), 15);
}
END_TEST

START_TEST(compare_and_swap)
{
    const uint32_t cas = 0xc8a27c23;    /* cas x2, x3, [x1] */
    const uint32_t casb = 0x08e2fc23;   /* casalb w2, w3, [x1] */
    poke(DATA, 100, 8);
    h.cpu.x[2] = 100;
    h.cpu.x[3] = 200;
    run(&cas, 1);
    ck_assert_uint_eq(peek(DATA, 8), 200);
    ck_assert_uint_eq(h.cpu.x[2], 100);
    h.cpu.x[2] = 100; /* memory now holds 200: fails, x2 gets 200 */
    h.cpu.x[3] = 300;
    run(&cas, 1);
    ck_assert_uint_eq(peek(DATA, 8), 200);
    ck_assert_uint_eq(h.cpu.x[2], 200);
    poke(DATA, 0x1111111111111180ull, 8);
    h.cpu.x[2] = 0xffffff80; /* compared at byte size */
    h.cpu.x[3] = 0x42;
    run(&casb, 1);
    ck_assert_uint_eq(peek(DATA, 8), 0x1111111111111142ull);
    ck_assert_uint_eq(h.cpu.x[2], 0x80);
}
END_TEST

START_TEST(compare_and_swap_pairs)
{
    const uint32_t casp = 0x48227c24;   /* casp x2, x3, x4, x5, [x1] */
    const uint32_t caspw = 0x0862fc24;  /* caspal w2, w3, w4, w5, [x1] */
    poke(DATA, 1, 8);
    poke(DATA + 8, 2, 8);
    h.cpu.x[2] = 1, h.cpu.x[3] = 2, h.cpu.x[4] = 10, h.cpu.x[5] = 20;
    run(&casp, 1);
    ck_assert_uint_eq(peek(DATA, 8), 10);
    ck_assert_uint_eq(peek(DATA + 8, 8), 20);
    ck_assert_uint_eq(h.cpu.x[2], 1);
    ck_assert_uint_eq(h.cpu.x[3], 2);
    h.cpu.x[2] = 10, h.cpu.x[3] = 21; /* second half differs: fails */
    run(&casp, 1);
    ck_assert_uint_eq(peek(DATA, 8), 10);
    ck_assert_uint_eq(h.cpu.x[3], 20);
    poke(DATA, 0x0000000200000001ull, 8);
    h.cpu.x[2] = 1, h.cpu.x[3] = 2, h.cpu.x[4] = 3, h.cpu.x[5] = 4;
    run(&caspw, 1);
    ck_assert_uint_eq(peek(DATA, 8), 0x0000000400000003ull);
    ck_assert_uint_eq(h.cpu.x[2], 1);
    ck_assert_uint_eq(h.cpu.x[3], 2);
}
END_TEST

static void check_data_abort(uint64_t esr, unsigned dfsc, bool write, uint64_t far)
{
    ck_assert_uint_eq(esr >> 26, 0x25);
    ck_assert_uint_eq(esr & 0x3f, dfsc);
    ck_assert_uint_eq(!!(esr & (1u << 6)), write);
    ck_assert_uint_eq(h.cpu.sr[SR_FAR_EL2], far);
}

START_TEST(misaligned_access_takes_an_alignment_fault)
{
    h.cpu.x[0] = 0x77;
    check_data_abort(run_faulting(0xf8401020 /* ldur x0, [x1, #1] */), 0x21, false, DATA + 1);
    ck_assert_uint_eq(h.cpu.x[0], 0x77);
}
END_TEST

START_TEST(exclusives_and_atomics_require_alignment)
{
    h.cpu.x[1] = DATA + 4;
    check_data_abort(run_faulting(0xc85f7c20 /* ldxr x0, [x1] */), 0x21, false, DATA + 4);
    check_data_abort(run_faulting(0xc8037c22 /* stxr w3, x2, [x1] */), 0x21, true, DATA + 4);
    check_data_abort(run_faulting(0xf8220020 /* ldadd x2, x0, [x1] */), 0x21, true, DATA + 4);
    check_data_abort(run_faulting(0xc8dffc20 /* ldar x0, [x1] */), 0x21, false, DATA + 4);
    h.cpu.x[1] = DATA + 8; /* a pair of X registers needs 16-byte alignment */
    check_data_abort(run_faulting(0xc87f0820 /* ldxp x0, x2, [x1] */), 0x21, false, DATA + 8);
    check_data_abort(run_faulting(0x48227c24 /* casp x2, x3, x4, x5, [x1] */), 0x21, true, DATA + 8);
}
END_TEST

START_TEST(unmapped_address_takes_an_external_abort)
{
    h.cpu.x[1] = UNMAPPED;
    check_data_abort(run_faulting(0xf9400420 /* ldr x0, [x1, #8] */), 0x10, false, UNMAPPED + 8);
    h.cpu.x[1] = UNMAPPED;
    check_data_abort(run_faulting(0xf8408c20 /* ldr x0, [x1, #8]! */), 0x10, false, UNMAPPED + 8);
    ck_assert_uint_eq(h.cpu.x[1], UNMAPPED); /* no writeback */
    check_data_abort(run_faulting(0xf9000c27 /* str x7, [x1, #24] */), 0x10, true, UNMAPPED + 24);
}
END_TEST

START_TEST(reserved_encodings_are_undefined)
{
    ck_assert_uint_eq(run_faulting(0xf8620820 /* ldr x0, [x1, w2, option 000] */) >> 26, 0);
    ck_assert_uint_eq(run_faulting(0x48237c24 /* casp with odd Rs */) >> 26, 0);
    ck_assert_uint_eq(run_faulting(0x48227c25 /* casp with odd Rt */) >> 26, 0);
    ck_assert_uint_eq(run_faulting(0xf8c00420 /* ldrsw-like size 11 opc 11 */) >> 26, 0);
    ck_assert_uint_eq(run_faulting(0x69400820 /* stgp form of ldpsw (L = 0) */ & ~(1u << 22)) >> 26, 0);
}
END_TEST

START_TEST(lse_is_undefined_without_the_feature)
{
    teardown();
    setup_model("cortex-a72");
    poke(DATA, 40, 8);
    ck_assert_uint_eq(run_faulting(0xf8220020 /* ldadd x2, x0, [x1] */) >> 26, 0);
    ck_assert_uint_eq(run_faulting(0xc8a27c23 /* cas x2, x3, [x1] */) >> 26, 0);
    ck_assert_uint_eq(run_faulting(0xf8bfc020 /* ldapr x0, [x1] (RCPC) */) >> 26, 0);
    ck_assert_uint_eq(peek(DATA, 8), 40);
    /* The base instructions still work there. */
    const uint32_t ldxr = 0xc85f7c20;
    run(&ldxr, 1);
    ck_assert_uint_eq(h.cpu.x[0], 40);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ldst");
    TCase *tc = tcase_create("ldst");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, table_is_consistent);
    tcase_add_test(tc, immediate_offset_loads_extend);
    tcase_add_test(tc, immediate_offset_stores_truncate);
    tcase_add_test(tc, pre_and_post_index_write_back);
    tcase_add_test(tc, writeback_to_the_loaded_register_keeps_the_address);
    tcase_add_test(tc, register_offsets_extend_and_scale);
    tcase_add_test(tc, literal_loads_and_prefetches);
    tcase_add_test(tc, prefetch_never_faults);
    tcase_add_test(tc, pairs);
    tcase_add_test(tc, exclusive_store_succeeds_once);
    tcase_add_test(tc, exclusive_store_fails_when_memory_changed_or_size_differs);
    tcase_add_test(tc, exclusive_pairs);
    tcase_add_test(tc, acquire_release_and_rcpc);
    tcase_add_test(tc, lse_atomics_return_old_and_store_new);
    tcase_add_test(tc, compare_and_swap);
    tcase_add_test(tc, compare_and_swap_pairs);
    tcase_add_test(tc, misaligned_access_takes_an_alignment_fault);
    tcase_add_test(tc, exclusives_and_atomics_require_alignment);
    tcase_add_test(tc, unmapped_address_takes_an_external_abort);
    tcase_add_test(tc, reserved_encodings_are_undefined);
    tcase_add_test(tc, lse_is_undefined_without_the_feature);
    suite_add_tcase(s, tc);
    return unit_run_suite(s, true);
}
