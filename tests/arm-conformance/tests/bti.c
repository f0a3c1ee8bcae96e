/*
 * FEAT_BTI (Branch Target Identification), diffed with QEMU 7.2 on "max",
 * with the MMU on: a page of landing pads mapped twice, at GUARD_VA with the
 * stage 1 GP bit (bit 50) and at PLAIN_VA without it. Every kind of
 * indirect branch (BR with X9/X16/X17 from a page that is not guarded and
 * from a guarded one, BLR, BRAAZ, BLRAAZ) goes to every kind of target (BTI
 * with each target set, no landing pad, PACIASP/PACIBSP with SCTLR_ELx.BTn
 * clear and set, BRK, HLT, SVC, a load that faults) and the test prints and
 * checks what the Arm ARM says (DDI 0487, "Branch Target Identification":
 * the BTYPE each branch sets, BTypeCompatible_BTI, BTypeCompatible_PACIXSP):
 *  - an incompatible target on a guarded page takes a Branch Target
 *    exception (EC 0x0D, ISS = BTYPE, ELR = the target) to the current EL
 *    (to EL1 from EL0), with SPSR.BTYPE = BTYPE;
 *  - pages that are not guarded never check; the exceptions the target
 *    instruction itself takes there (SVC, Data Abort, BRK...) save its
 *    BTYPE in SPSR_ELx.BTYPE (QEMU keeps it; the Arm ARM allows keeping it);
 *  - ERET restores PSTATE.BTYPE from SPSR: returning with a non-zero BTYPE
 *    to an instruction that is not a landing pad of a guarded page faults;
 *  - an IRQ taken before the first instruction after ERET (an SGI pending
 *    while SPSR.I = 0) saves that BTYPE, and its own ERET restores it.
 * Regimes: EL1&0 at EL1 and at EL0 (SCTLR_EL1.BT1/BT0), and when entered at
 * EL2 the EL2 regime (SCTLR_EL2.BT) and the EL2&0 regime at EL2.
 *
 * Without FEAT_BTI (Nestor's -cpu max,bti=off: conf/bti-off) the same
 * program checks that BTI instructions are NOPs, GP is ignored, nothing
 * faults and SPSR.BTYPE reads 0.
 */
#include "gic.h"
#include "regime.h"

extern char _start[], __text_end[];
extern char bti_page[];

#define RAM_BASE  0x40000000ul
#define RAM_MAP   0x08000000ul
#define GUARD_VA  0x80000000ul
#define PLAIN_VA  0x80001000ul
#define UNMAPPED  0x7f000000ul /* no translation: the load target's Data Abort */
#define VA_BITS   39
#define TSZ       (64 - VA_BITS)
#define PTE_GP    (1ul << 50)
#define SCTLR_BT0 (1ul << 35)
#define SCTLR_BT1 (1ul << 36) /* BT of SCTLR_EL2 with E2H = 0 */
#define EC_BTI    0x0d
#define SPSR_BTYPE(s) ((s) >> 10 & 3)

/* The landing-pad page: 32-byte slots (the hints are spelt as HINT #n so
 * that any assembler takes them: BTI 32, BTI c 34, BTI j 36, BTI jc 38,
 * PACIASP 25, PACIBSP 27). A target that runs returns 1 in x0 (to x30).
 * The trampolines (landing pad jc, then BR) branch from the page itself. */
asm(".pushsection .text.bti_page, \"ax\"\n"
    ".balign 4096\n"
    ".global bti_page\n"
    "bti_page:\n"
    "    hint #32\n  mov x0, #1\n  ret\n .balign 32\n"      /* 0 BTI */
    "    hint #34\n  mov x0, #1\n  ret\n .balign 32\n"      /* 1 BTI c */
    "    hint #36\n  mov x0, #1\n  ret\n .balign 32\n"      /* 2 BTI j */
    "    hint #38\n  mov x0, #1\n  ret\n .balign 32\n"      /* 3 BTI jc */
    "    mov x0, #1\n  ret\n .balign 32\n"                  /* 4 no landing pad */
    "    hint #25\n  mov x0, #1\n  ret\n .balign 32\n"      /* 5 PACIASP */
    "    hint #27\n  mov x0, #1\n  ret\n .balign 32\n"      /* 6 PACIBSP */
    "    brk #0x7b\n  mov x0, #1\n  ret\n .balign 32\n"     /* 7 BRK */
    "    hlt #0x1\n  mov x0, #1\n  ret\n .balign 32\n"      /* 8 HLT (UNDEFINED without Halting debug) */
    "    svc #0x5b\n  mov x0, #1\n  ret\n .balign 32\n"     /* 9 SVC */
    "    ldr x1, [x2]\n  mov x0, #1\n  ret\n .balign 32\n"  /* 10 load from UNMAPPED */
    "    hint #38\n  br x9\n .balign 32\n"                  /* 11 trampoline: BR X9 */
    "    hint #38\n  br x16\n .balign 32\n"                 /* 12 BR X16 */
    "    hint #38\n  br x17\n .balign 32\n"                 /* 13 BR X17 */
    "    hint #38\n  .inst 0xd61f093f\n .balign 32\n"       /* 14 BRAAZ X9 */
    ".balign 4096\n"
    ".popsection\n");

enum target { T_BTI, T_BTI_C, T_BTI_J, T_BTI_JC, T_NONE, T_PACIASP, T_PACIBSP, T_BRK, T_HLT, T_SVC, T_LDR,
              T_COUNT };
static const char *const target_names[] = {"bti", "bti c", "bti j", "bti jc", "none", "paciasp", "pacibsp",
                                           "brk", "hlt", "svc", "ldr"};
enum { TRAMP_X9 = 11, TRAMP_X16, TRAMP_X17, TRAMP_BRAAZ };

/* Callers (identity-mapped text, not guarded): x0 = target, x1 = trampoline.
 * Each sets x2 = UNMAPPED for the load target and x30 = its return point,
 * then branches; the target (or the exception handler) returns there. */
#define CALLER(name, setup, branch)                                             \
    asm(".pushsection .text\n"                                                  \
        ".global " #name "\n" #name ":\n"                                       \
        "    stp x29, x30, [sp, #-16]!\n"                                       \
        "    movz x2, #0x7f00, lsl #16\n"                                       \
        "    " setup "\n"                                                       \
        "    mov x0, #0\n"                                                      \
        "    adr x30, 1f\n"                                                     \
        "    " branch "\n"                                                      \
        "1:  ldp x29, x30, [sp], #16\n"                                         \
        "    ret\n"                                                             \
        ".popsection\n");                                                       \
    uint64_t name(uint64_t target, uint64_t tramp);

CALLER(call_br_x9, "mov x9, x0", "br x9")
CALLER(call_br_x16, "mov x16, x0", "br x16")
CALLER(call_br_x17, "mov x17, x0", "br x17")
CALLER(call_blr_x9, "mov x9, x0", "blr x9")
CALLER(call_braaz_x9, "mov x9, x0", ".inst 0xd61f093f")  /* BRAAZ X9 */
CALLER(call_blraaz_x9, "mov x9, x0", ".inst 0xd63f093f") /* BLRAAZ X9 */
CALLER(call_tramp, "mov x9, x0\n mov x16, x0\n mov x17, x0\n mov x10, x1", "br x10")

struct branch {
    const char *name;
    uint64_t (*fn)(uint64_t, uint64_t);
    int tramp;      /* trampoline slot (the branch is on the guarded page), or -1 */
    unsigned btype; /* what the branch sets (with FEAT_BTI) */
};

static const struct branch branches[] = {
    {"br x9", call_br_x9, -1, 1}, /* not from a guarded page: 01 */
    {"br x16", call_br_x16, -1, 1},
    {"br x17", call_br_x17, -1, 1},
    {"blr x9", call_blr_x9, -1, 2},
    {"braaz x9", call_braaz_x9, -1, 1},
    {"blraaz x9", call_blraaz_x9, -1, 2},
    {"guarded br x9", call_tramp, TRAMP_X9, 3},
    {"guarded br x16", call_tramp, TRAMP_X16, 1},
    {"guarded br x17", call_tramp, TRAMP_X17, 1},
    {"guarded braaz x9", call_tramp, TRAMP_BRAAZ, 3},
};

static bool has_bti;

/* ---- exceptions: a log of what the handler saw ---- */

#define MAX_LOG 4
static volatile unsigned nlog;
static volatile uint64_t log_esr[MAX_LOG], log_spsr[MAX_LOG], log_elr[MAX_LOG], log_irq[MAX_LOG];
static volatile bool keep_btype; /* the handler leaves SPSR.BTYPE as it was */

static bool handler(struct exc_frame *f)
{
    bool irq = (f->vector & 0x180) == 0x80;
    unsigned ec = ESR_EC(f->esr);
    if (nlog < MAX_LOG) {
        log_esr[nlog] = irq ? 0 : f->esr;
        log_spsr[nlog] = f->spsr;
        log_elr[nlog] = f->elr;
        log_irq[nlog] = irq ? icc_iar1() : 0;
    }
    nlog++;
    if (irq) { /* return as interrupted, SPSR.BTYPE included */
        if (nlog <= MAX_LOG && log_irq[nlog - 1] != INTID_SPURIOUS)
            icc_eoir1(log_irq[nlog - 1]);
        f->spsr |= 1u << 7;
        return true;
    }
    if (nlog > 8) /* a loop: give up on the target */
        ec = EC_BTI;
    if (ec == EC_BTI) {
        f->elr = f->x[30]; /* back to the caller, x0 still 0 */
    } else if (ec != EC_SVC64) {
        f->elr += 4;
    }
    if (!keep_btype || ec == EC_BTI)
        f->spsr &= ~(3ul << 10);
    return true;
}

static uint64_t page_off(uint64_t elr)
{
    return elr - GUARD_VA < 0x2000 ? (elr - GUARD_VA) & 0xfff : 0xfff;
}

/* Prints the exceptions of one probe: EC, ISS, SPSR.BTYPE, where. */
static void print_log(void)
{
    unsigned n = nlog < MAX_LOG ? nlog : MAX_LOG;
    for (unsigned k = 0; k < n; k++) {
        /* Data Aborts: the fault code only (ISV at EL2 is not what this tests) */
        bool dabt = ESR_EC(log_esr[k]) == EC_DABT_CUR || ESR_EC(log_esr[k]) == EC_DABT_LOWER;
        if (log_irq[k]) {
            printf(" [IRQ %lu BTYPE %lu at +%03lx]", log_irq[k], SPSR_BTYPE(log_spsr[k]), page_off(log_elr[k]));
            continue;
        }
        printf(" [EC %02lx ISS %lx BTYPE %lu at +%03lx]", ESR_EC(log_esr[k]),
               dabt ? log_esr[k] & 0x3f : ESR_ISS(log_esr[k]), SPSR_BTYPE(log_spsr[k]), page_off(log_elr[k]));
    }
}

/* The BTYPE a branch leaves (0 without FEAT_BTI). */
static unsigned branch_btype(const struct branch *b) { return has_bti ? b->btype : 0; }

/* BTypeCompatible for the target at a guarded page with BTYPE btype (non-zero). */
static bool compatible(enum target t, unsigned btype, bool sctlr_bt)
{
    switch (t) {
    case T_BTI: return false;
    case T_BTI_C: return btype != 3;
    case T_BTI_J: return btype != 2;
    case T_BTI_JC: return true;
    case T_PACIASP:
    case T_PACIBSP: return btype != 3 || !sctlr_bt;
    case T_BRK:
    case T_HLT: return true;
    default: return false;
    }
}

/* The exception the target instruction itself takes (EC), or -1. */
static int own_exception(enum target t, bool el0)
{
    switch (t) {
    case T_BRK: return EC_BRK64;
    case T_HLT: return EC_UNKNOWN;
    case T_SVC: return EC_SVC64;
    case T_LDR: return el0 ? EC_DABT_LOWER : EC_DABT_CUR;
    default: return -1;
    }
}

static bool el0_mode;

/* One branch to one target: prints the outcome and checks it. */
static void probe(const struct branch *b, enum target t, bool guarded, bool sctlr_bt)
{
    uint64_t base = guarded ? GUARD_VA : PLAIN_VA;
    uint64_t target = base + 32 * (uint64_t)t;
    uint64_t tramp = b->tramp >= 0 ? GUARD_VA + 32 * (uint64_t)b->tramp : 0;
    nlog = 0;
    uint64_t r = b->fn(target, tramp);
    printf("  %-16s -> %-7s x0=%lu", b->name, target_names[t], r);
    print_log();
    printf("\n");

    unsigned btype = branch_btype(b);
    bool faults = guarded && btype && !compatible(t, btype, sctlr_bt);
    int own = own_exception(t, el0_mode);
    /* a FAIL names the check; the line above names the probe */
    if (faults) {
        CHECK_EQ("one exception", nlog, 1);
        CHECK_EQ("Branch Target exception", ESR_EC(log_esr[0]), EC_BTI);
        CHECK_EQ("ISS = BTYPE", ESR_ISS(log_esr[0]), btype);
        CHECK_EQ("SPSR.BTYPE", SPSR_BTYPE(log_spsr[0]), btype);
        CHECK_EQ("ELR = target", log_elr[0], target);
        CHECK_EQ("target not run", r, 0);
    } else if (own >= 0) {
        CHECK_EQ("one exception", nlog, 1);
        CHECK_EQ("the target's own exception", ESR_EC(log_esr[0]), (uint64_t)own);
        CHECK_EQ("SPSR.BTYPE saved", SPSR_BTYPE(log_spsr[0]), btype);
        CHECK_EQ("target run", r, 1);
    } else {
        CHECK_EQ("no exception", nlog, 0);
        CHECK_EQ("target run", r, 1);
    }
}

/* Every branch to every target of the guarded page, SCTLR_ELx.BTn = bt
 * (set by the caller), and with plain, to the page that is not guarded. */
static void matrix(const char *where, bool bt, bool plain)
{
    printf("%s, guarded page, SCTLR BT%s=%d\n", where, el0_mode ? "0" : "", bt);
    for (size_t b = 0; b < ARRAY_SIZE(branches); b++)
        for (unsigned t = 0; t < T_COUNT; t++)
            probe(&branches[b], t, true, bt);
    if (!plain)
        return;
    printf("%s, page not guarded\n", where);
    for (size_t b = 0; b < ARRAY_SIZE(branches); b++)
        for (unsigned t = 0; t < T_COUNT; t++)
            if (branches[b].tramp < 0)
                probe(&branches[b], t, false, bt);
}

/* ---- ERET restores BTYPE ---- */

asm(".pushsection .text\n"
    ".global eret_el1\neret_el1:\n"
    "    stp x29, x30, [sp, #-16]!\n"
    "    msr elr_el1, x0\n"
    "    msr spsr_el1, x1\n"
    "    mov x0, #0\n"
    "    adr x30, 1f\n"
    "    eret\n"
    "1:  ldp x29, x30, [sp], #16\n"
    "    ret\n"
    ".global eret_el2\neret_el2:\n"
    "    stp x29, x30, [sp, #-16]!\n"
    "    msr elr_el2, x0\n"
    "    msr spsr_el2, x1\n"
    "    mov x0, #0\n"
    "    adr x30, 1f\n"
    "    eret\n"
    "1:  ldp x29, x30, [sp], #16\n"
    "    ret\n"
    ".popsection\n");
uint64_t eret_el1(uint64_t elr, uint64_t spsr);
uint64_t eret_el2(uint64_t elr, uint64_t spsr);

static void eret_probe(enum target t, bool guarded, unsigned btype)
{
    unsigned el = current_el();
    uint64_t mode = el == 2 ? 9 : 5; /* ELxh */
    uint64_t target = (guarded ? GUARD_VA : PLAIN_VA) + 32 * (uint64_t)t;
    nlog = 0;
    uint64_t spsr = 0x3c0 | mode | (uint64_t)btype << 10;
    uint64_t r = el == 2 ? eret_el2(target, spsr) : eret_el1(target, spsr);
    printf("  eret SPSR.BTYPE=%u -> %s %-6s x0=%lu", btype, guarded ? "guarded" : "plain", target_names[t], r);
    print_log();
    printf("\n");
    bool faults = has_bti && guarded && btype && !compatible(t, btype, false);
    CHECK_EQ("eret: faults", nlog, faults ? 1 : 0);
    CHECK_EQ("eret: result", r, faults ? 0 : 1);
    if (faults) {
        CHECK_EQ("eret: ISS", ESR_ISS(log_esr[0]), btype);
        CHECK_EQ("eret: SPSR.BTYPE", SPSR_BTYPE(log_spsr[0]), btype);
    }
}

static void eret_tests(void)
{
    printf("ERET\n");
    for (unsigned btype = 0; btype < 4; btype++) {
        eret_probe(T_NONE, true, btype);
        eret_probe(T_BTI_C, true, btype);
        eret_probe(T_BTI_J, true, btype);
    }
    eret_probe(T_NONE, false, 3);
    /* BRK at a landing pad after BLR: the handler returns past it with
     * SPSR.BTYPE still 10, so the next instruction, no landing pad, faults. */
    keep_btype = true;
    nlog = 0;
    uint64_t r = call_blr_x9(GUARD_VA + 32 * T_BRK, 0);
    keep_btype = false;
    printf("  blr -> brk, return with SPSR.BTYPE kept: x0=%lu", r);
    print_log();
    printf("\n");
    CHECK_EQ("brk then eret: result", r, has_bti ? 0 : 1);
    CHECK_EQ("brk then eret: exceptions", nlog, has_bti ? 2 : 1);
    CHECK_EQ("brk then eret: BRK", ESR_EC(log_esr[0]), EC_BRK64);
    if (has_bti) {
        CHECK_EQ("brk then eret: BTI", ESR_EC(log_esr[1]), EC_BTI);
        CHECK_EQ("brk then eret: ISS", ESR_ISS(log_esr[1]), 2);
        CHECK_EQ("brk then eret: ELR", log_elr[1], GUARD_VA + 32 * T_BRK + 4);
    }
}

/* An SGI pending with PSTATE.I set; ERET (at EL1) to target with SPSR.I
 * clear and BTYPE = btype takes it before the target's first instruction:
 * SPSR_EL1.BTYPE = btype, ELR = target; the handler's ERET restores that
 * BTYPE for the target's branch target check. */
static void irq_probe(enum target t, unsigned btype)
{
    uint64_t target = GUARD_VA + 32 * (uint64_t)t;
    irq_mask();
    icc_sgi1r(sgi1r(5, 0, 0));
    isb();
    nlog = 0;
    uint64_t r = eret_el1(target, 0x340 | 5 | (uint64_t)btype << 10);
    irq_mask();
    printf("  IRQ at eret SPSR.BTYPE=%u -> guarded %-6s x0=%lu", btype, target_names[t], r);
    print_log();
    printf("\n");
    bool faults = has_bti && btype && !compatible(t, btype, false);
    CHECK_EQ("irq: exceptions", nlog, faults ? 2 : 1);
    CHECK_EQ("irq: taken first", log_irq[0], 5);
    CHECK_EQ("irq: ELR", log_elr[0], target);
    CHECK_EQ("irq: SPSR.BTYPE", SPSR_BTYPE(log_spsr[0]), has_bti ? btype : 0);
    CHECK_EQ("irq: result", r, faults ? 0 : 1);
}

static void irq_tests(void)
{
    printf("IRQ\n");
    gic_dist_init();
    gic_cpu_init(0);
    irq_probe(T_BTI_C, 2);
    irq_probe(T_NONE, 2);
    irq_probe(T_BTI_J, 3);
    irq_probe(T_BTI_C, 3);
}

/* ---- translation regimes ---- */

static struct pt lo;


/* Identity map (code read-only; EL0 may run it and use data when user),
 * and the landing-pad page at GUARD_VA (GP) and PLAIN_VA. */
static void build_tables(bool user)
{
    pt_pool_reset();
    pt_init(&lo, 12, VA_BITS);
    uint64_t text = (uint64_t)_start & ~0xffful, text_end = round_up((uint64_t)__text_end, 4096);
    uint64_t data_ap = user ? PTE_AP_EL0 : ap_priv();
    uint64_t code_ap = PTE_AP_RO | (user ? PTE_AP_EL0 : ap_priv());
    pt_map(&lo, 0, 0, RAM_BASE, PTE_ATTR(PT_ATTR_DEVICE) | PTE_AF | xn_all() | data_ap);
    pt_map(&lo, RAM_BASE, RAM_BASE, text - RAM_BASE, normal() | data_ap | xn_all());
    pt_map(&lo, text, text, text_end - text, normal() | code_ap);
    pt_map(&lo, text_end, text_end, RAM_BASE + RAM_MAP - text_end, normal() | data_ap | xn_all());
    pt_map(&lo, GUARD_VA, (uint64_t)bti_page, 4096, normal() | code_ap | PTE_GP);
    pt_map(&lo, PLAIN_VA, (uint64_t)bti_page, 4096, normal() | code_ap);
}

static uint64_t sctlr_on;

/* SCTLR_ELx.BT1 (BT of SCTLR_EL2 with E2H = 0) and BT0. */
static void set_bt(bool el1, bool el0) { set_sctlr(sctlr_on | (el1 ? SCTLR_BT1 : 0) | (el0 ? SCTLR_BT0 : 0)); }

static void mmu_on(void)
{
    uint64_t tcr = TSZ | 1ul << 8 | 1ul << 10 | 3ul << 12 | (uint64_t)pt_tg0(&lo) << 14 | 1ul << 23 | 2ul << 32;
    switch (cur_regime) {
    case R_EL10:
        write_sysreg(mair_el1, PT_MAIR);
        write_sysreg(tcr_el1, tcr);
        write_sysreg(ttbr0_el1, (uint64_t)lo.root);
        sctlr_on = SCTLR_EL1_RES1 | SCTLR_M | SCTLR_C | SCTLR_I;
        break;
    case R_EL2:
        write_sysreg(mair_el2, PT_MAIR);
        write_sysreg(tcr_el2, TCR_EL2_RES1 | TSZ | 1ul << 8 | 1ul << 10 | 3ul << 12 | (uint64_t)pt_tg0(&lo) << 14 |
                                  2ul << 16);
        write_sysreg(ttbr0_el2, (uint64_t)lo.root);
        sctlr_on = SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_I;
        break;
    case R_EL20:
        write_sysreg(hcr_el2, read_sysreg(hcr_el2) | HCR_E2H);
        isb();
        write_sysreg(mair_el2, PT_MAIR);
        write_sysreg(tcr_el2, tcr);
        write_sysreg(ttbr0_el2, (uint64_t)lo.root);
        sctlr_on = SCTLR_EL1_RES1 | SCTLR_M | SCTLR_C | SCTLR_I; /* the SCTLR_EL1 layout */
        break;
    }
    isb();
    tlbi_all();
    set_sctlr(sctlr_on);
}

static uint64_t el0_matrix(uint64_t bt)
{
    matrix("EL0 in EL1&0", bt, bt);
    return 0;
}

static uint64_t el1_tests(uint64_t unused)
{
    (void)unused;
    set_exception_handler(handler);
    cur_regime = R_EL10;
    build_tables(false);
    mmu_on();
    el0_mode = false;
    for (int bt = 0; bt < 2; bt++) {
        set_bt(bt, !bt); /* BT0 must not matter at EL1 */
        matrix("EL1 in EL1&0", bt, bt);
    }
    set_bt(false, false);
    eret_tests();
    irq_tests();
    mmu_off();
    build_tables(true);
    mmu_on();
    el0_mode = true;
    for (int bt = 0; bt < 2; bt++) {
        set_bt(!bt, bt); /* nor BT1 at EL0 */
        run_at_el0(el0_matrix, bt);
    }
    el0_mode = false;
    mmu_off();
    return 0;
}

static void el2_tests(enum regime r, const char *name)
{
    cur_regime = r;
    build_tables(false);
    mmu_on();
    for (int bt = 0; bt < 2; bt++) {
        set_bt(bt, r == R_EL20 && !bt); /* BT0 is EL2&0's EL0 bit */
        matrix(name, bt, bt);
    }
    set_bt(false, false);
    eret_tests();
    mmu_off();
}

int main(void)
{
    has_bti = (read_sysreg(id_aa64pfr1_el1) & 0xf) >= 1;
    printf("FEAT_BTI: %s\n", has_bti ? "yes" : "no");
    set_exception_handler(handler);
    if (rt_start_el == 2) {
        el2_tests(R_EL2, "EL2");
        if (((read_sysreg(id_aa64mmfr1_el1) >> 8) & 0xf) != 0) /* FEAT_VHE */
            el2_tests(R_EL20, "EL2 in EL2&0");
        run_at_el1(el1_tests, 0);
    } else {
        el1_tests(0);
    }
    set_exception_handler(NULL);
    return 0;
}
