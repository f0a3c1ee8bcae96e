/*
 * Loads and stores: every size and signedness, unsigned/unscaled/pre/post
 * offsets, register offsets with every extend, literals, pairs, LDTR/STTR,
 * PRFM, exclusives, acquire/release and barriers.  The MMU is off, so
 * memory is Device and every access here is naturally aligned.
 *
 * Accesses land in buf around buf + MID; each case names the byte offset
 * it must land at ("at"), the displacement its addressing mode adds to
 * the base ("disp"), and the base writeback ("wb"), so that a C model can
 * check both the value and the address arithmetic.
 */
#include "testlib.h"

#define BUF_SIZE 1024
#define MID 512
static uint8_t buf[BUF_SIZE] __attribute__((aligned(16)));

static void fill_buf(void)
{
    for (unsigned i = 0; i < BUF_SIZE; i++)
        buf[i] = (uint8_t)(i * 0x3b + 0x81); /* every byte differs, half have bit 7 set */
}

/* Little-endian model of a load of `size` bytes at buf + MID + at. */
static uint64_t load_model(int at, unsigned size, bool sign, unsigned bits)
{
    uint64_t v = 0;

    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)buf[MID + at + (int)i] << (8 * i);
    if (sign && (v >> (8 * size - 1)) & 1 && size < 8)
        v |= ~0ul << (8 * size);
    return bits == 32 ? v & 0xffffffff : v;
}

/* ---- single loads ---- */
typedef uint64_t (*load_fn)(uint64_t *base, uint64_t index);
#define DEF_LOAD(id, insn, ...)                                                    \
    static uint64_t id(uint64_t *base, uint64_t index)                         \
    {                                                                          \
        uint64_t d = D_MARKER;                                                 \
        asm volatile(insn : [d] "+&r"(d), [b] "+&r"(*base) : [i] "r"(index)   \
                     : "memory");                                              \
        return d;                                                              \
    }

/* X(id, insn, at, disp, wb, size, signed, dest bits, index register value) */
#define LOADS(X)                                                                              \
    X(ldrb_u, "ldrb %w[d], [%[b], #5]", 5, 5, 0, 1, 0, 32, 0)                                 \
    X(ldrb_max, "ldrb %w[d], [%[b], #4095]", 1, 4095, 0, 1, 0, 32, 0)                         \
    X(ldrsb_w, "ldrsb %w[d], [%[b], #1]", 1, 1, 0, 1, 1, 32, 0)                               \
    X(ldrsb_x, "ldrsb %x[d], [%[b], #3]", 3, 3, 0, 1, 1, 64, 0)                               \
    X(ldrsb_x_pos, "ldrsb %x[d], [%[b], #0]", 0, 0, 0, 1, 1, 64, 0)                           \
    X(ldrh_u, "ldrh %w[d], [%[b], #6]", 6, 6, 0, 2, 0, 32, 0)                                 \
    X(ldrh_max, "ldrh %w[d], [%[b], #8190]", 2, 8190, 0, 2, 0, 32, 0)                         \
    X(ldrsh_w, "ldrsh %w[d], [%[b], #2]", 2, 2, 0, 2, 1, 32, 0)                               \
    X(ldrsh_x, "ldrsh %x[d], [%[b], #10]", 10, 10, 0, 2, 1, 64, 0)                            \
    X(ldr_w_u, "ldr %w[d], [%[b], #12]", 12, 12, 0, 4, 0, 32, 0)                              \
    X(ldr_w_max, "ldr %w[d], [%[b], #16380]", 4, 16380, 0, 4, 0, 32, 0)                      \
    X(ldrsw_u, "ldrsw %x[d], [%[b], #4]", 4, 4, 0, 4, 1, 64, 0)                               \
    X(ldrsw_u2, "ldrsw %x[d], [%[b], #8]", 8, 8, 0, 4, 1, 64, 0)                              \
    X(ldr_x_u, "ldr %x[d], [%[b], #16]", 16, 16, 0, 8, 0, 64, 0)                              \
    X(ldr_x_max, "ldr %x[d], [%[b], #32760]", 8, 32760, 0, 8, 0, 64, 0)                       \
    /* unscaled */                                                                            \
    X(ldurb, "ldurb %w[d], [%[b], #-1]", -1, -1, 0, 1, 0, 32, 0)                              \
    X(ldursb_x, "ldursb %x[d], [%[b], #-255]", -255, -255, 0, 1, 1, 64, 0)                    \
    X(ldurh, "ldurh %w[d], [%[b], #-256]", -256, -256, 0, 2, 0, 32, 0)                        \
    X(ldursh_w, "ldursh %w[d], [%[b], #254]", 254, 254, 0, 2, 1, 32, 0)                       \
    X(ldur_w, "ldur %w[d], [%[b], #-4]", -4, -4, 0, 4, 0, 32, 0)                              \
    X(ldursw, "ldursw %x[d], [%[b], #252]", 252, 252, 0, 4, 1, 64, 0)                         \
    X(ldur_x, "ldur %x[d], [%[b], #-8]", -8, -8, 0, 8, 0, 64, 0)                              \
    /* pre-index: address = base + imm, base updated */                                       \
    X(ldrb_pre, "ldrb %w[d], [%[b], #255]!", 255, 255, 255, 1, 0, 32, 0)                      \
    X(ldrsh_pre, "ldrsh %x[d], [%[b], #-2]!", -2, -2, -2, 2, 1, 64, 0)                        \
    X(ldr_w_pre, "ldr %w[d], [%[b], #-256]!", -256, -256, -256, 4, 0, 32, 0)                  \
    X(ldr_x_pre, "ldr %x[d], [%[b], #248]!", 248, 248, 248, 8, 0, 64, 0)                      \
    /* post-index: address = base, base += imm */                                             \
    X(ldrsb_post, "ldrsb %w[d], [%[b]], #-256", 7, 0, -256, 1, 1, 32, 0)                      \
    X(ldrh_post, "ldrh %w[d], [%[b]], #2", 8, 0, 2, 2, 0, 32, 0)                              \
    X(ldrsw_post, "ldrsw %x[d], [%[b]], #-4", 12, 0, -4, 4, 1, 64, 0)                         \
    X(ldr_x_post, "ldr %x[d], [%[b]], #255", 24, 0, 255, 8, 0, 64, 0)                         \
    X(ldr_wzr_post, "ldr wzr, [%[b]], #16", 0, 0, 16, 4, 0, 32, 0)                            \
    /* register offset, every extend; W index registers carry garbage in bits 63:32 */        \
    X(ldrb_reg, "ldrb %w[d], [%[b], %x[i]]", 3, 3, 0, 1, 0, 32, 3)                            \
    X(ldrb_reg_lsl0, "ldrb %w[d], [%[b], %x[i], lsl #0]", -3, -3, 0, 1, 0, 32, -3)            \
    X(ldrsb_uxtw, "ldrsb %x[d], [%[b], %w[i], uxtw]", 9, 9, 0, 1, 1, 64, 0xdead000000000009)  \
    X(ldrb_sxtw, "ldrb %w[d], [%[b], %w[i], sxtw]", -9, -9, 0, 1, 0, 32, 0x12345678fffffff7)  \
    X(ldrb_sxtx, "ldrb %w[d], [%[b], %x[i], sxtx #0]", -2, -2, 0, 1, 0, 32, -2)               \
    X(ldrh_lsl1, "ldrh %w[d], [%[b], %x[i], lsl #1]", -6, -6, 0, 2, 0, 32, -3)                \
    X(ldrsh_uxtw1, "ldrsh %w[d], [%[b], %w[i], uxtw #1]", 6, 6, 0, 2, 1, 32, 0xffffffff00000003) \
    X(ldrh_sxtw1, "ldrh %w[d], [%[b], %w[i], sxtw #1]", -8, -8, 0, 2, 0, 32, 0x00000001fffffffc) \
    X(ldrh_uxtw0, "ldrh %w[d], [%[b], %w[i], uxtw]", 10, 10, 0, 2, 0, 32, 0x800000000000000a) \
    X(ldr_w_lsl2, "ldr %w[d], [%[b], %x[i], lsl #2]", 20, 20, 0, 4, 0, 32, 5)                 \
    X(ldrsw_sxtw2, "ldrsw %x[d], [%[b], %w[i], sxtw #2]", -20, -20, 0, 4, 1, 64, 0xfffffffb)  \
    X(ldr_w_sxtx, "ldr %w[d], [%[b], %x[i], sxtx]", -12, -12, 0, 4, 0, 32, -12)               \
    X(ldr_x_lsl3, "ldr %x[d], [%[b], %x[i], lsl #3]", -24, -24, 0, 8, 0, 64, -3)              \
    X(ldr_x_uxtw3, "ldr %x[d], [%[b], %w[i], uxtw #3]", 32, 32, 0, 8, 0, 64, 0x7777777700000004) \
    X(ldr_x_sxtw, "ldr %x[d], [%[b], %w[i], sxtw]", -32, -32, 0, 8, 0, 64, 0xffffffe0)        \
    X(ldr_x_sxtx3, "ldr %x[d], [%[b], %x[i], sxtx #3]", 40, 40, 0, 8, 0, 64, 5)
LOADS(DEF_LOAD)

struct load_case {
    const char *insn;
    load_fn fn;
    int at, disp, wb;
    unsigned size;
    bool sign;
    unsigned bits;
    uint64_t index;
};
#define LOAD_ENTRY(id, insn, at, disp, wb, size, sign, bits, index) \
    { insn, id, at, disp, wb, size, sign, bits, (uint64_t)(index) },
static const struct load_case loads[] = { LOADS(LOAD_ENTRY) };

static void test_loads(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(loads); i++) {
        const struct load_case *c = &loads[i];
        uint64_t base0 = (uint64_t)(buf + MID + c->at - c->disp), base = base0;
        uint64_t d = c->fn(&base, c->index);
        bool to_zr = c->fn == ldr_wzr_post;
        printf("%-38s -> %016lx wb %+ld\n", c->insn, d, (int64_t)(base - base0));
        CHECK_EQ(c->insn, d, to_zr ? D_MARKER : load_model(c->at, c->size, c->sign, c->bits));
        CHECK_EQ(c->insn, base - base0, (uint64_t)(int64_t)c->wb);
    }
}

/* ---- single stores ---- */
typedef void (*store_fn)(uint64_t *base, uint64_t index, uint64_t value);
#define DEF_STORE(id, insn, ...)                                                   \
    static void id(uint64_t *base, uint64_t index, uint64_t value)             \
    {                                                                          \
        asm volatile(insn : [b] "+&r"(*base) : [i] "r"(index), [v] "r"(value)  \
                     : "memory");                                              \
    }

/* X(id, insn, at, disp, wb, size, index) */
#define STORES(X)                                                                       \
    X(strb_u, "strb %w[v], [%[b], #3]", 3, 3, 0, 1, 0)                                  \
    X(strh_u, "strh %w[v], [%[b], #4094]", 6, 4094, 0, 2, 0)                            \
    X(str_w_u, "str %w[v], [%[b], #8]", 8, 8, 0, 4, 0)                                  \
    X(str_x_u, "str %x[v], [%[b], #32760]", 16, 32760, 0, 8, 0)                         \
    X(sturb, "sturb %w[v], [%[b], #-1]", -1, -1, 0, 1, 0)                               \
    X(sturh, "sturh %w[v], [%[b], #-256]", -256, -256, 0, 2, 0)                         \
    X(stur_w, "stur %w[v], [%[b], #252]", 252, 252, 0, 4, 0)                            \
    X(stur_x, "stur %x[v], [%[b], #-16]", -16, -16, 0, 8, 0)                            \
    X(strb_pre, "strb %w[v], [%[b], #-255]!", -255, -255, -255, 1, 0)                   \
    X(str_x_pre, "str %x[v], [%[b], #64]!", 64, 64, 64, 8, 0)                           \
    X(strh_post, "strh %w[v], [%[b]], #-2", 18, 0, -2, 2, 0)                            \
    X(str_w_post, "str %w[v], [%[b]], #255", 20, 0, 255, 4, 0)                          \
    X(strb_sxtw, "strb %w[v], [%[b], %w[i], sxtw]", -5, -5, 0, 1, 0xaaaaaaaafffffffb)   \
    X(strh_uxtw1, "strh %w[v], [%[b], %w[i], uxtw #1]", 30, 30, 0, 2, 0x500000000f)     \
    X(str_w_lsl2, "str %w[v], [%[b], %x[i], lsl #2]", -28, -28, 0, 4, -7)               \
    X(str_x_sxtx3, "str %x[v], [%[b], %x[i], sxtx #3]", -48, -48, 0, 8, -6)             \
    X(str_x_uxtw, "str %x[v], [%[b], %w[i], uxtw]", 48, 48, 0, 8, 0xffffffff00000030)   \
    X(str_xzr, "str xzr, [%[b], #56]", 56, 56, 0, 8, 0)
STORES(DEF_STORE)

struct store_case {
    const char *insn;
    store_fn fn;
    int at, disp, wb;
    unsigned size;
    uint64_t index;
};
#define STORE_ENTRY(id, insn, at, disp, wb, size, index) \
    { insn, id, at, disp, wb, size, (uint64_t)(index) },
static const struct store_case stores[] = { STORES(STORE_ENTRY) };

static void test_stores(void)
{
    const uint64_t value = 0x8877665544332211;

    for (size_t i = 0; i < ARRAY_SIZE(stores); i++) {
        const struct store_case *c = &stores[i];
        uint64_t base0 = (uint64_t)(buf + MID + c->at - c->disp), base = base0;
        uint64_t stored = c->fn == str_xzr ? 0 : value;
        bool ok = true;

        fill_buf();
        c->fn(&base, c->index, value);
        /* The stored bytes, and untouched neighbours on both sides. */
        printf("%-36s wb %+ld:", c->insn, (int64_t)(base - base0));
        for (int j = -2; j < (int)c->size + 2; j++) {
            uint8_t want = (uint8_t)((MID + c->at + j) * 0x3b + 0x81);
            if (j >= 0 && j < (int)c->size)
                want = (uint8_t)(stored >> (8 * j));
            printf(" %02x", buf[MID + c->at + j]);
            ok &= buf[MID + c->at + j] == want;
        }
        printf("\n");
        if (!ok) {
            printf("FAIL %s: wrong bytes in memory\n", c->insn);
            rt_failures++;
        }
        CHECK_EQ(c->insn, base - base0, (uint64_t)(int64_t)c->wb);
    }
    fill_buf();
}

/* Rt == Rn without writeback is allowed: the load replaces the base, the store writes it. */
static void test_base_overlap(void)
{
    uint64_t r = (uint64_t)(buf + MID);

    asm volatile("ldr %0, [%0]" : "+r"(r) : : "memory");
    printf("ldr x, [x] -> %016lx\n", r);
    CHECK_EQ("ldr x, [x]", r, load_model(0, 8, false, 64));
    r = (uint64_t)(buf + MID);
    asm volatile("str %0, [%0, #8]" : : "r"(r) : "memory");
    CHECK_EQ("str x, [x, #8]", *(volatile uint64_t *)(buf + MID + 8), (uint64_t)(buf + MID));
    fill_buf();
}

/* SP as the base: push/pop with writeback. */
static void test_sp_base(void)
{
    uint64_t sp0, sp1, sp2, popped;

    asm volatile("mov %[sp0], sp\n\t"
                 "str %[v], [sp, #-16]!\n\t"
                 "mov %[sp1], sp\n\t"
                 "ldr %[p], [sp], #16\n\t"
                 "mov %[sp2], sp"
                 : [sp0] "=&r"(sp0), [sp1] "=&r"(sp1), [sp2] "=&r"(sp2), [p] "=&r"(popped)
                 : [v] "r"(0xfeedfacecafebeef)
                 : "memory");
    printf("push/pop via sp: %016lx sp %+ld %+ld\n", popped, (int64_t)(sp1 - sp0),
           (int64_t)(sp2 - sp0));
    CHECK_EQ("sp pop", popped, 0xfeedfacecafebeef);
    CHECK_EQ("sp pre-index", sp0 - sp1, 16);
    CHECK_EQ("sp post-index", sp2, sp0);
}

/* ---- literals ---- */
static void test_literals(void)
{
    uint64_t x, w, sw, sw_pos;

    asm volatile("ldr %x[x], 1f\n\t"
                 "ldr %w[w], 2f\n\t"
                 "ldrsw %x[sw], 2f\n\t"
                 "ldrsw %x[swp], 3f\n\t"
                 "prfm pldl1keep, 1f\n\t"
                 "b 4f\n\t"
                 ".balign 8\n"
                 "1: .quad 0x8123456789abcdef\n"
                 "2: .word 0x87654321\n"
                 "3: .word 0x12345678\n"
                 "4:"
                 : [x] "=&r"(x), [w] "=&r"(w), [sw] "=&r"(sw), [swp] "=&r"(sw_pos));
    printf("literals: %016lx %016lx %016lx %016lx\n", x, w, sw, sw_pos);
    CHECK_EQ("ldr x literal", x, 0x8123456789abcdef);
    CHECK_EQ("ldr w literal", w, 0x87654321);
    CHECK_EQ("ldrsw literal", sw, 0xffffffff87654321);
    CHECK_EQ("ldrsw literal positive", sw_pos, 0x12345678);
}

/* ---- pairs ---- */
typedef void (*pair_fn)(uint64_t *base, uint64_t *d1, uint64_t *d2);
#define DEF_PAIR(id, insn, ...)                                                          \
    static void id(uint64_t *base, uint64_t *d1, uint64_t *d2)                       \
    {                                                                                \
        uint64_t a = *d1, b = *d2;                                                   \
        asm volatile(insn : [d1] "+&r"(a), [d2] "+&r"(b), [b] "+&r"(*base) : : "memory"); \
        *d1 = a;                                                                     \
        *d2 = b;                                                                     \
    }

/* X(id, insn, at, disp, wb, element size, load?, signed, dest bits) */
#define PAIRS(X)                                                                        \
    X(ldp_w, "ldp %w[d1], %w[d2], [%[b], #252]", 0, 252, 0, 4, 1, 0, 32)                 \
    X(ldp_w_min, "ldp %w[d1], %w[d2], [%[b], #-256]", 8, -256, 0, 4, 1, 0, 32)           \
    X(ldp_x, "ldp %x[d1], %x[d2], [%[b], #504]", 16, 504, 0, 8, 1, 0, 64)                \
    X(ldp_x_pre, "ldp %x[d1], %x[d2], [%[b], #-512]!", -64, -512, -512, 8, 1, 0, 64)     \
    X(ldp_w_post, "ldp %w[d1], %w[d2], [%[b]], #-8", 24, 0, -8, 4, 1, 0, 32)             \
    X(ldpsw, "ldpsw %x[d1], %x[d2], [%[b], #-4]", -4, -4, 0, 4, 1, 1, 64)                \
    X(ldpsw_pre, "ldpsw %x[d1], %x[d2], [%[b], #8]!", 32, 8, 8, 4, 1, 1, 64)            \
    X(ldpsw_post, "ldpsw %x[d1], %x[d2], [%[b]], #252", 40, 0, 252, 4, 1, 1, 64)         \
    X(ldnp_w, "ldnp %w[d1], %w[d2], [%[b], #-4]", 44, -4, 0, 4, 1, 0, 32)                \
    X(ldnp_x, "ldnp %x[d1], %x[d2], [%[b], #496]", 48, 496, 0, 8, 1, 0, 64)              \
    X(stp_w, "stp %w[d1], %w[d2], [%[b], #-256]", -8, -256, 0, 4, 0, 0, 32)              \
    X(stp_x_pre, "stp %x[d1], %x[d2], [%[b], #-16]!", -32, -16, -16, 8, 0, 0, 64)        \
    X(stp_x_post, "stp %x[d1], %x[d2], [%[b]], #504", 64, 0, 504, 8, 0, 0, 64)           \
    X(stp_w_pre, "stp %w[d1], %w[d2], [%[b], #248]!", 80, 248, 248, 4, 0, 0, 32)         \
    X(stnp_w, "stnp %w[d1], %w[d2], [%[b], #4]", 88, 4, 0, 4, 0, 0, 32)                  \
    X(stnp_x, "stnp %x[d1], %x[d2], [%[b], #-512]", 96, -512, 0, 8, 0, 0, 64)
PAIRS(DEF_PAIR)

struct pair_case {
    const char *insn;
    pair_fn fn;
    int at, disp, wb;
    unsigned size;
    bool load, sign;
    unsigned bits;
};
#define PAIR_ENTRY(id, insn, at, disp, wb, size, load, sign, bits) \
    { insn, id, at, disp, wb, size, load, sign, bits },
static const struct pair_case pairs[] = { PAIRS(PAIR_ENTRY) };

static void test_pairs(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(pairs); i++) {
        const struct pair_case *c = &pairs[i];
        uint64_t base0 = (uint64_t)(buf + MID + c->at - c->disp), base = base0;
        uint64_t d1 = 0x1111111122222222, d2 = 0x3333333344444444;
        uint64_t v1 = d1, v2 = d2;

        c->fn(&base, &d1, &d2);
        if (c->load) {
            printf("%-40s -> %016lx %016lx wb %+ld\n", c->insn, d1, d2, (int64_t)(base - base0));
            v1 = load_model(c->at, c->size, c->sign, c->bits);
            v2 = load_model(c->at + (int)c->size, c->size, c->sign, c->bits);
            CHECK_EQ(c->insn, d1, v1);
            CHECK_EQ(c->insn, d2, v2);
        } else {
            uint64_t m1 = load_model(c->at, c->size, false, 64);
            uint64_t m2 = load_model(c->at + (int)c->size, c->size, false, 64);
            uint64_t mask = c->size == 8 ? ~0ul : 0xffffffff;
            printf("%-40s -> mem %016lx %016lx wb %+ld\n", c->insn, m1, m2, (int64_t)(base - base0));
            CHECK_EQ(c->insn, m1, v1 & mask);
            CHECK_EQ(c->insn, m2, v2 & mask);
            fill_buf();
        }
        CHECK_EQ(c->insn, base - base0, (uint64_t)(int64_t)c->wb);
    }
}

/* ---- LDTR/STTR: at EL1 they access memory as EL0 would (MMU off: same result) ---- */
static uint64_t unprivileged_accesses(uint64_t print)
{
    uint8_t *p = buf + MID;
    uint64_t x, w, b, h, sb, sh, sw;
    /* The stores below overwrite some of the loaded bytes: model first. */
    uint64_t want_x = load_model(-8, 8, false, 64), want_sb = load_model(1, 1, true, 64);
    uint64_t want_sw = load_model(12, 4, true, 64);

    asm volatile("ldtr %x[x], [%[p], #-8]\n\t"
                 "ldtr %w[w], [%[p], #4]\n\t"
                 "ldtrb %w[b], [%[p], #255]\n\t"
                 "ldtrh %w[h], [%[p], #-256]\n\t"
                 "ldtrsb %x[sb], [%[p], #1]\n\t"
                 "ldtrsh %w[sh], [%[p], #2]\n\t"
                 "ldtrsw %x[sw], [%[p], #12]\n\t"
                 "sttr %x[v], [%[p], #16]\n\t"
                 "sttr %w[v], [%[p], #28]\n\t"
                 "sttrb %w[v], [%[p], #-1]\n\t"
                 "sttrh %w[v], [%[p], #-4]"
                 : [x] "=&r"(x), [w] "=&r"(w), [b] "=&r"(b), [h] "=&r"(h), [sb] "=&r"(sb),
                   [sh] "=&r"(sh), [sw] "=&r"(sw)
                 : [p] "r"(p), [v] "r"(0xa1b2c3d4e5f60718)
                 : "memory");
    if (print) {
        printf("ldtr: %016lx %016lx %016lx %016lx %016lx %016lx %016lx\n", x, w, b, h, sb, sh, sw);
        printf("sttr: %016lx %016lx %016lx\n", *(volatile uint64_t *)(p + 16),
               *(volatile uint64_t *)(p + 24), *(volatile uint64_t *)(p - 8));
    }
    CHECK_EQ("ldtr x", x, want_x);
    CHECK_EQ("ldtrsb", sb, want_sb);
    CHECK_EQ("ldtrsw", sw, want_sw);
    CHECK_EQ("sttr x", *(volatile uint64_t *)(p + 16), 0xa1b2c3d4e5f60718);
    fill_buf();
    return x ^ w ^ b ^ h ^ sb ^ sh ^ sw;
}

static void test_unprivileged(void)
{
    uint64_t here = unprivileged_accesses(1);

    /* Same accesses from the lower ELs must see the same memory. */
    if (rt_start_el == 2)
        CHECK_EQ("ldtr at EL1", run_at_el1(unprivileged_accesses, 0), here);
    CHECK_EQ("ldtr at EL0", run_at_el0(unprivileged_accesses, 0), here);
}

/* ---- PRFM never faults and has no architectural effect ---- */
static void test_prefetch(void)
{
    uint64_t before = load_model(0, 8, false, 64), after;

    asm volatile("prfm pldl1keep, [%[p]]\n\t"
                 "prfm pstl2strm, [%[p], #32760]\n\t"
                 "prfm plil3keep, [%[p], %[i], lsl #3]\n\t"
                 "prfum pldl1strm, [%[p], #-1]\n\t"   /* misaligned: still no fault */
                 "prfm #0x1f, [%[p]]\n\t"             /* unallocated prfop: a NOP */
                 "prfm pldl1keep, [%[far]]\n\t"       /* nothing mapped there */
                 :
                 : [p] "r"(buf + MID), [i] "r"(-4l), [far] "r"(0x100000000ul)
                 : "memory");
    after = *(volatile uint64_t *)(buf + MID);
    printf("prfm: memory unchanged %d\n", before == after);
    CHECK_EQ("prfm", after, before);
}

/* ---- exclusives ---- */
static void test_exclusives(void)
{
    volatile uint64_t *p = (volatile uint64_t *)(buf + MID);
    uint64_t old = *p, v, v2, status;

    /* No preceding LDXR (after CLREX the monitor is open): must fail, no store. */
    asm volatile("clrex\n\tstxr %w[s], %x[v], [%[p]]"
                 : [s] "=&r"(status) : [v] "r"(0x1234ul), [p] "r"(p) : "memory");
    printf("stxr without ldxr: status %lu mem %016lx\n", status, *p);
    CHECK_EQ("stxr without ldxr", status, 1);
    CHECK_EQ("failed stxr stores nothing", *p, old);

    /* LDXR then STXR, nothing in between: succeeds. */
    asm volatile("ldxr %x[v], [%[p]]\n\tadd %x[v], %x[v], #1\n\tstxr %w[s], %x[v], [%[p]]"
                 : [v] "=&r"(v), [s] "=&r"(status) : [p] "r"(p) : "memory");
    printf("ldxr/stxr x: status %lu mem %016lx\n", status, *p);
    CHECK_EQ("ldxr/stxr status", status, 0);
    CHECK_EQ("ldxr/stxr value", *p, old + 1);

    /* CLREX between them: fails. */
    asm volatile("ldxr %x[v], [%[p]]\n\tclrex\n\tstxr %w[s], xzr, [%[p]]"
                 : [v] "=&r"(v), [s] "=&r"(status) : [p] "r"(p) : "memory");
    printf("ldxr/clrex/stxr: status %lu\n", status);
    CHECK_EQ("clrex makes stxr fail", status, 1);

    /* Byte, halfword, word sizes, with acquire/release. */
    asm volatile("ldaxrb %w[v], [%[p]]\n\tstlxrb %w[s], %w[n], [%[p]]"
                 : [v] "=&r"(v), [s] "=&r"(status) : [p] "r"(buf + MID + 3), [n] "r"(0x1ff)
                 : "memory");
    printf("ldaxrb/stlxrb: old %lx status %lu new %02x\n", v, status, buf[MID + 3]);
    CHECK_EQ("stlxrb", buf[MID + 3], 0xff);
    asm volatile("ldxrh %w[v], [%[p]]\n\tstxrh %w[s], %w[n], [%[p]]"
                 : [v] "=&r"(v), [s] "=&r"(status) : [p] "r"(buf + MID + 6), [n] "r"(0x12345)
                 : "memory");
    printf("ldxrh/stxrh: old %lx status %lu new %04x\n", v, status,
           *(volatile uint16_t *)(buf + MID + 6));
    CHECK_EQ("stxrh", *(volatile uint16_t *)(buf + MID + 6), 0x2345);
    asm volatile("ldaxr %w[v], [%[p]]\n\tstxr %w[s], %w[n], [%[p]]"
                 : [v] "=&r"(v), [s] "=&r"(status) : [p] "r"(buf + MID + 12), [n] "r"(0xdeadbeef)
                 : "memory");
    printf("ldaxr/stxr w: old %lx status %lu\n", v, status);

    /* Pairs: W pair on 8-byte alignment, X pair on 16. */
    asm volatile("ldxp %w[v], %w[v2], [%[p]]\n\tstxp %w[s], %w[v2], %w[v], [%[p]]"
                 : [v] "=&r"(v), [v2] "=&r"(v2), [s] "=&r"(status) : [p] "r"(buf + MID + 24)
                 : "memory");
    printf("ldxp/stxp w: %lx %lx status %lu mem %016lx\n", v, v2, status,
           *(volatile uint64_t *)(buf + MID + 24));
    CHECK_EQ("stxp w swaps halves", *(volatile uint64_t *)(buf + MID + 24), v2 | v << 32);
    asm volatile("ldaxp %x[v], %x[v2], [%[p]]\n\tstlxp %w[s], %x[v2], %x[v], [%[p]]"
                 : [v] "=&r"(v), [v2] "=&r"(v2), [s] "=&r"(status) : [p] "r"(buf + MID + 32)
                 : "memory");
    printf("ldaxp/stlxp x: %lx %lx status %lu\n", v, v2, status);
    CHECK_EQ("stlxp x", *(volatile uint64_t *)(buf + MID + 32), v2);
    asm volatile("clrex\n\tstxp %w[s], xzr, xzr, [%[p]]"
                 : [s] "=&r"(status) : [p] "r"(buf + MID + 32) : "memory");
    CHECK_EQ("stxp without ldxp", status, 1);
    fill_buf();
}

/* ---- load-acquire / store-release (no LDAPR: cortex-a72 lacks FEAT_LRCPC) and barriers ---- */
static void test_acquire_release(void)
{
    uint64_t x, w, h, b;

    asm volatile("stlr %x[v], [%[p]]\n\t"
                 "stlr %w[v], [%[q]]\n\t"
                 "stlrh %w[v], [%[r]]\n\t"
                 "stlrb %w[v], [%[s]]\n\t"
                 "dmb ish\n\tdmb oshld\n\tdmb ishst\n\tdsb sy\n\tdsb nsh\n\tisb\n\t"
                 "ldar %x[x], [%[p]]\n\t"
                 "ldar %w[w], [%[q]]\n\t"
                 "ldarh %w[h], [%[p]]\n\t"
                 "ldarb %w[b], [%[q]]"
                 : [x] "=&r"(x), [w] "=&r"(w), [h] "=&r"(h), [b] "=&r"(b)
                 : [v] "r"(0xf1e2d3c4b5a69788), [p] "r"(buf + MID), [q] "r"(buf + MID + 8),
                   [r] "r"(buf + MID + 16), [s] "r"(buf + MID + 24)
                 : "memory");
    printf("ldar/stlr: %016lx %016lx %016lx %016lx\n", x, w, h, b);
    CHECK_EQ("ldar x", x, 0xf1e2d3c4b5a69788);
    CHECK_EQ("ldar w", w, 0xb5a69788);
    CHECK_EQ("ldarh", h, 0x9788);
    CHECK_EQ("ldarb", b, 0x88);
    CHECK_EQ("stlrh", load_model(16, 2, false, 64), 0x9788);
    CHECK_EQ("stlrb", load_model(24, 1, false, 64), 0x88);
    fill_buf();
}

int main(void)
{
    fill_buf();
    test_loads();
    test_stores();
    test_base_overlap();
    test_sp_base();
    test_literals();
    test_pairs();
    test_unprivileged();
    test_prefetch();
    test_exclusives();
    test_acquire_release();
    return 0;
}
