#include "sysregs/features.h"

#include "sysregs/sysreg_ids.h"

static const struct {
    const char *name;
    SysregId reg;
    unsigned shift, width;
    bool is_signed;
    int min;
} predicates[FEAT_COUNT] = {
    [FEAT_NONE] = {"none", SR_COUNT, 0, 0, false, 0},
#define FEATURE(name, reg, shift, width, is_signed, min) [FEAT_##name] = {#name, SR_##reg, shift, width, is_signed, min},
#include "sysregs/features.def"
#undef FEATURE
};

void features_compute(FeatureSet *set, const uint64_t *sysregs)
{
    set->bits = 0;
    for (unsigned f = FEAT_NONE + 1; f < FEAT_COUNT; f++) {
        uint64_t raw = sysregs[predicates[f].reg] >> predicates[f].shift & ((1ull << predicates[f].width) - 1);
        int64_t value = (int64_t)raw;
        if (predicates[f].is_signed && raw >> (predicates[f].width - 1))
            value -= (int64_t)1 << predicates[f].width;
        if (value >= predicates[f].min)
            set->bits |= 1ull << f;
    }
}

void feature_field_set(uint64_t *sysregs, Feature f, uint64_t value)
{
    uint64_t mask = ((1ull << predicates[f].width) - 1) << predicates[f].shift;
    uint64_t *reg = &sysregs[predicates[f].reg];
    *reg = (*reg & ~mask) | ((value << predicates[f].shift) & mask);
}

const char *feature_name(Feature f) { return f < FEAT_COUNT ? predicates[f].name : "?"; }
