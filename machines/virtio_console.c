/* virtio-console (virtio 1.x §5.3): one port, the console (hvc0 in Linux).
 * No feature bits are offered: VIRTIO_CONSOLE_F_SIZE would need a terminal
 * size the run does not depend on, and MULTIPORT control queues that a
 * single console does not use. */
#include <string.h>

#include "machines/virtio_devices.h"

enum { QUEUE_RX = 0, QUEUE_TX = 1 };
/* Configuration space (struct virtio_console_config): cols, rows, max_nr_ports,
 * emerg_wr. Without the features that give them meaning the driver reads
 * none of them; max_nr_ports still says the truth. */
enum { CFG_MAX_NR_PORTS = 4, CFG_SIZE = 8 };

static void tx_notify(VirtioMMIO *t)
{
    VirtioConsole *c = t->device;
    VirtioRequest *req = &t->req;
    bool any = false;
    while (virtq_pop(t, QUEUE_TX, req)) {
        any = true;
        uint8_t chunk[512];
        for (uint64_t done = 0; done < req->out_len;) {
            uint64_t n = req->out_len - done < sizeof chunk ? req->out_len - done : sizeof chunk;
            if (!virtq_read(t, req, done, chunk, n)) {
                virtio_mmio_set_broken(t, "virtio-console transmit buffer outside RAM");
                return;
            }
            if (c->out)
                fwrite(chunk, 1, n, c->out);
            done += n;
        }
        virtq_push(t, QUEUE_TX, req, 0);
    }
    if (c->out)
        fflush(c->out); /* the guest may stop at any instruction: never hold output back */
    if (any)
        virtq_notify(t, QUEUE_TX);
}

/* Fills receive buffers while input waits: a buffer is taken only when
 * there are bytes for it. */
static void rx_deliver(VirtioMMIO *t)
{
    VirtioConsole *c = t->device;
    VirtioRequest *req = &t->req;
    bool any = false;
    while (c->in_count && virtq_pop(t, QUEUE_RX, req)) {
        any = true;
        uint32_t written = 0;
        while (c->in_count && written < req->in_len) {
            unsigned run = VIRTIO_CONSOLE_INPUT - c->in_head; /* contiguous bytes in the ring */
            uint64_t n = c->in_count < run ? c->in_count : run;
            if (n > req->in_len - written)
                n = req->in_len - written;
            if (!virtq_write(t, req, written, c->in + c->in_head, n)) {
                virtio_mmio_set_broken(t, "virtio-console receive buffer outside RAM");
                return;
            }
            c->in_head = (unsigned)((c->in_head + n) % VIRTIO_CONSOLE_INPUT);
            c->in_count -= (unsigned)n;
            written += (uint32_t)n;
        }
        virtq_push(t, QUEUE_RX, req, written);
    }
    if (any)
        virtq_notify(t, QUEUE_RX);
}

static void console_notify(VirtioMMIO *t, unsigned q)
{
    if (q == QUEUE_TX)
        tx_notify(t);
    else
        rx_deliver(t);
}

/* A device reset drops input the old driver never took. */
static void console_reset(VirtioMMIO *t)
{
    VirtioConsole *c = t->device;
    c->in_head = c->in_count = 0;
}

static const VirtioDeviceOps console_ops = {
    .name = "virtio-console",
    .device_id = 3,
    .num_queues = 2,
    .config_size = CFG_SIZE,
    .notify = console_notify,
    .reset = console_reset,
};

const VirtioDeviceOps *virtio_console_setup(VirtioConsole *c, VirtioMMIO *t, FILE *out)
{
    *c = (VirtioConsole){.out = out};
    memset(t->config, 0, sizeof t->config);
    t->config[CFG_MAX_NR_PORTS] = 1;
    return &console_ops;
}

unsigned virtio_console_rx_room(const VirtioConsole *c) { return VIRTIO_CONSOLE_INPUT - c->in_count; }

void virtio_console_receive(VirtioMMIO *t, const uint8_t *buf, size_t n)
{
    VirtioConsole *c = t->device;
    for (size_t i = 0; i < n && c->in_count < VIRTIO_CONSOLE_INPUT; i++)
        c->in[(c->in_head + c->in_count++) % VIRTIO_CONSOLE_INPUT] = buf[i];
    rx_deliver(t);
}
