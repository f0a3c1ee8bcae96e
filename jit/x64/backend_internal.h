/* Emission pieces shared by the backend's files (internal). */
#ifndef NESTOR_JIT_X64_BACKEND_INTERNAL_H
#define NESTOR_JIT_X64_BACKEND_INTERNAL_H

#include "jit/x64/regalloc.h"

void emit_jmp_to(JitCompiler *c, const uint8_t *rx_target);
void emit_store_u64(JitCompiler *c, size_t offset, uint64_t v);
void emit_sync_pc(JitCompiler *c);
/* Points the rel32 at field (0: none) at the current position. */
void patch_here(JitCompiler *c, size_t field);
X64Cond emit_compare(JitCompiler *c, const IRInsn *setcond);

void emit_flags(JitCompiler *c, const IRInsn *in, uint32_t i);        /* backend_flags.c */
/* Before code outside the block reads NZCV: computes it if it is lazy. */
void emit_materialize_flags(JitCompiler *c);
/* Whether guest state [offset, offset + size) overlaps a lazy-flags NZCV slot. */
bool flags_overlap_nzcv(const JitTarget *t, uint64_t offset, unsigned size);
void emit_cond_from_nzcv(JitCompiler *c, const IRInsn *in);
void emit_memory(JitCompiler *c, const IRInsn *in, uint32_t i);       /* backend_mem.c */
void emit_slow_stubs(JitCompiler *c);
void emit_vec(JitCompiler *c, const IRInsn *in, uint32_t i);           /* backend_vec.c */
void emit_prologue(JitCompiler *c);                                   /* backend_end.c */
void emit_block_end(JitCompiler *c, const IRInsn *in, uint32_t i);
void emit_stubs(JitCompiler *c);

#endif
