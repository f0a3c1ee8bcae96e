/* Structural checks of an IR block: what every engine relies on. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "jit/ir.h"
#include "jit/ir_vec.h"

static bool size_ok(const IRInsn *in)
{
    switch (in->op) {
    case IR_get: case IR_put: case IR_ld: case IR_st:
        return in->size == 1 || in->size == 2 || in->size == 4 || in->size == 8;
    case IR_vec: return in->size == 16;
    default:
        return in->size == 4 || in->size == 8;
    }
}

/* Immediates whose meaning has a range: outside it an engine would hit
 * undefined behaviour (sext by 0 bits) or a bug report, and so would the folder. */
static bool imm_ok(const IRInsn *in)
{
    switch (in->op) {
    case IR_sext: case IR_zext: return in->imm >= 1 && in->imm <= 64;
    case IR_setcond: return in->imm <= IRC_GTS;
    case IR_cond: return in->imm <= 15;
    case IR_vec: return ir_vec_valid(in->imm);
    default: return true;
    }
}

const char *ir_verify(const IRBlock *b, char *buf, size_t len)
{
    if (b->count == 0) {
        snprintf(buf, len, "empty block");
        return buf;
    }
    bool small[512]; /* most blocks: no allocation */
    bool *defined = b->ntemps < sizeof small ? memset(small, 0, b->ntemps + 1) : calloc(b->ntemps + 1, sizeof *defined);
    if (!defined) {
        snprintf(buf, len, "out of memory verifying %u temps", b->ntemps);
        return buf;
    }
    const char *result = NULL;
    for (uint32_t i = 0; i < b->count && !result; i++) {
        const IRInsn *in = &b->insns[i];
        if (in->op >= IR_OP_COUNT) {
            snprintf(buf, len, "op %u: unknown opcode %u", i, in->op);
            result = buf;
            break;
        }
        const IROpInfo *info = &ir_op_info[in->op];
        if (!size_ok(in)) {
            snprintf(buf, len, "op %u (%s): bad size %u", i, info->name, in->size);
            result = buf;
        } else if (!imm_ok(in)) {
            snprintf(buf, len, "op %u (%s): immediate %llu out of range", i, info->name, (unsigned long long)in->imm);
            result = buf;
        }
        for (unsigned s = 0; s < 3 && !result; s++) {
            IRTemp t = in->src[s];
            if (s < info->nsrc && (t == 0 || t > b->ntemps || !defined[t])) {
                snprintf(buf, len, "op %u (%s): source %u reads t%u before it is written", i, info->name, s, t);
                result = buf;
            } else if (s >= info->nsrc && t != 0) {
                snprintf(buf, len, "op %u (%s): unused source %u is t%u", i, info->name, s, t);
                result = buf;
            }
        }
        if (result)
            break;
        if (info->has_dst) {
            if (in->dst == 0 || in->dst > b->ntemps || defined[in->dst]) {
                snprintf(buf, len, "op %u (%s): destination t%u invalid or written twice", i, info->name, in->dst);
                result = buf;
                break;
            }
            defined[in->dst] = true;
        } else if (in->dst != 0) {
            snprintf(buf, len, "op %u (%s): has a destination but the op writes none", i, info->name);
            result = buf;
        }
        bool last = i == b->count - 1;
        if (!result && ((info->props & P_END) != 0) != last) {
            snprintf(buf, len, last ? "block does not end with a terminator" : "op %u (%s): terminator before the end", i,
                     info->name);
            result = buf;
        }
    }
    if (defined != small)
        free(defined);
    return result;
}

bool ir_verify_enabled(void)
{
#ifdef NESTOR_VERIFY_IR
    return true;
#else
    /* the environment is read once per process: 0 not yet, 1 off, 2 on */
    static atomic_int state;
    int s = atomic_load_explicit(&state, memory_order_relaxed);
    if (!s) {
        const char *v = getenv("NESTOR_VERIFY_IR");
        s = v && strcmp(v, "1") == 0 ? 2 : 1;
        atomic_store_explicit(&state, s, memory_order_relaxed);
    }
    return s == 2;
#endif
}
