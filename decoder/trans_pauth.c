/* Pointer authentication (FEAT_PAuth): the PAC, AUT and XPAC instructions
 * (data processing and hint space), PACGA, the authenticating branches BRAA..ERETAB and LDRAA/
 * LDRAB. Every PAC computation, enable check and trap is a call of
 * cpu/pauth.c (the key, its enable and HCR_EL2.API are read at run time:
 * MSR to SCTLR_ELx or HCR_EL2 do not invalidate translations). */
#include "cpu/pauth.h"
#include "decoder/translate.h"
#include "mmu/mmu.h"

static uint64_t helper_pac(void *env, uint64_t ptr, uint64_t modifier, uint64_t key)
{
    return pauth_add(env, ptr, modifier, (PauthKey)key);
}

/* c = key | combined << 3 */
static uint64_t helper_aut(void *env, uint64_t ptr, uint64_t modifier, uint64_t c)
{
    return pauth_auth(env, ptr, modifier, (PauthKey)(c & 7), c >> 3);
}

static uint64_t helper_xpac(void *env, uint64_t ptr, uint64_t data, uint64_t c)
{
    (void)c;
    return pauth_strip(env, ptr, data);
}

static uint64_t helper_pacga(void *env, uint64_t x, uint64_t m, uint64_t c)
{
    (void)c;
    return pauth_pacga(env, x, m);
}

static IRTemp gen_pac(DisasContext *s, bool auth, IRTemp ptr, IRTemp modifier, PauthKey key, bool combined)
{
    if (auth)
        return gen_helper(s, helper_aut, ptr, modifier, konst(s, key | (combined ? 8u : 0u)));
    return gen_helper(s, helper_pac, ptr, modifier, konst(s, key));
}

/* PACIA..AUTDB Xd, Xn|SP and the Z forms (Rn must be 31: modifier 0). */
bool trans_PAC_AUT(DisasContext *s, const A64Insn *i)
{
    unsigned opc = i->f[F_opc], rd = i->f[F_Rd], rn = i->f[F_Rn];
    if (i->f[F_Z] && rn != 31)
        return false;
    IRTemp modifier = i->f[F_Z] ? konst(s, 0) : read_x_sp(s, rn);
    write_x(s, rd, gen_pac(s, opc & 4, read_x(s, rd), modifier, (PauthKey)(opc & 3), false), true);
    return true;
}

bool trans_XPAC(DisasContext *s, const A64Insn *i)
{
    unsigned rd = i->f[F_Rd];
    write_x(s, rd, gen_helper(s, helper_xpac, read_x(s, rd), konst(s, i->f[F_D]), 0), true);
    return true;
}

bool trans_PACGA(DisasContext *s, const A64Insn *i)
{
    IRTemp v = gen_helper(s, helper_pacga, read_x(s, i->f[F_Rn]), read_x_sp(s, i->f[F_Rm]), 0);
    write_x(s, i->f[F_Rd], v, true);
    return true;
}

/* The hint-space forms (DDI 0487 C6.2.126 HINT): with FEAT_PAuth, CRm 0001
 * (X17 with modifier X16), 0011 (X30 with 0 or SP) and XPACLRI; NOPs
 * without it. Returns false for the other hints. */
bool pauth_translate_hint(DisasContext *s, unsigned crm, unsigned op2)
{
    if (!feature_has(&s->cpu->features, FEAT_PAUTH))
        return false;
    if (crm == 0 && op2 == 7) { /* XPACLRI */
        write_x(s, 30, gen_helper(s, helper_xpac, read_x(s, 30), konst(s, 0), 0), true);
        return true;
    }
    unsigned reg;
    IRTemp modifier;
    if (crm == 1 && !(op2 & 1)) { /* PACIA1716 PACIB1716 AUTIA1716 AUTIB1716 */
        reg = 17;
        modifier = read_x(s, 16);
    } else if (crm == 3) { /* PACIAZ PACIASP PACIBZ PACIBSP AUTIAZ AUTIASP AUTIBZ AUTIBSP */
        reg = 30;
        modifier = op2 & 1 ? read_x_sp(s, 31) : konst(s, 0);
    } else {
        return false;
    }
    PauthKey key = op2 & 2 ? PAUTH_KEY_IB : PAUTH_KEY_IA;
    write_x(s, reg, gen_pac(s, op2 & 4, read_x(s, reg), modifier, key, false), true);
    return true;
}

/* BRAA/BRAB Xn, Xm|SP and BRAAZ/BRABZ Xn (Z = 0: Rm must be 31, modifier 0). */
static IRTemp branch_target(DisasContext *s, const A64Insn *i)
{
    IRTemp modifier = i->f[F_Z] ? read_x_sp(s, i->f[F_Rm]) : konst(s, 0);
    return gen_pac(s, true, read_x(s, i->f[F_Rn]), modifier, i->f[F_M] ? PAUTH_KEY_IB : PAUTH_KEY_IA, true);
}

bool trans_BRA(DisasContext *s, const A64Insn *i)
{
    if (!i->f[F_Z] && i->f[F_Rm] != 31)
        return false;
    gen_goto_ptr(s, branch_target(s, i), a64_btype_of_br(s, i->f[F_Rn])); /* BTYPE as BR */
    return true;
}

bool trans_BLRA(DisasContext *s, const A64Insn *i)
{
    if (!i->f[F_Z] && i->f[F_Rm] != 31)
        return false;
    IRTemp target = branch_target(s, i); /* before LR is written: BLRAA x30 */
    write_x(s, 30, konst(s, s->pc + 4), true);
    gen_goto_ptr(s, target, 2); /* BTYPE as BLR */
    return true;
}

bool trans_RETA(DisasContext *s, const A64Insn *i)
{
    PauthKey key = i->f[F_M] ? PAUTH_KEY_IB : PAUTH_KEY_IA;
    gen_goto_ptr(s, gen_pac(s, true, read_x(s, 30), read_x_sp(s, 31), key, true), 0);
    return true;
}

/* ERETAA/ERETAB: ERET to ELR_ELx authenticated with SP as the modifier
 * (ELR itself is not written). */
static uint64_t helper_ereta(void *env, uint64_t sp, uint64_t key, uint64_t c)
{
    (void)c;
    CPUState *cpu = env;
    a64_check_eret_trap(cpu, true, key == PAUTH_KEY_IB);
    uint64_t elr = cpu->sr[cpu_el(cpu) == 1 ? SR_ELR_EL1 : SR_ELR_EL2];
    uint64_t target = pauth_auth(cpu, elr, sp, (PauthKey)key, true);
    cpu_exception_return(cpu);
    cpu->pc = target;
    return 0;
}

bool trans_ERETA(DisasContext *s, const A64Insn *i)
{
    if (s->el == 0)
        return false;
    gen_helper(s, helper_ereta, read_x_sp(s, 31), konst(s, i->f[F_M] ? PAUTH_KEY_IB : PAUTH_KEY_IA), 0);
    ir_exit(s->ir);
    s->ended = true;
    return true;
}

/* LDRAA/LDRAB Xt, [Xn|SP, #simm10 * 8]{!}: the base authenticated with the
 * data key and a zero modifier, then a 64-bit load; writeback (W) stores the
 * authenticated address plus the offset. */
bool trans_LDRA(DisasContext *s, const A64Insn *i)
{
    unsigned rn = i->f[F_Rn], rt = i->f[F_Rt];
    bool wback = i->f[F_W];
    int64_t offset = a64_sext(i->f[F_S] << 9 | i->f[F_imm9], 10) * 8;
    PauthKey key = i->f[F_M] ? PAUTH_KEY_DB : PAUTH_KEY_DA;
    IRTemp addr = add_imm(s, gen_pac(s, true, read_x_sp(s, rn), konst(s, 0), key, true), offset);
    uint64_t syndrome = wback ? 0 : DABT_ISV | 3u << DABT_SAS_SHIFT | (uint64_t)rt << DABT_SRT_SHIFT | DABT_SF;
    write_x(s, rt, ir_ld(s->ir, 8, 0, addr, syndrome), true);
    if (wback)
        write_x_sp(s, rn, addr, true);
    return true;
}
