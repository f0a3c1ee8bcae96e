/*
 * Self-modifying code: the guest writes instructions, makes them visible to
 * instruction fetch as the Arm ARM requires (DC CVAU, DSB, IC IVAU, DSB,
 * ISB: "Concurrent modification and execution of instructions", B2.2.5),
 * and must then execute the new instructions:
 *  - a function rewritten and called again, many times;
 *  - a loop whose block is chained to itself, patched between runs;
 *  - a page rewritten by the same loop that wrote it before it held code
 *    (compiled stores may remember a page they wrote: that memory must not
 *    outlive the page becoming code);
 *  - thousands of distinct functions rewritten round after round, which
 *    makes the emulator translate ~100,000 blocks (with a small code cache,
 *    -accel jit,tb-size=1, it must flush the cache repeatedly and go on).
 */
#include "testlib.h"

#define CODE_WORDS 16384 /* 64 KiB: 16 pages of generated code */
static uint32_t code[CODE_WORDS] __attribute__((aligned(4096)));

#define MOVZ_X0(imm) (0xd2800000u | ((uint32_t)(imm)&0xffffu) << 5)
#define ADD_X0_X0(imm) (0x91000000u | ((uint32_t)(imm)&0xfffu) << 10)
#define SUBS_X1_X1_1 0xf1000421u
#define BNE_BACK(n) (0x54000001u | ((uint32_t)-(n)&0x7ffffu) << 5)
#define RET 0xd65f03c0u

typedef uint64_t (*fn_t)(uint64_t x0, uint64_t x1);

static void sync_code(const void *start, uint64_t bytes)
{
    uint64_t ctr;
    asm volatile("mrs %0, ctr_el0" : "=r"(ctr));
    uint64_t dline = 4ul << ((ctr >> 16) & 15), iline = 4ul << (ctr & 15);
    uint64_t begin = (uint64_t)start, end = begin + bytes;
    for (uint64_t p = begin & ~(dline - 1); p < end; p += dline)
        asm volatile("dc cvau, %0" ::"r"(p) : "memory");
    asm volatile("dsb ish" ::: "memory");
    for (uint64_t p = begin & ~(iline - 1); p < end; p += iline)
        asm volatile("ic ivau, %0" ::"r"(p) : "memory");
    asm volatile("dsb ish\n\tisb" ::: "memory");
}

static fn_t fn_at(unsigned word) { return (fn_t)(uint64_t)&code[word]; }

static void test_rewrite_function(void)
{
    unsigned bad = 0;
    for (unsigned i = 0; i < 300; i++) {
        code[0] = MOVZ_X0(i * 7);
        code[1] = RET;
        sync_code(code, 8);
        bad += fn_at(0)(0, 0) != i * 7;
    }
    printf("rewritten function: %u wrong results of 300\n", bad);
    CHECK_EQ("rewritten function", bad, 0);
}

static void test_patch_loop(void)
{
    uint32_t *loop = &code[64];
    uint64_t sum = 0;
    unsigned bad = 0;
    for (unsigned k = 1; k <= 50; k++) {
        loop[0] = ADD_X0_X0(k);
        loop[1] = SUBS_X1_X1_1;
        loop[2] = BNE_BACK(2);
        loop[3] = RET;
        sync_code(loop, 16);
        uint64_t r = fn_at(64)(0, 1000);
        bad += r != 1000ul * k;
        sum += r;
    }
    printf("patched loop: %u wrong results of 50, sum %lu\n", bad, sum);
    CHECK_EQ("patched loop", bad, 0);
}

/* Writes functions "x0 = base + w; ret" at each even word w of words. */
static __attribute__((noinline)) void fill_functions(uint32_t *words, unsigned n, uint32_t base)
{
    for (unsigned w = 0; w < n; w += 2) {
        words[w] = MOVZ_X0(base + w);
        words[w + 1] = RET;
    }
}

/* Each round fills the page twice through the same stores, so that every
 * one of them (also the first, outside the loop's block) has written the
 * page before, while it was still data: the first store of the next round,
 * after the page became code, must still invalidate its blocks. */
static void test_warm_store(void)
{
    enum { PAGE_WORDS = 1024, ROUNDS = 20 };
    uint32_t *page = &code[PAGE_WORDS]; /* the second page of code[] */
    unsigned bad = 0;
    for (unsigned r = 0; r < ROUNDS; r++) {
        fill_functions(page, PAGE_WORDS, 0x8000);
        asm volatile("" ::: "memory");
        fill_functions(page, PAGE_WORDS, r * 1000);
        sync_code(page, PAGE_WORDS * 4);
        for (unsigned w = 0; w < PAGE_WORDS; w += 2 * 37)
            bad += fn_at(PAGE_WORDS + w)(0, 0) != r * 1000 + w;
    }
    printf("page rewritten by warm stores: %u wrong results\n", bad);
    CHECK_EQ("warm stores", bad, 0);
}

static void test_many_blocks(void)
{
    enum { FUNCS = CODE_WORDS / 2, ROUNDS = 12 };
    uint64_t total = 0, expected = 0;
    for (unsigned r = 0; r < ROUNDS; r++) {
        for (unsigned f = 0; f < FUNCS; f++) {
            uint32_t imm = (r * 40503u + f * 2654435761u) >> 16;
            code[2 * f] = MOVZ_X0(imm);
            code[2 * f + 1] = RET;
            expected += imm & 0xffff;
        }
        sync_code(code, sizeof code);
        for (unsigned f = 0; f < FUNCS; f++)
            total += fn_at(2 * f)(0, 0);
    }
    printf("%u functions x %u rounds: sum %lu\n", FUNCS, ROUNDS, total);
    CHECK_EQ("many blocks", total, expected);
}

int main(void)
{
    test_rewrite_function();
    test_patch_loop();
    test_warm_store();
    test_many_blocks();
    return 0;
}
