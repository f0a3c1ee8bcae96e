/* AArch64 Linux program, run under qemu-aarch64: reads DiffCase records on
 * stdin, executes each case's instruction with its FPCR and writes DiffResult
 * records on stdout. */
#include <stdio.h>

#include "protocol.h"

#define RUN(insn)                                                                     \
    __asm__ volatile("msr fpcr, %[fpcr]\n\t"                                          \
                     "msr fpsr, xzr\n\t"                                              \
                     "msr nzcv, xzr\n\t"                                              \
                     "fmov d1, %[a]\n\t"                                              \
                     "fmov d2, %[b]\n\t"                                              \
                     "fmov d3, %[d]\n\t"                                              \
                     "mov x1, %[a]\n\t"                                               \
                     "mov x2, %[b]\n\t"                                               \
                     "movi d0, #0\n\t"                                                \
                     "mov x0, #0\n\t" insn "\n\t"                                     \
                     "fmov %[r0], d0\n\t"                                             \
                     "mov %[r1], x0\n\t"                                              \
                     "mrs %[n], nzcv\n\t"                                             \
                     "mrs %[s], fpsr\n\t"                                             \
                     "msr fpcr, xzr"                                                  \
                     : [r0] "=&r"(d0), [r1] "=&r"(x0), [n] "=&r"(n), [s] "=&r"(s)     \
                     : [fpcr] "r"((uint64_t)in->fpcr), [a] "r"(in->a), [b] "r"(in->b), \
                       [d] "r"(in->d)                                                 \
                     : "x0", "x1", "x2", "v0", "v1", "v2", "v3", "cc")

#define X(name, in_kind, out_kind, insn, expr)                          \
    static void run_##name(const DiffCase *in, DiffResult *out)         \
    {                                                                   \
        uint64_t d0, x0, n, s;                                          \
        RUN(insn);                                                      \
        *out = (DiffResult){d0, x0, (uint32_t)n, (uint32_t)s};          \
    }
#include "ops.def"
#undef X

static void (*const runners[])(const DiffCase *, DiffResult *) = {
#define X(name, in_kind, out_kind, insn, expr) run_##name,
#include "ops.def"
#undef X
};

int main(void)
{
    DiffCase in;
    DiffResult out;
    while (fread(&in, sizeof in, 1, stdin) == 1) {
        if (in.op >= sizeof runners / sizeof runners[0])
            return 2;
        runners[in.op](&in, &out);
        if (fwrite(&out, sizeof out, 1, stdout) != 1)
            return 1;
    }
    return 0;
}
