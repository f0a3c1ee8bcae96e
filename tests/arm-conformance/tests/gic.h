/*
 * GICv3 of QEMU's virt board (IHI 0069) for the interrupt tests: distributor
 * at 0x08000000, one 128 KiB redistributor frame per CPU from 0x080a0000,
 * one security state (GICD_CTLR.DS = 1), the ICC_* system registers.
 */
#ifndef NESTOR_CONF_GIC_H
#define NESTOR_CONF_GIC_H

#include "testlib.h"

#define GICD_BASE 0x08000000ul
#define GICR_BASE 0x080a0000ul
#define GICR_FRAME 0x20000ul
#define GICR_SGI 0x10000ul /* SGI_base within a frame */

#define GICD_CTLR 0x0000
#define GICD_IGROUPR(n) (0x0080 + 4 * (n))
#define GICD_ISENABLER(n) (0x0100 + 4 * (n))
#define GICD_ICENABLER(n) (0x0180 + 4 * (n))
#define GICD_ISPENDR(n) (0x0200 + 4 * (n))
#define GICD_ICPENDR(n) (0x0280 + 4 * (n))
#define GICD_IPRIORITYR(n) (0x0400 + (n))
#define GICD_IROUTER(n) (0x6000 + 8 * (n))
#define GICR_WAKER 0x0014
#define GICR_IGROUPR0 0x0080
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_ICPENDR0 0x0280
#define GICR_IPRIORITYR(n) (0x0400 + (n))

#define GICD_CTLR_ENABLE_G0 0x1
#define GICD_CTLR_ENABLE_G1 0x2
#define GICD_CTLR_ARE 0x10

/* INTIDs of QEMU's virt */
#define INTID_MAINTENANCE 25
#define INTID_TIMER_HYP_PHYS 26
#define INTID_TIMER_VIRT 27
#define INTID_TIMER_PHYS 30
#define INTID_UART 33
#define INTID_SPURIOUS 1023

/* ICH_HCR_EL2 and ICH_LR<n>_EL2 fields (IHI 0069, their register descriptions) */
#define ICH_HCR_EN 1ul
#define ICH_HCR_UIE 2ul
#define ICH_HCR_TC (1ul << 10)
#define ICH_HCR_TALL0 (1ul << 11)
#define ICH_HCR_TALL1 (1ul << 12)
#define ICH_HCR_TDIR (1ul << 14)
#define ICH_LR_EOI (1ul << 41)
#define ICH_LR_GROUP1 (1ul << 60)
#define ICH_LR_HW (1ul << 61)
#define ICH_LR_PENDING (1ul << 62)
#define ICH_LR_ACTIVE (1ul << 63)
/* The ICH_* registers by encoding (assemblers may not know their names). */
#define read_ich_hcr() read_sysreg(S3_4_C12_C11_0)
#define write_ich_hcr(v) write_sysreg(S3_4_C12_C11_0, v)
#define read_ich_vtr() read_sysreg(S3_4_C12_C11_1)
#define read_ich_misr() read_sysreg(S3_4_C12_C11_2)
#define read_ich_eisr() read_sysreg(S3_4_C12_C11_3)
#define read_ich_elrsr() read_sysreg(S3_4_C12_C11_5)
#define read_ich_vmcr() read_sysreg(S3_4_C12_C11_7)
#define write_ich_vmcr(v) write_sysreg(S3_4_C12_C11_7, v)
#define read_ich_lr0() read_sysreg(S3_4_C12_C12_0)
#define write_ich_lr0(v) write_sysreg(S3_4_C12_C12_0, v)
#define write_ich_lr1(v) write_sysreg(S3_4_C12_C12_1, v)
#define read_ich_lr1() read_sysreg(S3_4_C12_C12_1)
#define read_ich_ap1r0() read_sysreg(S3_4_C12_C9_0)
#define write_ich_ap1r0(v) write_sysreg(S3_4_C12_C9_0, v)

static inline volatile uint32_t *gicd32(unsigned off) { return (volatile uint32_t *)(GICD_BASE + off); }
static inline volatile uint64_t *gicd64(unsigned off) { return (volatile uint64_t *)(GICD_BASE + off); }
static inline volatile uint8_t *gicd8(unsigned off) { return (volatile uint8_t *)(GICD_BASE + off); }
static inline volatile uint32_t *gicr32(unsigned cpu, unsigned off)
{
    return (volatile uint32_t *)(GICR_BASE + cpu * GICR_FRAME + off);
}
static inline volatile uint8_t *gicr8(unsigned cpu, unsigned off)
{
    return (volatile uint8_t *)(GICR_BASE + cpu * GICR_FRAME + off);
}

static inline uint64_t icc_iar1(void) { return read_sysreg(S3_0_C12_C12_0); }
static inline void icc_eoir1(uint64_t v) { write_sysreg(S3_0_C12_C12_1, v); }
static inline uint64_t icc_hppir1(void) { return read_sysreg(S3_0_C12_C12_2); }
static inline void icc_sgi1r(uint64_t v) { write_sysreg(S3_0_C12_C11_5, v); }
static inline uint64_t icc_rpr(void) { return read_sysreg(S3_0_C12_C11_3); }

/* The distributor: affinity routing, both groups enabled. */
static inline void gic_dist_init(void)
{
    *gicd32(GICD_CTLR) = GICD_CTLR_ARE | GICD_CTLR_ENABLE_G0 | GICD_CTLR_ENABLE_G1;
}

/* One CPU's redistributor (awake, SGIs/PPIs in Group 1 at priority 0x80, SGIs
 * enabled)
 * and its CPU interface (PMR 0xf0, Group 1 enabled). Runs on that CPU. */
static inline void gic_cpu_init(unsigned cpu)
{
    *gicr32(cpu, GICR_WAKER) &= ~2u; /* ProcessorSleep */
    while (*gicr32(cpu, GICR_WAKER) & 4u) /* ChildrenAsleep */
        ;
    *gicr32(cpu, GICR_SGI + GICR_IGROUPR0) = ~0u;
    for (unsigned i = 0; i < 32; i++)
        *gicr8(cpu, GICR_SGI + GICR_IPRIORITYR(i)) = 0x80;
    *gicr32(cpu, GICR_SGI + GICR_ISENABLER0) = 0xffff; /* every SGI */
    write_sysreg(S3_0_C4_C6_0, 0xf0);  /* ICC_PMR_EL1 */
    write_sysreg(S3_0_C12_C12_3, 0);   /* ICC_BPR1_EL1 */
    write_sysreg(S3_0_C12_C12_7, 1);   /* ICC_IGRPEN1_EL1 */
    isb();
}

static inline void gic_enable_private(unsigned cpu, unsigned intid)
{
    *gicr32(cpu, GICR_SGI + GICR_ISENABLER0) = 1u << intid;
}

/* ICC_SGI1R_EL1 value for an SGI to the CPU with affinity aff1.aff0 (Aff2/3 0). */
static inline uint64_t sgi1r(unsigned intid, unsigned aff1, unsigned aff0)
{
    return (uint64_t)intid << 24 | (uint64_t)aff1 << 16 | (uint64_t)(aff0 >> 4) << 44 | 1u << (aff0 & 15);
}

/* PSTATE.I clear (IRQs can be taken) or set (masked), with the ISB that makes it take effect. */
static inline void irq_unmask(void) { asm volatile("msr daifclr, #2\n isb" ::: "memory"); }
static inline void irq_mask(void) { asm volatile("msr daifset, #2\n isb" ::: "memory"); }

#endif
