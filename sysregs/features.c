#include "sysregs/features.h"

#include "sysregs/id_fields.h"

static const struct {
    const char *name;
    IdField field;
    int min;
    Feature any[3]; /* FEATURE_ANY: present when one of these is (field is IDF_COUNT) */
} predicates[FEAT_COUNT] = {
    [FEAT_NONE] = {"none", IDF_COUNT, 0},
#define FEATURE(name, reg, field, min) [FEAT_##name] = {#name, IDF_##reg##_##field, min, {0}},
#define FEATURE_ANY(name, a, b, c) [FEAT_##name] = {#name, IDF_COUNT, 0, {FEAT_##a, FEAT_##b, FEAT_##c}},
#include "sysregs/features.def"
#undef FEATURE
#undef FEATURE_ANY
};

void features_compute(FeatureSet *set, const uint64_t *sysregs)
{
    set->bits = 0;
    for (unsigned f = FEAT_NONE + 1; f < FEAT_COUNT; f++)
        if (predicates[f].field != IDF_COUNT && id_field_value(sysregs, predicates[f].field) >= predicates[f].min)
            set->bits |= 1ull << f;
    /* The FEATURE_ANY entries follow the plain ones they name. */
    for (unsigned f = FEAT_NONE + 1; f < FEAT_COUNT; f++)
        for (unsigned i = 0; i < 3 && predicates[f].field == IDF_COUNT; i++)
            if (feature_has(set, predicates[f].any[i]))
                set->bits |= 1ull << f;
}

void feature_field_set(uint64_t *sysregs, Feature f, uint64_t value)
{
    if (predicates[f].field == IDF_COUNT) { /* FEATURE_ANY: every field it names */
        for (unsigned i = 0; i < 3; i++)
            feature_field_set(sysregs, predicates[f].any[i], value);
        return;
    }
    id_field_set(sysregs, predicates[f].field, value);
}

const char *feature_name(Feature f) { return f < FEAT_COUNT ? predicates[f].name : "?"; }
