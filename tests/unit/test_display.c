/* The simple-framebuffer as the guest sees it (MMIO of any size, little-
 * endian pixels), its PPM dump, and the SDL window on SDL's dummy video
 * driver: it draws without a screen and reports the window being closed. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "machines/display.h"
#include "machines/framebuffer.h"
#include "mmu/physmem.h"
#include "unit_main.h"

#if NESTOR_TEST_SDL
#include <SDL.h>
#endif

#define FB 0x0c000000ull

START_TEST(pixels_and_ppm)
{
    AddressSpace as;
    as_init(&as);
    Framebuffer fb;
    ck_assert(framebuffer_init(&fb, 3, 2));
    ck_assert_uint_eq(fb.stride, 12);
    ck_assert_uint_eq(fb.size, 4096);
    framebuffer_map(&fb, &as, FB);
    const MemRegion *r = as_find(&as, FB);
    ck_assert(r && !r->ram);
    /* pixel (0,0) by a 32-bit store, (1,0) and (2,0) by one 64-bit store, (0,1) by bytes */
    ck_assert(r->ops->write(r->opaque, 0, 4, 0xff102030));
    ck_assert(r->ops->write(r->opaque, 4, 8, 0xff0000ffff00ff00ull));
    ck_assert(r->ops->write(r->opaque, 12, 1, 0x01));
    ck_assert(r->ops->write(r->opaque, 13, 1, 0x02));
    ck_assert(r->ops->write(r->opaque, 14, 1, 0x03));
    uint64_t v;
    ck_assert(r->ops->read(r->opaque, 2, 2, &v));
    ck_assert_uint_eq(v, 0xff10);
    ck_assert(!r->ops->read(r->opaque, fb.size - 2, 4, &v)); /* runs past the region: bus error */
    char path[] = "/tmp/nestor-fb-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    char err[256];
    ck_assert(framebuffer_write_ppm(&fb, path, err, sizeof err));
    FILE *f = fopen(path, "rb");
    uint8_t data[64];
    size_t n = fread(data, 1, sizeof data, f);
    fclose(f);
    unlink(path);
    static const char header[] = "P6\n3 2\n255\n";
    ck_assert_uint_eq(n, strlen(header) + 18);
    ck_assert_mem_eq(data, header, strlen(header));
    static const uint8_t rgb[18] = {0x10, 0x20, 0x30, 0x00, 0xff, 0x00, 0x00, 0x00, 0xff,
                                    0x03, 0x02, 0x01, 0, 0, 0, 0, 0, 0};
    ck_assert_mem_eq(data + strlen(header), rgb, sizeof rgb);
    ck_assert(!framebuffer_write_ppm(&fb, "/nonexistent-dir/x.ppm", err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "cannot create '/nonexistent-dir/x.ppm'"));
    framebuffer_destroy(&fb);
    as_destroy(&as);
}
END_TEST

#if NESTOR_TEST_SDL
START_TEST(sdl_window_closes)
{
    setenv("SDL_VIDEODRIVER", "dummy", 1);
    Framebuffer fb;
    ck_assert(framebuffer_init(&fb, 64, 32));
    char err[256];
    Display *d = display_sdl_open(&fb, err, sizeof err);
    ck_assert_msg(d, "%s", err);
    ck_assert(display_refresh(d));
    ck_assert(display_refresh(d));
    SDL_Event quit = {.type = SDL_QUIT};
    ck_assert_int_eq(SDL_PushEvent(&quit), 1);
    ck_assert(!display_refresh(d)); /* the board powers off */
    display_close(d);
    framebuffer_destroy(&fb);
}
END_TEST
#endif

int main(void)
{
    Suite *s = suite_create("display");
    TCase *tc = tcase_create("framebuffer");
    tcase_add_test(tc, pixels_and_ppm);
#if NESTOR_TEST_SDL
    tcase_add_test(tc, sdl_window_closes);
#endif
    suite_add_tcase(s, tc);
    return unit_run_suite(s, true);
}
