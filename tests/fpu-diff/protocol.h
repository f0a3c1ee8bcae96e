/* Records exchanged between the host driver and the AArch64 oracle (same
 * layout on both little-endian LP64 targets). */
#ifndef NESTOR_TESTS_FPU_DIFF_PROTOCOL_H
#define NESTOR_TESTS_FPU_DIFF_PROTOCOL_H

#include <stdint.h>

typedef struct {
    uint32_t op; /* index into ops.def */
    uint32_t fpcr;
    uint64_t a, b, d; /* in d1/x1, d2/x2, d3 */
} DiffCase;

typedef struct {
    uint64_t d0, x0;
    uint32_t nzcv; /* bits 31:28 */
    uint32_t fpsr;
} DiffResult;

#endif
