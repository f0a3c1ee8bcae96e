/* The SDL2 window of -display sdl (display.h). */
#include "machines/display.h"

#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>

struct Display {
    const Framebuffer *fb;
    SDL_Window *window;
    SDL_Renderer *renderer;
    SDL_Texture *texture;
};

Display *display_sdl_open(const Framebuffer *fb, char *err, size_t errlen)
{
    if (SDL_Init(SDL_INIT_VIDEO) != 0) {
        snprintf(err, errlen, "cannot start SDL video: %s", SDL_GetError());
        return NULL;
    }
    Display *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(err, errlen, "out of memory");
        SDL_Quit();
        return NULL;
    }
    d->fb = fb;
    d->window = SDL_CreateWindow("Nestor", SDL_WINDOWPOS_UNDEFINED, SDL_WINDOWPOS_UNDEFINED, (int)fb->width,
                                 (int)fb->height, SDL_WINDOW_RESIZABLE);
    /* no PRESENTVSYNC: presenting must never hold the emulation back */
    d->renderer = d->window ? SDL_CreateRenderer(d->window, -1, 0) : NULL;
    /* ARGB8888 is a packed 32-bit format: in little-endian memory it is the
     * device tree's a8r8g8b8 (B, G, R, A bytes) */
    d->texture = d->renderer ? SDL_CreateTexture(d->renderer, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_STREAMING,
                                                 (int)fb->width, (int)fb->height)
                             : NULL;
    if (!d->texture) {
        snprintf(err, errlen, "cannot open an SDL window: %s", SDL_GetError());
        display_close(d);
        return NULL;
    }
    SDL_RenderSetLogicalSize(d->renderer, (int)fb->width, (int)fb->height);
    return d;
}

bool display_refresh(Display *d)
{
    SDL_Event e;
    while (SDL_PollEvent(&e))
        if (e.type == SDL_QUIT || (e.type == SDL_WINDOWEVENT && e.window.event == SDL_WINDOWEVENT_CLOSE))
            return false;
    SDL_UpdateTexture(d->texture, NULL, d->fb->pixels, (int)d->fb->stride);
    SDL_RenderClear(d->renderer);
    SDL_RenderCopy(d->renderer, d->texture, NULL, NULL);
    SDL_RenderPresent(d->renderer);
    return true;
}

void display_close(Display *d)
{
    if (!d)
        return;
    if (d->texture)
        SDL_DestroyTexture(d->texture);
    if (d->renderer)
        SDL_DestroyRenderer(d->renderer);
    if (d->window)
        SDL_DestroyWindow(d->window);
    free(d);
    SDL_Quit();
}
