/* Serial console input from the host's stdin (host_serial.h). */
#include "machines/host_serial.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define CTRL_A 0x01

/* The terminal state to restore: process-wide, as the terminal is. */
static struct termios saved_termios;
static bool termios_saved;

static void restore_terminal(void)
{
    if (termios_saved) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
        termios_saved = false;
    }
}

static void restore_and_die(int sig)
{
    restore_terminal();
    signal(sig, SIG_DFL);
    raise(sig);
}

void host_serial_open(HostSerial *s)
{
    /* No O_NONBLOCK: on a terminal stdin and stdout usually share one open
     * file, and guest output must never meet EAGAIN. Reads follow a poll. */
    *s = (HostSerial){.fd = fcntl(STDIN_FILENO, F_GETFL) < 0 ? -1 : STDIN_FILENO};
    if (s->fd < 0)
        return;
    atexit(restore_terminal);
    struct termios t;
    if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &t) == 0) {
        saved_termios = t;
        termios_saved = true;
        cfmakeraw(&t);
        t.c_oflag |= OPOST | ONLCR; /* the guest's "\n" still starts a new line on the host */
        tcsetattr(STDIN_FILENO, TCSANOW, &t);
        s->terminal = true;
        signal(SIGTERM, restore_and_die);
        signal(SIGHUP, restore_and_die);
    }
}

void host_serial_close(HostSerial *s)
{
    restore_terminal();
    s->fd = -1;
}

size_t host_serial_read(HostSerial *s, uint8_t *buf, size_t max, int timeout_ms)
{
    if (s->fd < 0 || max == 0)
        return 0;
    struct pollfd p = {.fd = s->fd, .events = POLLIN};
    if (poll(&p, 1, timeout_ms) <= 0)
        return 0;
    uint8_t raw[64];
    ssize_t n = read(s->fd, raw, max < sizeof raw ? max : sizeof raw);
    if (n == 0 || (n < 0 && errno != EINTR)) {
        s->fd = -1; /* end of input: the guest just sees no more bytes */
        return 0;
    }
    size_t out = 0;
    for (ssize_t i = 0; i < n; i++) {
        uint8_t c = raw[i];
        if (s->terminal && s->escape) {
            s->escape = false;
            if (c == 'x' || c == 'X') {
                s->quit = true;
                return out;
            }
            if (c != CTRL_A)
                continue; /* other Ctrl-A commands: none */
        } else if (s->terminal && c == CTRL_A) {
            s->escape = true;
            continue;
        }
        buf[out++] = c;
    }
    return out;
}
