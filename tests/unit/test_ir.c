/* IR builder, verifier and interpreter semantics. */
#include <check.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "jit/ir.h"
#include "unit_main.h"

typedef struct {
    uint64_t regs[4];
    uint64_t pc;
    uint32_t undo;
} Env;

static uint64_t no_load(void *env, uint64_t a, unsigned s, unsigned f, uint64_t y) { (void)env, (void)a, (void)s, (void)f, (void)y; return 0; }
static void no_store(void *env, uint64_t a, uint64_t v, unsigned s, unsigned f, uint64_t y) { (void)env, (void)a, (void)v, (void)s, (void)f, (void)y; }
static const IRTarget target = {.pc_offset = offsetof(Env, pc), .undo_offset = offsetof(Env, undo), .load = no_load, .store = no_store};

/* Runs "regs[0] = op(regs[1], regs[2])" at the given size. */
static uint64_t run2(IROp op, unsigned size, uint64_t a, uint64_t b)
{
    IRBlock blk;
    ir_block_init(&blk);
    IRTemp x = ir_get(&blk, 8, offsetof(Env, regs[1]));
    IRTemp y = ir_get(&blk, 8, offsetof(Env, regs[2]));
    IRTemp r = op == IR_nzcv_adc ? ir_nzcv_adc(&blk, size, x, y, ir_movi(&blk, 0)) : ir_op2(&blk, op, size, x, y);
    ir_put(&blk, 8, offsetof(Env, regs[0]), r);
    ir_goto_tb(&blk, 0x1000);
    char err[128];
    ck_assert_ptr_null(ir_verify(&blk, err, sizeof err));
    Env env = {.regs = {0, a, b}};
    ck_assert_uint_eq(ir_interpret(&blk, &env, &target), 0x1000);
    ck_assert_uint_eq(env.pc, 0x1000);
    ir_block_free(&blk);
    return env.regs[0];
}

START_TEST(arithmetic_follows_arm_rules)
{
    ck_assert_uint_eq(run2(IR_add, 4, 0xffffffff, 1), 0);
    ck_assert_uint_eq(run2(IR_add, 8, 0xffffffff, 1), 0x100000000ull);
    ck_assert_uint_eq(run2(IR_udiv, 8, 7, 0), 0);
    ck_assert_uint_eq(run2(IR_sdiv, 8, 0x8000000000000000ull, ~0ull), 0x8000000000000000ull);
    ck_assert_uint_eq(run2(IR_sdiv, 4, 0x80000000, 0xffffffff), 0x80000000);
    ck_assert_uint_eq(run2(IR_sdiv, 4, (uint32_t)-7, 2), (uint32_t)-3);
    ck_assert_uint_eq(run2(IR_shl, 4, 1, 33), 2);
    ck_assert_uint_eq(run2(IR_sar, 4, 0x80000000, 4), 0xf8000000);
    ck_assert_uint_eq(run2(IR_ror, 8, 1, 1), 0x8000000000000000ull);
    ck_assert_uint_eq(run2(IR_umulh, 8, ~0ull, ~0ull), ~0ull - 1);
    ck_assert_uint_eq(run2(IR_smulh, 8, ~0ull, ~0ull), 0);
}
END_TEST

START_TEST(flags_of_add_and_subtract)
{
    /* 0x7fffffff + 1 (32-bit): N=1 V=1 */
    ck_assert_uint_eq(run2(IR_nzcv_adc, 4, 0x7fffffff, 1) >> 28, 0x9);
    /* SUBS 0 - 0 as 0 + ~0 + 1: Z=1 C=1 */
    IRBlock blk;
    ir_block_init(&blk);
    IRTemp z = ir_movi(&blk, 0), notz = ir_movi(&blk, ~0ull), one = ir_movi(&blk, 1);
    ir_put(&blk, 8, offsetof(Env, regs[0]), ir_nzcv_adc(&blk, 8, z, notz, one));
    ir_goto_tb(&blk, 0);
    Env env = {0};
    ir_interpret(&blk, &env, &target);
    ck_assert_uint_eq(env.regs[0] >> 28, 0x6);
    ir_block_free(&blk);
}
END_TEST

START_TEST(verifier_rejects_malformed_blocks)
{
    IRBlock blk;
    char err[128];
    ir_block_init(&blk);
    ir_movi(&blk, 1);
    ck_assert_ptr_nonnull(ir_verify(&blk, err, sizeof err)); /* no terminator */
    ir_block_reset(&blk);
    ir_emit(&blk, IR_add, 8, 0, 1, 2, 0, 0, 0); /* reads temps never written */
    ir_goto_tb(&blk, 0);
    ck_assert_ptr_nonnull(ir_verify(&blk, err, sizeof err));
    ir_block_reset(&blk);
    ir_goto_tb(&blk, 0);
    ir_goto_tb(&blk, 0); /* terminator in the middle */
    ck_assert_ptr_nonnull(ir_verify(&blk, err, sizeof err));
    ir_block_reset(&blk);
    ir_ext(&blk, true, 8, ir_movi(&blk, 1), 0); /* extension from 0 bits */
    ir_goto_tb(&blk, 0);
    ck_assert_ptr_nonnull(ir_verify(&blk, err, sizeof err));
    ir_block_reset(&blk);
    ir_setcond(&blk, (IRCond)(IRC_GTS + 1), 8, ir_movi(&blk, 1), ir_movi(&blk, 2));
    ir_goto_tb(&blk, 0);
    ck_assert_ptr_nonnull(ir_verify(&blk, err, sizeof err));
    ir_block_reset(&blk);
    ir_cond(&blk, 16, ir_movi(&blk, 0));
    ir_goto_tb(&blk, 0);
    ck_assert_ptr_nonnull(ir_verify(&blk, err, sizeof err));
    /* more temps than the verifier's on-stack table: the same checks */
    ir_block_reset(&blk);
    IRTemp t = ir_movi(&blk, 0);
    for (int k = 0; k < 700; k++)
        t = ir_op2(&blk, IR_add, 8, t, t);
    ir_goto_tb(&blk, 0);
    ck_assert_ptr_null(ir_verify(&blk, err, sizeof err));
    blk.count--;
    ir_emit(&blk, IR_add, 8, 0, t, t + 1, 0, 0, 0); /* reads a temp never written */
    ir_goto_tb(&blk, 0);
    ck_assert_ptr_nonnull(ir_verify(&blk, err, sizeof err));
    ir_block_free(&blk);
}
END_TEST

/* ctest runs every test with NESTOR_VERIFY_IR=1 (top CMakeLists.txt): the
 * translator and the JIT must then verify each block. */
START_TEST(verification_follows_the_environment)
{
    const char *v = getenv("NESTOR_VERIFY_IR");
    if (v && strcmp(v, "1") == 0)
        ck_assert(ir_verify_enabled());
}
END_TEST

START_TEST(conditions_match_the_arm_table)
{
    /* EQ with Z set, GE with N == V, GT false when Z, AL and NV always. */
    ck_assert(ir_condition_holds(0, 0x40000000));
    ck_assert(!ir_condition_holds(1, 0x40000000));
    ck_assert(ir_condition_holds(10, 0x90000000));
    ck_assert(!ir_condition_holds(12, 0x40000000));
    ck_assert(ir_condition_holds(14, 0) && ir_condition_holds(15, 0));
}
END_TEST

/* ir.h: no get reads the pc slot, so that passes may ignore insn_start's write. */
START_TEST(interpreter_rejects_a_get_of_the_pc)
{
    IRBlock blk;
    ir_block_init(&blk);
    ir_put(&blk, 8, offsetof(Env, regs[0]), ir_get(&blk, 4, offsetof(Env, pc) + 4));
    ir_goto_tb(&blk, 0);
    Env env = {0};
    ir_interpret(&blk, &env, &target);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ir");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, arithmetic_follows_arm_rules);
    tcase_add_test(tc, flags_of_add_and_subtract);
    tcase_add_test(tc, verifier_rejects_malformed_blocks);
    tcase_add_test(tc, verification_follows_the_environment);
    tcase_add_test(tc, conditions_match_the_arm_table);
    tcase_add_test_raise_signal(tc, interpreter_rejects_a_get_of_the_pc, SIGABRT);
    suite_add_tcase(s, tc);
    return unit_run_suite(s, true);
}
