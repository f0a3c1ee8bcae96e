/* Translation blocks and their cache, keyed by guest virtual pc, physical pc
 * and the translation-relevant CPU state (flags). */
#ifndef NESTOR_JIT_TB_H
#define NESTOR_JIT_TB_H

#include "jit/ir.h"

typedef struct TB {
    uint64_t vpc, ppc;
    uint32_t flags;
    uint32_t ninsns; /* guest instructions in the block (consecutive, from vpc) */
    IRBlock ir;
    struct TB *hash_next;
} TB;

#define TB_HASH_BITS 14

typedef struct {
    TB *buckets[1u << TB_HASH_BITS];
    size_t count;
    uint64_t translated; /* blocks translated since start (statistics) */
} TBCache;

void tb_cache_init(TBCache *c);
void tb_cache_flush(TBCache *c);
TB *tb_lookup(const TBCache *c, uint64_t vpc, uint64_t ppc, uint32_t flags);
/* Takes ownership of tb (allocated with tb_new). */
void tb_insert(TBCache *c, TB *tb);
TB *tb_new(uint64_t vpc, uint64_t ppc, uint32_t flags);
/* Drops every block whose guest code overlaps [start, end) physical. */
size_t tb_invalidate_phys(TBCache *c, uint64_t start, uint64_t end);

#endif
