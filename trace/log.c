#include "trace/log.h"

#include <stdlib.h>
#include <string.h>

unsigned nestor_log_mask;
static FILE *log_out;

static const struct {
    const char *name;
    const char *help;
    unsigned bit;
} categories[] = {
#define X(id, name, help) {name, help, LOG_##id},
    NESTOR_LOG_CATEGORIES(X)
#undef X
};

bool log_parse_categories(const char *list, unsigned *mask, char *err, size_t errlen)
{
    unsigned result = 0;
    const char *p = list;
    while (*p) {
        size_t len = strcspn(p, ",");
        bool found = false;
        for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++) {
            if (strlen(categories[i].name) == len && !strncmp(p, categories[i].name, len)) {
                result |= categories[i].bit;
                found = true;
            }
        }
        if (!found) {
            snprintf(err, errlen, "unknown -d log category '%.*s' (try -d help)", (int)len, p);
            return false;
        }
        p += len;
        if (*p == ',')
            p++;
    }
    *mask = result;
    return true;
}

void log_print_categories(FILE *out)
{
    fprintf(out, "Log categories for -d (comma-separated):\n");
    for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++)
        fprintf(out, "  %-14s %s\n", categories[i].name, categories[i].help);
}

bool log_set_file(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return false;
    if (log_out && log_out != stderr)
        fclose(log_out);
    log_out = f;
    return true;
}

FILE *log_file(void) { return log_out ? log_out : stderr; }

void log_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(log_file(), fmt, ap);
    va_end(ap);
}

_Noreturn void nestor_fatal(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs("nestor: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

_Noreturn void nestor_bug(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fputs("nestor: internal error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

bool error_format(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return false;
}
