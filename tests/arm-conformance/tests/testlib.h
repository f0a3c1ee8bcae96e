/*
 * Helpers shared by the handwritten tests: wrappers that run one instruction
 * with chosen operands and flags, tables of operand values, and reference
 * models of the Arm ARM pseudo-code used for self-checks.
 */
#ifndef NESTOR_CONF_TESTLIB_H
#define NESTOR_CONF_TESTLIB_H

#include "runtime.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* NZCV as a 4-bit number (N=8 Z=4 C=2 V=1), the way tests print it. */
#define FLAG_N 8u
#define FLAG_Z 4u
#define FLAG_C 2u
#define FLAG_V 1u

/*
 * Instruction wrappers.  The asm template names its operands %[d] (result,
 * early-clobber so it never shares a register with an input), %[n], %[m],
 * %[a]; use %w[..] / %x[..] for the register width.  NZCV is loaded from
 * *flags before the instruction and stored back after it, so flag-reading
 * instructions see a chosen state and flag-preserving ones can be checked.
 * d starts as a marker value, or as the first operand for the _RMW forms
 * (instructions that keep part of Rd, such as MOVK and BFM).
 */
#define D_MARKER 0x5a5a5a5a5a5a5a5aul

#define DEF_OP1_INIT(fn, insn, init)                                              \
    static uint64_t fn(uint64_t n, uint64_t *flags)                               \
    {                                                                             \
        uint64_t d = (init), f = *flags << 28;                                    \
        asm volatile("msr nzcv, %[f]\n\t" insn "\n\tmrs %[f], nzcv"               \
                     : [d] "+&r"(d), [f] "+&r"(f)                                 \
                     : [n] "r"(n));                                               \
        *flags = f >> 28;                                                         \
        return d;                                                                 \
    }
#define DEF_OP1(fn, insn)     DEF_OP1_INIT(fn, insn, D_MARKER)
#define DEF_OP1_RMW(fn, insn) DEF_OP1_INIT(fn, insn, n)

#define DEF_OP2_INIT(fn, insn, init)                                              \
    static uint64_t fn(uint64_t n, uint64_t m, uint64_t *flags)                   \
    {                                                                             \
        uint64_t d = (init), f = *flags << 28;                                    \
        asm volatile("msr nzcv, %[f]\n\t" insn "\n\tmrs %[f], nzcv"               \
                     : [d] "+&r"(d), [f] "+&r"(f)                                 \
                     : [n] "r"(n), [m] "r"(m));                                   \
        *flags = f >> 28;                                                         \
        return d;                                                                 \
    }
#define DEF_OP2(fn, insn)     DEF_OP2_INIT(fn, insn, D_MARKER)
#define DEF_OP2_RMW(fn, insn) DEF_OP2_INIT(fn, insn, n)

/* Three inputs (multiply-accumulate): a is the addend. */
#define DEF_OP3(fn, insn)                                                         \
    static uint64_t fn(uint64_t n, uint64_t m, uint64_t a)                        \
    {                                                                             \
        uint64_t d;                                                               \
        asm volatile(insn : [d] "=&r"(d) : [n] "r"(n), [m] "r"(m), [a] "r"(a));   \
        return d;                                                                 \
    }

/* One system instruction with x0 as its operand (x0 = arg on entry), returning
 * x0 after it: a function that run_at_el1/run_at_el0 can run to probe traps. */
#define PROBE(fn, insn)                                                           \
    static uint64_t fn(uint64_t arg)                                              \
    {                                                                             \
        register uint64_t x0 asm("x0") = arg;                                     \
        asm volatile(insn : "+r"(x0) : : "memory");                               \
        return x0;                                                                \
    }

/* The ISS a trapped MSR/MRS/SYS access of x0 builds (EC 0x18, ISS D24.2.40):
 * read is the direction bit (1 = MRS); Rt = 0. */
#define SYS(op0, op1, crn, crm, op2, read)                                                 \
    ((uint64_t)(op0) << 20 | (uint64_t)(op2) << 17 | (uint64_t)(op1) << 14 |                \
     (uint64_t)(crn) << 10 | (uint64_t)(crm) << 1 | (uint64_t)(read))

typedef uint64_t (*op1_fn)(uint64_t n, uint64_t *flags);
typedef uint64_t (*op2_fn)(uint64_t n, uint64_t m, uint64_t *flags);
typedef uint64_t (*op3_fn)(uint64_t n, uint64_t m, uint64_t a);

struct op1 {
    const char *name;
    op1_fn fn;
};
struct op2 {
    const char *name;
    op2_fn fn;
};

/* Operand values worth trying: zero, ones, sign boundaries of both widths. */
static const uint64_t common_values[] = {
    0x0000000000000000, 0x0000000000000001, 0xffffffffffffffff, 0x000000007fffffff,
    0x0000000080000000, 0x00000000ffffffff, 0x7fffffffffffffff, 0x8000000000000000,
    0x0123456789abcdef, 0xfedcba9876543210, 0x00000000fffff000, 0x0000000100000000,
};
/* A smaller set for two-operand sweeps (every pair is printed). */
static const uint64_t pair_values[] = {
    0x0000000000000000, 0x0000000000000001, 0xffffffffffffffff, 0x000000007fffffff,
    0x0000000080000000, 0x7fffffffffffffff, 0x8000000000000000, 0x0123456789abcdef,
};

/* Runs every op over every value, printing "name n -> d nzcv". */
static inline void sweep_op1(const struct op1 *ops, size_t n_ops, const uint64_t *vals,
                             size_t n_vals, unsigned flags_in)
{
    for (size_t i = 0; i < n_ops; i++)
        for (size_t j = 0; j < n_vals; j++) {
            uint64_t f = flags_in;
            uint64_t d = ops[i].fn(vals[j], &f);
            printf("%s %016lx -> %016lx %lx\n", ops[i].name, vals[j], d, f);
        }
}

static inline void sweep_op2(const struct op2 *ops, size_t n_ops, const uint64_t *vals,
                             size_t n_vals, unsigned flags_in)
{
    for (size_t i = 0; i < n_ops; i++)
        for (size_t j = 0; j < n_vals; j++)
            for (size_t k = 0; k < n_vals; k++) {
                uint64_t f = flags_in;
                uint64_t d = ops[i].fn(vals[j], vals[k], &f);
                printf("%s %016lx %016lx -> %016lx %lx\n", ops[i].name, vals[j], vals[k], d, f);
            }
}

/* Arm ARM AddWithCarry() for 32- or 64-bit operands; returns the result, sets *nzcv. */
static inline uint64_t add_with_carry(uint64_t x, uint64_t y, unsigned carry, unsigned bits,
                                      unsigned *nzcv)
{
    uint64_t mask = bits == 64 ? ~0ul : 0xfffffffful;
    uint64_t sign = 1ul << (bits - 1);
    uint64_t r;
    unsigned c, v;

    x &= mask;
    y &= mask;
    r = (x + y + carry) & mask;
    /* Unsigned overflow: the true sum exceeds the mask. */
    c = bits == 64 ? (r < x || (carry && r == x)) : ((x + y + carry) >> 32) & 1;
    /* Signed overflow: operands agree in sign and the result differs. */
    v = ((~(x ^ y) & (x ^ r)) & sign) != 0;
    *nzcv = ((r & sign) ? FLAG_N : 0) | (r == 0 ? FLAG_Z : 0) | (c ? FLAG_C : 0) | (v ? FLAG_V : 0);
    return r;
}

/* Arm ARM ConditionHolds() for the 4-bit condition field. */
static inline bool condition_holds(unsigned cond, unsigned nzcv)
{
    bool n = nzcv & FLAG_N, z = nzcv & FLAG_Z, c = nzcv & FLAG_C, v = nzcv & FLAG_V;
    bool result;

    switch (cond >> 1) {
    case 0: result = z; break;            /* EQ / NE */
    case 1: result = c; break;            /* CS / CC */
    case 2: result = n; break;            /* MI / PL */
    case 3: result = v; break;            /* VS / VC */
    case 4: result = c && !z; break;      /* HI / LS */
    case 5: result = n == v; break;       /* GE / LT */
    case 6: result = n == v && !z; break; /* GT / LE */
    default: return true;                 /* AL / NV: always */
    }
    return (cond & 1) ? !result : result;
}

static const char *const cond_names[16] = {
    "eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc",
    "hi", "ls", "ge", "lt", "gt", "le", "al", "nv",
};

/* Applies a macro to every condition: X(name, number). */
#define FOR_EACH_COND(X) \
    X(eq, 0) X(ne, 1) X(cs, 2) X(cc, 3) X(mi, 4) X(pl, 5) X(vs, 6) X(vc, 7) \
    X(hi, 8) X(ls, 9) X(ge, 10) X(lt, 11) X(gt, 12) X(le, 13) X(al, 14) X(nv, 15)

#endif
