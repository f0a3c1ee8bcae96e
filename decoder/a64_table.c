/* The one A64 encoding table, assembled from the per-group data files:
 *   A64(name, pattern, capstone mnemonics, feature, translate function)
 * Patterns list bits 31..0; see a64.h. */
#include <stdlib.h>
#include <string.h>

#include "decoder/a64.h"
#include "trace/log.h"


#define A64(name, pattern, mnemonics, feature, fn) A64TranslateFn fn;
#include "decoder/a64_dp_imm.def"
#include "decoder/a64_dp_reg.def"
#include "decoder/a64_branch_sys.def"
#include "decoder/a64_ldst.def"
#include "decoder/a64_fp.def"
#include "decoder/a64_ldst_fp.def"
#include "decoder/a64_simd_int.def"
#include "decoder/a64_ldst_simd.def"
#include "decoder/a64_simd_fp.def"
#include "decoder/a64_crypto.def"
#include "decoder/a64_pauth.def"
#undef A64

static A64Encoding table[] = {
#define A64(name, pattern, mnemonics, feature, fn) {#name, pattern, mnemonics, FEAT_##feature, fn, 0, 0, 0, {{0}}},
#include "decoder/a64_dp_imm.def"
#include "decoder/a64_dp_reg.def"
#include "decoder/a64_branch_sys.def"
#include "decoder/a64_ldst.def"
#include "decoder/a64_fp.def"
#include "decoder/a64_ldst_fp.def"
#include "decoder/a64_simd_int.def"
#include "decoder/a64_ldst_simd.def"
#include "decoder/a64_simd_fp.def"
#include "decoder/a64_crypto.def"
#include "decoder/a64_pauth.def"
#undef A64
};

#define TABLE_SIZE (sizeof table / sizeof table[0])

static const char *const field_names[F_COUNT] = {
#define FIELD(name) #name,
#include "decoder/fields.def"
#undef FIELD
};

const char *a64_field_name(A64Field f) { return f < F_COUNT ? field_names[f] : "?"; }

/* Parses one pattern into mask/value/fields. Returns an error text or NULL. */
static const char *parse_pattern(A64Encoding *e)
{
    static char err[160];
    int bit = 32;
    const char *p = e->pattern;
    e->mask = e->value = 0;
    e->nfields = 0;
    while (*p) {
        if (*p == ' ') {
            p++;
            continue;
        }
        if (*p == '0' || *p == '1' || *p == 'x') {
            if (--bit < 0)
                return "pattern longer than 32 bits";
            if (*p != 'x') {
                e->mask |= 1u << bit;
                e->value |= (uint32_t)(*p - '0') << bit;
            }
            p++;
            continue;
        }
        size_t len = strcspn(p, ":");
        if (!p[len]) {
            snprintf(err, sizeof err, "bad token at '%s'", p);
            return err;
        }
        int id = -1;
        for (int f = 0; f < F_COUNT; f++)
            if (strlen(field_names[f]) == len && !strncmp(field_names[f], p, len))
                id = f;
        if (id < 0) {
            snprintf(err, sizeof err, "unknown field '%.*s' (add it to fields.def)", (int)len, p);
            return err;
        }
        char *end;
        long width = strtol(p + len + 1, &end, 10);
        if (width <= 0 || width > 32 || bit - width < 0)
            return "bad field width";
        if (e->nfields == A64_MAX_FIELDS)
            return "too many fields";
        for (unsigned i = 0; i < e->nfields; i++)
            if (e->fields[i].id == id)
                return "field named twice";
        bit -= (int)width;
        e->fields[e->nfields++] = (A64FieldSpec){(uint8_t)id, (uint8_t)bit, (uint8_t)width};
        p = end;
    }
    if (bit != 0) {
        snprintf(err, sizeof err, "pattern has %d bits, not 32", 32 - bit);
        return err;
    }
    return NULL;
}

/* Entries grouped by bits 28:25 (the A64 top-level op0), most specific first. */
static const A64Encoding **by_group[16];
static unsigned group_count[16];

/* The lookup index: for each value of bits 31:21 (which include op0), the
 * entries of its group whose fixed bits there agree with it, in the group's
 * order. An entry that cannot match is skipped either way, so the first
 * match is the same; a lookup scans a short run of these compact records
 * instead of the whole group. */
#define KEY_SHIFT 21
#define KEY_COUNT (1u << (32 - KEY_SHIFT))
typedef struct {
    uint32_t mask, value;
    const A64Encoding *e;
} Candidate;
static Candidate *candidates;
static uint32_t key_first[KEY_COUNT + 1];

static int more_specific_first(const void *a, const void *b)
{
    const A64Encoding *x = *(const A64Encoding *const *)a, *y = *(const A64Encoding *const *)b;
    return __builtin_popcount(y->mask) - __builtin_popcount(x->mask);
}

/* Whether e may match an instruction whose bits 31:21 are key. */
static bool key_compatible(const A64Encoding *e, unsigned key)
{
    uint32_t top = (uint32_t)key << KEY_SHIFT, m = e->mask & ~((1u << KEY_SHIFT) - 1);
    return ((top ^ e->value) & m) == 0;
}

static void build_index(void)
{
    size_t n = 0;
    for (unsigned pass = 0; pass < 2; pass++) {
        n = 0;
        for (unsigned key = 0; key < KEY_COUNT; key++) {
            unsigned g = (key >> (25 - KEY_SHIFT)) & 0xf;
            key_first[key] = (uint32_t)n;
            for (unsigned i = 0; i < group_count[g]; i++) {
                const A64Encoding *e = by_group[g][i];
                if (!key_compatible(e, key))
                    continue;
                if (pass)
                    candidates[n] = (Candidate){e->mask, e->value, e};
                n++;
            }
        }
        key_first[KEY_COUNT] = (uint32_t)n;
        if (!pass && !(candidates = malloc((n ? n : 1) * sizeof *candidates)))
            nestor_fatal("out of memory building the decoder");
    }
}

void a64_table_init(void)
{
    static bool done;
    if (done)
        return;
    for (unsigned i = 0; i < TABLE_SIZE; i++) {
        const char *err = parse_pattern(&table[i]);
        if (err)
            nestor_bug("A64 table entry %s: %s", table[i].name, err);
    }
    for (unsigned g = 0; g < 16; g++) {
        by_group[g] = calloc(TABLE_SIZE, sizeof *by_group[g]);
        if (!by_group[g])
            nestor_fatal("out of memory building the decoder");
        for (unsigned i = 0; i < TABLE_SIZE; i++) {
            uint32_t gmask = table[i].mask & (0xfu << 25), gval = table[i].value & (0xfu << 25);
            if ((((uint32_t)g << 25) & gmask) == gval)
                by_group[g][group_count[g]++] = &table[i];
        }
        qsort(by_group[g], group_count[g], sizeof *by_group[g], more_specific_first);
    }
    build_index();
    done = true;
}

const A64Encoding *a64_table(unsigned *count)
{
    a64_table_init();
    *count = TABLE_SIZE;
    return table;
}

const A64Encoding *a64_decode(uint32_t raw, A64Insn *out)
{
    a64_table_init();
    unsigned key = raw >> KEY_SHIFT;
    for (const Candidate *c = &candidates[key_first[key]], *end = &candidates[key_first[key + 1]]; c < end; c++) {
        if ((raw & c->mask) == c->value) {
            const A64Encoding *e = c->e;
            out->raw = raw;
            out->enc = e;
            for (unsigned k = 0; k < e->nfields; k++)
                out->f[e->fields[k].id] = (raw >> e->fields[k].pos) & ((1u << e->fields[k].len) - 1);
            return e;
        }
    }
    return NULL;
}

unsigned a64_table_check(FILE *out)
{
    unsigned problems = 0;
    for (unsigned i = 0; i < TABLE_SIZE; i++) {
        A64Encoding copy = table[i];
        const char *err = parse_pattern(&copy);
        if (err) {
            fprintf(out, "%s: %s\n", table[i].name, err);
            problems++;
        }
        for (unsigned j = 0; j < i; j++)
            if (!strcmp(table[i].name, table[j].name)) {
                fprintf(out, "%s: name used twice\n", table[i].name);
                problems++;
            }
    }
    a64_table_init();
    for (unsigned i = 0; i < TABLE_SIZE; i++) {
        for (unsigned j = i + 1; j < TABLE_SIZE; j++) {
            const A64Encoding *a = &table[i], *b = &table[j];
            uint32_t common = a->mask & b->mask;
            if ((a->value & common) != (b->value & common))
                continue; /* disjoint */
            bool a_in_b = (a->mask & b->mask) == b->mask && a->mask != b->mask;
            bool b_in_a = (a->mask & b->mask) == a->mask && a->mask != b->mask;
            if (!a_in_b && !b_in_a) {
                fprintf(out, "%s and %s overlap without one being more specific\n", a->name, b->name);
                problems++;
            }
        }
    }
    return problems;
}
