/* The translation table walker (mmu/walk.h): page tables built in a host
 * array acting as physical memory, results checked against DDI 0487 D8. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "mmu/walk.h"
#include "unit_main.h"

/* ---- Physical memory and its callbacks ---- */

#define RAM_SIZE (16u << 20)
static uint8_t ram[RAM_SIZE];
static uint64_t next_free = 0x10000;    /* table allocator */
static uint64_t abort_pa = ~0ull;       /* reads and CAS here take an External abort */
static bool cas_aborts;                 /* every CAS takes an External abort */
static uint64_t interfere_pa = ~0ull;   /* the first CAS here finds interfere_value instead */
static uint64_t interfere_value;
static unsigned cas_count;

static uint64_t rd(uint64_t pa) { uint64_t v; memcpy(&v, ram + pa, 8); return v; }
static void wr(uint64_t pa, uint64_t v) { memcpy(ram + pa, &v, 8); }

static bool mem_read(void *opaque, uint64_t pa, uint64_t *value)
{
    (void)opaque;
    if (pa == abort_pa || pa > RAM_SIZE - 8)
        return false;
    *value = rd(pa);
    return true;
}

static bool mem_cas(void *opaque, uint64_t pa, uint64_t expected, uint64_t desired, uint64_t *actual)
{
    (void)opaque;
    if (cas_aborts || pa == abort_pa || pa > RAM_SIZE - 8)
        return false;
    cas_count++;
    if (pa == interfere_pa) {
        wr(pa, interfere_value);
        interfere_pa = ~0ull;
    }
    *actual = rd(pa);
    if (*actual == expected)
        wr(pa, desired);
    return true;
}

static const WalkMem mem = {NULL, mem_read, mem_cas};

static uint64_t low_mask(unsigned n) { return n >= 64 ? ~0ull : (1ull << n) - 1; }
static uint64_t field(uint64_t v, unsigned hi, unsigned lo) { return (v >> lo) & low_mask(hi - lo + 1); }

/* count consecutive tables of 2^gbits bytes, aligned to their total size. */
static uint64_t alloc_tables(unsigned gbits, unsigned count)
{
    uint64_t size = (uint64_t)count << gbits;
    uint64_t a = (next_free + size - 1) & ~(size - 1);
    ck_assert_uint_le(a + size, RAM_SIZE);
    next_free = a + size;
    return a;
}

/* ---- Table builder (same layout for both stages) ---- */

typedef struct {
    unsigned gbits, ia_bits;
    int start;
    uint64_t root;
} Tables;

static Tables tables(unsigned gbits, unsigned ia_bits, int start, unsigned concat)
{
    return (Tables){gbits, ia_bits, start, alloc_tables(gbits, concat)};
}

static unsigned shift_of(const Tables *t, int level) { return t->gbits + (unsigned)(3 - level) * (t->gbits - 3); }

/* The address of the descriptor for ia at level, creating the tables above. */
static uint64_t slot(const Tables *t, uint64_t ia, int level)
{
    uint64_t table = t->root;
    for (int l = t->start;; l++) {
        unsigned sh = shift_of(t, l);
        uint64_t idx = l == t->start ? field(ia, t->ia_bits - 1, sh) : field(ia, sh + t->gbits - 4, sh);
        uint64_t pa = table + idx * 8;
        if (l == level)
            return pa;
        uint64_t d = rd(pa);
        if (!(d & 1)) {
            d = alloc_tables(t->gbits, 1) | 3;
            wr(pa, d);
        }
        table = d & low_mask(48) & ~low_mask(t->gbits);
    }
}

/* Maps ia at level: a Page at level 3, a Block elsewhere. */
static uint64_t map(const Tables *t, uint64_t ia, int level, uint64_t oa, uint64_t attrs)
{
    uint64_t pa = slot(t, ia, level);
    wr(pa, oa | attrs | (level == 3 ? 3 : 1));
    return pa;
}

/* Sets bits in the Table descriptor at level on the way to ia. */
static void table_attrs(const Tables *t, uint64_t ia, int level, uint64_t attrs)
{
    uint64_t pa = slot(t, ia, level);
    wr(pa, rd(pa) | attrs);
}

/* ---- Descriptor fields ---- */

#define AF (1ull << 10)
#define NG (1ull << 11)
#define SH_IS (3ull << 8)
#define AP(x) ((uint64_t)(x) << 6)
#define ATTRIDX(x) ((uint64_t)(x) << 2)
#define DBM (1ull << 51)
#define CONT (1ull << 52)
#define PXN (1ull << 53)
#define UXN (1ull << 54)
#define PXN_TABLE (1ull << 59)
#define UXN_TABLE (1ull << 60)
#define AP_TABLE(x) ((uint64_t)(x) << 61)
#define S2AP(x) ((uint64_t)(x) << 6)
#define MEMATTR(x) ((uint64_t)(x) << 2)
#define XN(x) ((uint64_t)(x) << 53)

#define S1_RAM (AF | SH_IS | ATTRIDX(0))
#define S2_RAM (AF | SH_IS | S2AP(3) | MEMATTR(0xf))
/* Attr0 Normal WB RWA, Attr1 Device-nGnRnE, Attr2 Normal NC, Attr3 Device-nGnRE, Attr4 Normal WT RWA */
#define MAIR 0x000000bb044400ffull

/* ---- Configurations ---- */

static WalkFeatures feat(void) { return (WalkFeatures){.pa_bits = 48, .hafdbs = 2, .xnx = true, .pan3 = true}; }

/* EL1&0 with 4KB granules and 48-bit ranges on both sides. */
static S1Params s1_el10(uint64_t ttbr0, uint64_t ttbr1)
{
    return (S1Params){
        .regime = WALK_REGIME_EL10,
        .enabled = true,
        .range = {{.ttbr = ttbr0, .tsz = 16, .tg = 0}, {.ttbr = ttbr1, .tsz = 16, .tg = 2}},
        .ps = 5,
        .mair = MAIR,
    };
}

/* 4KB stage 2 with a 40-bit IPA starting at level 1 (two concatenated tables). */
static S2Params s2_4k40(uint64_t base)
{
    return (S2Params){.enabled = true, .vttbr = base, .t0sz = 24, .sl0 = 1, .tg0 = 0, .ps = 2};
}

static WalkResult translate(const WalkFeatures *f, const S1Params *s1, const S2Params *s2, WalkAccess acc)
{
    WalkResult r;
    bool ok = walk_translate(f, &mem, s1, s2, &acc, &r);
    ck_assert_int_eq(ok, r.fault.kind == WALK_FAULT_NONE);
    return r;
}

static WalkResult access(const S1Params *s1, uint64_t va, WalkAccessType type, bool unpriv)
{
    WalkFeatures f = feat();
    return translate(&f, s1, NULL, (WalkAccess){.va = va, .type = type, .unprivileged = unpriv});
}

#define ck_ok(r)                                                                                         \
    ck_assert_msg((r).fault.kind == WALK_FAULT_NONE, "fault kind %d level %d stage %d", (r).fault.kind, \
                  (r).fault.level, (r).fault.stage)

#define ck_fault(r, k, lvl, st, code)                                                                     \
    do {                                                                                                  \
        ck_assert_int_eq((r).fault.kind, k);                                                              \
        ck_assert_int_eq((r).fault.level, lvl);                                                           \
        ck_assert_int_eq((r).fault.stage, st);                                                            \
        ck_assert_uint_eq((r).fault.fsc, code);                                                           \
    } while (0)

/* ---- Granules, levels, blocks ---- */

typedef struct {
    unsigned gbits;
    uint8_t tg0, tg1;
    unsigned tsz;
    int start;
} GranuleCase;

static const GranuleCase granule_cases[] = {
    {12, 0, 2, 16, 0}, {12, 0, 2, 25, 1}, {12, 0, 2, 34, 2}, {12, 0, 2, 39, 2},
    {14, 2, 1, 16, 0}, {14, 2, 1, 17, 1}, {14, 2, 1, 28, 2}, {14, 2, 1, 39, 3},
    {16, 1, 3, 16, 1}, {16, 1, 3, 22, 2}, {16, 1, 3, 36, 3},
};

START_TEST(pages_through_every_granule_and_start_level)
{
    for (unsigned i = 0; i < sizeof granule_cases / sizeof granule_cases[0]; i++) {
        const GranuleCase *c = &granule_cases[i];
        unsigned ia = 64 - c->tsz;
        Tables lo = tables(c->gbits, ia, c->start, 1), hi = tables(c->gbits, ia, c->start, 1);
        uint64_t va_lo = (0x5a5a5a5a5a5a5a5aull & low_mask(ia) & ~low_mask(c->gbits)) | 0x123;
        uint64_t va_hi = ((~low_mask(ia) | 0x3a5a5a5a5a5a5a5aull) & ~low_mask(c->gbits)) | 0x456;
        map(&lo, va_lo, 3, 0x40000000, S1_RAM);
        map(&hi, va_hi, 3, 0x50000000, S1_RAM);
        S1Params s1 = s1_el10(lo.root, hi.root);
        s1.range[0].tsz = s1.range[1].tsz = (uint8_t)c->tsz;
        s1.range[0].tg = c->tg0;
        s1.range[1].tg = c->tg1;
        WalkResult r = access(&s1, va_lo, WALK_READ, false);
        ck_ok(r);
        ck_assert_uint_eq(r.pa, 0x40000000 | 0x123);
        ck_assert_uint_eq(r.size_log2, c->gbits);
        r = access(&s1, va_hi, WALK_READ, false);
        ck_ok(r);
        ck_assert_uint_eq(r.pa, 0x50000000 | 0x456);
    }
}
END_TEST

START_TEST(tg0_and_tg1_encodings_differ)
{
    /* TG = 0b01 is 64KB in TG0 but 16KB in TG1. */
    Tables t64 = tables(16, 48, 1, 1), t16 = tables(14, 48, 0, 1);
    map(&t64, 0x12340000, 3, 0x40000000, S1_RAM);
    map(&t16, 0xffff000012344000ull, 3, 0x50000000, S1_RAM);
    S1Params s1 = s1_el10(t64.root, t16.root);
    s1.range[0].tg = 1;
    s1.range[1].tg = 1;
    WalkResult r = access(&s1, 0x12345678, WALK_READ, false);
    ck_ok(r);
    ck_assert_uint_eq(r.pa, 0x40005678);
    r = access(&s1, 0xffff000012345678ull, WALK_READ, false);
    ck_ok(r);
    ck_assert_uint_eq(r.pa, 0x50001678);
    ck_assert_uint_eq(r.size_log2, 14);
}
END_TEST

START_TEST(blocks_at_every_allowed_level)
{
    WalkFeatures f = feat();
    struct {
        unsigned gbits, tsz;
        uint8_t tg0;
        int start, level;
    } cases[] = {{12, 16, 0, 0, 1}, {12, 16, 0, 0, 2}, {14, 16, 2, 0, 2}, {16, 16, 1, 1, 2}};
    for (unsigned i = 0; i < 4; i++) {
        Tables t = tables(cases[i].gbits, 64 - cases[i].tsz, cases[i].start, 1);
        unsigned size = shift_of(&t, cases[i].level);
        uint64_t va = 0x0000123456789abcull;
        map(&t, va, cases[i].level, 0x0000800000000000ull, S1_RAM);
        S1Params s1 = s1_el10(t.root, 0);
        s1.range[0].tg = cases[i].tg0;
        WalkResult r = translate(&f, &s1, NULL, (WalkAccess){.va = va});
        ck_ok(r);
        ck_assert_uint_eq(r.size_log2, size);
        ck_assert_uint_eq(r.pa, 0x0000800000000000ull | (va & low_mask(size)));
    }
}
END_TEST

START_TEST(blocks_where_the_granule_allows_none_fault)
{
    /* 4KB level 0, 16KB level 1 and 64KB level 1 need 52-bit formats; a
     * level 3 descriptor with bit[1] clear is reserved. */
    struct {
        unsigned gbits;
        uint8_t tg0;
        int start, level;
    } cases[] = {{12, 0, 0, 0}, {14, 2, 0, 1}, {16, 1, 1, 1}, {12, 0, 0, 3}};
    for (unsigned i = 0; i < 4; i++) {
        Tables t = tables(cases[i].gbits, 48, cases[i].start, 1);
        uint64_t va = 0x0000123456789000ull;
        wr(slot(&t, va, cases[i].level), 0x40000000 | S1_RAM | 1);
        S1Params s1 = s1_el10(t.root, 0);
        s1.range[0].tg = cases[i].tg0;
        WalkResult r = access(&s1, va, WALK_READ, false);
        ck_fault(r, WALK_FAULT_TRANSLATION, cases[i].level, 1, 0x04 | cases[i].level);
    }
}
END_TEST

START_TEST(tnsz_limits)
{
    WalkFeatures f = feat();
    for (unsigned tsz = 15; tsz <= 40; tsz++) {
        if (tsz > 16 && tsz < 39)
            continue;
        int start = tsz <= 16 ? 0 : 2;
        Tables t = tables(12, 64 - tsz, start, 1);
        map(&t, 0x1000, 3, 0x40000000, S1_RAM);
        S1Params s1 = s1_el10(t.root, 0);
        s1.range[0].tsz = (uint8_t)tsz;
        WalkResult r = translate(&f, &s1, NULL, (WalkAccess){.va = 0x1000});
        if (tsz == 15 || tsz == 40)
            ck_fault(r, WALK_FAULT_TRANSLATION, 0, 1, 0x04);
        else
            ck_ok(r);
    }
    /* FEAT_TTST: 4KB down to a 16-bit range, starting at level 3. */
    f.ttst = true;
    Tables t = tables(12, 16, 3, 1);
    map(&t, 0xf000, 3, 0x40000000, S1_RAM);
    S1Params s1 = s1_el10(t.root, 0);
    s1.range[0].tsz = 48;
    ck_ok(translate(&f, &s1, NULL, (WalkAccess){.va = 0xf008}));
    s1.range[0].tsz = 49;
    ck_fault(translate(&f, &s1, NULL, (WalkAccess){.va = 0}), WALK_FAULT_TRANSLATION, 0, 1, 0x04);
}
END_TEST

START_TEST(va_outside_both_ranges_faults_at_level_0)
{
    Tables t = tables(12, 39, 1, 1);
    map(&t, 0x1000, 3, 0x40000000, S1_RAM);
    S1Params s1 = s1_el10(t.root, t.root);
    s1.range[0].tsz = s1.range[1].tsz = 25;
    ck_ok(access(&s1, 0x1000, WALK_READ, false));
    ck_fault(access(&s1, 0x0000008000001000ull, WALK_READ, false), WALK_FAULT_TRANSLATION, 0, 1, 0x04);
    ck_fault(access(&s1, 0x8000000000001000ull, WALK_READ, false), WALK_FAULT_TRANSLATION, 0, 1, 0x04);
    ck_fault(access(&s1, 0xffeffff800001000ull, WALK_READ, false), WALK_FAULT_TRANSLATION, 0, 1, 0x04);
    /* The upper range: all ones above the range size. */
    ck_ok(access(&s1, 0xffffff8000001000ull, WALK_READ, false));
}
END_TEST

START_TEST(top_byte_ignore)
{
    Tables lo = tables(12, 48, 0, 1), hi = tables(12, 48, 0, 1);
    map(&lo, 0x1000, 3, 0x40000000, S1_RAM);
    map(&hi, 0xffff000000002000ull, 3, 0x50000000, S1_RAM);
    S1Params s1 = s1_el10(lo.root, hi.root);
    uint64_t tagged = 0x5a00000000001008ull, tagged_hi = 0xa5ff000000002008ull;
    ck_fault(access(&s1, tagged, WALK_READ, false), WALK_FAULT_TRANSLATION, 0, 1, 0x04);
    s1.range[0].tbi = true;
    WalkResult r = access(&s1, tagged, WALK_READ, false);
    ck_ok(r);
    ck_assert_uint_eq(r.pa, 0x40000008);
    /* Bit 55, not bit 63, selects the range. */
    ck_fault(access(&s1, tagged_hi, WALK_READ, false), WALK_FAULT_TRANSLATION, 0, 1, 0x04);
    s1.range[1].tbi = true;
    r = access(&s1, tagged_hi, WALK_READ, false);
    ck_ok(r);
    ck_assert_uint_eq(r.pa, 0x50000008);
    /* TBID: the top byte is ignored for data only. */
    s1.range[0].tbid = true;
    ck_ok(access(&s1, tagged, WALK_READ, false));
    ck_fault(access(&s1, tagged, WALK_EXEC, false), WALK_FAULT_TRANSLATION, 0, 1, 0x04);
}
END_TEST

START_TEST(epd_and_e0pd)
{
    Tables lo = tables(12, 48, 0, 1), hi = tables(12, 48, 0, 1);
    map(&lo, 0x1000, 3, 0x40000000, S1_RAM | AP(1));
    map(&hi, 0xffff000000002000ull, 3, 0x50000000, S1_RAM | AP(1));
    S1Params s1 = s1_el10(lo.root, hi.root);
    s1.range[1].epd = true;
    ck_ok(access(&s1, 0x1000, WALK_READ, false));
    ck_fault(access(&s1, 0xffff000000002000ull, WALK_READ, false), WALK_FAULT_TRANSLATION, 0, 1, 0x04);
    s1.range[1].epd = false;
    s1.range[0].epd = true;
    ck_fault(access(&s1, 0x1000, WALK_READ, false), WALK_FAULT_TRANSLATION, 0, 1, 0x04);
    ck_ok(access(&s1, 0xffff000000002000ull, WALK_READ, false));
    s1.range[0].epd = false;
    s1.range[0].e0pd = true;
    ck_ok(access(&s1, 0x1000, WALK_READ, false));
    ck_fault(access(&s1, 0x1000, WALK_READ, true), WALK_FAULT_TRANSLATION, 0, 1, 0x04);
}
END_TEST

/* ---- Fault kinds and codes ---- */

START_TEST(fault_status_codes)
{
    for (int l = 0; l <= 3; l++) {
        ck_assert_uint_eq(walk_fsc(WALK_FAULT_ADDR_SIZE, l), 0x00 + l);
        ck_assert_uint_eq(walk_fsc(WALK_FAULT_TRANSLATION, l), 0x04 + l);
        ck_assert_uint_eq(walk_fsc(WALK_FAULT_ACCESS_FLAG, l), 0x08 + l);
        ck_assert_uint_eq(walk_fsc(WALK_FAULT_PERMISSION, l), 0x0c + l);
        ck_assert_uint_eq(walk_fsc(WALK_FAULT_EXT_ABORT, l), 0x14 + l);
    }
    ck_assert_uint_eq(walk_fsc(WALK_FAULT_ADDR_SIZE, -1), 0x29);
    ck_assert_uint_eq(walk_fsc(WALK_FAULT_TRANSLATION, -1), 0x2b);
    ck_assert_uint_eq(walk_fsc(WALK_FAULT_EXT_ABORT, -1), 0x13);
}
END_TEST

START_TEST(translation_faults_report_the_level_of_the_invalid_descriptor)
{
    Tables t = tables(12, 48, 0, 1);
    uint64_t va = 0x0000123456789000ull;
    map(&t, va, 3, 0x40000000, S1_RAM);
    S1Params s1 = s1_el10(t.root, 0);
    for (int l = 3; l >= 0; l--) {
        uint64_t pa = slot(&t, va, l), d = rd(pa);
        wr(pa, d & ~1ull);
        ck_fault(access(&s1, va, WALK_READ, false), WALK_FAULT_TRANSLATION, l, 1, 0x04 | l);
        wr(pa, d);
    }
    ck_ok(access(&s1, va, WALK_READ, false));
}
END_TEST

START_TEST(address_size_faults)
{
    WalkFeatures f = feat();
    Tables t = tables(12, 48, 0, 1);
    uint64_t va = 0x0000001234567000ull;
    map(&t, va, 3, 0x40000000, S1_RAM);
    S1Params s1 = s1_el10(t.root, 0);
    s1.ps = 2; /* 40 bits */
    WalkAccess acc = {.va = va};
    ck_ok(translate(&f, &s1, NULL, acc));
    /* Output address above the OA size: the leaf's level. */
    map(&t, va, 3, 1ull << 41, S1_RAM);
    ck_fault(translate(&f, &s1, NULL, acc), WALK_FAULT_ADDR_SIZE, 3, 1, 0x03);
    /* PS larger than the PE's PA size is capped by it. */
    s1.ps = 5;
    ck_ok(translate(&f, &s1, NULL, acc));
    f.pa_bits = 40;
    ck_fault(translate(&f, &s1, NULL, acc), WALK_FAULT_ADDR_SIZE, 3, 1, 0x03);
    f.pa_bits = 48;
    s1.ps = 2;
    map(&t, va, 3, 0x40000000, S1_RAM);
    /* Next-level table above the OA size: the Table descriptor's level. */
    uint64_t l1 = slot(&t, va, 1), d = rd(l1);
    wr(l1, d | 1ull << 44);
    ck_fault(translate(&f, &s1, NULL, acc), WALK_FAULT_ADDR_SIZE, 1, 1, 0x01);
    wr(l1, d);
    /* TTBR base above the OA size: level 0. */
    s1.range[0].ttbr = t.root | 1ull << 42;
    ck_fault(translate(&f, &s1, NULL, acc), WALK_FAULT_ADDR_SIZE, 0, 1, 0x00);
}
END_TEST

START_TEST(access_flag_faults)
{
    Tables t = tables(12, 48, 0, 1);
    map(&t, 0x1000, 3, 0x40000000, S1_RAM & ~AF);
    map(&t, 0x40000000, 2, 0x80000000, S1_RAM & ~AF);
    map(&t, 0x80000000, 1, 0xc0000000, S1_RAM & ~AF);
    S1Params s1 = s1_el10(t.root, 0);
    ck_fault(access(&s1, 0x1000, WALK_READ, false), WALK_FAULT_ACCESS_FLAG, 3, 1, 0x0b);
    ck_fault(access(&s1, 0x40000000, WALK_WRITE, false), WALK_FAULT_ACCESS_FLAG, 2, 1, 0x0a);
    ck_fault(access(&s1, 0x80000000, WALK_EXEC, false), WALK_FAULT_ACCESS_FLAG, 1, 1, 0x09);
    ck_assert(access(&s1, 0x40000000, WALK_WRITE, false).fault.wnr);
    ck_assert(!access(&s1, 0x40000000, WALK_READ, false).fault.wnr);
}
END_TEST

START_TEST(external_aborts_on_walks_and_updates)
{
    Tables t = tables(12, 48, 0, 1);
    uint64_t va = 0x0000123456789000ull;
    map(&t, va, 3, 0x40000000, S1_RAM & ~AF);
    S1Params s1 = s1_el10(t.root, 0);
    for (int l = 0; l <= 3; l++) {
        abort_pa = slot(&t, va, l);
        ck_fault(access(&s1, va, WALK_READ, false), WALK_FAULT_EXT_ABORT, l, 1, 0x14 | l);
    }
    abort_pa = ~0ull;
    /* The hardware Access flag update is a write that can abort too. */
    s1.ha = true;
    cas_aborts = true;
    ck_fault(access(&s1, va, WALK_READ, false), WALK_FAULT_EXT_ABORT, 3, 1, 0x17);
    cas_aborts = false;
    ck_ok(access(&s1, va, WALK_READ, false));
}
END_TEST

/* ---- Stage 1 permissions ---- */

/* A single 4KB page at PAGE_VA with the given leaf attributes. */
#define PAGE_VA 0x0000004000201000ull
static S1Params one_page(uint64_t attrs)
{
    Tables t = tables(12, 48, 0, 1);
    map(&t, PAGE_VA, 3, 0x40000000, S1_RAM | attrs);
    return s1_el10(t.root, 0);
}

static bool permitted(const S1Params *s1, WalkAccessType type, bool unpriv)
{
    WalkResult r = access(s1, PAGE_VA, type, unpriv);
    if (r.fault.kind != WALK_FAULT_NONE) {
        ck_fault(r, WALK_FAULT_PERMISSION, 3, 1, 0x0f);
        ck_assert_int_eq(r.fault.wnr, type == WALK_WRITE);
    }
    return r.fault.kind == WALK_FAULT_NONE;
}

/* DDI 0487 D8.4, stage 1 Direct permissions for a regime with two privilege
 * levels: AP[2:1] -> {privileged read, write, unprivileged read, write}. */
static const bool ap_grants[4][4] = {
    {1, 1, 0, 0}, /* 00: privileged read/write */
    {1, 1, 1, 1}, /* 01: read/write at both */
    {1, 0, 0, 0}, /* 10: privileged read-only */
    {1, 0, 1, 0}, /* 11: read-only at both */
};

START_TEST(direct_permission_matrix)
{
    for (unsigned ap = 0; ap < 4; ap++)
        for (unsigned xn = 0; xn < 4; xn++) /* bit 0 PXN, bit 1 UXN */
            for (unsigned pan = 0; pan < 4; pan++) { /* bit 0 PSTATE.PAN, bit 1 EPAN */
                S1Params s1 = one_page(AP(ap) | (xn & 1 ? PXN : 0) | (xn & 2 ? UXN : 0));
                s1.pan = pan & 1;
                s1.epan = pan & 2;
                bool ur = ap_grants[ap][2], uw = ap_grants[ap][3], ux = !(xn & 2);
                /* EL0-writable memory is never privileged-executable. */
                bool px = !(xn & 1) && !uw;
                /* PAN: privileged data accesses to EL0-accessible memory fault;
                 * with EPAN also to EL0-executable memory. */
                bool pan_hit = (pan & 1) && (ur || uw || ((pan & 2) && ux));
                ck_assert_int_eq(permitted(&s1, WALK_READ, false), ap_grants[ap][0] && !pan_hit);
                ck_assert_int_eq(permitted(&s1, WALK_WRITE, false), ap_grants[ap][1] && !pan_hit);
                ck_assert_int_eq(permitted(&s1, WALK_EXEC, false), px); /* PAN never affects fetches */
                ck_assert_int_eq(permitted(&s1, WALK_READ, true), ur);
                ck_assert_int_eq(permitted(&s1, WALK_WRITE, true), uw);
                ck_assert_int_eq(permitted(&s1, WALK_EXEC, true), ux);
            }
}
END_TEST

START_TEST(results_carry_both_privilege_sides)
{
    S1Params s1 = one_page(AP(1) | PXN);
    WalkResult r = access(&s1, PAGE_VA, WALK_READ, false);
    ck_ok(r);
    ck_assert(r.priv.r && r.priv.w && !r.priv.x);
    ck_assert(r.unpriv.r && r.unpriv.w && r.unpriv.x);
    s1.pan = true;
    r = access(&s1, PAGE_VA, WALK_READ, true);
    ck_ok(r);
    ck_assert(!r.priv.r && !r.priv.w);
}
END_TEST

START_TEST(pan_exemptions)
{
    S1Params s1 = one_page(AP(1));
    s1.pan = true;
    WalkFeatures f = feat();
    ck_fault(access(&s1, PAGE_VA, WALK_READ, false), WALK_FAULT_PERMISSION, 3, 1, 0x0f);
    /* AT S1E1R/W ignore PSTATE.PAN; unprivileged accesses are not privileged. */
    ck_ok(translate(&f, &s1, NULL, (WalkAccess){.va = PAGE_VA, .at = true, .ignore_pan = true}));
    ck_ok(access(&s1, PAGE_VA, WALK_WRITE, true));
    /* Without FEAT_PAN3, EPAN is ignored. */
    s1 = one_page(AP(0));
    s1.pan = s1.epan = true;
    ck_fault(access(&s1, PAGE_VA, WALK_READ, false), WALK_FAULT_PERMISSION, 3, 1, 0x0f);
    f.pan3 = false;
    ck_ok(translate(&f, &s1, NULL, (WalkAccess){.va = PAGE_VA}));
}
END_TEST

START_TEST(wxn_removes_execute_from_writable_memory)
{
    S1Params s1 = one_page(AP(0) | UXN);
    s1.wxn = true;
    ck_assert(!permitted(&s1, WALK_EXEC, false));
    ck_assert(permitted(&s1, WALK_WRITE, false));
    s1 = one_page(AP(2) | UXN);
    s1.wxn = true;
    ck_assert(permitted(&s1, WALK_EXEC, false));
    /* Unprivileged: AP = 01 is writable at EL0. */
    s1 = one_page(AP(1) | PXN);
    s1.wxn = true;
    ck_assert(!permitted(&s1, WALK_EXEC, true));
    s1 = one_page(AP(3) | PXN);
    s1.wxn = true;
    ck_assert(permitted(&s1, WALK_EXEC, true));
    /* Writable-clean counts as writable (RNKLQN/INSYYW). */
    s1 = one_page(AP(2) | DBM | UXN);
    s1.wxn = s1.ha = s1.hd = true;
    ck_assert(!permitted(&s1, WALK_EXEC, false));
}
END_TEST

START_TEST(hierarchical_permissions)
{
    struct {
        int level;
        uint64_t table;
        bool pr, pw, px, ur, uw, ux;
    } cases[] = {
        {0, AP_TABLE(1), 1, 1, 1, 0, 0, 1}, /* APTable[0]: no EL0 data access */
        {1, AP_TABLE(2), 1, 0, 1, 1, 0, 1}, /* APTable[1]: read-only; EL0 no longer writable, so PX */
        {2, AP_TABLE(3), 1, 0, 1, 0, 0, 1},
        {1, PXN_TABLE, 1, 1, 0, 1, 1, 1},
        {2, UXN_TABLE, 1, 1, 0, 1, 1, 0}, /* leaf AP = 01: EL0-writable, so no PX either */
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Tables t = tables(12, 48, 0, 1);
        map(&t, PAGE_VA, 3, 0x40000000, S1_RAM | AP(1));
        table_attrs(&t, PAGE_VA, cases[i].level, cases[i].table);
        S1Params s1 = s1_el10(t.root, 0);
        ck_assert_int_eq(permitted(&s1, WALK_READ, false), cases[i].pr);
        ck_assert_int_eq(permitted(&s1, WALK_WRITE, false), cases[i].pw);
        ck_assert_int_eq(permitted(&s1, WALK_EXEC, false), cases[i].px);
        ck_assert_int_eq(permitted(&s1, WALK_READ, true), cases[i].ur);
        ck_assert_int_eq(permitted(&s1, WALK_WRITE, true), cases[i].uw);
        ck_assert_int_eq(permitted(&s1, WALK_EXEC, true), cases[i].ux);
        /* HPD: the hierarchical fields are ignored. */
        s1.range[0].hpd = true;
        ck_assert(permitted(&s1, WALK_READ, true) && permitted(&s1, WALK_WRITE, true));
        ck_assert(permitted(&s1, WALK_EXEC, true));
    }
}
END_TEST

START_TEST(el2_regime_has_one_range_and_no_el0)
{
    Tables t = tables(12, 48, 0, 1);
    map(&t, 0x1000, 3, 0x40000000, S1_RAM | AP(0) | PXN);
    map(&t, 0x2000, 3, 0x50000000, S1_RAM | AP(2) | UXN | NG);
    S1Params s1 = s1_el10(t.root, 0);
    s1.regime = WALK_REGIME_EL2;
    WalkResult r = access(&s1, 0x1000, WALK_WRITE, false);
    ck_ok(r);
    ck_assert(!r.has_asid && !r.ng);
    ck_assert(!r.unpriv.r && !r.unpriv.w && !r.unpriv.x);
    /* Bit 53 is RES0 (not PXN); bit 54 is XN; AP[1] does not grant EL0. */
    ck_ok(access(&s1, 0x1000, WALK_EXEC, false));
    ck_fault(access(&s1, 0x2000, WALK_EXEC, false), WALK_FAULT_PERMISSION, 3, 1, 0x0f);
    ck_fault(access(&s1, 0x2000, WALK_WRITE, false), WALK_FAULT_PERMISSION, 3, 1, 0x0f);
    ck_assert(!access(&s1, 0x2000, WALK_READ, false).ng);
    /* "Unprivileged" accesses in EL2 are privileged ones. */
    ck_ok(access(&s1, 0x1000, WALK_WRITE, true));
    /* There is no upper range: bit 55 set is outside the range. */
    ck_fault(access(&s1, 0xffff000000001000ull, WALK_READ, false), WALK_FAULT_TRANSLATION, 0, 1, 0x04);
    /* APTable[1] and XNTable (bit 60) apply; APTable[0] and bit 59 are RES0. */
    table_attrs(&t, 0x1000, 2, AP_TABLE(1) | PXN_TABLE);
    ck_ok(access(&s1, 0x1000, WALK_EXEC, false));
    table_attrs(&t, 0x1000, 2, AP_TABLE(2) | UXN_TABLE);
    ck_fault(access(&s1, 0x1000, WALK_WRITE, false), WALK_FAULT_PERMISSION, 3, 1, 0x0f);
    ck_fault(access(&s1, 0x1000, WALK_EXEC, false), WALK_FAULT_PERMISSION, 3, 1, 0x0f);
}
END_TEST

START_TEST(el20_regime_has_two_ranges_el0_and_asids)
{
    Tables lo = tables(12, 48, 0, 1), hi = tables(12, 48, 0, 1);
    map(&lo, 0x1000, 3, 0x40000000, S1_RAM | AP(1) | NG);
    map(&hi, 0xffff800000000000ull, 3, 0x50000000, S1_RAM | AP(0));
    S1Params s1 = s1_el10(lo.root | 0x1234ull << 48, hi.root | 0x5678ull << 48);
    s1.regime = WALK_REGIME_EL20;
    WalkResult r = access(&s1, 0x1000, WALK_READ, true);
    ck_ok(r);
    ck_assert(r.has_asid && r.ng && !r.has_vmid);
    ck_assert_uint_eq(r.asid, 0x34); /* 8-bit ASIDs from TTBR0 */
    s1.as16 = true;
    ck_assert_uint_eq(access(&s1, 0x1000, WALK_READ, true).asid, 0x1234);
    s1.a1 = true;
    ck_assert_uint_eq(access(&s1, 0x1000, WALK_READ, true).asid, 0x5678);
    r = access(&s1, 0xffff800000000000ull, WALK_READ, false);
    ck_ok(r);
    ck_assert(!r.ng);
    ck_fault(access(&s1, 0xffff800000000000ull, WALK_READ, true), WALK_FAULT_PERMISSION, 3, 1, 0x0f);
    s1.pan = true;
    ck_fault(access(&s1, 0x1000, WALK_READ, false), WALK_FAULT_PERMISSION, 3, 1, 0x0f);
}
END_TEST

START_TEST(nv1_uses_the_el2_format_in_el10)
{
    S1Params s1 = one_page(AP(1));
    s1.nv1 = true;
    /* AP[1] is taken as 0: no EL0 access; PSTATE.PAN is ignored. */
    s1.pan = true;
    ck_assert(permitted(&s1, WALK_WRITE, false));
    ck_assert(!permitted(&s1, WALK_READ, true));
    ck_assert(!permitted(&s1, WALK_EXEC, true));
    /* Bit 54 is PXN, bit 53 is ignored. */
    s1 = one_page(AP(0) | PXN);
    s1.nv1 = true;
    ck_assert(permitted(&s1, WALK_EXEC, false));
    s1 = one_page(AP(0) | UXN);
    s1.nv1 = true;
    ck_assert(!permitted(&s1, WALK_EXEC, false));
}
END_TEST

START_TEST(any_access_skips_the_permission_check)
{
    S1Params s1 = one_page(AP(0) | PXN | UXN);
    WalkFeatures f = feat();
    WalkResult r = translate(&f, &s1, NULL, (WalkAccess){.va = PAGE_VA, .type = WALK_ANY, .unprivileged = true, .at = true});
    ck_ok(r);
    ck_assert_uint_eq(r.pa, 0x40000000);
}
END_TEST

/* ---- Hardware Access flag and dirty state ---- */

START_TEST(hardware_access_flag)
{
    Tables t = tables(12, 48, 0, 1);
    uint64_t leaf = map(&t, PAGE_VA, 3, 0x40000000, S1_RAM & ~AF);
    S1Params s1 = s1_el10(t.root, 0);
    WalkFeatures f = feat();
    f.hafdbs = 0;
    s1.ha = true;
    /* HA without FEAT_HAFDBS is ignored. */
    ck_fault(translate(&f, &s1, NULL, (WalkAccess){.va = PAGE_VA}), WALK_FAULT_ACCESS_FLAG, 3, 1, 0x0b);
    ck_assert(!(rd(leaf) & AF));
    f.hafdbs = 1;
    ck_ok(translate(&f, &s1, NULL, (WalkAccess){.va = PAGE_VA}));
    ck_assert(rd(leaf) & AF);
    /* No update when the access takes a Permission fault. */
    wr(leaf, rd(leaf) & ~AF);
    ck_fault(translate(&f, &s1, NULL, (WalkAccess){.va = PAGE_VA, .unprivileged = true}), WALK_FAULT_PERMISSION, 3, 1,
             0x0f);
    ck_assert(!(rd(leaf) & AF));
}
END_TEST

START_TEST(hardware_dirty_state)
{
    Tables t = tables(12, 48, 0, 1);
    uint64_t leaf = map(&t, PAGE_VA, 3, 0x40000000, S1_RAM | AP(2) | DBM); /* writable-clean */
    S1Params s1 = s1_el10(t.root, 0);
    WalkFeatures f = feat();
    /* Without HD, DBM is just a software bit: AP[2] = 1 is read-only. */
    ck_fault(access(&s1, PAGE_VA, WALK_WRITE, false), WALK_FAULT_PERMISSION, 3, 1, 0x0f);
    s1.ha = s1.hd = true;
    f.hafdbs = 1; /* Access flag only */
    ck_fault(translate(&f, &s1, NULL, (WalkAccess){.va = PAGE_VA, .type = WALK_WRITE}), WALK_FAULT_PERMISSION, 3, 1,
             0x0f);
    /* A read leaves it clean and does not offer write permission to a TLB. */
    WalkResult r = access(&s1, PAGE_VA, WALK_READ, false);
    ck_ok(r);
    ck_assert(r.priv.r && !r.priv.w);
    ck_assert(rd(leaf) & AP(2));
    /* AT S1E1W checks write permission but never makes it dirty. */
    f.hafdbs = 2;
    r = translate(&f, &s1, NULL, (WalkAccess){.va = PAGE_VA, .type = WALK_WRITE, .at = true});
    ck_ok(r);
    ck_assert(rd(leaf) & AP(2));
    r = access(&s1, PAGE_VA, WALK_WRITE, false);
    ck_ok(r);
    ck_assert(r.priv.w);
    ck_assert(!(rd(leaf) & AP(2)));
    ck_assert(rd(leaf) & DBM);
}
END_TEST

START_TEST(update_races_restart_the_walk)
{
    Tables t = tables(12, 48, 0, 1);
    uint64_t leaf = map(&t, PAGE_VA, 3, 0x40000000, S1_RAM & ~AF);
    S1Params s1 = s1_el10(t.root, 0);
    s1.ha = true;
    /* Another agent remaps the page between the walk and the AF update. */
    interfere_pa = leaf;
    interfere_value = 0x60000000 | (S1_RAM & ~AF) | 3;
    cas_count = 0;
    WalkResult r = access(&s1, PAGE_VA, WALK_READ, false);
    ck_ok(r);
    ck_assert_uint_eq(r.pa, 0x60000000);
    ck_assert_uint_eq(cas_count, 2);
    ck_assert_uint_eq(rd(leaf), interfere_value | AF);
    /* Or invalidates it: the restarted walk faults. */
    wr(leaf, rd(leaf) & ~AF);
    interfere_pa = leaf;
    interfere_value = 0;
    ck_fault(access(&s1, PAGE_VA, WALK_READ, false), WALK_FAULT_TRANSLATION, 3, 1, 0x07);
}
END_TEST

/* ---- Other result fields ---- */

START_TEST(attributes_tags_and_contiguous_bit)
{
    Tables t = tables(12, 48, 0, 1);
    map(&t, 0x1000, 3, 0x40000000, AF | ATTRIDX(1) | SH_IS);
    map(&t, 0x2000, 3, 0x40001000, AF | ATTRIDX(2) | SH_IS | CONT);
    map(&t, 0x3000, 3, 0x40002000, AF | ATTRIDX(4) | (2ull << 8) | NG);
    S1Params s1 = s1_el10(t.root | 0xabcdull << 48, 0);
    WalkResult r = access(&s1, 0x1000, WALK_READ, false);
    ck_assert(r.device && r.attr == 0x00 && r.sh == 2); /* Device is Outer Shareable */
    ck_assert(!r.ng && !r.contiguous && r.has_asid && r.asid == 0xcd);
    r = access(&s1, 0x2000, WALK_READ, false);
    ck_assert(!r.device && r.attr == 0x44 && r.sh == 2); /* so is Normal Non-cacheable */
    ck_assert(r.contiguous);
    r = access(&s1, 0x3000, WALK_READ, false);
    ck_assert(r.attr == 0xbb && r.sh == 2 && r.ng);
}
END_TEST

START_TEST(big_endian_descriptors)
{
    Tables t = tables(12, 48, 0, 1);
    uint64_t leaf = map(&t, PAGE_VA, 3, 0x40000000, S1_RAM & ~AF);
    for (uint64_t pa = t.root; pa < next_free; pa += 8)
        wr(pa, __builtin_bswap64(rd(pa)));
    S1Params s1 = s1_el10(t.root, 0);
    s1.ee = s1.ha = true;
    WalkResult r = access(&s1, PAGE_VA | 0x10, WALK_READ, false);
    ck_ok(r);
    ck_assert_uint_eq(r.pa, 0x40000010);
    ck_assert(__builtin_bswap64(rd(leaf)) & AF);
}
END_TEST

/* ---- Stage 2 ---- */

static WalkResult stage2(const WalkFeatures *f, const S2Params *s2, uint64_t ipa, WalkAccessType type, bool unpriv)
{
    WalkResult r;
    WalkAccess acc = {.type = type, .unprivileged = unpriv};
    bool ok = walk_stage2(f, &mem, s2, ipa, &acc, &r);
    ck_assert_int_eq(ok, r.fault.kind == WALK_FAULT_NONE);
    return r;
}

#define ck_s2_fault(r, k, lvl, code, at_ipa, valid, ptw)                                                  \
    do {                                                                                                  \
        ck_fault(r, k, lvl, 2, code);                                                                     \
        ck_assert_uint_eq((r).fault.ipa, at_ipa);                                                         \
        ck_assert_int_eq((r).fault.ipa_valid, valid);                                                     \
        ck_assert_int_eq((r).fault.s1ptw, ptw);                                                           \
    } while (0)

START_TEST(stage2_concatenated_start_tables)
{
    WalkFeatures f = feat();
    struct {
        unsigned gbits, t0sz, sl0, tg0, concat;
        int start;
        uint64_t ipa;
    } cases[] = {
        {12, 24, 1, 0, 2, 1, 0x8123456000ull},    /* IPA[39:30]: 2 tables */
        {12, 21, 1, 0, 16, 1, 0x7ffc0000000ull},  /* IPA[42:30]: 16 tables, the last entry */
        {14, 24, 1, 2, 16, 2, 0xfff0004000ull},   /* IPA[39:25] */
        {16, 18, 1, 1, 16, 2, 0x3ffff0010000ull}, /* IPA[45:29] */
        {12, 34, 0, 0, 1, 2, 0x3fe00000ull},      /* IPA[29:21]: one table */
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        Tables t = tables(cases[i].gbits, 64 - cases[i].t0sz, cases[i].start, cases[i].concat);
        map(&t, cases[i].ipa, 3, 0x30000000, S2_RAM);
        ck_assert_uint_ge(slot(&t, cases[i].ipa, cases[i].start), t.root + (cases[i].concat - 1) * (1u << cases[i].gbits));
        S2Params s2 = {.enabled = true, .vttbr = t.root | 0x1234ull << 48, .t0sz = (uint8_t)cases[i].t0sz,
                       .sl0 = (uint8_t)cases[i].sl0, .tg0 = (uint8_t)cases[i].tg0, .ps = 5};
        WalkResult r = stage2(&f, &s2, cases[i].ipa | 0x10, WALK_READ, false);
        ck_ok(r);
        ck_assert_uint_eq(r.pa, 0x30000010);
        ck_assert_uint_eq(r.size_log2, cases[i].gbits);
        ck_assert(r.has_vmid && r.vmid == 0x34 && r.attr == 0xff && r.sh == 3);
        s2.vs16 = true;
        ck_assert_uint_eq(stage2(&f, &s2, cases[i].ipa, WALK_READ, false).vmid, 0x1234);
    }
}
END_TEST

START_TEST(stage2_configuration_checks)
{
    WalkFeatures f = feat();
    Tables t = tables(12, 40, 0, 1);
    map(&t, 0x1000, 3, 0x30000000, S2_RAM);
    S2Params s2 = s2_4k40(t.root);
    s2.sl0 = 2; /* level 0 start: needs a PA size of at least 44 bits */
    ck_ok(stage2(&f, &s2, 0x1000, WALK_READ, false));
    f.pa_bits = 40;
    ck_s2_fault(stage2(&f, &s2, 0x1000, WALK_READ, false), WALK_FAULT_TRANSLATION, 0, 0x04, 0x1000, true, false);
    /* T0SZ below the PA size allows. */
    s2.t0sz = 23;
    ck_s2_fault(stage2(&f, &s2, 0x1000, WALK_READ, false), WALK_FAULT_TRANSLATION, 0, 0x04, 0x1000, true, false);
    f.pa_bits = 48;
    struct {
        uint8_t t0sz, sl0, tg0;
    } bad[] = {
        {39, 3, 0},  /* 4KB level 3 start needs FEAT_TTST */
        {16, 0, 0},  /* 48-bit IPA from level 2: more than 16 concatenated tables */
        {34, 1, 0},  /* 30-bit IPA from level 1: nothing left for the start level */
        {24, 3, 1},  /* 64KB SL0 = 3 is reserved (no IPA size suits it either) */
        {16, 3, 2},  /* 16KB level 0 start needs DS */
        {40, 0, 0},  /* T0SZ above the maximum */
    };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        S2Params b = {.enabled = true, .vttbr = t.root, .t0sz = bad[i].t0sz, .sl0 = bad[i].sl0, .tg0 = bad[i].tg0, .ps = 5};
        ck_s2_fault(stage2(&f, &b, 0x1000, WALK_READ, false), WALK_FAULT_TRANSLATION, 0, 0x04, 0x1000, true, false);
    }
    /* An IPA beyond the configured size. */
    s2 = s2_4k40(t.root);
    ck_s2_fault(stage2(&f, &s2, 1ull << 40, WALK_READ, false), WALK_FAULT_TRANSLATION, 0, 0x04, 1ull << 40, true,
                false);
}
END_TEST

START_TEST(stage2_permissions_and_faults)
{
    WalkFeatures f = feat();
    Tables t = tables(12, 40, 1, 2);
    uint64_t ipa = 0x12345000;
    uint64_t leaf = map(&t, ipa, 3, 0x30000000, S2_RAM);
    S2Params s2 = s2_4k40(t.root);
    struct {
        unsigned s2ap;
        bool r, w;
    } ap[] = {{0, 0, 0}, {1, 1, 0}, {2, 0, 1}, {3, 1, 1}};
    for (unsigned i = 0; i < 4; i++) {
        wr(leaf, ((0x30000000 | S2_RAM | 3) & ~S2AP(3)) | S2AP(ap[i].s2ap));
        WalkResult r = stage2(&f, &s2, ipa, WALK_READ, false);
        if (ap[i].r)
            ck_ok(r);
        else /* HPFAR_EL2 need not hold the IPA of a stage 2 Permission fault */
            ck_s2_fault(r, WALK_FAULT_PERMISSION, 3, 0x0f, ipa, false, false);
        r = stage2(&f, &s2, ipa, WALK_WRITE, false);
        if (ap[i].w) {
            ck_ok(r);
        } else {
            ck_s2_fault(r, WALK_FAULT_PERMISSION, 3, 0x0f, ipa, false, false);
            ck_assert(r.fault.wnr);
        }
    }
    /* XN[1:0] with FEAT_XNX: 00 all, 01 EL0 only, 10 none, 11 EL1 only. */
    static const bool px[4] = {1, 0, 0, 1}, ux[4] = {1, 1, 0, 0};
    for (unsigned xn = 0; xn < 4; xn++) {
        wr(leaf, 0x30000000 | S2_RAM | 3 | XN(xn));
        ck_assert_int_eq(stage2(&f, &s2, ipa, WALK_EXEC, false).fault.kind == WALK_FAULT_NONE, px[xn]);
        ck_assert_int_eq(stage2(&f, &s2, ipa, WALK_EXEC, true).fault.kind == WALK_FAULT_NONE, ux[xn]);
        WalkResult r = stage2(&f, &s2, ipa, WALK_READ, false);
        ck_assert(r.priv.x == px[xn] && r.unpriv.x == ux[xn]);
    }
    /* Without FEAT_XNX, XN[0] is ignored. */
    f.xnx = false;
    wr(leaf, 0x30000000 | S2_RAM | 3 | XN(1));
    ck_ok(stage2(&f, &s2, ipa, WALK_EXEC, false));
    wr(leaf, 0x30000000 | S2_RAM | 3 | XN(3));
    ck_s2_fault(stage2(&f, &s2, ipa, WALK_EXEC, true), WALK_FAULT_PERMISSION, 3, 0x0f, ipa, false, false);
    f.xnx = true;
    /* Access flag, then hardware management of AF and dirty state. */
    wr(leaf, ((0x30000000 | S2_RAM | 3) & ~AF & ~S2AP(2)) | DBM);
    ck_s2_fault(stage2(&f, &s2, ipa, WALK_READ, false), WALK_FAULT_ACCESS_FLAG, 3, 0x0b, ipa, true, false);
    s2.ha = true;
    WalkResult r = stage2(&f, &s2, ipa, WALK_READ, false);
    ck_ok(r);
    ck_assert(rd(leaf) & AF);
    ck_assert(!r.priv.w);
    ck_s2_fault(stage2(&f, &s2, ipa, WALK_WRITE, false), WALK_FAULT_PERMISSION, 3, 0x0f, ipa, false, false);
    s2.hd = true;
    r = stage2(&f, &s2, ipa, WALK_WRITE, false);
    ck_ok(r);
    ck_assert(r.priv.w && (rd(leaf) & S2AP(2)));
    /* Translation and External abort faults of the stage 2 walk. */
    wr(leaf, 0);
    ck_s2_fault(stage2(&f, &s2, ipa, WALK_READ, false), WALK_FAULT_TRANSLATION, 3, 0x07, ipa, true, false);
    abort_pa = slot(&t, ipa, 2);
    ck_s2_fault(stage2(&f, &s2, ipa, WALK_READ, false), WALK_FAULT_EXT_ABORT, 2, 0x16, ipa, false, false);
    abort_pa = ~0ull;
    /* Output above VTCR_EL2.PS. */
    wr(leaf, 1ull << 40 | S2_RAM | 3);
    ck_s2_fault(stage2(&f, &s2, ipa, WALK_READ, false), WALK_FAULT_ADDR_SIZE, 3, 0x03, ipa, true, false);
}
END_TEST

/* Stage 1 tables in IPA space, mapped flat by stage 2 pages; the stage 1
 * output IPA 0x40000000 maps to PA 0x70000000 with a stage 2 block. */
typedef struct {
    Tables s1t, s2t;
    S1Params s1;
    S2Params s2;
    uint64_t s1_leaf; /* IPA (== PA) of the stage 1 leaf */
    uint64_t s2_block;
} TwoStage;

#define OUT_IPA 0x40000000ull
#define OUT_PA 0x70000000ull

static TwoStage two_stage(uint64_t s1_attrs)
{
    TwoStage ts;
    uint64_t first = next_free;
    ts.s1t = tables(12, 48, 0, 1);
    ts.s1_leaf = map(&ts.s1t, PAGE_VA, 3, OUT_IPA, s1_attrs);
    uint64_t last = next_free;
    ts.s2t = tables(12, 40, 1, 2);
    for (uint64_t ipa = first; ipa < last; ipa += 0x1000)
        map(&ts.s2t, ipa, 3, ipa, S2_RAM);
    ts.s2_block = map(&ts.s2t, OUT_IPA, 2, OUT_PA, S2_RAM);
    ts.s1 = s1_el10(ts.s1t.root, 0);
    ts.s2 = s2_4k40(ts.s2t.root | 7ull << 48);
    return ts;
}

/* The stage 2 descriptor that maps the page holding the stage 1 descriptor
 * for PAGE_VA at level. */
static uint64_t s2_of_s1_table(const TwoStage *ts, int level)
{
    return slot(&ts->s2t, slot(&ts->s1t, PAGE_VA, level) & ~0xfffull, 3);
}

static WalkResult two(const TwoStage *ts, WalkAccess acc)
{
    WalkFeatures f = feat();
    return translate(&f, &ts->s1, &ts->s2, acc);
}

START_TEST(two_stage_translation)
{
    TwoStage ts = two_stage(S1_RAM | AP(1));
    WalkResult r = two(&ts, (WalkAccess){.va = PAGE_VA | 0x234, .type = WALK_WRITE, .unprivileged = true});
    ck_ok(r);
    ck_assert_uint_eq(r.pa, OUT_PA | 0x234);
    ck_assert_uint_eq(r.ipa, OUT_IPA | 0x234);
    ck_assert_uint_eq(r.size_log2, 12);
    ck_assert(r.has_vmid && r.vmid == 7 && r.attr == 0xff);
    ck_assert(r.unpriv.r && r.unpriv.w && r.unpriv.x);
    /* Stage 2 read-only and execute-never at EL0 show in the combined permissions. */
    wr(ts.s2_block, (rd(ts.s2_block) & ~S2AP(2)) | XN(3));
    r = two(&ts, (WalkAccess){.va = PAGE_VA});
    ck_ok(r);
    ck_assert(r.priv.r && !r.priv.w && r.unpriv.r && !r.unpriv.w && !r.unpriv.x);
    r = two(&ts, (WalkAccess){.va = PAGE_VA | 0x8, .type = WALK_WRITE});
    ck_s2_fault(r, WALK_FAULT_PERMISSION, 2, 0x0e, OUT_IPA | 0x8, false, false);
    ck_assert(r.fault.wnr);
    /* The final stage 2 lookup faults: not a stage 1 walk. */
    wr(ts.s2_block, 0);
    ck_s2_fault(two(&ts, (WalkAccess){.va = PAGE_VA | 0x8}), WALK_FAULT_TRANSLATION, 2, 0x06, OUT_IPA | 0x8, true,
                false);
    /* AT S1E1R: the stage 1 output, whatever stage 2 says of it. */
    r = two(&ts, (WalkAccess){.va = PAGE_VA | 0x8, .at = true, .stage1_only = true});
    ck_ok(r);
    ck_assert_uint_eq(r.pa, OUT_IPA | 0x8);
    /* Stage 1 faults come first. */
    wr(ts.s1_leaf, 0);
    ck_fault(two(&ts, (WalkAccess){.va = PAGE_VA}), WALK_FAULT_TRANSLATION, 3, 1, 0x07);
}
END_TEST

START_TEST(stage2_faults_on_stage1_walks)
{
    for (int level = 0; level <= 3; level++) {
        TwoStage ts = two_stage(S1_RAM);
        uint64_t s2d = s2_of_s1_table(&ts, level), desc_ipa = slot(&ts.s1t, PAGE_VA, level);
        wr(s2d, 0);
        WalkResult r = two(&ts, (WalkAccess){.va = PAGE_VA, .type = WALK_WRITE});
        ck_s2_fault(r, WALK_FAULT_TRANSLATION, 3, 0x07, desc_ipa, true, true);
        ck_assert(r.fault.wnr);
        /* Also when only translating stage 1. */
        r = two(&ts, (WalkAccess){.va = PAGE_VA, .at = true, .stage1_only = true});
        ck_s2_fault(r, WALK_FAULT_TRANSLATION, 3, 0x07, desc_ipa, true, true);
        ck_assert(r.fault.wnr);
    }
    TwoStage ts = two_stage(S1_RAM);
    uint64_t s2d = s2_of_s1_table(&ts, 2), desc_ipa = slot(&ts.s1t, PAGE_VA, 2);
    wr(s2d, rd(s2d) & ~AF);
    ck_s2_fault(two(&ts, (WalkAccess){.va = PAGE_VA}), WALK_FAULT_ACCESS_FLAG, 3, 0x0b, desc_ipa, true, true);
    wr(s2d, rd(s2d) | AF);
    /* Tables in stage 2 Device memory with HCR_EL2.PTW. */
    wr(s2d, (rd(s2d) & ~MEMATTR(0xf)) | MEMATTR(1));
    ck_ok(two(&ts, (WalkAccess){.va = PAGE_VA}));
    ts.s2.ptw = true;
    ck_s2_fault(two(&ts, (WalkAccess){.va = PAGE_VA}), WALK_FAULT_PERMISSION, 3, 0x0f, desc_ipa, true, true);
    ts.s2.ptw = false;
    /* External abort on the stage 2 walk for a stage 1 walk. */
    abort_pa = s2d;
    ck_s2_fault(two(&ts, (WalkAccess){.va = PAGE_VA}), WALK_FAULT_EXT_ABORT, 3, 0x17, desc_ipa, false, true);
    abort_pa = ~0ull;
    /* No read permission for the tables. */
    wr(s2d, rd(s2d) & ~S2AP(1));
    ck_s2_fault(two(&ts, (WalkAccess){.va = PAGE_VA}), WALK_FAULT_PERMISSION, 3, 0x0f, desc_ipa, true, true);
}
END_TEST

START_TEST(stage1_updates_need_stage2_write_permission)
{
    TwoStage ts = two_stage(S1_RAM & ~AF);
    ts.s1.ha = true;
    uint64_t s2d = s2_of_s1_table(&ts, 3);
    wr(s2d, (rd(s2d) & ~S2AP(2)) | DBM); /* the stage 1 leaf table page is writable-clean */
    WalkResult r = two(&ts, (WalkAccess){.va = PAGE_VA});
    ck_s2_fault(r, WALK_FAULT_PERMISSION, 3, 0x0f, ts.s1_leaf, true, true);
    ck_assert(!r.fault.wnr);
    ck_assert(!(rd(ts.s1_leaf) & AF));
    /* With stage 2 dirty state management the update makes the page dirty. */
    ts.s2.ha = ts.s2.hd = true;
    r = two(&ts, (WalkAccess){.va = PAGE_VA});
    ck_ok(r);
    ck_assert(rd(ts.s1_leaf) & AF);
    ck_assert(rd(s2d) & S2AP(2));
}
END_TEST

START_TEST(stage1_disabled_under_stage2)
{
    TwoStage ts = two_stage(S1_RAM);
    ts.s1.enabled = false;
    WalkResult r = two(&ts, (WalkAccess){.va = OUT_IPA | 0x123});
    ck_ok(r);
    ck_assert_uint_eq(r.pa, OUT_PA | 0x123);
    ck_assert(r.device && r.attr == 0x00 && !r.has_asid); /* Device-nGnRnE data */
    r = two(&ts, (WalkAccess){.va = OUT_IPA | 0x120, .type = WALK_EXEC});
    ck_assert(r.attr == 0x44 && !r.device);
    ts.s1.dc = true;
    ck_assert_uint_eq(two(&ts, (WalkAccess){.va = OUT_IPA}).attr, 0xff);
    /* Beyond the PA size: stage 1 level 0 Address size fault. */
    ck_fault(two(&ts, (WalkAccess){.va = 1ull << 48}), WALK_FAULT_ADDR_SIZE, 0, 1, 0x00);
    /* Without stage 2 the output is the VA. */
    WalkFeatures f = feat();
    r = translate(&f, &ts.s1, NULL, (WalkAccess){.va = 0x0000123456789abcull});
    ck_ok(r);
    ck_assert_uint_eq(r.pa, 0x0000123456789abcull);
}
END_TEST

/* FEAT_BTI: GP (bit 50) of stage 1 Block and Page descriptors marks a
 * guarded page in every stage 1 regime; without the feature the bit is
 * RES0 and ignored; stage 2 has no GP (bit 50 of a stage 2 descriptor
 * guards nothing) and with stage 1 disabled nothing is guarded. */
#define GP (1ull << 50)
START_TEST(guarded_pages)
{
    WalkFeatures f = feat(), nobti = feat();
    f.bti = true;
    static const WalkRegime regimes[] = {WALK_REGIME_EL10, WALK_REGIME_EL2, WALK_REGIME_EL20};
    for (unsigned k = 0; k < 3; k++) {
        Tables t = tables(12, 48, 0, 1);
        map(&t, 0x1000, 3, 0x40000000, S1_RAM | GP);
        map(&t, 0x2000, 3, 0x40001000, S1_RAM);
        map(&t, 0x40000000, 2, 0x60000000, S1_RAM | GP); /* a 2MB block */
        S1Params s1 = s1_el10(t.root, 0);
        s1.regime = regimes[k];
        WalkAccess exec = {.va = 0x1000, .type = WALK_EXEC};
        WalkResult r = translate(&f, &s1, NULL, exec);
        ck_ok(r);
        ck_assert(r.gp);
        ck_assert(!translate(&nobti, &s1, NULL, exec).gp);
        exec.va = 0x2000;
        ck_assert(!translate(&f, &s1, NULL, exec).gp);
        exec.va = 0x40012340;
        ck_assert(translate(&f, &s1, NULL, exec).gp);
        s1.enabled = false;
        exec.va = 0x1000;
        ck_assert(!translate(&f, &s1, NULL, exec).gp);
    }
    TwoStage ts = two_stage(S1_RAM);
    wr(ts.s2_block, rd(ts.s2_block) | GP);
    ck_assert(!translate(&f, &ts.s1, &ts.s2, (WalkAccess){.va = PAGE_VA, .type = WALK_EXEC}).gp);
    ts = two_stage(S1_RAM | GP);
    ck_assert(translate(&f, &ts.s1, &ts.s2, (WalkAccess){.va = PAGE_VA, .type = WALK_EXEC}).gp);
}
END_TEST

START_TEST(memory_attribute_combining)
{
    struct {
        unsigned attridx, memattr;
        bool fwb;
        uint8_t attr;
    } cases[] = {
        {0, 0xf, 0, 0xff}, /* WB + WB */
        {0, 0x1, 0, 0x04}, /* Normal + Device-nGnRE: Device */
        {1, 0xf, 0, 0x00}, /* Device-nGnRnE + Normal: stage 1 Device */
        {3, 0x0, 0, 0x00}, /* nGnRE + nGnRnE: the stricter */
        {3, 0x3, 0, 0x04},
        {0, 0x5, 0, 0x44}, /* WB + NC: NC */
        {0, 0xa, 0, 0xbb}, /* WB + WT: WT, stage 1 hints */
        {0, 0xe, 0, 0xfb}, /* outer WB, inner WT */
        {4, 0xf, 0, 0xbb},
        {2, 0xf, 0, 0x44},
        {2, 0x6, 1, 0xff}, /* FWB: forced Write-Back */
        {1, 0x6, 1, 0xff},
        {4, 0x7, 1, 0xbb}, /* FWB: stage 1 attributes */
        {0, 0x5, 1, 0x44}, /* FWB: Non-cacheable */
        {1, 0x5, 1, 0x00}, /* ... unless stage 1 is Device */
        {0, 0x1, 1, 0x04}, /* FWB: Device */
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        TwoStage ts = two_stage(AF | SH_IS | ATTRIDX(cases[i].attridx));
        wr(ts.s2_block, (rd(ts.s2_block) & ~MEMATTR(0xf)) | MEMATTR(cases[i].memattr));
        ts.s2.fwb = cases[i].fwb;
        WalkResult r = two(&ts, (WalkAccess){.va = PAGE_VA});
        ck_ok(r);
        ck_assert_msg(r.attr == cases[i].attr, "case %u: attr 0x%02x", i, r.attr);
        ck_assert_int_eq(r.device, (cases[i].attr & 0xf0) == 0);
    }
    /* Shareability: the wider of the two; Outer for Device and NC. */
    TwoStage ts = two_stage(AF | ATTRIDX(0) | (2ull << 8));
    ck_assert_uint_eq(two(&ts, (WalkAccess){.va = PAGE_VA}).sh, 2);
    ts = two_stage(AF | ATTRIDX(0));
    ck_assert_uint_eq(two(&ts, (WalkAccess){.va = PAGE_VA}).sh, 3);
    wr(ts.s2_block, rd(ts.s2_block) & ~(3ull << 8));
    ck_assert_uint_eq(two(&ts, (WalkAccess){.va = PAGE_VA}).sh, 0);
}
END_TEST

/* ---- S1PIE ---- */

static uint64_t pie_all(unsigned perm) { return 0x1111111111111111ull * perm; }

START_TEST(pie_base_permission_encodings)
{
    /* PIR_ELx Perm<m>: R, W, X per encoding (0b0110 with its WXN applied,
     * 0b1001's GCS permissions unused by ordinary accesses). */
    static const char *const grants[16] = {"", "r", "x", "rx", "", "rw", "rw", "rwx",
                                           "r", "r", "rx", "", "rw", "", "rwx", ""};
    for (unsigned e = 0; e < 16; e++)
        for (unsigned side = 0; side < 2; side++) {
            S1Params s1 = one_page(0);
            s1.pie = true;
            s1.pir = side ? 0 : pie_all(e);
            s1.pire0 = side ? pie_all(e) : 0;
            ck_assert_int_eq(permitted(&s1, WALK_READ, side), strchr(grants[e], 'r') != NULL);
            ck_assert_int_eq(permitted(&s1, WALK_WRITE, side), strchr(grants[e], 'w') != NULL);
            ck_assert_int_eq(permitted(&s1, WALK_EXEC, side), strchr(grants[e], 'x') != NULL);
        }
}
END_TEST

START_TEST(pie_index_comes_from_descriptor_bits)
{
    Tables t = tables(12, 48, 0, 1);
    /* PIIndex = {bit 54, bit 53, bit 51, bit 6} */
    uint64_t bits[5] = {0, AP(1), DBM, PXN, UXN};
    unsigned index[5] = {0, 1, 2, 4, 8};
    for (unsigned i = 0; i < 5; i++)
        map(&t, 0x1000 * (i + 1), 3, 0x40000000, S1_RAM | bits[i]);
    S1Params s1 = s1_el10(t.root, 0);
    s1.pie = true;
    for (unsigned i = 0; i < 5; i++) {
        s1.pir = 0x5ull << (4 * index[i]); /* RW at this index only */
        for (unsigned j = 0; j < 5; j++)
            ck_assert_int_eq(access(&s1, 0x1000 * (j + 1), WALK_WRITE, false).fault.kind == WALK_FAULT_NONE, i == j);
    }
}
END_TEST

START_TEST(pie_rules)
{
    /* Privileged execute with unprivileged write grants nothing. */
    S1Params s1 = one_page(0);
    s1.pie = true;
    s1.pir = pie_all(0x3);
    s1.pire0 = pie_all(0x5);
    ck_assert(!permitted(&s1, WALK_READ, false) && !permitted(&s1, WALK_EXEC, false));
    ck_assert(!permitted(&s1, WALK_READ, true) && !permitted(&s1, WALK_WRITE, true));
    /* PAN: any unprivileged permission denies privileged data access. */
    s1.pir = pie_all(0x5);
    s1.pire0 = pie_all(0x2);
    s1.pan = true;
    ck_assert(!permitted(&s1, WALK_READ, false));
    s1.pire0 = 0;
    ck_assert(permitted(&s1, WALK_READ, false));
    /* SCTLR_ELx.WXN has no effect; hierarchical controls are disabled. */
    Tables t = tables(12, 48, 0, 1);
    map(&t, PAGE_VA, 3, 0x40000000, S1_RAM);
    table_attrs(&t, PAGE_VA, 1, AP_TABLE(3) | PXN_TABLE | UXN_TABLE);
    s1 = s1_el10(t.root, 0);
    s1.pie = s1.wxn = true;
    s1.pir = pie_all(0x7);
    s1.pire0 = pie_all(0x1);
    ck_assert(permitted(&s1, WALK_WRITE, false) && permitted(&s1, WALK_EXEC, false));
    ck_assert(permitted(&s1, WALK_READ, true));
    /* The EL2 regime has no PIRE0. */
    s1.regime = WALK_REGIME_EL2;
    s1.pire0 = pie_all(0x5);
    s1.pir = pie_all(0x7);
    ck_assert(permitted(&s1, WALK_EXEC, false));
    /* NV1 reads PIRE0 as zero. */
    s1.regime = WALK_REGIME_EL10;
    s1.nv1 = true;
    s1.pire0 = pie_all(0x1);
    ck_assert(!permitted(&s1, WALK_READ, true));
}
END_TEST

START_TEST(pie_dirty_state)
{
    Tables t = tables(12, 48, 0, 1);
    uint64_t leaf = map(&t, PAGE_VA, 3, 0x40000000, S1_RAM | AP(2)); /* bit 7: nDirty */
    S1Params s1 = s1_el10(t.root, 0);
    s1.pie = true;
    s1.pir = pie_all(0x5);
    WalkResult r = access(&s1, PAGE_VA, WALK_WRITE, false);
    ck_fault(r, WALK_FAULT_PERMISSION, 3, 1, 0x0f);
    ck_assert(r.fault.dirtybit && r.fault.wnr);
    r = access(&s1, PAGE_VA, WALK_READ, false);
    ck_ok(r);
    ck_assert(!r.priv.w);
    s1.ha = s1.hd = true;
    r = access(&s1, PAGE_VA, WALK_WRITE, false);
    ck_ok(r);
    ck_assert(r.priv.w);
    ck_assert(!(rd(leaf) & AP(2)));
    /* A permission fault is not a dirty state fault. */
    s1.pir = pie_all(0x1);
    r = access(&s1, PAGE_VA, WALK_WRITE, false);
    ck_fault(r, WALK_FAULT_PERMISSION, 3, 1, 0x0f);
    ck_assert(!r.fault.dirtybit);
}
END_TEST

/* ---- 52-bit addresses ---- */

static WalkFeatures feat52(void)
{
    WalkFeatures f = feat();
    f.pa_bits = 52;
    f.lpa = f.lva = f.lpa2 = true;
    return f;
}

START_TEST(lpa_64k_52_bit_output)
{
    WalkFeatures f = feat52();
    Tables t = tables(16, 52, 1, 1);
    uint64_t va = 0x000f123456780000ull, oa = 0x000abcdef0120000ull;
    /* OA[51:48] in descriptor bits [15:12]. */
    map(&t, va, 3, (oa & low_mask(48)) | field(oa, 51, 48) << 12, S1_RAM);
    map(&t, 0x0004000000000000ull, 1, 1ull << 15, S1_RAM); /* 4TB block at OA 1 << 51 */
    S1Params s1 = s1_el10(t.root, 0);
    s1.range[0].tsz = 12;
    s1.range[0].tg = 1;
    s1.ps = 6;
    WalkResult r = translate(&f, &s1, NULL, (WalkAccess){.va = va | 0xabc});
    ck_ok(r);
    ck_assert_uint_eq(r.pa, oa | 0xabc);
    r = translate(&f, &s1, NULL, (WalkAccess){.va = 0x0004012345678000ull});
    ck_ok(r);
    ck_assert_uint_eq(r.size_log2, 42);
    ck_assert_uint_eq(r.pa, 1ull << 51 | 0x12345678000ull);
    s1.ps = 5;
    ck_fault(translate(&f, &s1, NULL, (WalkAccess){.va = va}), WALK_FAULT_ADDR_SIZE, 3, 1, 0x03);
    /* Without FEAT_LVA a 52-bit VA range is out of bounds. */
    s1.ps = 6;
    f.lva = false;
    ck_fault(translate(&f, &s1, NULL, (WalkAccess){.va = va}), WALK_FAULT_TRANSLATION, 0, 1, 0x04);
}
END_TEST

START_TEST(lpa2_4k_walk_from_level_minus_1)
{
    WalkFeatures f = feat52();
    Tables t = tables(12, 52, -1, 1);
    uint64_t va = 0x000f000012345000ull, oa = (1ull << 50) | (1ull << 48) | 0x40000000;
    /* DS: OA[51:50] in bits [9:8], OA[49:48] in [49:48]; Shareability from TCR. */
    map(&t, va, 3, (oa & low_mask(48)) | field(oa, 49, 48) << 48 | field(oa, 51, 50) << 8, AF | ATTRIDX(0));
    map(&t, 0x0008008000000000ull, 0, 0, AF | ATTRIDX(0)); /* 512GB block at level 0 */
    S1Params s1 = s1_el10(t.root, 0);
    s1.range[0].tsz = 12;
    s1.range[0].sh = 3;
    s1.ps = 6;
    s1.ds = true;
    WalkResult r = translate(&f, &s1, NULL, (WalkAccess){.va = va | 0x10});
    ck_ok(r);
    ck_assert_uint_eq(r.pa, oa | 0x10);
    ck_assert_uint_eq(r.sh, 3);
    r = translate(&f, &s1, NULL, (WalkAccess){.va = 0x0008008000001000ull});
    ck_ok(r);
    ck_assert_uint_eq(r.size_log2, 39);
    /* Faults at level -1 have their own codes. */
    uint64_t top = slot(&t, va, -1), d = rd(top);
    wr(top, 0);
    ck_fault(translate(&f, &s1, NULL, (WalkAccess){.va = va}), WALK_FAULT_TRANSLATION, -1, 1, 0x2b);
    wr(top, d | 1ull << 49); /* next table above a 48-bit OA size */
    s1.ps = 5;
    ck_fault(translate(&f, &s1, NULL, (WalkAccess){.va = va}), WALK_FAULT_ADDR_SIZE, -1, 1, 0x29);
    wr(top, d);
    s1.ps = 6;
    abort_pa = top;
    ck_fault(translate(&f, &s1, NULL, (WalkAccess){.va = va}), WALK_FAULT_EXT_ABORT, -1, 1, 0x13);
    abort_pa = ~0ull;
    /* 16KB with DS: blocks at level 1. */
    Tables t16 = tables(14, 48, 0, 1);
    map(&t16, 0x0000001000000000ull, 1, 0, AF | ATTRIDX(0));
    s1 = s1_el10(t16.root, 0);
    s1.range[0].tg = 2;
    s1.ds = true;
    r = translate(&f, &s1, NULL, (WalkAccess){.va = 0x0000001000000100ull});
    ck_ok(r);
    ck_assert_uint_eq(r.size_log2, 36);
}
END_TEST

Suite *walk_suite(void);
Suite *walk_suite(void)
{
    Suite *s = suite_create("walk");
    TCase *tc = tcase_create("stage1");
    tcase_add_test(tc, pages_through_every_granule_and_start_level);
    tcase_add_test(tc, tg0_and_tg1_encodings_differ);
    tcase_add_test(tc, blocks_at_every_allowed_level);
    tcase_add_test(tc, blocks_where_the_granule_allows_none_fault);
    tcase_add_test(tc, tnsz_limits);
    tcase_add_test(tc, va_outside_both_ranges_faults_at_level_0);
    tcase_add_test(tc, top_byte_ignore);
    tcase_add_test(tc, epd_and_e0pd);
    tcase_add_test(tc, fault_status_codes);
    tcase_add_test(tc, translation_faults_report_the_level_of_the_invalid_descriptor);
    tcase_add_test(tc, address_size_faults);
    tcase_add_test(tc, access_flag_faults);
    tcase_add_test(tc, external_aborts_on_walks_and_updates);
    tcase_add_test(tc, direct_permission_matrix);
    tcase_add_test(tc, results_carry_both_privilege_sides);
    tcase_add_test(tc, pan_exemptions);
    tcase_add_test(tc, wxn_removes_execute_from_writable_memory);
    tcase_add_test(tc, hierarchical_permissions);
    tcase_add_test(tc, el2_regime_has_one_range_and_no_el0);
    tcase_add_test(tc, el20_regime_has_two_ranges_el0_and_asids);
    tcase_add_test(tc, nv1_uses_the_el2_format_in_el10);
    tcase_add_test(tc, any_access_skips_the_permission_check);
    tcase_add_test(tc, hardware_access_flag);
    tcase_add_test(tc, hardware_dirty_state);
    tcase_add_test(tc, update_races_restart_the_walk);
    tcase_add_test(tc, attributes_tags_and_contiguous_bit);
    tcase_add_test(tc, guarded_pages);
    tcase_add_test(tc, big_endian_descriptors);
    suite_add_tcase(s, tc);
    tc = tcase_create("stage2");
    tcase_add_test(tc, stage2_concatenated_start_tables);
    tcase_add_test(tc, stage2_configuration_checks);
    tcase_add_test(tc, stage2_permissions_and_faults);
    tcase_add_test(tc, two_stage_translation);
    tcase_add_test(tc, stage2_faults_on_stage1_walks);
    tcase_add_test(tc, stage1_updates_need_stage2_write_permission);
    tcase_add_test(tc, stage1_disabled_under_stage2);
    tcase_add_test(tc, memory_attribute_combining);
    suite_add_tcase(s, tc);
    tc = tcase_create("s1pie");
    tcase_add_test(tc, pie_base_permission_encodings);
    tcase_add_test(tc, pie_index_comes_from_descriptor_bits);
    tcase_add_test(tc, pie_rules);
    tcase_add_test(tc, pie_dirty_state);
    suite_add_tcase(s, tc);
    tc = tcase_create("52bit");
    tcase_add_test(tc, lpa_64k_52_bit_output);
    tcase_add_test(tc, lpa2_4k_walk_from_level_minus_1);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return unit_run_suite(walk_suite(), true); }
