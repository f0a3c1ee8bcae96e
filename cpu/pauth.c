/* AddPAC, Auth, Strip and the PAuth enable/trap rules (DDI 0487 J.a,
 * D8.8 "Pointer authentication" and the pseudocode of PACIA, AUTIA,
 * XPACI, PACGA and shared/functions/pointerauth). */
#include "cpu/pauth.h"

#include "crypto/qarma.h"
#include "sysregs/id_fields.h"

_Static_assert(SR_APIAKeyHi_EL1 == SR_APIAKeyLo_EL1 + 1 && SR_APIBKeyHi_EL1 == SR_APIBKeyLo_EL1 + 1 &&
                   SR_APDAKeyHi_EL1 == SR_APDAKeyLo_EL1 + 1 && SR_APDBKeyHi_EL1 == SR_APDBKeyLo_EL1 + 1 &&
                   SR_APGAKeyHi_EL1 == SR_APGAKeyLo_EL1 + 1,
               "each PAuth key's Hi register follows its Lo register");

/* The PAuth level: 1 FEAT_PAuth, 2 FEAT_EPAC, 3 FEAT_PAuth2, 4 FEAT_FPAC,
 * 5 FEAT_FPACCOMBINE. One of APA, API, APA3 is non-zero on a PE with PAuth. */
static unsigned level_of(const CPUState *cpu)
{
    uint64_t a = id_field_get(cpu->sr, IDF_ID_AA64ISAR1_EL1_APA), i = id_field_get(cpu->sr, IDF_ID_AA64ISAR1_EL1_API);
    uint64_t a3 = id_field_get(cpu->sr, IDF_ID_AA64ISAR2_EL1_APA3);
    uint64_t l = a > i ? a : i;
    return (unsigned)(l > a3 ? l : a3);
}

/* The algorithm: QARMA3 when APA3 (GPA3 for the generic key) says so,
 * otherwise QARMA5. An IMPLEMENTATION DEFINED algorithm (API/GPI) is also
 * QARMA5 here: the architecture lets an implementation choose any. */
static QarmaAlg algorithm(const CPUState *cpu, bool generic)
{
    IdField f = generic ? IDF_ID_AA64ISAR2_EL1_GPA3 : IDF_ID_AA64ISAR2_EL1_APA3;
    return id_field_get(cpu->sr, f) ? QARMA3 : QARMA5;
}

void pauth_reset(CPUState *cpu)
{
    cpu->pac_level = (uint8_t)level_of(cpu);
    cpu->pac_alg = (uint8_t)algorithm(cpu, false);
    cpu->pacga_alg = (uint8_t)algorithm(cpu, true);
}

static unsigned pauth_level(const CPUState *cpu) { return cpu->pac_level; }

static uint64_t compute_pac(CPUState *cpu, uint64_t data, uint64_t modifier, PauthKey key)
{
    static const SysregId lo[] = {SR_APIAKeyLo_EL1, SR_APIBKeyLo_EL1, SR_APDAKeyLo_EL1, SR_APDBKeyLo_EL1,
                                  SR_APGAKeyLo_EL1};
    uint64_t key1 = cpu->sr[lo[key]], key0 = cpu->sr[lo[key] + 1];
    return qarma_memo_compute(&cpu->pac_memo, data, modifier, key0, key1,
                              key == PAUTH_KEY_GA ? cpu->pacga_alg : cpu->pac_alg);
}

/* The regime of the current EL: EL2 (E2H = 0) has one VA range and the
 * TCR_EL2 layout; EL2&0 (E2H = 1, at EL2 or at EL0 with TGE) and EL1&0
 * have two. */
typedef struct {
    uint64_t tcr;
    bool two_ranges;
} Regime;

static Regime regime(const CPUState *cpu)
{
    unsigned el = cpu_el(cpu);
    bool e2h = cpu_e2h(cpu);
    if (el == 2)
        return (Regime){cpu->sr[SR_TCR_EL2], e2h};
    if (el == 0 && cpu_e2h_tge(cpu))
        return (Regime){cpu->sr[SR_TCR_EL2], true};
    return (Regime){cpu->sr[SR_TCR_EL1], true};
}

/* CalculateBottomPACBit: 64 - TxSZ of the pointer's range, with an
 * out-of-range TxSZ clamped (the CONSTRAINED UNPREDICTABLE choice QEMU
 * also makes): at most 39 (48, 47 for the 64 KiB granule, with FEAT_TTST),
 * at least 16. */
static unsigned bottom_pac_bit(const CPUState *cpu, Regime r, bool selbit)
{
    unsigned n = r.two_ranges && selbit;
    unsigned tsz = (unsigned)(r.tcr >> TCR_TNSZ_SHIFT(n)) & 0x3f;
    unsigned tg = (unsigned)(r.tcr >> TCR_TG_SHIFT(n)) & 3;
    bool gran64k = n ? tg == 3 : tg == 1;
    unsigned max = id_field_get(cpu->sr, IDF_ID_AA64MMFR2_EL1_ST) ? (gran64k ? 47 : 48) : 39;
    if (tsz > max)
        tsz = max;
    if (tsz < 16)
        tsz = 16;
    return 64 - tsz;
}

static uint64_t mask_bits(unsigned hi, unsigned lo) { return (~0ull >> (63 - hi)) & (~0ull << lo); }

/* The pointer with its PAC field replaced by copies of selbit (the top
 * byte kept with TBI): the value the PAC is computed over, and Strip. */
static uint64_t canonical(uint64_t ptr, bool tbi, unsigned bottom, bool selbit)
{
    uint64_t field = mask_bits(tbi ? 55 : 63, bottom);
    return selbit ? ptr | field : ptr & ~field;
}

/* AddPAC's selbit: the bit that tells the VA range, kept in bit 55 of the
 * signed pointer. Bit 55 when top-byte-ignore is on (for this kind of
 * pointer) in either range of the regime, else bit 63: an address such as
 * 1xxx...x0... with TBI1 = 0 and TBI0 = 1 has no better choice. */
static bool add_selbit(Regime r, uint64_t ptr, bool data, bool tbi)
{
    bool any_tbi = tbi;
    if (r.two_ranges)
        for (unsigned n = 0; n < 2; n++)
            any_tbi |= (r.tcr & TCR_TBI(n)) && (data || !(r.tcr & TCR_TBID(n)));
    return ptr >> (any_tbi ? 55 : 63) & 1;
}

/* The SCTLR_ELx.EnXX bit and HCR_EL2.API trap of the current EL, as in the
 * pseudocode of PACIA/AUTIA and friends: the enable is checked first (a
 * disabled key makes the instruction a NOP, with no trap). */
static const uint64_t enable_bit[] = {SCTLR_ENIA, SCTLR_ENIB, SCTLR_ENDA, SCTLR_ENDB, 0};

static bool api_traps(const CPUState *cpu)
{
    unsigned el = cpu_el(cpu);
    if (el >= 2 || !cpu->has_el2 || (cpu->sr[SR_HCR_EL2] & HCR_API))
        return false;
    return el == 1 || !cpu_e2h_tge(cpu); /* EL0 of the EL2&0 host: no trap */
}

static void trap_check(CPUState *cpu)
{
    if (api_traps(cpu))
        cpu_take_exception(cpu, 2, EC_PAC_TRAP, 0, cpu->pc, false, 0);
}

static bool key_enabled(CPUState *cpu, PauthKey key)
{
    unsigned el = cpu_el(cpu);
    bool el2_sctlr = el == 2 || (el == 0 && cpu_e2h_tge(cpu));
    if (!(cpu->sr[el2_sctlr ? SR_SCTLR_EL2 : SR_SCTLR_EL1] & enable_bit[key]))
        return false;
    trap_check(cpu);
    return true;
}

uint64_t pauth_add(CPUState *cpu, uint64_t ptr, uint64_t modifier, PauthKey key)
{
    if (!key_enabled(cpu, key))
        return ptr;
    bool data = key == PAUTH_KEY_DA || key == PAUTH_KEY_DB;
    Regime r = regime(cpu);
    bool tbi = cpu_effective_tbi(cpu, ptr, data), selbit = add_selbit(r, ptr, data, tbi);
    unsigned bottom = bottom_pac_bit(cpu, r, selbit), top = tbi ? 55 : 63, level = pauth_level(cpu);
    uint64_t pac = compute_pac(cpu, canonical(ptr, tbi, bottom, selbit), modifier, key);
    uint64_t ext = ptr & mask_bits(top, bottom);
    if (ext != 0 && ext != mask_bits(top, bottom)) {
        /* A pointer whose extension bits are not all equal gets a PAC that
         * cannot authenticate (FEAT_EPAC: 0; before it: one bit flipped;
         * FEAT_PAuth2 needs neither: the XOR below already corrupts it). */
        if (level == 2)
            pac = 0;
        else if (level < 2)
            pac ^= 1ull << (top - 1);
    }
    uint64_t field = mask_bits(54, bottom) | (tbi ? 0 : mask_bits(63, 56));
    uint64_t sel = (uint64_t)selbit << 55;
    if (level >= 3) /* FEAT_PAuth2: the PAC is XORed into the pointer */
        return ((ptr ^ (pac & field)) & ~(1ull << 55)) | sel;
    return (ptr & ~field & ~(1ull << 55)) | (pac & field) | sel;
}

uint64_t pauth_auth(CPUState *cpu, uint64_t ptr, uint64_t modifier, PauthKey key, bool combined)
{
    if (!key_enabled(cpu, key))
        return ptr;
    bool data = key == PAUTH_KEY_DA || key == PAUTH_KEY_DB;
    bool key_b = key == PAUTH_KEY_IB || key == PAUTH_KEY_DB;
    Regime r = regime(cpu);
    bool tbi = cpu_effective_tbi(cpu, ptr, data), selbit = ptr >> 55 & 1;
    unsigned bottom = bottom_pac_bit(cpu, r, selbit), top = tbi ? 55 : 63, level = pauth_level(cpu);
    uint64_t pac = compute_pac(cpu, canonical(ptr, tbi, bottom, selbit), modifier, key);
    uint64_t field = mask_bits(54, bottom) | (tbi ? 0 : mask_bits(63, 56));
    uint64_t result;
    if (level >= 3) {
        result = ptr ^ (pac & field);
        bool fpac = level >= 5 || (level == 4 && !combined);
        uint64_t ext = result & mask_bits(top, bottom);
        if (fpac && ext != 0 && ext != mask_bits(top, bottom)) {
            unsigned target = cpu_sync_target_el(cpu);
            cpu_take_exception(cpu, target, EC_PAC_FAIL, (data ? 2u : 0u) | (key_b ? 1u : 0u), cpu->pc, false, 0);
        }
        return result;
    }
    if (((ptr ^ pac) & field) == 0)
        return canonical(ptr, tbi, bottom, selbit);
    /* Failure: the canonical pointer with the error code (the key number
     * and its complement: 0b01 for A, 0b10 for B) in the two bits below
     * the top bit of the extension, which makes it non-canonical. */
    uint64_t error_code = key_b ? 2 : 1;
    result = canonical(ptr, tbi, bottom, selbit) & ~mask_bits(top - 1, top - 2);
    return result | error_code << (top - 2);
}

uint64_t pauth_strip(const CPUState *cpu, uint64_t ptr, bool data)
{
    Regime r = regime(cpu);
    bool tbi = cpu_effective_tbi(cpu, ptr, data), selbit = ptr >> 55 & 1;
    return canonical(ptr, tbi, bottom_pac_bit(cpu, r, selbit), selbit);
}

uint64_t pauth_pacga(CPUState *cpu, uint64_t x, uint64_t m)
{
    trap_check(cpu);
    return compute_pac(cpu, x, m, PAUTH_KEY_GA) & 0xffffffff00000000ull;
}
