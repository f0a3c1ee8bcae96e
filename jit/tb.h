/* Translation blocks and their cache, keyed by guest virtual pc, physical pc
 * and the translation-relevant CPU state (flags). A block holds its IR until
 * a backend compiles it to host code; compiled blocks may be chained by
 * direct jumps (TBJump), which the cache undoes when a block is dropped. */
#ifndef NESTOR_JIT_TB_H
#define NESTOR_JIT_TB_H

#include "jit/ir.h"

struct TB;

/* One direct exit of a compiled block (goto_tb / each side of goto_cond). */
typedef struct {
    uint32_t rel_off;   /* offset in the block's code of the jmp's rel32; 0 = unused */
    uint32_t stub_off;  /* offset of the exit stub the jmp targets when unchained */
    struct TB *dest;    /* block it is chained to, or NULL */
    uintptr_t next;     /* next jump into dest: TB pointer | slot number */
} TBJump;

typedef struct TB {
    uint64_t vpc, ppc;
    uint32_t flags;
    uint32_t ninsns; /* guest instructions in the block (consecutive, from vpc) */
    IRBlock ir;      /* freed once the block is compiled */
    const uint8_t *code; /* host code (executable view), NULL: run the IR */
    uint32_t code_size;
    TBJump jmp[2];
    uintptr_t incoming; /* list of jumps chained into this block (TB | slot) */
    struct TB *hash_next;
    struct TB *page_next; /* next block of the same physical page bucket */
} TB;

#define TB_HASH_BITS 16
#define TB_JMP_CACHE_BITS 14
#define TB_PAGE_HASH_BITS 12 /* blocks by physical page (a block never crosses one) */
#define TB_PAGE_BITS 12

/* Backend hooks: undo the chaining of a block about to be dropped; forget
 * all host code when every block is dropped. */
typedef void (*TBUnlinkFn)(void *backend, TB *tb);
typedef void (*TBFlushFn)(void *backend);

/* Virtually indexed cache of recent blocks for indirect branches, one per
 * CPU (the blocks themselves may be shared). It must be cleared whenever
 * virtual-to-physical mappings or the flags of the blocks it holds may have
 * changed meaning (tb_jmp_cache_clear). */
typedef struct {
    TB *slots[1u << TB_JMP_CACHE_BITS];
    /* Which virtual pages (by tb_jmp_page_bit) may have blocks here:
     * dropping a page's blocks skips pages never entered. */
    uint64_t pages[(1u << TB_JMP_CACHE_BITS) / 64];
} TBJmpCache;

/* The blocks, found by (vpc, ppc, flags) and by physical page. Every jump
 * cache that may hold them is registered (tb_cache_add_jmp_cache): a block
 * that goes leaves them all. */
typedef struct {
    TB *buckets[1u << TB_HASH_BITS];
    TB *page_buckets[1u << TB_PAGE_HASH_BITS];
    size_t count;
    uint64_t translated; /* blocks translated since start (statistics) */
    TBJmpCache **jmp_caches;
    unsigned njmp_caches;
    void *backend;
    TBUnlinkFn unlink;
    TBFlushFn flush;
} TBCache;

void tb_cache_init(TBCache *c);
/* Drops every block (and registration), for good. */
void tb_cache_destroy(TBCache *c);
void tb_cache_add_jmp_cache(TBCache *c, TBJmpCache *j);
void tb_cache_flush(TBCache *c);
TB *tb_lookup(const TBCache *c, uint64_t vpc, uint64_t ppc, uint32_t flags);
/* Takes ownership of tb (allocated with tb_new). */
void tb_insert(TBCache *c, TB *tb);
TB *tb_new(uint64_t vpc, uint64_t ppc, uint32_t flags);
/* Drops every block whose guest code overlaps [start, end) physical. */
size_t tb_invalidate_phys(TBCache *c, uint64_t start, uint64_t end);
/* Drops every block for which drop(tb, arg) holds (a scan of all blocks). */
size_t tb_invalidate_if(TBCache *c, bool (*drop)(const TB *tb, void *arg), void *arg);

static inline unsigned tb_jmp_cache_index(uint64_t vpc)
{
    return (unsigned)((vpc >> 2 ^ vpc >> (2 + TB_JMP_CACHE_BITS)) & ((1u << TB_JMP_CACHE_BITS) - 1));
}
void tb_jmp_cache_clear(TBJmpCache *j);

/* A bits-bit hash of the page of addr (Fibonacci hashing of the page number):
 * the physical page buckets and the jump cache's page bits. */
static inline unsigned tb_page_hash(uint64_t addr, unsigned bits)
{
    return (unsigned)(((addr >> TB_PAGE_BITS) * 0x9e3779b97f4a7c15ull) >> (64 - bits));
}

static inline unsigned tb_jmp_page_bit(uint64_t vpc) { return tb_page_hash(vpc, TB_JMP_CACHE_BITS); }

/* Remembers tb for indirect jumps to its pc. */
static inline void tb_jmp_cache_set(TBJmpCache *j, TB *tb)
{
    unsigned bit = tb_jmp_page_bit(tb->vpc);
    j->slots[tb_jmp_cache_index(tb->vpc)] = tb;
    j->pages[bit / 64] |= 1ull << (bit % 64);
}
/* Forgets the blocks at virtual pcs in [vpage, vpage + size). */
void tb_jmp_cache_drop_page(TBJmpCache *j, uint64_t vpage, uint64_t size);

#endif
