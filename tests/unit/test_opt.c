/* IR optimisation passes, one behaviour at a time: each case checks what a
 * pass did to a small block and that the block still means the same under the
 * interpreter (test_opt_random.c does the same for random blocks). */
#include <check.h>
#include <stdlib.h>

#include "ir_sandbox.h"
#include "jit/opt.h"
#include "unit_main.h"

/* Optimises a copy of b with the passes in mask; checks that it verifies and
 * behaves like b from a few starting states. Returns the copy. */
static IRBlock optimized(const IRBlock *b, unsigned mask)
{
    IRBlock opt;
    copy_block(&opt, b);
    ir_optimize(&opt, mask);
    assert_verifies(&opt);
    Rng r = {0x1234567};
    for (unsigned i = 0; i < 16; i++) {
        Guest g;
        uint8_t mem[MEM_BYTES];
        random_start(&r, &g, mem);
        if (i == 0) /* upper halves that a 4-byte op must ignore */
            for (unsigned k = 0; k < 8; k++)
                g.x[k] = 0xfedcba9800000000ull | k;
        if (i == 1)
            memset(g.x, 0, sizeof g.x);
        static Run before, after;
        run(b, &g, mem, &before);
        run(&opt, &g, mem, &after);
        const char *diff = difference(&before, &after);
        if (diff) {
            ir_print(stderr, &opt);
            ck_abort_msg("optimised block differs: %s", diff);
        }
    }
    return opt;
}

static unsigned count_op(const IRBlock *b, IROp op)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < b->count; i++)
        n += b->insns[i].op == op;
    return n;
}

static unsigned count_puts_at(const IRBlock *b, size_t offset)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < b->count; i++)
        n += b->insns[i].op == IR_put && b->insns[i].imm == offset;
    return n;
}

/* ---- forward ---- */

START_TEST(get_after_put_uses_the_put_value)
{
    IRBlock b;
    ir_block_init(&b);
    IRTemp v = ir_opi(&b, IR_add, 8, ir_get(&b, 8, XR(2)), 1);
    ir_put(&b, 8, XR(1), v);
    ir_insn_start(&b, 0x1004); /* forwarding crosses instructions */
    ir_put(&b, 8, XR(3), ir_get(&b, 8, XR(1)));
    ir_goto_tb(&b, 0x2000);
    IRBlock opt = optimized(&b, IR_PASS_FORWARD);
    ck_assert_uint_eq(count_op(&opt, IR_get), 1);
    ck_assert_uint_eq(opt.count, b.count - 1);
    ir_block_free(&opt);
    ir_block_free(&b);
}
END_TEST

/* Regression: the zero-extended forward of a narrow get once recorded the
 * slot at offset 8 * size (here XR(4)), so this put to XR(4) was dropped as
 * "already stored". Found by test_jit_random. */
START_TEST(narrow_forward_keeps_the_slot_offset)
{
    IRBlock b;
    ir_block_init(&b);
    ir_put(&b, 4, XR(5), ir_get(&b, 8, XR(2)));
    ir_put(&b, 4, XR(4), ir_get(&b, 4, XR(5)));
    ir_goto_tb(&b, 0x2000);
    IRBlock opt = optimized(&b, IR_PASS_FORWARD);
    ck_assert_uint_eq(count_op(&opt, IR_put), 2);
    ir_block_free(&opt);
    ir_block_free(&b);
}
END_TEST

START_TEST(repeated_get_reuses_the_first)
{
    IRBlock b;
    ir_block_init(&b);
    IRTemp x = ir_get(&b, 8, XR(1));
    ir_put(&b, 8, XR(2), x);
    IRTemp y = ir_get(&b, 8, XR(1));
    ir_put(&b, 8, XR(0), ir_op2(&b, IR_add, 8, x, y));
    ir_goto_tb(&b, 0x2000);
    IRBlock opt = optimized(&b, IR_PASS_FORWARD);
    ck_assert_uint_eq(count_op(&opt, IR_get), 1);
    ir_block_free(&opt);
    ir_block_free(&b);
}
END_TEST

START_TEST(narrow_put_forwards_a_zero_extension)
{
    IRBlock b;
    ir_block_init(&b);
    IRTemp wide = ir_get(&b, 8, XR(1));
    ir_put(&b, 4, NZCV, wide);
    ir_put(&b, 8, XR(0), ir_get(&b, 4, NZCV)); /* upper half of x1 must not leak */
    ir_goto_tb(&b, 0x2000);
    IRBlock opt = optimized(&b, IR_PASS_FORWARD);
    ck_assert_uint_eq(count_op(&opt, IR_get), 1);
    ck_assert_uint_eq(count_op(&opt, IR_zext), 1);
    ir_block_free(&opt);

    /* A value known to fit needs no extension. */
    ir_block_reset(&b);
    IRTemp flags = ir_nzcv_logic(&b, 8, ir_get(&b, 8, XR(1)));
    ir_put(&b, 4, NZCV, flags);
    ir_put(&b, 8, XR(0), ir_get(&b, 4, NZCV));
    ir_goto_tb(&b, 0x2000);
    opt = optimized(&b, IR_PASS_FORWARD);
    ck_assert_uint_eq(count_op(&opt, IR_get), 1);
    ck_assert_uint_eq(count_op(&opt, IR_zext), 0);
    ir_block_free(&opt);
    ir_block_free(&b);
}
END_TEST

START_TEST(forwarding_stops_where_it_must)
{
    IRBlock b;
    ir_block_init(&b);
    /* a call may write any guest state */
    ir_put(&b, 8, XR(1), ir_movi(&b, 5));
    IRTemp z = ir_movi(&b, 0);
    ir_call(&b, helper_mix, z, ir_movi(&b, 1), z);
    ir_put(&b, 8, XR(0), ir_get(&b, 8, XR(1)));
    /* different size at the same offset */
    ir_put(&b, 8, XR(2), ir_movi(&b, 0x1122334455667788ull));
    ir_put(&b, 8, XR(3), ir_get(&b, 4, XR(2)));
    /* an overlapping narrower put in between */
    ir_put(&b, 8, XR(4), ir_movi(&b, 7));
    ir_put(&b, 1, XR(4) + 3, ir_movi(&b, 0xff));
    ir_put(&b, 8, XR(5), ir_get(&b, 8, XR(4)));
    ir_goto_tb(&b, 0x2000);
    IRBlock opt = optimized(&b, IR_PASS_FORWARD);
    ck_assert_uint_eq(count_op(&opt, IR_get), 3);
    ir_block_free(&opt);
    ir_block_free(&b);
}
END_TEST

START_TEST(storing_back_what_was_read_is_dropped)
{
    IRBlock b;
    ir_block_init(&b);
    IRTemp x = ir_get(&b, 8, XR(1));
    ir_put(&b, 8, XR(1), x);
    ir_goto_tb(&b, 0x2000);
    IRBlock opt = optimized(&b, IR_PASS_FORWARD);
    ck_assert_uint_eq(count_op(&opt, IR_put), 0);
    ir_block_free(&opt);

    /* insn_start writes the pc between the two puts (the pass cannot know
     * which slot it is): the second stays. */
    ir_block_reset(&b);
    IRTemp pc = ir_movi(&b, 0x3000);
    ir_put(&b, 8, PC, pc);
    ir_insn_start(&b, 0x1004);
    ir_put(&b, 8, PC, pc);
    ir_exit(&b);
    opt = optimized(&b, IR_PASS_FORWARD);
    ck_assert_uint_eq(count_puts_at(&opt, PC), 2);
    ir_block_free(&opt);
    ir_block_free(&b);
}
END_TEST

/* ---- dead_put ---- */

/* SUBS x0, x1, x2 as the translator emits it. */
static void emit_subs(IRBlock *b, uint64_t pc)
{
    ir_insn_start(b, pc);
    IRTemp n = ir_get(b, 8, XR(1)), m = ir_op1(b, IR_not, 8, ir_get(b, 8, XR(2))), one = ir_movi(b, 1);
    ir_put(b, 8, XR(0), ir_op2(b, IR_add, 8, ir_op2(b, IR_add, 8, n, m), one));
    ir_put(b, 4, NZCV, ir_nzcv_adc(b, 8, n, m, one));
}

START_TEST(second_flag_write_kills_the_first)
{
    IRBlock b;
    ir_block_init(&b);
    emit_subs(&b, 0x1000);
    emit_subs(&b, 0x1004);
    ir_goto_tb(&b, 0x1008);
    IRBlock opt = optimized(&b, IR_PASS_ALL);
    ck_assert_uint_eq(count_puts_at(&opt, NZCV), 1);
    ck_assert_uint_eq(count_op(&opt, IR_nzcv_adc), 1);
    ck_assert_uint_eq(count_puts_at(&opt, XR(0)), 1);
    ir_block_free(&opt);

    /* Each pass on its own, in turn, ends at the same place. */
    copy_block(&opt, &b);
    ir_pass_forward(&opt);
    ir_pass_fold(&opt);
    ir_pass_dead_put(&opt);
    ir_pass_dce(&opt);
    assert_verifies(&opt);
    ck_assert_uint_eq(count_puts_at(&opt, NZCV), 1);
    ck_assert_uint_eq(count_op(&opt, IR_nzcv_adc), 1);
    ir_block_free(&opt);
    ir_block_free(&b);
}
END_TEST

START_TEST(flags_read_in_between_stay)
{
    IRBlock b;
    ir_block_init(&b);
    emit_subs(&b, 0x1000);
    ir_insn_start(&b, 0x1004); /* CSET x3, EQ */
    ir_put(&b, 8, XR(3), ir_cond(&b, 0, ir_get(&b, 4, NZCV)));
    emit_subs(&b, 0x1008);
    ir_goto_tb(&b, 0x100c);
    IRBlock opt = optimized(&b, IR_PASS_ALL & ~IR_PASS_FORWARD);
    ck_assert_uint_eq(count_puts_at(&opt, NZCV), 2);
    ir_block_free(&opt);
    /* With forwarding the read takes the value directly, and the put dies. */
    opt = optimized(&b, IR_PASS_ALL);
    ck_assert_uint_eq(count_puts_at(&opt, NZCV), 1);
    ck_assert_uint_eq(count_op(&opt, IR_nzcv_adc), 2);
    ir_block_free(&opt);
    ir_block_free(&b);
}
END_TEST

START_TEST(a_fault_sees_every_earlier_put)
{
    static const IROp between[] = {IR_ld, IR_st, IR_call};
    for (unsigned k = 0; k < N_OF(between); k++) {
        IRBlock b;
        ir_block_init(&b);
        ir_put(&b, 8, XR(1), ir_movi(&b, 1));
        IRTemp addr = ir_movi(&b, 0x10);
        if (between[k] == IR_ld)
            ir_ld(&b, 8, 0, addr, 0);
        else if (between[k] == IR_st)
            ir_st(&b, 8, 0, addr, addr, 0);
        else
            ir_call(&b, helper_mix, addr, addr, addr);
        ir_put(&b, 8, XR(1), ir_movi(&b, 2));
        ir_goto_tb(&b, 0x2000);
        IRBlock opt = optimized(&b, IR_PASS_ALL);
        ck_assert_uint_eq(count_puts_at(&opt, XR(1)), 2);
        ir_block_free(&opt);
        ir_block_free(&b);
    }
}
END_TEST

START_TEST(partial_overwrites)
{
    IRBlock b;
    ir_block_init(&b);
    IRTemp v = ir_get(&b, 8, XR(7));
    ir_put(&b, 8, XR(1), v); /* only half overwritten: stays */
    ir_put(&b, 4, XR(1), ir_movi(&b, 3));
    ir_put(&b, 4, XR(2) + 4, v); /* fully covered by the next: dies */
    ir_put(&b, 8, XR(2), ir_movi(&b, 4));
    ir_put(&b, 4, XR(3), v); /* covered by two narrower puts: dies */
    ir_put(&b, 2, XR(3), v);
    ir_put(&b, 2, XR(3) + 2, v);
    ir_put(&b, 8, XR(4), v); /* one byte read in between: stays */
    ir_put(&b, 8, XR(5), ir_get(&b, 1, XR(4) + 7));
    ir_put(&b, 8, XR(4), ir_movi(&b, 9));
    ir_put(&b, 8, XR(6), v); /* the block's end observes it */
    ir_exit(&b);
    IRBlock opt = optimized(&b, IR_PASS_DEAD_PUT);
    ck_assert_uint_eq(count_puts_at(&opt, XR(1)), 2);
    ck_assert_uint_eq(count_puts_at(&opt, XR(2) + 4), 0);
    ck_assert_uint_eq(count_puts_at(&opt, XR(2)), 1);
    ck_assert_uint_eq(count_puts_at(&opt, XR(3)), 1);
    ck_assert_uint_eq(count_puts_at(&opt, XR(4)), 2);
    ck_assert_uint_eq(count_puts_at(&opt, XR(6)), 1);
    ir_block_free(&opt);
    ir_block_free(&b);
}
END_TEST

/* ---- dce ---- */

START_TEST(unused_results_go_but_side_effects_stay)
{
    IRBlock b;
    ir_block_init(&b);
    IRTemp x = ir_get(&b, 8, XR(1));
    IRTemp unused = ir_op2(&b, IR_mul, 8, x, ir_opi(&b, IR_add, 8, x, 3));
    (void)unused;
    ir_ld(&b, 4, 0, x, 0);
    ir_call(&b, helper_mix, x, x, x);
    ir_goto_tb(&b, 0x2000);
    IRBlock opt = optimized(&b, IR_PASS_DCE);
    ck_assert_uint_eq(opt.count, 4); /* get, ld, call, goto_tb */
    ck_assert_uint_eq(count_op(&opt, IR_ld), 1);
    ck_assert_uint_eq(count_op(&opt, IR_call), 1);
    ir_block_free(&opt);
    ir_block_free(&b);
}
END_TEST

/* ---- fold ---- */

typedef struct {
    IROp op;
    unsigned size;
    uint64_t a, b, c, imm;
    uint64_t expect;
} FoldCase;

static const FoldCase fold_cases[] = {
    {IR_add, 4, 0xffffffff, 1, 0, 0, 0},
    {IR_add, 8, 0xffffffff, 1, 0, 0, 0x100000000ull},
    {IR_sub, 4, 0, 1, 0, 0, 0xffffffff},
    {IR_sub, 8, 0, 1, 0, 0, ~0ull},
    {IR_mul, 4, 0x10000, 0x10000, 0, 0, 0},
    {IR_mul, 8, 0x10000, 0x10000, 0, 0, 0x100000000ull},
    {IR_umulh, 8, ~0ull, ~0ull, 0, 0, ~0ull - 1},
    {IR_smulh, 8, ~0ull, ~0ull, 0, 0, 0},
    {IR_smulh, 8, MIN64, 2, 0, 0, ~0ull},
    {IR_udiv, 8, 7, 0, 0, 0, 0},
    {IR_udiv, 4, 0x100000007ull, 2, 0, 0, 3},
    {IR_udiv, 4, 7, 0x100000000ull, 0, 0, 0}, /* divisor is 0 at 32 bits */
    {IR_sdiv, 8, MIN64, ~0ull, 0, 0, MIN64},
    {IR_sdiv, 4, 0x80000000, 0xffffffff, 0, 0, 0x80000000},
    {IR_sdiv, 4, (uint32_t)-7, 2, 0, 0, (uint32_t)-3},
    {IR_sdiv, 8, (uint64_t)-7, 2, 0, 0, (uint64_t)-3},
    {IR_sdiv, 8, 5, 0, 0, 0, 0},
    {IR_and, 4, ~0ull, 0xf0f0f0f0f0ull, 0, 0, 0xf0f0f0f0},
    {IR_or, 8, 0xf0, 0x0f00000000000000ull, 0, 0, 0x0f000000000000f0ull},
    {IR_xor, 4, ~0ull, 1, 0, 0, 0xfffffffe},
    {IR_shl, 4, 1, 31, 0, 0, 0x80000000},
    {IR_shl, 4, 1, 32, 0, 0, 1},
    {IR_shl, 8, 1, 63, 0, 0, MIN64},
    {IR_shl, 8, 1, 64, 0, 0, 1},
    {IR_shr, 4, 0xffffffff80000000ull, 31, 0, 0, 1},
    {IR_shr, 8, MIN64, 63, 0, 0, 1},
    {IR_sar, 4, 0x80000000, 31, 0, 0, 0xffffffff},
    {IR_sar, 4, 0x80000000, 4, 0, 0, 0xf8000000},
    {IR_sar, 8, MIN64, 63, 0, 0, ~0ull},
    {IR_ror, 4, 1, 1, 0, 0, 0x80000000},
    {IR_ror, 8, 1, 1, 0, 0, MIN64},
    {IR_ror, 8, 0x1234, 64, 0, 0, 0x1234},
    {IR_neg, 4, 1, 0, 0, 0, 0xffffffff},
    {IR_not, 4, 0, 0, 0, 0, 0xffffffff},
    {IR_not, 8, 0, 0, 0, 0, ~0ull},
    {IR_clz, 4, 0, 0, 0, 0, 32},
    {IR_clz, 8, 0, 0, 0, 0, 64},
    {IR_clz, 4, 0x100000001ull, 0, 0, 0, 31},
    {IR_rbit, 4, 1, 0, 0, 0, 0x80000000},
    {IR_rbit, 8, 1, 0, 0, 0, MIN64},
    {IR_bswap, 4, 0x11223344, 0, 0, 0, 0x44332211},
    {IR_bswap, 8, 0x1122334455667788ull, 0, 0, 0, 0x8877665544332211ull},
    {IR_sext, 8, 0x80, 0, 0, 8, 0xffffffffffffff80ull},
    {IR_sext, 4, 0x80, 0, 0, 8, 0xffffff80},
    {IR_sext, 8, 0x7fff, 0, 0, 16, 0x7fff},
    {IR_zext, 8, ~0ull, 0, 0, 16, 0xffff},
    {IR_zext, 4, ~0ull, 0, 0, 64, 0xffffffff},
    {IR_mov, 4, ~0ull, 0, 0, 0, 0xffffffff},
    {IR_setcond, 4, 0xffffffff, 0, 0, IRC_LTS, 1},
    {IR_setcond, 8, 0xffffffff, 0, 0, IRC_LTS, 0},
    {IR_setcond, 4, 0x100000000ull, 0, 0, IRC_EQ, 1},
    {IR_setcond, 8, 2, 3, 0, IRC_GEU, 0},
    {IR_select, 8, 0, 5, 7, 0, 7},
    {IR_select, 8, 0x100000000ull, 5, 7, 0, 5},
    {IR_nzcv_adc, 4, 0x7fffffff, 1, 0, 0, 0x90000000},
    {IR_nzcv_adc, 8, 0, ~0ull, 1, 0, 0x60000000},
    {IR_nzcv_logic, 4, 0x180000000ull, 0, 0, 0, 0x80000000},
    {IR_nzcv_logic, 8, 0, 0, 0, 0, 0x40000000},
    {IR_cond, 8, 0x90000000, 0, 0, 10, 1}, /* GE: N == V */
    {IR_cond, 8, 0x40000000, 0, 0, 12, 0}, /* GT false when Z */
};

START_TEST(constants_fold_to_the_interpreters_result)
{
    const FoldCase *fc = &fold_cases[_i];
    IRBlock b;
    ir_block_init(&b);
    IRTemp a = ir_movi(&b, fc->a), x = ir_movi(&b, fc->b), c = ir_movi(&b, fc->c);
    unsigned nsrc = ir_op_info[fc->op].nsrc;
    IRTemp r = ir_emit(&b, fc->op, fc->size, 0, a, nsrc > 1 ? x : 0, nsrc > 2 ? c : 0, fc->imm, 0);
    ir_put(&b, 8, XR(0), r);
    ir_goto_tb(&b, 0x2000);
    IRBlock opt = optimized(&b, IR_PASS_FOLD | IR_PASS_DCE);
    ck_assert_uint_eq(opt.count, 3);
    ck_assert_uint_eq(opt.insns[0].op, IR_movi);
    ck_assert_msg(opt.insns[0].imm == fc->expect, "%s.%u folded to %#llx, expected %#llx", ir_op_info[fc->op].name,
                  fc->size * 8, (unsigned long long)opt.insns[0].imm, (unsigned long long)fc->expect);
    ir_block_free(&opt);
    ir_block_free(&b);
}
END_TEST

/* x op constant at a size, with x read from a 4- or 8-byte slot. */
static IRBlock identity_block(IROp op, unsigned size, unsigned x_bytes, uint64_t k, bool k_first)
{
    IRBlock b;
    ir_block_init(&b);
    IRTemp x = ir_get(&b, x_bytes, x_bytes == 4 ? NZCV : XR(1));
    IRTemp c = ir_movi(&b, k);
    ir_put(&b, 8, XR(0), k_first ? ir_op2(&b, op, size, c, x) : ir_op2(&b, op, size, x, c));
    ir_goto_tb(&b, 0x2000);
    return b;
}

typedef struct {
    IROp op;
    unsigned size, x_bytes;
    uint64_t k;
    bool k_first;
    IROp becomes; /* IR_mov: a plain copy of x; IR_OP_COUNT: unchanged */
} IdentityCase;

static const IdentityCase identity_cases[] = {
    {IR_add, 8, 8, 0, false, IR_mov},
    {IR_add, 8, 8, 0, true, IR_mov},
    {IR_add, 4, 4, 0, false, IR_mov},
    {IR_add, 4, 8, 0, false, IR_zext}, /* x's upper half must be cleared */
    {IR_add, 4, 8, 0x100000000ull, false, IR_zext},
    {IR_sub, 8, 8, 0, false, IR_mov},
    {IR_sub, 8, 8, 0, true, IR_OP_COUNT},
    {IR_or, 4, 4, 0, true, IR_mov},
    {IR_or, 8, 8, ~0ull, false, IR_movi},
    {IR_or, 4, 8, 0xffffffff, false, IR_movi},
    {IR_xor, 8, 8, 0, false, IR_mov},
    {IR_and, 8, 8, ~0ull, false, IR_mov},
    {IR_and, 4, 8, 0xffffffff, false, IR_zext},
    {IR_and, 4, 4, 0xffffffff, false, IR_mov},
    {IR_and, 8, 8, 0xff, true, IR_zext},
    {IR_and, 8, 4, 0xffffffffffull, false, IR_mov},
    {IR_and, 8, 8, 0, false, IR_movi},
    {IR_and, 8, 8, 0xf0, false, IR_OP_COUNT},
    {IR_mul, 8, 8, 1, true, IR_mov},
    {IR_mul, 4, 8, 1, false, IR_zext},
    {IR_mul, 8, 8, 0, false, IR_movi},
    {IR_umulh, 8, 8, 0, false, IR_movi},
    {IR_umulh, 4, 8, 0x100000000ull, false, IR_OP_COUNT}, /* umulh reads all 64 bits */
    {IR_udiv, 8, 8, 1, false, IR_mov},
    {IR_sdiv, 4, 8, 1, false, IR_zext},
    {IR_udiv, 8, 8, 0, false, IR_movi},
    {IR_sdiv, 8, 8, 0, true, IR_movi},
    {IR_sdiv, 8, 8, ~0ull, false, IR_OP_COUNT},
    {IR_shl, 8, 8, 0, false, IR_mov},
    {IR_shl, 8, 8, 64, false, IR_mov},
    {IR_shl, 4, 4, 32, false, IR_mov},
    {IR_shl, 4, 8, 32, false, IR_zext},
    {IR_shl, 4, 8, 31, false, IR_OP_COUNT},
    {IR_shr, 4, 8, 0, false, IR_zext},
    {IR_sar, 4, 8, 0, false, IR_zext},
    {IR_sar, 8, 8, 0, true, IR_movi},
    {IR_sar, 8, 8, ~0ull, true, IR_movi},
    {IR_ror, 8, 8, 128, false, IR_mov},
};

START_TEST(algebraic_identities_respect_the_width)
{
    const IdentityCase *ic = &identity_cases[_i];
    IRBlock b = identity_block(ic->op, ic->size, ic->x_bytes, ic->k, ic->k_first);
    IRBlock opt = optimized(&b, IR_PASS_FOLD | IR_PASS_DCE);
    unsigned ops = opt.count - 3; /* besides get, put and goto_tb */
    const char *name = ir_op_info[ic->op].name;
    switch (ic->becomes) {
    case IR_mov:
        ck_assert_msg(opt.count == 3 && opt.insns[1].src[0] == opt.insns[0].dst, "%s.%u: not a copy", name,
                      ic->size * 8);
        break;
    case IR_movi:
        ck_assert_msg(count_op(&opt, IR_get) == 0 && count_op(&opt, IR_movi) == 1, "%s.%u: not a constant", name,
                      ic->size * 8);
        break;
    case IR_OP_COUNT:
        ck_assert_msg(count_op(&opt, ic->op) == 1, "%s.%u: changed", name, ic->size * 8);
        break;
    default:
        ck_assert_msg(ops == 1 && count_op(&opt, ic->becomes) == 1, "%s.%u: not a %s", name, ic->size * 8,
                      ir_op_info[ic->becomes].name);
        break;
    }
    ir_block_free(&opt);
    ir_block_free(&b);
}
END_TEST

START_TEST(constant_conditions_decide)
{
    IRBlock b;
    ir_block_init(&b);
    IRTemp x = ir_get(&b, 8, XR(1)), y = ir_get(&b, 8, XR(2));
    ir_put(&b, 8, XR(0), ir_select(&b, ir_movi(&b, 0x100000000ull), x, y));
    ir_put(&b, 8, XR(3), ir_cond(&b, 14, ir_get(&b, 4, NZCV))); /* AL: whatever the flags */
    ir_put(&b, 8, XR(4), ir_setcond(&b, IRC_LES, 4, x, x));
    ir_put(&b, 8, XR(5), ir_select(&b, ir_get(&b, 8, XR(6)), y, y));
    /* select tests all 64 bits of its condition, whatever its size */
    ir_put(&b, 8, XR(7), ir_emit(&b, IR_select, 4, 0, ir_movi(&b, 0x100000000ull), x, y, 0, 0));
    IRTemp flags = ir_nzcv_adc(&b, 4, ir_movi(&b, 0x7fffffff), ir_movi(&b, 1), ir_movi(&b, 0));
    ir_goto_cond(&b, ir_cond(&b, 11, flags), 0x3000, 0x4000); /* LT: N != V, both set: false */
    IRBlock opt = optimized(&b, IR_PASS_FOLD | IR_PASS_DCE);
    ck_assert_uint_eq(count_op(&opt, IR_select), 0);
    ck_assert_uint_eq(count_op(&opt, IR_cond), 0);
    ck_assert_uint_eq(count_op(&opt, IR_setcond), 0);
    ck_assert_uint_eq(count_op(&opt, IR_goto_cond), 0);
    ck_assert_uint_eq(opt.insns[opt.count - 1].op, IR_goto_tb);
    ck_assert_uint_eq(opt.insns[opt.count - 1].imm, 0x4000);
    ck_assert_uint_eq(count_op(&opt, IR_get), 2); /* x1 and x2 */
    ir_block_free(&opt);
    ir_block_free(&b);
}
END_TEST

START_TEST(extensions_of_values_that_fit_vanish)
{
    IRBlock b;
    ir_block_init(&b);
    IRTemp w = ir_get(&b, 4, NZCV);
    ir_put(&b, 8, XR(0), ir_ext(&b, false, 8, w, 32));
    ir_put(&b, 8, XR(1), ir_ext(&b, true, 8, ir_get(&b, 2, XR(2)), 32));
    ir_put(&b, 8, XR(2), ir_ext(&b, true, 8, w, 32)); /* bit 31 may be set: stays */
    ir_goto_tb(&b, 0x2000);
    IRBlock opt = optimized(&b, IR_PASS_FOLD);
    ck_assert_uint_eq(count_op(&opt, IR_zext), 0);
    ck_assert_uint_eq(count_op(&opt, IR_sext), 1);
    ir_block_free(&opt);

    /* clz.64 of 0 is 64: seven bits, so cutting it to six must stay. */
    ir_block_reset(&b);
    IRTemp z = ir_op1(&b, IR_clz, 8, ir_get(&b, 8, XR(1)));
    ir_put(&b, 8, XR(0), ir_ext(&b, false, 8, z, 6));
    ir_put(&b, 8, XR(2), ir_ext(&b, false, 8, z, 7));
    ir_goto_tb(&b, 0x2000);
    opt = optimized(&b, IR_PASS_FOLD);
    ck_assert_uint_eq(count_op(&opt, IR_zext), 1);
    ir_block_free(&opt);
    ir_block_free(&b);
}
END_TEST

/* ---- options ---- */

START_TEST(pass_lists_parse)
{
    unsigned mask = 99;
    ck_assert(ir_pass_parse("none", &mask) && mask == 0);
    ck_assert(ir_pass_parse("all", &mask) && mask == IR_PASS_ALL);
    ck_assert(ir_pass_parse("fold:dce", &mask) && mask == (IR_PASS_FOLD | IR_PASS_DCE));
    ck_assert(ir_pass_parse("deadput", &mask) && mask == IR_PASS_DEAD_PUT);
    ck_assert(ir_pass_parse("dce:deadput:forward:fold", &mask) && mask == IR_PASS_ALL);
    static const char *const bad[] = {"", "fold:", ":fold", "fold::dce", "fold,dce", "FOLD", "folds", "all:fold", "dead"};
    for (unsigned i = 0; i < N_OF(bad); i++) {
        mask = 99;
        ck_assert_msg(!ir_pass_parse(bad[i], &mask) && mask == 99, "accepted \"%s\"", bad[i]);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("opt");
    TCase *tc = tcase_create("passes");
    tcase_add_test(tc, get_after_put_uses_the_put_value);
    tcase_add_test(tc, repeated_get_reuses_the_first);
    tcase_add_test(tc, narrow_forward_keeps_the_slot_offset);
    tcase_add_test(tc, narrow_put_forwards_a_zero_extension);
    tcase_add_test(tc, forwarding_stops_where_it_must);
    tcase_add_test(tc, storing_back_what_was_read_is_dropped);
    tcase_add_test(tc, second_flag_write_kills_the_first);
    tcase_add_test(tc, flags_read_in_between_stay);
    tcase_add_test(tc, a_fault_sees_every_earlier_put);
    tcase_add_test(tc, partial_overwrites);
    tcase_add_test(tc, unused_results_go_but_side_effects_stay);
    tcase_add_loop_test(tc, constants_fold_to_the_interpreters_result, 0, N_OF(fold_cases));
    tcase_add_loop_test(tc, algebraic_identities_respect_the_width, 0, N_OF(identity_cases));
    tcase_add_test(tc, constant_conditions_decide);
    tcase_add_test(tc, extensions_of_values_that_fit_vanish);
    tcase_add_test(tc, pass_lists_parse);
    suite_add_tcase(s, tc);
    return unit_run_suite(s, true);
}
