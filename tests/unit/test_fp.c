/* Scalar floating point and the FP access trap: real instruction words run on
 * the harness CPU, checked against architectural results (the arithmetic
 * itself is tested in test_fpu*.c and against QEMU by the random FP
 * programs). Encodings come from the GNU assembler. */
#include <check.h>
#include <stdlib.h>

#include "fpu/fpu.h"
#include "harness.h"
#include "unit_main.h"

#define BASE HARNESS_RAM_BASE
#define VBAR (BASE + 0x10000)
#define DATA (BASE + 0x20000)
#define NOP 0xd503201fu
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))
#define FP_ISS (1u << 24 | 0xeu << 20)

static Harness h;
static uint64_t next_code;

static void setup_at(unsigned start_el)
{
    harness_init(&h, "max", start_el);
    next_code = BASE;
    /* Every vector (up to the lower-EL ones at 0x400) runs into NOPs, so a
     * run stops there instead of faulting again. */
    uint32_t nops[512];
    for (unsigned i = 0; i < N_OF(nops); i++)
        nops[i] = NOP;
    for (unsigned el = 1; el <= start_el; el++)
        h.cpu.sr[el == 1 ? SR_VBAR_EL1 : SR_VBAR_EL2] = VBAR + (el - 1) * 0x800;
    harness_code(&h, VBAR, nops, N_OF(nops));
    harness_code(&h, VBAR + 0x800, nops, N_OF(nops));
    h.cpu.sr[SR_CPACR_EL1] = 3ull << 20; /* FP enabled unless a test says otherwise */
}
static void setup(void) { setup_at(2); }
static void teardown(void) { harness_destroy(&h); }

/* Runs insns followed by a UDF at a fresh address (no stale translation):
 * returns the address of the first instruction that took an exception (the
 * UDF if all of them retired), whose syndrome is in ESR_EL<el>. */
static uint64_t run_until_exception(const uint32_t *insns, unsigned n, unsigned el)
{
    uint32_t code[64];
    ck_assert_uint_lt(n, N_OF(code));
    for (unsigned i = 0; i < n; i++)
        code[i] = insns[i];
    code[n] = 0;
    uint64_t start = next_code;
    next_code += 0x100;
    harness_code(&h, start, code, n + 1);
    h.cpu.pc = start;
    harness_run(&h, n + 1);
    return h.cpu.sr[el == 1 ? SR_ELR_EL1 : SR_ELR_EL2] - start;
}

/* Every instruction must retire (at EL2, the harness's EL). */
static void run(const uint32_t *insns, unsigned n)
{
    ck_assert_uint_eq(run_until_exception(insns, n, 2), 4ull * n);
    ck_assert_uint_eq(h.cpu.sr[SR_ESR_EL2] >> 26, 0);
}
#define RUN(...) do { const uint32_t c_[] = {__VA_ARGS__}; run(c_, N_OF(c_)); } while (0)

#define FMOV_D0_X1 0x9e670020u /* fmov d0, x1 */
#define MRS_X5_FPCR 0xd53b4405u /* mrs x5, fpcr */

/* Runs one FP instruction at EL el (PSTATE changed directly) and returns the
 * EL its exception went to (0: none), with ESR in *esr. */
static unsigned fp_insn_at(unsigned el, uint32_t insn, uint64_t *esr)
{
    cpu_set_pstate(&h.cpu, (h.cpu.pstate & ~(PSTATE_EL_MASK | PSTATE_SP)) | el << PSTATE_EL_SHIFT | (el ? PSTATE_SP : 0));
    h.cpu.sr[SR_ESR_EL1] = h.cpu.sr[SR_ESR_EL2] = ~0ull;
    uint64_t start = next_code;
    uint32_t code[2] = {insn, 0};
    next_code += 0x100;
    harness_code(&h, start, code, 2);
    h.cpu.pc = start;
    harness_run(&h, 2);
    for (unsigned target = 1; target <= 2; target++) {
        uint64_t e = h.cpu.sr[target == 1 ? SR_ESR_EL1 : SR_ESR_EL2];
        if (e != ~0ull && h.cpu.sr[target == 1 ? SR_ELR_EL1 : SR_ELR_EL2] == start) {
            *esr = e;
            return target;
        }
    }
    return 0;
}

static void expect_trap(unsigned el, unsigned want_el, unsigned want_ec)
{
    const uint32_t insns[2] = {FMOV_D0_X1, MRS_X5_FPCR};
    for (unsigned k = 0; k < 2; k++) {
        uint64_t esr = 0;
        unsigned got = fp_insn_at(el, insns[k], &esr);
        ck_assert_msg(got == want_el, "insn %08x at EL%u: exception to EL%u, want EL%u", insns[k], el, got, want_el);
        if (want_el) {
            ck_assert_uint_eq(esr >> 26, want_ec);
            ck_assert_uint_eq(esr & 0x1ffffff, want_ec == 7 ? FP_ISS : 0);
        }
    }
}

/* HCR_EL2.TGE with E2H = 0: a CPACR_EL1 trap from EL0 goes to EL2 as an
 * UNDEFINED (EC 0x00) (AArch64.AdvSIMDFPAccessTrap). */
START_TEST(tge_routes_el0_trap_to_el2_uncategorized)
{
    h.cpu.sr[SR_HCR_EL2] = HCR_RW | HCR_TGE;
    h.cpu.sr[SR_CPACR_EL1] = 0;
    expect_trap(0, 2, 0);
    h.cpu.sr[SR_CPACR_EL1] = 3ull << 20;
    expect_trap(0, 0, 0);
    h.cpu.sr[SR_CPTR_EL2] |= 1u << 10; /* TFP */
    expect_trap(0, 2, 7);
    expect_trap(2, 2, 7);
}
END_TEST

/* E2H = 1 (FEAT_VHE): CPTR_EL2.FPEN in bits 21:20 like CPACR; with TGE too
 * (EL2&0 host) CPACR_EL1 does not apply and FPEN = 01 traps EL0 only. */
START_TEST(e2h_layout_of_cptr_el2)
{
    h.cpu.sr[SR_ID_AA64MMFR1_EL1] |= 1ull << 8; /* VHE */
    features_compute(&h.cpu.features, h.cpu.sr);
    h.cpu.sr[SR_HCR_EL2] = HCR_RW | HCR_E2H | HCR_TGE;
    h.cpu.sr[SR_CPACR_EL1] = 0;
    h.cpu.sr[SR_CPTR_EL2] = 3ull << 20 | 1u << 10; /* TFP is not a control in this layout */
    expect_trap(0, 0, 0);
    expect_trap(2, 0, 0);
    h.cpu.sr[SR_CPTR_EL2] = 1ull << 20;
    expect_trap(0, 2, 7);
    expect_trap(2, 0, 0);
    h.cpu.sr[SR_CPTR_EL2] = 0;
    expect_trap(0, 2, 7);
    expect_trap(2, 2, 7);
    /* E2H without TGE: EL1 sees CPACR_EL1 first, then CPTR_EL2.FPEN (01: no EL1 trap). */
    h.cpu.sr[SR_HCR_EL2] = HCR_RW | HCR_E2H;
    h.cpu.sr[SR_CPTR_EL2] = 1ull << 20;
    h.cpu.sr[SR_CPACR_EL1] = 3ull << 20;
    expect_trap(1, 0, 0);
    h.cpu.sr[SR_CPACR_EL1] = 0;
    expect_trap(1, 1, 7);
    h.cpu.sr[SR_CPACR_EL1] = 3ull << 20;
    h.cpu.sr[SR_CPTR_EL2] = 2ull << 20;
    expect_trap(1, 2, 7);
}
END_TEST

/* The trap is decided at translation from the TB flags: the code after an MSR
 * CPACR_EL1 must be looked up again with the new flags, also when the same
 * code already exists translated with FP enabled. */
START_TEST(msr_cpacr_changes_the_translation)
{
    cpu_set_pstate(&h.cpu, (h.cpu.pstate & ~PSTATE_EL_MASK) | 1u << PSTATE_EL_SHIFT);
    const uint32_t code[3] = {0xd5181040 /* msr cpacr_el1, x0 */, FMOV_D0_X1, 0};
    uint64_t start = next_code;
    harness_code(&h, start, code, 3);
    for (unsigned round = 0; round < 4; round++) {
        bool enable = round % 2 == 0;
        h.cpu.x[0] = enable ? 3ull << 20 : 0;
        h.cpu.x[1] = 0x1234 + round;
        h.cpu.pc = start;
        harness_run(&h, 3);
        ck_assert_uint_eq(h.cpu.sr[SR_ELR_EL1] - start, enable ? 8 : 4);
        ck_assert_uint_eq(h.cpu.sr[SR_ESR_EL1] >> 26, enable ? 0 : 7);
        if (enable)
            ck_assert_uint_eq(h.cpu.v[0][0], 0x1234 + round);
        cpu_set_pstate(&h.cpu, (h.cpu.pstate & ~PSTATE_EL_MASK) | 1u << PSTATE_EL_SHIFT);
    }
}
END_TEST

/* FPToFixedJS: a nonzero denormal flushed by FPCR.FZ gives 0 with Z = 0 (QEMU
 * 7.2 sets Z; the random FP programs avoid this operand). */
START_TEST(fjcvtzs_flushed_denormal_clears_z)
{
    h.cpu.sr[SR_FPCR] = FPCR_FZ;
    h.cpu.v[3][0] = 0x3f03;
    h.cpu.nzcv = 0;
    RUN(0x1e7e0062 /* fjcvtzs w2, d3 */);
    ck_assert_uint_eq(h.cpu.x[2], 0);
    ck_assert_uint_eq(h.cpu.nzcv, 0);
    ck_assert_uint_eq(h.cpu.sr[SR_FPSR], FPSR_IDC);
    h.cpu.v[3][0] = 0;
    RUN(0x1e7e0062 /* fjcvtzs w2, d3 */);
    ck_assert_uint_eq(h.cpu.nzcv, 1u << 30);
}
END_TEST

/* Scalar writes zero V above them; FMOV to V.D[1] keeps the low half. */
START_TEST(scalar_writes_zero_the_rest_of_v)
{
    for (unsigned n = 0; n < 32; n++)
        h.cpu.v[n][0] = h.cpu.v[n][1] = ~0ull;
    h.cpu.x[10] = 0x1111;
    h.cpu.x[12] = 0x2222;
    h.cpu.x[14] = 0xabcd3333;
    h.cpu.x[16] = DATA;
    harness_code(&h, DATA, (const uint32_t[]){0x44332211, 0x88776655, 0xccbbaa99, 0x00ffeedd}, 4);
    RUN(0x9eaf0149 /* fmov v9.d[1], x10 */, 0x9e67018b /* fmov d11, x12 */, 0x1ee701cd /* fmov h13, w14 */,
        0x1e2828e6 /* fadd s6, s7, s8 */, 0x3dc0020f /* ldr q15, [x16] */, 0x3d400211 /* ldr b17, [x16] */);
    ck_assert_uint_eq(h.cpu.v[9][0], ~0ull);
    ck_assert_uint_eq(h.cpu.v[9][1], 0x1111);
    ck_assert_uint_eq(h.cpu.v[11][0], 0x2222);
    ck_assert_uint_eq(h.cpu.v[11][1], 0);
    ck_assert_uint_eq(h.cpu.v[13][0], 0x3333);
    ck_assert_uint_eq(h.cpu.v[13][1], 0);
    ck_assert_uint_eq(h.cpu.v[6][0], 0xffffffff); /* quiet NaN + quiet NaN: the first */
    ck_assert_uint_eq(h.cpu.v[6][1], 0);
    ck_assert_uint_eq(h.cpu.v[15][0], 0x8877665544332211ull);
    ck_assert_uint_eq(h.cpu.v[15][1], 0x00ffeeddccbbaa99ull);
    ck_assert_uint_eq(h.cpu.v[17][0], 0x11);
    ck_assert_uint_eq(h.cpu.v[17][1], 0);
}
END_TEST

/* A CPU without FP (ID_AA64PFR0_EL1.FP = AdvSIMD = 0xF): FP instructions and
 * FPCR/FPSR accesses are UNDEFINED, whatever CPACR_EL1 says. */
START_TEST(no_fp_means_undefined)
{
    h.cpu.sr[SR_ID_AA64PFR0_EL1] |= 0xffull << 16;
    features_compute(&h.cpu.features, h.cpu.sr);
    expect_trap(2, 2, 0);
    expect_trap(1, 1, 0);
}
END_TEST

/* FPCR keeps only the fields Nestor implements; FPSR only its flags. */
START_TEST(fpcr_fpsr_writable_bits)
{
    h.cpu.x[4] = ~0ull;
    RUN(0xd51b4404 /* msr fpcr, x4 */, MRS_X5_FPCR, 0xd51b4424 /* msr fpsr, x4 */, 0xd53b4426 /* mrs x6, fpsr */);
    ck_assert_uint_eq(h.cpu.x[5], FPCR_WRITABLE);
    ck_assert_uint_eq(h.cpu.x[6], FPSR_WRITABLE);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("fp");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, tge_routes_el0_trap_to_el2_uncategorized);
    tcase_add_test(tc, e2h_layout_of_cptr_el2);
    tcase_add_test(tc, msr_cpacr_changes_the_translation);
    tcase_add_test(tc, fjcvtzs_flushed_denormal_clears_z);
    tcase_add_test(tc, scalar_writes_zero_the_rest_of_v);
    tcase_add_test(tc, fpcr_fpsr_writable_bits);
    tcase_add_test(tc, no_fp_means_undefined);
    suite_add_tcase(s, tc);
    return unit_run_suite(s, true);
}
