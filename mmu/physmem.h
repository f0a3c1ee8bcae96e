/* The physical address space: RAM and MMIO regions of a machine. */
#ifndef NESTOR_MMU_PHYSMEM_H
#define NESTOR_MMU_PHYSMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Device callbacks. Offsets are relative to the region base; size is 1, 2, 4
 * or 8. Returning false reports a bus error (the CPU takes an external abort). */
typedef struct {
    bool (*read)(void *opaque, uint64_t offset, unsigned size, uint64_t *value);
    bool (*write)(void *opaque, uint64_t offset, unsigned size, uint64_t value);
} MMIOOps;

typedef struct {
    const char *name;
    uint64_t base, size;
    uint8_t *ram;        /* host memory for RAM regions, NULL for MMIO */
    const MMIOOps *ops;
    void *opaque;
} MemRegion;

#define MAX_REGIONS 64

/* The states of a RAM page in AddressSpace.code_pages. */
enum { CODE_PAGE_NONE = 0, CODE_PAGE_CURRENT = 1, CODE_PAGE_STALE = 2 };

typedef struct AddressSpace {
    MemRegion regions[MAX_REGIONS];
    unsigned count;
    /* One byte per RAM page: nonzero if translated code was taken from it
     * (CODE_PAGE_CURRENT; CODE_PAGE_STALE: written since, invalidate at the
     * next block boundary). */
    uint8_t *code_pages;
    /* as_write_bytes (a device's DMA, a loader) made some code page stale:
     * the CPUs invalidate at their next block boundary. */
    bool code_stale;
    /* The RAM pages marked CODE_PAGE_STALE in code_pages, so that invalidation costs the
     * pages written, not the RAM size. */
    uint64_t *stale;
    size_t nstale, stale_cap;
    uint64_t ram_base, ram_size;
    /* The CPUs sharing this memory (NULL: only the one using it): a code
     * write invalidates their blocks, a new code page their write fast paths. */
    struct CPUState *cpus;
    unsigned ncpus;
} AddressSpace;

void as_init(AddressSpace *as);
void as_destroy(AddressSpace *as);
/* Adds the machine's RAM (one region); returns false if it cannot be allocated. */
bool as_add_ram(AddressSpace *as, const char *name, uint64_t base, uint64_t size);
void as_add_mmio(AddressSpace *as, const char *name, uint64_t base, uint64_t size, const MMIOOps *ops, void *opaque);
const MemRegion *as_find(const AddressSpace *as, uint64_t addr);
/* Host pointer for [addr, addr+len) if it lies entirely in RAM, else NULL. */
uint8_t *as_ram_ptr(const AddressSpace *as, uint64_t addr, uint64_t len);
/* RAM page number page (from ram_base) held code and was written: its
 * blocks go at the next block boundary (mmu_apply_code_invalidations).
 * Returns true if it was not stale already. */
bool as_note_stale_code(AddressSpace *as, uint64_t page);
/* Physical accesses outside the CPU (loaders, devices doing DMA). Writes
 * to pages holding translated code mark them stale (code_stale). */
bool as_write_bytes(AddressSpace *as, uint64_t addr, const void *data, uint64_t len);
bool as_read_bytes(const AddressSpace *as, uint64_t addr, void *data, uint64_t len);

#endif
