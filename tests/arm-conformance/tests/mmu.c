/*
 * The MMU on: stage 1 translation in the EL1&0 regime (from EL1 and EL0),
 * the EL2 regime (HCR_EL2.E2H = 0) and the EL2&0 regime (E2H = 1), with
 * every granule the CPU advertises.  Identity map of the machine (Device
 * below RAM, code read-only and executable, data read/write), test slots
 * at TEST_VA (aliases, read-only, Access flag clear, invalid, EL0-accessible,
 * execute-never, Device, output address too large), TTBR1 high addresses, TBI, AT into PAR_EL1, TLBI
 * after changing a descriptor, ASID switch, PAN, LDTR (with UAO, and at EL2
 * with TGE), alignment by memory type and SCTLR.A, and stage 2 (HCR_EL2.VM)
 * when entered at EL2.
 *
 * Each probe prints the exception it caused (ESR, FAR) or its result, and
 * checks what the Arm ARM (DDI 0487 D8) requires.
 */
#include "regime.h"

extern char _start[], __text_end[];
void code_page(void);

/* A granule-aligned page of code for execute-permission probes: returns 42. */
asm(".pushsection .text.mmu_code, \"ax\"\n"
    ".balign 65536\n"
    ".global code_page\n"
    "code_page:\n"
    "    mov x0, #42\n"
    "    ret\n"
    ".popsection\n");

static uint8_t page_a[65536] __attribute__((aligned(65536)));
static uint8_t page_b[65536] __attribute__((aligned(65536)));

#define RAM_BASE 0x40000000ul
#define RAM_MAP  0x08000000ul /* 128 MiB mapped */
#define TEST_VA  0x80000000ul
#define HOLE_VA  0xc0000000ul /* nothing mapped at any level below the root */
#define VA_BITS  39
#define TSZ      (64 - VA_BITS)

enum slot {
    SLOT_RW,      /* page A, privileged read/write */
    SLOT_RO,      /* page B, privileged read-only */
    SLOT_NOAF,    /* page A, Access flag clear */
    SLOT_INVALID, /* invalid level 3 descriptor */
    SLOT_USER,    /* page A, EL0 and EL1 read/write */
    SLOT_PXN,     /* code, privileged execute-never */
    SLOT_CODE,    /* code, executable at both ELs, no EL0 data access */
    SLOT_DEVICE,  /* page A as Device-nGnRnE */
    SLOT_UXN,     /* code, unprivileged execute-never */
    SLOT_BIGPA,   /* output address beyond the 40-bit output size (IPS/PS) */
    SLOT_COUNT
};

static const char *const regime_names[] = {"EL1&0", "EL2", "EL2&0"};

static struct pt lo, hi;
static uint64_t granule;

static uint64_t slot_va(enum slot s) { return TEST_VA + s * granule; }

/*
 * Builds the tables for a granule (12, 14, 16 bits). user_data: identity
 * data pages also accessible from EL0 (so EL0 C code can run), otherwise
 * privileged only (so handlers keep working with PSTATE.PAN set).
 */
static void build_tables(unsigned granule_bits, bool user_data)
{
    granule = 1ul << granule_bits;
    pt_pool_reset();
    pt_init(&lo, granule_bits, VA_BITS);
    pt_init(&hi, granule_bits, VA_BITS);
    uint64_t text = (uint64_t)_start & ~(granule - 1), text_end = round_up((uint64_t)__text_end, granule);
    uint64_t data_ap = user_data && cur_regime != R_EL2 ? PTE_AP_EL0 : ap_priv();
    pt_map(&lo, 0, 0, RAM_BASE, PTE_ATTR(PT_ATTR_DEVICE) | PTE_AF | xn_all() | data_ap);
    pt_map(&lo, RAM_BASE, RAM_BASE, text - RAM_BASE, normal() | data_ap | xn_all());
    /* Code and read-only data: readable from EL0 only when EL0 runs (with
     * PSTATE.PAN set, EL1 could not read its own constants otherwise). */
    pt_map(&lo, text, text, text_end - text, normal() | PTE_AP_RO | (user_data ? PTE_AP_EL0 : ap_priv()));
    pt_map(&lo, text_end, text_end, RAM_BASE + RAM_MAP - text_end, normal() | data_ap | xn_all());

    uint64_t a = (uint64_t)page_a, b = (uint64_t)page_b, code = (uint64_t)code_page;
    uint64_t user = cur_regime == R_EL2 ? ap_priv() : PTE_AP_EL0;
    pt_map(&lo, slot_va(SLOT_RW), a, granule, normal() | ap_priv() | xn_all() | PTE_NG);
    pt_map(&lo, slot_va(SLOT_RO), b, granule, normal() | PTE_AP_RO | ap_priv() | xn_all());
    pt_map(&lo, slot_va(SLOT_NOAF), a, granule, (normal() & ~PTE_AF) | ap_priv() | xn_all());
    pt_map(&lo, slot_va(SLOT_USER), a, granule, normal() | user | xn_all());
    pt_map(&lo, slot_va(SLOT_PXN), code, granule,
           normal() | PTE_AP_RO | ap_priv() | (cur_regime == R_EL2 ? PTE_UXN : PTE_PXN));
    pt_map(&lo, slot_va(SLOT_CODE), code, granule, normal() | PTE_AP_RO | ap_priv());
    pt_map(&lo, slot_va(SLOT_DEVICE), a, granule, PTE_ATTR(PT_ATTR_DEVICE) | PTE_AF | ap_priv() | xn_all());
    pt_map(&lo, slot_va(SLOT_UXN), code, granule, normal() | PTE_AP_RO | ap_priv() | PTE_UXN);
    pt_map(&lo, slot_va(SLOT_BIGPA), 1ul << 40, granule, normal() | ap_priv() | xn_all());
    /* TTBR1: the top of the address space maps RAM. */
    pt_map(&hi, ~0ul << VA_BITS, RAM_BASE, RAM_MAP, normal() | ap_priv() | xn_all());
}

/* TLBI by VA names the current ASID (Xt[63:48]; TTBR0_EL1 reads TTBR0_EL2
 * in the EL2&0 regime): the mappings are non-global. */
static void tlbi_va(uint64_t va)
{
    uint64_t arg = (va >> 12) & 0xfffffffffful;
    if (cur_regime != R_EL2) {
        uint64_t ttbr0;
        asm volatile("mrs %0, ttbr0_el1" : "=r"(ttbr0));
        arg |= ttbr0 & 0xffff000000000000ul;
    }
    if (cur_regime == R_EL10)
        asm volatile("dsb ishst\n\ttlbi vae1, %0\n\tdsb ish\n\tisb" ::"r"(arg) : "memory");
    else
        asm volatile("dsb ishst\n\ttlbi vae2, %0\n\tdsb ish\n\tisb" ::"r"(arg) : "memory");
}

#define TCR_TBI0 (1ul << 37)

/* TCR_ELx with both ranges (EL1&0, EL2&0): WB caches, Inner Shareable, 40-bit IPS, TBI0. */
static uint64_t tcr_two_ranges(void)
{
    return TSZ | 1ul << 8 | 1ul << 10 | 3ul << 12 | (uint64_t)pt_tg0(&lo) << 14 | (uint64_t)TSZ << 16 |
           1ul << 24 | 1ul << 26 | 3ul << 28 | (uint64_t)pt_tg1(&hi) << 30 | 2ul << 32 | TCR_TBI0;
}

static uint64_t sctlr_on;

static void mmu_on(uint64_t asid)
{
    uint64_t ttbr0 = (uint64_t)lo.root | asid << 48, ttbr1 = (uint64_t)hi.root;
    switch (cur_regime) {
    case R_EL10:
        write_sysreg(mair_el1, PT_MAIR);
        write_sysreg(tcr_el1, tcr_two_ranges());
        write_sysreg(ttbr0_el1, ttbr0);
        write_sysreg(ttbr1_el1, ttbr1);
        sctlr_on = SCTLR_EL1_RES1 | SCTLR_M | SCTLR_C | SCTLR_I;
        break;
    case R_EL2:
        write_sysreg(mair_el2, PT_MAIR);
        write_sysreg(tcr_el2, TCR_EL2_RES1 | TSZ | 1ul << 8 | 1ul << 10 | 3ul << 12 |
                                  (uint64_t)pt_tg0(&lo) << 14 | 2ul << 16 | 1ul << 20);
        write_sysreg(ttbr0_el2, (uint64_t)lo.root);
        sctlr_on = SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_I;
        break;
    case R_EL20:
        write_sysreg(hcr_el2, read_sysreg(hcr_el2) | HCR_E2H);
        isb();
        write_sysreg(mair_el2, PT_MAIR);
        write_sysreg(tcr_el2, tcr_two_ranges());
        write_sysreg(ttbr0_el2, ttbr0);
        write_sysreg(s3_4_c2_c0_1, ttbr1); /* TTBR1_EL2 (FEAT_VHE) */
        /* With E2H = 1, SCTLR_EL2 has the SCTLR_EL1 layout. */
        sctlr_on = SCTLR_EL1_RES1 | SCTLR_M | SCTLR_C | SCTLR_I;
        break;
    }
    isb();
    tlbi_all();
    set_sctlr(sctlr_on);
}


/* ---- probes ---- */

static volatile uint64_t last_hpfar; /* HPFAR_EL2 of the last exception taken to EL2 */

/* Data aborts skip the access; instruction aborts (from a BLR) return to x30. */
static bool mmu_handler(struct exc_frame *f)
{
    unsigned ec = ESR_EC(f->esr);
    if (f->el == 2)
        last_hpfar = read_sysreg(hpfar_el2);
    if (ec == EC_IABT_CUR || ec == EC_IABT_LOWER)
        f->elr = f->x[30];
    else
        f->elr += 4;
    return true;
}

/* Not inlined: every probe load is one load site, so that the JIT's
 * per-site copies of TLB entries are reused across a TLBI (and must have
 * been invalidated with the TLB). */
__attribute__((noinline)) static uint64_t ldr(uint64_t va)
{
    uint64_t v = 0xdeadul;
    clear_last_exc();
    asm volatile("ldr %0, [%1]" : "+r"(v) : "r"(va) : "memory");
    return v;
}

static uint64_t ldtr(uint64_t va)
{
    uint64_t v = 0xdeadul;
    clear_last_exc();
    asm volatile("ldtr %0, [%1]" : "+r"(v) : "r"(va) : "memory");
    return v;
}

static void str(uint64_t va, uint64_t v)
{
    clear_last_exc();
    asm volatile("str %1, [%0]" ::"r"(va), "r"(v) : "memory");
}

static uint64_t call(uint64_t va)
{
    uint64_t r;
    clear_last_exc();
    asm volatile("mov x0, #0\n\tblr %1\n\tmov %0, x0" : "=r"(r) : "r"(va) : "x0", "x30", "memory");
    return r;
}

static uint64_t at(unsigned which, uint64_t va)
{
    switch (which) {
    case 0: asm volatile("at s1e1r, %0" ::"r"(va)); break;
    case 1: asm volatile("at s1e1w, %0" ::"r"(va)); break;
    case 2: asm volatile("at s1e0r, %0" ::"r"(va)); break;
    case 3: asm volatile("at s1e2r, %0" ::"r"(va)); break;
    default: asm volatile("at s1e2w, %0" ::"r"(va)); break;
    }
    isb();
    return read_sysreg(par_el1);
}

/*
 * The ESR as printed.  QEMU 7.2 sets ISV (and SAS/SSE/SRT/SF/AR) in data
 * aborts taken to EL2 for stage 1 faults, but DDI 0487 (ISS encoding for an
 * exception from a Data Abort, ISV) says ISV is 0 in ESR_EL2 except for
 * stage 2 aborts.  Those fields are cleared in the output; the stage 2
 * probes check ISV themselves (expect_s2_fault).
 */
static uint64_t comparable_esr(uint64_t esr, uint64_t el)
{
    unsigned ec = ESR_EC(esr);
    if ((ec == EC_DABT_LOWER || ec == EC_DABT_CUR) && el == 2)
        return esr & ~0x1ffc000ul;
    return esr;
}

/* Prints the exception of the last probe and checks its class and fault code. */
static void expect_fault(const char *name, unsigned ec, unsigned fsc, uint64_t far)
{
    const volatile struct exc_record *e = &rt_last_exc;
    if (e->count != 1) {
        printf("FAIL %s: expected one exception, got %lu\n", name, e->count);
        rt_failures++;
        return;
    }
    printf("  %-28s EL%lu esr %08lx far %lx\n", name, e->el, comparable_esr(e->esr, e->el), e->far);
    CHECK_EQ(name, ESR_EC(e->esr), ec);
    CHECK_EQ(name, e->esr & 0x3f, fsc);
    CHECK_EQ(name, e->far, far);
}

static void expect_value(const char *name, uint64_t got, uint64_t want)
{
    printf("  %-28s %lx%s\n", name, got, rt_last_exc.count ? " (exception)" : "");
    if (rt_last_exc.count) {
        printf("FAIL %s: unexpected exception, ESR %lx FAR %lx\n", name, rt_last_exc.esr, rt_last_exc.far);
        rt_failures++;
    }
    CHECK_EQ(name, got, want);
}

/*
 * PAR_EL1 as printed: NS (bit 9) is UNKNOWN for a Non-secure regime (DDI
 * 0487 D24, PAR_EL1.NS) and the IMPLEMENTATION DEFINED bits [11:10] and
 * [55:52] of the success format are cleared.  SH is cleared for Device
 * results: PAR_EL1.SH reads 0b10 for any Device memory (DDI 0487 D24,
 * PAR_EL1.SH), but QEMU 7.2 returns the descriptor's SH field.
 */
static uint64_t comparable_par(uint64_t par)
{
    if (par & 1)
        return par;
    par &= ~(0xful << 52 | 7ul << 9);
    return par >> 56 ? par : par & ~(3ul << 7);
}

static void expect_par_ok(const char *name, uint64_t par, uint64_t pa, unsigned attr)
{
    printf("  %-28s PAR %lx\n", name, comparable_par(par));
    CHECK_EQ(name, par & 1, 0);
    CHECK_EQ(name, par & 0xfffffffff000ul, pa);
    CHECK_EQ(name, par >> 56, attr);
}

static void expect_par_fault(const char *name, uint64_t par, unsigned fst)
{
    printf("  %-28s PAR %lx\n", name, comparable_par(par));
    CHECK_EQ(name, par & 1, 1);
    CHECK_EQ(name, (par >> 1) & 0x3f, fst);
}

static unsigned dabt_same(void) { return EC_DABT_CUR; }

/* Fault status code of a Translation fault where the walk of va stops. */
static unsigned translation_fsc(uint64_t va)
{
    unsigned level;
    pt_leaf(&lo, va, &level);
    return 0x04 | level;
}

/* The probes every regime runs at its privileged EL. */
static void privileged_probes(void)
{
    uint64_t a = (uint64_t)page_a, b = (uint64_t)page_b;
    bool two_ranges = cur_regime != R_EL2;
    unsigned at_r = cur_regime == R_EL10 ? 0 : 3, at_w = cur_regime == R_EL10 ? 1 : 4;

    for (unsigned i = 0; i < 16; i++)
        page_a[i] = (uint8_t)(0x10 + i), page_b[i] = (uint8_t)(0x80 + i);
    *(volatile uint64_t *)(a + granule - 8) = 0x0706050403020100ul;
    expect_value("identity read", ldr(a), 0x1716151413121110ul);
    expect_value("alias read", ldr(slot_va(SLOT_RW)), 0x1716151413121110ul);
    str(slot_va(SLOT_RW) + 8, 0x5555aaaa5555aaaaul);
    expect_value("alias write, identity read", ldr(a + 8), 0x5555aaaa5555aaaaul);
    expect_value("read-only read", ldr(slot_va(SLOT_RO)), 0x8786858483828180ul);
    if (two_ranges)
        expect_value("TTBR1 read", ldr((~0ul << VA_BITS) + (a - RAM_BASE)), 0x1716151413121110ul);
    expect_value("TBI tagged read", ldr(0x5a00000000000000ul | slot_va(SLOT_RW)), 0x1716151413121110ul);

    str(slot_va(SLOT_RO), 1);
    expect_fault("write to read-only", dabt_same(), 0x0f, slot_va(SLOT_RO));
    CHECK_EQ("write to read-only WnR", (rt_last_exc.esr >> 6) & 1, 1);
    ldr(slot_va(SLOT_NOAF));
    expect_fault("Access flag clear", dabt_same(), 0x0b, slot_va(SLOT_NOAF));
    ldr(slot_va(SLOT_INVALID) + 16);
    expect_fault("invalid level 3", dabt_same(), 0x07, slot_va(SLOT_INVALID) + 16);
    ldr(slot_va(SLOT_BIGPA));
    expect_fault("output beyond PS", dabt_same(), 0x03, slot_va(SLOT_BIGPA));
    str(HOLE_VA, 0);
    expect_fault("unmapped table entry", dabt_same(), translation_fsc(HOLE_VA), HOLE_VA);
    CHECK_EQ("unmapped table entry WnR", (rt_last_exc.esr >> 6) & 1, 1);
    ldr(1ul << VA_BITS);
    /* Out of both VA ranges: a level 0 Translation fault whatever the start
     * level (AArch64.S1Translate checks the VA before any walk). */
    expect_fault("beyond T0SZ", dabt_same(), 0x04, 1ul << VA_BITS);

    expect_value("execute alias", call(slot_va(SLOT_CODE)), 42);
    call(slot_va(SLOT_PXN));
    expect_fault("execute-never", EC_IABT_CUR, 0x0f, slot_va(SLOT_PXN));
    CHECK_EQ("execute-never ELR", rt_last_exc.elr, slot_va(SLOT_PXN));

    /* Alignment follows the memory type. */
    expect_value("misaligned Normal", ldr(slot_va(SLOT_RW) + 1), 0xaa17161514131211ul);
    expect_value("misaligned across pages", ldr(slot_va(SLOT_RO) - 4), 0x8382818007060504ul);
    tlbi_all(); /* the same, translated anew */
    expect_value("misaligned across, no TLB", ldr(slot_va(SLOT_RO) - 4), 0x8382818007060504ul);
    str(slot_va(SLOT_RO) - 2, 0);
    expect_fault("misaligned write into RO", dabt_same(), 0x0f, slot_va(SLOT_RO));
    expect_value("aligned Device", ldr(slot_va(SLOT_DEVICE)), 0x1716151413121110ul);
#ifdef BEYOND_QEMU
    /* "An unaligned access to any type of Device memory causes an Alignment
     * fault" (DDI 0487 B2.5.2); QEMU 7.2 only checks it with the MMU off. */
    ldr(slot_va(SLOT_DEVICE) + 4);
    expect_fault("misaligned Device", dabt_same(), 0x21, slot_va(SLOT_DEVICE) + 4);
    str(slot_va(SLOT_DEVICE) + 2, 0);
    expect_fault("misaligned Device write", dabt_same(), 0x21, slot_va(SLOT_DEVICE) + 2);
#endif
    set_sctlr(sctlr_on | SCTLR_A);
    ldr(slot_va(SLOT_RW) + 4);
    expect_fault("misaligned, SCTLR.A", dabt_same(), 0x21, slot_va(SLOT_RW) + 4);
    set_sctlr(sctlr_on);

    /* AT: PAR_EL1 holds the PA and MAIR attribute, or the fault code. */
    expect_par_ok("AT read", at(at_r, slot_va(SLOT_RW) + 0x123), a, 0xff);
    expect_par_ok("AT read Device", at(at_r, slot_va(SLOT_DEVICE)), a, 0x00);
#ifdef BEYOND_QEMU
    CHECK_EQ("AT read Device SH", (at(at_r, slot_va(SLOT_DEVICE)) >> 7) & 3, 2);
#endif
    expect_par_fault("AT write read-only", at(at_w, slot_va(SLOT_RO)), 0x0f);
    expect_par_fault("AT invalid", at(at_r, slot_va(SLOT_INVALID)), 0x07);
    expect_par_fault("AT Access flag", at(at_r, slot_va(SLOT_NOAF)), 0x0b);

    /* A changed descriptor is used once the TLB entry is invalidated. */
    unsigned level;
    uint64_t *d = pt_leaf(&lo, slot_va(SLOT_RW), &level);
    uint64_t old = *d;
    expect_value("before TLBI by VA", ldr(slot_va(SLOT_RW)), 0x1716151413121110ul);
    *d = (old & ~0xfffffffff000ul) | b;
    tlbi_va(slot_va(SLOT_RW));
    expect_value("after TLBI by VA", ldr(slot_va(SLOT_RW)), 0x8786858483828180ul);
    *d = old;
    tlbi_va(slot_va(SLOT_RW));
    expect_value("after TLBI back", ldr(slot_va(SLOT_RW)), 0x1716151413121110ul);
}

#ifdef BEYOND_QEMU
static void set_asid(uint64_t asid)
{
    write_sysreg(ttbr0_el1, (uint64_t)lo.root | asid << 48);
    isb();
}

static void tlbi_el1(const char *op, uint64_t arg)
{
    asm volatile("dsb ishst" ::: "memory");
    if (op[0] == 'v')
        asm volatile("tlbi vae1is, %0" ::"r"(arg) : "memory");
    else
        asm volatile("tlbi aside1is, %0" ::"r"(arg) : "memory");
    asm volatile("dsb ish\n\tisb" ::: "memory");
}

/* TLBI RVAE1IS (FEAT_TLBIRANGE, as SYS op1 0, C8, C2, 2): ASID, TG, SCALE 0,
 * NUM, BaseADDR in granules. The range is (NUM + 1) * 2 granules. */
static void tlbi_rvae1is(uint64_t va, unsigned num)
{
    unsigned bits = __builtin_ctzl(granule);
    uint64_t tg = bits == 12 ? 1 : bits == 14 ? 2 : 3;
    uint64_t arg = 1ul << 48 | tg << 46 | (uint64_t)num << 39 | ((va >> bits) & ((1ul << 37) - 1));
    asm volatile("dsb ishst\n\tsys #0, c8, c2, #1, %0\n\tdsb ish\n\tisb" ::"r"(arg) : "memory");
}

/* A range TLBI removes the pages of its range and no others. */
static void range_probes(uint64_t *rw, uint64_t rw_old)
{
    expect_value("range: fill", ldr(slot_va(SLOT_RW)), 0x1716151413121110ul);
    *rw = (rw_old & ~0xfffffffff000ul) | (uint64_t)page_b;
    asm volatile("dsb ish" ::: "memory");
    tlbi_rvae1is(slot_va(SLOT_RO), 0); /* SLOT_RO and the granule after it */
    expect_value("range: outside kept", ldr(slot_va(SLOT_RW)), 0x1716151413121110ul);
    tlbi_rvae1is(slot_va(SLOT_RW) - granule, 0); /* the granule before SLOT_RW, and SLOT_RW */
    expect_value("range: inside removed", ldr(slot_va(SLOT_RW)), 0x8786858483828180ul);
    *rw = rw_old;
    tlbi_all();
}

/* Nestor's TLB keeps what no TLBI removed (a TLB may, the Arm ARM does not
 * require it; QEMU flushes on every ASID switch): switching ASIDs flushes
 * nothing, and TLBI by ASID or by VA and ASID removes only its own ASID's
 * entries, plus global ones for TLBI by VA (DDI 0487 D8.13.2). */
static void tlb_precision_probes(void)
{
    uint64_t b = (uint64_t)page_b;
    unsigned level;
    uint64_t *rw = pt_leaf(&lo, slot_va(SLOT_RW), &level), rw_old = *rw; /* non-global */
    uint64_t *ro = pt_leaf(&lo, slot_va(SLOT_RO), &level), ro_old = *ro; /* global, maps b */
    uint64_t page = (slot_va(SLOT_RW) >> 12) & 0xfffffffffful, ro_page = (slot_va(SLOT_RO) >> 12) & 0xfffffffffful;
    set_asid(1);
    tlbi_all();
    expect_value("keep: ASID 1 fill", ldr(slot_va(SLOT_RW)), 0x1716151413121110ul);
    expect_value("keep: global fill", ldr(slot_va(SLOT_RO)), 0x8786858483828180ul);
    *rw = (rw_old & ~0xfffffffff000ul) | b;              /* no TLBI yet */
    *ro = (ro_old & ~0xfffffffff000ul) | (uint64_t)page_a;
    asm volatile("dsb ish" ::: "memory");
    set_asid(2);
    expect_value("keep: ASID 2 walks", ldr(slot_va(SLOT_RW)), 0x8786858483828180ul);
    set_asid(1);
    expect_value("keep: ASID 1 entry survives a switch", ldr(slot_va(SLOT_RW)), 0x1716151413121110ul);
    tlbi_el1("vae1is", page | 2ul << 48);
    expect_value("keep: TLBI VAE1 ASID 2 spares ASID 1", ldr(slot_va(SLOT_RW)), 0x1716151413121110ul);
    tlbi_el1("aside1is", 2ul << 48);
    expect_value("keep: TLBI ASIDE1 2 spares ASID 1", ldr(slot_va(SLOT_RW)), 0x1716151413121110ul);
    expect_value("keep: global entry", ldr(slot_va(SLOT_RO)), 0x8786858483828180ul);
    tlbi_el1("vae1is", ro_page | 2ul << 48);
    expect_value("TLBI VAE1 ASID 2 removes a global entry", ldr(slot_va(SLOT_RO)), 0x1716151413121110ul);
    tlbi_el1("vae1is", page | 1ul << 48);
    expect_value("TLBI VAE1 ASID 1 removes ASID 1's entry", ldr(slot_va(SLOT_RW)), 0x8786858483828180ul);
    *rw = rw_old;
    *ro = ro_old;
    tlbi_all();
    if (((read_sysreg(id_aa64isar0_el1) >> 56) & 0xf) >= 2)
        range_probes(rw, rw_old);
}
#endif

/* ASIDs (EL1&0): a non-global entry of one ASID does not serve another. */
static void asid_probes(void)
{
    uint64_t b = (uint64_t)page_b;
    unsigned level;
    uint64_t *d = pt_leaf(&lo, slot_va(SLOT_RW), &level);
    uint64_t old = *d;
    expect_value("ASID 1 read", ldr(slot_va(SLOT_RW)), 0x1716151413121110ul);
    *d = (old & ~0xfffffffff000ul) | b;
    asm volatile("dsb ish" ::: "memory");
    write_sysreg(ttbr0_el1, (uint64_t)lo.root | 2ul << 48);
    isb();
    expect_value("ASID 2 read (new walk)", ldr(slot_va(SLOT_RW)), 0x8786858483828180ul);
    write_sysreg(ttbr0_el1, (uint64_t)lo.root | 1ul << 48);
    isb();
    asm volatile("tlbi aside1, %0\n\tdsb ish\n\tisb" ::"r"(1ul << 48) : "memory");
    expect_value("ASID 1 after TLBI ASIDE1", ldr(slot_va(SLOT_RW)), 0x8786858483828180ul);
    *d = old;
    tlbi_all();
#ifdef BEYOND_QEMU
    tlb_precision_probes();
#endif
}

/* PAN (FEAT_PAN): privileged data accesses to EL0-accessible pages fault,
 * except LDTR and AT S1E1R. Identity data is privileged-only here. */
static void pan_probes(void)
{
    asm volatile(".arch_extension pan\n\tmsr pan, #1" ::: "memory");
    expect_value("PAN: privileged page", ldr(slot_va(SLOT_RW)), 0x1716151413121110ul);
    ldr(slot_va(SLOT_USER));
    expect_fault("PAN: EL0 page", dabt_same(), 0x0f, slot_va(SLOT_USER));
    expect_value("PAN: LDTR EL0 page", ldtr(slot_va(SLOT_USER)), 0x1716151413121110ul);
    expect_par_ok("PAN: AT S1E1R EL0 page", at(0, slot_va(SLOT_USER)), (uint64_t)page_a, 0xff);
    asm volatile(".arch_extension pan\n\tmsr pan, #0" ::: "memory");
    expect_value("no PAN: EL0 page", ldr(slot_va(SLOT_USER)), 0x1716151413121110ul);
    ldtr(slot_va(SLOT_RW));
    expect_fault("LDTR privileged page", dabt_same(), 0x0f, slot_va(SLOT_RW));
    expect_par_fault("AT S1E0R privileged page", at(2, slot_va(SLOT_RW)), 0x0f);
}

/* UAO (FEAT_UAO): LDTR/STTR at EL1 behave as ordinary accesses. */
static void uao_probes(void)
{
    asm volatile(".inst 0xd500417f" ::: "memory"); /* msr uao, #1 */
    expect_value("UAO: LDTR privileged page", ldtr(slot_va(SLOT_RW)), 0x1716151413121110ul);
    asm volatile(".inst 0xd500407f" ::: "memory"); /* msr uao, #0 */
}

#define HCR_TGE (1ul << 27)

/* EL2&0: LDTR at EL2 is unprivileged only with HCR_EL2.TGE = 1. */
static void el20_ldtr_probes(void)
{
    expect_value("E2H, TGE=0: LDTR", ldtr(slot_va(SLOT_RW)), 0x1716151413121110ul);
    write_sysreg(hcr_el2, read_sysreg(hcr_el2) | HCR_TGE);
    isb();
    expect_value("E2H, TGE=1: LDTR EL0 page", ldtr(slot_va(SLOT_USER)), 0x1716151413121110ul);
    ldtr(slot_va(SLOT_RW));
    expect_fault("E2H, TGE=1: LDTR priv page", EC_DABT_CUR, 0x0f, slot_va(SLOT_RW));
    write_sysreg(hcr_el2, read_sysreg(hcr_el2) & ~HCR_TGE);
    isb();
}

/* Runs at EL0 (EL1&0 regime, exceptions to EL1). */
static uint64_t el0_probes(uint64_t unused)
{
    (void)unused;
    expect_value("EL0: EL0 page", ldr(slot_va(SLOT_USER)), 0x1716151413121110ul);
    ldr(slot_va(SLOT_RW));
    expect_fault("EL0: privileged page", EC_DABT_LOWER, 0x0f, slot_va(SLOT_RW));
    str(slot_va(SLOT_RO), 0);
    expect_fault("EL0: write read-only", EC_DABT_LOWER, 0x0f, slot_va(SLOT_RO));
    ldr(slot_va(SLOT_INVALID));
    expect_fault("EL0: invalid", EC_DABT_LOWER, 0x07, slot_va(SLOT_INVALID));
    expect_value("EL0: execute (AP no access)", call(slot_va(SLOT_CODE)), 42);
    expect_value("EL0: execute PXN page", call(slot_va(SLOT_PXN)), 42);
    call(slot_va(SLOT_UXN));
    expect_fault("EL0: execute UXN page", EC_IABT_LOWER, 0x0f, slot_va(SLOT_UXN));
    return 0;
}

/* ---- stage 2 (entered at EL2): EL1&0 accesses with HCR_EL2.VM = 1 ---- */

#define S2_NORMAL  (0xful << 2 | PTE_SH_INNER | PTE_AF) /* MemAttr Normal Write-Back */
#define S2_DEVICE  (0ul << 2 | PTE_AF)                   /* MemAttr Device-nGnRnE */
#define S2AP_RO    (1ul << 6)
#define S2AP_RW    (3ul << 6)
#define S2_RO_IPA  0x80000000ul /* IPA of page B, read-only at stage 2 */
#define S2_HOLE_IPA 0x80001000ul /* IPA with no stage 2 mapping */
#define HCR_VM     (1ul << 0)

static struct pt s2;
static uint64_t s1_table_pa; /* PA of the stage 1 level 3 table of TEST_VA, unmapped at stage 2 */

static void expect_s2_fault(const char *name, unsigned fsc, uint64_t far, uint64_t ipa, bool s1ptw)
{
    expect_fault(name, EC_DABT_LOWER, fsc, far);
    printf("  %-28s HPFAR %lx\n", "", last_hpfar);
    CHECK_EQ(name, rt_last_exc.el, 2);
    /* HPFAR_EL2 is UNKNOWN for a stage 2 Permission fault that is not on a
     * stage 1 walk (DDI 0487 J1, IPAValid()); QEMU and Nestor both write it. */
    if ((rt_last_exc.esr & 0x3c) != 0x0c || s1ptw)
        CHECK_EQ(name, last_hpfar, ipa >> 12 << 4);
    CHECK_EQ(name, (rt_last_exc.esr >> 7) & 1, s1ptw);
    /* ISV: the syndrome is valid for a stage 2 fault on a single-register
     * access, not on a stage 1 walk (DDI 0487 D24, ESR_EL2 ISS.ISV). */
    CHECK_EQ(name, (rt_last_exc.esr >> 24) & 1, !s1ptw);
}

/* At EL1 with stage 1 off: VA = IPA. */
static uint64_t s2_el1_flat(uint64_t unused)
{
    (void)unused;
    set_exception_handler(mmu_handler);
    expect_value("S2 read-only read", ldr(S2_RO_IPA + 8), 0x8f8e8d8c8b8a8988ul);
    str(S2_RO_IPA + 16, 0);
    expect_s2_fault("S2 write read-only", 0x0f, S2_RO_IPA + 16, S2_RO_IPA, false);
    CHECK_EQ("S2 write read-only WnR", (rt_last_exc.esr >> 6) & 1, 1);
    ldr(S2_HOLE_IPA + 24);
    expect_s2_fault("S2 unmapped", 0x07, S2_HOLE_IPA + 24, S2_HOLE_IPA, false);
    return 0;
}

/* At EL1 with stage 1 on: its level 3 table for TEST_VA has no stage 2 mapping. */
static uint64_t s2_el1_walk(uint64_t unused)
{
    (void)unused;
    set_exception_handler(mmu_handler);
    cur_regime = R_EL10;
    mmu_on(1);
    expect_value("S1+S2 identity read", ldr((uint64_t)page_a), 0x1716151413121110ul);
    ldr(slot_va(SLOT_RW));
    expect_s2_fault("S2 fault on S1 walk", 0x07, slot_va(SLOT_RW), s1_table_pa, true);
    /* AT S1E1R from EL1: a stage 2 fault on the walk is taken to EL2. */
    clear_last_exc();
    at(0, slot_va(SLOT_RW));
    expect_s2_fault("AT S1E1R, S2 fault on walk", 0x07, slot_va(SLOT_RW), s1_table_pa, true);
    CHECK_EQ("AT S1E1R, S2 fault on walk: CM", (rt_last_exc.esr >> 8) & 1, 1);
    mmu_off();
    return 0;
}

static uint64_t at_s12e1(bool write, uint64_t va)
{
    if (write)
        asm volatile("at s12e1w, %0" ::"r"(va));
    else
        asm volatile("at s12e1r, %0" ::"r"(va));
    isb();
    return read_sysreg(par_el1);
}

#ifdef BEYOND_QEMU
static uint64_t el1_ldr(uint64_t va) { return ldr(va); }

static void set_vmid(uint64_t vmid)
{
    write_sysreg(vttbr_el2, (uint64_t)s2.root | vmid << 48);
    isb();
}

static void tlbi_s2(bool by_ipa, uint64_t ipa)
{
    asm volatile("dsb ishst" ::: "memory");
    if (by_ipa)
        asm volatile("tlbi ipas2e1is, %0" ::"r"(ipa >> 12) : "memory");
    else
        asm volatile("tlbi vmalls12e1is" ::: "memory");
    asm volatile("dsb ish\n\tisb" ::: "memory");
}

/* VMIDs, as ASIDs in tlb_precision_probes: a VMID switch flushes nothing and
 * TLBI under another VMID, or by another IPA, keeps an entry (Nestor only:
 * QEMU flushes on VTTBR writes). EL1 runs with stage 1 off (VA = IPA). */
static void vmid_probes(void)
{
    unsigned level;
    uint64_t *d = pt_leaf(&s2, S2_RO_IPA, &level), old = *d;
    uint64_t b_val = 0x8f8e8d8c8b8a8988ul, a_val = 0x1f1e1d1c1b1a1918ul;
    set_vmid(1);
    tlbi_s2(false, 0);
    expect_value("VMID 1 fill", run_at_el1(el1_ldr, S2_RO_IPA + 8), b_val);
    *d = (old & ~0xfffffffff000ul) | (uint64_t)page_a; /* no TLBI yet */
    asm volatile("dsb ish" ::: "memory");
    set_vmid(2);
    expect_value("VMID 2 walks", run_at_el1(el1_ldr, S2_RO_IPA + 8), a_val);
    tlbi_s2(true, S2_RO_IPA);
    tlbi_s2(false, 0);
    set_vmid(1);
    expect_value("keep: VMID 1 across TLBIs of VMID 2", run_at_el1(el1_ldr, S2_RO_IPA + 8), b_val);
    tlbi_s2(true, S2_HOLE_IPA);
    expect_value("keep: TLBI IPAS2E1 of another IPA", run_at_el1(el1_ldr, S2_RO_IPA + 8), b_val);
    tlbi_s2(true, S2_RO_IPA);
    expect_value("TLBI IPAS2E1 of the IPA", run_at_el1(el1_ldr, S2_RO_IPA + 8), a_val);
    *d = old;
    tlbi_s2(false, 0);
    expect_value("VMID 1 restored", run_at_el1(el1_ldr, S2_RO_IPA + 8), b_val);
}
#endif

static void stage2_tests(void)
{
    uint64_t ram_end = RAM_BASE + RAM_MAP, b = (uint64_t)page_b;
    printf("stage 2 (EL1&0), 4 KiB granules\n");
    cur_regime = R_EL10;
    build_tables(12, false);
    unsigned level;
    s1_table_pa = (uint64_t)pt_leaf(&lo, TEST_VA, &level) & ~0xffful;
    pt_init(&s2, 12, VA_BITS);
    pt_map(&s2, 0, 0, RAM_BASE, S2_DEVICE | S2AP_RW);
    pt_map(&s2, RAM_BASE, RAM_BASE, s1_table_pa - RAM_BASE, S2_NORMAL | S2AP_RW);
    pt_map(&s2, s1_table_pa + 0x1000, s1_table_pa + 0x1000, ram_end - s1_table_pa - 0x1000, S2_NORMAL | S2AP_RW);
    pt_map(&s2, S2_RO_IPA, b, 0x1000, S2_NORMAL | S2AP_RO);
    for (unsigned i = 0; i < 16; i++)
        page_a[i] = (uint8_t)(0x10 + i), page_b[i] = (uint8_t)(0x80 + i);
    /* 4K granule, 39-bit IPA: start at level 1 (SL0 = 1), 40-bit PA, RES1 bit 31. */
    write_sysreg(vtcr_el2, 1ul << 31 | TSZ | 1ul << 6 | 1ul << 8 | 1ul << 10 | 3ul << 12 | 2ul << 16);
    write_sysreg(vttbr_el2, (uint64_t)s2.root | 1ul << 48);
    write_sysreg(hcr_el2, read_sysreg(hcr_el2) | HCR_VM);
    isb();
    asm volatile("tlbi vmalls12e1\n\tdsb ish\n\tisb" ::: "memory");

    /* Stage 1 is off: Device-nGnRnE, which stage 2 combining keeps. */
    expect_par_ok("AT S12E1R", at_s12e1(false, S2_RO_IPA + 0x10), b, 0x00);
    expect_par_fault("AT S12E1W read-only", at_s12e1(true, S2_RO_IPA), 0x0f);
    CHECK_EQ("AT S12E1W read-only S", (read_sysreg(par_el1) >> 9) & 1, 1);
    expect_par_fault("AT S12E1R unmapped", at_s12e1(false, S2_HOLE_IPA), 0x07);

    run_at_el1(s2_el1_flat, 0);
    run_at_el1(s2_el1_walk, 0);
#ifdef BEYOND_QEMU
    vmid_probes();
#endif

    write_sysreg(hcr_el2, read_sysreg(hcr_el2) & ~HCR_VM);
    isb();
    asm volatile("tlbi alle1\n\tdsb ish\n\tisb" ::: "memory");
}

static bool has_feature(unsigned shift, unsigned min)
{
    return ((read_sysreg(id_aa64mmfr1_el1) >> shift) & 0xf) >= min;
}

static bool has_granule(unsigned bits)
{
    uint64_t mmfr0 = read_sysreg(id_aa64mmfr0_el1);
    switch (bits) {
    case 12: return ((mmfr0 >> 28) & 0xf) != 0xf;
    case 14: return ((mmfr0 >> 20) & 0xf) != 0;
    default: return ((mmfr0 >> 24) & 0xf) != 0xf;
    }
}

static void run_regime(enum regime r, unsigned granule_bits)
{
    cur_regime = r;
    printf("%s at EL%u, %lu KiB granule\n", regime_names[r], current_el(), (1ul << granule_bits) / 1024);
    build_tables(granule_bits, false);
    mmu_on(1);
    privileged_probes();
    if (r == R_EL10) {
        asid_probes();
        if (has_feature(20, 1))
            pan_probes();
        if (((read_sysreg(id_aa64mmfr2_el1) >> 4) & 0xf) != 0)
            uao_probes();
    }
    if (r == R_EL20)
        el20_ldtr_probes();
    mmu_off();
    if (r == R_EL10) {
        printf("EL1&0 at EL0, %lu KiB granule\n", (1ul << granule_bits) / 1024);
        build_tables(granule_bits, true);
        mmu_on(1);
        run_at_el0(el0_probes, 0);
        mmu_off();
    }
}

static uint64_t el1_tests(uint64_t unused)
{
    (void)unused;
    set_exception_handler(mmu_handler);
    for (unsigned g = 12; g <= 16; g += 2)
        if (has_granule(g))
            run_regime(R_EL10, g);
    return 0;
}

int main(void)
{
    set_exception_handler(mmu_handler);
    if (rt_start_el == 2) {
        for (unsigned g = 12; g <= 16; g += 2)
            if (has_granule(g))
                run_regime(R_EL2, g);
        if (has_feature(8, 1)) /* FEAT_VHE */
            for (unsigned g = 12; g <= 16; g += 2)
                if (has_granule(g))
                    run_regime(R_EL20, g);
        run_at_el1(el1_tests, 0);
        set_exception_handler(mmu_handler);
        stage2_tests();
    } else {
        el1_tests(0);
    }
    return 0;
}
