/*
 * FEAT_LSE atomics (run with -cpu max; cortex-a72 does not have them):
 * LD<op> and ST<op> for every operation, ordering and size, SWP, CAS and
 * CASP, each checked against a C model of the operation.
 */
#include "testlib.h"

static uint64_t mem[2] __attribute__((aligned(16)));

enum atomic_op { OP_ADD, OP_CLR, OP_EOR, OP_SET, OP_SMAX, OP_SMIN, OP_UMAX, OP_UMIN, OP_SWP };

static uint64_t size_mask(unsigned size) { return size == 8 ? ~0ul : (1ul << (8 * size)) - 1; }

static int64_t sext(uint64_t v, unsigned size)
{
    unsigned shift = 64 - 8 * size;
    return (int64_t)(v << shift) >> shift;
}

static uint64_t atomic_model(enum atomic_op op, uint64_t m, uint64_t s, unsigned size)
{
    uint64_t mask = size_mask(size), r;

    m &= mask;
    s &= mask;
    switch (op) {
    case OP_ADD:  r = m + s; break;
    case OP_CLR:  r = m & ~s; break;
    case OP_EOR:  r = m ^ s; break;
    case OP_SET:  r = m | s; break;
    case OP_SMAX: r = sext(m, size) > sext(s, size) ? m : s; break;
    case OP_SMIN: r = sext(m, size) < sext(s, size) ? m : s; break;
    case OP_UMAX: r = m > s ? m : s; break;
    case OP_UMIN: r = m < s ? m : s; break;
    default:      r = s; break;
    }
    return r & mask;
}

/*
 * Instruction lists: X(op, enum, ordering, size suffix, register, bytes).
 * The nesting generates every combination from three short lists.
 */
#define FOR_EACH_LDOP(X, arg)                                                   \
    X(add, OP_ADD, arg) X(clr, OP_CLR, arg) X(eor, OP_EOR, arg) X(set, OP_SET, arg) \
    X(smax, OP_SMAX, arg) X(smin, OP_SMIN, arg) X(umax, OP_UMAX, arg) X(umin, OP_UMIN, arg)
#define FOR_EACH_ORDER(X, op, e)   X(op, e, ) X(op, e, a) X(op, e, l) X(op, e, al)
#define FOR_EACH_SIZE(X, op, e, o) X(op, e, o, b, w, 1) X(op, e, o, h, w, 2) X(op, e, o, , w, 4) \
                                   X(op, e, o, , x, 8)

typedef uint64_t (*rmw_fn)(volatile uint64_t *p, uint64_t s);
struct rmw_case {
    const char *name;
    rmw_fn fn;
    enum atomic_op op;
    unsigned size;
};

/* LD<op>: returns the old value (zero-extended), memory gets op(old, s). */
#define DEF_LD(op, e, o, sfx, r, bytes)                                         \
    static uint64_t ld##op##o##sfx##_##r(volatile uint64_t *p, uint64_t s)      \
    {                                                                           \
        uint64_t old = D_MARKER;                                                \
        asm volatile("ld" #op #o #sfx " %" #r "[s], %" #r "[t], [%[p]]"         \
                     : [t] "+r"(old) : [s] "r"(s), [p] "r"(p) : "memory");      \
        return old;                                                             \
    }
#define DEF_LD_SIZES(op, e, o) FOR_EACH_SIZE(DEF_LD, op, e, o)
#define DEF_LD_ORDERS(op, e, unused) FOR_EACH_ORDER(DEF_LD_SIZES, op, e)
FOR_EACH_LDOP(DEF_LD_ORDERS, 0)
#define LD_ENTRY(op, e, o, sfx, r, bytes) { "ld" #op #o #sfx " " #r, ld##op##o##sfx##_##r, e, bytes },
#define LD_ENTRY_SIZES(op, e, o) FOR_EACH_SIZE(LD_ENTRY, op, e, o)
#define LD_ENTRY_ORDERS(op, e, unused) FOR_EACH_ORDER(LD_ENTRY_SIZES, op, e)
static const struct rmw_case ld_cases[] = { FOR_EACH_LDOP(LD_ENTRY_ORDERS, 0) };

/* ST<op> (LD<op> with Rt = ZR): only plain and release orderings exist. */
#define FOR_EACH_ST_ORDER(X, op, e) X(op, e, ) X(op, e, l)
#define DEF_ST(op, e, o, sfx, r, bytes)                                         \
    static uint64_t st##op##o##sfx##_##r(volatile uint64_t *p, uint64_t s)      \
    {                                                                           \
        asm volatile("st" #op #o #sfx " %" #r "[s], [%[p]]"                     \
                     : : [s] "r"(s), [p] "r"(p) : "memory");                    \
        return 0;                                                               \
    }
#define DEF_ST_SIZES(op, e, o) FOR_EACH_SIZE(DEF_ST, op, e, o)
#define DEF_ST_ORDERS(op, e, unused) FOR_EACH_ST_ORDER(DEF_ST_SIZES, op, e)
FOR_EACH_LDOP(DEF_ST_ORDERS, 0)
#define ST_ENTRY(op, e, o, sfx, r, bytes) { "st" #op #o #sfx " " #r, st##op##o##sfx##_##r, e, bytes },
#define ST_ENTRY_SIZES(op, e, o) FOR_EACH_SIZE(ST_ENTRY, op, e, o)
#define ST_ENTRY_ORDERS(op, e, unused) FOR_EACH_ST_ORDER(ST_ENTRY_SIZES, op, e)
static const struct rmw_case st_cases[] = { FOR_EACH_LDOP(ST_ENTRY_ORDERS, 0) };

/* SWP: returns the old value, stores s. */
#define DEF_SWP(op, e, o, sfx, r, bytes)                                        \
    static uint64_t swp##o##sfx##_##r(volatile uint64_t *p, uint64_t s)         \
    {                                                                           \
        uint64_t old = D_MARKER;                                                \
        asm volatile("swp" #o #sfx " %" #r "[s], %" #r "[t], [%[p]]"            \
                     : [t] "+r"(old) : [s] "r"(s), [p] "r"(p) : "memory");      \
        return old;                                                             \
    }
#define DEF_SWP_SIZES(op, e, o) FOR_EACH_SIZE(DEF_SWP, op, e, o)
FOR_EACH_ORDER(DEF_SWP_SIZES, swp, OP_SWP)
#define SWP_ENTRY(op, e, o, sfx, r, bytes) { "swp" #o #sfx " " #r, swp##o##sfx##_##r, e, bytes },
#define SWP_ENTRY_SIZES(op, e, o) FOR_EACH_SIZE(SWP_ENTRY, op, e, o)
static const struct rmw_case swp_cases[] = { FOR_EACH_ORDER(SWP_ENTRY_SIZES, swp, OP_SWP) };

/* Memory / operand pairs: sign differs between the two, per size. */
static const uint64_t rmw_inputs[][2] = {
    { 0x8081828384858687, 0x7f7e7d7c7b7a7978 },
    { 0x0000000000000001, 0xffffffffffffffff },
    { 0x7fffffffffffffff, 0x0000000000000001 },
};

static void run_rmw(const struct rmw_case *cases, size_t n, bool returns_old)
{
    for (size_t i = 0; i < n; i++) {
        const struct rmw_case *c = &cases[i];
        for (size_t j = 0; j < ARRAY_SIZE(rmw_inputs); j++) {
            uint64_t m = rmw_inputs[j][0], s = rmw_inputs[j][1];
            uint64_t want_mem = (m & ~size_mask(c->size)) | atomic_model(c->op, m, s, c->size);
            uint64_t old;

            mem[0] = m;
            old = c->fn(mem, s);
            printf("%-12s mem %016lx s %016lx -> old %016lx mem %016lx\n", c->name, m, s, old,
                   mem[0]);
            CHECK_EQ(c->name, mem[0], want_mem);
            if (returns_old)
                CHECK_EQ(c->name, old, m & size_mask(c->size));
        }
    }
}

/* CAS: Rs = compare value in, old value out; Rt stored if memory == Rs. */
#define DEF_CAS(op, e, o, sfx, r, bytes)                                        \
    static uint64_t cas##o##sfx##_##r(volatile uint64_t *p, uint64_t cmp, uint64_t t) \
    {                                                                           \
        asm volatile("cas" #o #sfx " %" #r "[s], %" #r "[t], [%[p]]"            \
                     : [s] "+r"(cmp) : [t] "r"(t), [p] "r"(p) : "memory");      \
        return cmp;                                                             \
    }
#define DEF_CAS_SIZES(op, e, o) FOR_EACH_SIZE(DEF_CAS, op, e, o)
FOR_EACH_ORDER(DEF_CAS_SIZES, cas, 0)
#define CAS_ENTRY(op, e, o, sfx, r, bytes) { "cas" #o #sfx " " #r, cas##o##sfx##_##r, bytes },
#define CAS_ENTRY_SIZES(op, e, o) FOR_EACH_SIZE(CAS_ENTRY, op, e, o)
static const struct {
    const char *name;
    uint64_t (*fn)(volatile uint64_t *p, uint64_t cmp, uint64_t t);
    unsigned size;
} cas_cases[] = { FOR_EACH_ORDER(CAS_ENTRY_SIZES, cas, 0) };

static void test_cas(void)
{
    const uint64_t m = 0x8899aabbccddeeff, t = 0x0123456789abcdef;

    for (size_t i = 0; i < ARRAY_SIZE(cas_cases); i++) {
        uint64_t mask = size_mask(cas_cases[i].size);
        for (int hit = 1; hit >= 0; hit--) {
            /* Upper bits of the compare register beyond the size are ignored. */
            uint64_t cmp = hit ? (m & mask) | (~mask & 0xdead0000dead0000) : m + 1;
            uint64_t old;

            mem[0] = m;
            old = cas_cases[i].fn(mem, cmp, t);
            printf("%-8s %-7s cmp %016lx -> old %016lx mem %016lx\n", cas_cases[i].name,
                   hit ? "match" : "mismatch", cmp, old, mem[0]);
            CHECK_EQ(cas_cases[i].name, old, m & mask);
            CHECK_EQ(cas_cases[i].name, mem[0], hit ? (m & ~mask) | (t & mask) : m);
        }
    }
}

/* CASP needs even/odd register pairs, so the registers are fixed (x4-x7). */
#define DEF_CASP(o, r)                                                                  \
    static void casp##o##_##r(volatile uint64_t *p, uint64_t cmp[2], const uint64_t t[2]) \
    {                                                                                   \
        asm volatile("mov x4, %[c0]\n\tmov x5, %[c1]\n\tmov x6, %[t0]\n\tmov x7, %[t1]\n\t" \
                     "casp" #o " " #r "4, " #r "5, " #r "6, " #r "7, [%[p]]\n\t"        \
                     "mov %[c0], x4\n\tmov %[c1], x5"                                   \
                     : [c0] "+r"(cmp[0]), [c1] "+r"(cmp[1])                             \
                     : [t0] "r"(t[0]), [t1] "r"(t[1]), [p] "r"(p)                       \
                     : "x4", "x5", "x6", "x7", "memory");                               \
    }
#define FOR_EACH_CASP(X) X(, w) X(a, w) X(l, w) X(al, w) X(, x) X(a, x) X(l, x) X(al, x)
FOR_EACH_CASP(DEF_CASP)
#define CASP_ENTRY(o, r) { "casp" #o " " #r, casp##o##_##r, #r[0] == 'x' },
static const struct {
    const char *name;
    void (*fn)(volatile uint64_t *p, uint64_t cmp[2], const uint64_t t[2]);
    bool x;
} casp_cases[] = { FOR_EACH_CASP(CASP_ENTRY) };

static void test_casp(void)
{
    const uint64_t m0 = 0x1111111122222222, m1 = 0x3333333344444444;
    const uint64_t t[2] = { 0xaaaaaaaabbbbbbbb, 0xccccccccdddddddd };

    for (size_t i = 0; i < ARRAY_SIZE(casp_cases); i++)
        for (int hit = 1; hit >= 0; hit--) {
            bool x = casp_cases[i].x;
            /* W pairs live in one doubleword: low word first. */
            uint64_t cmp[2] = { x ? m0 : m0 & 0xffffffff, x ? m1 : m0 >> 32 };
            uint64_t want0 = m0, want1 = m1;

            if (!hit)
                cmp[1] ^= 1;
            if (hit) {
                want0 = x ? t[0] : (t[0] & 0xffffffff) | t[1] << 32;
                want1 = x ? t[1] : m1;
            }
            mem[0] = m0;
            mem[1] = m1;
            casp_cases[i].fn(mem, cmp, t);
            printf("%-9s %-8s -> old %016lx %016lx mem %016lx %016lx\n", casp_cases[i].name,
                   hit ? "match" : "mismatch", cmp[0], cmp[1], mem[0], mem[1]);
            CHECK_EQ(casp_cases[i].name, cmp[0], x ? m0 : m0 & 0xffffffff);
            CHECK_EQ(casp_cases[i].name, cmp[1], x ? m1 : m0 >> 32);
            CHECK_EQ(casp_cases[i].name, mem[0], want0);
            CHECK_EQ(casp_cases[i].name, mem[1], want1);
        }
}

int main(void)
{
    run_rmw(ld_cases, ARRAY_SIZE(ld_cases), true);
    run_rmw(st_cases, ARRAY_SIZE(st_cases), false);
    run_rmw(swp_cases, ARRAY_SIZE(swp_cases), true);
    test_cas();
    test_casp();
    return 0;
}
