#include "sysregs/features.h"

#include "sysregs/id_fields.h"

static const struct {
    const char *name;
    IdField field;
    int min;
} predicates[FEAT_COUNT] = {
    [FEAT_NONE] = {"none", IDF_COUNT, 0},
#define FEATURE(name, reg, field, min) [FEAT_##name] = {#name, IDF_##reg##_##field, min},
#include "sysregs/features.def"
#undef FEATURE
};

void features_compute(FeatureSet *set, const uint64_t *sysregs)
{
    set->bits = 0;
    for (unsigned f = FEAT_NONE + 1; f < FEAT_COUNT; f++)
        if (id_field_value(sysregs, predicates[f].field) >= predicates[f].min)
            set->bits |= 1ull << f;
}

void feature_field_set(uint64_t *sysregs, Feature f, uint64_t value)
{
    id_field_set(sysregs, predicates[f].field, value);
}

const char *feature_name(Feature f) { return f < FEAT_COUNT ? predicates[f].name : "?"; }
