/* display.h for a build without SDL2: -display sdl is an error. */
#include "machines/display.h"

#include <stdio.h>

Display *display_sdl_open(const Framebuffer *fb, char *err, size_t errlen)
{
    (void)fb;
    snprintf(err, errlen, "this Nestor was built without SDL2 (install libsdl2-dev and rebuild), use -display none");
    return NULL;
}

bool display_refresh(Display *d)
{
    (void)d;
    return false;
}

void display_close(Display *d) { (void)d; }
