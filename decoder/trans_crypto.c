/* The cryptographic extensions (AES, SHA1, SHA256, SHA512, SHA3) and
 * PMULL/PMULL2 (DDI 0487 C7.2): each instruction is one pure helper call on
 * whole V registers, computed by crypto/. None of them touches FPCR/FPSR,
 * but all are AdvSIMD instructions: FP access check first. */
#include "crypto/crypto.h"
#include "decoder/trans_simd_fp.h"

enum {
    CR_AESE, CR_AESD, CR_AESMC, CR_AESIMC, CR_SHA1C, CR_SHA1P, CR_SHA1M, CR_SHA1SU0, CR_SHA256H, CR_SHA256H2,
    CR_SHA256SU1, CR_SHA1H, CR_SHA1SU1, CR_SHA256SU0, CR_SHA512H, CR_SHA512H2, CR_SHA512SU1, CR_RAX1,
    CR_SHA512SU0, CR_EOR3, CR_BCAX, CR_XAR, CR_PMULL8, CR_PMULL64
};

/* desc = op | Rd << 8 | Rn << 13 | Rm << 18 | Ra << 23 | imm << 28 (XAR's
 * rotation; PMULL's Q). */
static uint64_t crypto_desc(unsigned op, unsigned rd, unsigned rn, unsigned rm, unsigned ra, unsigned imm)
{
    return op | rd << 8 | rn << 13 | rm << 18 | ra << 23 | (uint64_t)imm << 28;
}

static uint64_t helper_crypto(void *env, uint64_t desc, uint64_t b, uint64_t c)
{
    (void)b, (void)c;
    CPUState *cpu = env;
    unsigned rd = desc >> 8 & 31, rn = desc >> 13 & 31, rm = desc >> 18 & 31, ra = desc >> 23 & 31;
    unsigned imm = (unsigned)(desc >> 28 & 0x3f);
    Vec128 d = simd_read(cpu, rd), n = simd_read(cpu, rn), m = simd_read(cpu, rm), r = {.d = {0, 0}};
    switch (desc & 0xff) {
    case CR_AESE: r = crypto_aese(d, n); break;
    case CR_AESD: r = crypto_aesd(d, n); break;
    case CR_AESMC: r = crypto_aesmc(n); break;
    case CR_AESIMC: r = crypto_aesimc(n); break;
    case CR_SHA1C: r = crypto_sha1_hash(SHA1_CHOOSE, d, n.w[0], m); break;
    case CR_SHA1P: r = crypto_sha1_hash(SHA1_PARITY, d, n.w[0], m); break;
    case CR_SHA1M: r = crypto_sha1_hash(SHA1_MAJORITY, d, n.w[0], m); break;
    case CR_SHA1SU0: r = crypto_sha1su0(d, n, m); break;
    case CR_SHA256H: r = crypto_sha256_hash(d, n, m, 1); break;
    case CR_SHA256H2: r = crypto_sha256_hash(n, d, m, 0); break;
    case CR_SHA256SU1: r = crypto_sha256su1(d, n, m); break;
    case CR_SHA1H: r.w[0] = crypto_sha1h(n.w[0]); break;
    case CR_SHA1SU1: r = crypto_sha1su1(d, n); break;
    case CR_SHA256SU0: r = crypto_sha256su0(d, n); break;
    case CR_SHA512H: r = crypto_sha512h(d, n, m); break;
    case CR_SHA512H2: r = crypto_sha512h2(d, n, m); break;
    case CR_SHA512SU1: r = crypto_sha512su1(d, n, m); break;
    case CR_RAX1:
        for (unsigned e = 0; e < 2; e++)
            r.d[e] = n.d[e] ^ (m.d[e] << 1 | m.d[e] >> 63);
        break;
    case CR_SHA512SU0: r = crypto_sha512su0(d, n); break;
    case CR_EOR3: {
        Vec128 a = simd_read(cpu, ra);
        for (unsigned e = 0; e < 2; e++)
            r.d[e] = n.d[e] ^ m.d[e] ^ a.d[e];
        break;
    }
    case CR_BCAX: {
        Vec128 a = simd_read(cpu, ra);
        for (unsigned e = 0; e < 2; e++)
            r.d[e] = n.d[e] ^ (m.d[e] & ~a.d[e]);
        break;
    }
    case CR_XAR:
        for (unsigned e = 0; e < 2; e++) {
            uint64_t x = n.d[e] ^ m.d[e];
            r.d[e] = imm ? x >> imm | x << (64 - imm) : x;
        }
        break;
    case CR_PMULL8: /* Q selects the high halves (PMULL2) */
        for (unsigned e = 0; e < 8; e++) {
            uint16_t p = crypto_pmul8(n.b[8 * imm + e], m.b[8 * imm + e]);
            r.b[2 * e] = (uint8_t)p, r.b[2 * e + 1] = (uint8_t)(p >> 8);
        }
        break;
    default: r = crypto_pmul64(n.d[imm], m.d[imm]); break; /* CR_PMULL64 */
    }
    simd_write(cpu, rd, r, true);
    return 0;
}

static bool crypto_call(DisasContext *s, uint64_t desc)
{
    if (!fp_access_check(s))
        return true;
    gen_helper(s, helper_crypto, konst(s, desc), 0, 0);
    return true;
}

bool trans_CRYPTO_AES(DisasContext *s, const A64Insn *i)
{
    return crypto_call(s, crypto_desc(CR_AESE + i->f[F_opcode], i->f[F_Rd], i->f[F_Rn], 0, 0, 0));
}

/* opcode (bits 14:12): SHA1C, SHA1P, SHA1M, SHA1SU0, SHA256H, SHA256H2, SHA256SU1. */
bool trans_CRYPTO_SHA_3reg(DisasContext *s, const A64Insn *i)
{
    unsigned opcode = i->raw >> 12 & 7;
    if (opcode == 7)
        return false;
    return crypto_call(s, crypto_desc(CR_SHA1C + opcode, i->f[F_Rd], i->f[F_Rn], i->f[F_Rm], 0, 0));
}

/* opcode (bits 16:12): SHA1H, SHA1SU1, SHA256SU0. */
bool trans_CRYPTO_SHA_2reg(DisasContext *s, const A64Insn *i)
{
    unsigned opcode = i->raw >> 12 & 0x1f;
    return crypto_call(s, crypto_desc(CR_SHA1H + opcode, i->f[F_Rd], i->f[F_Rn], 0, 0, 0));
}

/* opcode (bits 11:10): SHA512H, SHA512H2, SHA512SU1, RAX1 (FEAT_SHA3, its own entry). */
bool trans_CRYPTO_SHA512_3reg(DisasContext *s, const A64Insn *i)
{
    unsigned opcode = i->raw >> 10 & 3;
    if (opcode == 3 && !feature_has(&s->cpu->features, FEAT_SHA3))
        return false;
    return crypto_call(s, crypto_desc(CR_SHA512H + opcode, i->f[F_Rd], i->f[F_Rn], i->f[F_Rm], 0, 0));
}

bool trans_CRYPTO_SHA512SU0(DisasContext *s, const A64Insn *i)
{
    return crypto_call(s, crypto_desc(CR_SHA512SU0, i->f[F_Rd], i->f[F_Rn], 0, 0, 0));
}

bool trans_CRYPTO_4reg(DisasContext *s, const A64Insn *i)
{
    return crypto_call(s, crypto_desc(i->f[F_opcode] ? CR_BCAX : CR_EOR3, i->f[F_Rd], i->f[F_Rn], i->f[F_Rm],
                                      i->f[F_Ra], 0));
}

bool trans_CRYPTO_XAR(DisasContext *s, const A64Insn *i)
{
    return crypto_call(s, crypto_desc(CR_XAR, i->f[F_Rd], i->f[F_Rn], i->f[F_Rm], 0, i->f[F_imm6]));
}

bool trans_SIMD_PMULL(DisasContext *s, const A64Insn *i)
{
    unsigned size = i->f[F_size];
    if (size == 3 ? !feature_has(&s->cpu->features, FEAT_PMULL) : size != 0)
        return false;
    return crypto_call(s, crypto_desc(size ? CR_PMULL64 : CR_PMULL8, i->f[F_Rd], i->f[F_Rn], i->f[F_Rm], 0,
                                      i->f[F_Q]));
}
