/* The GICv3 virtual CPU interface (Arm IHI 0069 chapter 11, ICH_*_EL2 and
 * ICV_*): list-register acknowledge, EOI and deactivate, priorities against
 * VPMR and the virtual running priority, EOIcount, HW = 1 list registers
 * deactivating the physical interrupt, ICH_MISR/EISR/ELRSR and the
 * maintenance PPI, the virtual IRQ/FIQ signals, VTR and VMCR fields. */
#include <check.h>
#include <string.h>

#include "gic/gicv3.h"
#include "mmu/physmem.h"
#include "unit_main.h"

#define DIST 0x08000000ull
#define REDIST 0x080a0000ull
#define GICR_SGI(cpu) (REDIST + (cpu) * (uint64_t)GICR_FRAME_SIZE + 0x10000)
#define MAINT 25
#define ICH_LR1 (ICH_LR0 + 1)
#define ICH_LR2 (ICH_LR0 + 2)
#define ICH_LR3 (ICH_LR0 + 3)

#define LR_PENDING (1ull << 62)
#define LR_ACTIVE (1ull << 63)
#define LR_GROUP1 (1ull << 60)
#define LR_HW (1ull << 61)
#define LR_EOI (1ull << 41)
#define LR(intid, prio) ((uint64_t)(intid) | (uint64_t)(prio) << 48)

#define HCR_EN 1u
#define HCR_UIE 2u
#define HCR_LRENPIE 4u
#define HCR_NPIE 8u
#define VMCR_VENG0 1u
#define VMCR_VENG1 2u
#define VMCR_VEOIM (1u << 9)
#define VMCR_VPMR(p) ((uint32_t)(p) << 24)

static AddressSpace as;
static GICv3 gic;

static void setup(void)
{
    static const uint64_t aff[2] = {0, 1};
    char err[160];
    as_init(&as);
    ck_assert_msg(gicv3_init(&gic, 2, aff, 64, false, err, sizeof err), "%s", err);
    gic.maintenance_intid = MAINT;
    gicv3_map(&gic, &as, DIST, REDIST);
}

static void teardown(void) { as_destroy(&as); }

static uint64_t rd(uint64_t addr)
{
    const MemRegion *r = as_find(&as, addr);
    uint64_t v = ~0ull;
    ck_assert(r && r->ops->read(r->opaque, addr - r->base, 4, &v));
    return v;
}

static void wr(uint64_t addr, uint64_t v)
{
    const MemRegion *r = as_find(&as, addr);
    ck_assert(r && r->ops->write(r->opaque, addr - r->base, 4, v));
}

static uint64_t ich(unsigned reg) { return gicv3_ich_read(&gic, 0, reg); }
static void set_ich(unsigned reg, uint64_t v) { gicv3_ich_write(&gic, 0, reg, v); }
static uint64_t icv(ICCReg reg) { return gicv3_icv_read(&gic, 0, reg); }
static void set_icv(ICCReg reg, uint64_t v) { gicv3_icv_write(&gic, 0, reg, v); }

static void vlines(bool *virq, bool *vfiq) { gicv3_virt_lines(&gic, 0, virq, vfiq); }

/* The maintenance PPI's input line, as the redistributor sees it. */
static bool maintenance_line(void) { return gic.redist[0].irq[MAINT].level; }

START_TEST(vtr_and_reset_state)
{
    uint64_t vtr = ich(ICH_VTR);
    ck_assert_uint_eq(vtr & 0x1f, 3);     /* ListRegs: 4 */
    ck_assert_uint_eq(vtr >> 29 & 7, 4);  /* PRIbits: 5 */
    ck_assert_uint_eq(vtr >> 26 & 7, 4);  /* PREbits: 5 */
    ck_assert_uint_eq(vtr >> 22 & 1, 0);  /* SEIS */
    ck_assert_uint_eq(vtr >> 21 & 1, 0);  /* A3V follows the GIC: off here */
    ck_assert_uint_eq(vtr >> 20 & 1, 1);  /* nV4: GICv3 */
    ck_assert_uint_eq(vtr >> 19 & 1, 1);  /* TDS */
    /* VMCR resets with VFIQEn (RES1) and the minimum binary points */
    ck_assert_uint_eq(ich(ICH_VMCR), 1u << 3 | 3u << 18 | 2u << 21);
    ck_assert_uint_eq(ich(ICH_ELRSR), 0xf);
    ck_assert_uint_eq(ich(ICH_EISR), 0);
    ck_assert_uint_eq(ich(ICH_MISR), 0);
    ck_assert_uint_eq(icv(ICC_RPR), 0xff);
}
END_TEST

START_TEST(register_masks)
{
    set_ich(ICH_HCR, ~0ull);
    ck_assert_uint_eq(ich(ICH_HCR), 0xf8005cffu); /* reserved bits RES0, and TSEI and DVIM (no SEIS, no DVIM) */
    set_ich(ICH_HCR, 0);
    set_ich(ICH_VMCR, 0);                          /* BPRs below minimum -> minimum; VFIQEn RES1 */
    ck_assert_uint_eq(ich(ICH_VMCR), 1u << 3 | 3u << 18 | 2u << 21);
    set_ich(ICH_VMCR, 0xffffffffu);
    ck_assert_uint_eq(ich(ICH_VMCR), 0xf8fc021bu);
    set_ich(ICH_LR0, ~0ull);                       /* priority 50:48 and 47:45, 59:56 RES0 */
    ck_assert_uint_eq(ich(ICH_LR0), 0xf0f81fffffffffffull);
    set_icv(ICC_PMR, 0xff);
    ck_assert_uint_eq(icv(ICC_PMR), 0xf8);
    ck_assert_uint_eq(ich(ICH_VMCR) >> 24, 0xf8);
    set_icv(ICC_BPR0, 0);
    ck_assert_uint_eq(icv(ICC_BPR0), 2);
    set_icv(ICC_BPR1, 0);
    ck_assert_uint_eq(icv(ICC_BPR1), 3);
    set_icv(ICC_CTLR, 3);                          /* CBPR: BPR1 reads BPR0 + 1, ignores writes */
    ck_assert_uint_eq(ich(ICH_VMCR) & (1u << 4 | 1u << 9), 1u << 4 | 1u << 9);
    set_icv(ICC_BPR0, 6);
    set_icv(ICC_BPR1, 4);
    ck_assert_uint_eq(icv(ICC_BPR1), 7);
    ck_assert_uint_eq(icv(ICC_CTLR) & 0x0703, 0x0403); /* PRIbits 4, CBPR, EOImode */
}
END_TEST

START_TEST(acknowledge_and_eoi)
{
    bool virq, vfiq;
    set_ich(ICH_VMCR, VMCR_VENG1 | VMCR_VPMR(0xf0));
    set_ich(ICH_LR0, LR(40, 0xa0) | LR_GROUP1 | LR_PENDING);
    vlines(&virq, &vfiq);
    ck_assert(!virq && !vfiq); /* En = 0: nothing signalled */
    ck_assert_uint_eq(icv(ICC_HPPIR1), 40);
    set_ich(ICH_HCR, HCR_EN);
    vlines(&virq, &vfiq);
    ck_assert(virq && !vfiq);
    ck_assert_uint_eq(ich(ICH_ELRSR), 0xe);
    ck_assert_uint_eq(icv(ICC_IAR0), 1023);      /* wrong group */
    ck_assert_uint_eq(icv(ICC_IAR1), 40);
    ck_assert_uint_eq(ich(ICH_LR0) >> 62, 2);    /* active */
    ck_assert_uint_eq(icv(ICC_RPR), 0xa0);
    ck_assert_uint_eq(ich(ICH_AP1R0), 1u << (0xa0 >> 3));
    vlines(&virq, &vfiq);
    ck_assert(!virq);
    ck_assert_uint_eq(icv(ICC_IAR1), 1023);      /* nothing pending any more */
    set_icv(ICC_EOIR1, 40);
    ck_assert_uint_eq(ich(ICH_LR0) >> 62, 0);    /* invalid */
    ck_assert_uint_eq(ich(ICH_AP1R0), 0);
    ck_assert_uint_eq(icv(ICC_RPR), 0xff);
    ck_assert_uint_eq(ich(ICH_ELRSR), 0xf);
    ck_assert_uint_eq(ich(ICH_HCR) >> 27, 0);
}
END_TEST

START_TEST(priorities_mask_and_preemption)
{
    bool virq, vfiq;
    set_ich(ICH_HCR, HCR_EN);
    set_ich(ICH_VMCR, VMCR_VENG0 | VMCR_VENG1 | VMCR_VPMR(0x80));
    set_ich(ICH_LR0, LR(50, 0x90) | LR_GROUP1 | LR_PENDING);
    vlines(&virq, &vfiq);
    ck_assert(!virq && !vfiq);                   /* 0x90 is masked by VPMR 0x80 */
    ck_assert_uint_eq(icv(ICC_IAR1), 1023);
    set_icv(ICC_PMR, 0xf8);
    set_ich(ICH_LR1, LR(51, 0x60) | LR_PENDING); /* Group 0, higher priority */
    vlines(&virq, &vfiq);
    ck_assert(!virq && vfiq);
    ck_assert_uint_eq(icv(ICC_HPPIR1), 1023);
    ck_assert_uint_eq(icv(ICC_HPPIR0), 51);
    ck_assert_uint_eq(icv(ICC_IAR0), 51);
    ck_assert_uint_eq(icv(ICC_RPR), 0x60);
    vlines(&virq, &vfiq);
    ck_assert(!virq && !vfiq);                   /* 0x90 cannot preempt 0x60 */
    ck_assert_uint_eq(icv(ICC_IAR1), 1023);
    set_ich(ICH_LR2, LR(52, 0x40) | LR_GROUP1 | LR_PENDING);
    vlines(&virq, &vfiq);
    ck_assert(virq && !vfiq);                    /* 0x40 preempts */
    ck_assert_uint_eq(icv(ICC_IAR1), 52);
    ck_assert_uint_eq(icv(ICC_RPR), 0x40);
    set_icv(ICC_EOIR1, 52);
    ck_assert_uint_eq(icv(ICC_RPR), 0x60);
    set_icv(ICC_EOIR0, 51);
    ck_assert_uint_eq(ich(ICH_LR1) >> 62, 0);
    vlines(&virq, &vfiq);
    ck_assert(virq);                             /* 0x90 again */
    /* Disabling Group 1 hides it */
    set_icv(ICC_IGRPEN1, 0);
    vlines(&virq, &vfiq);
    ck_assert(!virq);
    ck_assert_uint_eq(icv(ICC_HPPIR1), 1023);
}
END_TEST

START_TEST(binary_point_group_priority)
{
    bool virq, vfiq;
    set_ich(ICH_HCR, HCR_EN);
    set_ich(ICH_VMCR, VMCR_VENG1 | VMCR_VPMR(0xf8) | 3u << 21 | 5u << 18); /* VBPR1 5: group bits 7:5 */
    set_ich(ICH_LR0, LR(60, 0x48) | LR_GROUP1 | LR_PENDING);
    ck_assert_uint_eq(icv(ICC_IAR1), 60);
    ck_assert_uint_eq(ich(ICH_AP1R0), 1u << (0x40 >> 3)); /* the group priority's bit */
    set_ich(ICH_LR1, LR(61, 0x50) | LR_GROUP1 | LR_PENDING);
    vlines(&virq, &vfiq);
    ck_assert(!virq);                            /* same group priority 0x40 */
    set_ich(ICH_LR1, LR(61, 0x28) | LR_GROUP1 | LR_PENDING);
    vlines(&virq, &vfiq);
    ck_assert(virq);                             /* group priority 0x20 */
}
END_TEST

START_TEST(eoimode_split_and_eoicount)
{
    set_ich(ICH_HCR, HCR_EN);
    set_ich(ICH_VMCR, VMCR_VENG1 | VMCR_VPMR(0xf8) | VMCR_VEOIM);
    set_ich(ICH_LR0, LR(70, 0x80) | LR_GROUP1 | LR_PENDING);
    ck_assert_uint_eq(icv(ICC_IAR1), 70);
    set_icv(ICC_EOIR1, 70);
    ck_assert_uint_eq(icv(ICC_RPR), 0xff);       /* dropped */
    ck_assert_uint_eq(ich(ICH_LR0) >> 62, 2);    /* still active */
    set_icv(ICC_DIR, 70);
    ck_assert_uint_eq(ich(ICH_LR0) >> 62, 0);
    set_icv(ICC_DIR, 71);                        /* in no list register */
    ck_assert_uint_eq(ich(ICH_HCR) >> 27, 1);
    /* EOImode 0: an EOI for an interrupt in no list register counts */
    set_icv(ICC_CTLR, 0);
    set_ich(ICH_AP1R0, 1u << 16);                /* the hypervisor's bookkeeping of an active one */
    set_icv(ICC_EOIR1, 99);
    ck_assert_uint_eq(ich(ICH_HCR) >> 27, 2);
    ck_assert_uint_eq(ich(ICH_AP1R0), 0);
    set_icv(ICC_DIR, 99);                        /* DIR with EOImode 0: ignored */
    ck_assert_uint_eq(ich(ICH_HCR) >> 27, 2);
    /* LRENP: EOIcount non-zero */
    set_ich(ICH_HCR, HCR_EN | HCR_LRENPIE | 2u << 27);
    ck_assert_uint_eq(ich(ICH_MISR), 1u << 2);
    ck_assert(maintenance_line());
}
END_TEST

START_TEST(hw_lr_deactivates_physical)
{
    /* Physical PPI 27 acknowledged by the hypervisor: active in the redistributor */
    wr(GICR_SGI(0) + 0x100, 1u << 27);
    wr(GICR_SGI(0) + 0x300, 1u << 27);           /* ISACTIVER0 */
    ck_assert_uint_eq(rd(GICR_SGI(0) + 0x300) >> 27 & 1, 1);
    set_ich(ICH_HCR, HCR_EN);
    set_ich(ICH_VMCR, VMCR_VENG1 | VMCR_VPMR(0xf8));
    set_ich(ICH_LR3, LR(27, 0xa0) | (uint64_t)27 << 32 | LR_HW | LR_GROUP1 | LR_PENDING);
    ck_assert_uint_eq(icv(ICC_IAR1), 27);
    ck_assert_uint_eq(rd(GICR_SGI(0) + 0x300) >> 27 & 1, 1);
    set_icv(ICC_EOIR1, 27);
    ck_assert_uint_eq(ich(ICH_LR3) >> 62, 0);
    ck_assert_uint_eq(rd(GICR_SGI(0) + 0x300) >> 27 & 1, 0); /* physical deactivated */
    ck_assert_uint_eq(ich(ICH_EISR), 0);         /* HW: no EOI maintenance */
    ck_assert_uint_eq(ich(ICH_ELRSR) >> 3 & 1, 1);
}
END_TEST

START_TEST(eoi_maintenance_and_misr)
{
    set_ich(ICH_VMCR, VMCR_VENG1 | VMCR_VPMR(0xf8));
    set_ich(ICH_LR1, LR(80, 0x80) | LR_EOI | LR_GROUP1 | LR_PENDING);
    set_ich(ICH_HCR, HCR_EN);
    ck_assert_uint_eq(ich(ICH_MISR), 0);
    ck_assert(!maintenance_line());
    ck_assert_uint_eq(icv(ICC_IAR1), 80);
    ck_assert_uint_eq(ich(ICH_ELRSR), 0xd);
    set_icv(ICC_EOIR1, 80);
    ck_assert_uint_eq(ich(ICH_EISR), 1u << 1);
    ck_assert_uint_eq(ich(ICH_ELRSR), 0xd);      /* not free until the EOI bit is consumed */
    ck_assert_uint_eq(ich(ICH_MISR), 1u << 0);
    ck_assert(maintenance_line());
    /* The maintenance PPI, enabled, reaches CPU 0's interface as Group 1 */
    wr(GICR_SGI(0) + 0x080, ~0u);
    wr(GICR_SGI(0) + 0x100, 1u << MAINT);
    wr(DIST, 0x12);
    gicv3_icc_write(&gic, 0, ICC_PMR, 0xf0);
    gicv3_icc_write(&gic, 0, ICC_IGRPEN1, 1);
    bool irq, fiq;
    gicv3_cpu_lines(&gic, 0, &irq, &fiq);
    ck_assert(irq);
    ck_assert_uint_eq(gicv3_icc_read(&gic, 0, ICC_IAR1), MAINT);
    /* En = 0 drops it; the hypervisor clears the LR */
    set_ich(ICH_HCR, 0);
    ck_assert(!maintenance_line());
    set_ich(ICH_HCR, HCR_EN);
    ck_assert(maintenance_line());
    set_ich(ICH_LR1, 0);
    ck_assert(!maintenance_line());
    ck_assert_uint_eq(ich(ICH_ELRSR), 0xf);
    /* U: at most one valid LR; NP: none pending */
    set_ich(ICH_HCR, HCR_EN | HCR_UIE | HCR_NPIE);
    ck_assert_uint_eq(ich(ICH_MISR), 1u << 1 | 1u << 3);
    set_ich(ICH_LR0, LR(81, 0x80) | LR_GROUP1 | LR_PENDING);
    ck_assert_uint_eq(ich(ICH_MISR), 1u << 1);
    set_ich(ICH_LR2, LR(82, 0x80) | LR_GROUP1 | LR_ACTIVE);
    ck_assert_uint_eq(ich(ICH_MISR), 0);
    ck_assert(!maintenance_line());
    /* VGrp enable/disable conditions */
    set_ich(ICH_HCR, HCR_EN | 0xf0u);
    ck_assert_uint_eq(ich(ICH_MISR), 1u << 5 | 1u << 6); /* Group 0 disabled, Group 1 enabled */
    set_icv(ICC_IGRPEN0, 1);
    set_icv(ICC_IGRPEN1, 0);
    ck_assert_uint_eq(ich(ICH_MISR), 1u << 4 | 1u << 7);
}
END_TEST

START_TEST(special_intid_in_lr)
{
    set_ich(ICH_HCR, HCR_EN);
    set_ich(ICH_VMCR, VMCR_VENG1 | VMCR_VPMR(0xf8));
    set_ich(ICH_LR0, LR(1023, 0x80) | LR_GROUP1 | LR_PENDING);
    ck_assert_uint_eq(icv(ICC_IAR1), 1023);
    ck_assert_uint_eq(ich(ICH_LR0) >> 62, 0);    /* pending -> invalid, nothing active */
    ck_assert_uint_eq(ich(ICH_AP1R0), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("gic_virt");
    TCase *tc = tcase_create("gicv3_virt");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, vtr_and_reset_state);
    tcase_add_test(tc, register_masks);
    tcase_add_test(tc, acknowledge_and_eoi);
    tcase_add_test(tc, priorities_mask_and_preemption);
    tcase_add_test(tc, binary_point_group_priority);
    tcase_add_test(tc, eoimode_split_and_eoicount);
    tcase_add_test(tc, hw_lr_deactivates_physical);
    tcase_add_test(tc, eoi_maintenance_and_misr);
    tcase_add_test(tc, special_intid_in_lr);
    suite_add_tcase(s, tc);
    return unit_run_suite(s, true);
}
