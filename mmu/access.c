/* Slow path of every guest memory access. With the MMU off (the only regime
 * until the system-architecture issue adds stage 1 and stage 2), VA = PA, data
 * accesses are Device-nGnRnE (so any misaligned access faults) and addresses
 * above the implemented PA size take an address size fault (DDI 0487,
 * "The effects of disabling an address translation stage"). */
#include "mmu/mmu.h"

#include <string.h>

#include "mmu/physmem.h"
#include "trace/log.h"

MMUIdx mmu_index(const CPUState *cpu, bool unprivileged)
{
    unsigned el = cpu_el(cpu);
    if (unprivileged && el == 1)
        return MMU_IDX_EL0;
    return el == 0 ? MMU_IDX_EL0 : el == 1 ? MMU_IDX_EL1 : MMU_IDX_EL2;
}

static unsigned pa_bits(const CPUState *cpu)
{
    static const unsigned bits[] = {32, 36, 40, 42, 44, 48, 52};
    unsigned parange = cpu->sr[SR_ID_AA64MMFR0_EL1] & 0xf;
    return parange < 7 ? bits[parange] : 48;
}

typedef enum { ACC_READ, ACC_WRITE, ACC_EXEC } AccessType;

_Noreturn static void raise_abort(CPUState *cpu, uint64_t va, AccessType type, unsigned fsc, uint32_t syndrome)
{
    unsigned target = cpu_sync_target_el(cpu);
    bool same = target == cpu_el(cpu);
    if (type == ACC_EXEC) {
        cpu_take_exception(cpu, target, same ? EC_IABORT_SAME : EC_IABORT_LOWER, fsc, va, true, va);
    }
    /* ISV (and the syndrome fields it validates) is only reported for stage 2
     * aborts taken to EL2 (DDI 0487 D24.2.40, ISS encoding for a Data Abort);
     * every abort Nestor raises so far is a stage 1 abort, so ISV = 0. */
    (void)syndrome;
    uint32_t iss = fsc | (type == ACC_WRITE ? DABT_WNR : 0);
    cpu_take_exception(cpu, target, same ? EC_DABORT_SAME : EC_DABORT_LOWER, iss, cpu->pc, true, va);
}

bool mmu_data_is_device(const CPUState *cpu)
{
    return !(cpu->sr[cpu_el(cpu) == 2 ? SR_SCTLR_EL2 : SR_SCTLR_EL1] & SCTLR_M);
}

_Noreturn void mmu_raise_alignment_fault(CPUState *cpu, uint64_t va, bool is_write)
{
    raise_abort(cpu, va, is_write ? ACC_WRITE : ACC_READ, FSC_ALIGNMENT, 0);
}

/* Translates va for the current regime. Returns the physical address or
 * raises the fault. */
static uint64_t translate(CPUState *cpu, uint64_t va, AccessType type, uint32_t syndrome)
{
    if (va >> pa_bits(cpu))
        raise_abort(cpu, va, type, FSC_ADDR_SIZE_L0, syndrome);
    return va;
}

static void note_code_write(CPUState *cpu, uint64_t pa, unsigned size)
{
    AddressSpace *as = cpu->as;
    uint64_t first = (pa - as->ram_base) >> PAGE_BITS, last = (pa + size - 1 - as->ram_base) >> PAGE_BITS;
    for (uint64_t p = first; p <= last && p < as->ram_size >> PAGE_BITS; p++) {
        if (as->code_pages[p] == 1)
            as->code_pages[p] = 2; /* stale: invalidate at the next block boundary */
    }
}

bool mmu_apply_code_invalidations(CPUState *cpu)
{
    AddressSpace *as = cpu->as;
    if (!cpu->code_dirty)
        return false;
    cpu->code_dirty = false;
    for (uint64_t p = 0; p < as->ram_size >> PAGE_BITS; p++) {
        if (as->code_pages[p] == 2) {
            uint64_t start = as->ram_base + (p << PAGE_BITS);
            tb_invalidate_phys(&cpu->tbs, start, start + PAGE_SIZE);
            as->code_pages[p] = 0;
        }
    }
    return true;
}

/* Fills the TLB entry of a RAM page. Writes to pages holding translated code
 * keep the slow path so that they invalidate the blocks. */
static void tlb_fill_ram(CPUState *cpu, MMUIdx idx, uint64_t va, uint64_t pa, uint8_t *host)
{
    TLBEntry *e = tlb_entry(&cpu->tlb, idx, va);
    uint64_t page = va & PAGE_MASK;
    bool code = cpu->as->code_pages[(pa - cpu->as->ram_base) >> PAGE_BITS] != 0;
    e->addr_read = page;
    e->addr_code = page;
    e->addr_write = code ? TLB_NO_MATCH : page;
    e->addend = (uintptr_t)host - (uintptr_t)page;
}

static uint64_t load_host(const uint8_t *p, unsigned size)
{
    switch (size) {
    case 1: return *p;
    case 2: { uint16_t v; memcpy(&v, p, 2); return v; }
    case 4: { uint32_t v; memcpy(&v, p, 4); return v; }
    default: { uint64_t v; memcpy(&v, p, 8); return v; }
    }
}

static void store_host(uint8_t *p, unsigned size, uint64_t v)
{
    switch (size) {
    case 1: *p = (uint8_t)v; break;
    case 2: { uint16_t x = (uint16_t)v; memcpy(p, &x, 2); break; }
    case 4: { uint32_t x = (uint32_t)v; memcpy(p, &x, 4); break; }
    default: memcpy(p, &v, 8); break;
    }
}

static uint64_t sign_extend(uint64_t v, unsigned size)
{
    unsigned shift = 64 - size * 8;
    return shift ? (uint64_t)((int64_t)(v << shift) >> shift) : v;
}

static const MemRegion *access_region(CPUState *cpu, uint64_t va, uint64_t pa, unsigned size, AccessType type,
                                      uint32_t syndrome)
{
    const MemRegion *r = as_find(cpu->as, pa);
    if (!r || size > r->size - (pa - r->base)) {
        if (log_enabled(LOG_GUEST_ERRORS))
            log_printf("guest %s of %u bytes at unassigned physical address 0x%llx (pc 0x%llx)\n",
                       type == ACC_WRITE ? "write" : "read", size, (unsigned long long)pa,
                       (unsigned long long)cpu->pc);
        raise_abort(cpu, va, type, FSC_SYNC_EXTERNAL, syndrome);
    }
    return r;
}

uint64_t mmu_load(void *env, uint64_t va, unsigned size, unsigned flags, uint64_t syndrome)
{
    CPUState *cpu = env;
    MMUIdx idx = mmu_index(cpu, flags & IRM_UNPRIV);
    TLBEntry *e = tlb_entry(&cpu->tlb, idx, va);
    uint64_t v;
    if (tlb_fast_match(e->addr_read, va, size)) {
        v = load_host((const uint8_t *)(uintptr_t)(va + e->addend), size);
    } else {
        if (va & (size - 1)) /* Device memory: every misaligned access faults */
            raise_abort(cpu, va, ACC_READ, FSC_ALIGNMENT, (uint32_t)syndrome);
        uint64_t pa = translate(cpu, va, ACC_READ, (uint32_t)syndrome);
        const MemRegion *r = access_region(cpu, va, pa, size, ACC_READ, (uint32_t)syndrome);
        if (r->ram) {
            uint8_t *host = r->ram + (pa - r->base);
            tlb_fill_ram(cpu, idx, va, pa, host - (pa & ~PAGE_MASK));
            v = load_host(host, size);
        } else if (!r->ops->read(r->opaque, pa - r->base, size, &v)) {
            raise_abort(cpu, va, ACC_READ, FSC_SYNC_EXTERNAL, (uint32_t)syndrome);
        } else if (size < 8) {
            v &= (1ull << (size * 8)) - 1; /* the IR's load contract: extended here, never by a device */
        }
    }
    return flags & IRM_SIGNED ? sign_extend(v, size) : v;
}

void mmu_store(void *env, uint64_t va, uint64_t value, unsigned size, unsigned flags, uint64_t syndrome)
{
    CPUState *cpu = env;
    MMUIdx idx = mmu_index(cpu, flags & IRM_UNPRIV);
    TLBEntry *e = tlb_entry(&cpu->tlb, idx, va);
    if (tlb_fast_match(e->addr_write, va, size)) {
        store_host((uint8_t *)(uintptr_t)(va + e->addend), size, value);
        return;
    }
    if (va & (size - 1))
        raise_abort(cpu, va, ACC_WRITE, FSC_ALIGNMENT, (uint32_t)syndrome);
    uint64_t pa = translate(cpu, va, ACC_WRITE, (uint32_t)syndrome);
    const MemRegion *r = access_region(cpu, va, pa, size, ACC_WRITE, (uint32_t)syndrome);
    if (r->ram) {
        uint8_t *host = r->ram + (pa - r->base);
        tlb_fill_ram(cpu, idx, va, pa, host - (pa & ~PAGE_MASK));
        if (cpu->as->code_pages[(pa - cpu->as->ram_base) >> PAGE_BITS]) {
            note_code_write(cpu, pa, size);
            cpu->code_dirty = true;
            cpu_kick(cpu);
        }
        store_host(host, size, value);
    } else if (!r->ops->write(r->opaque, pa - r->base, size, value)) {
        raise_abort(cpu, va, ACC_WRITE, FSC_SYNC_EXTERNAL, (uint32_t)syndrome);
    }
}

bool mmu_fetch_insn(CPUState *cpu, uint64_t va, uint32_t *insn, uint64_t *pa_out, bool raise_fault)
{
    if (va & 3) {
        if (raise_fault)
            cpu_take_exception(cpu, cpu_sync_target_el(cpu), EC_PC_ALIGN, 0, va, true, va);
        return false;
    }
    if (va >> pa_bits(cpu)) {
        if (raise_fault)
            raise_abort(cpu, va, ACC_EXEC, FSC_ADDR_SIZE_L0, 0);
        return false;
    }
    uint64_t pa = va;
    const uint8_t *host = as_ram_ptr(cpu->as, pa, 4);
    if (!host) {
        if (raise_fault)
            raise_abort(cpu, va, ACC_EXEC, FSC_SYNC_EXTERNAL, 0);
        return false;
    }
    *insn = (uint32_t)load_host(host, 4);
    *pa_out = pa;
    return true;
}
