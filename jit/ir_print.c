/* Text form of IR for -d op. */
#include <inttypes.h>

#include "jit/ir.h"

static const char *const cond_names[] = {"eq", "ne", "ltu", "geu", "leu", "gtu", "lts", "ges", "les", "gts"};

void ir_print(FILE *out, const IRBlock *b)
{
    for (uint32_t i = 0; i < b->count; i++) {
        const IRInsn *in = &b->insns[i];
        const IROpInfo *info = &ir_op_info[in->op];
        if (in->op == IR_insn_start) {
            fprintf(out, " ---- %016" PRIx64 "\n", in->imm);
            continue;
        }
        fprintf(out, "  ");
        if (info->has_dst)
            fprintf(out, "t%-4u = ", in->dst);
        else
            fprintf(out, "         ");
        fprintf(out, "%s.%u", info->name, in->size * 8);
        for (unsigned s = 0; s < info->nsrc; s++)
            fprintf(out, "%s t%u", s ? "," : "", in->src[s]);
        if (in->op == IR_setcond)
            fprintf(out, ", %s", in->imm < 10 ? cond_names[in->imm] : "?");
        else if (in->op == IR_goto_ptr && in->imm2)
            fprintf(out, ", flags 0x%" PRIx64 "/0x%" PRIx64, in->imm, in->imm2);
        else if (in->op == IR_goto_cond)
            fprintf(out, ", 0x%" PRIx64 ", 0x%" PRIx64, in->imm, in->imm2);
        else if (info->props & P_IMM)
            fprintf(out, "%s0x%" PRIx64, info->nsrc ? ", " : " ", in->imm);
        if ((in->op == IR_ld || in->op == IR_st) && in->flags)
            fprintf(out, " [flags 0x%x]", in->flags);
        fputc('\n', out);
    }
}
