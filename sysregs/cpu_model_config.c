/* -cpu MODEL,... : named features and REG.FIELD overrides over the ID-field
 * table, the consistency rules, --dump-cpu. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sysregs/cpu_model.h"
#include "sysregs/id_fields.h"
#include "sysregs/sysregs.h"

static bool fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return false;
}

/* Named features: the field(s) they set, the value "on" gives, and whether
 * Nestor implements them (on is refused otherwise). */
static const struct {
    const char *name;
    IdField field, field2; /* field2: IDF_COUNT, or a field that must agree */
    uint64_t on, off;
    bool implemented;
} named[] = {
    {"fp16", IDF_ID_AA64PFR0_EL1_FP, IDF_ID_AA64PFR0_EL1_AdvSIMD, 1, 0, true},
    {"lse", IDF_ID_AA64ISAR0_EL1_Atomic, IDF_COUNT, 2, 0, true},
    {"lse2", IDF_ID_AA64MMFR2_EL1_AT, IDF_COUNT, 1, 0, true},
    {"crc32", IDF_ID_AA64ISAR0_EL1_CRC32, IDF_COUNT, 1, 0, true},
    {"pan", IDF_ID_AA64MMFR1_EL1_PAN, IDF_COUNT, 1, 0, true},
    {"uao", IDF_ID_AA64MMFR2_EL1_UAO, IDF_COUNT, 1, 0, true},
    {"vhe", IDF_ID_AA64MMFR1_EL1_VH, IDF_COUNT, 1, 0, true},
    {"dit", IDF_ID_AA64PFR0_EL1_DIT, IDF_COUNT, 1, 0, true},
    {"ssbs", IDF_ID_AA64PFR1_EL1_SSBS, IDF_COUNT, 2, 0, true},
    {"rcpc", IDF_ID_AA64ISAR1_EL1_LRCPC, IDF_COUNT, 2, 0, true},
    {"sb", IDF_ID_AA64ISAR1_EL1_SB, IDF_COUNT, 1, 0, true},
    {"jscvt", IDF_ID_AA64ISAR1_EL1_JSCVT, IDF_COUNT, 1, 0, true},
    {"frintts", IDF_ID_AA64ISAR1_EL1_FRINTTS, IDF_COUNT, 1, 0, true},
    {"pmu", IDF_ID_AA64DFR0_EL1_PMUVer, IDF_COUNT, 1, 0, true},
    {"fgt", IDF_ID_AA64MMFR0_EL1_FGT, IDF_COUNT, 1, 0, true},
    {"sve", IDF_ID_AA64PFR0_EL1_SVE, IDF_COUNT, 1, 0, false},
    {"bti", IDF_ID_AA64PFR1_EL1_BT, IDF_COUNT, 1, 0, true},
    {"mte", IDF_ID_AA64PFR1_EL1_MTE, IDF_COUNT, 1, 0, false},
    {"ras", IDF_ID_AA64PFR0_EL1_RAS, IDF_COUNT, 1, 0, false},
};

/* Pointer authentication spans six fields: the address (level 1-5) and
 * generic (PACGA) fields of each algorithm, QARMA5 (APA, GPA), IMPLEMENTATION
 * DEFINED (API, GPI) and QARMA3 (APA3, GPA3); a PE has at most one
 * algorithm. pauth=off clears them all; pauth=on keeps a model's PAuth or
 * adds QARMA5 at level 1 (as QEMU's pauth=on); pauth-qarma5=on and
 * pauth-qarma3=on move the model's level (at least 1) to that algorithm. */
static const IdField pauth_fields[3][2] = {
    {IDF_ID_AA64ISAR1_EL1_APA, IDF_ID_AA64ISAR1_EL1_GPA},
    {IDF_ID_AA64ISAR1_EL1_API, IDF_ID_AA64ISAR1_EL1_GPI},
    {IDF_ID_AA64ISAR2_EL1_APA3, IDF_ID_AA64ISAR2_EL1_GPA3},
};

static bool apply_pauth(CPUModel *m, const char *key, bool on, char *err, size_t errlen)
{
    int alg = !strcasecmp(key, "pauth-qarma5") ? 0 : !strcasecmp(key, "pauth-qarma3") ? 2 : -1;
    uint64_t level = 0;
    for (unsigned a = 0; a < 3; a++)
        if (id_field_get(m->values, pauth_fields[a][0]) > level)
            level = id_field_get(m->values, pauth_fields[a][0]);
    if (alg < 0 && on && level)
        return true;
    if (alg >= 0 && !on)
        return fail(err, errlen, "-cpu: %s=off: choose the algorithm with pauth-qarma5=on or pauth-qarma3=on, "
                    "or remove pointer authentication with pauth=off", key);
    for (unsigned a = 0; a < 3; a++)
        for (unsigned f = 0; f < 2; f++)
            id_field_set(m->values, pauth_fields[a][f], 0);
    if (on) {
        id_field_set(m->values, pauth_fields[alg < 0 ? 0 : alg][0], level ? level : 1);
        id_field_set(m->values, pauth_fields[alg < 0 ? 0 : alg][1], 1);
    }
    return true;
}

static bool apply_item(CPUModel *m, const char *item, char *err, size_t errlen)
{
    const char *eq = strchr(item, '=');
    if (!eq)
        return fail(err, errlen, "-cpu: property '%s' needs a value (FEATURE=on|off or REGISTER.FIELD=VALUE)", item);
    char key[96];
    snprintf(key, sizeof key, "%.*s", (int)(eq - item), item);
    const char *value = eq + 1;
    if (strchr(key, '.')) {
        IdField f = id_field_lookup(key);
        if (f == IDF_COUNT)
            return fail(err, errlen, "-cpu: unknown ID register field '%s' (e.g. ID_AA64MMFR1_EL1.VH)", key);
        const IdFieldInfo *i = id_field_info(f);
        char *end;
        errno = 0;
        unsigned long long v = strtoull(value, &end, 0);
        if (!*value || *end || errno || value[0] == '-')
            return fail(err, errlen, "-cpu: %s=%s: not a number (decimal or 0x hexadecimal)", key, value);
        if (v >> i->width)
            return fail(err, errlen, "-cpu: %s=%s: out of range (a %u-bit field: 0 to %llu)", key, value, i->width,
                        (1ull << i->width) - 1);
        id_field_set(m->values, f, v);
        return true;
    }
    if (!strcasecmp(key, "pauth") || !strcasecmp(key, "pauth-qarma5") || !strcasecmp(key, "pauth-qarma3")) {
        if (strcmp(value, "on") && strcmp(value, "off"))
            return fail(err, errlen, "-cpu: %s=%s: invalid value (use on or off)", key, value);
        return apply_pauth(m, key, !strcmp(value, "on"), err, errlen);
    }
    for (size_t n = 0; n < sizeof named / sizeof named[0]; n++) {
        if (strcasecmp(named[n].name, key))
            continue;
        bool on;
        if (!strcmp(value, "on"))
            on = true;
        else if (!strcmp(value, "off"))
            on = false;
        else
            return fail(err, errlen, "-cpu: %s=%s: invalid value (use on or off)", key, value);
        if (on && !named[n].implemented)
            return fail(err, errlen, "-cpu: %s=on: Nestor does not implement this feature yet", key);
        uint64_t v = on ? named[n].on : named[n].off;
        if (on && id_field_get(m->values, named[n].field) > v)
            v = id_field_get(m->values, named[n].field); /* keep a higher level the model has */
        id_field_set(m->values, named[n].field, v);
        if (named[n].field2 != IDF_COUNT)
            id_field_set(m->values, named[n].field2, v);
        return true;
    }
    return fail(err, errlen, "-cpu: unknown feature '%s' (features: fp16 lse lse2 crc32 pan uao vhe dit ssbs rcpc sb "
                "jscvt frintts pmu fgt pauth pauth-qarma5 pauth-qarma3; or REGISTER.FIELD=VALUE)", key);
}

bool cpu_model_configure(CPUModel *out, const char *spec, char *err, size_t errlen)
{
    size_t len = strcspn(spec, ",");
    char name[64];
    snprintf(name, sizeof name, "%.*s", (int)(len < sizeof name ? len : sizeof name - 1), spec);
    const CPUModel *base = cpu_model_find(name);
    if (!base)
        return fail(err, errlen, "unknown CPU model '%s' (-cpu help lists models)", name);
    *out = *base;
    const char *p = spec + len;
    while (*p == ',') {
        p++;
        size_t n = strcspn(p, ",");
        char item[160];
        snprintf(item, sizeof item, "%.*s", (int)(n < sizeof item ? n : sizeof item - 1), p);
        if (!apply_item(out, item, err, errlen))
            return false;
        p += n;
    }
    return cpu_model_check(out, err, errlen);
}

#define F(reg, field) IDF_##reg##_##field
static const char *fname(IdField f, char *buf, size_t len)
{
    snprintf(buf, len, "%s.%s", id_field_info(f)->reg_name, id_field_info(f)->name);
    return buf;
}

/* "a requires b": a present (>= a_min) needs b present (>= b_min). */
static const struct {
    IdField a;
    int a_min;
    IdField b;
    int b_min;
} requires[] = {
    {F(ID_AA64PFR0_EL1, SVE), 1, F(ID_AA64PFR0_EL1, FP), 0},
    {F(ID_AA64PFR0_EL1, SVE), 1, F(ID_AA64PFR0_EL1, AdvSIMD), 0},
    {F(ID_AA64MMFR3_EL1, S1PIE), 1, F(ID_AA64MMFR0_EL1, FGT), 1},
    {F(ID_AA64MMFR3_EL1, S1PIE), 1, F(ID_AA64MMFR3_EL1, TCRX), 1}, /* PIE is a TCR2_ELx field */
    {F(ID_AA64MMFR1_EL1, VH), 1, F(ID_AA64PFR0_EL1, EL2), 1},
    {F(ID_AA64MMFR2_EL1, NV), 1, F(ID_AA64PFR0_EL1, EL2), 1},
    {F(ID_AA64MMFR2_EL1, NV), 1, F(ID_AA64MMFR1_EL1, VH), 1},
    {F(ID_AA64MMFR0_EL1, FGT), 1, F(ID_AA64PFR0_EL1, EL2), 1},
    {F(ID_AA64PFR0_EL1, EL2), 1, F(ID_AA64PFR0_EL1, EL1), 1},
    {F(ID_AA64PFR0_EL1, EL1), 0, F(ID_AA64PFR0_EL1, EL0), 1},
};

bool cpu_model_check(const CPUModel *m, char *err, size_t errlen)
{
    char a[64], b[64];
    const uint64_t *v = m->values;
    IdField fp = F(ID_AA64PFR0_EL1, FP), simd = F(ID_AA64PFR0_EL1, AdvSIMD);
    /* FP and AdvSIMD come together, and FP16 is in both or neither
     * (DDI 0487 D24.3: the two fields hold the same value). */
    if (id_field_value(v, fp) != id_field_value(v, simd))
        return fail(err, errlen, "-cpu: %s=%" PRIu64 " and %s=%" PRIu64 " must be equal (AdvSIMD and FP come together, "
                    "FP16 in both or neither)", fname(simd, a, sizeof a), id_field_get(v, simd), fname(fp, b, sizeof b),
                    id_field_get(v, fp));
    for (size_t i = 0; i < sizeof requires / sizeof requires[0]; i++)
        if (id_field_value(v, requires[i].a) >= requires[i].a_min &&
            id_field_value(v, requires[i].b) < requires[i].b_min)
            return fail(err, errlen, "-cpu: %s=%" PRIu64 " needs %s >= %d", fname(requires[i].a, a, sizeof a),
                        id_field_get(v, requires[i].a), fname(requires[i].b, b, sizeof b), requires[i].b_min);
    /* One pointer-authentication algorithm at most, for addresses and for
     * PACGA alike (DDI 0487 D24.2: APA, API and APA3 are mutually
     * exclusive, as are GPA, GPI and GPA3). */
    for (unsigned kind = 0; kind < 2; kind++)
        for (unsigned x = 0; x < 3; x++)
            for (unsigned y = x + 1; y < 3; y++)
                if (id_field_get(v, pauth_fields[x][kind]) && id_field_get(v, pauth_fields[y][kind]))
                    return fail(err, errlen, "-cpu: %s=%" PRIu64 " and %s=%" PRIu64 " name two pointer-authentication "
                                "algorithms (a PE has one: pauth-qarma5=on or pauth-qarma3=on chooses)",
                                fname(pauth_fields[x][kind], a, sizeof a), id_field_get(v, pauth_fields[x][kind]),
                                fname(pauth_fields[y][kind], b, sizeof b), id_field_get(v, pauth_fields[y][kind]));
    if (id_field_get(v, F(ID_AA64DFR0_EL1, PMUVer)) == 0xf)
        return fail(err, errlen, "-cpu: ID_AA64DFR0_EL1.PMUVer=15 (an IMPLEMENTATION DEFINED PMU) is not supported");
    if (id_field_get(v, F(ID_AA64DFR0_EL1, CTX_CMPs)) > id_field_get(v, F(ID_AA64DFR0_EL1, BRPs)))
        return fail(err, errlen, "-cpu: ID_AA64DFR0_EL1.CTX_CMPs=%" PRIu64 " exceeds ID_AA64DFR0_EL1.BRPs=%" PRIu64
                    " (context-aware breakpoints are among the breakpoints)",
                    id_field_get(v, F(ID_AA64DFR0_EL1, CTX_CMPs)), id_field_get(v, F(ID_AA64DFR0_EL1, BRPs)));
    if (PMCR_N(m->values[SR_PMCR_EL0]) && id_field_get(v, F(ID_AA64DFR0_EL1, PMUVer)) == 0)
        return fail(err, errlen, "-cpu: PMCR_EL0.N counts counters but ID_AA64DFR0_EL1.PMUVer=0 says there is no PMU");
    return true;
}

void cpu_model_remove_el2(uint64_t *values)
{
    id_field_set(values, F(ID_AA64PFR0_EL1, EL2), 0);
    id_field_set(values, F(ID_AA64MMFR1_EL1, VH), 0);
    id_field_set(values, F(ID_AA64MMFR2_EL1, NV), 0);
    id_field_set(values, F(ID_AA64MMFR0_EL1, FGT), 0);
    id_field_set(values, F(ID_AA64MMFR1_EL1, HCX), 0);  /* HCRX_EL2 is an EL2 register */
    id_field_set(values, F(ID_AA64MMFR3_EL1, S1PIE), 0); /* needs FGT (rule above) */
}

void cpu_model_dump_json(const CPUModel *m, FILE *out)
{
    fprintf(out, "{\n  \"model\": \"%s\",\n  \"registers\": {", m->name);
    bool first = true;
    for (unsigned id = 0; id < SR_COUNT; id++) {
        const SysregInfo *r = sysreg_by_id((SysregId)id);
        if (r->reset != SR_FROM_MODEL)
            continue;
        fprintf(out, "%s\n    \"%s\": {\"value\": \"0x%016" PRIx64 "\"", first ? "" : ",", r->name, m->values[id]);
        first = false;
        bool any = false;
        for (unsigned f = 0; f < IDF_COUNT; f++) {
            const IdFieldInfo *i = id_field_info((IdField)f);
            if (i->reg != id)
                continue;
            fprintf(out, "%s\"%s\": %" PRIu64, any ? ", " : ", \"fields\": {", i->name, id_field_get(m->values, (IdField)f));
            any = true;
        }
        fprintf(out, "%s}", any ? "}" : "");
    }
    fprintf(out, "\n  },\n  \"ccsidr\": [");
    for (unsigned c = 0; c < 16; c++)
        fprintf(out, "%s\"0x%" PRIx64 "\"", c ? ", " : "", m->ccsidr[c]);
    fprintf(out, "]\n}\n");
}
