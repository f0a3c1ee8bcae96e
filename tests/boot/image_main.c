/*
 * Booted as an arm64 Linux Image: checks what the Linux boot protocol
 * promises (x0 = an 8-byte aligned DTB, x1..x3 = 0, MMU off, entry at the
 * Image's load address) and prints what the device tree says (/chosen
 * bootargs and initrd, /memory, /cpus, /psci), so that the output can be
 * compared with QEMU's for the same Image. Self-contained: no runtime.
 */
#include <stdint.h>

#define UART_DR ((volatile uint32_t *)0x09000000)
#define UART_FR ((volatile uint32_t *)0x09000018)
#define PSCI_SYSTEM_OFF 0x84000008u

static void putc_(char c)
{
    while (*UART_FR & (1u << 5)) /* TXFF */
        ;
    *UART_DR = (uint32_t)c;
}

static void puts_(const char *s)
{
    while (*s)
        putc_(*s++);
}

static void hex(uint64_t v)
{
    puts_("0x");
    for (int i = 60; i >= 0; i -= 4)
        putc_("0123456789abcdef"[v >> i & 15]);
}

static void line(const char *label, uint64_t v)
{
    puts_(label);
    hex(v);
    putc_('\n');
}

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static uint64_t be64(const uint8_t *p) { return (uint64_t)be32(p) << 32 | be32(p + 4); }

static int streq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static int starts_with(const char *s, const char *prefix)
{
    while (*prefix)
        if (*s++ != *prefix++)
            return 0;
    return 1;
}

static unsigned failures;

static void check(int ok, const char *what)
{
    puts_(ok ? "ok: " : "FAIL: ");
    puts_(what);
    putc_('\n');
    failures += !ok;
}

typedef struct {
    const char *bootargs, *psci_method;
    uint64_t initrd_start, initrd_end, mem_base, mem_size, cpu_reg;
} Tree;

/* Walks the structure block (FDT_BEGIN_NODE 1, END_NODE 2, PROP 3, NOP 4,
 * END 9) for the properties this test prints (in its own order: node order
 * is free). */
static void walk(const uint8_t *fdt, Tree *t)
{
    const uint8_t *p = fdt + be32(fdt + 8), *strings = fdt + be32(fdt + 12);
    const char *nodes[8] = {0};
    int depth = -1;
    for (;;) {
        uint32_t token = be32(p);
        p += 4;
        if (token == 1) {
            const char *name = (const char *)p;
            if (++depth < 8)
                nodes[depth] = name;
            while (*p)
                p++;
            p = (const uint8_t *)(((uintptr_t)p + 4) & ~(uintptr_t)3);
        } else if (token == 2) {
            depth--;
        } else if (token == 3) {
            uint32_t len = be32(p), nameoff = be32(p + 4);
            const uint8_t *v = p + 8;
            const char *pname = (const char *)strings + nameoff;
            const char *node = depth >= 1 && depth < 8 ? nodes[depth] : "";
            if (depth == 1 && streq(node, "chosen")) {
                if (streq(pname, "bootargs"))
                    t->bootargs = (const char *)v;
                else if (streq(pname, "linux,initrd-start"))
                    t->initrd_start = len == 8 ? be64(v) : be32(v);
                else if (streq(pname, "linux,initrd-end"))
                    t->initrd_end = len == 8 ? be64(v) : be32(v);
            } else if (depth == 1 && starts_with(node, "memory") && streq(pname, "reg") && len == 16) {
                t->mem_base = be64(v);
                t->mem_size = be64(v + 8);
            } else if (depth == 2 && streq(nodes[1], "cpus") && streq(pname, "reg")) {
                t->cpu_reg = len == 8 ? be64(v) : be32(v);
            } else if (depth == 1 && streq(node, "psci") && streq(pname, "method")) {
                t->psci_method = (const char *)v;
            }
            p = v + ((len + 3) & ~3u);
        } else if (token == 4) {
            continue;
        } else {
            break; /* FDT_END, or garbage */
        }
    }
}

void image_main(uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3, uint64_t load, uint64_t el)
{
    line("loaded at: ", load);
    puts_("entered at EL");
    putc_((char)('0' + el));
    putc_('\n');
    check(x1 == 0 && x2 == 0 && x3 == 0, "x1, x2 and x3 are zero");
    check(x0 != 0 && (x0 & 7) == 0, "x0 holds an 8-byte aligned address");
    const uint8_t *fdt = (const uint8_t *)x0;
    check(x0 && be32(fdt) == 0xd00dfeedu, "x0 points to a flattened device tree");
    check(x0 && (x0 >> 21) == ((x0 + be32(fdt + 4) - 1) >> 21), "the device tree lies within one 2 MiB block");
    uint64_t sctlr;
    if (el == 2)
        __asm__ volatile("mrs %0, sctlr_el2" : "=r"(sctlr));
    else
        __asm__ volatile("mrs %0, sctlr_el1" : "=r"(sctlr));
    check(!(sctlr & 1), "the MMU is off");
    if (!failures) {
        Tree t = {"(none)", "(none)", 0, 0, 0, 0, ~0ull};
        walk(fdt, &t);
        puts_("chosen bootargs: ");
        puts_(t.bootargs);
        puts_("\npsci method: ");
        puts_(t.psci_method);
        putc_('\n');
        line("memory base: ", t.mem_base);
        line("memory size: ", t.mem_size);
        line("cpu reg: ", t.cpu_reg);
        line("initrd start: ", t.initrd_start);
        line("initrd end:   ", t.initrd_end);
        if (t.initrd_end > t.initrd_start) {
            puts_("initrd text: ");
            for (const char *c = (const char *)t.initrd_start; c < (const char *)t.initrd_end && *c != '\n'; c++)
                putc_(*c);
            putc_('\n');
        }
    }
    puts_(failures ? "FAIL\n" : "DONE\n");
    register uint64_t fn __asm__("x0") = PSCI_SYSTEM_OFF;
    if (el == 2)
        __asm__ volatile("smc #0" : "+r"(fn)::"memory");
    else
        __asm__ volatile("hvc #0" : "+r"(fn)::"memory");
}
