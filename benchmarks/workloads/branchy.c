/*
 * Branchy work: a small register-machine interpreter that dispatches every
 * bytecode instruction through a table of function pointers (an indirect
 * call and return per guest bytecode) running programs whose branches
 * depend on the data (Collatz sequences, Euclid's GCD of random pairs), and
 * a switch-driven lexer state machine over generated source text (jump
 * tables: indirect branches on every character).
 */
#include "bench.h"

#define NAME "branchy"
#define COLLATZ_LIMIT BENCH_SIZE(60000, 500)
#define GCD_PAIRS     BENCH_SIZE(300000, 1000)
#define TEXT_BYTES    BENCH_SIZE(1 * MiB, 8 * KiB)
#define LEX_PASSES    BENCH_SIZE(8, 1)

/* ---- the bytecode machine ---- */

enum op {
    OP_LI,   /* r[d] = imm */
    OP_MOV,  /* r[d] = r[s] */
    OP_ADD,  /* r[d] = r[s] + r[t] */
    OP_ADDI, /* r[d] = r[s] + imm */
    OP_MULI, /* r[d] = r[s] * imm */
    OP_XOR,  /* r[d] = r[s] ^ r[t] */
    OP_ANDI, /* r[d] = r[s] & imm */
    OP_SHRI, /* r[d] = r[s] >> imm */
    OP_REMU, /* r[d] = r[s] % r[t] (r[t] != 0) */
    OP_RAND, /* r[d] = next LCG value | 1 */
    OP_BEQI, /* if r[s] == imm goto d */
    OP_BZ,   /* if r[s] == 0 goto d */
    OP_BNZ,  /* if r[s] != 0 goto d */
    OP_BLT,  /* if r[s] < r[t] goto d */
    OP_JMP,  /* goto d */
    OP_CALL, /* push pc, goto d */
    OP_RET,  /* pop pc */
    OP_HALT,
    OP_COUNT
};

struct insn {
    uint8_t op, d, s, t;
    int32_t imm;
};

#define VM_STACK 16

struct vm {
    uint64_t r[8];
    const struct insn *code;
    uint32_t pc;
    uint32_t sp;
    bool halted;
    struct lcg rng;
    uint32_t stack[VM_STACK];
    uint64_t executed;
};

typedef void (*handler_fn)(struct vm *vm, const struct insn *in);

static void op_li(struct vm *vm, const struct insn *in) { vm->r[in->d] = (uint64_t)(int64_t)in->imm; }
static void op_mov(struct vm *vm, const struct insn *in) { vm->r[in->d] = vm->r[in->s]; }
static void op_add(struct vm *vm, const struct insn *in) { vm->r[in->d] = vm->r[in->s] + vm->r[in->t]; }
static void op_addi(struct vm *vm, const struct insn *in) { vm->r[in->d] = vm->r[in->s] + (uint64_t)(int64_t)in->imm; }
static void op_muli(struct vm *vm, const struct insn *in) { vm->r[in->d] = vm->r[in->s] * (uint64_t)(int64_t)in->imm; }
static void op_xor(struct vm *vm, const struct insn *in) { vm->r[in->d] = vm->r[in->s] ^ vm->r[in->t]; }
static void op_andi(struct vm *vm, const struct insn *in) { vm->r[in->d] = vm->r[in->s] & (uint64_t)(int64_t)in->imm; }
static void op_shri(struct vm *vm, const struct insn *in) { vm->r[in->d] = vm->r[in->s] >> (in->imm & 63); }
static void op_remu(struct vm *vm, const struct insn *in) { vm->r[in->d] = vm->r[in->s] % vm->r[in->t]; }
static void op_rand(struct vm *vm, const struct insn *in) { vm->r[in->d] = lcg_next(&vm->rng) | 1; }

static void op_beqi(struct vm *vm, const struct insn *in)
{
    if (vm->r[in->s] == (uint64_t)(int64_t)in->imm)
        vm->pc = in->d;
}
static void op_bz(struct vm *vm, const struct insn *in)
{
    if (vm->r[in->s] == 0)
        vm->pc = in->d;
}
static void op_bnz(struct vm *vm, const struct insn *in)
{
    if (vm->r[in->s] != 0)
        vm->pc = in->d;
}
static void op_blt(struct vm *vm, const struct insn *in)
{
    if (vm->r[in->s] < vm->r[in->t])
        vm->pc = in->d;
}
static void op_jmp(struct vm *vm, const struct insn *in) { vm->pc = in->d; }

static void op_call(struct vm *vm, const struct insn *in)
{
    if (vm->sp == VM_STACK) {
        bench_fail(NAME, "bytecode stack overflow");
        vm->halted = true;
        return;
    }
    vm->stack[vm->sp++] = vm->pc;
    vm->pc = in->d;
}
static void op_ret(struct vm *vm, const struct insn *in)
{
    (void)in;
    if (vm->sp == 0) {
        bench_fail(NAME, "bytecode stack underflow");
        vm->halted = true;
        return;
    }
    vm->pc = vm->stack[--vm->sp];
}
static void op_halt(struct vm *vm, const struct insn *in)
{
    (void)in;
    vm->halted = true;
}

static const handler_fn handlers[OP_COUNT] = {
    [OP_LI] = op_li,     [OP_MOV] = op_mov,   [OP_ADD] = op_add,   [OP_ADDI] = op_addi,
    [OP_MULI] = op_muli, [OP_XOR] = op_xor,   [OP_ANDI] = op_andi, [OP_SHRI] = op_shri,
    [OP_REMU] = op_remu, [OP_RAND] = op_rand, [OP_BEQI] = op_beqi, [OP_BZ] = op_bz,
    [OP_BNZ] = op_bnz,   [OP_BLT] = op_blt,   [OP_JMP] = op_jmp,   [OP_CALL] = op_call,
    [OP_RET] = op_ret,   [OP_HALT] = op_halt,
};

static uint64_t vm_run(const struct insn *code, uint64_t seed, uint64_t *executed)
{
    struct vm vm = {.code = code, .rng = {seed}};
    uint64_t n = 0;
    while (!vm.halted) {
        const struct insn *in = &vm.code[vm.pc++];
        handlers[in->op](&vm, in);
        n++;
    }
    *executed = n;
    return vm.r[4];
}

#define I(op_, d_, s_, t_, imm_) {.op = (op_), .d = (d_), .s = (s_), .t = (t_), .imm = (imm_)}

/* r4 = hash of the Collatz step counts of 1..COLLATZ_LIMIT-1. */
enum { C_LOOP = 3, C_SUB = 11, C_STEP = 12, C_EVEN = 19, C_DONE = 22 };
static const struct insn collatz_program[] = {
    /* 0 */ I(OP_LI, 1, 0, 0, 1),                   /* i = 1 */
    /* 1 */ I(OP_LI, 5, 0, 0, COLLATZ_LIMIT),
    /* 2 */ I(OP_LI, 4, 0, 0, 0),                   /* acc */
    /* 3 C_LOOP */ I(OP_MOV, 2, 1, 0, 0),
    /* 4 */ I(OP_CALL, C_SUB, 0, 0, 0),             /* r3 = steps(r2) */
    /* 5 */ I(OP_ADD, 4, 4, 3, 0),
    /* 6 */ I(OP_MULI, 4, 4, 0, 33),
    /* 7 */ I(OP_XOR, 4, 4, 3, 0),
    /* 8 */ I(OP_ADDI, 1, 1, 0, 1),
    /* 9 */ I(OP_BLT, C_LOOP, 1, 5, 0),
    /* 10 */ I(OP_HALT, 0, 0, 0, 0),
    /* 11 C_SUB */ I(OP_LI, 3, 0, 0, 0),
    /* 12 C_STEP */ I(OP_BEQI, C_DONE, 2, 0, 1),
    /* 13 */ I(OP_ANDI, 6, 2, 0, 1),
    /* 14 */ I(OP_BZ, C_EVEN, 6, 0, 0),
    /* 15 */ I(OP_MULI, 2, 2, 0, 3),
    /* 16 */ I(OP_ADDI, 2, 2, 0, 1),
    /* 17 */ I(OP_ADDI, 3, 3, 0, 1),
    /* 18 */ I(OP_JMP, C_STEP, 0, 0, 0),
    /* 19 C_EVEN */ I(OP_SHRI, 2, 2, 0, 1),
    /* 20 */ I(OP_ADDI, 3, 3, 0, 1),
    /* 21 */ I(OP_JMP, C_STEP, 0, 0, 0),
    /* 22 C_DONE */ I(OP_RET, 0, 0, 0, 0),
};

/* r4 = hash of gcd(a, b) for GCD_PAIRS random odd pairs (Euclid, remainders). */
enum { G_LOOP = 3, G_EUCLID = 11, G_DONE = 16 };
static const struct insn gcd_program[] = {
    /* 0 */ I(OP_LI, 1, 0, 0, 0),                   /* k */
    /* 1 */ I(OP_LI, 5, 0, 0, GCD_PAIRS),
    /* 2 */ I(OP_LI, 4, 0, 0, 0),
    /* 3 G_LOOP */ I(OP_RAND, 2, 0, 0, 0),
    /* 4 */ I(OP_RAND, 3, 0, 0, 0),
    /* 5 */ I(OP_CALL, G_EUCLID, 0, 0, 0),          /* r2 = gcd(r2, r3) */
    /* 6 */ I(OP_MULI, 4, 4, 0, 31),
    /* 7 */ I(OP_ADD, 4, 4, 2, 0),
    /* 8 */ I(OP_ADDI, 1, 1, 0, 1),
    /* 9 */ I(OP_BLT, G_LOOP, 1, 5, 0),
    /* 10 */ I(OP_HALT, 0, 0, 0, 0),
    /* 11 G_EUCLID */ I(OP_BZ, G_DONE, 3, 0, 0),
    /* 12 */ I(OP_REMU, 6, 2, 3, 0),
    /* 13 */ I(OP_MOV, 2, 3, 0, 0),
    /* 14 */ I(OP_MOV, 3, 6, 0, 0),
    /* 15 */ I(OP_JMP, G_EUCLID, 0, 0, 0),
    /* 16 G_DONE */ I(OP_RET, 0, 0, 0, 0),
};

/* ---- the lexer state machine ---- */

enum char_class { CC_LETTER, CC_DIGIT, CC_SPACE, CC_NEWLINE, CC_QUOTE, CC_BACKSLASH,
                  CC_SLASH, CC_STAR, CC_OPERATOR, CC_EQUALS, CC_PUNCT };
enum token { T_IDENT, T_NUMBER, T_STRING, T_OPERATOR, T_PUNCT, T_COMMENT, T_COUNT };
enum state { S_START, S_IDENT, S_NUMBER, S_STRING, S_STRING_ESCAPE, S_OPERATOR, S_SLASH,
             S_LINE_COMMENT, S_BLOCK_COMMENT, S_BLOCK_STAR };

/* Weighted alphabet of the generated text. */
static const char alphabet[] =
    "abcdefghijklmnopqrstuvwxyz_abcdeinorst" "0123456789012" "       \n\n"
    "\"\\//**+-<>!&|==;;,.(){}[]";

static uint8_t char_classes[256];

static void init_char_classes(void)
{
    for (int c = 0; c < 256; c++) {
        enum char_class cc = CC_PUNCT;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
            cc = CC_LETTER;
        else if (c >= '0' && c <= '9')
            cc = CC_DIGIT;
        else if (c == ' ' || c == '\t')
            cc = CC_SPACE;
        else if (c == '\n')
            cc = CC_NEWLINE;
        else if (c == '"')
            cc = CC_QUOTE;
        else if (c == '\\')
            cc = CC_BACKSLASH;
        else if (c == '/')
            cc = CC_SLASH;
        else if (c == '*')
            cc = CC_STAR;
        else if (c == '=')
            cc = CC_EQUALS;
        else if (c == '+' || c == '-' || c == '<' || c == '>' || c == '!' || c == '&' || c == '|')
            cc = CC_OPERATOR;
        char_classes[c] = (uint8_t)cc;
    }
}

struct lex_stats {
    uint64_t count[T_COUNT];
    uint64_t hash;
};

static void emit(struct lex_stats *st, enum token t, size_t length)
{
    st->count[t]++;
    st->hash = st->hash * 0x100000001b3ull ^ (length << 3 | t);
}

/* Each character is consumed exactly once; `start` is where the current
 * token began.  Characters that end a token are re-dispatched from S_START
 * by stepping back one. */
static void lex(const uint8_t *text, size_t n, struct lex_stats *st)
{
    enum state s = S_START;
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        enum char_class cc = char_classes[text[i]];
        switch (s) {
        case S_START:
            start = i;
            switch (cc) {
            case CC_LETTER: s = S_IDENT; break;
            case CC_DIGIT: s = S_NUMBER; break;
            case CC_SPACE:
            case CC_NEWLINE: break;
            case CC_QUOTE: s = S_STRING; break;
            case CC_SLASH: s = S_SLASH; break;
            case CC_OPERATOR:
            case CC_EQUALS:
            case CC_STAR: s = S_OPERATOR; break;
            case CC_BACKSLASH:
            case CC_PUNCT: emit(st, T_PUNCT, 1); break;
            }
            break;
        case S_IDENT:
            if (cc != CC_LETTER && cc != CC_DIGIT) {
                emit(st, T_IDENT, i - start);
                s = S_START;
                i--;
            }
            break;
        case S_NUMBER:
            switch (cc) {
            case CC_DIGIT: break;
            case CC_LETTER: s = S_IDENT; break; /* "12ab" lexes as one identifier */
            default:
                emit(st, T_NUMBER, i - start);
                s = S_START;
                i--;
            }
            break;
        case S_STRING:
            switch (cc) {
            case CC_QUOTE: emit(st, T_STRING, i + 1 - start); s = S_START; break;
            case CC_BACKSLASH: s = S_STRING_ESCAPE; break;
            case CC_NEWLINE: emit(st, T_STRING, i - start); s = S_START; break; /* unterminated */
            default: break;
            }
            break;
        case S_STRING_ESCAPE:
            s = S_STRING;
            break;
        case S_OPERATOR:
            if (cc == CC_EQUALS || (cc == CC_OPERATOR && text[i] == text[i - 1])) {
                emit(st, T_OPERATOR, 2); /* "+=", "==", "++", "&&", ... */
                s = S_START;
            } else {
                emit(st, T_OPERATOR, 1);
                s = S_START;
                i--;
            }
            break;
        case S_SLASH:
            switch (cc) {
            case CC_SLASH: s = S_LINE_COMMENT; break;
            case CC_STAR: s = S_BLOCK_COMMENT; break;
            case CC_EQUALS: emit(st, T_OPERATOR, 2); s = S_START; break;
            default: emit(st, T_OPERATOR, 1); s = S_START; i--; break;
            }
            break;
        case S_LINE_COMMENT:
            if (cc == CC_NEWLINE) {
                emit(st, T_COMMENT, i - start);
                s = S_START;
            }
            break;
        case S_BLOCK_COMMENT:
            if (cc == CC_STAR)
                s = S_BLOCK_STAR;
            break;
        case S_BLOCK_STAR:
            switch (cc) {
            case CC_SLASH: emit(st, T_COMMENT, i + 1 - start); s = S_START; break;
            case CC_STAR: break;
            default: s = S_BLOCK_COMMENT; break;
            }
            break;
        }
    }
}

static void generate_text(uint8_t *text, size_t n, uint64_t seed)
{
    struct lcg g = {seed};
    for (size_t i = 0; i < n; i++)
        text[i] = (uint8_t)alphabet[lcg_below(&g, sizeof alphabet - 1)];
}

int main(void)
{
    uint64_t checksum = 0, executed;

    uint64_t collatz = vm_run(collatz_program, 0, &executed);
    bench_report(NAME, "collatz", collatz);
    bench_report(NAME, "collatz-ops", executed);
    checksum = mix64(mix64(checksum, collatz), executed);

    uint64_t gcd = vm_run(gcd_program, 0xfeedface, &executed);
    bench_report(NAME, "gcd", gcd);
    bench_report(NAME, "gcd-ops", executed);
    checksum = mix64(mix64(checksum, gcd), executed);

    init_char_classes();
    uint8_t *text = bench_alloc(TEXT_BYTES);
    struct lex_stats st = {0};
    for (unsigned pass = 0; pass < LEX_PASSES; pass++) {
        generate_text(text, TEXT_BYTES, 0xabcdef + pass);
        lex(text, TEXT_BYTES, &st);
    }
    uint64_t tokens = 0;
    for (int t = 0; t < T_COUNT; t++)
        tokens = mix64(tokens, st.count[t]);
    bench_report(NAME, "tokens", tokens);
    bench_report(NAME, "lex", st.hash);
    checksum = mix64(mix64(checksum, tokens), st.hash);

    bench_checksum(NAME, checksum);
    return rt_failures ? 1 : 0;
}
