/*
 * Bare-metal runtime for the Arm conformance tests (QEMU "virt" machine,
 * MMU off unless a test builds page tables, entered at EL2 or EL1).  Everything a test needs is declared here.
 */
#ifndef NESTOR_CONF_RUNTIME_H
#define NESTOR_CONF_RUNTIME_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi.h"
#include "sysreg.h"

/* ---- console (PL011 at 0x09000000) ---- */
#define UART_BASE 0x09000000ul
void putc(char c);
void puts(const char *s);     /* no newline appended */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);

/* ---- self-checks ---- */
extern unsigned rt_failures;
/* Prints "FAIL <what>: got .. want .." and counts the failure. */
bool check_eq(const char *what, uint64_t got, uint64_t want);
#define CHECK_EQ(what, got, want) check_eq((what), (uint64_t)(got), (uint64_t)(want))

/* ---- ending a program ---- */
extern uint64_t rt_start_el; /* EL the program was entered at (1 or 2) */
/* Prints "DONE" and powers off.  main()'s return also ends up here. */
__attribute__((noreturn)) void exit_pass(void);
/* PSCI SYSTEM_OFF from any EL, using the conduit matching rt_start_el. */
__attribute__((noreturn)) void system_off(void);
/* PSCI call from EL1/EL2: SMC when booted at EL2, HVC when booted at EL1. */
uint64_t psci_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);

#define PSCI_VERSION         0x84000000u
#define PSCI_FEATURES        0x8400000au
#define PSCI_SYSTEM_OFF      0x84000008u
#define PSCI_CPU_OFF         0x84000002u
#define PSCI_CPU_ON64        0xc4000003u
#define PSCI_AFFINITY_INFO64 0xc4000004u
/* PSCI return codes and AFFINITY_INFO states (DEN0022) */
#define PSCI_SUCCESS         0
#define PSCI_NOT_SUPPORTED   (-1)
#define PSCI_INVALID_PARAMS  (-2)
#define PSCI_ALREADY_ON      (-4)
#define PSCI_AFF_ON          0
#define PSCI_AFF_OFF         1

/* ---- exceptions ---- */
/* Register frame the vector code builds on the handling EL's stack. */
struct exc_frame {
    uint64_t x[31];
    uint64_t elr, spsr, esr, far;
    uint64_t vector; /* offset in the vector table: 0x000 .. 0x780 */
    uint64_t el;     /* EL the exception was taken to */
    uint64_t pad;
};

/* Copy of the last exception not consumed by the runtime itself. */
struct exc_record {
    uint64_t esr, elr, far, spsr, vector, el;
    uint64_t count;
};
extern volatile struct exc_record rt_last_exc;

/*
 * A test's handler: return true to resume at frame->elr with the (possibly
 * modified) frame registers, false to fall back to the default handler,
 * which prints "UNEXPECTED EXCEPTION ..." and powers off.
 */
typedef bool (*exc_handler_fn)(struct exc_frame *frame);
void set_exception_handler(exc_handler_fn fn); /* NULL restores default */
/* Ready-made handler: skip the faulting instruction (ELR += 4). */
bool skip_faulting_insn(struct exc_frame *frame);
void clear_last_exc(void);

/* Tests must not use SVC/HVC #RT_IMM_RETURN or #RT_IMM_POWEROFF (abi.h). */

/* ---- running code at a lower EL ---- */
typedef uint64_t (*lower_el_fn)(uint64_t arg);
/* From EL2: runs fn(arg) at EL1h (DAIF masked, own stack), returns its result. */
uint64_t run_at_el1(lower_el_fn fn, uint64_t arg);
/* From EL1 or EL2: runs fn(arg) at EL0 (via EL1 when called at EL2). */
uint64_t run_at_el0(lower_el_fn fn, uint64_t arg);

/* EL the code is running at, from MRS CurrentEL (UNDEFINED at EL0!). */
static inline unsigned current_el(void)
{
    return (unsigned)((read_sysreg(CurrentEL) >> 2) & 3);
}
/* Same, but tracked by the runtime, so it also works at EL0. */
unsigned rt_current_el(void);

/* ---- translation tables (pagetable.c) ---- */
/* Stage 1 descriptor bits (DDI 0487 D8.3) */
#define PTE_VALID    (1ul << 0)
#define PTE_TABLE    (1ul << 1)  /* with VALID: table (levels 0-2) or page (level 3) */
#define PTE_ATTR(i)  ((uint64_t)(i) << 2)
#define PTE_AP_EL0   (1ul << 6)  /* AP[1]: EL0 access (RES1 in the EL2 regime) */
#define PTE_AP_RO    (1ul << 7)  /* AP[2]: read-only */
#define PTE_SH_INNER (3ul << 8)
#define PTE_AF       (1ul << 10)
#define PTE_NG       (1ul << 11)
#define PTE_PXN      (1ul << 53)
#define PTE_UXN      (1ul << 54) /* XN in the EL2 regime */
/* MAIR value the tests use and its attribute indexes */
#define PT_MAIR          0x44ff00ul
#define PT_ATTR_DEVICE   0 /* Device-nGnRnE */
#define PT_ATTR_NORMAL   1 /* Normal Write-Back */
#define PT_ATTR_NC       2 /* Normal Non-cacheable */

struct pt {
    unsigned granule_bits; /* 12, 14 or 16 */
    unsigned va_bits;      /* 64 - TnSZ */
    unsigned start_level;
    uint64_t *root;
};
/* Forgets every table (all struct pt become invalid). */
void pt_pool_reset(void);
void pt_init(struct pt *pt, unsigned granule_bits, unsigned va_bits);
/* Maps [va, va + size) to pa: attrs are the descriptor's attribute bits;
 * blocks are used where alignment allows, pages otherwise. */
void pt_map(struct pt *pt, uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs);
/* The descriptor that ends the walk of va (leaf, or invalid entry) and its level. */
uint64_t *pt_leaf(struct pt *pt, uint64_t va, unsigned *level);
/* TCR_ELx.TG0 / TG1 encodings of the table's granule. */
unsigned pt_tg0(const struct pt *pt);
unsigned pt_tg1(const struct pt *pt);

/* ---- freestanding libc bits the compiler may call ---- */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif
