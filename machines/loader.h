/* Guest image loading for -kernel. */
#ifndef NESTOR_MACHINES_LOADER_H
#define NESTOR_MACHINES_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machines/linux_image.h"

struct AddressSpace;

/* Where a raw image goes: where a Linux Image without image_size would. */
#define LOADER_RAW_OFFSET LINUX_IMAGE_DEFAULT_OFFSET

/* Decompressed images larger than this are refused (Debian's arm64 kernel
 * is about 40 MiB uncompressed). */
#define LOADER_MAX_GUNZIP_BYTES (512ull << 20)

typedef enum {
    KERNEL_ELF,   /* AArch64 ELF64: loaded by its program headers */
    KERNEL_LINUX, /* arm64 Linux Image: Linux boot protocol (x0 = DTB) */
    KERNEL_RAW,   /* anything else: a bare-metal binary at LOADER_RAW_OFFSET */
} KernelKind;

/* A file read into host memory once (-kernel, -initrd, -dtb), so that a
 * machine reset reloads it without touching the file system again. */
typedef struct {
    const char *path;
    uint8_t *data;
    uint64_t size;
    KernelKind kind;          /* -kernel only */
    LinuxImageHeader header;  /* KERNEL_LINUX */
} KernelImage;

/* Reads a file; what names it in messages ("kernel", "initrd", ...). */
bool host_file_read(KernelImage *img, const char *what, const char *path, char *err, size_t errlen);
/* Reads a -kernel file, decompresses gzip, and classifies it; refuses files
 * that cannot be an AArch64 guest (other architectures, truncated Images). */
bool kernel_image_read(KernelImage *img, const char *path, char *err, size_t errlen);
void kernel_image_free(KernelImage *img);

/* Where a loaded kernel went. */
typedef struct {
    uint64_t entry;
    uint64_t start, end; /* guest physical bytes it occupies (Linux: image_size) */
} KernelPlacement;

/* Copies the image into RAM [ram_base, ram_base + ram_size): an AArch64 ELF64
 * by its PT_LOAD segments' physical addresses, a Linux Image at the offset
 * linux_image_load_offset gives, anything else as a raw binary at ram_base +
 * LOADER_RAW_OFFSET. On failure writes a message (without the "nestor: "
 * prefix) into err and returns false. */
bool kernel_image_load(const KernelImage *img, struct AddressSpace *as, uint64_t ram_base, uint64_t ram_size,
                       KernelPlacement *out, char *err, size_t errlen);

#endif
