/* A window showing a framebuffer (-display sdl). The board refreshes it
 * from the guest's pixels about 60 times per second of host time, between
 * CPU quanta: the guest never waits for the window, and the window never
 * changes what the guest computes (runs stay deterministic). */
#ifndef NESTOR_MACHINES_DISPLAY_H
#define NESTOR_MACHINES_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machines/framebuffer.h"

#define DISPLAY_REFRESH_NS 16666667ull /* 60 Hz */

typedef struct Display Display;

/* Opens an SDL2 window for fb. NULL with a message in err when SDL cannot
 * start or this Nestor was built without SDL2. */
Display *display_sdl_open(const Framebuffer *fb, char *err, size_t errlen);
/* Redraws the window and handles its events; false once the user closed it. */
bool display_refresh(Display *d);
void display_close(Display *d);

#endif
