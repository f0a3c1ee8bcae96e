/* A simple-framebuffer: a linear a8r8g8b8 pixel buffer the guest draws
 * into (Linux's simplefb/simpledrm find it in the device tree), shown by
 * a display (display.h) and dumped to a PPM file. The pixels live in host
 * memory behind an MMIO region: the guest's physical RAM (mmu/physmem.h)
 * is one region, and the framebuffer is not part of the guest's RAM node. */
#ifndef NESTOR_MACHINES_FRAMEBUFFER_H
#define NESTOR_MACHINES_FRAMEBUFFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct AddressSpace;

#define FRAMEBUFFER_BPP 4 /* a8r8g8b8: one little-endian 32-bit word per pixel, alpha ignored */

typedef struct {
    uint32_t width, height, stride; /* pixels, pixels, bytes per line */
    uint64_t size;                  /* bytes of the region (a whole number of 4 KiB pages) */
    uint8_t *pixels;
} Framebuffer;

/* Allocates a black width x height framebuffer; false if out of memory. */
bool framebuffer_init(Framebuffer *fb, uint32_t width, uint32_t height);
void framebuffer_destroy(Framebuffer *fb);
void framebuffer_map(Framebuffer *fb, struct AddressSpace *as, uint64_t base);
/* Writes the picture as a binary PPM (P6, 8 bits per channel). False with
 * a message in err if the file cannot be written. */
bool framebuffer_write_ppm(const Framebuffer *fb, const char *path, char *err, size_t errlen);

#endif
