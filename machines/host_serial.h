/* The host side of the serial console: the guest's UART input comes from
 * stdin. On a terminal, stdin is put into raw mode (keys go to the guest,
 * Ctrl-C included; the guest echoes) and restored at exit; Ctrl-A x quits
 * and Ctrl-A Ctrl-A sends one Ctrl-A, as with QEMU's -nographic. */
#ifndef NESTOR_MACHINES_HOST_SERIAL_H
#define NESTOR_MACHINES_HOST_SERIAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    int fd;            /* -1: no input (closed, at end of file, or never opened) */
    bool terminal;     /* a TTY in raw mode: idle guests wait for keys in real time */
    bool escape;       /* Ctrl-A seen, waiting for the command key */
    bool quit;         /* Ctrl-A x */
} HostSerial;

/* Starts reading stdin (non-blocking). */
void host_serial_open(HostSerial *s);
/* Restores the terminal (also done at exit). */
void host_serial_close(HostSerial *s);
/* Reads up to max bytes for the guest, waiting at most timeout_ms for the
 * first (0: do not wait). Returns the count; sets s->quit on Ctrl-A x. */
size_t host_serial_read(HostSerial *s, uint8_t *buf, size_t max, int timeout_ms);

#endif
