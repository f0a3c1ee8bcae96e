/*
 * Draws a pattern into the virt board's simple-framebuffer (Nestor only:
 * QEMU's virt has none; run with -screendump FILE, which the checker
 * screendump_check.py compares with the same pattern). Even lines are
 * written pixel by pixel (32-bit stores), odd lines two pixels per 64-bit
 * store; a few pixels are read back with byte and word loads.
 */
#include "testlib.h"

#define FB_BASE 0x0c000000ul
#define FB_WIDTH 640u
#define FB_HEIGHT 480u
#define FB_STRIDE (FB_WIDTH * 4u)

static uint32_t pattern(uint32_t x, uint32_t y)
{
    return 0xff000000u | (x * 255u / (FB_WIDTH - 1)) << 16 | (y * 255u / (FB_HEIGHT - 1)) << 8 |
           ((x ^ y) & 31u) << 3;
}

int main(void)
{
    for (uint32_t y = 0; y < FB_HEIGHT; y++) {
        uintptr_t line = FB_BASE + (uintptr_t)y * FB_STRIDE;
        if (y % 2 == 0) {
            for (uint32_t x = 0; x < FB_WIDTH; x++)
                *(volatile uint32_t *)(line + 4 * x) = pattern(x, y);
        } else {
            for (uint32_t x = 0; x < FB_WIDTH; x += 2)
                *(volatile uint64_t *)(line + 4 * x) = (uint64_t)pattern(x + 1, y) << 32 | pattern(x, y);
        }
    }
    CHECK_EQ("pixel (0,0)", *(volatile uint32_t *)FB_BASE, pattern(0, 0));
    CHECK_EQ("pixel (639,479)", *(volatile uint32_t *)(FB_BASE + 479ul * FB_STRIDE + 639 * 4), pattern(639, 479));
    CHECK_EQ("red byte of pixel (320,1)", *(volatile uint8_t *)(FB_BASE + FB_STRIDE + 320 * 4 + 2),
             pattern(320, 1) >> 16 & 0xff);
    printf("framebuffer: %ux%u drawn\n", FB_WIDTH, FB_HEIGHT);
    return 0;
}
