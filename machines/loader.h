/* Guest image loading for -kernel. */
#ifndef NESTOR_MACHINES_LOADER_H
#define NESTOR_MACHINES_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct AddressSpace;

/* Where a raw image goes: the offset Linux arm64 Image files expect when
 * their header says nothing else (header parsing comes later). */
#define LOADER_RAW_OFFSET 0x80000ull

/* A -kernel file read into host memory once, so that a machine reset can
 * reload it without touching the file system again. */
typedef struct {
    const char *path;
    uint8_t *data;
    uint64_t size;
} KernelImage;

/* Reads the file. On failure writes a message naming the file into err. */
bool kernel_image_read(KernelImage *img, const char *path, char *err, size_t errlen);
void kernel_image_free(KernelImage *img);

/* Copies the image into RAM [ram_base, ram_base + ram_size): an AArch64 ELF64
 * by its PT_LOAD segments' physical addresses, anything else as a raw binary
 * at ram_base + LOADER_RAW_OFFSET. Sets *entry. On failure writes a message
 * (without the "nestor: " prefix) into err and returns false. */
bool kernel_image_load(const KernelImage *img, struct AddressSpace *as, uint64_t ram_base, uint64_t ram_size,
                       uint64_t *entry, char *err, size_t errlen);

#endif
