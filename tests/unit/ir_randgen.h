/* Random IR blocks over the sandbox guest of ir_sandbox.h, shared by the
 * tests that run one engine or pass against the interpreter on random code
 * (test_opt_random.c for the passes, test_jit_random.c for the x86-64
 * backend).
 *
 * The basic mix draws every op from operands that collide often (a few
 * registers, the flags, recent temps, interesting constants). With
 * backend_forms the mix also builds the shapes the backend compiles
 * specially: compares (nzcv_adc with carry 1 and a not() or a constant),
 * flags read by many conditions, a setcond fused into the final goto_cond,
 * division by 0 and MIN / -1, shifts by 0 and by the width or more, scaled
 * adds (one LEA), vec ops (SSE or the fallback call),
 * immediates on either side of the signed 32-bit range, more live values than
 * host registers (also across helper calls), repeated puts to one slot with
 * observers in between, and memory accesses inside the 64-byte windows a soft
 * TLB can map. */
#ifndef NESTOR_TESTS_UNIT_IR_RANDGEN_H
#define NESTOR_TESTS_UNIT_IR_RANDGEN_H

#include "ir_sandbox.h"
#include "jit/ir_vec.h"

typedef struct {
    unsigned max_ops;   /* random ops per block: 1..max_ops (a form may emit several IR ops) */
    bool pc_puts;       /* puts may write the pc slot anywhere, not only just before exit */
    bool backend_forms; /* also the shapes the x86-64 backend special-cases */
} RandGen;

/* The mix test_opt_random.c was written with (its random stream is kept). */
static const RandGen randgen_passes = {.max_ops = 20, .pc_puts = true, .backend_forms = false};

/* Four 64-byte windows, as 64-byte pages they fall into TLB entries (of
 * RANDGEN_TLB_ENTRIES) 0, 1, 0, 7, 6 and 7: some share an entry, so that a
 * mapped window makes the other one miss on the tag. */
#define RANDGEN_PAGE_BITS 6
#define RANDGEN_TLB_BITS 3
static const uint64_t randgen_windows[] = {0x0, 0x40, 0x2000, 0x7fffffffffffffc0ull, 0xffffffffffffff80ull, 0x1c0};

static inline unsigned random_size(Rng *r) { return rng_below(r, 2) ? 8 : 4; }

/* Constants around the edges of x86-64's sign-extended 32-bit immediates. */
static inline uint64_t random_imm(Rng *r)
{
    static const uint64_t edges[] = {
        0x7f, 0x80, 0xffffffffffffff80ull, 0xffffffffffffff7full, 0x7fffffff, 0x80000000, 0xffffffff,
        0xffffffff80000000ull, 0xffffffff7fffffffull, 0x100000000ull, ~0ull, ~0ull - 1, 0x7fffffffffffffffull,
        MIN64, 0x123456789abcdef0ull, 1, 0,
    };
    return rng_below(r, 4) ? edges[rng_below(r, N_OF(edges))] : random_value(r);
}

/* A temp already written, or a fresh constant. */
static inline IRTemp operand(Rng *r, IRBlock *b)
{
    if (b->ntemps == 0 || rng_below(r, 4) == 0)
        return ir_movi(b, random_value(r));
    if (rng_below(r, 2)) /* recent temps: chains of dependent ops */
        return b->ntemps - rng_below(r, b->ntemps < 4 ? b->ntemps : 4);
    return 1 + rng_below(r, b->ntemps);
}

/* Mostly four registers and the flags, so that accesses collide; sometimes
 * any bytes below the pc, and for puts (when allowed) the pc itself. */
static inline void random_slot(Rng *r, const RandGen *g, bool for_put, uint64_t *offset, unsigned *size)
{
    unsigned k = rng_below(r, 16);
    if (k < 8) {
        *offset = XR(rng_below(r, 4)), *size = 8;
    } else if (k < 11) {
        *offset = NZCV, *size = 4;
    } else if (k == 11 && for_put && g->pc_puts) {
        *offset = PC, *size = 8;
    } else {
        *size = 1u << rng_below(r, 4);
        *offset = rng_below(r, (unsigned)PC - *size + 1);
    }
}

static inline uint64_t random_insn_pc(Rng *r) { return 0x1000 + 4 * rng_below(r, 64); }

/* An address in one of the windows: mostly aligned for the access size. */
static inline IRTemp window_address(Rng *r, IRBlock *b, unsigned size)
{
    uint64_t base = randgen_windows[rng_below(r, N_OF(randgen_windows))];
    unsigned off = rng_below(r, 64);
    if (rng_below(r, 8) == 0) /* where the sandbox faults, on the slow path */
        off = rng_below(r, 2) ? 0x05 : 0x2b;
    else if (rng_below(r, 4))
        off &= ~(size - 1);
    if (rng_below(r, 4))
        return ir_movi(b, base + off);
    /* computed: a register-held base plus a displacement */
    IRTemp t = ir_movi(b, base);
    return ir_op2(b, IR_add, 8, t, ir_movi(b, off));
}

static inline void random_call(Rng *r, IRBlock *b)
{
    IRTemp a = rng_below(r, 8) ? operand(r, b) : ir_movi(b, 0x11); /* helper_mix faults */
    IRTemp x = operand(r, b), c = operand(r, b);
    ir_call(b, helper_mix, a, x, c);
}

/* A store of size bytes, to a window address when in_window. */
static inline void random_store(Rng *r, IRBlock *b, unsigned size, uint64_t syndrome, bool in_window)
{
    IRTemp addr = in_window ? window_address(r, b, size) : operand(r, b);
    ir_st(b, size, 0, addr, operand(r, b), syndrome);
}

static const IROp binary_ops[] = {IR_add, IR_sub, IR_mul, IR_umulh, IR_smulh, IR_udiv, IR_sdiv,
                                  IR_and, IR_or,  IR_xor, IR_shl,   IR_shr,   IR_sar,  IR_ror};
static const IROp unary_ops[] = {IR_mov, IR_neg, IR_not, IR_clz, IR_rbit, IR_bswap};

/* ---- the backend's special forms ---- */

/* One flag-setting op in one of the forms the backend tells apart, then
 * conditions on it (sometimes all sixteen) stored to bytes of x[4..7]. */
static inline void gen_flags_and_conds(Rng *r, IRBlock *b)
{
    unsigned sz = random_size(r);
    IRTemp f;
    switch (rng_below(r, 7)) {
    case 0: case 1: { /* cmp a, y as a + not(y) + 1; a 4-byte not under an 8-byte op is no cmp */
        IRTemp a = operand(r, b), y = operand(r, b);
        IRTemp not_y = ir_op1(b, IR_not, rng_below(r, 4) ? sz : random_size(r), y);
        f = ir_nzcv_adc(b, sz, a, not_y, ir_movi(b, rng_below(r, 4) ? 1 : 3));
        break;
    }
    case 2: { /* cmp with an immediate: a + ~imm + 1 */
        IRTemp a = operand(r, b), imm = ir_movi(b, random_imm(r));
        f = ir_nzcv_adc(b, sz, a, imm, ir_movi(b, 1));
        break;
    }
    case 3: { /* adds: constant carry 0 (2 has bit 0 clear too) */
        IRTemp a = operand(r, b);
        IRTemp x = rng_below(r, 2) ? ir_movi(b, random_imm(r)) : operand(r, b);
        f = ir_nzcv_adc(b, sz, a, x, ir_movi(b, rng_below(r, 4) ? 0 : 2));
        break;
    }
    case 4: { /* adcs/sbcs: the carry from a temp, bit 0 of it */
        IRTemp carry;
        if (rng_below(r, 2)) {
            IRTemp flags = ir_get(b, 4, NZCV);
            carry = ir_op2(b, IR_shr, 4, flags, ir_movi(b, 29));
        } else {
            carry = operand(r, b);
        }
        IRTemp a = operand(r, b), x = operand(r, b);
        if (rng_below(r, 2))
            x = ir_op1(b, IR_not, sz, x);
        f = ir_nzcv_adc(b, sz, a, x, carry);
        break;
    }
    case 5: { /* not(y) with a carry that is not a constant 1: no cmp either */
        IRTemp a = operand(r, b), y = operand(r, b);
        IRTemp not_y = ir_op1(b, IR_not, sz, y);
        f = ir_nzcv_adc(b, sz, a, not_y, rng_below(r, 2) ? ir_movi(b, 0) : operand(r, b));
        break;
    }
    default:
        f = ir_nzcv_logic(b, sz, operand(r, b));
        break;
    }
    bool all = rng_below(r, 6) == 0;
    unsigned n = all ? 16 : 1 + rng_below(r, 4);
    unsigned first = rng_below(r, 16);
    for (unsigned k = 0; k < n; k++) {
        unsigned cond = all ? (first + k) & 15 : rng_below(r, 16);
        IRTemp c = ir_cond(b, cond, f);
        if (rng_below(r, 4)) {
            ir_put(b, 1, XR(4) + (first + k) % 32, c);
        } else { /* csel */
            IRTemp t = operand(r, b), e = operand(r, b);
            ir_put(b, 8, XR(rng_below(r, 4)), ir_select(b, c, t, e));
        }
    }
    if (rng_below(r, 2))
        ir_put(b, 4, NZCV, f);
}

/* More values live at once than the ten host registers for temps, some
 * across a helper call or a memory access, consumed in a random order. */
static inline void gen_pressure(Rng *r, IRBlock *b)
{
    enum { MAX_LIVE = 20 };
    IRTemp v[MAX_LIVE];
    unsigned n = 11 + rng_below(r, MAX_LIVE - 10);
    unsigned middle = rng_below(r, n + 1);
    for (unsigned k = 0; k < n; k++) {
        if (k == middle) {
            switch (rng_below(r, 4)) {
            case 0: random_call(r, b); break;
            case 1: ir_ld(b, 8, 0, window_address(r, b, 8), 3); break;
            case 2: random_store(r, b, 4, 3, true); break;
            default: break;
            }
        }
        switch (rng_below(r, 4)) {
        case 0: v[k] = ir_get(b, 8, XR(rng_below(r, 8))); break;
        case 1: v[k] = ir_movi(b, random_imm(r)); break;
        default: {
            IROp op = binary_ops[rng_below(r, 10)];
            unsigned sz = random_size(r);
            IRTemp a = operand(r, b);
            v[k] = ir_op2(b, op, sz, a, operand(r, b));
            break;
        }
        }
    }
    for (unsigned k = n; k > 1; k--) { /* shuffle */
        unsigned j = rng_below(r, k);
        IRTemp t = v[k - 1];
        v[k - 1] = v[j], v[j] = t;
    }
    IRTemp acc = v[0];
    for (unsigned k = 1; k < n; k++) {
        if (rng_below(r, 4) == 0) {
            ir_put(b, 8, XR(rng_below(r, 8)), v[k]);
        } else {
            IROp op = rng_below(r, 2) ? IR_xor : IR_add;
            acc = ir_op2(b, op, random_size(r), acc, v[k]);
        }
    }
    ir_put(b, 8, XR(rng_below(r, 8)), acc);
}

/* The same slot written again and again, with something that must see each
 * value (a load, store, call or overlapping get) or nothing in between. */
static inline void gen_repeated_puts(Rng *r, const RandGen *g, IRBlock *b)
{
    uint64_t offset;
    unsigned size;
    random_slot(r, g, false, &offset, &size);
    unsigned n = 2 + rng_below(r, 4);
    for (unsigned k = 0; k < n; k++) {
        ir_put(b, size, offset, operand(r, b));
        switch (rng_below(r, 7)) {
        case 0: {
            unsigned s = 1u << rng_below(r, 4);
            ir_ld(b, s, 0, rng_below(r, 2) ? window_address(r, b, s) : operand(r, b), 5);
            break;
        }
        case 1: {
            unsigned s = 1u << rng_below(r, 4);
            random_store(r, b, s, 5, rng_below(r, 2));
            break;
        }
        case 2: random_call(r, b); break;
        case 3: { /* a get overlapping the slot, maybe only partly */
            unsigned s = 1u << rng_below(r, 4);
            uint64_t o = offset + rng_below(r, size);
            o = o >= s ? o - rng_below(r, s) : 0;
            ir_get(b, s, o > PC - s ? PC - s : o);
            break;
        }
        case 4: ir_insn_start(b, random_insn_pc(r)); break;
        default: break;
        }
    }
}

/* Division by zero and MIN / -1, with the low 32 bits or all 64 mattering. */
static inline void gen_division(Rng *r, IRBlock *b)
{
    static const uint64_t dividends[] = {MIN64, 0x80000000, 0xdeadbeef80000000ull, 7, ~0ull - 6};
    static const uint64_t divisors[] = {0, ~0ull, 0xffffffff, 0xffffffff00000000ull, 0x100000000ull, 3, ~0ull - 2};
    unsigned sz = random_size(r);
    IRTemp a = rng_below(r, 3) ? ir_movi(b, dividends[rng_below(r, N_OF(dividends))]) : operand(r, b);
    IRTemp x = rng_below(r, 3) ? ir_movi(b, divisors[rng_below(r, N_OF(divisors))]) : operand(r, b);
    if (rng_below(r, 2)) { /* through env, so that the passes cannot fold them */
        ir_put(b, 8, XR(6), a);
        ir_put(b, 8, XR(7), x);
        ir_insn_start(b, random_insn_pc(r)); /* forwarding would still see them: a call hides them */
        ir_call(b, helper_mix, ir_movi(b, 0), ir_movi(b, 0), ir_movi(b, 0));
        a = ir_get(b, 8, XR(6));
        x = ir_get(b, 8, XR(7));
    }
    IRTemp q = ir_op2(b, rng_below(r, 2) ? IR_sdiv : IR_udiv, sz, a, x);
    ir_put(b, 8, XR(rng_below(r, 4)), q);
}

/* Shifts by constants (0, the width and beyond) and by temps. */
static inline void gen_shift(Rng *r, IRBlock *b)
{
    static const uint64_t amounts[] = {0, 1, 31, 32, 33, 63, 64, 65, 127, 0xffffffffffffffe0ull};
    static const IROp shifts[] = {IR_shl, IR_shr, IR_sar, IR_ror};
    unsigned sz = random_size(r);
    IRTemp amount = rng_below(r, 2) ? ir_movi(b, amounts[rng_below(r, N_OF(amounts))]) : operand(r, b);
    IROp op = shifts[rng_below(r, 4)];
    IRTemp v = ir_op2(b, op, sz, operand(r, b), amount);
    ir_put(b, 8, XR(rng_below(r, 4)), v);
}

/* base + (index << k), as scaled register offsets are: the backend makes
 * one LEA of it when k is 1..3 and the shift is read only there (also with a
 * 4-byte shift under a 64-bit add, which it must not fuse). */
static inline void gen_scaled_add(Rng *r, IRBlock *b)
{
    IRTemp index = operand(r, b);
    IRTemp shifted = ir_op2(b, IR_shl, random_size(r), index, ir_movi(b, rng_below(r, 5)));
    IRTemp base = operand(r, b);
    IRTemp sum = rng_below(r, 2) ? ir_op2(b, IR_add, random_size(r), base, shifted)
                                 : ir_op2(b, IR_add, random_size(r), shifted, base);
    ir_put(b, 8, XR(rng_below(r, 4)), sum);
    if (rng_below(r, 4) == 0) /* read elsewhere too: no fusion */
        ir_put(b, 8, XR(rng_below(r, 4)), shifted);
}

/* An ALU op or compare with an immediate near the edges of imm32. */
static inline void gen_immediate(Rng *r, IRBlock *b)
{
    static const IROp ops[] = {IR_add, IR_sub, IR_and, IR_or, IR_xor, IR_mul};
    unsigned sz = random_size(r);
    IRTemp a = operand(r, b), imm = ir_movi(b, random_imm(r));
    IRTemp v = rng_below(r, 4) ? ir_op2(b, ops[rng_below(r, N_OF(ops))], sz, a, imm)
                               : ir_setcond(b, (IRCond)rng_below(r, 10), sz, a, imm);
    ir_put(b, 8, XR(rng_below(r, 4)), v);
}

/* A vec op (jit/ir_vec.h) on 16-byte slots over the registers, sometimes
 * reaching into the flags word (the lazy-flags path), with slots that
 * overlap each other and the scalar gets and puts around them; sometimes a
 * put to a source just before (the backend must store it first) or a get of
 * the destination just after (the forwarding pass must forget it). */
static inline void gen_vec(Rng *r, IRBlock *b)
{
    IRVecKind kind = (IRVecKind)rng_below(r, VEC_KIND_COUNT);
    unsigned esz = rng_below(r, 4), bits = 8u << esz, shift = 0;
    if (kind >= VEC_SADDL && kind <= VEC_USUBL)
        esz = rng_below(r, 3), bits = 8u << esz;
    bool q = rng_below(r, 2) ||
             ((kind == VEC_ZIP1 || kind == VEC_ZIP2 || kind == VEC_UZP1 || kind == VEC_UZP2) && esz == 3);
    if (kind == VEC_SHL)
        shift = rng_below(r, bits);
    else if (kind == VEC_USHR || kind == VEC_SSHR)
        shift = 1 + rng_below(r, bits);
    uint32_t off[4];
    for (unsigned k = 0; k < 3; k++)
        off[k] = 8 * rng_below(r, 8);
    off[3] = rng_below(r, 2) ? NZCV : 4 * rng_below(r, 18); /* the saturation flag word */
    if (rng_below(r, 2))
        ir_put(b, 8, off[1] + 8 * rng_below(r, 2), operand(r, b));
    uint64_t imm = ir_vec_imm(kind, esz, q, shift, rng_below(r, 32));
    if (kind >= VEC_FADD && kind <= VEC_FMLS) { /* FP: 32/64-bit lanes, FPSR the flag word, FPCR another word */
        esz = 2 + rng_below(r, 2);
        imm = ir_vec_imm_fp(kind, esz, q || esz == 3, 4 * rng_below(r, 18));
    }
    ir_vec(b, imm, ir_vec_imm2(off[0], off[1], off[2], off[3]));
    if (rng_below(r, 2))
        ir_put(b, 8, XR(rng_below(r, 8)), ir_get(b, 8, off[0] + 8 * rng_below(r, 2)));
}

/* ---- the mix ---- */

static inline void random_op(Rng *r, const RandGen *g, IRBlock *b)
{
    uint64_t offset;
    unsigned size;
    switch (rng_below(r, g->backend_forms ? 39 : 27)) {
    case 0: ir_movi(b, random_value(r)); break;
    case 1: case 2: case 3:
        random_slot(r, g, false, &offset, &size);
        ir_get(b, size, offset);
        break;
    case 4: case 5: case 6:
        random_slot(r, g, true, &offset, &size);
        ir_put(b, size, offset, operand(r, b));
        break;
    case 7: case 8: case 9: case 10: {
        IROp op = binary_ops[rng_below(r, N_OF(binary_ops))];
        unsigned sz = random_size(r);
        IRTemp a = operand(r, b);
        IRTemp x = rng_below(r, 8) == 0 ? a : operand(r, b);
        ir_op2(b, op, sz, a, x);
        break;
    }
    case 11: {
        IROp op = unary_ops[rng_below(r, N_OF(unary_ops))];
        unsigned sz = random_size(r);
        ir_op1(b, op, sz, operand(r, b));
        break;
    }
    case 12: {
        static const unsigned from[] = {8, 16, 32, 32, 1, 63, 64};
        unsigned bits = rng_below(r, 4) ? from[rng_below(r, N_OF(from))] : 1 + rng_below(r, 64);
        bool is_signed = rng_below(r, 2);
        unsigned sz = random_size(r);
        ir_ext(b, is_signed, sz, operand(r, b), bits);
        break;
    }
    case 13: {
        IRCond c = (IRCond)rng_below(r, 10);
        unsigned sz = random_size(r);
        IRTemp a = operand(r, b);
        IRTemp x = rng_below(r, 8) == 0 ? a : operand(r, b);
        ir_setcond(b, c, sz, a, x);
        break;
    }
    case 14: {
        unsigned sz = rng_below(r, 4) ? 8 : 4;
        IRTemp c = operand(r, b), t = operand(r, b);
        IRTemp f = rng_below(r, 8) == 0 ? t : operand(r, b);
        ir_emit(b, IR_select, sz, 0, c, t, f, 0, 0);
        break;
    }
    case 15: case 16: { /* a flag-setting instruction */
        unsigned sz = random_size(r);
        IRTemp a = operand(r, b), x = operand(r, b), carry = operand(r, b);
        IRTemp f = ir_nzcv_adc(b, sz, a, x, carry);
        if (rng_below(r, 4))
            ir_put(b, 4, NZCV, f);
        break;
    }
    case 17: {
        unsigned sz = random_size(r);
        ir_nzcv_logic(b, sz, operand(r, b));
        break;
    }
    case 18: {
        unsigned cond = rng_below(r, 16);
        ir_cond(b, cond, rng_below(r, 2) ? ir_get(b, 4, NZCV) : operand(r, b));
        break;
    }
    case 19: {
        static const unsigned flag_choices[] = {0, 0, IRM_SIGNED, IRM_UNPRIV, IRM_SIGNED | IRM_UNPRIV};
        unsigned sz = 1u << rng_below(r, 4), flags = flag_choices[rng_below(r, N_OF(flag_choices))];
        uint64_t syndrome = rng_below(r, 1000);
        IRTemp addr = g->backend_forms && rng_below(r, 2) ? window_address(r, b, sz) : operand(r, b);
        ir_ld(b, sz, flags, addr, syndrome);
        break;
    }
    case 20: {
        unsigned sz = 1u << rng_below(r, 4), flags = rng_below(r, 2) * IRM_RELEASE;
        if (g->backend_forms && rng_below(r, 2))
            flags |= IRM_UNPRIV;
        IRTemp addr = g->backend_forms && rng_below(r, 2) ? window_address(r, b, sz) : operand(r, b);
        IRTemp value = g->backend_forms && rng_below(r, 4) == 0 ? ir_movi(b, random_imm(r)) : operand(r, b);
        ir_st(b, sz, flags, addr, value, 7);
        break;
    }
    case 21:
        if (g->backend_forms) {
            random_call(r, b);
        } else {
            IRTemp a = operand(r, b), x = operand(r, b), c = operand(r, b);
            ir_call(b, helper_mix, a, x, c);
        }
        break;
    case 22: ir_insn_start(b, random_insn_pc(r)); break;
    case 23: case 24: { /* cut a recent value at a width near what the folder believes it has */
        static const unsigned widths[] = {1, 2, 6, 7, 8, 15, 16, 31, 32, 33, 63, 64};
        unsigned k = widths[rng_below(r, N_OF(widths))], sz = random_size(r), how = rng_below(r, 3);
        IRTemp x = b->ntemps ? b->ntemps - rng_below(r, b->ntemps < 3 ? b->ntemps : 3) : operand(r, b);
        if (how == 2)
            ir_op2(b, IR_and, sz, x, ir_movi(b, k == 64 ? ~0ull : (1ull << k) - 1));
        else
            ir_ext(b, how, sz, x, k);
        break;
    }
    case 25: /* the last put again, maybe in the next instruction */
        for (uint32_t i = b->count; i-- > 0;) {
            IRInsn last = b->insns[i];
            if (last.op == IR_put) {
                if (rng_below(r, 2))
                    ir_insn_start(b, random_insn_pc(r));
                ir_put(b, last.size, last.imm, last.src[0]);
                break;
            }
        }
        break;
    case 26: { /* read-modify-write of a register, as most instructions do */
        unsigned reg = rng_below(r, 4);
        IROp op = binary_ops[rng_below(r, N_OF(binary_ops))];
        unsigned sz = random_size(r);
        IRTemp v = ir_get(b, 8, XR(reg));
        ir_put(b, 8, XR(reg), ir_op2(b, op, sz, v, operand(r, b)));
        break;
    }
    case 27: case 28: gen_flags_and_conds(r, b); break;
    case 29: gen_pressure(r, b); break;
    case 30: gen_repeated_puts(r, g, b); break;
    case 31: gen_division(r, b); break;
    case 32: gen_shift(r, b); break;
    case 33: gen_scaled_add(r, b); break;
    case 37: case 38: gen_vec(r, b); break;
    default: gen_immediate(r, b); break;
    }
}

/* The block's last op: a direct jump, a conditional one (with a setcond the
 * backend may fuse into it), an indirect one, or an exit after the pc is set. */
static inline void random_end(Rng *r, const RandGen *g, IRBlock *b)
{
    switch (rng_below(r, g->backend_forms ? 7 : 5)) {
    case 0: ir_goto_tb(b, random_insn_pc(r)); break;
    case 1: case 2: {
        unsigned cond = rng_below(r, 16);
        IRTemp c = rng_below(r, 2) ? ir_cond(b, cond, ir_get(b, 4, NZCV)) : operand(r, b);
        uint64_t t = random_insn_pc(r);
        ir_goto_cond(b, c, t, rng_below(r, 8) ? t + 4 : t);
        break;
    }
    case 3: ir_goto_ptr(b, operand(r, b)); break;
    case 5: case 6: { /* compare and branch: a setcond with only moves after it */
        unsigned sz = random_size(r);
        IRTemp a = operand(r, b), x = rng_below(r, 2) ? ir_movi(b, random_imm(r)) : operand(r, b);
        IRTemp c = ir_setcond(b, (IRCond)rng_below(r, 10), sz, a, x);
        for (unsigned k = rng_below(r, 4); k-- > 0;) {
            switch (rng_below(r, 5)) {
            case 0: ir_insn_start(b, random_insn_pc(r)); break;
            case 1: ir_movi(b, random_imm(r)); break;
            case 2: ir_put(b, 8, XR(rng_below(r, 4)), c); break; /* a second use: no fusion */
            default: {
                uint64_t slot = XR(rng_below(r, 8));
                ir_put(b, 8, slot, operand(r, b));
                break;
            }
            }
        }
        uint64_t t = random_insn_pc(r);
        ir_goto_cond(b, c, t, rng_below(r, 8) ? random_insn_pc(r) : t);
        break;
    }
    default:
        /* exit: a helper or a put has set the pc. Under the backend's
         * contract the put must come last, after every insn_start. */
        if (!g->pc_puts || rng_below(r, 2))
            ir_put(b, 8, PC, operand(r, b));
        ir_exit(b);
        break;
    }
}

/* Fills b with a random block; returns its number of guest instructions
 * (insn_start ops, numbered for icount_undo). It starts at 0x1000 in the
 * basic mix, else at a random pc of 0x1000..0x10fc. */
static inline uint32_t random_block(Rng *r, const RandGen *g, IRBlock *b)
{
    ir_block_reset(b);
    ir_insn_start(b, g->backend_forms ? random_insn_pc(r) : 0x1000);
    unsigned n = 1 + rng_below(r, g->max_ops);
    for (unsigned i = 0; i < n; i++)
        random_op(r, g, b);
    random_end(r, g, b);
    uint32_t ninsns = 0;
    for (uint32_t i = 0; i < b->count; i++)
        ninsns += b->insns[i].op == IR_insn_start;
    ir_number_insns(b, ninsns);
    return ninsns;
}

#endif
