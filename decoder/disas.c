#include "decoder/disas.h"

#include <capstone/capstone.h>
#include <stdio.h>

#include "decoder/a64.h"

static csh handle;
static bool opened, failed;

void a64_disas(uint64_t pc, uint32_t raw, char *buf, size_t len)
{
    if (!opened && !failed) {
        failed = cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &handle) != CS_ERR_OK;
        opened = !failed;
    }
    if (opened) {
        cs_insn *insn;
        uint8_t bytes[4] = {raw & 0xff, raw >> 8 & 0xff, raw >> 16 & 0xff, raw >> 24};
        if (cs_disasm(handle, bytes, 4, pc, 1, &insn) == 1) {
            snprintf(buf, len, "%s %s", insn->mnemonic, insn->op_str);
            cs_free(insn, 1);
            return;
        }
    }
    /* Capstone does not know it (e.g. a newer extension): name the table entry. */
    A64Insn d;
    const A64Encoding *e = a64_decode(raw, &d);
    snprintf(buf, len, e ? "<%s>" : "<unallocated>", e ? e->name : "");
}
