/* The virt board's devices beyond the UART: the PL031 RTC and 32 virtio-mmio
 * slots, placed and numbered as on QEMU's virt, and the SPI lines every
 * device's interrupt output drives. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "machines/virt.h"
#include "sysregs/cpu_model.h"
#include "trace/log.h"

/* Seed of the virtio-rng generator: fixed, so runs are reproducible. */
#define VIRT_RNG_SEED 0x6e6573746f72ull /* "nestor" */

void virt_set_spi(VirtMachine *m, unsigned spi, bool level) { gicv3_set_spi(&m->gic, VIRT_SPI_INTID(spi), level); }

void virt_spi_line_set(void *opaque, bool level)
{
    struct VirtSPILine *line = opaque;
    virt_set_spi(line->m, line->spi, level);
}

void *virt_spi_line(VirtMachine *m, unsigned spi)
{
    m->spi_line[spi] = (struct VirtSPILine){m, spi};
    return &m->spi_line[spi];
}

/* Virtual time for the RTC: the boot CPU's counter, in nanoseconds, at the
 * counter's rate from the CPU model (not the guest-writable CNTFRQ_EL0). */
static uint64_t virtual_ns(void *opaque)
{
    VirtMachine *m = opaque;
    const CPUState *boot = &m->cpus[0];
    uint64_t model_freq = boot->model->values[SR_CNTFRQ_EL0], freq = model_freq ? model_freq : 1;
    uint64_t ticks = cpu_counter(boot);
    return ticks / freq * 1000000000ull + ticks % freq * 1000000000ull / freq;
}

void virt_devices_create(VirtMachine *m)
{
    m->stdin_console = -1;
    pl031_init(&m->rtc, m->config.rtc_base, virtual_ns, m, virt_spi_line_set, virt_spi_line(m, VIRT_RTC_SPI));
    pl031_map(&m->rtc, &m->as, VIRT_RTC_BASE);
    for (unsigned slot = 0; slot < VIRT_MMIO_SLOTS; slot++) {
        /* the first -device takes the highest slot, as on QEMU's virt */
        unsigned d = VIRT_MMIO_SLOTS - 1 - slot;
        const VirtioDeviceOps *ops = NULL;
        void *device = NULL;
        if (d < m->config.ndevices) {
            const VirtDeviceConfig *c = &m->config.devices[d];
            char err[4400];
            switch (c->kind) {
            case VIRT_DEVICE_VIRTIO_BLK:
                if (!blockdev_open(&m->disks[slot], c->file, c->readonly, c->snapshot, err, sizeof err))
                    nestor_fatal("-drive: %s", err);
                ops = virtio_blk_setup(&m->blk[slot], &m->virtio[slot], &m->disks[slot], c->serial ? c->serial : "");
                device = &m->blk[slot];
                break;
            case VIRT_DEVICE_VIRTIO_RNG:
                ops = virtio_rng_setup(&m->rng[slot], VIRT_RNG_SEED + slot);
                device = &m->rng[slot];
                break;
            case VIRT_DEVICE_VIRTIO_CONSOLE: {
                FILE *out = NULL;
                if (c->chardev == VIRT_CHARDEV_STDIO) {
                    out = stdout;
                    /* stdin is the UART's unless -serial none freed it (the first stdio console gets it) */
                    if (!m->config.serial_stdin && m->stdin_console < 0)
                        m->stdin_console = (int)slot;
                } else if (c->chardev == VIRT_CHARDEV_FILE) {
                    out = m->console_file[slot] = fopen(c->path, "wb"); /* truncates, as QEMU's file chardev */
                    if (!out)
                        nestor_fatal("-chardev file,path=%s: cannot create the file: %s", c->path, strerror(errno));
                }
                ops = virtio_console_setup(&m->console[slot], &m->virtio[slot], out);
                device = &m->console[slot];
                break;
            }
            }
        }
        VirtioMMIO *t = &m->virtio[slot];
        uint8_t config[VIRTIO_CONFIG_MAX];
        memcpy(config, t->config, sizeof config); /* virtio_mmio_init clears the slot */
        virtio_mmio_init(t, &m->as, ops, device, virt_spi_line_set, virt_spi_line(m, VIRT_MMIO_SPI + slot));
        memcpy(t->config, config, sizeof config);
        virtio_mmio_map(t, &m->as, VIRT_MMIO_BASE + slot * (uint64_t)VIRTIO_MMIO_SIZE);
    }
}

void virt_devices_reset(VirtMachine *m)
{
    pl031_reset(&m->rtc);
    for (unsigned slot = 0; slot < VIRT_MMIO_SLOTS; slot++)
        virtio_mmio_reset(&m->virtio[slot]);
}

void virt_devices_destroy(VirtMachine *m)
{
    for (unsigned slot = 0; slot < VIRT_MMIO_SLOTS; slot++) {
        if (m->console_file[slot] && fclose(m->console_file[slot]) != 0)
            fprintf(stderr, "nestor: warning: could not write the virtio-console output file: %s\n", strerror(errno));
        m->console_file[slot] = NULL;
        BlockDev *bd = &m->disks[slot];
        if (!bd->path[0])
            continue;
        if (!blockdev_flush(bd))
            fprintf(stderr, "nestor: warning: could not flush disk image '%s' to the host\n", bd->path);
        blockdev_close(bd);
    }
}
