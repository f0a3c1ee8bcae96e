/* IR optimisation passes on random blocks: every subset of passes, and
 * random orders of single passes, must keep each block's meaning exactly as
 * the interpreter defines it: final env, memory and pc, and what each load,
 * store and call saw of env (a fault must see every earlier put). The check
 * itself is shown to catch a deliberately broken pass. */
#include <check.h>
#include <stdlib.h>

#include "ir_sandbox.h"
#include "jit/opt.h"
#include "unit_main.h"

static unsigned random_size(Rng *r) { return rng_below(r, 2) ? 8 : 4; }

/* A temp already written, or a fresh constant. */
static IRTemp operand(Rng *r, IRBlock *b)
{
    if (b->ntemps == 0 || rng_below(r, 4) == 0)
        return ir_movi(b, random_value(r));
    if (rng_below(r, 2)) /* recent temps: chains of dependent ops */
        return b->ntemps - rng_below(r, b->ntemps < 4 ? b->ntemps : 4);
    return 1 + rng_below(r, b->ntemps);
}

/* Mostly four registers and the flags, so that accesses collide; sometimes
 * any bytes below the pc, and for puts the pc itself. */
static void random_slot(Rng *r, bool for_put, uint64_t *offset, unsigned *size)
{
    unsigned k = rng_below(r, 16);
    if (k < 8) {
        *offset = XR(rng_below(r, 4)), *size = 8;
    } else if (k < 11) {
        *offset = NZCV, *size = 4;
    } else if (k == 11 && for_put) {
        *offset = PC, *size = 8;
    } else {
        *size = 1u << rng_below(r, 4);
        *offset = rng_below(r, (unsigned)PC - *size + 1);
    }
}

static const IROp binary_ops[] = {IR_add, IR_sub, IR_mul, IR_umulh, IR_smulh, IR_udiv, IR_sdiv,
                                  IR_and, IR_or,  IR_xor, IR_shl,   IR_shr,   IR_sar,  IR_ror};
static const IROp unary_ops[] = {IR_mov, IR_neg, IR_not, IR_clz, IR_rbit, IR_bswap};

static void random_op(Rng *r, IRBlock *b)
{
    uint64_t offset;
    unsigned size;
    switch (rng_below(r, 27)) {
    case 0: ir_movi(b, random_value(r)); break;
    case 1: case 2: case 3:
        random_slot(r, false, &offset, &size);
        ir_get(b, size, offset);
        break;
    case 4: case 5: case 6:
        random_slot(r, true, &offset, &size);
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
        ir_ld(b, sz, flags, operand(r, b), syndrome);
        break;
    }
    case 20: {
        unsigned sz = 1u << rng_below(r, 4), flags = rng_below(r, 2) * IRM_RELEASE;
        IRTemp addr = operand(r, b), value = operand(r, b);
        ir_st(b, sz, flags, addr, value, 7);
        break;
    }
    case 21: {
        IRTemp a = operand(r, b), x = operand(r, b), c = operand(r, b);
        ir_call(b, helper_mix, a, x, c);
        break;
    }
    case 22: ir_insn_start(b, 0x1000 + 4 * rng_below(r, 64)); break;
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
                    ir_insn_start(b, 0x1000 + 4 * rng_below(r, 64));
                ir_put(b, last.size, last.imm, last.src[0]);
                break;
            }
        }
        break;
    default: { /* read-modify-write of a register, as most instructions do */
        unsigned reg = rng_below(r, 4);
        IROp op = binary_ops[rng_below(r, N_OF(binary_ops))];
        unsigned sz = random_size(r);
        IRTemp v = ir_get(b, 8, XR(reg));
        ir_put(b, 8, XR(reg), ir_op2(b, op, sz, v, operand(r, b)));
        break;
    }
    }
}

static void random_block(Rng *r, IRBlock *b)
{
    ir_block_reset(b);
    ir_insn_start(b, 0x1000);
    unsigned n = 1 + rng_below(r, 20);
    for (unsigned i = 0; i < n; i++)
        random_op(r, b);
    switch (rng_below(r, 5)) {
    case 0: ir_goto_tb(b, 0x1000 + 4 * rng_below(r, 64)); break;
    case 1: case 2: {
        unsigned cond = rng_below(r, 16);
        IRTemp c = rng_below(r, 2) ? ir_cond(b, cond, ir_get(b, 4, NZCV)) : operand(r, b);
        uint64_t t = 0x1000 + 4 * rng_below(r, 64);
        ir_goto_cond(b, c, t, rng_below(r, 8) ? t + 4 : t);
        break;
    }
    case 3: ir_goto_ptr(b, operand(r, b)); break;
    default:
        if (rng_below(r, 2))
            ir_put(b, 8, PC, operand(r, b));
        ir_exit(b);
        break;
    }
}

/* Optimises the copy of random block number `block`, the way number `variant`. */
typedef void (*Optimizer)(IRBlock *b, unsigned variant, unsigned block);

static void optimize_by_mask(IRBlock *b, unsigned mask, unsigned block)
{
    (void)block;
    ir_optimize(b, mask);
}

/* Six single passes in an order of their own for each block and variant,
 * some repeated: orders ir_optimize never uses. */
static void optimize_by_sequence(IRBlock *b, unsigned variant, unsigned block)
{
    static void (*const passes[])(IRBlock *) = {ir_pass_fold, ir_pass_forward, ir_pass_dead_put, ir_pass_dce};
    uint32_t order = (block * 4 + variant) * 2654435761u;
    for (unsigned i = 0; i < 6; i++)
        passes[(order >> (8 + 2 * i)) & 3](b);
}

typedef struct {
    unsigned blocks, runs, faulted, ops_before, ops_after;
    char failure[200];
} CheckStats;

enum { MAX_VARIANTS = 16 };

static bool same_block(const IRBlock *x, const IRBlock *y)
{
    return x->count == y->count && memcmp(x->insns, y->insns, x->count * sizeof *x->insns) == 0;
}

/* Runs `blocks` random blocks and their optimised copies (variants
 * first..MAX_VARIANTS-1 of opt) from the same random state; stops at the first
 * difference. A copy identical to an earlier variant's is not run again. */
static bool equivalent_on_random_blocks(unsigned blocks, Optimizer opt, unsigned first, uint64_t seed, bool quiet,
                                        CheckStats *stats)
{
    Rng r = {seed};
    IRBlock b, opts[MAX_VARIANTS];
    ir_block_init(&b);
    for (unsigned v = 0; v < MAX_VARIANTS; v++)
        ir_block_init(&opts[v]);
    static Run before, after;
    bool ok = true;
    memset(stats, 0, sizeof *stats);
    char err[160];
    for (unsigned n = 0; n < blocks; n++) {
        random_block(&r, &b);
        ck_assert_msg(ir_verify(&b, err, sizeof err) == NULL, "generator made a bad block: %s", err);
        Guest g;
        uint8_t mem[MEM_BYTES];
        random_start(&r, &g, mem);
        run(&b, &g, mem, &before);
        stats->faulted += before.faulted;
        for (unsigned v = first; v < MAX_VARIANTS && ok; v++) {
            IRBlock *o = &opts[v];
            copy_block_into(o, &b);
            opt(o, v, n);
            stats->ops_before += b.count;
            stats->ops_after += o->count;
            bool seen = false;
            for (unsigned k = first; k < v && !seen; k++)
                seen = same_block(o, &opts[k]);
            if (seen)
                continue;
            const char *problem = ir_verify(o, err, sizeof err);
            if (!problem) {
                run(o, &g, mem, &after);
                problem = difference(&before, &after);
            }
            stats->runs++;
            if (problem) {
                snprintf(stats->failure, sizeof stats->failure, "block %u, variant %u: %s", n, v, problem);
                if (!quiet) {
                    fprintf(stderr, "%s\nbefore:\n", stats->failure);
                    ir_print(stderr, &b);
                    fprintf(stderr, "after:\n");
                    ir_print(stderr, o);
                }
                ok = false;
            }
        }
        if (!ok)
            break;
        stats->blocks++;
    }
    ir_block_free(&b);
    for (unsigned v = 0; v < MAX_VARIANTS; v++)
        ir_block_free(&opts[v]);
    return ok;
}

START_TEST(every_pass_subset_keeps_random_blocks_equivalent)
{
    CheckStats stats;
    /* mask 0 changes nothing; 1..15 are every non-empty subset */
    bool ok = equivalent_on_random_blocks(20000, optimize_by_mask, 1, 0x9e3779b97f4a7c15ull, false, &stats);
    ck_assert_msg(ok, "%s", stats.failure);
    ck_assert_uint_eq(stats.blocks, 20000);
    /* The generator must reach faults, and the passes must find work. */
    ck_assert_uint_gt(stats.faulted, 500);
    ck_assert_uint_lt(stats.ops_after * 10, stats.ops_before * 9);
}
END_TEST

START_TEST(pass_orders_keep_random_blocks_equivalent)
{
    CheckStats stats;
    bool ok = equivalent_on_random_blocks(2000, optimize_by_sequence, MAX_VARIANTS - 4, 0x5eed, false, &stats);
    ck_assert_msg(ok, "%s", stats.failure);
}
END_TEST

/* A dead-put pass that forgets that a fault observes env: the check must catch it. */
static void dead_put_ignoring_faults(IRBlock *b, unsigned variant, unsigned block)
{
    (void)variant, (void)block;
    uint32_t kept = 0;
    for (uint32_t i = 0; i < b->count; i++) {
        IRInsn *in = &b->insns[i];
        if (in->op != IR_put)
            continue;
        for (uint32_t j = i + 1; j < b->count; j++) {
            const IRInsn *later = &b->insns[j];
            bool overlaps = later->imm < in->imm + in->size && in->imm < later->imm + later->size;
            if (ir_op_info[later->op].props & P_END)
                break;
            if (later->op == IR_get && overlaps)
                break;
            if (later->op == IR_put && later->imm == in->imm && later->size == in->size) {
                in->op = IR_OP_COUNT; /* dropped */
                break;
            }
        }
    }
    for (uint32_t i = 0; i < b->count; i++)
        if (b->insns[i].op != IR_OP_COUNT)
            b->insns[kept++] = b->insns[i];
    b->count = kept;
}

START_TEST(the_random_check_catches_a_broken_pass)
{
    CheckStats stats;
    ck_assert(!equivalent_on_random_blocks(20000, dead_put_ignoring_faults, MAX_VARIANTS - 1, 0x9e3779b97f4a7c15ull,
                                           true, &stats));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("opt_random");
    TCase *tc = tcase_create("random");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, every_pass_subset_keeps_random_blocks_equivalent);
    tcase_add_test(tc, pass_orders_keep_random_blocks_equivalent);
    tcase_add_test(tc, the_random_check_catches_a_broken_pass);
    suite_add_tcase(s, tc);
    return unit_run_suite(s, true);
}
