/* Register allocation over one IR block (internal to the x86-64 backend).
 *
 * Contract between the IR and the allocator:
 *  - temps are single-assignment, so a temp's live range is [its def, its
 *    last use]; last uses are computed up front (regalloc_prepare), extended
 *    for temps that a pending put (below) still needs;
 *  - a temp lives in a host register, in its spill slot, or nowhere when it
 *    is a constant (movi temps are rematerialised, never spilled);
 *  - put ops do not store at once: they become pending and are written to
 *    env at the flush points of ir.h's contract (the same decisions are
 *    made by the liveness pre-pass and by emission: regalloc_pending_step);
 *  - the scratch registers RAX, RCX, RDX, R11 are free for any op's own use
 *    and never hold a temp between ops;
 *  - at a helper call every live temp in a caller-saved register is spilled;
 *    temps whose range spans a call are preferably given callee-saved ones.
 */
#ifndef NESTOR_JIT_X64_REGALLOC_H
#define NESTOR_JIT_X64_REGALLOC_H

#include "jit/x64/backend.h"

typedef struct {
    uint32_t def, last_use, uses;
    int8_t reg;       /* host register holding the value, or X64_NOREG */
    int16_t slot;     /* spill slot, -1 if none assigned */
    bool slot_valid;  /* the slot holds the current value */
    bool is_const;
    bool crosses_call;
    uint8_t lazy;     /* an nzcv op whose puts store its operands (JIT_LAZY_*), else 0 */
    IRTemp lazy_b;    /* its second operand (0: lazy_imm, or none) */
    uint64_t value;   /* when is_const */
    uint64_t lazy_imm;
} TempState;

/* Where a value is, frozen at one point of the block (for out-of-line stubs). */
typedef struct {
    enum { LOC_REG, LOC_SLOT, LOC_CONST } kind;
    int8_t reg;
    int16_t slot;
    uint64_t imm;
} Loc;

typedef struct {
    uint32_t offset;
    uint8_t size;
    IRTemp temp;
} PendingPut;

typedef struct {
    uint32_t offset;
    uint8_t size;
    uint8_t lazy;  /* JIT_LAZY_*: loc and lazy_b are the operands (jit.h) */
    Loc loc, lazy_b;
} FrozenPut;

/* An out-of-line memory slow path, emitted after the block's main code. */
typedef struct {
    size_t jcc_field, resume;
    size_t site_field;  /* rel32 of the jump taken when the site slot misses (0: no slot) */
    size_t site_access; /* the host access, which expects the addend in RAX */
    int32_t site_slot;  /* env offset of the site slot */
    uint8_t mmu_index;
    bool is_store;
    uint8_t size;
    uint16_t flags;
    uint64_t syndrome, pc;
    uint32_t undo;
    Loc addr, value;
    X64Reg dst;
    uint16_t save_mask;
    uint32_t puts_first, puts_count;
} SlowStub;

#define MAX_PENDING 48

/* A direct exit of the block, whose stub is emitted after the main code. */
typedef struct {
    size_t field;  /* rel32 of the jump to the stub */
    uint64_t pc;
    int slot;      /* TB jump slot when chainable, else -1 (goes through lookup) */
} BlockExit;

struct JitCompiler {
    bool sse41, sse42; /* host CPU (cpuid at creation): SSE2 is part of x86-64 */
    bool fma;          /* FMA3 usable (CPU and OS: the check fpu/fast.c also uses) */
    const Jit *jit;
    const IRBlock *ir;
    X64Buf *buf;
    const void *env;
    TB *tb;
    size_t budget_field;
    BlockExit exits[2];
    unsigned nexits;
    TempState *t;
    uint32_t temps_cap;
    uint8_t *insn_flags; /* per insn: INSN_* */
    uint32_t insns_cap;
    uint32_t *calls_before; /* per insn: helper calls before it (regalloc_prepare) */
    uint32_t calls_before_cap;
    IRTemp reg_temp[16]; /* temp held by each host register, 0 if free */
    uint16_t occupied;   /* the registers whose reg_temp is not 0 */
    uint16_t locked;     /* registers the current op must not lose */
    int next_slot;
    unsigned next_site; /* access-site number, counted over every block compiled */
    PendingPut pending[MAX_PENDING];
    unsigned npending;
    SlowStub *stubs;
    uint32_t nstubs, stubs_cap;
    FrozenPut *frozen;
    uint32_t nfrozen, frozen_cap;
    uint64_t cur_pc;
    uint32_t cur_undo;
    bool failed; /* the block cannot be compiled (spill slots exhausted, ...) */
};

enum {
    INSN_SKIP = 1,  /* computed earlier (a cond folded into its flags op) */
    INSN_FUSED = 2, /* setcond folded into the block's final goto_cond */
    INSN_SCALED0 = 4, /* add whose source 0 is a skipped shl by 1..3: one LEA */
    INSN_SCALED1 = 8, /* the same for source 1 */
};

#define REGS_CALLER_SAVED ((1u << RSI) | (1u << RDI) | (1u << R8) | (1u << R9) | (1u << R10))
#define REGS_CALLEE_SAVED ((1u << RBX) | (1u << RBP) | (1u << R12) | (1u << R13))

/* Marks the nzcv ops whose value is only read by foldable conditions and
 * stored to the NZCV slot: they leave lazy flags (backend_flags.c). */
void flags_mark_lazy(JitCompiler *c);
/* y when an nzcv op is compiled as cmp a, y (nzcv_adc(a, not(y), 1)), else 0. */
IRTemp flags_compare_operand(const JitCompiler *c, const IRInsn *in);

/* Liveness and use counts; marks INSN_FUSED. Returns false if the block is
 * too large for the compiler's tables. */
bool regalloc_prepare(JitCompiler *c);

/* Register of temp t, loading it into a newly allocated register if needed. */
X64Reg ra_temp_reg(JitCompiler *c, IRTemp t);
/* A register holding t: its own, or scratch loaded with it (no allocation). */
X64Reg ra_operand(JitCompiler *c, IRTemp t, X64Reg scratch);
/* Loads t into a specific register (which must not hold a live temp). */
void ra_load_into(JitCompiler *c, IRTemp t, X64Reg r);
/* A free register for a new value of temp dst (spilling if needed). */
X64Reg ra_alloc(JitCompiler *c, IRTemp dst);
/* Gives dst the register of src if src dies at insn i and sits in a register. */
bool ra_take_over(JitCompiler *c, IRTemp dst, IRTemp src, uint32_t i);
/* Releases the registers of temps whose last use is insn i. */
void ra_release_dead(JitCompiler *c, const IRInsn *in, uint32_t i);
/* Spills every live temp held in a caller-saved register (before a call). */
void ra_spill_caller_saved(JitCompiler *c, uint32_t i);
/* Caller-saved registers holding temps that live beyond insn i, except dst. */
uint16_t ra_live_caller_saved(const JitCompiler *c, uint32_t i, IRTemp dst);
Loc ra_loc(const JitCompiler *c, IRTemp t);
/* Stores the value at loc to env[offset] (size bytes); uses RAX as scratch. */
void ra_store_loc(JitCompiler *c, Loc loc, uint32_t offset, unsigned size);
/* Stores a (frozen) put: its value, or for a lazy NZCV its operands. */
void ra_store_put(JitCompiler *c, const FrozenPut *p);

/* Pending puts. */
void ra_put(JitCompiler *c, const IRInsn *in);
void ra_flush_overlapping(JitCompiler *c, uint32_t offset, unsigned size);
void ra_flush_all(JitCompiler *c);
/* Freezes the pending puts for a stub; returns the index of the first. */
uint32_t ra_freeze_pending(JitCompiler *c, uint32_t *count);

static inline X64Mem env_mem(size_t offset) { return x64_mem(JIT_ENV, (int32_t)offset); }
static inline X64Mem slot_mem(int slot) { return x64_mem(RSP, slot * 8); }

#endif
