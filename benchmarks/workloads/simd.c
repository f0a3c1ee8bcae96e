/*
 * FP and AdvSIMD work, compiled with -O3 so that GCC vectorises it
 * (simd_kernels.c): a single-precision matrix multiply, a double-precision
 * axpy with a dot product, a 16-lane Fletcher-style byte checksum, a 32-bit
 * xorshift mix and a saturating int16 blend. The MMU is turned on first
 * (identity map, RAM Normal write-back, the UART Device), as vector code
 * expects Normal memory. Results are bit-exact: every part's checksum must
 * match QEMU's.
 */
#include "bench.h"
#include "simd_kernels.h"

#define NAME "simd"
#define GEMM_N      BENCH_SIZE(240ul, 24ul)
#define GEMM_REPS   BENCH_SIZE(4u, 1u)
#define AXPY_N      BENCH_SIZE(1ul << 18, 4096ul)
#define AXPY_REPS   BENCH_SIZE(48u, 2u)
#define BYTES       BENCH_SIZE(8 * MiB, 64 * KiB)
#define BYTE_REPS   BENCH_SIZE(12u, 1u)
#define WORDS       BENCH_SIZE(1ul << 18, 4096ul)
#define MIX_ROUNDS  BENCH_SIZE(96u, 2u)
#define HALVES      BENCH_SIZE(1ul << 19, 8192ul)
#define BLEND_REPS  BENCH_SIZE(48u, 2u)

#define TCR_EL2_RES1 0x80800000ul
#define VA_BITS 40

/* EL2 stage 1, identity: RAM Normal WB (executable), the UART Device. */
static void mmu_on(void)
{
    static struct pt pt;
    pt_init(&pt, 12, VA_BITS);
    pt_map(&pt, BENCH_RAM_BASE, BENCH_RAM_BASE, BENCH_RAM_SIZE,
           PTE_ATTR(PT_ATTR_NORMAL) | PTE_SH_INNER | PTE_AF);
    pt_map(&pt, 0x09000000ul, 0x09000000ul, 0x1000, PTE_ATTR(PT_ATTR_DEVICE) | PTE_AF | PTE_UXN);
    write_sysreg(mair_el2, PT_MAIR);
    write_sysreg(tcr_el2, TCR_EL2_RES1 | (64 - VA_BITS) | 1ul << 8 | 1ul << 10 | 3ul << 12 |
                              (uint64_t)pt_tg0(&pt) << 14 | 2ul << 16);
    write_sysreg(ttbr0_el2, (uint64_t)pt.root);
    asm volatile("dsb ish\n\ttlbi alle2\n\tdsb ish\n\tisb" ::: "memory");
    write_sysreg(sctlr_el2, SCTLR_EL2_RES1 | 1ul << 0 | 1ul << 2 | 1ul << 12); /* M, C, I */
    asm volatile("isb" ::: "memory");
}

static uint64_t hash_words(const void *p, size_t bytes)
{
    const uint32_t *w = p;
    uint64_t acc = 0;
    for (size_t i = 0; i < bytes / 4; i++)
        acc = mix64(acc, w[i]);
    return acc;
}

int main(void)
{
    if (rt_start_el != 2) {
        printf("FAIL %s: needs EL2 (-M virt,virtualization=on)\n", NAME);
        return 0;
    }
    mmu_on();
    struct lcg g = {0x51d};
    uint64_t total = 0;

    size_t n = GEMM_N;
    uint32_t *a = bench_alloc(n * n * 4), *b = bench_alloc(n * n * 4), *c = bench_alloc(n * n * 4);
    for (size_t i = 0; i < n * n; i++) {
        a[i] = 0x3f000000u | (lcg_next(&g) & 0x7fffff); /* [0.5, 1) as bits: no FP in this file */
        b[i] = 0x3f000000u | (lcg_next(&g) & 0x7fffff);
    }
    uint64_t h = 0;
    for (unsigned r = 0; r < GEMM_REPS; r++) {
        sgemm(n, a, b, c);
        h = mix64(h, hash_words(c, n * n * 4));
        a[r] ^= 1; /* a little different each time */
    }
    bench_report(NAME, "sgemm", h);
    total = mix64(total, h);

    uint64_t *x = bench_alloc(AXPY_N * 8), *y = bench_alloc(AXPY_N * 8);
    for (size_t i = 0; i < AXPY_N; i++) {
        x[i] = 0x3ff0000000000000ull | ((uint64_t)lcg_next(&g) << 20);
        y[i] = 0x3fe0000000000000ull | ((uint64_t)lcg_next(&g) << 20);
    }
    h = 0;
    for (unsigned r = 0; r < AXPY_REPS; r++)
        h = mix64(h, daxpy_dot(AXPY_N, 0x3fb999999999999aull /* 0.1 */, y, x));
    bench_report(NAME, "daxpy", mix64(h, hash_words(y, AXPY_N * 8)));
    total = mix64(total, h);

    uint8_t *bytes = bench_alloc(BYTES);
    for (size_t i = 0; i < BYTES; i += 4) {
        uint32_t v = lcg_next(&g);
        memcpy(bytes + i, &v, 4);
    }
    h = 0;
    for (unsigned r = 0; r < BYTE_REPS; r++) {
        uint32_t s1[16], s2[16];
        fletcher_lanes(bytes + r, BYTES - 64, s1, s2);
        h = mix64(h, hash_words(s1, sizeof s1));
        h = mix64(h, hash_words(s2, sizeof s2));
    }
    bench_report(NAME, "fletcher", h);
    total = mix64(total, h);

    uint32_t *w = bench_alloc(WORDS * 4);
    for (size_t i = 0; i < WORDS; i++)
        w[i] = lcg_next(&g);
    mix_u32(w, WORDS, MIX_ROUNDS);
    h = hash_words(w, WORDS * 4);
    bench_report(NAME, "mix", h);
    total = mix64(total, h);

    int16_t *p = bench_alloc(HALVES * 2), *q = bench_alloc(HALVES * 2), *d = bench_alloc(HALVES * 2);
    for (size_t i = 0; i < HALVES; i++) {
        p[i] = (int16_t)lcg_next(&g);
        q[i] = (int16_t)lcg_next(&g);
    }
    h = 0;
    for (unsigned r = 0; r < BLEND_REPS; r++) {
        int16_saturating_blend(d, p, q, HALVES);
        int16_t *t = p;
        p = d, d = q, q = t;
        h = mix64(h, hash_words(p, 64));
    }
    bench_report(NAME, "blend", mix64(h, hash_words(p, HALVES * 2)));
    total = mix64(total, h);

    bench_checksum(NAME, total);
    return 0;
}
