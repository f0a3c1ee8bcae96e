/*
 * AdvSIMD integer: structure loads and stores to one lane and with
 * replication, TBL/TBX with out-of-range indices, UNDEFINED reserved
 * size/Q combinations and features the CPU (cortex-a72) lacks, and the FP
 * access trap of AdvSIMD instructions.
 * Each result is printed (diffed with QEMU) and self-checked against the
 * Arm ARM pseudocode (DDI 0487 C7.2).
 */
#include "testlib.h"

static bool skip_handler(struct exc_frame *f)
{
    f->elr += 4;
    return true;
}

static uint8_t src[128] __attribute__((aligned(16)));
static uint8_t dst[128] __attribute__((aligned(16)));

static void fill(void)
{
    for (unsigned i = 0; i < sizeof src; i++) {
        src[i] = (uint8_t)(i * 29 + 3);
        dst[i] = 0;
    }
}

static uint64_t src64(unsigned off)
{
    uint64_t v = 0;
    for (unsigned k = 0; k < 8; k++)
        v |= (uint64_t)src[off + k] << (8 * k);
    return v;
}

#define READ_Q(n, out) asm volatile("st1 {v" #n ".2d}, [%0]" : : "r"(out) : "memory")
#define ONES(n) asm volatile("movi v" #n ".2d, #0xffffffffffffffff" ::: "v" #n)

static void show(const char *what, const uint64_t v[2], uint64_t want_lo, uint64_t want_hi)
{
    printf("  %-34s %016lx%016lx\n", what, v[1], v[0]);
    CHECK_EQ(what, v[0], want_lo);
    CHECK_EQ(what, v[1], want_hi);
}

/* Replicates the element of size bytes at src[off]. */
static uint64_t rep(unsigned off, unsigned size)
{
    uint64_t e = src64(off) & (size == 8 ? ~0ul : (1ul << (8 * size)) - 1), v = 0;
    for (unsigned k = 0; k < 8; k += size)
        v |= e << (8 * k);
    return v;
}

static void lane_tests(void)
{
    uint64_t v[2], b;
    printf("lanes and replicate\n");
    /* LD1 to lane 5 of 16-bit elements keeps the other lanes. */
    ONES(0);
    asm volatile("ld1 {v0.h}[5], [%0]" : : "r"(src) : "v0", "memory");
    READ_Q(0, v);
    show("ld1 {v0.h}[5]", v, ~0ul, 0xffffffff0000fffful | (uint64_t)(src[0] | src[1] << 8) << 16);
    /* LD3 to lane 1 of 32-bit elements, post-index by the immediate (12). */
    ONES(1);
    ONES(2);
    ONES(3);
    b = (uint64_t)src;
    asm volatile("ld3 {v1.s, v2.s, v3.s}[1], [%0], #12" : "+r"(b) : : "v1", "v2", "v3", "memory");
    READ_Q(2, v);
    show("ld3 {v1.s-v3.s}[1] (v2)", v, 0xfffffffful | (src64(4) << 32), ~0ul);
    CHECK_EQ("ld3 post-index", b - (uint64_t)src, 12);
    /* LD4R of bytes, 64-bit arrangement: the upper halves become zero. */
    asm volatile("ld4r {v4.8b, v5.8b, v6.8b, v7.8b}, [%0]" : : "r"(src + 8) : "v4", "v5", "v6", "v7", "memory");
    READ_Q(7, v);
    show("ld4r {v4.8b-v7.8b} (v7)", v, rep(11, 1), 0);
    /* LD2R of doublewords, post-index by a register. */
    b = (uint64_t)src;
    asm volatile("mov x9, #48\n\tld2r {v8.2d, v9.2d}, [%0], x9" : "+r"(b) : : "x9", "v8", "v9", "memory");
    READ_Q(9, v);
    show("ld2r {v8.2d, v9.2d} (v9)", v, src64(8), src64(8));
    CHECK_EQ("ld2r post-index", b - (uint64_t)src, 48);
    /* ST4 of lane 3 of halfwords: 8 bytes, element order v10..v13. */
    fill();
    asm volatile("ld1 {v10.16b, v11.16b, v12.16b, v13.16b}, [%0]\n\t"
                 "st4 {v10.h, v11.h, v12.h, v13.h}[3], [%1]"
                 : : "r"(src), "r"(dst) : "v10", "v11", "v12", "v13", "memory");
    uint64_t want = 0;
    for (unsigned r = 0; r < 4; r++)
        want |= (uint64_t)(src[16 * r + 6] | src[16 * r + 7] << 8) << (16 * r);
    v[0] = 0, v[1] = 0;
    for (unsigned k = 0; k < 8; k++)
        v[0] |= (uint64_t)dst[k] << (8 * k);
    show("st4 {v10.h-v13.h}[3]", v, want, 0);
    /* LD2 multiple de-interleaves; the register list wraps from V31 to V0. */
    asm volatile("ld2 {v31.4s, v0.4s}, [%0]" : : "r"(src) : "v31", "v0", "memory");
    READ_Q(0, v);
    show("ld2 {v31.4s, v0.4s} (v0)", v, (src64(4) & 0xffffffff) | (src64(12) << 32),
         (src64(20) & 0xffffffff) | (src64(28) << 32));
}

static void tbl_tests(void)
{
    uint64_t v[2];
    static const uint8_t idx[16] __attribute__((aligned(16))) = {0, 15, 16, 31, 32, 47, 48, 63,
                                                                 64, 128, 255, 1, 17, 33, 49, 100};
    printf("tbl/tbx\n");
    fill();
    asm volatile("ld1 {v20.16b, v21.16b, v22.16b}, [%0]\n\tld1 {v23.16b}, [%1]" : : "r"(src), "r"(idx)
                 : "v20", "v21", "v22", "v23", "memory");
    /* Three table registers: indices >= 48 give 0 (TBL) or keep Vd (TBX). */
    ONES(24);
    ONES(25);
    asm volatile("tbl v24.16b, {v20.16b, v21.16b, v22.16b}, v23.16b\n\t"
                 "tbx v25.16b, {v20.16b, v21.16b, v22.16b}, v23.16b" ::: "v24", "v25");
    uint64_t tbl[2] = {0, 0}, tbx[2] = {0, 0};
    for (unsigned k = 0; k < 16; k++) {
        uint64_t t = idx[k] < 48 ? src[idx[k]] : 0, x = idx[k] < 48 ? src[idx[k]] : 0xff;
        tbl[k / 8] |= t << (8 * (k % 8));
        tbx[k / 8] |= x << (8 * (k % 8));
    }
    READ_Q(24, v);
    show("tbl 3 registers", v, tbl[0], tbl[1]);
    READ_Q(25, v);
    show("tbx 3 registers", v, tbx[0], tbx[1]);
    /* The 8-byte form zeroes the upper half, TBX included. */
    ONES(26);
    asm volatile("tbx v26.8b, {v20.16b}, v23.8b" ::: "v26");
    READ_Q(26, v);
    uint64_t lo = 0;
    for (unsigned k = 0; k < 8; k++)
        lo |= (uint64_t)(idx[k] < 16 ? src[idx[k]] : 0xff) << (8 * k);
    show("tbx v26.8b, 1 register", v, lo, 0);
}

/* A structure load that faults midway (the second register starts beyond
 * the end of RAM, an external abort): the elements before the fault are
 * written (the Arm ARM's element order), the rest and the base are not. */
#define RAM_END 0x48000000ul /* QEMU virt: 128 MiB at 1 GiB */

static void fault_tests(void)
{
    uint64_t v[2], b = RAM_END - 16, at;
    printf("fault midway\n");
    ONES(0);
    ONES(1);
    clear_last_exc();
    asm volatile("adr %[at], 1f\n1:\tld1 {v0.16b, v1.16b}, [%[b]], #32" : [at] "=&r"(at), [b] "+r"(b) : : "v0", "v1", "memory");
    printf("  ld1 {v0.16b, v1.16b}: ec %02lx dfsc %02lx far-end %+ld elr %+ld\n", ESR_EC(rt_last_exc.esr),
           rt_last_exc.esr & 0x3f, (int64_t)(rt_last_exc.far - RAM_END), (int64_t)(rt_last_exc.elr - at));
    CHECK_EQ("ld1 fault: base unchanged", b, RAM_END - 16);
    CHECK_EQ("ld1 fault: FAR", rt_last_exc.far, RAM_END);
    READ_Q(1, v);
    show("ld1 fault: v1 untouched", v, ~0ul, ~0ul);
    READ_Q(0, v);
    printf("  v0 %016lx%016lx\n", v[1], v[0]);
    /* ST2 of bytes: pairs go out in order until the first beyond RAM. */
    b = RAM_END - 8;
    clear_last_exc();
    asm volatile("st2 {v2.8b, v3.8b}, [%0]" : : "r"(b) : "memory");
    printf("  st2 {v2.8b, v3.8b}: ec %02lx far-end %+ld\n", ESR_EC(rt_last_exc.esr), (int64_t)(rt_last_exc.far - RAM_END));
    CHECK_EQ("st2 fault: FAR", rt_last_exc.far, RAM_END);
}

/* Reserved encodings: each must be UNDEFINED (EC 0), ELR at the instruction. */
static void undef_tests(void)
{
    static const struct {
        const char *what;
        uint32_t insn;
    } cases[] = {
        {"add v0.1d (size 11, Q 0)", 0x0ee08400},
        {"ld2 {v0.1d, v1.1d}", 0x0c408c00},
        {"ld1r with S = 1", 0x0d40d000},
        {"shrn with immh = 1xxx", 0x0f408400},
        {"sqdmulh v0.16b (size 00)", 0x4e20b400},
        {"dup v0.1d, v0.d[0] (Q 0)", 0x0e080400},
        {"ext v0.8b, imm4 = 8", 0x2e004000},
        {"zip with opcode 000", 0x0e000800},
        {"umov w0, v0.d[0] (Q 0)", 0x0e083c00},
        {"smov x0, v0.d[0]", 0x4e082c00},
        {"ins v0.d[0], x0 (Q 0)", 0x0e081c00},
        /* cortex-a72 has neither FEAT_RDM nor FEAT_DotProd */
        {"sqrdmlah v0.8h (no FEAT_RDM)", 0x6e408400},
        {"sdot v0.4s (no FEAT_DotProd)", 0x4e809400},
    };
    printf("reserved encodings\n");
    static uint32_t code[2] __attribute__((aligned(8)));
    for (unsigned k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        code[0] = cases[k].insn;
        code[1] = 0xd65f03c0; /* ret */
        asm volatile("dc cvau, %0\n\tdsb ish\n\tic ivau, %0\n\tdsb ish\n\tisb" : : "r"(code) : "memory");
        clear_last_exc();
        asm volatile("blr %0" : : "r"(code) : "x30", "v0", "v1", "memory");
        printf("  %-30s ec %02lx elr %+ld\n", cases[k].what, ESR_EC(rt_last_exc.esr),
               (int64_t)(rt_last_exc.elr - (uint64_t)code));
        CHECK_EQ(cases[k].what, rt_last_exc.count, 1);
        CHECK_EQ(cases[k].what, ESR_EC(rt_last_exc.esr), EC_UNKNOWN);
    }
}

/* The FP access trap of AdvSIMD instructions, at EL0 with CPACR_EL1.FPEN = 01. */
static uint64_t trap_probe(uint64_t unused)
{
    (void)unused;
    uint64_t at;
    clear_last_exc();
    asm volatile("adr %0, 1f\n1:\tadd v0.16b, v1.16b, v2.16b" : "=&r"(at) : : "v0");
    printf("  add.16b: EL%lu esr %08lx elr %+ld\n", rt_last_exc.el, rt_last_exc.esr, (int64_t)(rt_last_exc.elr - at));
    CHECK_EQ("add.16b trap EC", ESR_EC(rt_last_exc.esr), EC_FP_ACCESS);
    CHECK_EQ("add.16b trap ISS", rt_last_exc.esr & 0x1ffffff, 0x1e00000);
    clear_last_exc();
    asm volatile("adr %0, 1f\n1:\tld1 {v0.16b}, [%1]" : "=&r"(at) : "r"(src) : "v0", "memory");
    printf("  ld1: EL%lu esr %08lx elr %+ld\n", rt_last_exc.el, rt_last_exc.esr, (int64_t)(rt_last_exc.elr - at));
    CHECK_EQ("ld1 trap EC", ESR_EC(rt_last_exc.esr), EC_FP_ACCESS);
    clear_last_exc();
    asm volatile("adr %0, 1f\n1:\tmovi v3.2d, #0" : "=&r"(at) : : "v3");
    printf("  movi: EL%lu esr %08lx elr %+ld\n", rt_last_exc.el, rt_last_exc.esr, (int64_t)(rt_last_exc.elr - at));
    CHECK_EQ("movi trap EC", ESR_EC(rt_last_exc.esr), EC_FP_ACCESS);
    return 0;
}

int main(void)
{
    set_exception_handler(skip_handler);
    printf("FP access trap\n");
    write_sysreg(cpacr_el1, CPACR_FPEN(1));
    asm volatile("isb");
    run_at_el0(trap_probe, 0);
    write_sysreg(cpacr_el1, CPACR_FPEN(3));
    asm volatile("isb");
    undef_tests();
    fault_tests();
    set_exception_handler(NULL);
    fill();
    lane_tests();
    tbl_tests();
    write_sysreg(cpacr_el1, CPACR_FPEN(0));
    return 0;
}
