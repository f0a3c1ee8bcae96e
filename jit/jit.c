/* The JIT engine around the x86-64 backend: code cache and trampolines,
 * compilation, execution, chaining, statistics. */
#include "jit/jit.h"

#include <capstone/capstone.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jit/opt.h"
#include "jit/x64/backend.h"
#include "trace/log.h"

static const X64Reg saved_regs[] = {RBP, RBX, R12, R13, R14, R15};
#define NSAVED (sizeof saved_regs / sizeof saved_regs[0])


static void jmp_to(X64Buf *b, const uint8_t *rw_target)
{
    size_t field = x64_jmp(b);
    if (field)
        x64_patch_rel32(b->start, field, rw_target);
}

/* The fixed code at the start of the cache, kept across flushes. */
static bool emit_trampolines(Jit *j)
{
    CodeCache *cc = &j->cache;
    X64Buf b = {cc->rw, cc->rw, cc->rw + 4096, false};
    /* uintptr_t enter(void *env, const void *code) */
    j->enter = code_cache_rx(cc, b.p);
    for (size_t k = 0; k < NSAVED; k++)
        x64_push(&b, saved_regs[k]);
    x64_alu_ri(&b, ALU_SUB, 8, RSP, JIT_FRAME_BYTES); /* 8 (ret) + 48 (pushes) + frame: 16-aligned */
    x64_mov_rr(&b, 8, JIT_ENV, RDI);
    x64_load(&b, 8, false, JIT_ICOUNT, x64_mem(JIT_ENV, (int32_t)j->target->icount_offset));
    x64_jmp_r(&b, RSI);
    /* lazy flags: the materializer (called from blocks), and the epilogue
     * computes NZCV before returning to C */
    uint8_t *materialize = b.p;
    j->materialize = code_cache_rx(cc, b.p);
    if (j->target->lazy_flags)
        x64_emit_flags_materializer(&b, j->target);
    uint8_t *epilogue = b.p;
    j->epilogue = code_cache_rx(cc, b.p);
    if (j->target->lazy_flags)
        x64_emit_materialize_check(&b, j->target, materialize);
    x64_store(&b, 8, x64_mem(JIT_ENV, (int32_t)j->target->icount_offset), JIT_ICOUNT);
    x64_alu_ri(&b, ALU_ADD, 8, RSP, JIT_FRAME_BYTES);
    for (size_t k = NSAVED; k-- > 0;)
        x64_pop(&b, saved_regs[k]);
    x64_ret(&b);
    uint8_t *exit_zero = b.p;
    j->exit_zero = code_cache_rx(cc, b.p);
    x64_alu_rr(&b, ALU_XOR, 4, RAX, RAX);
    jmp_to(&b, epilogue);
    /* indirect branch: env pc holds the target */
    j->ptr_tail = code_cache_rx(cc, b.p);
    x64_mov_rr(&b, 8, RDI, JIT_ENV);
    x64_load(&b, 8, false, RSI, x64_mem(JIT_ENV, (int32_t)j->target->ir.pc_offset));
    x64_mov_ri(&b, RAX, (uint64_t)(uintptr_t)j->target->lookup);
    x64_call_r(&b, RAX);
    x64_test_rr(&b, 8, RAX, RAX);
    size_t miss = x64_jcc(&b, CC_E);
    x64_jmp_r(&b, RAX);
    if (miss)
        x64_patch_rel32(b.start, miss, exit_zero);
    cc->reserved = cc->used = (x64_offset(&b) + 63) & ~(size_t)63;
    return !b.overflow;
}

bool jit_init(Jit *j, const JitTarget *t, size_t cache_bytes, unsigned passes, bool instrument, char *err,
              size_t errlen)
{
    memset(j, 0, sizeof *j);
    j->target = t;
    j->passes = passes;
    j->instrument = instrument;
    if (!code_cache_init(&j->cache, cache_bytes))
        return error_format(err, errlen, "cannot map a %zu-byte code cache for the JIT (use -accel interp)", cache_bytes);
    if (!emit_trampolines(j))
        nestor_bug("JIT trampolines do not fit");
    j->comp = x64_compiler_new();
    return true;
}

void jit_destroy(Jit *j)
{
    x64_compiler_free(j->comp);
    ir_opt_scratch_free(&j->opt_scratch);
    code_cache_destroy(&j->cache);
    memset(j, 0, sizeof *j);
}

static void disassemble(const TB *tb)
{
    csh cs;
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK)
        return;
    cs_insn *insn;
    size_t n = cs_disasm(cs, tb->code, tb->code_size, (uint64_t)(uintptr_t)tb->code, 0, &insn);
    log_printf("OUT: block 0x%016" PRIx64 " (%u guest instructions, %u host bytes)\n", tb->vpc, tb->ninsns,
               tb->code_size);
    for (size_t k = 0; k < n; k++)
        log_printf("  0x%" PRIx64 ":  %s %s\n", insn[k].address, insn[k].mnemonic, insn[k].op_str);
    log_printf("\n");
    if (n)
        cs_free(insn, n);
    cs_close(&cs);
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

JitResult jit_compile(Jit *j, TB *tb, const void *env)
{
    uint64_t start = now_ns();
    uint32_t ops_in = tb->ir.count;
    ir_optimize_with(&j->opt_scratch, &tb->ir, j->passes);
    char err[160];
    if (ir_verify_enabled() && ir_verify(&tb->ir, err, sizeof err))
        nestor_bug("IR passes broke the block at 0x%" PRIx64 ": %s", tb->vpc, err);
    if (log_enabled(LOG_OP_OPT)) {
        log_printf("OP after passes: block 0x%016" PRIx64 " (%u instructions)\n", tb->vpc, tb->ninsns);
        ir_print(log_file(), &tb->ir);
        log_printf("\n");
    }
    CodeCache *cc = &j->cache;
    code_cache_prefault(cc, 64 * 1024); /* far more than a usual block */
    X64Buf buf = {cc->rw + cc->used, cc->rw + cc->used, cc->rw + cc->size, false};
    JitResult r = x64_compile_block(j->comp, j, tb, &tb->ir, env, &buf);
    if (r != JIT_OK) {
        memset(tb->jmp, 0, sizeof tb->jmp);
        if (r == JIT_UNSUPPORTED)
            j->stats.failed++;
        else
            j->stats.cache_full++;
        return r;
    }
    tb->code = cc->rx + cc->used;
    tb->code_size = (uint32_t)x64_offset(&buf);
    cc->used = (cc->used + tb->code_size + 15) & ~(size_t)15;
    j->stats.compiled++;
    j->stats.host_bytes += tb->code_size;
    j->stats.ir_ops_in += ops_in;
    j->stats.ir_ops_out += tb->ir.count;
    if (log_enabled(LOG_OUT_ASM))
        disassemble(tb);
    ir_block_free(&tb->ir);
    j->stats.compile_ns += now_ns() - start;
    return JIT_OK;
}

void jit_flush(Jit *j)
{
    code_cache_reset(&j->cache);
}

uintptr_t jit_execute(Jit *j, void *env, const TB *tb)
{
    typedef uintptr_t (*EnterFn)(void *env, const void *code);
    EnterFn enter;
    memcpy(&enter, &j->enter, sizeof enter); /* code pointer from the executable view */
    j->stats.loop_entries++;
    return enter(env, tb->code);
}

static void patch_jump(Jit *j, TB *from, unsigned slot, const uint8_t *rx_target)
{
    uint8_t *rw_code = code_cache_rw(&j->cache, from->code);
    x64_patch_rel32(rw_code, from->jmp[slot].rel_off, code_cache_rw(&j->cache, rx_target));
}

void jit_chain(Jit *j, uintptr_t exit, TB *to)
{
    TB *from = (TB *)(exit & ~(uintptr_t)3);
    unsigned slot = (unsigned)(exit & 3);
    TBJump *jmp = &from->jmp[slot];
    if (!to->code || jmp->dest || !jmp->rel_off || from->flags != to->flags)
        return;
    patch_jump(j, from, slot, to->code);
    jmp->dest = to;
    jmp->next = to->incoming;
    to->incoming = exit;
    j->stats.chained++;
}

void jit_unlink(void *jit, TB *tb)
{
    Jit *j = jit;
    if (!tb->code)
        return;
    /* jumps into tb go back to their exit stubs */
    for (uintptr_t e = tb->incoming; e;) {
        TB *from = (TB *)(e & ~(uintptr_t)3);
        unsigned slot = (unsigned)(e & 3);
        patch_jump(j, from, slot, from->code + from->jmp[slot].stub_off);
        from->jmp[slot].dest = NULL;
        e = from->jmp[slot].next;
    }
    tb->incoming = 0;
    /* and tb leaves the incoming lists of the blocks it jumps to */
    for (unsigned slot = 0; slot < 2; slot++) {
        TB *dest = tb->jmp[slot].dest;
        if (!dest)
            continue;
        uintptr_t self = (uintptr_t)tb | slot;
        for (uintptr_t *link = &dest->incoming; *link;) {
            TB *from = (TB *)(*link & ~(uintptr_t)3);
            if (*link == self) {
                *link = tb->jmp[slot].next;
                break;
            }
            link = &from->jmp[*link & 3].next;
        }
        tb->jmp[slot].dest = NULL;
    }
}

void jit_print_stats(const Jit *j, const JitCounters *k, FILE *out)
{
    const JitStats *s = &j->stats;
    fprintf(out, "jit: blocks compiled %" PRIu64 ", not compilable %" PRIu64 ", code cache filled up %" PRIu64
                 " times, host code %" PRIu64 " bytes, IR ops %" PRIu64 " -> %" PRIu64 " after passes, compile time %.3f ms\n",
            s->compiled, s->failed, s->cache_full, s->host_bytes, s->ir_ops_in, s->ir_ops_out, s->compile_ns / 1e6);
    fprintf(out, "jit: chain links made %" PRIu64 ", run-loop entries %" PRIu64 ", jump-cache lookups %" PRIu64
                 " (hit rate %.1f%%)\n",
            s->chained, s->loop_entries, k->lookups, k->lookups ? 100.0 * k->lookup_hits / k->lookups : 0.0);
    if (j->instrument) {
        uint64_t direct = s->loop_entries + k->lookup_hits;
        uint64_t chained_entries = k->block_entries > direct ? k->block_entries - direct : 0;
        uint64_t mem = k->mem_fast + k->mem_slow;
        fprintf(out, "jit: block entries %" PRIu64 " (through chained jumps %" PRIu64 "), memory accesses %" PRIu64
                     " (TLB hit rate %.2f%%)\n",
                k->block_entries, chained_entries, mem, mem ? 100.0 * k->mem_fast / mem : 0.0);
    }
}
