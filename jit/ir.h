/* Nestor IR: a linear list of operations over 64-bit temporaries, one list per
 * translation block. It knows nothing about A64: guest state is reached with
 * get/put at byte offsets into an opaque env (the CPU state), memory through
 * the callbacks of IRTarget, and everything else through helper calls.
 *
 * Contract with every engine (interpreter, x86-64 backend):
 *  - temps are numbered 1..ntemps; each is written by exactly one op before it
 *    is read (single assignment; the verifier checks it);
 *  - when a P_FAULT op executes, every put before it is visible in env, the
 *    guest pc in env (IRTarget.pc_offset) equals the imm of the last
 *    insn_start and the 32-bit icount_undo in env (IRTarget.undo_offset) its
 *    imm2: the number of the block's instructions after this one, which the
 *    run loop takes back from the instruction count if the op unwinds;
 *  - a block ends with exactly one P_END op, its last op;
 *  - no get reads the guest pc slot (IRTarget.pc_offset, 8 bytes): an
 *    instruction's pc is a translation-time constant. insn_start writes that
 *    slot, and the optimiser (opt.h) does not know where it is; keeping gets
 *    off it lets get/put forwarding cross instruction boundaries. The
 *    interpreter checks this rule. The same holds for icount_undo.
 */
#ifndef NESTOR_JIT_IR_H
#define NESTOR_JIT_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum {
#define IROP(name, nsrc, has_dst, props) IR_##name,
#include "jit/ir_ops.def"
#undef IROP
    IR_OP_COUNT
} IROp;

enum { P_NONE = 0, P_IMM = 1, P_SIDE = 2, P_FAULT = 4, P_END = 8 };

typedef struct {
    const char *name;
    uint8_t nsrc;
    bool has_dst;
    uint8_t props;
} IROpInfo;

extern const IROpInfo ir_op_info[IR_OP_COUNT];

/* Comparisons for setcond. */
typedef enum { IRC_EQ, IRC_NE, IRC_LTU, IRC_GEU, IRC_LEU, IRC_GTU, IRC_LTS, IRC_GES, IRC_LES, IRC_GTS } IRCond;

/* Flags of ld/st (the access size is the op's size). */
enum {
    IRM_SIGNED = 1 << 0,  /* ld: sign-extend the value to 64 bits (else zero-extend) */
    IRM_UNPRIV = 1 << 1,  /* access with EL0 permissions (LDTR/STTR) */
    IRM_ALIGN = 1 << 2,   /* must be naturally aligned whatever the memory type */
    IRM_ACQUIRE = 1 << 3, /* load-acquire */
    IRM_RELEASE = 1 << 4, /* store-release */
};

typedef uint32_t IRTemp; /* 0 = no temp */

typedef struct {
    uint8_t op;
    uint8_t size;
    uint16_t flags;
    IRTemp dst;
    IRTemp src[3];
    uint64_t imm;
    uint64_t imm2;
} IRInsn;

typedef struct {
    IRInsn *insns;
    uint32_t count, capacity;
    uint32_t ntemps;
} IRBlock;

/* Helper called by IR_call. It may unwind (longjmp) to the run loop. */
typedef uint64_t (*IRHelper)(void *env, uint64_t a, uint64_t b, uint64_t c);

/* What an engine needs to know about the guest side. */
typedef struct {
    size_t pc_offset;   /* byte offset of the 64-bit guest pc in env */
    size_t undo_offset; /* byte offset of the 32-bit icount_undo in env */
    /* load returns the value zero-extended, or sign-extended with IRM_SIGNED
     * (the JIT's inline path extends the same way; passes rely on it) */
    uint64_t (*load)(void *env, uint64_t addr, unsigned size, unsigned flags, uint64_t syndrome);
    void (*store)(void *env, uint64_t addr, uint64_t value, unsigned size, unsigned flags, uint64_t syndrome);
} IRTarget;

void ir_block_init(IRBlock *b);
void ir_block_free(IRBlock *b);
void ir_block_reset(IRBlock *b);

/* Builder: each returns the destination temp (0 for ops without one). */
IRTemp ir_emit(IRBlock *b, IROp op, unsigned size, unsigned flags, IRTemp a, IRTemp b_, IRTemp c,
               uint64_t imm, uint64_t imm2);
IRTemp ir_movi(IRBlock *b, uint64_t imm);
IRTemp ir_get(IRBlock *b, unsigned size, size_t offset);
void ir_put(IRBlock *b, unsigned size, size_t offset, IRTemp v);
IRTemp ir_op1(IRBlock *b, IROp op, unsigned size, IRTemp a);
IRTemp ir_op2(IRBlock *b, IROp op, unsigned size, IRTemp a, IRTemp c);
IRTemp ir_opi(IRBlock *b, IROp op, unsigned size, IRTemp a, uint64_t imm); /* op with an immediate operand b */
IRTemp ir_ext(IRBlock *b, bool is_signed, unsigned size, IRTemp a, unsigned from_bits);
IRTemp ir_setcond(IRBlock *b, IRCond c, unsigned size, IRTemp a, IRTemp x);
IRTemp ir_select(IRBlock *b, IRTemp cond, IRTemp if_true, IRTemp if_false);
IRTemp ir_nzcv_adc(IRBlock *b, unsigned size, IRTemp a, IRTemp x, IRTemp carry);
IRTemp ir_nzcv_logic(IRBlock *b, unsigned size, IRTemp result);
IRTemp ir_cond(IRBlock *b, unsigned a64_cond, IRTemp nzcv);
IRTemp ir_ld(IRBlock *b, unsigned size, unsigned flags, IRTemp addr, uint64_t syndrome);
void ir_st(IRBlock *b, unsigned size, unsigned flags, IRTemp addr, IRTemp value, uint64_t syndrome);
IRTemp ir_call(IRBlock *b, IRHelper fn, IRTemp a, IRTemp x, IRTemp c);
IRTemp ir_callp(IRBlock *b, IRHelper fn, IRTemp a, IRTemp x, IRTemp c);
/* A vector operation on env (jit/ir_vec.h: imm and imm2 from ir_vec_imm/ir_vec_imm2). */
void ir_vec(IRBlock *b, uint64_t imm, uint64_t imm2);
void ir_insn_start(IRBlock *b, uint64_t pc);
/* Sets every insn_start's imm2 once the block's instruction count is known. */
void ir_number_insns(IRBlock *b, uint32_t ninsns);
void ir_goto_tb(IRBlock *b, uint64_t pc);
void ir_goto_cond(IRBlock *b, IRTemp cond, uint64_t pc_true, uint64_t pc_false);
void ir_goto_ptr(IRBlock *b, IRTemp pc);
/* goto_ptr to a block whose flags, under mask, are flags & mask (imm and
 * imm2). Plain goto_ptr (imm2 = 0) wants the flags of the block it leaves.
 * An engine may only enter a found block directly if its flags match;
 * otherwise the run loop decides from the guest state. */
void ir_goto_ptr_flags(IRBlock *b, IRTemp pc, uint32_t flags, uint32_t mask);
void ir_exit(IRBlock *b);

/* Returns NULL if the block is well formed, else a description of the first problem. */
const char *ir_verify(const IRBlock *b, char *buf, size_t len);
/* Whether the translator and the JIT verify every block they produce (after
 * translation and after the passes). Verification costs about a tenth of a
 * block's translation, so it is off in plain builds and on: in builds
 * configured with NESTOR_VERIFY_IR (on by default with NESTOR_SANITIZE), and
 * whenever the environment variable NESTOR_VERIFY_IR is 1, which ctest sets
 * for every test (CMakeLists.txt, nestor_tests_verify_ir). */
bool ir_verify_enabled(void);
void ir_print(FILE *out, const IRBlock *b);

/* Reference engine. Runs the block to its terminator and returns the next guest
 * pc (also stored in env); P_FAULT ops may unwind instead of returning. */
uint64_t ir_interpret(const IRBlock *b, void *env, const IRTarget *target);

/* Evaluates an op that reaches neither env, memory nor the block's exit (movi,
 * mov, arithmetic, extensions, setcond, select, nzcv_*, cond) from the values
 * of its sources; a 4-byte op's result is zero-extended. Returns false for any
 * other op. Shared by the interpreter and the constant folder. */
bool ir_eval_pure(const IRInsn *in, const uint64_t src[3], uint64_t *result);

/* A64 condition evaluation shared by every engine: cond 0..15 over packed NZCV
 * (N = bit 31, Z = 30, C = 29, V = 28). */
static inline bool ir_condition_holds(unsigned cond, uint64_t nzcv)
{
    bool n = nzcv >> 31 & 1, z = nzcv >> 30 & 1, c = nzcv >> 29 & 1, v = nzcv >> 28 & 1;
    bool r;
    switch (cond >> 1) {
    case 0: r = z; break;
    case 1: r = c; break;
    case 2: r = n; break;
    case 3: r = v; break;
    case 4: r = c && !z; break;
    case 5: r = n == v; break;
    case 6: r = n == v && !z; break;
    default: return true; /* AL and NV both mean always */
    }
    return (cond & 1) ? !r : r;
}

#endif
