/* See crypto.h. Bit and element numbering as in the pseudocode: element e of
 * a 128-bit value is bits (e+1)*esize-1 : e*esize. */
#include "crypto/crypto.h"

#include <stdbool.h>

#include "crypto/aes_tables.inc"

/* ---- AES (FIPS-197): the state's byte r + 4c is row r of column c ---- */

static uint8_t xtime(uint8_t x) { return (uint8_t)(x << 1 ^ (x & 0x80 ? 0x1b : 0)); }

static uint8_t gf_mul(uint8_t a, uint8_t b)
{
    uint8_t r = 0;
    for (; b; b >>= 1, a = xtime(a))
        if (b & 1)
            r ^= a;
    return r;
}

/* AddRoundKey, then (Inv)ShiftRows and (Inv)SubBytes: row r rotates left by
 * r columns (AESE) or right (AESD, shift = 4 - r mod 4). */
static Vec128 aes_round(Vec128 state, Vec128 key, const uint8_t sbox[256], bool inverse)
{
    Vec128 in, out;
    in.d[0] = state.d[0] ^ key.d[0];
    in.d[1] = state.d[1] ^ key.d[1];
    for (unsigned r = 0; r < 4; r++)
        for (unsigned c = 0; c < 4; c++)
            out.b[r + 4 * c] = sbox[in.b[r + 4 * ((c + (inverse ? 4 - r : r)) % 4)]];
    return out;
}

Vec128 crypto_aese(Vec128 state, Vec128 key) { return aes_round(state, key, aes_sbox, false); }
Vec128 crypto_aesd(Vec128 state, Vec128 key) { return aes_round(state, key, aes_inv_sbox, true); }

/* Each column times the circulant matrix whose first row is m. */
static Vec128 mix(Vec128 s, const uint8_t m[4])
{
    Vec128 out;
    for (unsigned c = 0; c < 4; c++)
        for (unsigned r = 0; r < 4; r++) {
            uint8_t v = 0;
            for (unsigned k = 0; k < 4; k++)
                v ^= gf_mul(m[(k + 4 - r) % 4], s.b[k + 4 * c]);
            out.b[r + 4 * c] = v;
        }
    return out;
}

Vec128 crypto_aesmc(Vec128 state) { return mix(state, (const uint8_t[4]){2, 3, 1, 1}); }
Vec128 crypto_aesimc(Vec128 state) { return mix(state, (const uint8_t[4]){0x0e, 0x0b, 0x0d, 0x09}); }

/* ---- SHA-1 and SHA-256 (FIPS 180-4) ---- */

static uint32_t rol32(uint32_t x, unsigned s) { return s ? x << s | x >> (32 - s) : x; }
static uint32_t ror32(uint32_t x, unsigned s) { return rol32(x, (32 - s) & 31); }
static uint64_t ror64(uint64_t x, unsigned s) { return s ? x >> s | x << (64 - s) : x; }

static uint32_t sha_choose(uint32_t x, uint32_t y, uint32_t z) { return ((y ^ z) & x) ^ z; }
static uint32_t sha_majority(uint32_t x, uint32_t y, uint32_t z) { return (x & y) | ((x | y) & z); }
static uint32_t sha_parity(uint32_t x, uint32_t y, uint32_t z) { return x ^ y ^ z; }

Vec128 crypto_sha1_hash(int kind, Vec128 x, uint32_t y, Vec128 w)
{
    for (unsigned e = 0; e < 4; e++) {
        uint32_t t = kind == SHA1_CHOOSE   ? sha_choose(x.w[1], x.w[2], x.w[3])
                     : kind == SHA1_PARITY ? sha_parity(x.w[1], x.w[2], x.w[3])
                                           : sha_majority(x.w[1], x.w[2], x.w[3]);
        y += rol32(x.w[0], 5) + t + w.w[e];
        x.w[1] = rol32(x.w[1], 30);
        /* <Y, X> = ROL(Y : X, 32) */
        uint32_t top = x.w[3];
        x.w[3] = x.w[2], x.w[2] = x.w[1], x.w[1] = x.w[0], x.w[0] = y;
        y = top;
    }
    return x;
}

uint32_t crypto_sha1h(uint32_t e) { return rol32(e, 30); }

Vec128 crypto_sha1su0(Vec128 d, Vec128 n, Vec128 m)
{
    Vec128 r = {.d = {d.d[1], n.d[0]}};
    r.d[0] ^= d.d[0] ^ m.d[0];
    r.d[1] ^= d.d[1] ^ m.d[1];
    return r;
}

Vec128 crypto_sha1su1(Vec128 d, Vec128 n)
{
    Vec128 t = {.w = {d.w[0] ^ n.w[1], d.w[1] ^ n.w[2], d.w[2] ^ n.w[3], d.w[3]}}, r;
    for (unsigned e = 0; e < 4; e++)
        r.w[e] = rol32(t.w[e], 1);
    r.w[3] ^= rol32(t.w[0], 2);
    return r;
}

static uint32_t sha256_sigma0(uint32_t x) { return ror32(x, 2) ^ ror32(x, 13) ^ ror32(x, 22); }
static uint32_t sha256_sigma1(uint32_t x) { return ror32(x, 6) ^ ror32(x, 11) ^ ror32(x, 25); }

Vec128 crypto_sha256_hash(Vec128 x, Vec128 y, Vec128 w, int part1)
{
    for (unsigned e = 0; e < 4; e++) {
        uint32_t chs = sha_choose(y.w[0], y.w[1], y.w[2]);
        uint32_t maj = sha_majority(x.w[0], x.w[1], x.w[2]);
        uint32_t t = y.w[3] + sha256_sigma1(y.w[0]) + chs + w.w[e];
        x.w[3] += t;
        y.w[3] = t + sha256_sigma0(x.w[0]) + maj;
        /* <Y, X> = ROL(Y : X, 32) */
        uint32_t ytop = y.w[3], xtop = x.w[3];
        y.w[3] = y.w[2], y.w[2] = y.w[1], y.w[1] = y.w[0], y.w[0] = xtop;
        x.w[3] = x.w[2], x.w[2] = x.w[1], x.w[1] = x.w[0], x.w[0] = ytop;
    }
    return part1 ? x : y;
}

Vec128 crypto_sha256su0(Vec128 d, Vec128 n)
{
    uint32_t t[4] = {d.w[1], d.w[2], d.w[3], n.w[0]};
    Vec128 r;
    for (unsigned e = 0; e < 4; e++)
        r.w[e] = (ror32(t[e], 7) ^ ror32(t[e], 18) ^ t[e] >> 3) + d.w[e];
    return r;
}

static uint32_t sha256_schedule_sigma1(uint32_t x) { return ror32(x, 17) ^ ror32(x, 19) ^ x >> 10; }

Vec128 crypto_sha256su1(Vec128 d, Vec128 n, Vec128 m)
{
    uint32_t t0[4] = {n.w[1], n.w[2], n.w[3], m.w[0]};
    Vec128 r;
    for (unsigned e = 0; e < 2; e++)
        r.w[e] = sha256_schedule_sigma1(m.w[2 + e]) + d.w[e] + t0[e];
    for (unsigned e = 2; e < 4; e++)
        r.w[e] = sha256_schedule_sigma1(r.w[e - 2]) + d.w[e] + t0[e];
    return r;
}

/* ---- SHA-512 (FEAT_SHA512) ---- */

static uint64_t sha512_big_sigma1(uint64_t x) { return ror64(x, 14) ^ ror64(x, 18) ^ ror64(x, 41); }
static uint64_t sha512_big_sigma0(uint64_t x) { return ror64(x, 28) ^ ror64(x, 34) ^ ror64(x, 39); }

Vec128 crypto_sha512h(Vec128 d, Vec128 n, Vec128 m)
{
    Vec128 r;
    uint64_t hi = (m.d[1] & n.d[0]) ^ (~m.d[1] & n.d[1]);
    hi += sha512_big_sigma1(m.d[1]) + d.d[1];
    uint64_t tmp = hi + m.d[0];
    uint64_t lo = (tmp & m.d[1]) ^ (~tmp & n.d[0]);
    lo += sha512_big_sigma1(tmp) + d.d[0];
    r.d[0] = lo, r.d[1] = hi;
    return r;
}

Vec128 crypto_sha512h2(Vec128 d, Vec128 n, Vec128 m)
{
    Vec128 r;
    uint64_t hi = (n.d[0] & m.d[1]) ^ (n.d[0] & m.d[0]) ^ (m.d[1] & m.d[0]);
    hi += sha512_big_sigma0(m.d[0]) + d.d[1];
    uint64_t lo = (hi & m.d[0]) ^ (hi & m.d[1]) ^ (m.d[1] & m.d[0]);
    lo += sha512_big_sigma0(hi) + d.d[0];
    r.d[0] = lo, r.d[1] = hi;
    return r;
}

static uint64_t sha512_sigma0(uint64_t x) { return ror64(x, 1) ^ ror64(x, 8) ^ x >> 7; }
static uint64_t sha512_sigma1(uint64_t x) { return ror64(x, 19) ^ ror64(x, 61) ^ x >> 6; }

Vec128 crypto_sha512su0(Vec128 d, Vec128 n)
{
    return (Vec128){.d = {d.d[0] + sha512_sigma0(d.d[1]), d.d[1] + sha512_sigma0(n.d[0])}};
}

Vec128 crypto_sha512su1(Vec128 d, Vec128 n, Vec128 m)
{
    return (Vec128){.d = {d.d[0] + sha512_sigma1(n.d[0]) + m.d[0], d.d[1] + sha512_sigma1(n.d[1]) + m.d[1]}};
}

/* ---- polynomial multiply ---- */

uint16_t crypto_pmul8(uint8_t a, uint8_t b)
{
    uint16_t r = 0;
    for (unsigned i = 0; i < 8; i++)
        if (b >> i & 1)
            r ^= (uint16_t)(a << i);
    return r;
}

Vec128 crypto_pmul64(uint64_t a, uint64_t b)
{
    Vec128 r = {.d = {0, 0}};
    for (unsigned i = 0; i < 64; i++)
        if (b >> i & 1) {
            r.d[0] ^= a << i;
            r.d[1] ^= i ? a >> (64 - i) : 0;
        }
    return r;
}
