/* Pointer authentication (FEAT_PAuth and its levels up to FEAT_FPACCOMBINE):
 * the Arm ARM's AddPAC, Auth and Strip (DDI 0487 J.a, shared/functions/
 * pointerauth) over the CPU's keys and translation controls, with the
 * per-key enables (SCTLR_ELx.EnIA/EnIB/EnDA/EnDB) and the HCR_EL2.API trap.
 * The decoder's helpers call these; the cipher is crypto/qarma.c. */
#ifndef NESTOR_CPU_PAUTH_H
#define NESTOR_CPU_PAUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpu.h"

/* Derives the PAuth level and algorithms from the ID registers (reset). */
void pauth_reset(CPUState *cpu);

typedef enum { PAUTH_KEY_IA, PAUTH_KEY_IB, PAUTH_KEY_DA, PAUTH_KEY_DB, PAUTH_KEY_GA } PauthKey;

/* PACIA/PACIB/PACDA/PACDB and their Z/SP/1716 forms: ptr with a PAC in its
 * top bits, or ptr unchanged when the key is disabled. May trap to EL2. */
uint64_t pauth_add(CPUState *cpu, uint64_t ptr, uint64_t modifier, PauthKey key);
/* AUTIA..AUTDB (combined: part of BRAA/RETAA/LDRAA...): ptr with its PAC
 * checked and removed. A failure inserts the error code, or with FEAT_FPAC
 * raises the PAC Fail exception (EC 0x1C). May trap to EL2. */
uint64_t pauth_auth(CPUState *cpu, uint64_t ptr, uint64_t modifier, PauthKey key, bool combined);
/* XPACI/XPACD/XPACLRI: no enable, no trap. */
uint64_t pauth_strip(const CPUState *cpu, uint64_t ptr, bool data);
/* PACGA: the generic key's PAC of x with modifier m in bits 63:32. */
uint64_t pauth_pacga(CPUState *cpu, uint64_t x, uint64_t m);

#endif
