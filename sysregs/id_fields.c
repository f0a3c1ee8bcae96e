#include "sysregs/id_fields.h"

#include <string.h>
#include <strings.h>

static const IdFieldInfo fields[IDF_COUNT] = {
#define ID_FIELD(reg, field, shift, width, sign, safe) \
    [IDF_##reg##_##field] = {#reg, #field, SR_##reg, shift, width, sign == SIGNED, safe},
#define SIGNED 1
#define UNSIGNED 0
#include "sysregs/id_fields.def"
#undef SIGNED
#undef UNSIGNED
#undef ID_FIELD
};

const IdFieldInfo *id_field_info(IdField f) { return f < IDF_COUNT ? &fields[f] : NULL; }

IdField id_field_lookup(const char *reg_dot_field)
{
    const char *dot = strchr(reg_dot_field, '.');
    if (!dot)
        return IDF_COUNT;
    size_t reg_len = (size_t)(dot - reg_dot_field);
    for (unsigned f = 0; f < IDF_COUNT; f++)
        if (strlen(fields[f].reg_name) == reg_len && !strncasecmp(fields[f].reg_name, reg_dot_field, reg_len) &&
            !strcasecmp(fields[f].name, dot + 1))
            return (IdField)f;
    return IDF_COUNT;
}

static uint64_t mask_of(const IdFieldInfo *i) { return (i->width == 64 ? ~0ull : (1ull << i->width) - 1) << i->shift; }

uint64_t id_field_get(const uint64_t *sr, IdField f)
{
    const IdFieldInfo *i = &fields[f];
    return (sr[i->reg] & mask_of(i)) >> i->shift;
}

int64_t id_field_value(const uint64_t *sr, IdField f)
{
    const IdFieldInfo *i = &fields[f];
    uint64_t raw = id_field_get(sr, f);
    if (i->is_signed && i->width < 64 && raw >> (i->width - 1))
        return (int64_t)raw - ((int64_t)1 << i->width);
    return (int64_t)raw;
}

void id_field_set(uint64_t *sr, IdField f, uint64_t value)
{
    const IdFieldInfo *i = &fields[f];
    sr[i->reg] = (sr[i->reg] & ~mask_of(i)) | ((value << i->shift) & mask_of(i));
}

bool id_field_register_has_fields(SysregId id)
{
    for (unsigned f = 0; f < IDF_COUNT; f++)
        if (fields[f].reg == id)
            return true;
    return false;
}
