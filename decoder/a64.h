/* The A64 encoding table and decoder. Every encoding is declared once in the
 * a64_*.def files (see a64_table.c); decode, disassembly fallback and tests
 * derive from it. */
#ifndef NESTOR_DECODER_A64_H
#define NESTOR_DECODER_A64_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sysregs/features.h"

typedef enum {
#define FIELD(name) F_##name,
#include "decoder/fields.def"
#undef FIELD
    F_COUNT
} A64Field;

struct DisasContext;
struct A64Insn;
/* Emits IR for one decoded instruction. Returns false if the encoding is
 * unallocated after all (a reserved field value): the caller makes it UNDEFINED. */
typedef bool A64TranslateFn(struct DisasContext *s, const struct A64Insn *insn);

#define A64_MAX_FIELDS 10

typedef struct {
    uint8_t id, pos, len;
} A64FieldSpec;

typedef struct A64Encoding {
    const char *name;      /* unique, e.g. "ADD_imm" */
    const char *pattern;   /* bits 31..0: 0/1 fixed, x ignored, name:N a field */
    const char *mnemonics; /* Capstone mnemonics this encoding may print as, space-separated */
    Feature feature;       /* the encoding is UNDEFINED unless the CPU has it */
    A64TranslateFn *translate;
    /* Derived from pattern by a64_table_init(): */
    uint32_t mask, value;
    uint8_t nfields;
    A64FieldSpec fields[A64_MAX_FIELDS];
} A64Encoding;

typedef struct A64Insn {
    uint32_t raw;
    const A64Encoding *enc;
    uint32_t f[F_COUNT]; /* field values; only the encoding's own fields are set */
} A64Insn;

/* Parses every pattern; on a malformed table reports the entry and aborts
 * (a build-time fact, checked by the unit tests too). Idempotent. */
void a64_table_init(void);
const A64Encoding *a64_table(unsigned *count);
/* Finds the most specific encoding matching raw, or NULL (unallocated). The
 * feature gate is not applied here (see translate.c). */
const A64Encoding *a64_decode(uint32_t raw, A64Insn *out);
const char *a64_field_name(A64Field f);
/* Checks the table: pattern syntax, unique names, and that overlapping
 * entries are nested (one strictly more specific). Returns the number of
 * problems, each printed to out. */
unsigned a64_table_check(FILE *out);

/* Sign-extends the low bits of a field value. */
static inline int64_t a64_sext(uint64_t v, unsigned bits) { return (int64_t)(v << (64 - bits)) >> (64 - bits); }

#endif
