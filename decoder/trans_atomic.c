/* Exclusives (LDXR/STXR and pairs) and the LSE atomics (CAS, CASP, LDADD...
 * family, SWP). Each instruction is one helper that reads its operands from
 * the CPU state, accesses memory through mmu_load/mmu_store (so faults, the
 * TLB and code invalidation behave as for plain accesses) and writes its
 * results back into the CPU state. A helper runs to completion without
 * another PE interleaving, which makes the read-modify-write atomic.
 *
 * Every access here must be aligned to its whole size (a pair: to the size
 * of both registers), whatever the memory type: the helpers check that first
 * so that no register or memory changes before the alignment fault.
 *
 * CONSTRAINED UNPREDICTABLE choices, the same as QEMU:
 *  - STXR/STXP with Rs == Rt, Rt2 or Rn: the store uses the values the
 *    registers had before the instruction, then Rs gets the status;
 *  - LDXP with Rt == Rt2: the register gets the second (higher) element;
 *  - Rs/Rt2 fields that should be 11111 in LDXR/STXR are ignored.
 */
#include "decoder/translate.h"
#include "mmu/mmu.h"

/* What a helper needs from the encoding, packed into one helper argument. */
enum {
    D_SIZE_MASK = 0xff,      /* bytes of one element */
    D_RT_SHIFT = 8,
    D_RT2_SHIFT = 16,
    D_RS_SHIFT = 24,
    D_PAIR = 1ull << 32,
    D_ACQUIRE = 1ull << 33,
    D_RELEASE = 1ull << 34,
    D_OP_SHIFT = 36,         /* LSE operation: the opc field, or OP_SWP */
};

enum { OP_ADD, OP_CLR, OP_EOR, OP_SET, OP_SMAX, OP_SMIN, OP_UMAX, OP_UMIN, OP_SWP };

static uint64_t pack(unsigned size, unsigned rt, unsigned rt2, unsigned rs, bool acquire, bool release)
{
    return size | (uint64_t)rt << D_RT_SHIFT | (uint64_t)rt2 << D_RT2_SHIFT | (uint64_t)rs << D_RS_SHIFT |
           (acquire ? D_ACQUIRE : 0) | (release ? D_RELEASE : 0);
}

static unsigned d_size(uint64_t d) { return d & D_SIZE_MASK; }
static unsigned d_reg(uint64_t d, unsigned shift) { return (d >> shift) & 31; }
static unsigned load_flags(uint64_t d) { return IRM_ALIGN | (d & D_ACQUIRE ? IRM_ACQUIRE : 0); }
static unsigned store_flags(uint64_t d) { return IRM_ALIGN | (d & D_RELEASE ? IRM_RELEASE : 0); }

static uint64_t size_mask(unsigned size) { return size == 8 ? ~0ull : (1ull << (8 * size)) - 1; }

/* Register 31 is XZR for every operand of these instructions. Values are
 * already truncated to the element size, which zero-extends W results. */
static uint64_t get_reg(const CPUState *cpu, unsigned r) { return r == 31 ? 0 : cpu->x[r]; }
static void set_reg(CPUState *cpu, unsigned r, uint64_t v)
{
    if (r != 31)
        cpu->x[r] = v;
}

/* WnR = 1 for a store or a read-modify-write, as QEMU reports atomics. */
static void check_alignment(CPUState *cpu, uint64_t va, unsigned bytes, bool write)
{
    if (va & (bytes - 1))
        mmu_raise_alignment_fault(cpu, va, write);
}

/* Loads `total` bytes (1..16) as one or two 64-bit halves. */
static void load_total(CPUState *cpu, uint64_t va, unsigned total, unsigned flags, uint64_t v[2])
{
    v[0] = mmu_load(cpu, va, total > 8 ? 8 : total, flags, 0);
    v[1] = total > 8 ? mmu_load(cpu, va + 8, 8, flags, 0) : 0;
}

static void store_total(CPUState *cpu, uint64_t va, unsigned total, unsigned flags, const uint64_t v[2])
{
    mmu_store(cpu, va, v[0], total > 8 ? 8 : total, flags, 0);
    if (total > 8)
        mmu_store(cpu, va + 8, v[1], 8, flags, 0);
}

/* The registers of a (pair) transfer as memory image halves: a W pair is one
 * 64-bit value with the first register in the low half (little-endian). */
static void regs_to_image(const CPUState *cpu, unsigned size, bool pair, unsigned r1, unsigned r2, uint64_t v[2])
{
    uint64_t m = size_mask(size);
    v[1] = 0;
    if (!pair)
        v[0] = get_reg(cpu, r1) & m;
    else if (size == 4)
        v[0] = (get_reg(cpu, r1) & m) | get_reg(cpu, r2) << 32;
    else
        v[0] = get_reg(cpu, r1), v[1] = get_reg(cpu, r2);
}

/* Writes r1 first, then r2: with r1 == r2 the second element wins. */
static void image_to_regs(CPUState *cpu, unsigned size, bool pair, unsigned r1, unsigned r2, const uint64_t v[2])
{
    if (!pair) {
        set_reg(cpu, r1, v[0]);
    } else if (size == 4) {
        set_reg(cpu, r1, v[0] & 0xffffffffu);
        set_reg(cpu, r2, v[0] >> 32);
    } else {
        set_reg(cpu, r1, v[0]);
        set_reg(cpu, r2, v[1]);
    }
}

/* LDXR/LDAXR/LDXP/LDAXP: a = address, b = descriptor. Opens the local
 * monitor on the address, size and the value(s) read. */
static uint64_t helper_load_exclusive(void *env, uint64_t va, uint64_t d, uint64_t unused)
{
    (void)unused;
    CPUState *cpu = env;
    unsigned size = d_size(d), total = d & D_PAIR ? 2 * size : size;
    uint64_t v[2];
    check_alignment(cpu, va, total, false);
    load_total(cpu, va, total, load_flags(d), v);
    cpu->excl_addr = va;
    cpu->excl_size = total;
    cpu->excl_val[0] = v[0];
    cpu->excl_val[1] = v[1];
    image_to_regs(cpu, size, d & D_PAIR, d_reg(d, D_RT_SHIFT), d_reg(d, D_RT2_SHIFT), v);
    cpu->ss_ldex = true; /* a stepped one reports EX = 1 (cleared when each stepped block starts) */
    return 0;
}

/* STXR/STLXR/STXP/STLXP: succeeds (Rs = 0) only if the monitor is open for
 * this address and size and memory still holds the value the load-exclusive
 * read (a compare-and-swap, as QEMU does); Rs = 1 otherwise. The monitor is
 * closed either way. The alignment check comes first, as in the Arm ARM's
 * AArch64.ExclusiveMonitorsPass(). */
static uint64_t helper_store_exclusive(void *env, uint64_t va, uint64_t d, uint64_t unused)
{
    (void)unused;
    CPUState *cpu = env;
    unsigned size = d_size(d), total = d & D_PAIR ? 2 * size : size;
    uint64_t value[2], current[2];
    check_alignment(cpu, va, total, true);
    regs_to_image(cpu, size, d & D_PAIR, d_reg(d, D_RT_SHIFT), d_reg(d, D_RT2_SHIFT), value);
    bool pass = cpu->excl_addr == va && cpu->excl_size == total;
    cpu->excl_addr = EXCL_NONE;
    if (pass) {
        load_total(cpu, va, total, IRM_ALIGN, current);
        pass = current[0] == cpu->excl_val[0] && current[1] == cpu->excl_val[1];
        if (pass)
            store_total(cpu, va, total, store_flags(d), value);
    }
    set_reg(cpu, d_reg(d, D_RS_SHIFT), pass ? 0 : 1);
    return 0;
}

/* CAS/CASP: Rs (and Rs+1) are compared with memory and receive its old
 * value; Rt (and Rt+1) are stored when they match. Without a match nothing
 * is written. */
static uint64_t helper_cas(void *env, uint64_t va, uint64_t d, uint64_t unused)
{
    (void)unused;
    CPUState *cpu = env;
    unsigned size = d_size(d), total = d & D_PAIR ? 2 * size : size;
    unsigned rs = d_reg(d, D_RS_SHIFT), rt = d_reg(d, D_RT_SHIFT);
    bool pair = d & D_PAIR;
    uint64_t expected[2], value[2], old[2];
    check_alignment(cpu, va, total, true);
    regs_to_image(cpu, size, pair, rs, rs + 1, expected);
    regs_to_image(cpu, size, pair, rt, rt + 1, value);
    load_total(cpu, va, total, load_flags(d), old);
    if (old[0] == expected[0] && old[1] == expected[1])
        store_total(cpu, va, total, store_flags(d), value);
    image_to_regs(cpu, size, pair, rs, rs + 1, old);
    return 0;
}

static uint64_t sign_extend(uint64_t v, unsigned size)
{
    unsigned shift = 64 - 8 * size;
    return (uint64_t)((int64_t)(v << shift) >> shift);
}

/* LDADD...LDUMIN and SWP: Rt = old memory value, memory = old op Rs. */
static uint64_t helper_rmw(void *env, uint64_t va, uint64_t d, uint64_t unused)
{
    (void)unused;
    CPUState *cpu = env;
    unsigned size = d_size(d);
    uint64_t m = size_mask(size);
    check_alignment(cpu, va, size, true);
    uint64_t operand = get_reg(cpu, d_reg(d, D_RS_SHIFT)) & m;
    uint64_t old = mmu_load(cpu, va, size, load_flags(d), 0);
    int64_t sold = (int64_t)sign_extend(old, size), soperand = (int64_t)sign_extend(operand, size);
    uint64_t result;
    switch (d >> D_OP_SHIFT) {
    case OP_ADD: result = old + operand; break;
    case OP_CLR: result = old & ~operand; break;
    case OP_EOR: result = old ^ operand; break;
    case OP_SET: result = old | operand; break;
    case OP_SMAX: result = sold > soperand ? old : operand; break;
    case OP_SMIN: result = sold < soperand ? old : operand; break;
    case OP_UMAX: result = old > operand ? old : operand; break;
    case OP_UMIN: result = old < operand ? old : operand; break;
    default: result = operand; break; /* SWP */
    }
    mmu_store(cpu, va, result & m, size, store_flags(d), 0);
    set_reg(cpu, d_reg(d, D_RT_SHIFT), old);
    return 0;
}

static void call(DisasContext *s, IRHelper fn, unsigned rn, uint64_t desc)
{
    gen_helper(s, fn, read_x_sp(s, rn), konst(s, desc), 0);
}

/* L selects load/store; o0 makes the load acquire or the store release. */
bool trans_LDXR_STXR(DisasContext *s, const A64Insn *i)
{
    bool load = i->f[F_L], ordered = i->f[F_o0];
    uint64_t d = pack(1u << i->f[F_size], i->f[F_Rt], 31, i->f[F_Rs], load && ordered, !load && ordered);
    call(s, load ? helper_load_exclusive : helper_store_exclusive, i->f[F_Rn], d);
    return true;
}

bool trans_LDXP_STXP(DisasContext *s, const A64Insn *i)
{
    bool load = i->f[F_L], ordered = i->f[F_o0];
    uint64_t d = pack(i->f[F_sz] ? 8 : 4, i->f[F_Rt], i->f[F_Rt2], i->f[F_Rs], load && ordered, !load && ordered) |
                 D_PAIR;
    call(s, load ? helper_load_exclusive : helper_store_exclusive, i->f[F_Rn], d);
    return true;
}

/* CAS{A}{L}{B,H}: L = acquire, o0 = release. */
bool trans_CAS(DisasContext *s, const A64Insn *i)
{
    call(s, helper_cas, i->f[F_Rn], pack(1u << i->f[F_size], i->f[F_Rt], 0, i->f[F_Rs], i->f[F_L], i->f[F_o0]));
    return true;
}

/* CASP{A}{L}: register pairs must start at an even register. */
bool trans_CASP(DisasContext *s, const A64Insn *i)
{
    if ((i->f[F_Rs] | i->f[F_Rt]) & 1)
        return false;
    uint64_t d = pack(i->f[F_sz] ? 8 : 4, i->f[F_Rt], 0, i->f[F_Rs], i->f[F_L], i->f[F_o0]) | D_PAIR;
    call(s, helper_cas, i->f[F_Rn], d);
    return true;
}

/* A = acquire, R = release; with Rt = XZR these are the ST<op> aliases. */
bool trans_LSE_rmw(DisasContext *s, const A64Insn *i)
{
    uint64_t d = pack(1u << i->f[F_size], i->f[F_Rt], 0, i->f[F_Rs], i->f[F_A], i->f[F_R]);
    call(s, helper_rmw, i->f[F_Rn], d | (uint64_t)i->f[F_opc] << D_OP_SHIFT);
    return true;
}

bool trans_SWP(DisasContext *s, const A64Insn *i)
{
    uint64_t d = pack(1u << i->f[F_size], i->f[F_Rt], 0, i->f[F_Rs], i->f[F_A], i->f[F_R]);
    call(s, helper_rmw, i->f[F_Rn], d | (uint64_t)OP_SWP << D_OP_SHIFT);
    return true;
}
