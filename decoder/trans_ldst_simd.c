/* AdvSIMD load/store structures (DDI 0487 C7.2 LD1-LD4, LD1R-LD4R, ST1-ST4).
 * One helper per instruction performs the element accesses in the order of
 * the Arm ARM pseudocode through the MMU (mmu_load/mmu_store: alignment,
 * faults and MMIO as for every access), writing each loaded element into its
 * register as it goes: a fault midway leaves the earlier elements written,
 * and the base register is written back only after the last access. Abort
 * syndromes have ISV = 0 (several registers). */
#include "decoder/trans_simd.h"
#include "mmu/mmu.h"

static uint64_t base_reg(const CPUState *cpu, unsigned rn) { return rn == 31 ? cpu->sp : cpu->x[rn]; }

/* Post-index: Rm = 31 means by the bytes transferred; no offset form leaves
 * the base alone. */
static void writeback(CPUState *cpu, uint32_t raw, uint64_t base, uint64_t bytes)
{
    if (!(raw >> 23 & 1))
        return;
    unsigned rn = RN(raw), rm = RM(raw);
    uint64_t v = base + (rm == 31 ? bytes : cpu->x[rm]);
    if (rn == 31)
        cpu->sp = v;
    else
        cpu->x[rn] = v;
}

/* One element access: element e of Vt loaded from or stored to addr. A load
 * writes the register back at once; with q = false (a 64-bit LD1-LD4
 * multiple structures) its bits 127:64 become zero. */
static void elem_access(CPUState *cpu, bool load, unsigned t, unsigned e, unsigned esz, bool q, uint64_t addr)
{
    SimdVec v = simd_read(cpu, t);
    if (load) {
        simd_set(&v, e, esz, mmu_load(cpu, addr, 1u << esz, 0, 0));
        simd_write(cpu, t, v, q);
    } else {
        mmu_store(cpu, addr, simd_get(&v, e, esz), 1u << esz, 0, 0);
    }
}

/* opcode -> (registers, structure elements); 0 = unallocated. */
static const uint8_t mult_rpt[16] = {[0] = 1, [2] = 4, [4] = 1, [6] = 3, [7] = 1, [8] = 1, [10] = 2};
static const uint8_t mult_selem[16] = {[0] = 4, [2] = 1, [4] = 3, [6] = 1, [7] = 1, [8] = 2, [10] = 1};

static uint64_t helper_ldst_mult(void *env, uint64_t raw64, uint64_t unused1, uint64_t unused2)
{
    (void)unused1, (void)unused2;
    CPUState *cpu = env;
    uint32_t raw = (uint32_t)raw64;
    bool q = Q_BIT(raw), load = raw >> 22 & 1;
    unsigned opcode = insn_bits(raw, 12, 4), esz = insn_bits(raw, 10, 2), ebytes = 1u << esz;
    unsigned rpt = mult_rpt[opcode], selem = mult_selem[opcode], elems = (q ? 16u : 8u) >> esz, t = RD(raw);
    uint64_t base = base_reg(cpu, RN(raw)), offs = 0;
    for (unsigned r = 0; r < rpt; r++)
        for (unsigned e = 0; e < elems; e++) {
            unsigned tt = (t + r) % 32;
            for (unsigned k = 0; k < selem; k++) {
                elem_access(cpu, load, tt, e, esz, q, base + offs);
                offs += ebytes;
                tt = (tt + 1) % 32;
            }
        }
    writeback(cpu, raw, base, offs);
    return 0;
}

bool trans_LDST_simd_mult(DisasContext *s, const A64Insn *i)
{
    unsigned opcode = i->f[F_opcode];
    if (!mult_rpt[opcode] || (i->f[F_size] == 3 && !i->f[F_Q] && mult_selem[opcode] > 1))
        return false;
    return simd_emit(s, helper_ldst_mult, i->raw);
}

/* The element size (log2 bytes) and lane of a single-structure access, or
 * false for a reserved combination; *replicate for LDnR. */
static bool single_layout(uint32_t raw, unsigned *esz, unsigned *index, bool *replicate)
{
    unsigned opcode = insn_bits(raw, 13, 3), size = insn_bits(raw, 10, 2), s = insn_bits(raw, 12, 1);
    unsigned q = Q_BIT(raw), scale = opcode >> 1;
    *replicate = false;
    *index = 0;
    switch (scale) {
    case 0: *index = q << 3 | s << 2 | size; break;
    case 1:
        if (size & 1)
            return false;
        *index = q << 2 | s << 1 | size >> 1;
        break;
    case 2:
        if (size & 2)
            return false;
        if (size & 1) {
            if (s)
                return false;
            *index = q;
            scale = 3;
        } else {
            *index = q << 1 | s;
        }
        break;
    default:
        if (!(raw >> 22 & 1) || s)
            return false;
        scale = size;
        *replicate = true;
        break;
    }
    *esz = scale;
    return true;
}

static uint64_t helper_ldst_single(void *env, uint64_t raw64, uint64_t unused1, uint64_t unused2)
{
    (void)unused1, (void)unused2;
    CPUState *cpu = env;
    uint32_t raw = (uint32_t)raw64;
    bool load = raw >> 22 & 1, replicate;
    unsigned esz = 0, index, selem = (insn_bits(raw, 13, 1) << 1 | insn_bits(raw, 21, 1)) + 1, ebytes, tt = RD(raw);
    single_layout(raw, &esz, &index, &replicate);
    ebytes = 1u << esz;
    uint64_t base = base_reg(cpu, RN(raw)), offs = 0;
    for (unsigned k = 0; k < selem; k++) {
        if (replicate) {
            SimdVec v = {{0, 0}};
            uint64_t x = mmu_load(cpu, base + offs, ebytes, 0, 0);
            for (unsigned e = 0; e < 16u >> esz; e++)
                simd_set(&v, e, esz, x);
            simd_write(cpu, tt, v, Q_BIT(raw));
        } else {
            elem_access(cpu, load, tt, index, esz, true, base + offs);
        }
        offs += ebytes;
        tt = (tt + 1) % 32;
    }
    writeback(cpu, raw, base, offs);
    return 0;
}

bool trans_LDST_simd_single(DisasContext *s, const A64Insn *i)
{
    unsigned esz, index;
    bool replicate;
    if (!single_layout(i->raw, &esz, &index, &replicate))
        return false;
    return simd_emit(s, helper_ldst_single, i->raw);
}
