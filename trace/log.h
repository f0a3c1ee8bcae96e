/* Diagnostic logging (-d categories, -D file) and user-facing errors. */
#ifndef NESTOR_TRACE_LOG_H
#define NESTOR_TRACE_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

/* Each -d category is declared once here; the CLI help and parser derive from it. */
#define NESTOR_LOG_CATEGORIES(X)                                              \
    X(IN_ASM, "in_asm", "guest instructions of each translated block (Capstone)") \
    X(OP, "op", "IR of each translated block")                                 \
    X(OP_OPT, "op_opt", "IR of each block after the JIT's optimisation passes") \
    X(OUT_ASM, "out_asm", "host (x86-64) code of each compiled block")         \
    X(STATS, "stats", "engine statistics at exit (blocks, chaining, jump cache, TLB)") \
    X(EXEC, "exec", "each translation block as it starts executing")           \
    X(INT, "int", "exceptions and interrupts taken, and exception returns")    \
    X(UNIMP, "unimp", "guest use of unimplemented features")                    \
    X(GUEST_ERRORS, "guest_errors", "guest accesses to invalid addresses or registers")

enum {
#define X(id, name, help) LOG_##id##_BIT,
    NESTOR_LOG_CATEGORIES(X)
#undef X
};
enum {
#define X(id, name, help) LOG_##id = 1u << LOG_##id##_BIT,
    NESTOR_LOG_CATEGORIES(X)
#undef X
};

extern unsigned nestor_log_mask;

static inline bool log_enabled(unsigned category) { return (nestor_log_mask & category) != 0; }

/* Parses a comma-separated -d list; on error writes a message naming the bad
 * category to err (size errlen) and returns false. "help" is handled by the caller. */
bool log_parse_categories(const char *list, unsigned *mask, char *err, size_t errlen);
void log_print_categories(FILE *out);
/* Redirects log output (default stderr). Returns false if the file cannot be opened. */
bool log_set_file(const char *path);
FILE *log_file(void);
void log_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Formats an error message into err (for functions that report errors to
 * their caller rather than exit) and returns false. */
bool error_format(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A user-caused error: one line on stderr, "nestor: ..." and exit status 1. */
_Noreturn void nestor_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* An internal invariant failed: a bug in Nestor, not in the guest or the user. */
_Noreturn void nestor_bug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
