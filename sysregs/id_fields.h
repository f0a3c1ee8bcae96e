/* ID-register fields as data (id_fields.def): lookup by name, read and
 * write in an array of system-register values indexed by SysregId (a
 * CPUState's sr[] or a CPUModel's values[]). */
#ifndef NESTOR_SYSREGS_ID_FIELDS_H
#define NESTOR_SYSREGS_ID_FIELDS_H

#include <stdbool.h>
#include <stdint.h>

#include "sysregs/sysreg_ids.h"

typedef enum {
#define ID_FIELD(reg, field, shift, width, sign, safe) IDF_##reg##_##field,
#include "sysregs/id_fields.def"
#undef ID_FIELD
    IDF_COUNT
} IdField;

typedef enum { SAFE_LOWER, SAFE_HIGHER, SAFE_EXACT } IdFieldSafe;

typedef struct {
    const char *reg_name, *name;
    SysregId reg;
    uint8_t shift, width;
    bool is_signed;
    IdFieldSafe safe;
} IdFieldInfo;

const IdFieldInfo *id_field_info(IdField f);
/* "REGISTER.FIELD" (case-insensitive); IDF_COUNT when unknown. */
IdField id_field_lookup(const char *reg_dot_field);
/* The field's bits, unsigned. */
uint64_t id_field_get(const uint64_t *sr, IdField f);
/* The field's value, sign-extended for signed fields. */
int64_t id_field_value(const uint64_t *sr, IdField f);
void id_field_set(uint64_t *sr, IdField f, uint64_t value);
/* True when sysreg id is an ID register with fields in the table. */
bool id_field_register_has_fields(SysregId id);

#endif
