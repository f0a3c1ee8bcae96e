/* simple-framebuffer memory (framebuffer.h). */
#include "machines/framebuffer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmu/physmem.h"
#include "trace/log.h"

bool framebuffer_init(Framebuffer *fb, uint32_t width, uint32_t height)
{
    uint64_t stride = (uint64_t)width * FRAMEBUFFER_BPP;
    uint64_t size = (stride * height + 4095) & ~4095ull;
    *fb = (Framebuffer){.width = width, .height = height, .stride = (uint32_t)stride, .size = size};
    fb->pixels = calloc(1, size);
    return fb->pixels != NULL;
}

void framebuffer_destroy(Framebuffer *fb)
{
    free(fb->pixels);
    fb->pixels = NULL;
}

/* Any access size, little-endian, as memory: the guest maps it as Normal
 * (write-combining in Linux) and may use any load or store on it. */
static bool fb_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
    const Framebuffer *fb = opaque;
    *value = 0;
    if (offset + size > fb->size)
        return false;
    for (unsigned i = size; i-- > 0;)
        *value = *value << 8 | fb->pixels[offset + i];
    return true;
}

static bool fb_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
    Framebuffer *fb = opaque;
    if (offset + size > fb->size)
        return false;
    for (unsigned i = 0; i < size; i++)
        fb->pixels[offset + i] = (uint8_t)(value >> (8 * i));
    return true;
}

static const MMIOOps fb_ops = {.read = fb_read, .write = fb_write};

void framebuffer_map(Framebuffer *fb, AddressSpace *as, uint64_t base)
{
    as_add_mmio(as, "framebuffer", base, fb->size, &fb_ops, fb);
}

bool framebuffer_write_ppm(const Framebuffer *fb, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        snprintf(err, errlen, "cannot create '%s': %s", path, strerror(errno));
        return false;
    }
    fprintf(f, "P6\n%u %u\n255\n", fb->width, fb->height);
    uint8_t *line = malloc((size_t)fb->width * 3);
    bool ok = line != NULL;
    for (uint32_t y = 0; ok && y < fb->height; y++) {
        const uint8_t *p = fb->pixels + (uint64_t)y * fb->stride;
        for (uint32_t x = 0; x < fb->width; x++, p += FRAMEBUFFER_BPP) {
            line[3 * x] = p[2]; /* a8r8g8b8 in little-endian memory: B, G, R, A */
            line[3 * x + 1] = p[1];
            line[3 * x + 2] = p[0];
        }
        ok = fwrite(line, 3, fb->width, f) == fb->width;
    }
    free(line);
    if (fclose(f) != 0)
        ok = false;
    if (!ok)
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
    return ok;
}
