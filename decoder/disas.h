/* Disassembly for -d in_asm: Capstone, falling back to the encoding table. */
#ifndef NESTOR_DECODER_DISAS_H
#define NESTOR_DECODER_DISAS_H

#include <stddef.h>
#include <stdint.h>

void a64_disas(uint64_t pc, uint32_t raw, char *buf, size_t len);

#endif
