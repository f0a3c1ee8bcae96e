/* virtio-rng (virtio 1.x §5.4): fills every device-writable buffer. */
#include "machines/virtio_devices.h"

/* splitmix64: small, seedable, and good enough for a guest's entropy pool
 * in an emulator whose runs are meant to be reproducible. */
static uint64_t next_random(VirtioRng *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void rng_notify(VirtioMMIO *t, unsigned q)
{
    VirtioRng *r = t->device;
    VirtioRequest *req = &t->req;
    bool any = false;
    while (virtq_pop(t, q, req)) {
        any = true;
        uint8_t chunk[256];
        uint64_t done = 0;
        while (done < req->in_len) {
            uint64_t n = req->in_len - done < sizeof chunk ? req->in_len - done : sizeof chunk;
            for (uint64_t i = 0; i < n; i += 8) {
                uint64_t v = next_random(r);
                for (unsigned k = 0; k < 8 && i + k < n; k++)
                    chunk[i + k] = (uint8_t)(v >> (8 * k));
            }
            if (!virtq_write(t, req, done, chunk, n)) {
                virtio_mmio_set_broken(t, "virtio-rng buffer outside RAM");
                return;
            }
            done += n;
        }
        virtq_push(t, q, req, (uint32_t)done);
    }
    if (any)
        virtq_notify(t, q);
}

static const VirtioDeviceOps rng_ops = {
    .name = "virtio-rng",
    .device_id = 4,
    .num_queues = 1,
    .notify = rng_notify,
};

const VirtioDeviceOps *virtio_rng_setup(VirtioRng *r, uint64_t seed)
{
    r->state = seed;
    return &rng_ops;
}
