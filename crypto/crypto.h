/* The A64 cryptographic instructions' operations on 128-bit values (DDI 0487
 * C7.2: AESE/AESD/AESMC/AESIMC, SHA1*, SHA256*, SHA512*, EOR3/RAX1/XAR/BCAX,
 * PMULL), following the pseudocode (shared/functions/crypto). A Vec128 holds a
 * V register: w[0] (or d[0], b[0]) is its least significant element. Every
 * function is pure: destination operands are passed by value. */
#ifndef NESTOR_CRYPTO_CRYPTO_H
#define NESTOR_CRYPTO_CRYPTO_H

#include <stdint.h>

typedef union {
    uint8_t b[16];
    uint32_t w[4];
    uint64_t d[2];
} Vec128;

/* AESE: SubBytes(ShiftRows(state ^ key)); AESD: the inverses. */
Vec128 crypto_aese(Vec128 state, Vec128 key);
Vec128 crypto_aesd(Vec128 state, Vec128 key);
Vec128 crypto_aesmc(Vec128 state);
Vec128 crypto_aesimc(Vec128 state);

/* SHA1C/SHA1P/SHA1M: four rounds on abcd with e (Sn) and the schedule words wk. */
enum { SHA1_CHOOSE, SHA1_PARITY, SHA1_MAJORITY };
Vec128 crypto_sha1_hash(int kind, Vec128 abcd, uint32_t e, Vec128 wk);
uint32_t crypto_sha1h(uint32_t e);
Vec128 crypto_sha1su0(Vec128 d, Vec128 n, Vec128 m);
Vec128 crypto_sha1su1(Vec128 d, Vec128 n);

/* SHA256H (part1) returns the new ABCD, SHA256H2 the new EFGH: x is ABCD and
 * y EFGH for both (SHA256H2 Qd holds EFGH, Qn ABCD). */
Vec128 crypto_sha256_hash(Vec128 x, Vec128 y, Vec128 wk, int part1);
Vec128 crypto_sha256su0(Vec128 d, Vec128 n);
Vec128 crypto_sha256su1(Vec128 d, Vec128 n, Vec128 m);

Vec128 crypto_sha512h(Vec128 d, Vec128 n, Vec128 m);
Vec128 crypto_sha512h2(Vec128 d, Vec128 n, Vec128 m);
Vec128 crypto_sha512su0(Vec128 d, Vec128 n);
Vec128 crypto_sha512su1(Vec128 d, Vec128 n, Vec128 m);

/* Carry-less (polynomial) products: 8 x 8 -> 16 bits and 64 x 64 -> 128 bits. */
uint16_t crypto_pmul8(uint8_t a, uint8_t b);
Vec128 crypto_pmul64(uint64_t a, uint64_t b);

#endif
