/* The decoder table against Capstone 4 (an independent decoder): random
 * encodings of every entry must disassemble to one of the entry's mnemonics,
 * reserved field values the translator rejects must be invalid in Capstone
 * too, and sampled words our table leaves unallocated must be invalid there. */
#include <capstone/capstone.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "decoder/a64.h"
#include "decoder/translate.h"
#include "harness.h"
#include "unit_main.h"

#define SAMPLES_PER_ENTRY 300
#define UNALLOCATED_SAMPLES 200000
#define MAX_REPORTS 40

static csh cs;
static Harness h;

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)rng_state;
}

/* Capstone's mnemonic for raw, or NULL if it finds no instruction. */
static const char *capstone_mnemonic(uint32_t raw, char *buf, size_t len)
{
    uint8_t bytes[4] = {raw & 0xff, raw >> 8 & 0xff, raw >> 16 & 0xff, raw >> 24};
    cs_insn *insn;
    if (cs_disasm(cs, bytes, 4, 0x1000, 1, &insn) != 1)
        return NULL;
    snprintf(buf, len, "%s", insn->mnemonic);
    cs_free(insn, 1);
    char *dot = strchr(buf, '.'); /* b.eq -> b */
    if (dot)
        *dot = 0;
    return buf;
}

/* Capstone prints any encoding of the system-register and SYS spaces as a
 * generic MRS/MSR/SYS: whether a register exists there is IMPLEMENTATION
 * DEFINED, so an UNDEF from our table says nothing against Capstone. */
static bool generic_system_form(uint32_t raw, const char *m)
{
    return (raw & 0xffc00000) == 0xd5000000 && m &&
           (!strcmp(m, "mrs") || !strcmp(m, "msr") || !strcmp(m, "sys") || !strcmp(m, "sysl"));
}

static bool has_field(const A64Encoding *e, A64Field f)
{
    for (unsigned k = 0; k < e->nfields; k++)
        if (e->fields[k].id == f)
            return true;
    return false;
}

/* Capstone 4 predates FEAT_FP16 (half-precision arithmetic: ftype 11 outside
 * FCVT, whose half forms are Armv8.0), FEAT_FRINTTS (FRINT32/64: FP_1src
 * opcodes 0x10-0x13) and FEAT_JSCVT. */
static bool capstone_predates_fp_feature(const A64Insn *insn)
{
    const A64Encoding *e = insn->enc;
    if (e->feature == FEAT_JSCVT || e->feature == FEAT_FP16)
        return true;
    if (!has_field(e, F_ftype))
        return false;
    bool is_1src = !strcmp(e->name, "FP_1src");
    bool is_fcvt = is_1src && (insn->f[F_opcode] & 0x3c) == 0x04;
    if (is_1src && insn->f[F_opcode] >= 0x10 && insn->f[F_opcode] <= 0x13)
        return true;
    return insn->f[F_ftype] == 3 && !is_fcvt;
}

/* Capstone 4 rejects the AdvSIMD copy encodings whose ignored imm5/imm4 bits
 * are nonzero (DUP/INS general: imm5 above the size bit; INS element: imm4
 * below the source index), which the Arm ARM marks "x" and QEMU executes. */
static bool capstone_strict_copy(const A64Insn *insn)
{
    uint32_t raw = insn->raw;
    if (strcmp(insn->enc->name, "SIMD_copy"))
        return false;
    unsigned imm5 = raw >> 16 & 0x1f, imm4 = raw >> 11 & 0xf, esz = (unsigned)__builtin_ctz(imm5 | 0x20);
    if (raw >> 29 & 1)
        return (imm4 & ((1u << esz) - 1)) != 0;
    return (imm4 == 1 || imm4 == 3) && (imm5 >> (esz + 1)) != 0;
}

/* Nor does it know the AdvSIMD half-precision forms (FEAT_FP16: the FP16
 * groups, U = 0 with sz = 0 in the pairwise and across-lane FP groups, size
 * 00 by element, immh 001x in the fixed-point converts), FRINT32/64 vector,
 * FEAT_FCMA, FEAT_FHM, FEAT_SHA3 and FEAT_SHA512. */
static bool capstone_predates_simd_feature(const A64Insn *insn)
{
    const A64Encoding *e = insn->enc;
    Feature f = e->feature;
    if (f == FEAT_FP16 || f == FEAT_FCMA || f == FEAT_SHA3 || f == FEAT_SHA512 || f == FEAT_FHM)
        return true;
    if (!strcmp(e->name, "SIMD_FP_3same")) /* FMLAL/FMLSL (FEAT_FHM) */
        return !insn->f[F_sz] && insn->f[F_opcode] == (insn->f[F_U] ? 1u : 5u);
    if (!strcmp(e->name, "SIMD_FP_spair") || !strcmp(e->name, "SIMD_FP_across"))
        return !insn->f[F_U];
    if (!strncmp(e->name, "SIMD_FP_elem", 12) || !strncmp(e->name, "SIMD_FP_selem", 13))
        return insn->f[F_size] == 0;
    if (!strcmp(e->name, "SIMD_FP_misc"))
        return !insn->f[F_a] && insn->f[F_opcode] >= 6;
    return false;
}

/* Capstone 4 rejects load/store encodings whose registers overlap (writeback
 * with Rn == Rt, pairs with Rt == Rt2: CONSTRAINED UNPREDICTABLE, which Nestor
 * executes the way QEMU does), and even LDTR/STTR with Rn == Rt, which are
 * plain. It also predates FEAT_LSE, FEAT_LRCPC/LRCPC2, FEAT_FlagM, FEAT_RDM,
 * FEAT_DotProd and (decoding only some of their forms) FEAT_PAuth. */
static bool capstone_cannot_judge(const A64Insn *insn)
{
    const A64Encoding *e = insn->enc;
    Feature f = e->feature;
    if (f == FEAT_LSE || f == FEAT_RCPC || f == FEAT_RCPC2 || f == FEAT_FLAGM || f == FEAT_FLAGM2 ||
        f == FEAT_RDM || f == FEAT_DOTPROD || f == FEAT_PAUTH || f == FEAT_PACGA)
        return true;
    if (capstone_strict_copy(insn))
        return true;
    if (capstone_predates_fp_feature(insn) || capstone_predates_simd_feature(insn))
        return true;
    if (e->name[0] != 'L' && e->name[0] != 'S')
        return false;
    bool rn_rt = has_field(e, F_Rn) && has_field(e, F_Rt) && insn->f[F_Rn] != 31 && insn->f[F_Rn] == insn->f[F_Rt];
    bool rn_rt2 = has_field(e, F_Rn) && has_field(e, F_Rt2) && insn->f[F_Rn] != 31 && insn->f[F_Rn] == insn->f[F_Rt2];
    bool rt_rt2 = has_field(e, F_Rt) && has_field(e, F_Rt2) && insn->f[F_Rt] == insn->f[F_Rt2];
    return rn_rt || rn_rt2 || rt_rt2;
}

static bool mnemonic_listed(const char *list, const char *m)
{
    size_t n = strlen(m);
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, " ");
        if (len == n && !strncmp(p, m, n))
            return true;
        p += len;
        while (*p == ' ')
            p++;
    }
    return false;
}

/* Would the translator accept it (EL2, "max")? */
static bool translator_accepts(const A64Insn *insn)
{
    IRBlock blk;
    ir_block_init(&blk);
    DisasContext s = {.ir = &blk, .cpu = &h.cpu, .pc = HARNESS_RAM_BASE, .el = 2};
    bool ok = feature_has(&h.cpu.features, insn->enc->feature) && insn->enc->translate(&s, insn);
    ir_block_free(&blk);
    return ok;
}

/* Mnemonics Capstone 4 prints for encodings that are UNDEFINED here: features
 * our CPU models do not have, and instructions that UNDEF in this configuration
 * (HLT and DCPS outside Debug state, UDF always). */
static const char *const not_modelled =
    "hlt dcps1 dcps2 dcps3 udf "
    "ldraa ldrab braa brab blraa blrab braaz brabz blraaz blrabz retaa retab eretaa eretab "
    "ldapr ldaprb ldaprh ldapur ldapurb ldapurh ldapursb ldapursh ldapursw stlur stlurb stlurh "
    "ldlar ldlarb ldlarh stllr stllrb stllrh pacga xpaci xpacd pacia pacib pacda pacdb autia autib autda autdb "
    "paciza pacizb pacdza pacdzb autiza autizb autdza autdzb cfinv xaflag axflag rmif setf8 setf16 "
    "irg gmi subp subps addg subg stg stzg st2g stz2g ldg stgp ldgm stgm stzgm sb";

START_TEST(entries_match_capstone)
{
    unsigned count, reports = 0, failures = 0, compared = 0;
    const A64Encoding *table = a64_table(&count);
    for (unsigned e = 0; e < count; e++) {
        unsigned entry_failures = failures;
        for (unsigned n = 0; n < SAMPLES_PER_ENTRY; n++) {
            uint32_t raw = table[e].value | (rnd() & ~table[e].mask);
            A64Insn insn;
            if (a64_decode(raw, &insn) != &table[e])
                continue; /* a more specific entry owns it */
            char buf[32];
            const char *m = capstone_mnemonic(raw, buf, sizeof buf);
            bool ours = translator_accepts(&insn);
            compared++;
            bool ok = ours ? (m ? mnemonic_listed(table[e].mnemonics, m) : capstone_cannot_judge(&insn))
                           : !m || mnemonic_listed(not_modelled, m) || generic_system_form(raw, m);
            if (!ok) {
                failures++;
                if (reports++ < MAX_REPORTS)
                    fprintf(stderr, "%08x: table %s (%s), capstone %s\n", raw, table[e].name,
                            ours ? "accepted" : "UNDEF", m ? m : "invalid");
            }
        }
        if (failures != entry_failures)
            fprintf(stderr, "%s: %u mismatches\n", table[e].name, failures - entry_failures);
    }
    fprintf(stderr, "compared %u encodings over %u entries, %u mismatches\n", compared, count, failures);
    ck_assert_uint_eq(failures, 0);
}
END_TEST

/* Every A64 group but SVE (op0 0010), which is not implemented yet: integer,
 * scalar FP, AdvSIMD (integer, FP, crypto) and every load/store. */
static bool in_sampled_space(uint32_t raw) { return (raw >> 25 & 0xf) != 0x2; }

START_TEST(unallocated_words_are_invalid_in_capstone)
{
    unsigned reports = 0, failures = 0, sampled = 0;
    for (unsigned n = 0; n < UNALLOCATED_SAMPLES; n++) {
        uint32_t raw = rnd();
        A64Insn insn;
        if (!in_sampled_space(raw) || a64_decode(raw, &insn))
            continue;
        sampled++;
        char buf[32];
        const char *m = capstone_mnemonic(raw, buf, sizeof buf);
        if (m && !mnemonic_listed(not_modelled, m) && !generic_system_form(raw, m)) {
            failures++;
            if (reports++ < MAX_REPORTS)
                fprintf(stderr, "%08x: unallocated in our table, capstone %s\n", raw, m);
        }
    }
    fprintf(stderr, "sampled %u unallocated non-SVE words, %u decoded by capstone\n", sampled, failures);
    ck_assert_uint_gt(sampled, 1000);
    ck_assert_uint_eq(failures, 0);
}
END_TEST

int main(void)
{
    if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &cs) != CS_ERR_OK)
        return EXIT_FAILURE;
    harness_init(&h, "max", 2);
    Suite *s = suite_create("decoder_capstone");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, entries_match_capstone);
    tcase_add_test(tc, unallocated_words_are_invalid_in_capstone);
    suite_add_tcase(s, tc);
    int status = unit_run_suite(s, false);
    harness_destroy(&h);
    cs_close(&cs);
    return status;
}
