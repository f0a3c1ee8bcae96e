/* AdvSIMD floating point and the cryptographic instructions on the harness
 * CPU ("max"): published test vectors (FIPS-197 AES-128, FIPS 180-4 SHA-1,
 * SHA-256 and SHA-512 of "abc") computed by the instructions themselves, with
 * C only moving words between registers and doing the plain additions the
 * AdvSIMD integer instructions would; plus the Arm ARM results where QEMU 7.2
 * departs (kept out of the QEMU-diffed random programs, see simdfpgen.py).
 * Encodings come from the GNU assembler. */
#include <check.h>
#include <string.h>

#include "harness.h"
#include "unit_main.h"

#define BASE HARNESS_RAM_BASE
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static Harness h;

/* The EL2 vectors are NOPs, so a run stops there after an exception. */
static void setup_model(const char *model)
{
    harness_init(&h, model, 2);
    h.cpu.sr[SR_CPACR_EL1] = 3ull << 20;
    uint32_t nops[512];
    for (unsigned i = 0; i < N_OF(nops); i++)
        nops[i] = 0xd503201fu;
    h.cpu.sr[SR_VBAR_EL2] = BASE + 0x10000;
    harness_code(&h, BASE + 0x10000, nops, N_OF(nops));
}
static void setup(void) { setup_model("max"); }
static void teardown(void) { harness_destroy(&h); }

/* Runs one instruction (each distinct word gets its own code address, so a
 * word runs from its cached translation the next times). */
/* Runs insn at a fresh address and returns its exception class (-1: none). */
static int exec_ec(uint32_t insn)
{
    static uint64_t next = BASE + 0x20000;
    uint32_t code[2] = {insn, 0};
    uint64_t addr = next;
    next += 0x100;
    harness_code(&h, addr, code, 2);
    h.cpu.pc = addr;
    h.cpu.sr[SR_ELR_EL2] = 0;
    harness_run(&h, 2);
    return h.cpu.sr[SR_ELR_EL2] == addr ? (int)(h.cpu.sr[SR_ESR_EL2] >> 26) : -1;
}

static void exec(uint32_t insn)
{
    static uint32_t words[64];
    static unsigned nwords;
    unsigned k = 0;
    while (k < nwords && words[k] != insn)
        k++;
    uint64_t addr = BASE + 0x100 * k;
    if (k == nwords) {
        ck_assert_uint_lt(nwords, N_OF(words));
        words[nwords++] = insn;
        uint32_t code[2] = {insn, 0};
        harness_code(&h, addr, code, 2);
    }
    h.cpu.pc = addr;
    h.cpu.sr[SR_ELR_EL2] = 0;
    harness_run(&h, 2); /* the instruction, then the UDF after it traps */
    ck_assert_msg(h.cpu.sr[SR_ELR_EL2] == addr + 4 && h.cpu.sr[SR_ESR_EL2] >> 26 == 0,
                  "insn %08x did not retire", insn);
}

static void set_w(unsigned v, const uint32_t w[4]) { memcpy(h.cpu.v[v], w, 16); }
static void get_w(unsigned v, uint32_t w[4]) { memcpy(w, h.cpu.v[v], 16); }

/* ---- AES-128, FIPS-197 appendix C.1 ---- */

#define AESE_V0_V1 0x4e284820u
#define AESMC_V0_V0 0x4e286800u
#define AESD_V0_V1 0x4e285820u
#define AESIMC_V0_V0 0x4e287800u

static void set_b(unsigned v, const uint8_t b[16]) { memcpy(h.cpu.v[v], b, 16); }
static void get_b(unsigned v, uint8_t b[16]) { memcpy(b, h.cpu.v[v], 16); }

/* SubWord through AESE with a zero key: with four equal columns ShiftRows
 * is the identity, so every byte only goes through the S-box. */
static uint32_t sub_word(uint32_t w)
{
    uint32_t state[4] = {w, w, w, w}, zero[4] = {0};
    set_w(0, state);
    set_w(1, zero);
    exec(AESE_V0_V1);
    get_w(0, state);
    return state[0];
}

static void aes128_expand(const uint8_t key[16], uint8_t rk[11][16])
{
    uint32_t w[44];
    memcpy(w, key, 16);
    uint8_t rcon = 1;
    for (unsigned i = 4; i < 44; i++) {
        uint32_t t = w[i - 1];
        if (i % 4 == 0) {
            t = sub_word(t >> 8 | t << 24) ^ rcon; /* RotWord on little-endian words */
            rcon = (uint8_t)(rcon << 1 ^ (rcon & 0x80 ? 0x1b : 0));
        }
        w[i] = w[i - 4] ^ t;
    }
    memcpy(rk, w, sizeof w);
}

START_TEST(aes128_fips197)
{
    static const uint8_t key[16] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                                    0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};
    static const uint8_t plain[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                      0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
    static const uint8_t cipher[16] = {0x69, 0xc4, 0xe0, 0xd8, 0x6a, 0x7b, 0x04, 0x30,
                                       0xd8, 0xcd, 0xb7, 0x80, 0x70, 0xb4, 0xc5, 0x5a};
    uint8_t rk[11][16], state[16];
    aes128_expand(key, rk);
    set_b(0, plain);
    for (unsigned r = 0; r < 10; r++) {
        set_b(1, rk[r]);
        exec(AESE_V0_V1);
        if (r < 9)
            exec(AESMC_V0_V0);
    }
    get_b(0, state);
    for (unsigned k = 0; k < 16; k++)
        state[k] ^= rk[10][k];
    ck_assert_mem_eq(state, cipher, 16);

    /* The equivalent inverse cipher: round keys 9..1 through InvMixColumns. */
    uint8_t dk[11][16];
    memcpy(dk[0], rk[10], 16);
    memcpy(dk[10], rk[0], 16);
    for (unsigned r = 1; r < 10; r++) {
        set_b(0, rk[10 - r]);
        exec(AESIMC_V0_V0);
        get_b(0, dk[r]);
    }
    set_b(0, cipher);
    for (unsigned r = 0; r < 10; r++) {
        set_b(1, dk[r]);
        exec(AESD_V0_V1);
        if (r < 9)
            exec(AESIMC_V0_V0);
    }
    get_b(0, state);
    for (unsigned k = 0; k < 16; k++)
        state[k] ^= dk[10][k];
    ck_assert_mem_eq(state, plain, 16);
}
END_TEST

/* The one padded block of "abc" as big-endian words. */
static void abc_block32(uint32_t w[16])
{
    memset(w, 0, 64);
    w[0] = 0x61626380;
    w[15] = 24;
}

/* ---- SHA-1 ---- */

#define SHA1H_S5_S0 0x5e280805u
#define SHA1C_Q0_S4_V2 0x5e020080u
#define SHA1P_Q0_S4_V2 0x5e021080u
#define SHA1M_Q0_S4_V2 0x5e022080u
#define SHA1SU0_V4_V5_V6 0x5e0630a4u
#define SHA1SU1_V4_V7 0x5e2818e4u

START_TEST(sha1_fips180)
{
    static const uint32_t k[4] = {0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6};
    static const uint32_t expect[5] = {0xa9993e36, 0x4706816a, 0xba3e2571, 0x7850c26c, 0x9cd0d89d};
    uint32_t w[80];
    abc_block32(w);
    for (unsigned t = 16; t < 80; t += 4) { /* W[t..t+3] from W[t-16..t-1] */
        set_w(4, &w[t - 16]);
        set_w(5, &w[t - 12]);
        set_w(6, &w[t - 8]);
        set_w(7, &w[t - 4]);
        exec(SHA1SU0_V4_V5_V6);
        exec(SHA1SU1_V4_V7);
        get_w(4, &w[t]);
    }
    uint32_t hash[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
    uint32_t abcd[4] = {hash[0], hash[1], hash[2], hash[3]}, e = hash[4];
    for (unsigned g = 0; g < 20; g++) {
        uint32_t wk[4], next_e[4];
        for (unsigned j = 0; j < 4; j++)
            wk[j] = w[4 * g + j] + k[g / 5];
        set_w(0, abcd);
        exec(SHA1H_S5_S0); /* the e of the next four rounds: ROL(a, 30) */
        get_w(5, next_e);
        uint32_t e_reg[4] = {e, 0, 0, 0};
        set_w(4, e_reg);
        set_w(2, wk);
        exec(g < 5 ? SHA1C_Q0_S4_V2 : g < 10 || g >= 15 ? SHA1P_Q0_S4_V2 : SHA1M_Q0_S4_V2);
        get_w(0, abcd);
        e = next_e[0];
    }
    for (unsigned j = 0; j < 4; j++)
        hash[j] += abcd[j];
    hash[4] += e;
    ck_assert_mem_eq(hash, expect, sizeof expect);
}
END_TEST

/* ---- SHA-256 ---- */

#define SHA256H_Q0_Q1_V2 0x5e024020u
#define SHA256H2_Q1_Q3_V2 0x5e025061u
#define SHA256SU0_V4_V5 0x5e2828a4u
#define SHA256SU1_V4_V6_V7 0x5e0760c4u

static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

START_TEST(sha256_fips180)
{
    static const uint32_t expect[8] = {0xba7816bf, 0x8f01cfea, 0x414140de, 0x5dae2223,
                                       0xb00361a3, 0x96177a9c, 0xb410ff61, 0xf20015ad};
    uint32_t w[64];
    abc_block32(w);
    for (unsigned t = 16; t < 64; t += 4) {
        set_w(4, &w[t - 16]);
        set_w(5, &w[t - 12]);
        set_w(6, &w[t - 8]);
        set_w(7, &w[t - 4]);
        exec(SHA256SU0_V4_V5);
        exec(SHA256SU1_V4_V6_V7);
        get_w(4, &w[t]);
    }
    uint32_t hash[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                        0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    /* ABCD and EFGH with A and E in element 0. */
    set_w(0, &hash[0]);
    set_w(1, &hash[4]);
    for (unsigned g = 0; g < 16; g++) {
        uint32_t wk[4];
        for (unsigned j = 0; j < 4; j++)
            wk[j] = w[4 * g + j] + sha256_k[4 * g + j];
        set_w(2, wk);
        memcpy(h.cpu.v[3], h.cpu.v[0], 16); /* the ABCD SHA256H2 needs */
        exec(SHA256H_Q0_Q1_V2);
        exec(SHA256H2_Q1_Q3_V2);
    }
    uint32_t abcd[4], efgh[4];
    get_w(0, abcd);
    get_w(1, efgh);
    for (unsigned j = 0; j < 4; j++)
        hash[j] += abcd[j], hash[4 + j] += efgh[j];
    ck_assert_mem_eq(hash, expect, sizeof expect);
}
END_TEST

/* ---- SHA-512: two rounds per SHA512H + SHA512H2 ---- */

#define SHA512H_Q3_Q6_V7 0xce6780c3u
#define SHA512H2_Q3_Q1_V0 0xce608423u
#define SHA512SU0_V8_V9 0xcec08128u
#define SHA512SU1_V8_V10_V5 0xce658948u

static void set_d(unsigned v, uint64_t lo, uint64_t hi) { h.cpu.v[v][0] = lo, h.cpu.v[v][1] = hi; }

START_TEST(sha512_fips180)
{
    static const uint64_t k[80] = {
        0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538,
        0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242, 0x12835b0145706fbe,
        0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2, 0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
        0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
        0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5, 0x983e5152ee66dfab,
        0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
        0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed,
        0x53380d139d95b3df, 0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
        0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
        0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8, 0x19a4c116b8d2d0c8, 0x1e376c085141ab53,
        0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373,
        0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
        0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b, 0xca273eceea26619c,
        0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6,
        0x113f9804bef90dae, 0x1b710b35131c471b, 0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
        0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
    };
    static const uint64_t expect[8] = {0xddaf35a193617aba, 0xcc417349ae204131, 0x12e6fa4e89a97ea2,
                                       0x0a9eeee64b55d39a, 0x2192992a274fc1a8, 0x36ba3c23a3feebbd,
                                       0x454d4423643ce80e, 0x2a9ac94fa54ca49f};
    uint64_t w[80] = {0x6162638000000000, [15] = 24};
    for (unsigned t = 16; t < 80; t += 2) {
        set_d(8, w[t - 16], w[t - 15]);
        set_d(9, w[t - 14], 0);
        set_d(10, w[t - 2], w[t - 1]);
        set_d(5, w[t - 7], w[t - 6]);
        exec(SHA512SU0_V8_V9);
        exec(SHA512SU1_V8_V10_V5);
        w[t] = h.cpu.v[8][0], w[t + 1] = h.cpu.v[8][1];
    }
    uint64_t hash[8] = {0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
                        0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179};
    uint64_t a = hash[0], b = hash[1], c = hash[2], d = hash[3], e = hash[4], f = hash[5], g = hash[6],
             hh = hash[7];
    for (unsigned t = 0; t < 80; t += 2) {
        /* SHA512H: T1 of rounds t (high half) and t+1 (low half). */
        set_d(3, g + k[t + 1] + w[t + 1], hh + k[t] + w[t]);
        set_d(6, f, g);
        set_d(7, d, e);
        exec(SHA512H_Q3_Q6_V7);
        uint64_t t1_first = h.cpu.v[3][1], t1_second = h.cpu.v[3][0];
        /* SHA512H2: the new A of both rounds from the T1s. */
        set_d(1, c, 0);
        set_d(0, a, b);
        exec(SHA512H2_Q3_Q1_V0);
        uint64_t a1 = h.cpu.v[3][1], a2 = h.cpu.v[3][0];
        uint64_t e1 = d + t1_first, e2 = c + t1_second;
        hh = f, g = e, f = e1, e = e2, d = b, c = a, b = a1, a = a2;
    }
    uint64_t s[8] = {a, b, c, d, e, f, g, hh};
    for (unsigned j = 0; j < 8; j++)
        hash[j] += s[j];
    ck_assert_mem_eq(hash, expect, sizeof expect);
}
END_TEST

/* QEMU 7.2 departure (simdfpgen.py, case 1): FCVTZS/FCVTZU (scalar,
 * fixed-point) of a half-precision value write a 16-bit result and zero the
 * rest of Vd; QEMU sign-extends the result to 32 bits. */
START_TEST(scalar_half_fixed_point_result_is_16_bits)
{
    set_d(1, 0xe800 /* -2048.0 */, ~0ull);
    set_d(0, ~0ull, ~0ull);
    exec(0x5f1bfc20u); /* fcvtzs h0, h1, #5: -2048 * 32 saturates to -32768 */
    ck_assert_uint_eq(h.cpu.v[0][0], 0x8000);
    ck_assert_uint_eq(h.cpu.v[0][1], 0);
    set_d(1, 0xc500 /* -5.0 */, 0);
    exec(0x5f1bfc20u); /* -160 */
    ck_assert_uint_eq(h.cpu.v[0][0], 0xff60);
    set_d(1, 0x4500 /* 5.0 */, 0);
    exec(0x7f1bfc20u); /* fcvtzu h0, h1, #5: 160 */
    ck_assert_uint_eq(h.cpu.v[0][0], 160);
    ck_assert_uint_eq(h.cpu.v[0][1], 0);
}
END_TEST

/* QEMU 7.2 departures 2 and 3 (randgen/decodegen.py): the half-precision
 * pairwise and across-lane encodings (U = 0) with size<0> = 1 are
 * unallocated (QEMU runs them as half precision), and so is FP16 two-register
 * miscellaneous opcode 10101 (QEMU aborts on it). */
START_TEST(reserved_half_precision_forms_undef)
{
    static const uint32_t words[] = {
        0x5e70d9ccu, /* faddp h12, v14.2h with size = 01 */
        0x4e70f835u, /* fminv with size = 01, U = 0 */
        0x0e70c825u, /* fmaxnmv with size = 01, U = 0 */
        0x5ef95941u, /* scalar FP16 misc, a = 1, opcode 10101 */
    };
    for (unsigned k = 0; k < N_OF(words); k++)
        ck_assert_msg(exec_ec(words[k]) == 0, "%08x", words[k]);
    ck_assert_int_eq(exec_ec(0x5e30d9ccu), -1); /* faddp h12, v14.2h */
}
END_TEST

/* PMULL (64-bit, FEAT_PMULL): (x^63 + 1) * (x + 1) = x^64 + x^63 + x + 1. */
START_TEST(pmull_64)
{
    set_d(1, 0x8000000000000001ull, 0);
    set_d(2, 3, 0);
    exec(0x0ee2e020u); /* pmull v0.1q, v1.1d, v2.1d */
    ck_assert_uint_eq(h.cpu.v[0][0], 0x8000000000000003ull);
    ck_assert_uint_eq(h.cpu.v[0][1], 1);
}
END_TEST

/* Each extension follows its ID register field: cortex-a72 has AES/PMULL,
 * SHA1 and SHA256 but not FP16, FCMA, FHM, SHA512 or SHA3. */
START_TEST(features_gate_the_instructions)
{
    static const struct {
        uint32_t insn;
        bool on_a72;
    } cases[] = {
        {0xce020c20u, false}, /* eor3 */
        {0x4e421420u, false}, /* fadd v0.8h */
        {0x6e82cc20u, false}, /* fcmla v0.4s, #90 */
        {0x4e22ec20u, false}, /* fmlal v0.4s */
        {0xce628020u, false}, /* sha512h */
        {0x0ee2e020u, true},  /* pmull v0.1q */
        {0x5e024020u, true},  /* sha256h */
        {0x4e22d420u, true},  /* fadd v0.4s */
        {0x6e30f820u, true},  /* fmaxv s0, v1.4s */
    };
    for (unsigned model = 0; model < 2; model++) {
        harness_destroy(&h);
        setup_model(model ? "cortex-a72" : "max");
        for (unsigned k = 0; k < N_OF(cases); k++) {
            int want = model && !cases[k].on_a72 ? 0 : -1;
            ck_assert_msg(exec_ec(cases[k].insn) == want, "%08x on %s", cases[k].insn, model ? "a72" : "max");
        }
    }
}
END_TEST

/* CPTR_EL2.TFP traps every AdvSIMD FP and crypto instruction (EC 0x07). */
START_TEST(fp_access_trap)
{
    h.cpu.sr[SR_CPTR_EL2] |= 1u << 10;
    static const uint32_t insns[] = {0x4e22d420u, 0x6e30f820u, 0x5e024020u, 0xce020c20u, 0x0ee2e020u, 0x4e284820u};
    for (unsigned k = 0; k < N_OF(insns); k++)
        ck_assert_int_eq(exec_ec(insns[k]), 7);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("simd_fp");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, aes128_fips197);
    tcase_add_test(tc, sha1_fips180);
    tcase_add_test(tc, sha256_fips180);
    tcase_add_test(tc, sha512_fips180);
    tcase_add_test(tc, scalar_half_fixed_point_result_is_16_bits);
    tcase_add_test(tc, pmull_64);
    tcase_add_test(tc, reserved_half_precision_forms_undef);
    tcase_add_test(tc, features_gate_the_instructions);
    tcase_add_test(tc, fp_access_trap);
    suite_add_tcase(s, tc);
    return unit_run_suite(s, true);
}
