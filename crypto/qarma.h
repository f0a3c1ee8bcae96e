/* The pointer-authentication block ciphers of the Arm ARM (DDI 0487
 * shared/functions/crypto ComputePAC): QARMA5 (FEAT_PACQARMA5, the
 * architected algorithm) and QARMA3 (FEAT_PACQARMA3, three rounds each way
 * instead of five, with the involutive S-box PACSub1), plus a small memo of
 * recent results. key0 is bits 127:64 of the 128-bit key, key1 bits 63:0,
 * as in the pseudocode. */
#ifndef NESTOR_CRYPTO_QARMA_H
#define NESTOR_CRYPTO_QARMA_H

#include <stdbool.h>
#include <stdint.h>

typedef enum { QARMA5 = 1, QARMA3 = 2 } QarmaAlg;

/* ComputePAC, table-driven (what the emulator uses). */
uint64_t qarma_compute(uint64_t data, uint64_t modifier, uint64_t key0, uint64_t key1, QarmaAlg alg);
/* ComputePAC written cell by cell as the pseudocode reads: the unit tests'
 * reference for qarma_compute. */
uint64_t qarma_compute_reference(uint64_t data, uint64_t modifier, uint64_t key0, uint64_t key1, QarmaAlg alg);

/* A direct-mapped memo of recent ComputePAC results. Every input, the key
 * and the algorithm included, is part of an entry's tag, so an entry can
 * never be stale: a key write needs no invalidation (a new key simply
 * misses). Linux signs every return address on function entry (PACIASP) and
 * authenticates the same (pointer, SP) pair on exit (AUTIASP), so the second
 * computation of each pair is a hit. Zero-initialised storage is an empty
 * memo. */
#define QARMA_MEMO_ENTRIES 1024
typedef struct {
    uint64_t data, modifier, key0, key1, pac;
    uint64_t alg; /* QarmaAlg; 0: empty */
} QarmaMemoEntry;
typedef struct {
    QarmaMemoEntry e[QARMA_MEMO_ENTRIES];
    uint64_t hits, misses;
} QarmaMemo;

uint64_t qarma_memo_compute(QarmaMemo *m, uint64_t data, uint64_t modifier, uint64_t key0, uint64_t key1,
                            QarmaAlg alg);

#endif
