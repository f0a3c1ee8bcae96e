/*
 * Tagged branch targets (DDI 0487 D8.8 "Address tagging", pseudocode
 * AArch64.BranchAddr and EffectiveTBI), MMU off, at the entry EL and EL0:
 * BLR and ERET to an address with a non-zero top byte. When TCR_ELx.TBI
 * applies to instruction addresses the PC loses the tag (ADR at the target
 * shows it); with TBI clear, or TBID set (FEAT_PAuth: TBI for data only),
 * the PC keeps it and the fetch takes an Address size fault (IFSC 0) with
 * the tagged address in ELR and FAR. Run with -cpu max (TBID needs PAuth).
 */
#include "testlib.h"

#define TAG (0x5aul << 56)
#define TCR_EL1_TBI0 (1ul << 37)
#define TCR_EL1_TBID0 (1ul << 51)
#define TCR_EL2_TBI (1ul << 20)
#define TCR_EL2_TBID (1ul << 29)
#define FAULTED 0xdeadul
#define SVC_TO_X0 0x77 /* SVC immediate: the handler returns to x0 */

/* Returns its own address as ADR sees it (the PC, untagged or not). */
uint64_t where_am_i(void);
asm(".pushsection .text.where_am_i, \"ax\"\n"
    ".balign 16\n"
    ".global where_am_i\n"
    "where_am_i:\n"
    "    adr x0, .\n"
    "    ret\n"
    ".popsection\n");

static volatile unsigned n_abort;
static volatile uint64_t abort_esr, abort_elr, abort_far;

static bool handler(struct exc_frame *f)
{
    unsigned ec = ESR_EC(f->esr);
    if (ec == 0x15 && ESR_ISS(f->esr) == SVC_TO_X0) { /* ERET to x0 */
        f->elr = f->x[0];
        return true;
    }
    if (ec != 0x20 && ec != 0x21)
        return false;
    n_abort++;
    abort_esr = f->esr;
    abort_elr = f->elr;
    abort_far = f->far;
    f->x[0] = FAULTED; /* back to the caller of the target */
    f->elr = f->x[30];
    return true;
}

static uint64_t blr_to(uint64_t target)
{
    register uint64_t x0 asm("x0") = target;
    asm volatile("blr x0" : "+r"(x0) : : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
                 "x13", "x14", "x15", "x16", "x17", "x30", "memory");
    return x0;
}

/* SVC whose handler ERETs to target, with x30 pointing after the SVC. */
static uint64_t eret_to(uint64_t target)
{
    register uint64_t x0 asm("x0") = target;
    asm volatile("adr x30, 1f\n\tsvc %[imm]\n1:"
                 : "+r"(x0)
                 : [imm] "i"(SVC_TO_X0)
                 : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15",
                   "x16", "x17", "x30", "memory");
    return x0;
}

static uint64_t el0_blr(uint64_t target) { return blr_to(target); }
static uint64_t el0_eret(uint64_t target) { return eret_to(target); }

static void set_tcr(bool tbi, bool tbid)
{
    if (current_el() == 2)
        write_sysreg(tcr_el2, (read_sysreg(tcr_el2) & ~(TCR_EL2_TBI | TCR_EL2_TBID)) | (tbi ? TCR_EL2_TBI : 0) |
                                  (tbid ? TCR_EL2_TBID : 0));
    else
        write_sysreg(tcr_el1, (read_sysreg(tcr_el1) & ~(TCR_EL1_TBI0 | TCR_EL1_TBID0)) | (tbi ? TCR_EL1_TBI0 : 0) |
                                  (tbid ? TCR_EL1_TBID0 : 0));
    asm volatile("isb" ::: "memory");
}

static void check(const char *what, uint64_t got, bool tag_dropped, unsigned want_ec)
{
    uint64_t fn = (uint64_t)where_am_i;
    printf("%-34s ", what);
    if (tag_dropped) {
        printf("PC %s, aborts %u\n", got == fn ? "untagged" : got == (fn | TAG) ? "TAGGED" : "other", n_abort);
        CHECK_EQ(what, got, fn);
        CHECK_EQ("no abort", n_abort, 0);
    } else {
        printf("result %s, aborts %u: EC %02lx IFSC %02lx ELR %s FAR %s\n", got == FAULTED ? "faulted" : "ran",
               n_abort, ESR_EC(abort_esr), abort_esr & 0x3f, abort_elr == (fn | TAG) ? "tagged" : "other",
               abort_far == (fn | TAG) ? "tagged" : "other");
        CHECK_EQ(what, got, FAULTED);
        CHECK_EQ("one abort", n_abort, 1);
        CHECK_EQ("EC", ESR_EC(abort_esr), want_ec);
        CHECK_EQ("IFSC: address size fault, level 0", abort_esr & 0x3f, 0);
        CHECK_EQ("ELR", abort_elr, (uint64_t)where_am_i | TAG);
        CHECK_EQ("FAR", abort_far, (uint64_t)where_am_i | TAG);
    }
    n_abort = 0;
}

int main(void)
{
    static const struct {
        const char *name;
        bool tbi, tbid;
    } configs[] = {{"TBI=0", false, false}, {"TBI=1 TBID=0", true, false}, {"TBI=1 TBID=1", true, true}};
    uint64_t tagged = (uint64_t)where_am_i | TAG;
    set_exception_handler(handler);
    printf("entered at EL%u\n", current_el());
    for (unsigned i = 0; i < ARRAY_SIZE(configs); i++) {
        bool dropped = configs[i].tbi && !configs[i].tbid;
        printf("%s\n", configs[i].name);
        set_tcr(configs[i].tbi, configs[i].tbid);
        check("  BLR at the entry EL", blr_to(tagged), dropped, 0x21);
        check("  ERET to the entry EL", eret_to(tagged), dropped, 0x21);
        if (current_el() == 1) { /* EL0 uses TCR_EL1 (at EL2 entry TCR_EL2 is the one set) */
            check("  BLR at EL0", run_at_el0(el0_blr, tagged), dropped, 0x20);
            check("  ERET to EL0", run_at_el0(el0_eret, tagged), dropped, 0x20);
        }
    }
    set_tcr(false, false);
    return 0;
}
