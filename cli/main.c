/* nestor: parse the command line, build the machine, run it. Guest serial
 * output goes to stdout; Nestor's own messages go to stderr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <time.h>

#include "cli/options.h"
#include "machines/virt.h"
#include "nestor_version.h"
#include "sysregs/cpu_model.h"
#include "trace/log.h"

int main(int argc, char **argv)
{
    NestorOptions opts;
    char err[512];
    if (!nestor_parse_options(argc, argv, &opts, err, sizeof err))
        nestor_fatal("%s", err);

    switch (opts.action) {
    case NESTOR_ACTION_HELP:
        nestor_print_help(stdout);
        return 0;
    case NESTOR_ACTION_VERSION:
        printf("nestor %s\n", NESTOR_VERSION);
        return 0;
    case NESTOR_ACTION_LIST_MACHINES:
        nestor_print_machines(stdout);
        return 0;
    case NESTOR_ACTION_LIST_CPUS:
        cpu_model_list(stdout);
        return 0;
    case NESTOR_ACTION_LIST_DEVICES:
        nestor_print_devices(stdout);
        return 0;
    case NESTOR_ACTION_LIST_LOG:
        log_print_categories(stdout);
        return 0;
    case NESTOR_ACTION_DUMP_CPU:
        if (!opts.virtualization) /* as the board builds it */
            cpu_model_remove_el2(opts.cpu_model.values);
        cpu_model_dump_json(&opts.cpu_model, stdout);
        return 0;
    case NESTOR_ACTION_RUN:
        break;
    }

    if (opts.log_file && !log_set_file(opts.log_file))
        nestor_fatal("-D %s: cannot open log file: %s", opts.log_file, strerror(errno));
    nestor_log_mask = opts.log_mask;

    VirtConfig config = {
        .cpu_model = &opts.cpu_model,
        .ram_size = opts.ram_size,
        .virtualization = opts.virtualization,
        .kernel = opts.kernel,
        .append = opts.append,
        .initrd = opts.initrd,
        .dtb = opts.dtb,
        .dumpdtb = opts.dumpdtb,
        .no_reboot = opts.no_reboot,
        .serial_stdin = !opts.serial_none,
        .serial_none = opts.serial_none,
        .ncpus = opts.smp_cpus,
        .gic_a3v = opts.gic_a3v,
        .aff3_cpus = opts.cpus_per_aff3,
        .engine = {
            .kind = opts.interp ? ENGINE_INTERP : ENGINE_JIT,
            .code_cache_bytes = opts.tb_size,
            .passes = opts.passes,
            .instrument = log_enabled(LOG_STATS),
        },
    };
    config.rtc_base = opts.rtc_fixed ? (uint64_t)opts.rtc_base : (uint64_t)time(NULL);
    for (unsigned i = 0; i < opts.ndevices; i++) {
        const NestorDevice *d = &opts.devices[i];
        VirtDeviceConfig *c = &config.devices[config.ndevices++];
        if (d->kind == NESTOR_DEVICE_VIRTIO_RNG) {
            *c = (VirtDeviceConfig){.kind = VIRT_DEVICE_VIRTIO_RNG};
            continue;
        }
        if (d->kind == NESTOR_DEVICE_VIRTIO_SERIAL) {
            /* without a virtconsole, port 0 is there but connected to nothing */
            const NestorChardev *ch = d->has_console ? &opts.chardevs[d->chardev_index] : NULL;
            VirtChardevKind kind = !ch ? VIRT_CHARDEV_NULL : ch->kind == NESTOR_CHARDEV_STDIO ? VIRT_CHARDEV_STDIO
                                   : ch->kind == NESTOR_CHARDEV_FILE ? VIRT_CHARDEV_FILE : VIRT_CHARDEV_NULL;
            *c = (VirtDeviceConfig){.kind = VIRT_DEVICE_VIRTIO_CONSOLE, .chardev = kind, .path = ch ? ch->path : NULL};
            continue;
        }
        const NestorDrive *drive = &opts.drives[d->drive];
        *c = (VirtDeviceConfig){.kind = VIRT_DEVICE_VIRTIO_BLK, .file = drive->file, .readonly = drive->readonly,
                                .snapshot = drive->snapshot || opts.snapshot, .serial = d->serial};
    }
    config.display_sdl = opts.display_sdl;
    config.screendump = opts.screendump;
    config.framebuffer = opts.display_sdl || opts.screendump;
    VirtMachine *m = virt_create(&config);
    int status = virt_run(m);
    if (!virt_screendump(m))
        status = 1;
    if (log_enabled(LOG_STATS))
        virt_print_stats(m, log_file());
    virt_destroy(m);
    fflush(stdout);
    return status;
}
