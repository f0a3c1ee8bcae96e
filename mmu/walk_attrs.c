/* Memory attributes in MAIR format (DDI 0487 D8.6 "Memory region
 * attributes"; pseudocode S1DecodeMemAttrs, S2DecodeMemAttrs,
 * S2CombineS1MemAttrs, AArch64.S2ApplyFWBMemAttrs, EffectiveShareability).
 *
 * A MAIR Attr byte is 0b0000ddxx for Device memory (dd: nGnRnE, nGnRE,
 * nGRE, GRE) or outer:inner nibbles for Normal memory, each nibble 0b0100
 * for Non-cacheable, otherwise 0bTCRW: C selects Write-Back over
 * Write-Through, R/W the allocation hints and T == 0 (with hints) marks the
 * transient variant. Reserved encodings are CONSTRAINED UNPREDICTABLE; they
 * pass through stage 1 unchanged and combine as documented below. */
#include "mmu/walk_internal.h"

typedef enum { CACHE_NC, CACHE_WT, CACHE_WB } Cacheability;

typedef struct {
    Cacheability c;
    unsigned hints; /* RW: read/write allocate */
    bool transient;
} Nibble;

static Nibble nibble_decode(unsigned n)
{
    if (n == 4)
        return (Nibble){CACHE_NC, 0, false};
    unsigned hints = n & 3;
    return (Nibble){n & 4 ? CACHE_WB : CACHE_WT, hints, hints && !(n & 8)};
}

static unsigned nibble_encode(Nibble n)
{
    if (n.c == CACHE_NC)
        return 4;
    unsigned base = n.c == CACHE_WB ? 4 : 0;
    return (n.transient && n.hints ? base : base | 8) | n.hints;
}

bool attr_is_device(uint8_t attr) { return (attr & 0xf0) == 0; }

/* The FEAT_XS Normal encodings 0x40 (NC) and 0xa0 (WT), the FEAT_MTE2
 * Tagged 0xf0 (WB) and the reserved 0bxxxx0000 all have an inner nibble
 * equal to the outer one for cacheability purposes. */
static unsigned inner_nibble(uint8_t attr)
{
    return attr & 0xf ? attr & 0xf : attr >> 4;
}

uint8_t attr_effective_sh(uint8_t attr, uint8_t sh)
{
    if (attr_is_device(attr))
        return SH_OUTER;
    if (nibble_decode(attr >> 4).c == CACHE_NC && nibble_decode(inner_nibble(attr)).c == CACHE_NC)
        return SH_OUTER;
    return sh;
}

/* Stage 2 cacheability of one MemAttr half: 0b01 NC, 0b10 WT, 0b11 WB. The
 * reserved 0b00 (with the other half non-zero) is taken as Non-cacheable. */
static Cacheability s2_cacheability(unsigned bits)
{
    return bits == 3 ? CACHE_WB : bits == 2 ? CACHE_WT : CACHE_NC;
}

static bool s2_is_device(uint8_t m) { return (m & 0xc) == 0; }

/* The stricter of two Device types: the smaller dd encoding. */
static uint8_t device_combine(uint8_t s1_attr, unsigned s2_dd)
{
    unsigned s1_dd = (s1_attr >> 2) & 3;
    return (uint8_t)((s1_dd < s2_dd ? s1_dd : s2_dd) << 2 | (s1_attr & 3));
}

/* S2CombineS1AttrHints: the weaker cacheability wins; hints come from stage 1. */
static unsigned nibble_combine(unsigned s1, Cacheability s2)
{
    Nibble n = nibble_decode(s1);
    if (n.c == CACHE_NC || s2 == CACHE_NC)
        return 4;
    if (s2 == CACHE_WT)
        n.c = CACHE_WT;
    return nibble_encode(n);
}

uint8_t attr_s2_combine(uint8_t s1_attr, uint8_t m)
{
    bool s1_dev = attr_is_device(s1_attr);
    if (s2_is_device(m))
        return s1_dev ? device_combine(s1_attr, m & 3) : (uint8_t)((m & 3) << 2);
    if (s1_dev)
        return s1_attr;
    unsigned outer = nibble_combine(s1_attr >> 4, s2_cacheability(m >> 2 & 3));
    unsigned inner = nibble_combine(inner_nibble(s1_attr), s2_cacheability(m & 3));
    return (uint8_t)(outer << 4 | inner);
}

/* Forced Write-Back keeps stage 1's hints when stage 1 was cacheable,
 * otherwise Read/Write-allocate, non-transient. */
static unsigned nibble_force_wb(uint8_t s1_attr, unsigned s1)
{
    Nibble n = nibble_decode(s1);
    if (attr_is_device(s1_attr) || n.c == CACHE_NC)
        n = (Nibble){CACHE_WB, 3, false};
    n.c = CACHE_WB;
    return nibble_encode(n);
}

uint8_t attr_s2_fwb(uint8_t s1_attr, uint8_t m)
{
    bool s1_dev = attr_is_device(s1_attr);
    if (!(m & 4))
        return s1_dev ? device_combine(s1_attr, m & 3) : (uint8_t)((m & 3) << 2);
    switch (m & 3) {
    case 3: return s1_attr;
    case 2: return (uint8_t)(nibble_force_wb(s1_attr, s1_attr >> 4) << 4 | nibble_force_wb(s1_attr, inner_nibble(s1_attr)));
    default: return s1_dev ? s1_attr : 0x44;
    }
}

/* S2CombineS1Shareability: the wider domain wins. The reserved SH value
 * 0b01 is taken as Outer Shareable. */
uint8_t sh_s2_combine(uint8_t s1_sh, uint8_t s2_sh)
{
    if (s1_sh == SH_OUTER || s2_sh == SH_OUTER || s1_sh == 1 || s2_sh == 1)
        return SH_OUTER;
    if (s1_sh == SH_INNER || s2_sh == SH_INNER)
        return SH_INNER;
    return SH_NON;
}
