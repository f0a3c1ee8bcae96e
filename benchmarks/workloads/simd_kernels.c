/*
 * The vector kernels of the simd workload, compiled with -O3 and FP/AdvSIMD
 * allowed (NestorGuest VECTOR): GCC vectorises these loops into AdvSIMD
 * (FMLA/FMUL/FADD on 4 x float and 2 x double, widening byte and halfword
 * adds and multiplies, 32-bit lane arithmetic). No -ffast-math: the results
 * are bit-exact and compared with QEMU. The interface passes FP data as
 * bits: the caller (simd.c) is built without FP.
 */
#include <stddef.h>
#include <stdint.h>

#include "simd_kernels.h"

void sgemm(size_t n, const uint32_t *restrict a_bits, const uint32_t *restrict b_bits, uint32_t *restrict c_bits)
{
    const float *restrict a = (const float *)a_bits, *restrict b = (const float *)b_bits;
    float *restrict c = (float *)c_bits;
    for (size_t i = 0; i < n; i++) {
        float *restrict row = c + i * n;
        for (size_t j = 0; j < n; j++)
            row[j] = 0.0f;
        for (size_t k = 0; k < n; k++) {
            float aik = a[i * n + k];
            const float *restrict brow = b + k * n;
            for (size_t j = 0; j < n; j++)
                row[j] += aik * brow[j];
        }
    }
}

uint64_t daxpy_dot(size_t n, uint64_t alpha_bits, uint64_t *restrict y_bits, const uint64_t *restrict x_bits)
{
    union { uint64_t u; double d; } alpha_u = {.u = alpha_bits}, dot_u;
    double alpha = alpha_u.d, dot = 0.0;
    double *restrict y = (double *)y_bits;
    const double *restrict x = (const double *)x_bits;
    for (size_t i = 0; i < n; i++)
        y[i] = alpha * x[i] + y[i];
    for (size_t i = 0; i < n; i++)
        dot += y[i] * x[i]; /* strict order: not vectorised as a reduction */
    dot_u.d = dot;
    return dot_u.u;
}

void fletcher_lanes(const uint8_t *restrict p, size_t n, uint32_t *restrict sum1, uint32_t *restrict sum2)
{
    /* 16 independent lanes: byte i goes to lane i % 16 (widening adds) */
    uint32_t s1[16] = {0}, s2[16] = {0};
    for (size_t i = 0; i + 16 <= n; i += 16) {
        for (unsigned l = 0; l < 16; l++) {
            s1[l] += p[i + l];
            s2[l] += s1[l];
        }
    }
    for (unsigned l = 0; l < 16; l++) {
        sum1[l] = s1[l];
        sum2[l] = s2[l];
    }
}

void mix_u32(uint32_t *restrict v, size_t n, uint32_t rounds)
{
    for (uint32_t r = 0; r < rounds; r++)
        for (size_t i = 0; i < n; i++) {
            uint32_t x = v[i];
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            v[i] = x * 0x9e3779b1u + (uint32_t)i;
        }
}

void int16_saturating_blend(int16_t *restrict d, const int16_t *restrict a, const int16_t *restrict b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int32_t s = (int32_t)a[i] + (int32_t)b[i];
        d[i] = (int16_t)(s > 32767 ? 32767 : s < -32768 ? -32768 : s);
    }
}
