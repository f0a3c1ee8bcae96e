/* IR optimisation passes on random blocks: every subset of passes, and
 * random orders of single passes, must keep each block's meaning exactly as
 * the interpreter defines it: final env, memory and pc, and what each load,
 * store and call saw of env (a fault must see every earlier put). The check
 * itself is shown to catch a deliberately broken pass. */
#include <check.h>
#include <stdlib.h>

#include "ir_randgen.h"
#include "jit/opt.h"
#include "unit_main.h"

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
        random_block(&r, &randgen_passes, &b);
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
