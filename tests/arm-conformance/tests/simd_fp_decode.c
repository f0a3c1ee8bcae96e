/*
 * AdvSIMD floating-point and crypto decoding: random encodings of every
 * entry of decoder/a64_simd_fp.def and a64_crypto.def (randgen/decodegen.py)
 * are executed one by one from a code buffer; the words that are UNDEFINED
 * (EC 0x00) are printed. Reserved field values (size, Q, index bits, FP16
 * forms) and the feature gates of the CPU model (run on max and on
 * cortex-a72, which lacks FP16, FCMA, FHM, SHA512 and SHA3) must UNDEF
 * exactly where QEMU does. None of these instructions accesses memory or
 * general-purpose registers, so only V registers and FPSR change.
 */
#include "testlib.h"

extern const uint32_t simd_fp_words[];
extern const uint32_t simd_fp_word_count;

static uint32_t code[4] __attribute__((aligned(64)));

int main(void)
{
    write_sysreg(cpacr_el1, 3ul << 20); /* FPEN: no FP trap at EL1/EL0 */
    asm volatile("isb");
    set_exception_handler(skip_faulting_insn);
    unsigned undefined = 0, other = 0;
    for (uint32_t k = 0; k < simd_fp_word_count; k++) {
        code[0] = simd_fp_words[k];
        code[1] = 0xd65f03c0u; /* ret */
        asm volatile("dc cvau, %0\n\tdsb ish\n\tic ivau, %0\n\tdsb ish\n\tisb" ::"r"(code) : "memory");
        clear_last_exc();
        asm volatile("blr %0" ::"r"(code) : "x30", "memory");
        if (rt_last_exc.count == 0)
            continue;
        if (rt_last_exc.esr >> 26 == 0 && rt_last_exc.elr == (uint64_t)code) {
            printf("undef %08x\n", simd_fp_words[k]);
            undefined++;
        } else {
            printf("exception %08x esr %08lx\n", simd_fp_words[k], rt_last_exc.esr);
            other++;
        }
    }
    set_exception_handler(NULL);
    printf("%u words, %u undefined, %u other exceptions\n", simd_fp_word_count, undefined, other);
    CHECK_EQ("no exception but UNDEFINED", other, 0);
    return 0;
}
