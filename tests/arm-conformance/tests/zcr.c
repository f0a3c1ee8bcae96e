/*
 * ZCR_EL1, ZCR_EL2 and ZCR_EL12 (FEAT_SVE), run with -cpu
 * max,ID_AA64PFR0_EL1.SVE=1 and
 * entered at EL2: storage (LEN, bits [3:0]; the rest RES0) and the SVE
 * enables that trap them with EC 0x19 (DDI 0487 D19.2.175-176: CPACR_EL1.ZEN
 * at EL1, then CPTR_EL2.TZ with E2H = 0 or CPTR_EL2.ZEN with E2H = 1).
 * Self-checking (Nestor alone: the run needs SVE in the ID registers).
 */
#include "testlib.h"

#define EC_SVE 0x19ul
#define CPTR_TZ (1ul << 8)
#define CPTR_RES1 (CPTR_EL2_RES1 & ~CPTR_TZ) /* E2H = 0 layout: RES1 bits, TZ and TFP clear */
#define CPACR_ZEN(v) ((uint64_t)(v) << 16)

static uint64_t rd_zcr_el1(void) { uint64_t v; asm volatile("mrs %0, s3_0_c1_c2_0" : "=r"(v)); return v; }
static void wr_zcr_el1(uint64_t v) { asm volatile("msr s3_0_c1_c2_0, %0\n\tisb" ::"r"(v)); }
static uint64_t rd_zcr_el2(void) { uint64_t v; asm volatile("mrs %0, s3_4_c1_c2_0" : "=r"(v)); return v; }
static void wr_zcr_el2(uint64_t v) { asm volatile("msr s3_4_c1_c2_0, %0\n\tisb" ::"r"(v)); }
static uint64_t rd_zcr_el12(void) { uint64_t v; asm volatile("mrs %0, s3_5_c1_c2_0" : "=r"(v)); return v; }

static bool skip(struct exc_frame *f)
{
    f->elr += 4;
    return true;
}

static void expect_trap(const char *what, uint64_t el)
{
    CHECK_EQ(what, rt_last_exc.count, 1);
    CHECK_EQ(what, rt_last_exc.esr >> 26, EC_SVE);
    CHECK_EQ(what, rt_last_exc.esr & 0x1ffffff, 0);
    CHECK_EQ(what, rt_last_exc.el, el);
    printf("  %-40s EL%lu esr %08lx\n", what, rt_last_exc.el, rt_last_exc.esr);
}

static uint64_t el1_read(uint64_t unused)
{
    (void)unused;
    set_exception_handler(skip);
    clear_last_exc();
    return rd_zcr_el1();
}

static uint64_t el1_write(uint64_t v)
{
    set_exception_handler(skip);
    clear_last_exc();
    wr_zcr_el1(v);
    return 0;
}

int main(void)
{
    if (rt_start_el != 2 || ((read_sysreg(id_aa64pfr0_el1) >> 32) & 0xf) == 0) {
        printf("needs EL2 and SVE\n");
        return 1;
    }
    set_exception_handler(skip);
    printf("E2H = 0\n");
    write_sysreg(cptr_el2, CPTR_RES1);
    isb();
    wr_zcr_el2(0xffff);
    CHECK_EQ("ZCR_EL2 holds LEN only", rd_zcr_el2(), 0xf);
    wr_zcr_el2(3);
    CHECK_EQ("ZCR_EL2 LEN", rd_zcr_el2(), 3);

    write_sysreg(cptr_el2, CPTR_RES1 | CPTR_TZ);
    isb();
    clear_last_exc();
    rd_zcr_el2();
    expect_trap("TZ: MRS ZCR_EL2 at EL2", 2);

    write_sysreg(cptr_el2, CPTR_RES1);
    write_sysreg(cpacr_el1, CPACR_FPEN(3));
    isb();
    run_at_el1(el1_read, 0);
    expect_trap("ZEN=00: MRS ZCR_EL1 at EL1", 1);
    write_sysreg(cpacr_el1, CPACR_FPEN(3) | CPACR_ZEN(1));
    isb();
    run_at_el1(el1_write, 5);
    CHECK_EQ("ZEN=01: MSR ZCR_EL1 at EL1 runs", rt_last_exc.count, 0);
    CHECK_EQ("ZCR_EL1 LEN", run_at_el1(el1_read, 0), 5);
    CHECK_EQ("ZCR_EL1 read at EL1 runs", rt_last_exc.count, 0);
    write_sysreg(cptr_el2, CPTR_RES1 | CPTR_TZ);
    isb();
    run_at_el1(el1_read, 0);
    expect_trap("ZEN=01, TZ: MRS ZCR_EL1 at EL1", 2);
    /* CPACR_EL1.ZEN comes first */
    write_sysreg(cpacr_el1, CPACR_FPEN(3));
    isb();
    run_at_el1(el1_read, 0);
    expect_trap("ZEN=00, TZ: MRS ZCR_EL1 at EL1", 1);
    write_sysreg(cptr_el2, CPTR_RES1);
    isb();

    if (((read_sysreg(id_aa64mmfr1_el1) >> 8) & 0xf) != 0) {
        printf("E2H = 1\n");
        write_sysreg(hcr_el2, read_sysreg(hcr_el2) | HCR_E2H);
        isb();
        /* CPTR_EL2 in the CPACR layout: ZEN [17:16], FPEN [21:20] */
        write_sysreg(cptr_el2, CPACR_FPEN(3) | CPACR_ZEN(3));
        isb();
        CHECK_EQ("ZCR_EL1 at EL2 is ZCR_EL2", rd_zcr_el1(), 3);
        CHECK_EQ("ZCR_EL12 is ZCR_EL1", rd_zcr_el12(), 5);
        write_sysreg(cptr_el2, CPACR_FPEN(3) | CPACR_ZEN(1));
        isb();
        clear_last_exc();
        rd_zcr_el2();
        CHECK_EQ("ZEN=01 at EL2 runs", rt_last_exc.count, 0);
        write_sysreg(cptr_el2, CPACR_FPEN(3));
        isb();
        clear_last_exc();
        rd_zcr_el12();
        expect_trap("ZEN=00: MRS ZCR_EL12 at EL2", 2);
        write_sysreg(cptr_el2, CPACR_FPEN(3) | CPACR_ZEN(3));
        write_sysreg(hcr_el2, read_sysreg(hcr_el2) & ~HCR_E2H);
        isb();
    }
    write_sysreg(cptr_el2, CPTR_RES1 | CPTR_TZ);
    isb();
    printf("done\n");
    return 0;
}
