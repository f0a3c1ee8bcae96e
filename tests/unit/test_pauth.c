/* Pointer authentication: the QARMA5/QARMA3 ciphers against fixed vectors
 * and against each other (table-driven vs cell-by-cell reference, memo),
 * and on a bare CPU: the model's algorithm and level (max: QARMA3 with
 * FEAT_FPACCOMBINE), FPAC faults, and pauth=off making the instructions
 * UNDEFINED and the hint-space forms NOPs. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/qarma.h"
#include "harness.h"
#include "sysregs/id_fields.h"
#include "unit_main.h"

/* ---- ciphers ---- */

/* Vector 1 is the QARMA-64 test vector of the QARMA paper (Avanzi, 2016:
 * P, T, w0, k0; r = 5 with the sigma_1 S-box gives c003b93999b33765), which
 * is the Arm ARM's QARMA5. Its QARMA3 results come from
 * qarma_compute_reference (written from the ComputePAC pseudocode); vector
 * 3's QARMA5 value is what QEMU 7.2 computes for PACIA in conf/pauth. */
static const struct {
    uint64_t data, modifier, key0, key1, qarma5, qarma3;
} vectors[] = {
    {0xfb623599da6e8127, 0x477d469dec0b8762, 0x84be85ce9804e94b, 0xec2802d4e0a488e9, 0xc003b93999b33765,
     0xc8b7fdc1d507b9ef},
    {0, 0, 0, 0, 0x76243b953592993d, 0x10d058ee82d82492},
    {0x0000000040001234, 0x123456789abcdef0, 0xfedcba9876543210, 0x0123456789abcdef, 0x2422d1bdb8e80031,
     0x6fc81e3f8c50d7ed},
};

START_TEST(known_vectors)
{
    for (unsigned i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        ck_assert_uint_eq(qarma_compute_reference(vectors[i].data, vectors[i].modifier, vectors[i].key0,
                                                  vectors[i].key1, QARMA5), vectors[i].qarma5);
        ck_assert_uint_eq(qarma_compute(vectors[i].data, vectors[i].modifier, vectors[i].key0, vectors[i].key1,
                                        QARMA5), vectors[i].qarma5);
        ck_assert_uint_eq(qarma_compute_reference(vectors[i].data, vectors[i].modifier, vectors[i].key0,
                                                  vectors[i].key1, QARMA3), vectors[i].qarma3);
        ck_assert_uint_eq(qarma_compute(vectors[i].data, vectors[i].modifier, vectors[i].key0, vectors[i].key1,
                                        QARMA3), vectors[i].qarma3);
    }
}
END_TEST

static uint64_t rng = 0x9e3779b97f4a7c15;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

START_TEST(tables_match_reference_and_memo)
{
    static QarmaMemo memo; /* zero: empty */
    for (unsigned i = 0; i < 20000; i++) {
        uint64_t d = rnd(), m = rnd(), k0 = rnd(), k1 = rnd();
        QarmaAlg alg = i & 1 ? QARMA3 : QARMA5;
        uint64_t want = qarma_compute_reference(d, m, k0, k1, alg);
        ck_assert_uint_eq(qarma_compute(d, m, k0, k1, alg), want);
        ck_assert_uint_eq(qarma_memo_compute(&memo, d, m, k0, k1, alg), want);
        ck_assert_uint_eq(qarma_memo_compute(&memo, d, m, k0, k1, alg), want); /* a hit */
        /* Another key or algorithm with the same data must not hit. */
        ck_assert_uint_eq(qarma_memo_compute(&memo, d, m, k0 ^ 1, k1, alg), qarma_compute(d, m, k0 ^ 1, k1, alg));
        QarmaAlg other = alg == QARMA3 ? QARMA5 : QARMA3;
        ck_assert_uint_eq(qarma_memo_compute(&memo, d, m, k0, k1, other), qarma_compute(d, m, k0, k1, other));
    }
    ck_assert_uint_ge(memo.hits, 20000);
}
END_TEST

/* ---- on a CPU ---- */

#define BASE HARNESS_RAM_BASE
#define VBAR (BASE + 0x10000)
#define PACIA_X0_X1 0xdac10020u
#define AUTIA_X0_X1 0xdac11020u
#define PACIASP 0xd503233fu
#define XPACLRI 0xd50320ffu
#define RETAA 0xd65f0bffu
#define BRAA_X1_X2 0xd71f0822u
#define LDRAA_X0_X1 0xf8200420u
#define MRS_X0_APIAKEYLO 0xd5382100u
#define NOP 0xd503201fu
#define MOV_X2_X0 0xaa0003e2u

static Harness h;

static void setup(const char *model)
{
    harness_init(&h, model, 2);
    h.cpu.sr[SR_VBAR_EL2] = VBAR;
    h.cpu.sr[SR_SCTLR_EL2] |= SCTLR_ENIA | SCTLR_ENIB | SCTLR_ENDA | SCTLR_ENDB;
    h.cpu.sr[SR_APIAKeyLo_EL1] = 0x0123456789abcdef;
    h.cpu.sr[SR_APIAKeyHi_EL1] = 0xfedcba9876543210;
}

static void put(uint64_t addr, uint32_t insn) { harness_code(&h, addr, &insn, 1); }

static unsigned ec(void) { return (unsigned)(h.cpu.sr[SR_ESR_EL2] >> 26); }

START_TEST(max_signs_with_qarma3_and_faults_on_failure)
{
    setup(NULL);
    /* A block runs whole: each program ends in the UDF of zeroed memory,
     * and the budget stops the run at the vector. */
    put(BASE, PACIA_X0_X1);
    put(BASE + 4, MOV_X2_X0);
    put(BASE + 8, AUTIA_X0_X1);
    h.cpu.x[0] = 0x40001234;
    h.cpu.x[1] = 0x123456789abcdef0;
    harness_run(&h, 4);
    /* TCR_EL2 = 0: 48-bit VA, no TBI; FEAT_PAuth2 XORs the PAC in. */
    uint64_t pac = qarma_compute(0x40001234, 0x123456789abcdef0, 0xfedcba9876543210, 0x0123456789abcdef, QARMA3);
    uint64_t field = 0xff7f000000000000;
    ck_assert_uint_eq(h.cpu.x[2], 0x40001234 ^ (pac & field));
    ck_assert_uint_eq(h.cpu.x[0], 0x40001234);
    ck_assert_uint_eq(h.cpu.sr[SR_ELR_EL2], BASE + 12); /* the UDF */
    /* A corrupted pointer: FEAT_FPAC's PAC Fail exception (EC 0x1C, ISS
     * 0: instruction key A), at the AUT itself. */
    h.cpu.pc = BASE + 8;
    h.cpu.x[0] = h.cpu.x[2] ^ 1ull << 50;
    harness_run(&h, 1);
    ck_assert_uint_eq(ec(), 0x1c);
    ck_assert_uint_eq(h.cpu.sr[SR_ESR_EL2] & 0x1ffffff, 0);
    ck_assert_uint_eq(h.cpu.sr[SR_ELR_EL2], BASE + 8);
    harness_destroy(&h);
}
END_TEST

/* FEAT_FPACCOMBINE (level 5) faults in RETAA too; FEAT_FPAC alone (4)
 * leaves the combined instructions to branch to the corrupted address. */
START_TEST(combined_instructions_fault_only_with_fpaccombine)
{
    for (unsigned level = 4; level <= 5; level++) {
        setup(level == 4 ? "max,ID_AA64ISAR2_EL1.APA3=4" : "max");
        put(BASE, RETAA);
        h.cpu.x[30] = 0x0000123400001000; /* no valid PAC */
        harness_run(&h, 1);
        if (level == 5) {
            ck_assert_uint_eq(ec(), 0x1c);
            ck_assert_uint_eq(h.cpu.sr[SR_ELR_EL2], BASE);
        } else {
            ck_assert_uint_ne(ec(), 0x1c);
        }
        harness_destroy(&h);
    }
}
END_TEST

/* pauth-qarma5=on: the same PE with QARMA5. */
START_TEST(qarma5_override)
{
    setup("max,pauth-qarma5=on");
    ck_assert(feature_has(&h.cpu.features, FEAT_PACQARMA5));
    ck_assert(!feature_has(&h.cpu.features, FEAT_PACQARMA3));
    put(BASE, PACIA_X0_X1);
    h.cpu.x[0] = 0x40001234;
    h.cpu.x[1] = 0x123456789abcdef0;
    harness_run(&h, 2); /* and the UDF after it */
    ck_assert_uint_eq(h.cpu.x[0], 0x40001234 ^ (0x2422d1bdb8e80031 & 0xff7f000000000000));
    harness_destroy(&h);
}
END_TEST

/* Without FEAT_PAuth: the data-processing, branch and load forms and the
 * key registers are UNDEFINED, the hint-space forms are NOPs. */
START_TEST(pauth_off_undefs_and_nops)
{
    static const uint32_t undef[] = {PACIA_X0_X1, AUTIA_X0_X1, RETAA, BRAA_X1_X2, LDRAA_X0_X1, MRS_X0_APIAKEYLO};
    for (unsigned i = 0; i < sizeof undef / sizeof undef[0]; i++) {
        setup("max,pauth=off");
        put(BASE, undef[i]);
        h.cpu.x[30] = 0x1234;
        harness_run(&h, 1);
        ck_assert_uint_eq(h.cpu.pc, VBAR + 0x200);
        ck_assert_uint_eq(ec(), 0);
        harness_destroy(&h);
    }
    setup("max,pauth=off");
    put(BASE, PACIASP);
    put(BASE + 4, XPACLRI);
    put(BASE + 8, NOP);
    h.cpu.x[30] = 0xabcd000000001000;
    harness_run(&h, 4);
    ck_assert_uint_eq(h.cpu.sr[SR_ELR_EL2], BASE + 12); /* the UDF after them */
    ck_assert_uint_eq(h.cpu.x[30], 0xabcd000000001000);
    harness_destroy(&h);
}
END_TEST

/* -cpu: the models' PAuth and the pauth properties (sysregs/cpu_model_config.c). */
START_TEST(cpu_options)
{
    static const struct {
        const char *spec;
        uint64_t apa, gpa, apa3, gpa3;
    } cases[] = {
        {"max", 0, 0, 5, 1},
        {"max,pauth-qarma5=on", 5, 1, 0, 0},
        {"max,pauth-qarma5=on,pauth-qarma3=on", 0, 0, 5, 1},
        {"max,pauth=off", 0, 0, 0, 0},
        {"max,pauth=on", 0, 0, 5, 1},
        {"cortex-a72", 0, 0, 0, 0},
        {"cortex-a72,pauth=on", 1, 1, 0, 0},
        {"cortex-a72,pauth-qarma3=on", 0, 0, 1, 1},
        {"neoverse-n1", 0, 0, 0, 0},
        {"neoverse-v1", 3, 1, 0, 0},
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CPUModel m;
        char err[256];
        ck_assert_msg(cpu_model_configure(&m, cases[i].spec, err, sizeof err), "%s: %s", cases[i].spec, err);
        ck_assert_uint_eq(id_field_get(m.values, IDF_ID_AA64ISAR1_EL1_APA), cases[i].apa);
        ck_assert_uint_eq(id_field_get(m.values, IDF_ID_AA64ISAR1_EL1_GPA), cases[i].gpa);
        ck_assert_uint_eq(id_field_get(m.values, IDF_ID_AA64ISAR2_EL1_APA3), cases[i].apa3);
        ck_assert_uint_eq(id_field_get(m.values, IDF_ID_AA64ISAR2_EL1_GPA3), cases[i].gpa3);
        ck_assert_uint_eq(id_field_get(m.values, IDF_ID_AA64ISAR1_EL1_API), 0);
    }
    CPUModel m;
    char err[256];
    ck_assert(!cpu_model_configure(&m, "max,ID_AA64ISAR1_EL1.APA=1", err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "ID_AA64ISAR1_EL1.APA"));
    ck_assert_ptr_nonnull(strstr(err, "ID_AA64ISAR2_EL1.APA3"));
    ck_assert(!cpu_model_configure(&m, "max,pauth-qarma3=off", err, sizeof err));
    ck_assert(!cpu_model_configure(&m, "max,pauth=maybe", err, sizeof err));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pauth");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, known_vectors);
    tcase_add_test(tc, tables_match_reference_and_memo);
    tcase_add_test(tc, max_signs_with_qarma3_and_faults_on_failure);
    tcase_add_test(tc, combined_instructions_fault_only_with_fpaccombine);
    tcase_add_test(tc, qarma5_override);
    tcase_add_test(tc, pauth_off_undefs_and_nops);
    tcase_add_test(tc, cpu_options);
    suite_add_tcase(s, tc);
    return unit_run_suite(s, true);
}
