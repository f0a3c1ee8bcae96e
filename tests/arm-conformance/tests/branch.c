/*
 * Branches: B/BL/BR/BLR/RET, B.cond for every condition and NZCV value,
 * CBZ/CBNZ/TBZ/TBNZ on W and X registers at bits 0/31/32/63, computed
 * jumps, jump tables (hand-written and compiler-generated), recursion,
 * and branches near the edge of their range.
 */
#include "testlib.h"

uint64_t branch_path(void);
uint64_t bl_link_offset(void);
uint64_t blr_x30(void);
uint64_t jump_table(uint64_t i);
uint64_t sum_to(uint64_t n);
uint64_t countdown(uint64_t n);
uint64_t far_tbz(uint64_t v);
uint64_t far_cbz_back(uint64_t v);

static void test_unconditional(void)
{
    uint64_t path = branch_path();

    printf("branch path %lx, bl link %lu, blr x30 link %lu\n", path, bl_link_offset(), blr_x30());
    CHECK_EQ("b/br/blr/ret path", path, 0x1234567);
    CHECK_EQ("bl link", bl_link_offset(), 4);
    CHECK_EQ("blr x30", blr_x30(), 4);
}

/* B.cond: returns 1 if taken. */
#define DEF_BCOND(c, num)                                                       \
    static unsigned bcond_##c(unsigned flags)                                   \
    {                                                                           \
        unsigned taken;                                                         \
        asm volatile("msr nzcv, %x1\n\t"                                        \
                     "mov %w0, #1\n\t"                                          \
                     "b." #c " 1f\n\t"                                          \
                     "mov %w0, #0\n"                                            \
                     "1:"                                                       \
                     : "=&r"(taken)                                             \
                     : "r"((uint64_t)flags << 28)                               \
                     : "cc");                                                   \
        return taken;                                                           \
    }
FOR_EACH_COND(DEF_BCOND)
#define BCOND_ENTRY(c, num) bcond_##c,
static unsigned (*const bcond_fns[16])(unsigned) = { FOR_EACH_COND(BCOND_ENTRY) };

static void test_bcond(void)
{
    for (unsigned cond = 0; cond < 16; cond++) {
        char map[17];
        for (unsigned flags = 0; flags < 16; flags++) {
            unsigned taken = bcond_fns[cond](flags);
            map[flags] = taken ? 'T' : '.';
            if (taken != condition_holds(cond, flags)) {
                printf("FAIL b.%s with nzcv %x\n", cond_names[cond], flags);
                rt_failures++;
            }
        }
        map[16] = 0;
        printf("b.%s %s\n", cond_names[cond], map);
    }
    printf("countdown(1000) = %lu\n", countdown(1000));
    CHECK_EQ("backward b.ne loop", countdown(1000), 1000);
}

/* Compare-and-branch and test-and-branch: returns 1 if taken. */
#define CB_OPS(X)                                                               \
    X(cbz_w, "cbz %w1, 1f") X(cbz_x, "cbz %x1, 1f")                             \
    X(cbnz_w, "cbnz %w1, 1f") X(cbnz_x, "cbnz %x1, 1f")                         \
    X(tbz_w0, "tbz %w1, #0, 1f") X(tbz_w31, "tbz %w1, #31, 1f")                 \
    X(tbnz_w0, "tbnz %w1, #0, 1f") X(tbnz_w31, "tbnz %w1, #31, 1f")             \
    X(tbz_x0, "tbz %x1, #0, 1f") X(tbz_x31, "tbz %x1, #31, 1f")                 \
    X(tbz_x32, "tbz %x1, #32, 1f") X(tbz_x63, "tbz %x1, #63, 1f")               \
    X(tbnz_x0, "tbnz %x1, #0, 1f") X(tbnz_x32, "tbnz %x1, #32, 1f")             \
    X(tbnz_x63, "tbnz %x1, #63, 1f")
#define DEF_CB(id, insn)                                                        \
    static unsigned id(uint64_t v)                                              \
    {                                                                           \
        unsigned taken;                                                         \
        asm volatile("mov %w0, #1\n\t" insn "\n\tmov %w0, #0\n1:"               \
                     : "=&r"(taken)                                             \
                     : "r"(v));                                                 \
        return taken;                                                           \
    }
CB_OPS(DEF_CB)

struct cb_case {
    const char *name;
    unsigned (*fn)(uint64_t);
    int bit;      /* -1: compare with zero */
    bool nonzero; /* CBNZ / TBNZ */
    unsigned bits;
};
#define CB_ENTRY(id, insn) { insn, id, 0, false, 0 },
static struct cb_case cb_cases[] = { CB_OPS(CB_ENTRY) };

static void test_compare_branch(void)
{
    /* bit under test, polarity and width for each entry of CB_OPS, in order */
    static const int bits[] = { -1, -1, -1, -1, 0, 31, 0, 31, 0, 31, 32, 63, 0, 32, 63 };
    static const bool nonzero[] = { 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 1 };
    static const unsigned widths[] = { 32, 64, 32, 64, 32, 32, 32, 32, 64, 64, 64, 64, 64, 64, 64 };
    static const uint64_t values[] = {
        0, 1, 0x80000000, 0x100000000, 0x8000000000000000, 0xffffffffffffffff,
        0xfffffffe7ffffffe,
    };

    for (size_t i = 0; i < ARRAY_SIZE(cb_cases); i++) {
        struct cb_case *c = &cb_cases[i];
        c->bit = bits[i];
        c->nonzero = nonzero[i];
        c->bits = widths[i];
        printf("%-18s", c->name);
        for (size_t j = 0; j < ARRAY_SIZE(values); j++) {
            uint64_t v = values[j] & (c->bits == 64 ? ~0ul : 0xfffffffful);
            bool set = c->bit < 0 ? v != 0 : (v >> c->bit) & 1;
            unsigned taken = c->fn(values[j]);
            putc(taken ? 'T' : '.');
            if (taken != (set == c->nonzero)) {
                printf(" FAIL %s on %lx ", c->name, values[j]);
                rt_failures++;
            }
        }
        putc('\n');
    }
}

/* Dense switch with 18 cases (GCC's AArch64 threshold is 16): a jump table + BR. */
__attribute__((noipa)) static uint64_t compiler_switch(uint64_t i, uint64_t x)
{
    switch (i) {
    case 0: return x + 1;
    case 1: return x * 3;
    case 2: return x << 2;
    case 3: return x ^ 0x55;
    case 4: return x - 7;
    case 5: return ~x;
    case 6: return x >> 1;
    case 7: return -x;
    case 8: return x | 0x100;
    case 9: return x + 9;
    case 10: return x * 10;
    case 11: return x << 11;
    case 12: return x ^ 12;
    case 13: return x - 13;
    case 14: return x & 14;
    case 15: return x >> 15;
    case 16: return x * x;
    case 17: return x / 17;
    default: return 0;
    }
}

__attribute__((noinline)) static uint64_t ackermann(uint64_t m, uint64_t n)
{
    if (m == 0)
        return n + 1;
    if (n == 0)
        return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

__attribute__((noinline)) static uint64_t fib(uint64_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

static void test_computed_and_recursive(void)
{
    static const uint64_t table_want[] = { 100, 101, 102, 103, ~0ul };
    const uint64_t x = 0x1000;
    const uint64_t switch_want[] = { x + 1, x * 3,  x << 2,  x ^ 0x55, x - 7,   ~x,
                                     x >> 1, -x,     x | 0x100, x + 9, x * 10, x << 11,
                                     x ^ 12, x - 13, x & 14,  x >> 15,  x * x,   x / 17, 0 };

    printf("jump table:");
    for (uint64_t i = 0; i < 5; i++) {
        printf(" %lx", jump_table(i));
        CHECK_EQ("jump table", jump_table(i), table_want[i]);
    }
    printf("\nswitch:");
    for (uint64_t i = 0; i < ARRAY_SIZE(switch_want); i++) {
        printf(" %lx", compiler_switch(i, x));
        CHECK_EQ("switch", compiler_switch(i, x), switch_want[i]);
    }
    printf("\nsum_to(100) = %lu, ackermann(2, 3) = %lu, fib(20) = %lu\n", sum_to(100),
           ackermann(2, 3), fib(20));
    CHECK_EQ("sum_to", sum_to(100), 5050);
    CHECK_EQ("ackermann", ackermann(2, 3), 9);
    CHECK_EQ("fib", fib(20), 6765);
}

static void test_far(void)
{
    printf("far tbz: %lu %lu, far cbz back: %lu %lu\n", far_tbz(0), far_tbz(1), far_cbz_back(0),
           far_cbz_back(7));
    CHECK_EQ("far tbz taken", far_tbz(0), 1);
    CHECK_EQ("far tbz not taken", far_tbz(1), 2);
    CHECK_EQ("far cbz taken", far_cbz_back(0), 1);
    CHECK_EQ("far cbz not taken", far_cbz_back(7), 2);
}

int main(void)
{
    test_unconditional();
    test_bcond();
    test_compare_branch();
    test_computed_and_recursive();
    test_far();
    return 0;
}
