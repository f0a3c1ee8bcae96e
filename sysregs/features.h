/* Feature predicates derived from ID registers (features.def). */
#ifndef NESTOR_SYSREGS_FEATURES_H
#define NESTOR_SYSREGS_FEATURES_H

#include <stdbool.h>
#include <stdint.h>

typedef enum {
    FEAT_NONE, /* gate of instructions every A64 PE has */
#define FEATURE(name, reg, field, min) FEAT_##name,
#define FEATURE_ANY(name, a, b, c) FEAT_##name,
#include "sysregs/features.def"
#undef FEATURE
#undef FEATURE_ANY
    FEAT_COUNT
} Feature;

typedef struct {
    uint64_t bits;
} FeatureSet;

_Static_assert(FEAT_COUNT <= 64, "FeatureSet holds 64 features; widen it");

static inline bool feature_has(const FeatureSet *set, Feature f) { return f == FEAT_NONE || (set->bits >> f & 1); }

/* Evaluates every predicate over the given system-register values (indexed by SysregId). */
void features_compute(FeatureSet *set, const uint64_t *sysregs);
const char *feature_name(Feature f);
/* Writes the ID-register field that defines feature f (e.g. 0 = absent). */
void feature_field_set(uint64_t *sysregs, Feature f, uint64_t value);

#endif
