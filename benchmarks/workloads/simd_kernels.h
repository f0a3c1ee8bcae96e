/* Vector kernels of the simd workload (simd_kernels.c, built with -O3). */
#ifndef NESTOR_BENCH_SIMD_KERNELS_H
#define NESTOR_BENCH_SIMD_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/* c = a x b for n x n single-precision matrices (given as their bits). */
void sgemm(size_t n, const uint32_t *restrict a, const uint32_t *restrict b, uint32_t *restrict c);
/* y = alpha * x + y, then returns the bits of the dot product y . x (doubles as bits). */
uint64_t daxpy_dot(size_t n, uint64_t alpha, uint64_t *restrict y, const uint64_t *restrict x);
void fletcher_lanes(const uint8_t *restrict p, size_t n, uint32_t *restrict sum1, uint32_t *restrict sum2);
void mix_u32(uint32_t *restrict v, size_t n, uint32_t rounds);
void int16_saturating_blend(int16_t *restrict d, const int16_t *restrict a, const int16_t *restrict b, size_t n);

#endif
