/* IR optimisation passes (DESIGN.md §2): each rewrites one block in place and
 * keeps its meaning exactly as the interpreter defines it, including what a
 * P_FAULT op sees of env. Temps keep their numbers; an op a pass drops is
 * squeezed out of the block, and uses of a temp that became a copy of another
 * are rewritten to the other. */
#ifndef NESTOR_JIT_OPT_H
#define NESTOR_JIT_OPT_H

#include <stdbool.h>

#include "jit/ir.h"

/* Each pass once: its mask bit and its name in ir_pass_parse lists. */
#define IR_PASSES(X) X(FOLD, 1, "fold") X(FORWARD, 2, "forward") X(DEAD_PUT, 4, "deadput") X(DCE, 8, "dce")

#define IR_PASS_ENUM_(id, bit, name) IR_PASS_##id = bit,
#define IR_PASS_BIT_(id, bit, name) | bit
#define IR_PASS_NAME_(id, bit, name) " " name
enum { IR_PASSES(IR_PASS_ENUM_) IR_PASS_ALL = 0 IR_PASSES(IR_PASS_BIT_) };
/* The pass names, each after a space, for help texts. */
#define IR_PASS_NAMES IR_PASSES(IR_PASS_NAME_)

/* Runs the passes in `passes` (a mask of IR_PASS_*) in the order forward,
 * fold, dce, dead_put, dce, and once more if that can find more (dce and
 * dead_put together run as one backward walk with the same result). */
void ir_optimize(IRBlock *b, unsigned passes);

/* Working memory of the passes, kept from block to block by a caller that
 * optimises many (the JIT): no allocation per block once it is large enough.
 * Zero-initialise; ir_opt_scratch_free releases it. */
typedef struct {
    void *per_temp, *per_op;
    size_t per_temp_bytes, per_op_bytes;
} IROptScratch;
void ir_optimize_with(IROptScratch *scratch, IRBlock *b, unsigned passes);
void ir_opt_scratch_free(IROptScratch *scratch);

/* Constant folding and propagation, algebraic identities, constant branches. */
void ir_pass_fold(IRBlock *b);
/* A get after a put of, or a get of, the same offset and size reuses that value;
 * a put of the value the slot already holds is dropped. */
void ir_pass_forward(IRBlock *b);
/* Drops a put whose bytes are all overwritten before anything can observe them
 * (a get, a P_FAULT op or the end of the block): dead registers and flags. */
void ir_pass_dead_put(IRBlock *b);
/* Drops ops without side effects whose result is never used. */
void ir_pass_dce(IRBlock *b);

/* Parses "none", "all" or a ':'-separated list of fold, forward, deadput, dce
 * into a mask; returns false (mask untouched) on anything else. */
bool ir_pass_parse(const char *text, unsigned *mask);

#endif
