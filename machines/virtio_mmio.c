/* virtio-mmio transport and split virtqueues (virtio_mmio.h). */
#include "machines/virtio_mmio.h"

#include <inttypes.h>
#include <string.h>

#include "mmu/physmem.h"
#include "trace/log.h"

/* Register offsets (virtio 1.x §4.2.2). */
enum {
    REG_MAGIC = 0x000, REG_VERSION = 0x004, REG_DEVICE_ID = 0x008, REG_VENDOR_ID = 0x00c,
    REG_DEVICE_FEATURES = 0x010, REG_DEVICE_FEATURES_SEL = 0x014, REG_DRIVER_FEATURES = 0x020,
    REG_DRIVER_FEATURES_SEL = 0x024, REG_QUEUE_SEL = 0x030, REG_QUEUE_NUM_MAX = 0x034, REG_QUEUE_NUM = 0x038,
    REG_QUEUE_READY = 0x044, REG_QUEUE_NOTIFY = 0x050, REG_INTERRUPT_STATUS = 0x060, REG_INTERRUPT_ACK = 0x064,
    REG_STATUS = 0x070, REG_QUEUE_DESC_LOW = 0x080, REG_QUEUE_DESC_HIGH = 0x084, REG_QUEUE_DRIVER_LOW = 0x090,
    REG_QUEUE_DRIVER_HIGH = 0x094, REG_QUEUE_DEVICE_LOW = 0x0a0, REG_QUEUE_DEVICE_HIGH = 0x0a4,
    REG_SHM_SEL = 0x0ac, REG_SHM_LEN_LOW = 0x0b0, REG_SHM_LEN_HIGH = 0x0b4, REG_SHM_BASE_LOW = 0x0b8,
    REG_SHM_BASE_HIGH = 0x0bc, REG_CONFIG_GENERATION = 0x0fc, REG_CONFIG = 0x100,
};

#define VIRTIO_MAGIC 0x74726976u  /* "virt" */
#define VIRTIO_VENDOR 0x554d4551u /* "QEMU", as QEMU's transports report */

enum { INT_USED_BUFFER = 1, INT_CONFIG_CHANGE = 2 };
enum { DESC_F_NEXT = 1, DESC_F_WRITE = 2, DESC_F_INDIRECT = 4 };
enum { AVAIL_F_NO_INTERRUPT = 1 };

static uint64_t offered_features(const VirtioMMIO *t)
{
    return t->ops ? t->ops->features | VIRTIO_F_VERSION_1 | VIRTIO_F_INDIRECT_DESC : 0;
}

static void update_irq(VirtioMMIO *t)
{
    if (t->set_irq)
        t->set_irq(t->irq_opaque, t->int_status != 0);
}

void virtio_mmio_reset(VirtioMMIO *t)
{
    t->status = t->device_features_sel = t->driver_features_sel = t->queue_sel = t->int_status = 0;
    t->driver_features = 0;
    memset(t->vq, 0, sizeof t->vq);
    if (t->ops && t->ops->reset)
        t->ops->reset(t);
    update_irq(t);
}

void virtio_mmio_init(VirtioMMIO *t, AddressSpace *as, const VirtioDeviceOps *ops, void *device,
                      void (*set_irq)(void *opaque, bool level), void *irq_opaque)
{
    memset(t, 0, sizeof *t);
    t->as = as;
    t->ops = ops;
    t->device = device;
    t->set_irq = set_irq;
    t->irq_opaque = irq_opaque;
    virtio_mmio_reset(t);
}

void virtio_mmio_set_broken(VirtioMMIO *t, const char *why)
{
    if (log_enabled(LOG_GUEST_ERRORS))
        log_printf("virtio-mmio %s: %s: device needs reset\n", t->ops ? t->ops->name : "(empty)", why);
    t->status |= VIRTIO_STATUS_NEEDS_RESET;
    t->int_status |= INT_CONFIG_CHANGE;
    update_irq(t);
}

static bool device_live(const VirtioMMIO *t)
{
    return (t->status & VIRTIO_STATUS_DRIVER_OK) && !(t->status & VIRTIO_STATUS_NEEDS_RESET);
}

/* ---- guest memory of the rings (little-endian, as on every virtio 1 device) ---- */
static bool rd16(VirtioMMIO *t, uint64_t addr, uint16_t *v)
{
    uint8_t b[2];
    if (!as_read_bytes(t->as, addr, b, 2))
        return false;
    *v = (uint16_t)(b[0] | b[1] << 8);
    return true;
}

static bool wr16(VirtioMMIO *t, uint64_t addr, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
    return as_write_bytes(t->as, addr, b, 2);
}

static bool wr32(VirtioMMIO *t, uint64_t addr, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    return as_write_bytes(t->as, addr, b, 4);
}

typedef struct {
    uint64_t addr;
    uint32_t len;
    uint16_t flags, next;
} Desc;

static bool read_desc(VirtioMMIO *t, uint64_t table, unsigned i, Desc *d)
{
    uint8_t b[16];
    if (!as_read_bytes(t->as, table + 16ull * i, b, sizeof b))
        return false;
    d->addr = 0;
    for (int k = 7; k >= 0; k--)
        d->addr = d->addr << 8 | b[k];
    d->len = (uint32_t)b[8] | (uint32_t)b[9] << 8 | (uint32_t)b[10] << 16 | (uint32_t)b[11] << 24;
    d->flags = (uint16_t)(b[12] | b[13] << 8);
    d->next = (uint16_t)(b[14] | b[15] << 8);
    return true;
}

static bool add_segment(VirtioRequest *req, const Desc *d, const char **why)
{
    bool write = d->flags & DESC_F_WRITE;
    if (req->nsegs == VIRTIO_MAX_SEGMENTS)
        return *why = "descriptor chain too long", false;
    if (!write && req->in_len)
        return *why = "readable descriptor after a writable one", false;
    req->seg[req->nsegs++] = (VirtioSegment){d->addr, d->len, write};
    if (write)
        req->in_len += d->len;
    else
        req->out_len += d->len;
    return true;
}

/* Follows an indirect table (§2.7.5.3.2): no nesting, chained by next inside it. */
static bool walk_indirect(VirtioMMIO *t, const Desc *outer, VirtioRequest *req, const char **why)
{
    if (outer->len == 0 || outer->len % 16)
        return *why = "indirect table length is not a multiple of 16", false;
    unsigned n = outer->len / 16, i = 0;
    for (unsigned hops = 0;; hops++) {
        Desc d;
        if (hops == n || i >= n)
            return *why = "indirect chain loops or leaves its table", false;
        if (!read_desc(t, outer->addr, i, &d))
            return *why = "indirect table outside RAM", false;
        if (d.flags & DESC_F_INDIRECT)
            return *why = "nested indirect descriptor", false;
        if (!add_segment(req, &d, why))
            return false;
        if (!(d.flags & DESC_F_NEXT))
            return true;
        i = d.next;
    }
}

bool virtq_pop(VirtioMMIO *t, unsigned q, VirtioRequest *req)
{
    VirtQueue *vq = &t->vq[q];
    if (!device_live(t) || !vq->ready || !vq->num)
        return false;
    uint16_t avail_idx;
    const char *why = "available ring outside RAM";
    if (!rd16(t, vq->avail + 2, &avail_idx))
        goto broken;
    if (avail_idx == vq->last_avail)
        return false;
    why = "available index runs ahead of the ring";
    if ((uint16_t)(avail_idx - vq->last_avail) > vq->num)
        goto broken;
    uint16_t head;
    why = "available ring outside RAM";
    if (!rd16(t, vq->avail + 4 + 2ull * (vq->last_avail % vq->num), &head))
        goto broken;
    why = "descriptor index out of range";
    if (head >= vq->num)
        goto broken;
    req->head = head;
    req->nsegs = 0;
    req->in_len = req->out_len = 0;
    unsigned i = head;
    for (unsigned hops = 0;; hops++) {
        Desc d;
        why = "descriptor chain loops";
        if (hops == vq->num)
            goto broken;
        why = "descriptor table outside RAM";
        if (!read_desc(t, vq->desc, i, &d))
            goto broken;
        if (d.flags & DESC_F_INDIRECT) {
            why = "indirect descriptor combined with NEXT";
            if ((d.flags & DESC_F_NEXT) || !(t->driver_features & VIRTIO_F_INDIRECT_DESC))
                goto broken;
            if (!walk_indirect(t, &d, req, &why))
                goto broken;
            break;
        }
        if (!add_segment(req, &d, &why))
            goto broken;
        if (!(d.flags & DESC_F_NEXT))
            break;
        why = "descriptor index out of range";
        if (d.next >= vq->num)
            goto broken;
        i = d.next;
    }
    vq->last_avail++;
    return true;
broken:
    virtio_mmio_set_broken(t, why);
    return false;
}

static bool copy(VirtioMMIO *t, const VirtioRequest *req, bool to_guest, uint64_t offset, void *buf, uint64_t len)
{
    uint8_t *p = buf;
    for (unsigned i = 0; i < req->nsegs && len; i++) {
        const VirtioSegment *s = &req->seg[i];
        if (s->write != to_guest)
            continue;
        if (offset >= s->len) {
            offset -= s->len;
            continue;
        }
        uint64_t n = s->len - offset < len ? s->len - offset : len;
        bool ok = to_guest ? as_write_bytes(t->as, s->addr + offset, p, n)
                           : as_read_bytes(t->as, s->addr + offset, p, n);
        if (!ok)
            return false;
        p += n, len -= n, offset = 0;
    }
    return len == 0;
}

bool virtq_read(VirtioMMIO *t, const VirtioRequest *req, uint64_t offset, void *buf, uint64_t len)
{
    return copy(t, req, false, offset, buf, len);
}

bool virtq_write(VirtioMMIO *t, const VirtioRequest *req, uint64_t offset, const void *buf, uint64_t len)
{
    return copy(t, req, true, offset, (void *)buf, len);
}

void virtq_push(VirtioMMIO *t, unsigned q, const VirtioRequest *req, uint32_t written)
{
    VirtQueue *vq = &t->vq[q];
    uint64_t elem = vq->used + 4 + 8ull * (vq->used_idx % vq->num);
    if (!wr32(t, elem, req->head) || !wr32(t, elem + 4, written) || !wr16(t, vq->used + 2, ++vq->used_idx))
        virtio_mmio_set_broken(t, "used ring outside RAM");
}

void virtq_notify(VirtioMMIO *t, unsigned q)
{
    uint16_t flags;
    if (rd16(t, t->vq[q].avail, &flags) && (flags & AVAIL_F_NO_INTERRUPT))
        return;
    t->int_status |= INT_USED_BUFFER;
    update_irq(t);
}

/* ---- registers ---- */
static void bad_access(VirtioMMIO *t, const char *what, uint64_t offset, unsigned size)
{
    if (log_enabled(LOG_GUEST_ERRORS))
        log_printf("virtio-mmio %s: %s of offset 0x%03" PRIx64 " size %u ignored\n", t->ops ? t->ops->name : "(empty)",
                   what, offset, size);
}

static uint32_t read_reg(VirtioMMIO *t, uint64_t offset)
{
    VirtQueue *vq = t->queue_sel < VIRTIO_MAX_QUEUES ? &t->vq[t->queue_sel] : NULL;
    bool queue_exists = t->ops && t->queue_sel < t->ops->num_queues;
    switch (offset) {
    case REG_MAGIC: return VIRTIO_MAGIC;
    case REG_VERSION: return 2;
    case REG_DEVICE_ID: return t->ops ? t->ops->device_id : 0;
    case REG_VENDOR_ID: return VIRTIO_VENDOR;
    case REG_DEVICE_FEATURES:
        return t->device_features_sel < 2 ? (uint32_t)(offered_features(t) >> (32 * t->device_features_sel)) : 0;
    case REG_QUEUE_NUM_MAX: return queue_exists ? VIRTIO_QUEUE_MAX : 0;
    case REG_QUEUE_READY: return queue_exists && vq->ready;
    case REG_INTERRUPT_STATUS: return t->int_status;
    case REG_STATUS: return t->status;
    case REG_SHM_LEN_LOW: case REG_SHM_LEN_HIGH: case REG_SHM_BASE_LOW: case REG_SHM_BASE_HIGH:
        return ~0u; /* no shared memory regions: length -1 (§4.2.2) */
    case REG_CONFIG_GENERATION: return t->config_generation;
    default:
        bad_access(t, "read", offset, 4);
        return 0;
    }
}

static void set_high(uint64_t *v, uint32_t value) { *v = (*v & 0xffffffffull) | (uint64_t)value << 32; }
static void set_low(uint64_t *v, uint32_t value) { *v = (*v & ~0xffffffffull) | value; }

/* FEATURES_OK sticks only for a feature set the device offered, with VERSION_1. */
static void write_status(VirtioMMIO *t, uint32_t value)
{
    if (value == 0) {
        virtio_mmio_reset(t);
        return;
    }
    if ((value & VIRTIO_STATUS_FEATURES_OK) && !(t->status & VIRTIO_STATUS_FEATURES_OK)) {
        uint64_t f = t->driver_features;
        if ((f & ~offered_features(t)) || !(f & VIRTIO_F_VERSION_1))
            value &= ~(uint32_t)VIRTIO_STATUS_FEATURES_OK;
    }
    t->status = (value & 0xff) | (t->status & VIRTIO_STATUS_NEEDS_RESET);
}

static void write_reg(VirtioMMIO *t, uint64_t offset, uint32_t value)
{
    bool queue_exists = t->ops && t->queue_sel < t->ops->num_queues;
    VirtQueue *vq = queue_exists ? &t->vq[t->queue_sel] : NULL;
    switch (offset) {
    case REG_DEVICE_FEATURES_SEL: t->device_features_sel = value; return;
    case REG_DRIVER_FEATURES:
        if (t->driver_features_sel == 0)
            set_low(&t->driver_features, value);
        else if (t->driver_features_sel == 1)
            set_high(&t->driver_features, value);
        return;
    case REG_DRIVER_FEATURES_SEL: t->driver_features_sel = value; return;
    case REG_QUEUE_SEL: t->queue_sel = value; return;
    case REG_INTERRUPT_ACK:
        t->int_status &= ~value;
        update_irq(t);
        return;
    case REG_STATUS: write_status(t, value); return;
    case REG_SHM_SEL: return;
    case REG_QUEUE_NOTIFY:
        if (t->ops && value < t->ops->num_queues && t->vq[value].ready && device_live(t))
            t->ops->notify(t, value);
        return;
    default: break;
    }
    if (!vq) {
        bad_access(t, "queue register write without a selected queue", offset, 4);
        return;
    }
    switch (offset) {
    case REG_QUEUE_NUM:
        /* A size the driver may pick: a power of two up to QueueNumMax. */
        vq->num = value && value <= VIRTIO_QUEUE_MAX && !(value & (value - 1)) ? value : 0;
        return;
    case REG_QUEUE_READY:
        vq->ready = value & 1;
        if (!vq->ready)
            vq->last_avail = vq->used_idx = 0;
        return;
    case REG_QUEUE_DESC_LOW: set_low(&vq->desc, value); return;
    case REG_QUEUE_DESC_HIGH: set_high(&vq->desc, value); return;
    case REG_QUEUE_DRIVER_LOW: set_low(&vq->avail, value); return;
    case REG_QUEUE_DRIVER_HIGH: set_high(&vq->avail, value); return;
    case REG_QUEUE_DEVICE_LOW: set_low(&vq->used, value); return;
    case REG_QUEUE_DEVICE_HIGH: set_high(&vq->used, value); return;
    default: bad_access(t, "write", offset, 4); return;
    }
}

/* Registers take 32-bit accesses only (§4.2.2.2); the configuration space
 * any natural size. Other accesses are ignored and read as zero, as QEMU. */
static bool mmio_read(void *opaque, uint64_t offset, unsigned size, uint64_t *value)
{
    VirtioMMIO *t = opaque;
    *value = 0;
    if (offset >= REG_CONFIG) {
        uint64_t at = offset - REG_CONFIG;
        if (t->ops && at < t->ops->config_size && size <= t->ops->config_size - at)
            for (unsigned i = size; i-- > 0;)
                *value = *value << 8 | t->config[at + i];
        return true;
    }
    if (size != 4) {
        bad_access(t, "read", offset, size);
        return true;
    }
    *value = read_reg(t, offset);
    return true;
}

static bool mmio_write(void *opaque, uint64_t offset, unsigned size, uint64_t value)
{
    VirtioMMIO *t = opaque;
    if (offset >= REG_CONFIG) {
        bad_access(t, "configuration write", offset, size); /* no writable fields offered */
        return true;
    }
    if (size != 4) {
        bad_access(t, "write", offset, size);
        return true;
    }
    write_reg(t, offset, (uint32_t)value);
    return true;
}

static const MMIOOps virtio_mmio_ops = {.read = mmio_read, .write = mmio_write};

void virtio_mmio_map(VirtioMMIO *t, AddressSpace *as, uint64_t base)
{
    as_add_mmio(as, "virtio-mmio", base, VIRTIO_MMIO_SIZE, &virtio_mmio_ops, t);
}
