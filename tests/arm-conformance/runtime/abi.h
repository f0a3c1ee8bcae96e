/*
 * Constants shared between the runtime's assembly and C code (plain numbers,
 * so this header is safe to include from .S files).
 */
#ifndef NESTOR_CONF_ABI_H
#define NESTOR_CONF_ABI_H

/* Immediates the runtime reserves for its own SVC/HVC calls. */
#define RT_IMM_RETURN   0xfff0 /* end of run_at_el1 (HVC) / run_at_el0 (SVC) */
#define RT_IMM_POWEROFF 0xfff1 /* a lower EL asks for SYSTEM_OFF */

/* struct exc_frame layout (checked against the C struct in exceptions.c). */
#define FRAME_ELR    248
#define FRAME_SPSR   256
#define FRAME_ESR    264
#define FRAME_FAR    272
#define FRAME_VECTOR 280
#define FRAME_EL     288
#define FRAME_SIZE   304 /* multiple of 16: SP stays aligned */

/* struct rt_jmpbuf layout: x19..x30, sp, daif */
#define JMPBUF_SP   96
#define JMPBUF_SIZE 112

#endif
