/* Loads and stores of general-purpose registers: single registers in every
 * addressing mode, literals, pairs, load-acquire/store-release and RCPC.
 * Exclusives and LSE atomics are in trans_atomic.c.
 *
 * CONSTRAINED UNPREDICTABLE choices (DDI 0487 K1.2), the same as QEMU:
 *  - writeback with Rn == Rt (Rn != 31): a load performs the load, then the
 *    writeback, so Rn ends up with the written-back address; a store stores
 *    the value Rt had before the instruction;
 *  - the same for pairs with Rn == Rt or Rn == Rt2;
 *  - LDP/LDPSW/LDNP with Rt == Rt2: the register gets the second element
 *    (the one at the higher address).
 * Every access happens before the writeback, so a faulting access leaves
 * the base register unchanged, and both elements of a load pair are read
 * before either register is written.
 */
#include "decoder/translate.h"
#include "mmu/mmu.h"

/* The access a (size, opc) pair of the single-register groups selects. */
typedef struct {
    unsigned size; /* bytes */
    bool load, sign;
    bool sf;       /* the register is X (else W) */
    bool prefetch; /* PRFM: a valid encoding that does nothing here */
} LdSt;

/* Decodes size/opc (DDI 0487 C4.1.94, "Load/store register"). Returns false
 * for the unallocated combinations. */
static bool decode_size_opc(unsigned size_field, unsigned opc, bool prefetch_allowed, LdSt *m)
{
    *m = (LdSt){.size = 1u << size_field};
    switch (opc) {
    case 0: m->sf = size_field == 3; return true;
    case 1: m->load = true, m->sf = size_field == 3; return true;
    case 2:
        if (size_field == 3) {
            m->prefetch = true;
            return prefetch_allowed;
        }
        m->load = m->sign = m->sf = true; /* LDRSB/LDRSH/LDRSW Xt */
        return true;
    default:
        if (size_field >= 2)
            return false;
        m->load = m->sign = true; /* LDRSB/LDRSH Wt */
        return true;
    }
}

/* Abort syndrome template of a single-register access without writeback:
 * the ISS fields a hypervisor needs to emulate the access (DDI 0487
 * D24.2.40). */
static uint64_t single_syndrome(const LdSt *m, unsigned rt, bool acq_rel)
{
    return DABT_ISV | (uint64_t)__builtin_ctz(m->size) << DABT_SAS_SHIFT | (m->sign ? DABT_SSE : 0) |
           (uint64_t)rt << DABT_SRT_SHIFT | (m->sf ? DABT_SF : 0) | (acq_rel ? DABT_AR : 0);
}

/* One register to or from memory at addr. */
static void do_access(DisasContext *s, const LdSt *m, unsigned rt, IRTemp addr, unsigned flags, uint64_t syndrome)
{
    if (m->prefetch)
        return;
    if (m->load) {
        IRTemp v = ir_ld(s->ir, m->size, flags | (m->sign ? IRM_SIGNED : 0), addr, syndrome);
        /* A 4-byte ld's result is truncated to 32 bits by the interpreter
         * (the generic rule for 4-byte ops), which would drop LDRSW's sign:
         * extend explicitly. */
        if (m->sign && m->size == 4)
            v = ir_ext(s->ir, true, 8, v, 32);
        write_x(s, rt, v, m->sf);
    } else {
        ir_st(s->ir, m->size, flags, addr, read_x(s, rt), syndrome);
    }
}

bool trans_LDST_uimm(DisasContext *s, const A64Insn *i)
{
    LdSt m;
    if (!decode_size_opc(i->f[F_size], i->f[F_opc], true, &m))
        return false;
    IRTemp addr = add_imm(s, read_x_sp(s, i->f[F_Rn]), (int64_t)i->f[F_imm12] << i->f[F_size]);
    do_access(s, &m, i->f[F_Rt], addr, 0, single_syndrome(&m, i->f[F_Rt], false));
    return true;
}

/* Unscaled, post-index, unprivileged and pre-index: bits 11:10 tell which. */
bool trans_LDST_imm9(DisasContext *s, const A64Insn *i)
{
    enum { UNSCALED, POST, UNPRIV, PRE } mode = (i->raw >> 10) & 3;
    LdSt m;
    if (!decode_size_opc(i->f[F_size], i->f[F_opc], mode == UNSCALED, &m))
        return false;
    unsigned rt = i->f[F_Rt];
    Indexed x = indexed_begin(s, i->f[F_Rn], a64_sext(i->f[F_imm9], 9), mode == POST, mode == POST || mode == PRE);
    if (!x.writeback) {
        do_access(s, &m, rt, x.addr, mode == UNPRIV ? IRM_UNPRIV : 0, single_syndrome(&m, rt, false));
        return true;
    }
    do_access(s, &m, rt, x.addr, 0, 0);
    indexed_end(s, &x);
    return true;
}

bool trans_LDST_reg(DisasContext *s, const A64Insn *i)
{
    unsigned option = i->f[F_option];
    LdSt m;
    if (!(option & 2) || !decode_size_opc(i->f[F_size], i->f[F_opc], true, &m))
        return false;
    /* option: x10 = UXTW/SXTW (32-bit index), x11 = LSL/SXTX; bit 2 = signed. */
    IRTemp index = read_x(s, i->f[F_Rm]);
    if (!(option & 1))
        index = ir_ext(s->ir, option & 4, 8, index, 32);
    if (i->f[F_S] && i->f[F_size])
        index = ir_opi(s->ir, IR_shl, 8, index, i->f[F_size]);
    IRTemp addr = ir_op2(s->ir, IR_add, 8, read_x_sp(s, i->f[F_Rn]), index);
    do_access(s, &m, i->f[F_Rt], addr, 0, single_syndrome(&m, i->f[F_Rt], false));
    return true;
}

bool trans_LDR_literal(DisasContext *s, const A64Insn *i)
{
    static const LdSt forms[4] = {
        {.size = 4, .load = true},
        {.size = 8, .load = true, .sf = true},
        {.size = 4, .load = true, .sign = true, .sf = true},
        {.size = 8, .prefetch = true},
    };
    const LdSt *m = &forms[i->f[F_opc]];
    IRTemp addr = konst(s, s->pc + ((uint64_t)a64_sext(i->f[F_imm19], 19) << 2));
    do_access(s, m, i->f[F_Rt], addr, 0, single_syndrome(m, i->f[F_Rt], false));
    return true;
}

/* LDP/STP/LDPSW/LDNP/STNP; bits 24:23 select the addressing mode. */
bool trans_LDSTP(DisasContext *s, const A64Insn *i)
{
    enum { NO_ALLOC, POST, OFFSET, PRE } mode = (i->raw >> 23) & 3;
    unsigned opc = i->f[F_opc], rt = i->f[F_Rt], rt2 = i->f[F_Rt2], rn = i->f[F_Rn];
    bool load = i->f[F_L];
    /* opc 01 is LDPSW for loads; STGP (FEAT_MTE2, not in our models) for
     * stores; reserved for LDNP/STNP. opc 11 is reserved. */
    if (opc == 3 || (opc == 1 && (!load || mode == NO_ALLOC)))
        return false;
    LdSt m = {.size = opc == 2 ? 8 : 4, .load = load, .sign = opc == 1, .sf = opc != 0};
    Indexed x = indexed_begin(s, rn, a64_sext(i->f[F_imm7], 7) * (int64_t)m.size, mode == POST,
                              mode == POST || mode == PRE);
    IRTemp addr = x.addr, addr2 = add_imm(s, addr, m.size);
    if (load) {
        unsigned flags = m.sign ? IRM_SIGNED : 0;
        IRTemp v1 = ir_ld(s->ir, m.size, flags, addr, 0);
        IRTemp v2 = ir_ld(s->ir, m.size, flags, addr2, 0);
        if (m.sign) {
            v1 = ir_ext(s->ir, true, 8, v1, 32);
            v2 = ir_ext(s->ir, true, 8, v2, 32);
        }
        write_x(s, rt, v1, m.sf);
        write_x(s, rt2, v2, m.sf);
    } else {
        ir_st(s->ir, m.size, 0, addr, read_x(s, rt), 0);
        ir_st(s->ir, m.size, 0, addr2, read_x(s, rt2), 0);
    }
    indexed_end(s, &x);
    return true;
}

/* LDAR/STLR (B/H/W/X): ordered accesses must be naturally aligned. */
bool trans_LDAR_STLR(DisasContext *s, const A64Insn *i)
{
    bool load = i->f[F_L];
    unsigned size_field = i->f[F_size];
    LdSt m = {.size = 1u << size_field, .load = load, .sf = size_field == 3};
    do_access(s, &m, i->f[F_Rt], read_x_sp(s, i->f[F_Rn]), IRM_ALIGN | (load ? IRM_ACQUIRE : IRM_RELEASE),
              single_syndrome(&m, i->f[F_Rt], true));
    return true;
}

/* LDAPR (FEAT_LRCPC): a load-acquire with the weaker RCpc ordering. */
bool trans_LDAPR(DisasContext *s, const A64Insn *i)
{
    unsigned size_field = i->f[F_size];
    LdSt m = {.size = 1u << size_field, .load = true, .sf = size_field == 3};
    do_access(s, &m, i->f[F_Rt], read_x_sp(s, i->f[F_Rn]), IRM_ALIGN | IRM_ACQUIRE,
              single_syndrome(&m, i->f[F_Rt], true));
    return true;
}

/* The LDAPUR/STLUR family (FEAT_LRCPC2): unscaled offset, same (size, opc) table as
 * the plain single-register groups, without prefetch. */
bool trans_LDAPUR_STLUR(DisasContext *s, const A64Insn *i)
{
    LdSt m;
    if (!decode_size_opc(i->f[F_size], i->f[F_opc], false, &m))
        return false;
    IRTemp addr = add_imm(s, read_x_sp(s, i->f[F_Rn]), a64_sext(i->f[F_imm9], 9));
    do_access(s, &m, i->f[F_Rt], addr, IRM_ALIGN | (m.load ? IRM_ACQUIRE : IRM_RELEASE),
              single_syndrome(&m, i->f[F_Rt], true));
    return true;
}
