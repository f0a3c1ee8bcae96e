/*
 * Exceptions and privilege: SVC/HVC/SMC/BRK/UDF and unallocated encodings,
 * data aborts (unmapped address, beyond the PA size, alignment), PC
 * alignment faults, a misaligned SP_EL0 without SCTLR.SA, illegal exception
 * return, EL0 traps, PSTATE access (CurrentEL, SPSel, DAIF), ID registers
 * and EL2 controls (VPIDR, HCR_EL2.TSC).  Run at every EL the boot allows: EL2 (if entered there),
 * EL1 and EL0.
 *
 * Each probe prints the syndrome of the exception it caused: target EL,
 * vector offset, ESR, ELR relative to the faulting instruction, FAR where
 * the architecture defines it, and SPSR.
 */
#include "testlib.h"

uint64_t sp_align_probe_elx(void);
uint64_t sp_align_probe_el0(void);
uint64_t illegal_return_el1(void);
uint64_t illegal_return_el2(void);
uint64_t pc_align_blr(void);
uint64_t pc_align_br(void);

/*
 * Resume after the exception the way each class needs: SVC/HVC already
 * return past the instruction, PC alignment resumes at X30 (the probes
 * branch with a link), an illegal-state exception just clears PSTATE.IL,
 * and everything else (including a trapped SMC, whose ELR is the SMC
 * itself) skips the faulting instruction.
 */
static bool resume_handler(struct exc_frame *f)
{
    switch (ESR_EC(f->esr)) {
    case EC_SVC64:
    case EC_HVC64:
        break;
    case EC_PC_ALIGN:
        f->elr = f->x[30];
        break;
    case EC_ILLEGAL:
        f->spsr &= ~(uint64_t)PSR_IL;
        break;
    default:
        f->elr += 4;
    }
    return true;
}

/* Runs `insn` (with optional input operands) at a known address; evaluates to it. */
#define TRY(insn, ...)                                                            \
    ({                                                                            \
        uint64_t at_;                                                             \
        clear_last_exc();                                                         \
        asm volatile("adr %[at], 1f\n1:\t" insn : [at] "=&r"(at_) : __VA_ARGS__   \
                     : "memory", "cc");                                           \
        at_;                                                                      \
    })
/* Same with x0 = var before and var = x0 after (for HVC/SMC). */
#define TRY_X0(insn, var)                                                         \
    ({                                                                            \
        uint64_t at_;                                                             \
        clear_last_exc();                                                         \
        asm volatile("mov x0, %[v]\n\tadr %[at], 1f\n1:\t" insn "\n\tmov %[v], x0"  \
                     : [at] "=&r"(at_), [v] "+r"(var) : : "x0", "memory", "cc");   \
        at_;                                                                      \
    })
/* Same for an instruction writing %[v] when it does not fault. */
#define TRY_RW(insn, var)                                                         \
    ({                                                                            \
        uint64_t at_;                                                             \
        clear_last_exc();                                                         \
        asm volatile("adr %[at], 1f\n1:\t" insn : [at] "=&r"(at_), [v] "+r"(var)  \
                     : : "memory", "cc");                                         \
        at_;                                                                      \
    })

static bool far_is_valid(uint64_t esr)
{
    unsigned ec = ESR_EC(esr);
    return ec == EC_IABT_LOWER || ec == EC_IABT_CUR || ec == EC_PC_ALIGN ||
           ec == EC_DABT_LOWER || ec == EC_DABT_CUR;
}

/* The ESR as printed, with two fields where QEMU 7.2 departs from the Arm ARM
 * cleared, so that QEMU and Nestor outputs compare:
 *  - data aborts taken to EL2: QEMU sets ISV (and SAS/SSE/SRT/SF/AR) for any
 *    of them, but DDI 0487 (ISS encoding for an exception from a Data Abort,
 *    ISV) says that for faults reported in ESR_EL2 ISV is 0 except for stage 2
 *    aborts; none here is a stage 2 abort;
 *  - trapped MSR (immediate) (EC 0x18, Op0 0, CRn 4): QEMU swaps the Op1 and
 *    Op2 fields of the syndrome.
 * The self-checks below only test the fields both agree on. */
static uint64_t comparable_esr(uint64_t esr, uint64_t el)
{
    unsigned ec = ESR_EC(esr);
    if ((ec == EC_DABT_LOWER || ec == EC_DABT_CUR) && el == 2)
        return esr & ~0x1ffc000ul;
    if (ec == 0x18 && ((esr >> 20) & 3) == 0 && ((esr >> 10) & 0xf) == 4)
        return esr & ~0xfc000ul;
    return esr;
}

/* far_base: printed FAR is relative to it (0: absolute). */
static void report_far(const char *name, uint64_t at, uint64_t far_base)
{
    const volatile struct exc_record *e = &rt_last_exc;

    if (e->count == 0) {
        printf("  %-26s no exception\n", name);
        return;
    }
    printf("  %-26s EL%lu vec %03lx esr %08lx (ec %02lx) elr %+ld", name, e->el, e->vector,
           comparable_esr(e->esr, e->el), ESR_EC(e->esr), (int64_t)(e->elr - at));
    if (far_is_valid(e->esr))
        printf(" far %lx", e->far - far_base);
    printf(" spsr %08lx", e->spsr);
    if (e->count != 1)
        printf(" count %lu", e->count);
    printf("\n");
}

static void report(const char *name, uint64_t at) { report_far(name, at, 0); }

static void expect_ec(const char *name, unsigned ec)
{
    if (rt_last_exc.count != 1 || ESR_EC(rt_last_exc.esr) != ec) {
        printf("FAIL %s: expected one exception with EC %02x\n", name, ec);
        rt_failures++;
    }
}

static void expect_none(const char *name)
{
    if (rt_last_exc.count != 0) {
        printf("FAIL %s: unexpected exception, ESR %lx\n", name, rt_last_exc.esr);
        rt_failures++;
    }
}

/* ---- probes valid at every EL ---- */
static void probe_exception_generating(unsigned el)
{
    uint64_t x0, at;

    at = TRY("svc #0x1234");
    report("svc #0x1234", at);
    expect_ec("svc", EC_SVC64);
    CHECK_EQ("svc iss", ESR_ISS(rt_last_exc.esr), 0x1234);
    CHECK_EQ("svc elr", rt_last_exc.elr, at + 4);

    /*
     * HVC and SMC.  QEMU's virt board implements PSCI as firmware behind
     * one conduit (SMC when booted at EL2, HVC when booted at EL1); every
     * call through the conduit from EL1/EL2 is a firmware call, whatever the
     * immediate: an unknown function ID (here 0) returns NOT_SUPPORTED (-1)
     * in x0 and no exception is taken.  Otherwise HVC goes to EL2 if it
     * exists, and the rest is UNDEFINED (always at EL0).
     */
    x0 = 0;
    at = TRY_X0("hvc #0x4321", x0);
    report("hvc #0x4321 (x0 = 0)", at);
    printf("  %-26s x0 = %lx\n", "", x0);
    if (el == 0)
        expect_ec("hvc at EL0", EC_UNKNOWN);
    else if (rt_start_el == 2)
        expect_ec("hvc", EC_HVC64);
    else
        CHECK_EQ("hvc as PSCI call", x0, ~0ul);

    x0 = 0;
    at = TRY_X0("smc #0x99", x0);
    report("smc #0x99 (x0 = 0)", at);
    printf("  %-26s x0 = %lx\n", "", x0);
    if (el == 0 || rt_start_el == 1)
        expect_ec("smc", EC_UNKNOWN);
    else
        CHECK_EQ("smc as PSCI call", x0, ~0ul);

    at = TRY("brk #0x77");
    report("brk #0x77", at);
    expect_ec("brk", EC_BRK64);
    CHECK_EQ("brk iss", ESR_ISS(rt_last_exc.esr), 0x77);
    CHECK_EQ("brk elr", rt_last_exc.elr, at);

    at = TRY("udf #0x55");
    report("udf #0x55", at);
    expect_ec("udf", EC_UNKNOWN);
    CHECK_EQ("udf esr", rt_last_exc.esr, ESR_IL);
    CHECK_EQ("udf elr", rt_last_exc.elr, at);
}

/* Encodings every v8.0 CPU must treat as UNDEFINED. */
#define PROBE_UNDEF(name, word)                          \
    do {                                                 \
        uint64_t at_ = TRY(".inst " word);               \
        report(name, at_);                               \
        expect_ec(name, EC_UNKNOWN);                     \
    } while (0)

static void probe_unallocated(void)
{
    uint64_t x30;

    PROBE_UNDEF(".inst 0 (udf #0)", "0x00000000");
    PROBE_UNDEF("dp 2-source opcode 1", "0x9ac20420");
    PROBE_UNDEF("brk with LL=01", "0xd4200001");
    PROBE_UNDEF("dcps with LL=00", "0xd4a00000");
    PROBE_UNDEF("32-bit logical imm N=1", "0x12400000");
    PROBE_UNDEF("ldp opc=11", "0xe9400000");

    /* Hints without an allocated meaning, or for absent features (PAuth on
     * cortex-a72: hint #27 = PACIBSP, hint #7 = XPACLRI), are NOPs. */
    clear_last_exc();
    asm volatile("mov x9, x30\n\t"
                 "mov x30, #0x1234\n\t"
                 "hint #0x7f\n\t"
                 "hint #27\n\t"
                 "hint #7\n\t"
                 "mov %0, x30\n\t"
                 "mov x30, x9"
                 : "=r"(x30) : : "x9", "x30");
    expect_none("hints");
    CHECK_EQ("hints leave x30 alone", x30, 0x1234);
}

/* ---- data aborts ---- */
#define UNMAPPED_PA 0x100000000ul    /* 4 GiB: inside the PA range, nothing there */
#define BEYOND_PA   (1ul << 44)      /* cortex-a72 has 44 physical address bits */

static uint64_t scratch[4] __attribute__((aligned(16)));

static unsigned dabt_ec(void) { return rt_current_el() == 0 ? EC_DABT_LOWER : EC_DABT_CUR; }

static void probe_data_aborts(void)
{
    uint64_t v = 0, at;
    uint64_t base = (uint64_t)scratch;

    /* Loads target XZR or a TRY_RW output, so a missing fault corrupts nothing. */
    at = TRY("ldr xzr, [%[y]]", [y] "r"(UNMAPPED_PA));
    report("ldr from unmapped PA", at);
    expect_ec("ldr unmapped", dabt_ec());
    at = TRY("strb wzr, [%[y], #3]", [y] "r"(UNMAPPED_PA));
    report("strb to unmapped PA", at);
    v = UNMAPPED_PA + 16;
    at = TRY_RW("ldp %[v], xzr, [%[v]]", v);
    report("ldp from unmapped PA", at);
    at = TRY("ldr wzr, [%[y]]", [y] "r"(BEYOND_PA));
    report("ldr beyond PA size", at);

    /* Exclusives and acquire/release must be aligned even with SCTLR.A = 0. */
    at = TRY("ldxr xzr, [%[y]]", [y] "r"(base + 4));
    report_far("ldxr misaligned", at, base);
    expect_ec("ldxr misaligned", dabt_ec());
    at = TRY("ldar wzr, [%[y]]", [y] "r"(base + 2));
    report_far("ldar misaligned", at, base);
    at = TRY("stlr xzr, [%[y]]", [y] "r"(base + 12));
    report_far("stlr misaligned", at, base);
}

/* With SCTLR_ELx.A = 1 (set by the caller) every misaligned access faults. */
static void probe_alignment_check(void)
{
    uint64_t v = 0, at;
    uint64_t base = (uint64_t)scratch;

    at = TRY("ldr wzr, [%[y]]", [y] "r"(base + 2));
    report_far("ldr w misaligned, A=1", at, base);
    expect_ec("alignment", dabt_ec());
    CHECK_EQ("alignment DFSC", rt_last_exc.esr & 0x3f, 0x21);
    at = TRY("strh wzr, [%[y], #1]", [y] "r"(base));
    report_far("strh misaligned, A=1", at, base);
    v = base + 4;
    at = TRY_RW("ldp %[v], xzr, [%[v]]", v);
    report_far("ldp misaligned, A=1", at, base);
    v = base;
    at = TRY_RW("ldr %[v], [%[v]]", v);
    expect_none("aligned load with A=1");
}

static void probe_pc_alignment(void)
{
    uint64_t target;

    clear_last_exc();
    target = pc_align_blr();
    report_far("blr to target+2", target, target);
    expect_ec("pc alignment", EC_PC_ALIGN);
    CHECK_EQ("pc alignment far", rt_last_exc.far, target + 2);
    clear_last_exc();
    target = pc_align_br();
    report_far("br to target+2", target, target);
}

/* ---- EL1/EL2: PSTATE access, SP alignment, illegal return ---- */
static void probe_pstate(void)
{
    uint64_t el, spsel, daif, daif_clear, daif_set, sp_x, sp_0, spsel0;

    asm volatile("mrs %0, CurrentEL\n\tmrs %1, SPSel\n\tmrs %2, DAIF"
                 : "=r"(el), "=r"(spsel), "=r"(daif));
    /* The unmasked window is two instructions long; nothing is pending anyway. */
    asm volatile("msr daifclr, #0xf\n\tmrs %0, daif\n\tmsr daifset, #0x5\n\tmrs %1, daif\n\t"
                 "msr daifset, #0xf"
                 : "=&r"(daif_clear), "=&r"(daif_set));
    asm volatile("mov %0, sp\n\tmsr spsel, #0\n\tmrs %2, SPSel\n\tmov %1, sp\n\tmsr spsel, #1"
                 : "=&r"(sp_x), "=&r"(sp_0), "=&r"(spsel0));
    printf("  CurrentEL %lx SPSel %lx DAIF %lx; daifclr #0xf -> %lx, daifset #5 -> %lx;"
           " spsel #0 -> %lx, SP changes %d\n",
           el, spsel, daif, daif_clear, daif_set, spsel0, sp_x != sp_0);
    CHECK_EQ("CurrentEL", el, rt_current_el() << 2);
    CHECK_EQ("SPSel", spsel, 1);
    CHECK_EQ("DAIF", daif, 0x3c0);
    CHECK_EQ("daifclr", daif_clear, 0);
    CHECK_EQ("daifset #5", daif_set, 0x140);
    CHECK_EQ("spsel #0", spsel0, 0);
}

static void set_sctlr(unsigned el, uint64_t set, uint64_t clear)
{
    if (el == 2)
        write_sysreg(sctlr_el2, (read_sysreg(sctlr_el2) | set) & ~clear);
    else
        write_sysreg(sctlr_el1, (read_sysreg(sctlr_el1) | set) & ~clear);
    isb();
}

static void probe_privileged(unsigned el)
{
    uint64_t at;

    probe_pstate();

    /*
     * SP_EL0 8 bytes off 16-byte alignment with SCTLR.SA = 0: no fault.
     * (QEMU 7.2 does not implement the SA/SA0 stack alignment check at all,
     * so setting SA is not probed: the reference would be wrong.)
     */
    clear_last_exc();
    at = sp_align_probe_elx();
    report("sp misaligned, SA=0", at);
    expect_none("sp misaligned, SA=0");

    set_sctlr(el, SCTLR_A, 0);
    probe_alignment_check();
    set_sctlr(el, 0, SCTLR_A);

    clear_last_exc();
    at = el == 2 ? illegal_return_el2() : illegal_return_el1();
    report("illegal eret to higher EL", at);
    expect_ec("illegal return", EC_ILLEGAL);
    CHECK_EQ("illegal return keeps EL", (rt_last_exc.spsr >> 2) & 3, el);
    CHECK_EQ("illegal return sets SPSR.IL", rt_last_exc.spsr & PSR_IL, PSR_IL);

    printf("  MIDR_EL1 %08lx MPIDR_EL1 %08lx\n", read_sysreg(midr_el1), read_sysreg(mpidr_el1));
}

/* ---- EL1 only: EL2/EL3 registers do not exist for EL1 ---- */
static void probe_el1_only(void)
{
    uint64_t v = 0, at;

    at = TRY_RW("mrs %[v], hcr_el2", v);
    report("mrs hcr_el2 at EL1", at);
    expect_ec("mrs hcr_el2", EC_UNKNOWN);
    at = TRY_RW("msr vbar_el2, %[v]", v);
    report("msr vbar_el2 at EL1", at);
    at = TRY_RW("mrs %[v], scr_el3", v);
    report("mrs scr_el3 at EL1", at);
}

/* ---- the generic timer counts (values differ run to run: never printed) ---- */
static void probe_timer(void)
{
    uint64_t t0 = read_sysreg(cntvct_el0), t1 = t0;

    for (unsigned i = 0; i < 1000000 && t1 == t0; i++)
        t1 = read_sysreg(cntvct_el0);
    printf("  cntvct_el0 increases: %d\n", t1 > t0);
    CHECK_EQ("cntvct increases", t1 > t0, 1);
}

/* ---- EL0 ---- */
static uint64_t el0_probes(uint64_t relaxed)
{
    uint64_t v = 0, at;

    printf("== EL0 (%s) ==\n", relaxed ? "SCTLR_EL1.UMA/UCT/A and CNTKCTL_EL1.EL0VCTEN set"
                                       : "traps enabled");
    if (!relaxed) {
        probe_exception_generating(0);
        probe_unallocated();
        probe_data_aborts();
        probe_pc_alignment();
        at = TRY_RW("mrs %[v], CurrentEL", v);
        report("mrs CurrentEL", at);
        expect_ec("mrs CurrentEL at EL0", EC_UNKNOWN);
        at = TRY_RW("mrs %[v], SPSel", v);
        report("mrs SPSel", at);
        at = TRY("msr spsel, #0");
        report("msr spsel, #0", at);
        at = TRY_RW("mrs %[v], midr_el1", v);
        report("mrs midr_el1", at);
        at = TRY_RW("msr sctlr_el1, %[v]", v);
        report("msr sctlr_el1", at);
        at = TRY("eret");
        report("eret", at);
        at = TRY("wfi");
        report("wfi (nTWI = 0: trapped)", at);
        expect_ec("wfi trap", 0x01);
        v = (uint64_t)scratch;
        at = TRY_RW("dc zva, %[v]", v);
        report("dc zva (DZE = 0)", at);
        expect_ec("dc zva trap", EC_SYSREG);
    }
    /* Controlled by SCTLR_EL1.UMA / UCT and CNTKCTL_EL1.EL0VCTEN. */
    at = TRY_RW("mrs %[v], DAIF", v);
    report("mrs DAIF", at);
    at = TRY("msr daifclr, #2");
    report("msr daifclr, #2", at);
    at = TRY("msr daifset, #2"); /* leave IRQs masked again */
    report("msr daifset, #2", at);
    v = 0;
    at = TRY_RW("mrs %[v], ctr_el0", v);
    report("mrs ctr_el0", at);
    if (!rt_last_exc.count)
        printf("  ctr_el0 %lx\n", v);
    at = TRY_RW("mrs %[v], cntvct_el0", v);
    report("mrs cntvct_el0", at);
    if (relaxed) {
        probe_timer();
        probe_alignment_check();
    } else {
        clear_last_exc();
        at = sp_align_probe_el0();
        report("sp misaligned, SA0=0", at);
        expect_none("sp misaligned, SA0=0");
    }
    return 0;
}

/* ---- EL1 (entered from EL2 or directly) ---- */
static uint64_t el1_probes(uint64_t unused)
{
    (void)unused;
    printf("== EL1 ==\n");
    probe_exception_generating(1);
    probe_unallocated();
    probe_data_aborts();
    probe_pc_alignment();
    probe_privileged(1);
    probe_el1_only();
    probe_timer();

    run_at_el0(el0_probes, 0);
    set_sctlr(1, SCTLR_UMA | SCTLR_UCT | SCTLR_A, 0);
    write_sysreg(cntkctl_el1, read_sysreg(cntkctl_el1) | 2); /* EL0VCTEN */
    isb();
    run_at_el0(el0_probes, 1);
    set_sctlr(1, 0, SCTLR_UMA | SCTLR_UCT | SCTLR_A);
    write_sysreg(cntkctl_el1, read_sysreg(cntkctl_el1) & ~2ul);
    isb();
    return 0;
}

static uint64_t read_ids_el1(uint64_t unused)
{
    (void)unused;
    printf("  at EL1: MIDR_EL1 %08lx MPIDR_EL1 %08lx\n", read_sysreg(midr_el1),
           read_sysreg(mpidr_el1));
    return read_sysreg(midr_el1);
}

static uint64_t smc_at_el1(uint64_t unused)
{
    uint64_t x0 = 0;
    uint64_t at = TRY_X0("smc #0x5a", x0);

    (void)unused;
    report("smc #0x5a at EL1, TSC=1", at);
    expect_ec("smc trapped by TSC", EC_SMC64);
    CHECK_EQ("trapped smc elr", rt_last_exc.elr, at);
    CHECK_EQ("trapped smc iss", ESR_ISS(rt_last_exc.esr), 0x5a);
    CHECK_EQ("trapped smc taken to EL2", rt_last_exc.el, 2);
    return 0;
}

/* ---- EL2 ---- */
static void el2_probes(void)
{
    uint64_t v = 0, at, midr = read_sysreg(midr_el1), vpidr = read_sysreg(vpidr_el2);

    printf("== EL2 ==\n");
    probe_exception_generating(2);
    probe_unallocated();
    probe_data_aborts();
    probe_pc_alignment();
    probe_privileged(2);
    at = TRY_RW("mrs %[v], scr_el3", v);
    report("mrs scr_el3 at EL2", at);
    expect_ec("mrs scr_el3", EC_UNKNOWN);
    probe_timer();

    run_at_el1(el1_probes, 0);

    printf("== EL2 controls ==\n");
    /* EL1 reads of MIDR/MPIDR return VPIDR_EL2/VMPIDR_EL2. */
    write_sysreg(vpidr_el2, 0x41ff0ff0);
    isb();
    CHECK_EQ("MIDR_EL1 at EL1 = VPIDR_EL2", run_at_el1(read_ids_el1, 0), 0x41ff0ff0);
    CHECK_EQ("MIDR_EL1 at EL2 = real", read_sysreg(midr_el1), midr);
    write_sysreg(vpidr_el2, vpidr);
    isb();

    write_sysreg(hcr_el2, read_sysreg(hcr_el2) | HCR_TSC);
    isb();
    run_at_el1(smc_at_el1, 0);
    write_sysreg(hcr_el2, read_sysreg(hcr_el2) & ~(uint64_t)HCR_TSC);
    isb();
}

int main(void)
{
    set_exception_handler(resume_handler);
    if (rt_start_el == 2)
        el2_probes();
    else
        el1_probes(0);
    set_exception_handler(NULL);
    return 0;
}
