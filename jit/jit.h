/* The JIT engine: compiles IR blocks to x86-64 code in a code cache, runs
 * them, chains them. Knows the guest only through JitTarget (offsets into the
 * opaque env and callbacks), never through A64 or CPUState.
 *
 * Execution contract (in addition to the IR contract of ir.h):
 *  - guest state written by put ops is kept in host registers and written to
 *    env lazily: before every helper call, before every memory slow path
 *    (inside the out-of-line stub, so the fast path stores nothing), before
 *    any get that overlaps it, and at block exits. A P_FAULT op therefore
 *    still sees every earlier put, and the pc and icount_undo of its
 *    instruction, exactly as under the interpreter;
 *  - a block's prologue checks icount < icount_limit (else it exits to the
 *    run loop before executing anything) and adds the block's instruction
 *    count to icount; setting icount_limit to 0 stops a chain of blocks;
 *  - direct jumps are chained only within the block's virtual page; anything
 *    else goes through JitTarget.lookup (the jump cache), whose answers must
 *    stay valid until the run loop clears that cache;
 *  - with lazy_flags, a block that sets NZCV and only stores it (and reads
 *    conditions) stores the flag computation's operands (JitLazyFlags)
 *    instead of the NZCV word; the word is computed from them before any
 *    code outside the block reads it: a get of it, a helper call, a memory
 *    slow path, the return to the run loop. C code never sees lazy flags;
 *  - the memory fast path uses the soft TLB layout of JitTarget; the mmu
 *    index of an access must be a function of the block's flags (it is
 *    evaluated once, at translation).
 */
#ifndef NESTOR_JIT_JIT_H
#define NESTOR_JIT_JIT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "jit/codecache.h"
#include "jit/ir.h"
#include "jit/opt.h"
#include "jit/tb.h"

/* Counters kept in env (reached from generated code); the ones marked
 * "instrumented" only count when the JIT was created with instrument=true. */
typedef struct {
    uint64_t block_entries; /* instrumented: block prologues executed */
    uint64_t mem_fast;      /* instrumented: accesses served by the inline TLB path */
    uint64_t mem_slow;      /* instrumented: accesses that took the slow path */
    uint64_t lookups;       /* indirect-branch lookups (jump cache) */
    uint64_t lookup_hits;
} JitCounters;

/* NZCV not yet computed (jit.h contract): the operands of the flag-setting
 * operation and which operation (JIT_LAZY_*; 0: the NZCV word is current). */
typedef struct {
    uint64_t a, b;
    uint32_t kind;
    uint32_t unused;
} JitLazyFlags;

enum { JIT_LAZY_NONE, JIT_LAZY_SUB32, JIT_LAZY_SUB64, JIT_LAZY_ADD32, JIT_LAZY_ADD64, JIT_LAZY_LOGIC32, JIT_LAZY_LOGIC64 };

typedef struct {
    IRTarget ir;
    size_t icount_offset, icount_limit_offset;
    size_t counters_offset;      /* JitCounters in env */
    /* Soft TLB: env holds at tlb_ptr_offset one pointer per mmu index, to
     * that index's current table (the owner may repoint them between
     * blocks and in slow paths); entries of tlb_entry_size bytes at the
     * table's start, indexed by (va >> page_bits) & (2^tlb_bits - 1); an
     * access of size s hits when (va & (page mask | (s - 1))) equals the
     * entry's read or write tag; host address = va + addend. */
    size_t tlb_ptr_offset, tlb_entry_size;
    size_t tlb_read_offset, tlb_write_offset, tlb_addend_offset;
    unsigned tlb_bits, page_bits;
    /* Access-site slots (none when site_slots is 0): each load or store site
     * of the generated code owns slot n (its number modulo site_slots) of
     * kind w (0 load, 1 store) in its mmu index's current table, site_size
     * bytes at site_offset + (w * site_slots + n) * site_size from the
     * table, holding a copy of the tag and addend of the TLB entry of that
     * table that last served it. A site compares its slot first: its addend
     * load does not depend on the guest address, which keeps the TLB lookup
     * off the load's dependency chain. The env's owner invalidates slots
     * (tag of all ones) whenever it invalidates the translations they copy.
     * site_slots is a power of two. */
    size_t site_offset, site_size, site_tag_offset, site_addend_offset;
    unsigned site_slots;
    /* Lazy NZCV: the packed NZCV word (4 bytes, N Z C V in bits 31:28, the
     * IR's nzcv ops' result) and a JitLazyFlags in env. */
    bool lazy_flags;
    size_t nzcv_offset, lazy_flags_offset;
    unsigned (*mmu_index)(const void *env, unsigned irm_flags);
    /* The TBCache jump cache (TB pointers by tb_jmp_cache_index) in env:
     * blocks look indirect targets up there inline before calling lookup. */
    size_t jmp_cache_offset;
    /* Host code of the block at pc for the current state, or NULL (the run
     * loop then translates it; env pc is already set). */
    const void *(*lookup)(void *env, uint64_t pc);
} JitTarget;

typedef struct {
    uint64_t compiled, failed, cache_full, chained;
    uint64_t compile_ns, host_bytes, ir_ops_in, ir_ops_out;
    uint64_t loop_entries; /* blocks entered from the run loop */
} JitStats;

typedef struct JitCompiler JitCompiler;

typedef struct {
    CodeCache cache;
    const JitTarget *target;
    const uint8_t *enter;     /* uintptr_t enter(void *env, const void *code) */
    const uint8_t *epilogue;  /* returns rax to enter's caller */
    const uint8_t *exit_zero; /* returns 0 */
    const uint8_t *ptr_tail;  /* looks up env pc, jumps there or exits */
    const uint8_t *materialize; /* computes NZCV from JitLazyFlags; keeps all but RCX, RDX, R11, flags */
    unsigned passes;
    bool instrument;
    JitCompiler *comp;
    IROptScratch opt_scratch; /* the passes' working memory, reused by every block */
    JitStats stats;
} Jit;

typedef enum { JIT_OK, JIT_CACHE_FULL, JIT_UNSUPPORTED } JitResult;

/* cache_bytes is the code cache size; passes the ir_optimize mask. Returns
 * false with a message in err if the host refuses the code cache. */
bool jit_init(Jit *j, const JitTarget *t, size_t cache_bytes, unsigned passes, bool instrument, char *err,
              size_t errlen);
void jit_destroy(Jit *j);

/* Optimises and compiles tb->ir (env is the CPU state the block was translated
 * in). On JIT_OK tb->code is set and the IR freed. JIT_CACHE_FULL: flush the
 * cache (and every block) and retry. JIT_UNSUPPORTED: the block keeps its
 * (optimised, equivalent) IR for the interpreter. */
JitResult jit_compile(Jit *j, TB *tb, const void *env);
/* Forgets all code; the caller drops every block (tb_cache_flush). */
void jit_flush(Jit *j);

/* Runs compiled blocks from tb until one exits. Returns 0, or the jump that
 * exited unchained (TB pointer | slot) for jit_chain. */
uintptr_t jit_execute(Jit *j, void *env, const TB *tb);
/* Chains the exit (from | slot) to the compiled block to. */
void jit_chain(Jit *j, uintptr_t exit, TB *to);
/* TBUnlinkFn: undoes every chaining into and out of tb. */
void jit_unlink(void *jit, TB *tb);

void jit_print_stats(const Jit *j, const JitCounters *counters, FILE *out);

#endif
