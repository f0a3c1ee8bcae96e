/* QARMA5 and QARMA3 as ComputePAC defines them (DDI 0487 J.a,
 * shared/functions/crypto/ComputePAC and its helpers PACCellShuffle,
 * PACCellInvShuffle, PACMult, PACSub, PACInvSub, PACSub1, TweakShuffle,
 * TweakInvShuffle). Two implementations: a cell-by-cell reference that reads
 * like the pseudocode, and the one the emulator runs, where each cell-wise
 * step is a table lookup per byte: the S-boxes act on each 4-bit cell, and
 * the shuffles, PACMult and the tweak shuffles are linear over the cells, so
 * each of them is the XOR of its images of the eight input bytes. */
#include "crypto/qarma.h"

#include <stddef.h>

/* ---- the pseudocode's building blocks, cell by cell ---- */

static unsigned cell(uint64_t x, unsigned i) { return (unsigned)(x >> (4 * i)) & 0xf; }

/* PACCellShuffle: output cell i is input cell shuffle_src[i]. */
static const uint8_t shuffle_src[16] = {13, 6, 11, 0, 7, 12, 1, 10, 8, 3, 14, 5, 2, 9, 4, 15};

static uint64_t cell_shuffle(uint64_t in)
{
    uint64_t out = 0;
    for (unsigned i = 0; i < 16; i++)
        out |= (uint64_t)cell(in, shuffle_src[i]) << (4 * i);
    return out;
}

static uint64_t cell_inv_shuffle(uint64_t in)
{
    uint64_t out = 0;
    for (unsigned i = 0; i < 16; i++)
        out |= (uint64_t)cell(in, i) << (4 * shuffle_src[i]);
    return out;
}

static const uint8_t pac_sub[16] = {0xb, 0x6, 0x8, 0xf, 0xc, 0x0, 0x9, 0xe, 0x3, 0x7, 0x4, 0x5, 0xd, 0x2, 0x1, 0xa};
static const uint8_t pac_inv_sub[16] = {0x5, 0xe, 0xd, 0x8, 0xa, 0xb, 0x1, 0x9,
                                        0x2, 0x6, 0xf, 0x0, 0x4, 0xc, 0x7, 0x3};
/* PACSub1 (QARMA3) is its own inverse. */
static const uint8_t pac_sub1[16] = {0xa, 0xd, 0xe, 0x6, 0xf, 0x7, 0x3, 0x5, 0x9, 0x8, 0x0, 0xc, 0xb, 0x1, 0x2, 0x4};

static uint64_t sub_cells(uint64_t in, const uint8_t box[16])
{
    uint64_t out = 0;
    for (unsigned i = 0; i < 16; i++)
        out |= (uint64_t)box[cell(in, i)] << (4 * i);
    return out;
}

/* RotCell: a 4-bit rotate left. */
static unsigned rot_cell(unsigned c, unsigned n) { return ((c << n) | (c >> (4 - n))) & 0xf; }

/* PACMult: each column (cells i, i+4, i+8, i+12) times the involutive
 * matrix circ(0, rho, rho^2, rho) of QARMA. */
static uint64_t pac_mult(uint64_t in)
{
    uint64_t out = 0;
    for (unsigned i = 0; i < 4; i++) {
        unsigned c0 = cell(in, i), c4 = cell(in, i + 4), c8 = cell(in, i + 8), c12 = cell(in, i + 12);
        unsigned t0 = rot_cell(c8, 1) ^ rot_cell(c4, 2) ^ rot_cell(c0, 1);
        unsigned t1 = rot_cell(c12, 1) ^ rot_cell(c4, 1) ^ rot_cell(c0, 2);
        unsigned t2 = rot_cell(c12, 2) ^ rot_cell(c8, 1) ^ rot_cell(c0, 1);
        unsigned t3 = rot_cell(c12, 1) ^ rot_cell(c8, 2) ^ rot_cell(c4, 1);
        out |= (uint64_t)t3 << (4 * i) | (uint64_t)t2 << (4 * (i + 4)) | (uint64_t)t1 << (4 * (i + 8)) |
               (uint64_t)t0 << (4 * (i + 12));
    }
    return out;
}

/* TweakCellRot and its inverse (a 4-bit LFSR step). */
static unsigned tweak_cell_rot(unsigned c) { return c >> 1 | ((c ^ c >> 1) & 1) << 3; }
static unsigned tweak_cell_inv_rot(unsigned c) { return (c << 1 & 0xe) | ((c ^ c >> 3) & 1); }

/* TweakShuffle: output cell i is input cell tweak_src[i], rotated by
 * TweakCellRot where tweak_rot[i] says so. */
static const uint8_t tweak_src[16] = {4, 5, 6, 7, 11, 2, 3, 8, 12, 13, 14, 15, 0, 1, 10, 9};
static const uint8_t tweak_rot[16] = {0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 1, 1};

static uint64_t tweak_shuffle(uint64_t in)
{
    uint64_t out = 0;
    for (unsigned i = 0; i < 16; i++) {
        unsigned c = cell(in, tweak_src[i]);
        out |= (uint64_t)(tweak_rot[i] ? tweak_cell_rot(c) : c) << (4 * i);
    }
    return out;
}

static uint64_t tweak_inv_shuffle(uint64_t in)
{
    uint64_t out = 0;
    for (unsigned i = 0; i < 16; i++) {
        unsigned c = cell(in, i);
        out |= (uint64_t)(tweak_rot[i] ? tweak_cell_inv_rot(c) : c) << (4 * tweak_src[i]);
    }
    return out;
}

static const uint64_t round_constant[5] = {0x0000000000000000ull, 0x13198A2E03707344ull, 0xA4093822299F31D0ull,
                                           0x082EFA98EC4E6C89ull, 0x452821E638D01377ull};
static const uint64_t alpha = 0xC0AC29B7C97C50DDull;

/* modk0 = key0<0> : key0<63:2> : (key0<63> EOR key0<1>) */
static uint64_t mod_key0(uint64_t key0) { return key0 << 63 | (key0 >> 2) << 1 | ((key0 >> 63 ^ key0 >> 1) & 1); }

uint64_t qarma_compute_reference(uint64_t data, uint64_t modifier, uint64_t key0, uint64_t key1, QarmaAlg alg)
{
    const bool q3 = alg == QARMA3;
    const unsigned iterations = q3 ? 2 : 4;
    const uint8_t *sub = q3 ? pac_sub1 : pac_sub, *inv_sub = q3 ? pac_sub1 : pac_inv_sub;
    uint64_t modk0 = mod_key0(key0), runningmod = modifier, w = data ^ key0;
    for (unsigned i = 0; i <= iterations; i++) {
        w ^= key1 ^ runningmod;
        w ^= round_constant[i];
        if (i > 0)
            w = pac_mult(cell_shuffle(w));
        w = sub_cells(w, sub);
        runningmod = tweak_shuffle(runningmod);
    }
    w ^= modk0 ^ runningmod;
    w = pac_mult(cell_shuffle(w));
    w = sub_cells(w, sub);
    w = pac_mult(cell_shuffle(w));
    w ^= key1;
    w = cell_inv_shuffle(w);
    w = sub_cells(w, inv_sub);
    w = pac_mult(w);
    w = cell_inv_shuffle(w);
    w ^= key0 ^ runningmod;
    for (unsigned i = 0; i <= iterations; i++) {
        w = sub_cells(w, inv_sub);
        if (i < iterations)
            w = cell_inv_shuffle(pac_mult(w));
        runningmod = tweak_inv_shuffle(runningmod);
        w ^= round_constant[iterations - i];
        w ^= key1 ^ runningmod;
        w ^= alpha;
    }
    return w ^ modk0;
}

/* ---- table-driven version ---- */

typedef uint64_t ByteTable[8][256];

static struct {
    bool ready;
    uint8_t sub[256], inv_sub[256], sub1[256]; /* both cells of a byte */
    ByteTable mult_shuffle;     /* PACMult(PACCellShuffle(x)) */
    ByteTable inv_shuffle_mult; /* PACCellInvShuffle(PACMult(x)) */
    ByteTable inv_shuffle;      /* PACCellInvShuffle(x) */
    ByteTable tweak;            /* TweakShuffle */
} tables;

static void fill(ByteTable t, uint64_t (*f)(uint64_t))
{
    for (unsigned b = 0; b < 8; b++)
        for (unsigned v = 0; v < 256; v++)
            t[b][v] = f((uint64_t)v << (8 * b));
}

static uint64_t mult_after_shuffle(uint64_t x) { return pac_mult(cell_shuffle(x)); }
static uint64_t inv_shuffle_after_mult(uint64_t x) { return cell_inv_shuffle(pac_mult(x)); }

/* Built on first use; the contents are a pure function of the constants
 * above, so a repeated build (two machines racing) writes the same values. */
static void build_tables(void)
{
    for (unsigned v = 0; v < 256; v++) {
        tables.sub[v] = (uint8_t)(pac_sub[v >> 4] << 4 | pac_sub[v & 15]);
        tables.inv_sub[v] = (uint8_t)(pac_inv_sub[v >> 4] << 4 | pac_inv_sub[v & 15]);
        tables.sub1[v] = (uint8_t)(pac_sub1[v >> 4] << 4 | pac_sub1[v & 15]);
    }
    fill(tables.mult_shuffle, mult_after_shuffle);
    fill(tables.inv_shuffle_mult, inv_shuffle_after_mult);
    fill(tables.inv_shuffle, cell_inv_shuffle);
    fill(tables.tweak, tweak_shuffle);
    tables.ready = true;
}

static inline uint64_t apply(const ByteTable t, uint64_t x)
{
    return t[0][x & 0xff] ^ t[1][x >> 8 & 0xff] ^ t[2][x >> 16 & 0xff] ^ t[3][x >> 24 & 0xff] ^
           t[4][x >> 32 & 0xff] ^ t[5][x >> 40 & 0xff] ^ t[6][x >> 48 & 0xff] ^ t[7][x >> 56];
}

static inline uint64_t sub_bytes(const uint8_t box[256], uint64_t x)
{
    uint64_t out = 0;
    for (unsigned b = 0; b < 64; b += 8)
        out |= (uint64_t)box[x >> b & 0xff] << b;
    return out;
}

uint64_t qarma_compute(uint64_t data, uint64_t modifier, uint64_t key0, uint64_t key1, QarmaAlg alg)
{
    if (!tables.ready)
        build_tables();
    const bool q3 = alg == QARMA3;
    const unsigned iterations = q3 ? 2 : 4;
    const uint8_t *sub = q3 ? tables.sub1 : tables.sub, *inv_sub = q3 ? tables.sub1 : tables.inv_sub;
    uint64_t modk0 = mod_key0(key0), runningmod = modifier, w = data ^ key0;
    uint64_t mods[5]; /* the tweak after each forward round, reused backwards */
    for (unsigned i = 0; i <= iterations; i++) {
        w ^= key1 ^ runningmod ^ round_constant[i];
        if (i > 0)
            w = apply(tables.mult_shuffle, w);
        w = sub_bytes(sub, w);
        mods[i] = runningmod;
        runningmod = apply(tables.tweak, runningmod);
    }
    w ^= modk0 ^ runningmod;
    w = sub_bytes(sub, apply(tables.mult_shuffle, w));
    w = apply(tables.mult_shuffle, w) ^ key1;
    w = sub_bytes(inv_sub, apply(tables.inv_shuffle, w));
    w = apply(tables.inv_shuffle_mult, w);
    w ^= key0 ^ runningmod;
    for (unsigned i = 0; i <= iterations; i++) {
        w = sub_bytes(inv_sub, w);
        if (i < iterations)
            w = apply(tables.inv_shuffle_mult, w);
        /* TweakInvShuffle undoes the forward rounds' TweakShuffle steps. */
        runningmod = mods[iterations - i];
        w ^= round_constant[iterations - i] ^ key1 ^ runningmod ^ alpha;
    }
    return w ^ modk0;
}

/* ---- memo ---- */

static unsigned memo_index(uint64_t data, uint64_t modifier, uint64_t key1)
{
    uint64_t h = (data ^ (modifier * 0x9e3779b97f4a7c15ull) ^ key1) * 0xbf58476d1ce4e5b9ull;
    return (unsigned)(h >> 32) % QARMA_MEMO_ENTRIES;
}

uint64_t qarma_memo_compute(QarmaMemo *m, uint64_t data, uint64_t modifier, uint64_t key0, uint64_t key1,
                            QarmaAlg alg)
{
    QarmaMemoEntry *e = &m->e[memo_index(data, modifier, key1)];
    if (e->alg == (uint64_t)alg && e->data == data && e->modifier == modifier && e->key0 == key0 && e->key1 == key1) {
        m->hits++;
        return e->pac;
    }
    m->misses++;
    uint64_t pac = qarma_compute(data, modifier, key0, key1, alg);
    *e = (QarmaMemoEntry){data, modifier, key0, key1, pac, (uint64_t)alg};
    return pac;
}
