#include "mmu/physmem.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "mmu/tlb.h"
#include "trace/log.h"

void as_init(AddressSpace *as) { memset(as, 0, sizeof *as); }

void as_destroy(AddressSpace *as)
{
    for (unsigned i = 0; i < as->count; i++)
        if (as->regions[i].ram)
            munmap(as->regions[i].ram, as->regions[i].size);
    free(as->code_pages);
    free(as->stale);
    as_init(as);
}

static MemRegion *add_region(AddressSpace *as, const char *name, uint64_t base, uint64_t size)
{
    if (as->count == MAX_REGIONS)
        nestor_bug("too many memory regions");
    for (unsigned i = 0; i < as->count; i++) {
        const MemRegion *r = &as->regions[i];
        if (base < r->base + r->size && r->base < base + size)
            nestor_bug("region %s overlaps %s", name, r->name);
    }
    MemRegion *r = &as->regions[as->count++];
    *r = (MemRegion){.name = name, .base = base, .size = size};
    return r;
}

bool as_add_ram(AddressSpace *as, const char *name, uint64_t base, uint64_t size)
{
    /* Anonymous mapping: pages the guest never touches cost no host memory. */
    void *mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED)
        return false;
    /* Guest RAM is accessed at random by the guest: host huge pages spare the
     * host TLB (advice only; the mapping works without). */
    madvise(mem, size, MADV_HUGEPAGE);
    uint8_t *code = calloc(size >> PAGE_BITS, 1);
    if (!code) {
        munmap(mem, size);
        return false;
    }
    MemRegion *r = add_region(as, name, base, size);
    r->ram = mem;
    as->code_pages = code;
    as->ram_base = base;
    as->ram_size = size;
    return true;
}

void as_add_mmio(AddressSpace *as, const char *name, uint64_t base, uint64_t size, const MMIOOps *ops, void *opaque)
{
    MemRegion *r = add_region(as, name, base, size);
    r->ops = ops;
    r->opaque = opaque;
}

const MemRegion *as_find(const AddressSpace *as, uint64_t addr)
{
    for (unsigned i = 0; i < as->count; i++) {
        const MemRegion *r = &as->regions[i];
        if (addr >= r->base && addr - r->base < r->size)
            return r;
    }
    return NULL;
}

uint8_t *as_ram_ptr(const AddressSpace *as, uint64_t addr, uint64_t len)
{
    const MemRegion *r = as_find(as, addr);
    if (!r || !r->ram || len > r->size - (addr - r->base))
        return NULL;
    return r->ram + (addr - r->base);
}

bool as_note_stale_code(AddressSpace *as, uint64_t page)
{
    if (as->code_pages[page] != CODE_PAGE_CURRENT)
        return false;
    if (as->nstale == as->stale_cap) {
        size_t cap = as->stale_cap ? as->stale_cap * 2 : 64;
        uint64_t *p = realloc(as->stale, cap * sizeof *p);
        if (!p)
            nestor_fatal("out of memory tracking written code pages");
        as->stale = p;
        as->stale_cap = cap;
    }
    as->code_pages[page] = CODE_PAGE_STALE;
    as->stale[as->nstale++] = page;
    return true;
}

bool as_write_bytes(AddressSpace *as, uint64_t addr, const void *data, uint64_t len)
{
    uint8_t *p = as_ram_ptr(as, addr, len);
    if (!p)
        return false;
    memcpy(p, data, len);
    if (len) {
        uint64_t first = (addr - as->ram_base) >> PAGE_BITS, last = (addr + len - 1 - as->ram_base) >> PAGE_BITS;
        for (uint64_t page = first; page <= last; page++)
            if (as_note_stale_code(as, page))
                as->code_stale = true;
    }
    return true;
}

bool as_read_bytes(const AddressSpace *as, uint64_t addr, void *data, uint64_t len)
{
    const uint8_t *p = as_ram_ptr(as, addr, len);
    if (!p)
        return false;
    memcpy(data, p, len);
    return true;
}
