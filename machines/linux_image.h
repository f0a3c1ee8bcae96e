/* The arm64 Linux kernel Image format (Linux Documentation/arch/arm64/
 * booting.rst): a 64-byte header (text_offset, image_size, flags, the magic
 * "ARM\x64" at byte 56) in front of the kernel, usually inside a PE/COFF
 * file (the EFI stub), and often gzip-compressed as Debian ships vmlinuz. */
#ifndef NESTOR_MACHINES_LINUX_IMAGE_H
#define NESTOR_MACHINES_LINUX_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LINUX_IMAGE_HEADER_SIZE 64
#define LINUX_IMAGE_MAGIC_OFFSET 56
/* Where kernels that predate the header's image_size (before 3.17) go, from
 * the start of RAM: their fixed text_offset. */
#define LINUX_IMAGE_DEFAULT_OFFSET 0x80000ull

typedef struct {
    uint64_t text_offset; /* from a 2 MiB aligned base */
    uint64_t image_size;  /* bytes the kernel occupies in memory (0: unknown, old kernels) */
    uint64_t flags;       /* bit 0: big-endian kernel */
} LinuxImageHeader;

/* True if data holds an arm64 Image header (fills *h). */
bool linux_image_parse(const uint8_t *data, uint64_t size, LinuxImageHeader *h);

/* Checks what can be checked of an Image before it runs: a little-endian
 * kernel, and (for an EFI-stub kernel) every PE/COFF section present in the
 * file, which catches truncated files. Returns an error text or NULL. */
const char *linux_image_check(const uint8_t *data, uint64_t size, const LinuxImageHeader *h);

/* Offset from the start of RAM where the Image goes, as QEMU places it:
 * text_offset when image_size is set (moved up by 2 MiB when it would sit
 * below 4 KiB), else LINUX_IMAGE_DEFAULT_OFFSET. */
uint64_t linux_image_load_offset(const LinuxImageHeader *h);

/* Bytes the loaded kernel occupies from its load address: image_size, or the
 * file size for old kernels that leave it 0. */
uint64_t linux_image_memory_size(const LinuxImageHeader *h, uint64_t file_size);

/* True if data starts like a gzip stream (RFC 1952). */
bool is_gzip(const uint8_t *data, uint64_t size);
/* Inflates a whole gzip file into a new buffer of at most max_out bytes.
 * On failure writes a message into err and returns NULL. */
uint8_t *gunzip(const uint8_t *data, uint64_t size, uint64_t max_out, uint64_t *out_size, char *err, size_t errlen);

#endif
