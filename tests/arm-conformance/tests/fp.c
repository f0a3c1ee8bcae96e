/*
 * Floating point: the FP/AdvSIMD access trap and SIMD&FP loads and stores.
 *
 * Traps: an FP instruction (FMOV) and an FPCR read at EL2, EL1 and EL0 under
 * CPACR_EL1.FPEN = 00/01/11 and CPTR_EL2.TFP = 0/1 (E2H = 0) must take EC
 * 0x07 (ISS CV = 1, COND = 0b1110) to the EL AArch64.CheckFPEnabled names,
 * with ELR at the instruction, or run. Each probe prints the syndrome.
 *
 * Loads and stores: B/H/S/D/Q in every addressing mode (unsigned offset,
 * unscaled, pre/post-index, register offset with LSL/UXTW/SXTW/SXTX,
 * literal) and pairs (LDP/STP/LDNP/STNP of S/D/Q; offset, pre, post): the
 * loaded registers (a scalar load zeroes the rest of V), the written-back
 * bases and the buffer are printed and self-checked.
 *
 * Runs with FP disabled by default at EL1 (CPACR_EL1 resets to 0 in QEMU;
 * the runtime never sets it), so the runtime itself stays FP-free.
 */
#include "testlib.h"

#define CPTR_TFP (1ul << 10)

static bool skip_handler(struct exc_frame *f)
{
    f->elr += 4;
    return true;
}

/* ---- traps ---- */

static void report_probe(const char *name, uint64_t at)
{
    const volatile struct exc_record *e = &rt_last_exc;
    if (e->count == 0) {
        printf("    %-6s runs\n", name);
        return;
    }
    printf("    %-6s EL%lu vec %03lx esr %08lx elr %+ld\n", name, e->el, e->vector, e->esr,
           (int64_t)(e->elr - at));
}

/* Runs one FP data-processing instruction and one FPCR read at the current EL. */
static uint64_t probe(uint64_t unused)
{
    (void)unused;
    uint64_t at, v = 0;
    clear_last_exc();
    asm volatile("adr %[at], 1f\n1:\tfmov d0, %[v]" : [at] "=&r"(at) : [v] "r"(v) : "v0", "memory");
    report_probe("fmov", at);
    clear_last_exc();
    asm volatile("adr %[at], 1f\n1:\tmrs %[v], fpcr" : [at] "=&r"(at), [v] "+r"(v) : : "memory");
    report_probe("fpcr", at);
    return 0;
}

static void probe_at(unsigned el)
{
    printf("  at EL%u:\n", el);
    if (el == rt_current_el())
        probe(0);
    else if (el == 1)
        run_at_el1(probe, 0);
    else
        run_at_el0(probe, 0);
}

static void trap_tests(void)
{
    unsigned top = (unsigned)rt_start_el;
    for (unsigned fpen = 0; fpen < 4; fpen++) {
        write_sysreg(cpacr_el1, CPACR_FPEN(fpen));
        asm volatile("isb");
        printf("CPACR_EL1.FPEN=%u%s\n", fpen, top == 2 ? " CPTR_EL2.TFP=0" : "");
        for (int el = (int)top; el >= 0; el--)
            probe_at((unsigned)el);
    }
    if (top == 2) {
        for (unsigned fpen = 0; fpen < 4; fpen += 3) {
            write_sysreg(cpacr_el1, CPACR_FPEN(fpen));
            write_sysreg(cptr_el2, CPTR_EL2_RES1 | CPTR_TFP);
            asm volatile("isb");
            printf("CPACR_EL1.FPEN=%u CPTR_EL2.TFP=1\n", fpen);
            for (int el = 2; el >= 0; el--)
                probe_at((unsigned)el);
        }
        write_sysreg(cptr_el2, CPTR_EL2_RES1);
    }
    /* Self-checks of the rules, from EL1 with FPEN = 01 (EL0 traps only). */
    write_sysreg(cpacr_el1, CPACR_FPEN(1));
    asm volatile("isb");
    run_at_el0(probe, 0);
    CHECK_EQ("EL0 trap with FPEN=01: EC", ESR_EC(rt_last_exc.esr), EC_FP_ACCESS);
    CHECK_EQ("EL0 trap with FPEN=01: ISS", rt_last_exc.esr & 0x1ffffff, 0x1e00000);
    CHECK_EQ("EL0 trap with FPEN=01: to EL1", rt_last_exc.el, 1);
}

/* ---- loads and stores ---- */

static uint8_t buf[512] __attribute__((aligned(16)));
static const uint64_t lit_q[2] __attribute__((aligned(16))) = {0x0011223344556677, 0x8899aabbccddeeff};
static const uint64_t lit_d __attribute__((aligned(8))) = 0xfedcba9876543210;
static const uint32_t lit_s __attribute__((aligned(4))) = 0x13579bdf;

static void fill_buf(void)
{
    for (unsigned i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)(i * 37 + 11);
}

static uint64_t buf_checksum(void)
{
    uint64_t h = 0xcbf29ce484222325ul;
    for (unsigned i = 0; i < sizeof buf; i++)
        h = (h ^ buf[i]) * 0x100000001b3ul;
    return h;
}

/* Fills V0-V3 with ones: loads must zero what they do not write. Only
 * scalar FP instructions (FMOV to/from V.D[1]): AdvSIMD is not there yet. */
#define SET_ONES()                                                                             \
    asm volatile("mov x9, #-1\n\tfmov d0, x9\n\tfmov v0.d[1], x9\n\tfmov d1, x9\n\tfmov v1.d[1], x9\n\t" \
                 "fmov d2, x9\n\tfmov v2.d[1], x9\n\tfmov d3, x9\n\tfmov v3.d[1], x9"                \
                 ::: "x9", "v0", "v1", "v2", "v3")
#define READ_V(n, lo, hi) asm volatile("fmov %x0, d" #n "\n\tfmov %x1, v" #n ".d[1]" : "=r"(lo), "=r"(hi))

static void show_v(const char *what, unsigned n, uint64_t lo, uint64_t hi, uint64_t want_lo, uint64_t want_hi)
{
    printf("  %-28s v%u=%016lx%016lx\n", what, n, hi, lo);
    CHECK_EQ(what, lo, want_lo);
    CHECK_EQ(what, hi, want_hi);
}

static uint64_t buf64(unsigned off)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; i++)
        v |= (uint64_t)buf[off + i] << (8 * i);
    return v;
}
static uint64_t bufn(unsigned off, unsigned bytes) { return bytes == 8 ? buf64(off) : buf64(off) & ((1ul << (8 * bytes)) - 1); }

/* One single-register load: asm text with %[b] = base (+%[i] index), the
 * expected bytes at buf + off. */
#define LOAD1(text, bytes, off, ...)                                                 \
    do {                                                                             \
        uint64_t lo, hi, b = (uint64_t)buf;                                          \
        SET_ONES();                                                                  \
        asm volatile(text : [b] "+r"(b) : __VA_ARGS__ : "v0", "memory");             \
        READ_V(0, lo, hi);                                                           \
        show_v(text, 0, lo, hi, (bytes) == 16 ? buf64(off) : bufn(off, bytes),       \
               (bytes) == 16 ? buf64((off) + 8) : 0);                                \
        printf("  %-28s base %+ld\n", "", (int64_t)(b - (uint64_t)buf));            \
    } while (0)

static void load_tests(void)
{
    fill_buf();
    uint64_t i;
    LOAD1("ldr b0, [%[b], #7]", 1, 7, "i"(0));
    LOAD1("ldr h0, [%[b], #14]", 2, 14, "i"(0));
    LOAD1("ldr s0, [%[b], #20]", 4, 20, "i"(0));
    LOAD1("ldr d0, [%[b], #40]", 8, 40, "i"(0));
    LOAD1("ldr q0, [%[b], #64]", 16, 64, "i"(0));
    LOAD1("ldur s0, [%[b], #36]", 4, 36, "i"(0));
    LOAD1("ldur q0, [%[b], #96]", 16, 96, "i"(0));
    LOAD1("ldr d0, [%[b], #16]!", 8, 16, "i"(0));
    LOAD1("ldr q0, [%[b]], #48", 16, 0, "i"(0));
    LOAD1("ldr h0, [%[b], #-0]!", 2, 0, "i"(0));
    i = 5;
    LOAD1("ldr d0, [%[b], %[i], lsl #3]", 8, 40, [i] "r"(i));
    LOAD1("ldr q0, [%[b], %[i], lsl #4]", 16, 80, [i] "r"(i));
    LOAD1("ldr b0, [%[b], %[i]]", 1, 5, [i] "r"(i));
    i = 3;
    LOAD1("ldr s0, [%[b], %w[i], uxtw #2]", 4, 12, [i] "r"(i));
    i = 0xffffffff00000008ul; /* UXTW drops the top */
    LOAD1("ldr h0, [%[b], %w[i], uxtw]", 2, 8, [i] "r"(i));
    {
        uint64_t lo, hi, b = (uint64_t)buf + 256, idx = (uint64_t)-4;
        SET_ONES();
        asm volatile("ldr d0, [%[b], %w[i], sxtw #3]\n\tldr q1, [%[b], %[i], sxtx #4]"
                     : : [b] "r"(b), [i] "r"(idx) : "v0", "v1", "memory");
        READ_V(0, lo, hi);
        show_v("ldr d0, [b+256, w(-4), sxtw #3]", 0, lo, hi, buf64(224), 0);
        READ_V(1, lo, hi);
        show_v("ldr q1, [b+256, x(-4), sxtx #4]", 1, lo, hi, buf64(192), buf64(200));
    }
    {
        uint64_t lo, hi;
        SET_ONES();
        asm volatile("ldr s0, %[s]\n\tldr d1, %[d]\n\tldr q2, %[q]"
                     : : [s] "m"(lit_s), [d] "m"(lit_d), [q] "m"(lit_q) : "v0", "v1", "v2");
        READ_V(0, lo, hi);
        printf("  literal (compiler chose the form) v0=%016lx%016lx\n", hi, lo);
        CHECK_EQ("ldr s literal", lo, lit_s);
        READ_V(1, lo, hi);
        CHECK_EQ("ldr d literal", lo, lit_d);
        READ_V(2, lo, hi);
        CHECK_EQ("ldr q literal lo", lo, lit_q[0]);
        CHECK_EQ("ldr q literal hi", hi, lit_q[1]);
    }
}

/* LDR (literal) proper: the label sits in this function's text. */
static void literal_tests(void)
{
    uint64_t s_lo, d_lo, q_lo, q_hi, dummy;
    SET_ONES();
    asm volatile("ldr s0, 1f\n\tldr d1, 2f\n\tldr q2, 3f\n\tb 4f\n"
                 "\t.balign 16\n3:\t.quad 0x0123456789abcdef, 0x1122334455667788\n"
                 "2:\t.quad 0xa5a5a5a55a5a5a5a\n1:\t.word 0xdeadbeef\n4:\n"
                 "\tfmov %x0, d0\n\tfmov %x1, d1\n\tfmov %x2, d2\n\tfmov %x3, v2.d[1]\n\tfmov %x4, v0.d[1]"
                 : "=r"(s_lo), "=r"(d_lo), "=r"(q_lo), "=r"(q_hi), "=r"(dummy) : : "v0", "v1", "v2");
    printf("  ldr literal s=%016lx d=%016lx q=%016lx%016lx\n", s_lo, d_lo, q_hi, q_lo);
    CHECK_EQ("ldr s0, literal", s_lo, 0xdeadbeef);
    CHECK_EQ("ldr s0, literal: upper zero", dummy, 0);
    CHECK_EQ("ldr d1, literal", d_lo, 0xa5a5a5a55a5a5a5a);
    CHECK_EQ("ldr q2, literal", q_lo ^ q_hi, 0x0123456789abcdef ^ 0x1122334455667788);
}

/* Stores and pairs: registers from known patterns, then the buffer checksum. */
static void store_and_pair_tests(void)
{
    fill_buf();
    uint64_t b = (uint64_t)buf + 128, i = 6;
    asm volatile("mov x9, #0x1111\n\tmovk x9, #0x2222, lsl #16\n\tmovk x9, #0x3333, lsl #32\n\tmovk x9, #0x4444, lsl #48\n"
                 "\tfmov d0, x9\n\tfmov v0.d[1], x9\n\teor x9, x9, x9, lsl #7\n"
                 "\tfmov d1, x9\n\tfmov v1.d[1], x9\n\teor x9, x9, x9, lsr #5\n"
                 "\tfmov d2, x9\n\tfmov v2.d[1], x9\n"
                 "\tstr b0, [%[b], #1]\n\tstr h1, [%[b], #2]\n\tstr s2, [%[b], #4]\n\tstr d0, [%[b], #8]\n"
                 "\tstr q1, [%[b], #16]\n\tstur d2, [%[b], #-8]\n\tstur q0, [%[b], #-32]\n"
                 "\tstr q2, [%[b], #32]!\n\tstr s0, [%[b]], #16\n\tstr d1, [%[b], %[i], lsl #3]\n"
                 "\tstp s0, s1, [%[b], #64]\n\tstp d1, d2, [%[b], #-16]!\n\tstp q0, q2, [%[b]], #96\n"
                 "\tstnp d2, d0, [%[b], #8]\n\tstnp q1, q0, [%[b], #-64]\n\tstnp s1, s2, [%[b], #-72]"
                 : [b] "+r"(b) : [i] "r"(i) : "x9", "v0", "v1", "v2", "memory");
    printf("  stores: base %+ld checksum %016lx\n", (int64_t)(b - (uint64_t)buf), buf_checksum());
    CHECK_EQ("stores: final base", b - (uint64_t)buf, 128 + 32 + 16 - 16 + 96);
    uint64_t lo, hi;
    SET_ONES();
    b = (uint64_t)buf;
    asm volatile("ldp s0, s1, [%[b], #8]\n\tldp d2, d3, [%[b], #16]!" : [b] "+r"(b) : : "v0", "v1", "v2", "v3", "memory");
    READ_V(0, lo, hi);
    show_v("ldp s0, s1, [b, #8] (s0)", 0, lo, hi, bufn(8, 4), 0);
    READ_V(1, lo, hi);
    show_v("ldp s0, s1, [b, #8] (s1)", 1, lo, hi, bufn(12, 4), 0);
    READ_V(3, lo, hi);
    show_v("ldp d2, d3, [b, #16]! (d3)", 3, lo, hi, buf64(24), 0);
    CHECK_EQ("ldp pre-index base", b - (uint64_t)buf, 16);
    SET_ONES();
    asm volatile("ldp q0, q1, [%[b]], #-16\n\tldnp q2, q3, [%[b], #32]" : [b] "+r"(b) : : "v0", "v1", "v2", "v3", "memory");
    READ_V(1, lo, hi);
    show_v("ldp q0, q1, [b], #-16 (q1)", 1, lo, hi, buf64(32), buf64(40));
    READ_V(2, lo, hi);
    show_v("ldnp q2, q3, [b, #32] (q2)", 2, lo, hi, buf64(32), buf64(40));
    READ_V(3, lo, hi);
    show_v("ldnp q2, q3, [b, #32] (q3)", 3, lo, hi, buf64(48), buf64(56));
    CHECK_EQ("ldp post-index base", b - (uint64_t)buf, 0);
}

int main(void)
{
    set_exception_handler(skip_handler);
    trap_tests();
    set_exception_handler(NULL);
    write_sysreg(cpacr_el1, CPACR_FPEN(3));
    asm volatile("isb");
    printf("loads\n");
    load_tests();
    literal_tests();
    printf("stores and pairs\n");
    store_and_pair_tests();
    write_sysreg(cpacr_el1, CPACR_FPEN(0));
    return 0;
}
