/*
 * Interrupts through the GICv3 (DDI 0487 D1.3, IHI 0069): an SGI to self,
 * masking by PSTATE.I and the ISR_EL1 view, ELR = the next instruction not
 * executed, routing with HCR_EL2.IMO (an interrupt routed to EL2 is not
 * masked at EL1; one routed to EL1 is not taken at EL2), timer interrupts
 * at the boot EL (EL1 physical timer at EL1, EL2 physical timer at EL2),
 * WFI woken by a masked interrupt, a virtual IRQ from HCR_EL2.VI, and the
 * PL011's transmit interrupt on SPI 1. Only INTIDs, vectors, ELs, counts and
 * status bits are printed: never counter values.
 */
#include "gic.h"

#define HCR_VI (1ul << 7)
#define ISR_BITS(v) ((v) & 0x1c0)
#define UARTRIS 0x3c
#define UARTMIS 0x40
#define UARTIMSC 0x38
#define UARTICR 0x44
#define UART_TX 0x20

static volatile unsigned irq_count;
static volatile uint64_t last_intid, last_vector, last_el, last_elr;
static volatile bool virtual_irq; /* the handler cannot acknowledge it: mask it on return instead */

static volatile uint32_t *uart(unsigned off) { return (volatile uint32_t *)(UART_BASE + off); }

static void quiet_source(uint64_t intid)
{
    switch (intid) {
    case INTID_TIMER_PHYS: write_sysreg(CNTP_CTL_EL0, 3); break; /* IMASK: ISTATUS stays visible */
    case INTID_TIMER_VIRT: write_sysreg(CNTV_CTL_EL0, 3); break;
    case INTID_TIMER_HYP_PHYS: write_sysreg(CNTHP_CTL_EL2, 3); break;
    case INTID_UART: *uart(UARTIMSC) = 0; *uart(UARTICR) = UART_TX; break;
    case INTID_MAINTENANCE: write_ich_hcr(read_ich_hcr() & ~ICH_HCR_UIE); break;
    }
}

static bool handler(struct exc_frame *f)
{
    if ((f->vector & 0x180) != 0x80)
        return false;
    irq_count++;
    last_vector = f->vector;
    last_el = f->el;
    last_elr = f->elr;
    if (virtual_irq) {
        last_intid = 0;
        f->spsr |= 1u << 7; /* return with PSTATE.I set */
        return true;
    }
    uint64_t id = icc_iar1();
    last_intid = id;
    if (id != INTID_SPURIOUS) {
        quiet_source(id);
        icc_eoir1(id);
    }
    return true;
}

static void report(const char *what)
{
    printf("%s: count %u intid %lu vector 0x%lx el %lu\n", what, irq_count, last_intid, last_vector, last_el);
}

/* Unmasks with a pending interrupt: it is taken right after the MSR, so ELR
 * is the address of the instruction following it. */
static void unmask_check_elr(const char *what)
{
    uint64_t next;
    asm volatile("msr daifclr, #2\n"
                 "1: adr %0, 1b\n"
                 "msr daifset, #2"
                 : "=r"(next)::"memory");
    printf("%s: ELR is the next instruction: %s\n", what, last_elr == next ? "yes" : "no");
    CHECK_EQ("ELR after MSR DAIFClr", last_elr, next);
}

static void sgi_self(unsigned intid)
{
    icc_sgi1r(sgi1r(intid, 0, 0));
    isb();
}

static void test_sgi_masked(void)
{
    unsigned before = irq_count;
    irq_mask();
    sgi_self(1);
    printf("SGI 1 pending, I masked: ISR 0x%lx HPPIR1 %lu taken %u\n", ISR_BITS(read_sysreg(ISR_EL1)),
           icc_hppir1(), irq_count - before);
    CHECK_EQ("SGI masked", irq_count, before);
    unmask_check_elr("SGI 1");
    report("SGI 1 taken");
    CHECK_EQ("SGI 1 intid", last_intid, 1);
    printf("after EOI: ISR 0x%lx HPPIR1 %lu RPR 0x%lx\n", ISR_BITS(read_sysreg(ISR_EL1)), icc_hppir1(), icc_rpr());
}

/* ---- EL2 boot: routing ---- */

static uint64_t el1_unmask_and_count(uint64_t unused)
{
    (void)unused;
    uint64_t isr = read_sysreg(ISR_EL1);
    irq_unmask();
    asm volatile("nop\n nop");
    irq_mask();
    return ISR_BITS(isr) << 32 | irq_count;
}

static uint64_t el1_masked_count(uint64_t unused)
{
    (void)unused;
    asm volatile("nop\n nop");
    return irq_count;
}

static void test_routing(void)
{
    write_sysreg(HCR_EL2, read_sysreg(HCR_EL2) & ~(HCR_IMO | HCR_FMO));
    isb();
    sgi_self(2);
    irq_unmask();
    asm volatile("nop\n nop");
    irq_mask();
    printf("IMO 0: SGI 2 at EL2 with I clear: count %u (routed to EL1, not taken at EL2), ISR 0x%lx\n", irq_count,
           ISR_BITS(read_sysreg(ISR_EL1)));
    CHECK_EQ("IMO 0 at EL2", irq_count, 0);
    uint64_t r = run_at_el1(el1_unmask_and_count, 0);
    printf("IMO 0: at EL1: ISR 0x%lx, count %lu\n", r >> 32, r & 0xffffffff);
    report("IMO 0: SGI 2 taken at EL1");
    CHECK_EQ("SGI 2 to EL1", last_el, 1);

    write_sysreg(HCR_EL2, read_sysreg(HCR_EL2) | HCR_IMO | HCR_FMO);
    isb();
    sgi_self(3);
    r = run_at_el1(el1_masked_count, 0);
    report("IMO 1: SGI 3 while EL1 has I masked");
    CHECK_EQ("SGI 3 to EL2 from EL1", last_vector, 0x480);
}

static uint64_t el1_virtual(uint64_t unused)
{
    (void)unused;
    uint64_t isr = read_sysreg(ISR_EL1);
    irq_unmask();
    asm volatile("nop\n nop");
    return ISR_BITS(isr) << 32 | irq_count;
}

static void test_virtual(void)
{
    unsigned before = irq_count;
    write_sysreg(HCR_EL2, read_sysreg(HCR_EL2) | HCR_VI);
    isb();
    irq_unmask();
    asm volatile("nop\n nop");
    irq_mask();
    printf("HCR_EL2.VI at EL2: taken %u (virtual interrupts go to EL1 only)\n", irq_count - before);
    virtual_irq = true;
    uint64_t r = run_at_el1(el1_virtual, 0);
    virtual_irq = false;
    write_sysreg(HCR_EL2, read_sysreg(HCR_EL2) & ~HCR_VI);
    isb();
    printf("HCR_EL2.VI: ISR_EL1 at EL1 0x%lx, taken %lu\n", r >> 32, (r & 0xffffffff) - before);
    report("virtual IRQ");
    CHECK_EQ("virtual IRQ vector", last_vector, 0x280);
    printf("after VI cleared: ISR 0x%lx\n", ISR_BITS(read_sysreg(ISR_EL1)));
}

/* ---- the GIC virtual interface (ICH_*, ICV_*) ---- */

static uint64_t el1_icv(uint64_t unused)
{
    (void)unused;
    uint64_t hppir = icc_hppir1(), isr = ISR_BITS(read_sysreg(ISR_EL1));
    irq_unmask();
    asm volatile("nop\n nop");
    irq_mask();
    return hppir << 32 | isr;
}

static void test_virtual_interface(void)
{
    uint64_t vtr = read_ich_vtr();
    printf("ICH_VTR_EL2: ListRegs %lu PRIbits %lu PREbits %lu IDbits %lu\n", (vtr & 0x1f) + 1,
           (vtr >> 29 & 7) + 1, (vtr >> 26 & 7) + 1, vtr >> 23 & 7);
    write_ich_vmcr(0xf0ul << 24 | 2); /* ICH_VMCR_EL2: VPMR 0xf0, VENG1 */
    write_ich_hcr(ICH_HCR_EN);
    write_ich_lr0(ICH_LR_PENDING | ICH_LR_GROUP1 | 0x80ul << 48 | 40);
    isb();
    printf("LR0 pending: ELRSR 0x%lx EISR 0x%lx MISR 0x%lx\n", read_ich_elrsr(),
           read_ich_eisr(), read_ich_misr());
    unsigned before = irq_count;
    uint64_t r = run_at_el1(el1_icv, 0);
    printf("at EL1: ICV_HPPIR1 %lu ISR 0x%lx; taken %u\n", r >> 32, r & 0xffffffff, irq_count - before);
    report("virtual interrupt from LR0");
    CHECK_EQ("ICV_IAR1", last_intid, 40);
    uint64_t lr = read_ich_lr0();
    printf("LR0 after EOI: state %lu, ELRSR 0x%lx, AP1R0 0x%lx\n", lr >> 62, read_ich_elrsr(),
           read_ich_ap1r0());
    /* underflow maintenance interrupt: at most one valid list register */
    gic_enable_private(0, INTID_MAINTENANCE);
    before = irq_count;
    write_ich_hcr(ICH_HCR_EN | ICH_HCR_UIE);
    isb();
    printf("UIE: MISR 0x%lx\n", read_ich_misr());
    irq_unmask();
    irq_mask();
    printf("maintenance interrupt taken %u\n", irq_count - before);
    report("maintenance");
    CHECK_EQ("maintenance intid", last_intid, INTID_MAINTENANCE);
    write_ich_hcr(0);
    isb();
}

/* ---- timers ---- */

static void wait_for_irq(unsigned count)
{
    irq_unmask();
    while (irq_count == count)
        asm volatile("wfi");
    irq_mask();
}

static void test_timer(bool el2)
{
    unsigned intid = el2 ? INTID_TIMER_HYP_PHYS : INTID_TIMER_PHYS;
    gic_enable_private(0, intid);
    unsigned count = irq_count;
    if (el2) {
        write_sysreg(CNTHP_TVAL_EL2, 2000);
        write_sysreg(CNTHP_CTL_EL2, 1);
    } else {
        write_sysreg(CNTP_TVAL_EL0, 2000);
        write_sysreg(CNTP_CTL_EL0, 1);
    }
    isb();
    wait_for_irq(count);
    report(el2 ? "EL2 physical timer" : "EL1 physical timer");
    CHECK_EQ("timer intid", last_intid, intid);
    uint64_t ctl = el2 ? read_sysreg(CNTHP_CTL_EL2) : read_sysreg(CNTP_CTL_EL0);
    uint64_t tval = el2 ? read_sysreg(CNTHP_TVAL_EL2) : read_sysreg(CNTP_TVAL_EL0);
    printf("  CTL after (handler set IMASK) 0x%lx, TVAL negative: %s\n", ctl, (int32_t)tval < 0 ? "yes" : "no");
    if (el2)
        write_sysreg(CNTHP_CTL_EL2, 0);
    else
        write_sysreg(CNTP_CTL_EL0, 0);
}

/* WFI completes on a pending interrupt even while PSTATE.I masks it. */
static void test_wfi_masked(void)
{
    gic_enable_private(0, INTID_TIMER_VIRT);
    unsigned count = irq_count;
    irq_mask();
    write_sysreg(CNTV_TVAL_EL0, 1000);
    write_sysreg(CNTV_CTL_EL0, 1);
    isb();
    while (!(read_sysreg(ISR_EL1) & 0x80))
        asm volatile("wfi");
    printf("WFI with I masked woke up: ISR 0x%lx, taken %u\n", ISR_BITS(read_sysreg(ISR_EL1)), irq_count - count);
    irq_unmask();
    irq_mask();
    report("virtual timer after unmask");
    CHECK_EQ("virtual timer intid", last_intid, INTID_TIMER_VIRT);
    write_sysreg(CNTV_CTL_EL0, 0);
}

/* ---- an SPI: the UART's transmit interrupt ---- */

static void test_uart_spi(void)
{
    unsigned n = INTID_UART / 32, bit = 1u << (INTID_UART % 32);
    *gicd32(GICD_IGROUPR(n)) |= bit;
    *gicd8(GICD_IPRIORITYR(INTID_UART)) = 0x80;
    *gicd64(GICD_IROUTER(INTID_UART)) = 0; /* CPU 0.0.0.0 */
    *gicd32(GICD_ISENABLER(n)) = bit;
    irq_mask();
    printf("UART TX raw status 0x%x\n", *uart(UARTRIS) & UART_TX);
    *uart(UARTIMSC) = UART_TX;
    isb();
    uint32_t mis = *uart(UARTMIS) & UART_TX;
    uint64_t hppir = icc_hppir1(), isr = ISR_BITS(read_sysreg(ISR_EL1));
    printf("UART TX unmasked: MIS 0x%x HPPIR1 %lu ISR 0x%lx\n", mis, hppir, isr);
    unsigned count = irq_count;
    irq_unmask();
    irq_mask();
    printf("UART interrupt taken %u\n", irq_count - count);
    report("UART");
    CHECK_EQ("UART intid", last_intid, INTID_UART);
    printf("UART after ICR: MIS 0x%x\n", *uart(UARTMIS) & UART_TX);
}

int main(void)
{
    bool el2 = current_el() == 2;
    printf("irq test at EL%u, ID_AA64PFR0_EL1.GIC %lu\n", current_el(), read_sysreg(ID_AA64PFR0_EL1) >> 24 & 0xf);
    set_exception_handler(handler);
    gic_dist_init();
    gic_cpu_init(0);
    if (el2)
        test_routing(); /* leaves HCR_EL2.IMO set: the rest is taken at EL2 */
    test_sgi_masked();
    if (el2) {
        test_virtual();
        test_virtual_interface();
    }
    test_timer(el2);
    test_wfi_masked();
    test_uart_spi();
    printf("interrupts taken: %u\n", irq_count);
    return 0;
}
