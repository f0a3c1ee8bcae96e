/* The system-register table, the ID-field table and the CPU models as data:
 * every model checked against the field table and the consistency rules,
 * -cpu configuration, and the PMU/debug/VHE/trap behaviour on a bare CPU. */
#include <check.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "sysregs/cpu_model.h"
#include "sysregs/id_fields.h"
#include "sysregs/sysregs.h"
#include "unit_main.h"

#define BASE HARNESS_RAM_BASE
#define VBAR (BASE + 0x10000)

/* MRS/MSR (register) of a table entry with Rt = rt. */
static uint32_t msr_mrs(SysregId id, bool read, unsigned rt)
{
    const SysregInfo *r = sysreg_by_id(id);
    return 0xd5100000u | (read ? 1u << 21 : 0) | (r->op0 & 1u) << 19 | (uint32_t)r->op1 << 16 |
           (uint32_t)r->crn << 12 | (uint32_t)r->crm << 8 | (uint32_t)r->op2 << 5 | rt;
}

START_TEST(every_model_fits_the_field_table)
{
    for (size_t m = 0; m < cpu_model_count(); m++) {
        const CPUModel *model = cpu_model_at(m);
        char err[256];
        ck_assert_msg(cpu_model_check(model, err, sizeof err), "%s: %s", model->name, err);
        /* No bits outside the fields the table knows (unknown fields read 0). */
        for (unsigned id = 0; id < SR_COUNT; id++) {
            if (!id_field_register_has_fields((SysregId)id))
                continue;
            uint64_t known = 0;
            for (unsigned f = 0; f < IDF_COUNT; f++) {
                const IdFieldInfo *i = id_field_info((IdField)f);
                if (i->reg == id)
                    known |= (i->width == 64 ? ~0ull : (1ull << i->width) - 1) << i->shift;
            }
            ck_assert_msg(!(model->values[id] & ~known), "%s: %s has bits outside known fields", model->name,
                          sysreg_by_id((SysregId)id)->name);
        }
        /* MIDR: Arm (0x41), architecture 0xF (ID registers), a known part. */
        uint64_t midr = model->values[SR_MIDR_EL1];
        unsigned part = midr >> 4 & 0xfff;
        ck_assert_msg((midr >> 24 & 0xff) == 0x41, "%s: implementer", model->name);
        ck_assert_msg((midr >> 16 & 0xf) == 0xf, "%s: architecture", model->name);
        ck_assert_msg(part == 0xd07 || part == 0xd08 || part == 0xd0c || part == 0xd40 || part == 0x000,
                      "%s: part %x", model->name, part);
        ck_assert_msg(model->values[SR_MPIDR_EL1] >> 31 & 1, "%s: MPIDR bit 31 is RES1", model->name);
        /* PMCR_EL0: the same implementer; counters exactly with a PMU. */
        uint64_t pmcr = model->values[SR_PMCR_EL0];
        ck_assert_msg((pmcr >> 24) == 0x41, "%s: PMCR.IMP", model->name);
        ck_assert_msg(((pmcr >> 11 & 0x1f) != 0) == (id_field_get(model->values, IDF_ID_AA64DFR0_EL1_PMUVer) != 0),
                      "%s: PMCR.N vs PMUVer", model->name);
        /* Every cache CLIDR_EL1 lists has its CCSIDR. */
        for (unsigned level = 1; level <= 7; level++) {
            unsigned ctype = model->values[SR_CLIDR_EL1] >> (3 * (level - 1)) & 7;
            bool data = ctype >= 2, instr = ctype == 1 || ctype == 3;
            if (data)
                ck_assert_msg(model->ccsidr[(level - 1) << 1], "%s: L%u data CCSIDR", model->name, level);
            if (instr)
                ck_assert_msg(model->ccsidr[(level - 1) << 1 | 1], "%s: L%u instruction CCSIDR", model->name, level);
        }
    }
}
END_TEST

START_TEST(table_is_consistent)
{
    const SysregInfo *hfgrtr = sysreg_by_id(SR_HFGRTR_EL2), *hdfgr = sysreg_by_id(SR_HDFGRTR_EL2),
                     *hdfgw = sysreg_by_id(SR_HDFGWTR_EL2);
    for (unsigned i = 0; i < SR_COUNT; i++) {
        const SysregInfo *r = sysreg_by_id((SysregId)i);
        /* one entry per encoding */
        ck_assert_ptr_eq(sysreg_by_key(sysreg_key(r->op0, r->op1, r->crn, r->crm, r->op2)), r);
        if (TRAP_HAS_FGT(r->traps))
            ck_assert_msg(hfgrtr->wmask >> TRAP_FGT_BIT(r->traps) & 1, "%s: FGT bit not allocated", r->name);
        if (TRAP_HAS_DFGT(r->traps))
            ck_assert_msg((hdfgr->wmask | hdfgw->wmask) >> TRAP_DFGT_BIT(r->traps) & 1, "%s: DFGT bit", r->name);
        /* the _EL12 aliases are the op1 = 5 encodings, gated by FEAT_VHE or,
         * for the registers of a later feature (TCR2, S1PIE), by that
         * feature, the one of the register they reach */
        if (r->op0 == 3 && r->op1 == 5) {
            char target[32];
            snprintf(target, sizeof target, "%.*s", (int)strlen(r->name) - 1, r->name);
            const SysregInfo *t = sysreg_by_name(target);
            ck_assert_msg(t && (r->feature == FEAT_VHE || (t->feature != FEAT_NONE && r->feature == t->feature)) &&
                              r->min_el == 2, "%s: alias gate", r->name);
        }
    }
}
END_TEST

START_TEST(cpu_option_overrides_and_rules)
{
    CPUModel m;
    char err[256];
    ck_assert(cpu_model_configure(&m, "max,ID_AA64MMFR1_EL1.VH=0,lse=off", err, sizeof err));
    ck_assert_uint_eq(id_field_get(m.values, IDF_ID_AA64MMFR1_EL1_VH), 0);
    ck_assert_uint_eq(id_field_get(m.values, IDF_ID_AA64ISAR0_EL1_Atomic), 0);
    ck_assert(cpu_model_configure(&m, "cortex-a57,fp16=on,id_aa64dfr0_el1.brps=0x3", err, sizeof err));
    ck_assert_uint_eq(id_field_get(m.values, IDF_ID_AA64PFR0_EL1_FP), 1);
    ck_assert_uint_eq(id_field_get(m.values, IDF_ID_AA64PFR0_EL1_AdvSIMD), 1);
    ck_assert_uint_eq(id_field_get(m.values, IDF_ID_AA64DFR0_EL1_BRPs), 3);
    ck_assert(!cpu_model_configure(&m, "max,ID_AA64PFR0_EL1.FP=0xf", err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "ID_AA64PFR0_EL1.AdvSIMD"));
    ck_assert_ptr_nonnull(strstr(err, "ID_AA64PFR0_EL1.FP"));
    ck_assert(!cpu_model_configure(&m, "max,ID_AA64MMFR3_EL1.S1PIE=1,fgt=off", err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "ID_AA64MMFR0_EL1.FGT"));
    ck_assert(!cpu_model_configure(&m, "max,ID_AA64MMFR3_EL1.TCRX=0", err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "ID_AA64MMFR3_EL1.TCRX"));
    ck_assert(cpu_model_configure(&m, "max,ID_AA64MMFR3_EL1.TCRX=0,ID_AA64MMFR3_EL1.S1PIE=0", err, sizeof err));
    ck_assert(!cpu_model_configure(&m, "max,ID_AA64PFR0_EL1.SVE=1,ID_AA64PFR0_EL1.FP=15,ID_AA64PFR0_EL1.AdvSIMD=15",
                                   err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "ID_AA64PFR0_EL1.SVE"));
    ck_assert(!cpu_model_configure(&m, "max,ID_AA64MMFR1_EL1.VH=16", err, sizeof err));
    ck_assert(!cpu_model_configure(&m, "max,sve=on", err, sizeof err));
    ck_assert(!cpu_model_configure(&m, "max,nope=on", err, sizeof err));
    ck_assert(!cpu_model_configure(&m, "max,ID_AA64MMFR1_EL1.NOPE=1", err, sizeof err));
    ck_assert(!cpu_model_configure(&m, "cortex-z1", err, sizeof err));
}
END_TEST

static Harness h;
static void put(uint64_t addr, uint32_t insn) { harness_code(&h, addr, &insn, 1); }

static void setup(const char *model, unsigned el)
{
    harness_init(&h, model, el);
    h.cpu.sr[SR_VBAR_EL2] = VBAR;
    h.cpu.sr[SR_VBAR_EL1] = VBAR + 0x1000;
}

START_TEST(cycle_counter_counts_when_enabled)
{
    setup("max", 2);
    h.cpu.x[1] = 1;          /* PMCR_EL0.E */
    h.cpu.x[2] = 1u << 31;   /* PMCNTENSET_EL0.C */
    h.cpu.sr[SR_PMCCFILTR_EL0] = 1u << 27; /* NSH: count at EL2 too */
    put(BASE, msr_mrs(SR_PMCCNTR_EL0, true, 3));
    put(BASE + 4, msr_mrs(SR_PMCR_EL0, false, 1));
    put(BASE + 8, msr_mrs(SR_PMCNTENSET_EL0, false, 2));
    for (unsigned i = 0; i < 10; i++)
        put(BASE + 12 + 4 * i, 0xd503201f); /* nop */
    put(BASE + 52, msr_mrs(SR_PMCCNTR_EL0, true, 4));
    put(BASE + 56, msr_mrs(SR_PMCR_EL0, true, 5));
    put(BASE + 60, 0x14000000); /* b . */
    harness_run(&h, 15);
    ck_assert_uint_eq(h.cpu.pc, BASE + 60);
    ck_assert_uint_eq(h.cpu.x[3], 0);   /* stopped at reset */
    ck_assert_uint_eq(h.cpu.x[4], 11);  /* one per instruction since PMCNTENSET */
    ck_assert_uint_eq(h.cpu.x[5] >> 11 & 0x1f, 6); /* N at EL2 */
    harness_destroy(&h);
}
END_TEST

START_TEST(pmu_counters_beyond_n_undefined)
{
    setup("max", 2);
    put(BASE, msr_mrs(SR_PMEVCNTR5_EL0, true, 1));
    put(BASE + 4, msr_mrs(SR_PMEVCNTR6_EL0, true, 1));
    harness_run(&h, 2);
    ck_assert_uint_eq(h.cpu.sr[SR_ELR_EL2], BASE + 4);
    ck_assert_uint_eq(h.cpu.sr[SR_ESR_EL2], 1u << 25); /* EC 0: UNDEFINED */
    harness_destroy(&h);
}
END_TEST

START_TEST(os_lock_and_breakpoint_count)
{
    setup("max", 2);
    ck_assert_uint_eq(h.cpu.sr[SR_OSLSR_EL1], 0xa);
    put(BASE, msr_mrs(SR_OSLAR_EL1, false, 31)); /* msr oslar_el1, xzr */
    put(BASE + 4, msr_mrs(SR_DBGBCR5_EL1, true, 1)); /* BRPs = 5: six breakpoints */
    put(BASE + 8, msr_mrs(SR_DBGBCR6_EL1, true, 1));
    harness_run(&h, 3);
    ck_assert_uint_eq(h.cpu.sr[SR_OSLSR_EL1], 0x8);
    ck_assert_uint_eq(h.cpu.sr[SR_ELR_EL2], BASE + 8);
    ck_assert_uint_eq(h.cpu.sr[SR_ESR_EL2], 1u << 25);
    harness_destroy(&h);
}
END_TEST

START_TEST(ccsidr_follows_csselr)
{
    setup("neoverse-n1", 2);
    h.cpu.x[1] = 2; /* L2 */
    put(BASE, msr_mrs(SR_CSSELR_EL1, false, 1));
    put(BASE + 4, msr_mrs(SR_CCSIDR_EL1, true, 2));
    put(BASE + 8, 0x14000000); /* b . */
    harness_run(&h, 2);
    ck_assert_uint_eq(h.cpu.x[2], 0x70ffe03a);
    harness_destroy(&h);
}
END_TEST

/* Runs one instruction at EL0, entered by ERET from EL2 with HCR_EL2 = hcr. */
static void run_el0(uint64_t hcr, uint32_t insn)
{
    h.cpu.sr[SR_HCR_EL2] = HCR_RW | hcr;
    h.cpu.sr[SR_SPSR_EL2] = 0; /* EL0t */
    h.cpu.sr[SR_ELR_EL2] = BASE + 0x100;
    h.cpu.sr[SR_ESR_EL2] = 0;
    h.cpu.pc = BASE;
    cpu_set_pstate(&h.cpu, PSTATE_DAIF | 2u << PSTATE_EL_SHIFT | PSTATE_SP); /* back at EL2h */
    put(BASE, 0xd69f03e0); /* eret */
    put(BASE + 0x100, insn);
    put(BASE + 0x104, 0x14000000); /* b . */
    put(VBAR + 0x200, 0x14000000);  /* the EL2 vectors: stay there */
    put(VBAR + 0x400, 0x14000000);
    harness_run(&h, 3);
}

START_TEST(el0_traps_follow_tge_and_the_el20_regime)
{
    setup("max", 2);
    /* TGE alone: PMUSERENR_EL0.EN = 0 traps EL0 PMU reads to EL2, not EL1. */
    run_el0(HCR_TGE, msr_mrs(SR_PMCCNTR_EL0, true, 1));
    ck_assert_uint_eq(h.cpu.sr[SR_ESR_EL2], 0x18u << 26 | 1u << 25 | sysreg_trap_iss(3, 3, 9, 13, 0, 1, true));
    ck_assert_uint_eq(h.cpu.sr[SR_ELR_EL2], BASE + 0x100);
    /* {E2H,TGE} = {1,1}: SCTLR_EL2.UCT decides, HCR_EL2.TID2 does not apply. */
    h.cpu.sr[SR_SCTLR_EL1] &= ~SCTLR_UCT;
    h.cpu.sr[SR_SCTLR_EL2] |= SCTLR_UCT;
    run_el0(HCR_TGE | HCR_E2H | HCR_TID2, msr_mrs(SR_CTR_EL0, true, 1));
    ck_assert_uint_eq(h.cpu.sr[SR_ESR_EL2], 0);
    ck_assert_uint_eq(h.cpu.x[1], h.cpu.sr[SR_CTR_EL0]);
    h.cpu.sr[SR_SCTLR_EL2] &= ~SCTLR_UCT;
    run_el0(HCR_TGE | HCR_E2H, msr_mrs(SR_CTR_EL0, true, 1));
    ck_assert_uint_eq(h.cpu.sr[SR_ESR_EL2] >> 26, 0x18);
    ck_assert_uint_eq(h.cpu.pc, VBAR + 0x400);
    ck_assert_uint_eq(h.cpu.sr[SR_ELR_EL2], BASE + 0x100);
    harness_destroy(&h);
}
END_TEST

START_TEST(vhe_redirects_el1_encodings_at_el2)
{
    setup("max", 2);
    h.cpu.sr[SR_HCR_EL2] = HCR_RW | HCR_E2H;
    h.cpu.x[1] = 0x1234;
    put(BASE, msr_mrs(SR_CONTEXTIDR_EL1, false, 1));   /* reaches CONTEXTIDR_EL2 */
    put(BASE + 4, msr_mrs(SR_CONTEXTIDR_EL12, true, 2)); /* reads CONTEXTIDR_EL1 */
    put(BASE + 8, 0x14000000);
    harness_run(&h, 2);
    ck_assert_uint_eq(h.cpu.sr[SR_CONTEXTIDR_EL2], 0x1234);
    ck_assert_uint_eq(h.cpu.sr[SR_CONTEXTIDR_EL1], 0);
    ck_assert_uint_eq(h.cpu.x[2], 0);
    harness_destroy(&h);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sysregs");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, every_model_fits_the_field_table);
    tcase_add_test(tc, table_is_consistent);
    tcase_add_test(tc, cpu_option_overrides_and_rules);
    tcase_add_test(tc, cycle_counter_counts_when_enabled);
    tcase_add_test(tc, pmu_counters_beyond_n_undefined);
    tcase_add_test(tc, os_lock_and_breakpoint_count);
    tcase_add_test(tc, ccsidr_follows_csselr);
    tcase_add_test(tc, el0_traps_follow_tge_and_the_el20_regime);
    tcase_add_test(tc, vhe_redirects_el1_encodings_at_el2);
    suite_add_tcase(s, tc);
    return unit_run_suite(s, true);
}
