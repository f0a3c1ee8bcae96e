/* IR -> x86-64 code for one block (internal to the JIT). */
#ifndef NESTOR_JIT_X64_BACKEND_H
#define NESTOR_JIT_X64_BACKEND_H

#include "jit/jit.h"
#include "jit/x64/emit.h"

/* Register conventions shared by the trampolines (jit.c) and the blocks:
 * env lives in R14 for the whole execution; R15 holds env's icount (loaded
 * by the entry trampoline, stored by the epilogue and before anything that
 * may read it or unwind: helper calls and memory slow paths), so chained
 * blocks count instructions without a store-to-load chain through memory;
 * RAX, RCX, RDX and R11 are scratch inside one IR op (never hold a temp
 * across ops); the other nine registers hold temps. The frame below the trampoline's pushes has
 * JIT_SPILL_SLOTS 8-byte spill slots at [rsp]; rsp is 16-byte aligned inside
 * blocks, so helpers can be called directly. */
#define JIT_ENV R14
#define JIT_ICOUNT R15
#define JIT_SPILL_SLOTS 256
#define JIT_FRAME_BYTES (JIT_SPILL_SLOTS * 8 + 8)

/* The lazy-flags materializer, placed among the trampolines: computes the
 * NZCV word from env's JitLazyFlags when its kind is set, clears the kind;
 * keeps every register but RCX, RDX, R11 and the flags. */
void x64_emit_flags_materializer(X64Buf *b, const JitTarget *t);
/* Calls the materializer (at rw_materializer, in b's mapping) if flags are lazy. */
void x64_emit_materialize_check(X64Buf *b, const JitTarget *t, const uint8_t *rw_materializer);

JitCompiler *x64_compiler_new(void);
void x64_compiler_free(JitCompiler *c);

/* Emits the block at buf's current position. Fills tb->jmp; returns JIT_OK,
 * JIT_CACHE_FULL (buf overflowed) or JIT_UNSUPPORTED. */
JitResult x64_compile_block(JitCompiler *c, const Jit *j, TB *tb, const IRBlock *ir, const void *env, X64Buf *buf);

#endif
