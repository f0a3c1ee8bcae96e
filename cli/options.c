/* QEMU-compatible option parsing (DESIGN.md §6). Every option Nestor accepts
 * is declared once in the table below; -h is printed from it. Options QEMU
 * has but Nestor does not implement yet are rejected by name, never ignored. */
#include "cli/options.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "gic/gicv3.h"
#include "jit/opt.h"
#include "sysregs/cpu_model.h"
#include "trace/log.h"

#define NESTOR_STR_(x) #x
#define NESTOR_STR(x) NESTOR_STR_(x)

typedef bool (*OptionHandler)(NestorOptions *o, const char *arg, char *err, size_t errlen);

typedef struct {
    const char *name, *alias; /* spelled with one dash; "--name" is accepted too */
    const char *arg;          /* argument shown in -h, NULL for flags */
    const char *help;
    OptionHandler handle;
} OptionInfo;


/* Splits "key=value" items of a comma list; *item receives one item at a time. */
static bool next_item(const char **cursor, char *item, size_t itemlen)
{
    const char *p = *cursor;
    if (!*p)
        return false;
    size_t len = strcspn(p, ",");
    snprintf(item, itemlen, "%.*s", (int)(len < itemlen ? len : itemlen - 1), p);
    *cursor = p[len] ? p + len + 1 : p + len;
    return true;
}

static bool parse_bool(const char *v, bool *out)
{
    static const char *const yes[] = {"on", "yes", "true"}, *const no[] = {"off", "no", "false"};
    for (size_t i = 0; i < 3; i++) {
        if (!strcmp(v, yes[i]))
            return *out = true, true;
        if (!strcmp(v, no[i]))
            return *out = false, true;
    }
    return false;
}

/* A CPU count: a plain decimal number above zero (no sign, no spaces). */
static bool parse_count(const char *v, unsigned long *n)
{
    char *end;
    errno = 0;
    *n = isdigit((unsigned char)v[0]) ? strtoul(v, &end, 10) : 0;
    return isdigit((unsigned char)v[0]) && !*end && !errno && *n != 0;
}

bool nestor_parse_size(const char *text, uint64_t *bytes)
{
    if (!isdigit((unsigned char)text[0]))
        return false;
    errno = 0;
    char *end;
    unsigned long long n = strtoull(text, &end, 10);
    if (errno)
        return false;
    unsigned shift;
    switch (*end) {
    case '\0': shift = 20; break; /* QEMU: a plain number means MiB */
    case 'b': case 'B': shift = 0; break;
    case 'k': case 'K': shift = 10; break;
    case 'm': case 'M': shift = 20; break;
    case 'g': case 'G': shift = 30; break;
    case 't': case 'T': shift = 40; break;
    default: return false;
    }
    if (*end && end[1])
        return false;
    if (n == 0 || n > (UINT64_MAX >> shift))
        return false;
    *bytes = (uint64_t)n << shift;
    return true;
}

static bool opt_machine(NestorOptions *o, const char *arg, char *err, size_t errlen)
{
    char item[128];
    const char *p = arg;
    for (bool first = true; *p; first = false) {
        const char *item_start = p;
        next_item(&p, item, sizeof item);
        char *eq = strchr(item, '=');
        if (!eq) {
            if (!first)
                return error_format(err, errlen, "-machine: property '%s' needs a value (e.g. %s=on)", item, item);
            if (!strcmp(item, "help")) {
                o->action = NESTOR_ACTION_LIST_MACHINES;
                return true;
            }
            if (strcmp(item, "virt"))
                return error_format(err, errlen, "unknown machine '%s' (-M help lists machines)", item);
            o->machine = NESTOR_DEFAULT_MACHINE;
            continue;
        }
        *eq = '\0';
        const char *key = item, *value = eq + 1;
        if (!strcmp(key, "type")) {
            if (strcmp(value, "virt"))
                return error_format(err, errlen, "unknown machine '%s' (-M help lists machines)", value);
        } else if (!strcmp(key, "gic-version")) {
            if (!strcmp(value, "2"))
                return error_format(err, errlen, "-machine gic-version=2: GICv2 is not implemented (use gic-version=3)");
            if (strcmp(value, "3"))
                return error_format(err, errlen, "-machine gic-version=%s: invalid value (only 3 is supported)", value);
            o->gic_version = 3;
        } else if (!strcmp(key, "gic-a3v")) {
            if (!parse_bool(value, &o->gic_a3v))
                return error_format(err, errlen, "-machine gic-a3v=%s: invalid value (use on or off)", value);
        } else if (!strcmp(key, "cpus-per-aff3")) {
            unsigned long n;
            if (!parse_count(value, &n) || n > GIC_MAX_CPUS)
                return error_format(err, errlen, "-machine cpus-per-aff3=%s: invalid value (1 to %d CPUs per "
                                    "affinity-level-3 group)", value, GIC_MAX_CPUS);
            o->cpus_per_aff3 = (unsigned)n;
        } else if (!strcmp(key, "virtualization")) {
            if (!parse_bool(value, &o->virtualization))
                return error_format(err, errlen, "-machine virtualization=%s: invalid value (use on or off)", value);
        } else if (!strcmp(key, "dumpdtb")) {
            /* from arg itself: item may be cut short */
            const char *path = item_start + strlen("dumpdtb=");
            size_t len = strcspn(path, ",");
            if (len == 0 || len >= sizeof o->dumpdtb_path)
                return error_format(err, errlen, "-machine dumpdtb=: %s file name", len ? "too long a" : "missing");
            memcpy(o->dumpdtb_path, path, len);
            o->dumpdtb_path[len] = '\0';
            o->dumpdtb = o->dumpdtb_path;
        } else {
            return error_format(err, errlen, "-machine: unknown property '%s' for machine virt", key);
        }
    }
    return true;
}

static bool opt_cpu(NestorOptions *o, const char *arg, char *err, size_t errlen)
{
    if (!strcmp(arg, "help")) {
        o->action = NESTOR_ACTION_LIST_CPUS;
        return true;
    }
    if (!cpu_model_configure(&o->cpu_model, arg, err, errlen))
        return false;
    o->cpu = arg;
    return true;
}

static bool opt_dump_cpu(NestorOptions *o, const char *arg, char *err, size_t errlen)
{
    (void)arg, (void)err, (void)errlen;
    o->dump_cpu = true;
    return true;
}

static bool opt_memory(NestorOptions *o, const char *arg, char *err, size_t errlen)
{
    const char *size = arg;
    if (!strncmp(size, "size=", 5))
        size += 5;
    const char *comma = strchr(size, ',');
    if (comma)
        return error_format(err, errlen, "-m %s: only a size is supported ('%s' is not implemented)", arg, comma + 1);
    uint64_t bytes;
    if (!strcmp(size, "0") || !strcmp(size, "0M"))
        return error_format(err, errlen, "-m %s: RAM size must not be zero", arg);
    if (!nestor_parse_size(size, &bytes))
        return error_format(err, errlen, "-m %s: invalid size (plain MiB or a K/M/G/T suffix, e.g. -m 512M)", arg);
    if (bytes & 0xfff)
        return error_format(err, errlen, "-m %s: RAM size must be a multiple of 4 KiB", arg);
    o->ram_size = bytes;
    return true;
}

static bool opt_smp(NestorOptions *o, const char *arg, char *err, size_t errlen)
{
    char item[64];
    const char *p = arg;
    for (bool first = true; next_item(&p, item, sizeof item); first = false) {
        const char *value = item;
        if (!strncmp(item, "cpus=", 5))
            value = item + 5;
        else if (strchr(item, '=') || !first)
            return error_format(err, errlen, "-smp %s: '%s' is not implemented (only the CPU count is)", arg, item);
        unsigned long n;
        if (!parse_count(value, &n))
            return error_format(err, errlen, "-smp %s: invalid CPU count", arg);
        if (n > GIC_MAX_CPUS)
            return error_format(err, errlen, "-smp %s: at most %d CPUs are supported", arg, GIC_MAX_CPUS);
        o->smp_cpus = (unsigned)n;
    }
    return true;
}

/* -drive file=PATH[,if=none|virtio][,format=raw][,id=ID][,readonly=on][,snapshot=on][,cache=...][,media=disk] */
static bool opt_drive(NestorOptions *o, const char *arg, char *err, size_t errlen)
{
    if (o->ndrives == NESTOR_MAX_DRIVES)
        return error_format(err, errlen, "-drive %s: more than %d drives", arg, NESTOR_MAX_DRIVES);
    NestorDrive *d = &o->drives[o->ndrives];
    *d = (NestorDrive){0};
    bool virtio = true; /* virt's default interface, as QEMU's */
    char item[4200];
    for (const char *p = arg; next_item(&p, item, sizeof item);) {
        char *eq = strchr(item, '=');
        if (!eq)
            return error_format(err, errlen, "-drive %s: '%s' is not KEY=VALUE", arg, item);
        *eq = '\0';
        const char *key = item, *value = eq + 1;
        if (!strcmp(key, "file")) {
            if (!*value || strlen(value) >= sizeof d->file)
                return error_format(err, errlen, "-drive %s: file= needs a file name", arg);
            snprintf(d->file, sizeof d->file, "%s", value);
        } else if (!strcmp(key, "if")) {
            if (strcmp(value, "none") && strcmp(value, "virtio"))
                return error_format(err, errlen, "-drive %s: if=%s is not supported on virt (use if=none with "
                                    "-device virtio-blk-device, or if=virtio)", arg, value);
            virtio = !strcmp(value, "virtio");
        } else if (!strcmp(key, "format")) {
            if (strcmp(value, "raw"))
                return error_format(err, errlen, "-drive %s: format=%s is not supported (only raw)", arg, value);
        } else if (!strcmp(key, "id")) {
            if (!*value || strlen(value) >= sizeof d->id)
                return error_format(err, errlen, "-drive %s: invalid id", arg);
            for (unsigned i = 0; i < o->ndrives; i++)
                if (!strcmp(o->drives[i].id, value))
                    return error_format(err, errlen, "-drive %s: duplicate id '%s'", arg, value);
            snprintf(d->id, sizeof d->id, "%s", value);
        } else if (!strcmp(key, "readonly") || !strcmp(key, "snapshot")) {
            bool *flag = key[0] == 'r' ? &d->readonly : &d->snapshot;
            if (!parse_bool(value, flag))
                return error_format(err, errlen, "-drive %s: %s=%s: use on or off", arg, key, value);
        } else if (!strcmp(key, "cache")) {
            /* Writes always reach the file before completing; a flush is an fsync. */
            if (strcmp(value, "writeback") && strcmp(value, "writethrough") && strcmp(value, "none") &&
                strcmp(value, "directsync") && strcmp(value, "unsafe"))
                return error_format(err, errlen, "-drive %s: invalid cache=%s", arg, value);
        } else if (!strcmp(key, "media")) {
            if (strcmp(value, "disk"))
                return error_format(err, errlen, "-drive %s: media=%s is not supported (only disk)", arg, value);
        } else {
            return error_format(err, errlen, "-drive %s: unknown parameter '%s'", arg, key);
        }
    }
    if (!d->file[0])
        return error_format(err, errlen, "-drive %s: file= is missing", arg);
    if (virtio) {
        if (o->ndevices == NESTOR_MAX_DEVICES)
            return error_format(err, errlen, "-drive %s: more than %d devices", arg, NESTOR_MAX_DEVICES);
        d->attached = true;
        o->devices[o->ndevices++] = (NestorDevice){.kind = NESTOR_DEVICE_VIRTIO_BLK, .drive = o->ndrives};
    } else if (!d->id[0]) {
        return error_format(err, errlen, "-drive %s: if=none needs an id= for -device ...,drive=ID", arg);
    }
    o->ndrives++;
    return true;
}

/* -device virtconsole,chardev=ID[,name=N]: port 0 of the last virtio-serial-device. */
static bool opt_virtconsole(NestorOptions *o, const char *arg, const char *props, char *err, size_t errlen)
{
    NestorDevice *bus = NULL;
    for (unsigned i = o->ndevices; i-- > 0;)
        if (o->devices[i].kind == NESTOR_DEVICE_VIRTIO_SERIAL) {
            bus = &o->devices[i];
            break;
        }
    if (!bus)
        return error_format(err, errlen, "-device %s: no virtio-serial-device to attach to (give -device "
                            "virtio-serial-device first)", arg);
    if (bus->has_console)
        return error_format(err, errlen, "-device %s: the virtio-serial-device already has its console (Nestor's has "
                            "one port: add another -device virtio-serial-device)", arg);
    char item[128];
    bool has_chardev = false;
    while (next_item(&props, item, sizeof item)) {
        char *eq = strchr(item, '=');
        if (!eq)
            return error_format(err, errlen, "-device %s: '%s' is not KEY=VALUE", arg, item);
        *eq = '\0';
        const char *key = item, *value = eq + 1;
        if (!strcmp(key, "chardev")) {
            if (!*value || strlen(value) >= sizeof bus->chardev)
                return error_format(err, errlen, "-device %s: invalid chardev id", arg);
            snprintf(bus->chardev, sizeof bus->chardev, "%s", value);
            has_chardev = true;
        } else if (strcmp(key, "name") && strcmp(key, "id")) { /* names only label the port */
            return error_format(err, errlen, "-device %s: unknown property '%s'", arg, key);
        }
    }
    if (!has_chardev)
        return error_format(err, errlen, "-device %s: chardev= is missing", arg);
    bus->has_console = true;
    return true;
}

/* -device virtio-blk-device,drive=ID[,serial=S] | virtio-rng-device |
 * virtio-serial-device | virtconsole,chardev=ID | help */
static bool opt_device(NestorOptions *o, const char *arg, char *err, size_t errlen)
{
    static const char supported[] = "virtio-blk-device, virtio-rng-device, virtio-serial-device, virtconsole";
    if (!strcmp(arg, "help")) {
        o->action = NESTOR_ACTION_LIST_DEVICES;
        return true;
    }
    if (!strncmp(arg, "virtconsole", 11) && (arg[11] == ',' || !arg[11]))
        return opt_virtconsole(o, arg, arg[11] ? arg + 12 : arg + 11, err, errlen);
    if (o->ndevices == NESTOR_MAX_DEVICES)
        return error_format(err, errlen, "-device %s: more than %d devices (virtio-mmio slots)", arg,
                            NESTOR_MAX_DEVICES);
    NestorDevice dev = {0};
    char item[128];
    const char *p = arg;
    next_item(&p, item, sizeof item);
    if (!strcmp(item, "virtio-blk-device"))
        dev.kind = NESTOR_DEVICE_VIRTIO_BLK;
    else if (!strcmp(item, "virtio-rng-device"))
        dev.kind = NESTOR_DEVICE_VIRTIO_RNG;
    else if (!strcmp(item, "virtio-serial-device"))
        dev.kind = NESTOR_DEVICE_VIRTIO_SERIAL;
    else
        return error_format(err, errlen, "-device %s: unknown device '%s' (supported: %s)", arg, item, supported);
    bool has_drive = false;
    while (next_item(&p, item, sizeof item)) {
        char *eq = strchr(item, '=');
        if (!eq)
            return error_format(err, errlen, "-device %s: '%s' is not KEY=VALUE", arg, item);
        *eq = '\0';
        const char *key = item, *value = eq + 1;
        if (dev.kind == NESTOR_DEVICE_VIRTIO_BLK && !strcmp(key, "drive")) {
            unsigned i = 0;
            while (i < o->ndrives && strcmp(o->drives[i].id, value))
                i++;
            if (i == o->ndrives)
                return error_format(err, errlen, "-device %s: no -drive with id=%s (give -drive before -device)", arg,
                                    value);
            if (o->drives[i].attached)
                return error_format(err, errlen, "-device %s: drive '%s' is already in use", arg, value);
            o->drives[i].attached = true;
            dev.drive = i;
            has_drive = true;
        } else if (dev.kind == NESTOR_DEVICE_VIRTIO_BLK && !strcmp(key, "serial")) {
            if (strlen(value) > 20)
                return error_format(err, errlen, "-device %s: serial is longer than 20 characters", arg);
            snprintf(dev.serial, sizeof dev.serial, "%s", value);
        } else {
            return error_format(err, errlen, "-device %s: unknown property '%s'", arg, key);
        }
    }
    if (dev.kind == NESTOR_DEVICE_VIRTIO_BLK && !has_drive)
        return error_format(err, errlen, "-device %s: drive= is missing", arg);
    o->devices[o->ndevices++] = dev;
    return true;
}

/* -chardev stdio,id=ID | file,path=P,id=ID | null,id=ID: host ends for virtconsole. */
static bool opt_chardev(NestorOptions *o, const char *arg, char *err, size_t errlen)
{
    if (o->nchardevs == NESTOR_MAX_CHARDEVS)
        return error_format(err, errlen, "-chardev %s: more than %d chardevs", arg, NESTOR_MAX_CHARDEVS);
    NestorChardev *c = &o->chardevs[o->nchardevs];
    *c = (NestorChardev){0};
    char item[4200];
    const char *p = arg;
    next_item(&p, item, sizeof item);
    if (!strcmp(item, "stdio"))
        c->kind = NESTOR_CHARDEV_STDIO;
    else if (!strcmp(item, "file"))
        c->kind = NESTOR_CHARDEV_FILE;
    else if (!strcmp(item, "null"))
        c->kind = NESTOR_CHARDEV_NULL;
    else
        return error_format(err, errlen, "-chardev %s: backend '%s' is not supported (stdio, file or null)", arg, item);
    bool has_path = false;
    while (next_item(&p, item, sizeof item)) {
        char *eq = strchr(item, '=');
        if (!eq)
            return error_format(err, errlen, "-chardev %s: '%s' is not KEY=VALUE", arg, item);
        *eq = '\0';
        const char *key = item, *value = eq + 1;
        if (!strcmp(key, "id")) {
            if (!*value || strlen(value) >= sizeof c->id)
                return error_format(err, errlen, "-chardev %s: invalid id", arg);
            for (unsigned i = 0; i < o->nchardevs; i++)
                if (!strcmp(o->chardevs[i].id, value))
                    return error_format(err, errlen, "-chardev %s: duplicate id '%s'", arg, value);
            snprintf(c->id, sizeof c->id, "%s", value);
        } else if (!strcmp(key, "path") && c->kind == NESTOR_CHARDEV_FILE) {
            if (!*value || strlen(value) >= sizeof c->path)
                return error_format(err, errlen, "-chardev %s: path= needs a file name", arg);
            snprintf(c->path, sizeof c->path, "%s", value);
            has_path = true;
        } else if (!strcmp(key, "signal") && c->kind == NESTOR_CHARDEV_STDIO) {
            bool unused;
            if (!parse_bool(value, &unused))
                return error_format(err, errlen, "-chardev %s: signal=%s: use on or off", arg, value);
        } else {
            return error_format(err, errlen, "-chardev %s: unknown parameter '%s'", arg, key);
        }
    }
    if (!c->id[0])
        return error_format(err, errlen, "-chardev %s: id= is missing", arg);
    if (c->kind == NESTOR_CHARDEV_FILE && !has_path)
        return error_format(err, errlen, "-chardev %s: path= is missing", arg);
    o->nchardevs++;
    return true;
}

/* Binds every virtconsole to its -chardev (which may come after -device, as in QEMU). */
static bool resolve_chardevs(NestorOptions *o, char *err, size_t errlen)
{
    for (unsigned d = 0; d < o->ndevices; d++) {
        NestorDevice *dev = &o->devices[d];
        if (dev->kind != NESTOR_DEVICE_VIRTIO_SERIAL || !dev->has_console)
            continue;
        unsigned i = 0;
        while (i < o->nchardevs && strcmp(o->chardevs[i].id, dev->chardev))
            i++;
        if (i == o->nchardevs)
            return error_format(err, errlen, "-device virtconsole,chardev=%s: no -chardev with id=%s", dev->chardev,
                                dev->chardev);
        if (o->chardevs[i].used)
            return error_format(err, errlen, "-device virtconsole,chardev=%s: chardev '%s' is already in use",
                                dev->chardev, dev->chardev);
        o->chardevs[i].used = true;
        dev->chardev_index = i;
    }
    return true;
}

static bool opt_snapshot(NestorOptions *o, const char *arg, char *err, size_t errlen)
{
    (void)arg, (void)err, (void)errlen;
    o->snapshot = true;
    return true;
}

/* -rtc base=utc|YYYY-MM-DD|YYYY-MM-DDTHH:MM:SS: where the PL031 starts. */
static bool opt_rtc(NestorOptions *o, const char *arg, char *err, size_t errlen)
{
    if (strncmp(arg, "base=", 5) || strchr(arg, ','))
        return error_format(err, errlen, "-rtc %s: only base=utc or base=DATE is supported", arg);
    const char *v = arg + 5;
    if (!strcmp(v, "utc")) {
        o->rtc_fixed = false;
        return true;
    }
    unsigned y, mo, d, h = 0, mi = 0, sec = 0;
    char tail;
    int n = sscanf(v, "%4u-%2u-%2uT%2u:%2u:%2u%c", &y, &mo, &d, &h, &mi, &sec, &tail);
    if (!(n == 3 || n == 6) || y < 1970 || y > 2105 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
        sec > 59)
        return error_format(err, errlen, "-rtc %s: invalid date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)", arg);
    /* days from civil (proleptic Gregorian), no time-zone lookups */
    int64_t yy = (int64_t)y - (mo <= 2), era = yy / 400;
    int64_t yoe = yy - era * 400, mp = (mo + 9) % 12, doy = (153 * mp + 2) / 5 + d - 1;
    int64_t days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
    o->rtc_base = days * 86400 + h * 3600 + mi * 60 + sec;
    o->rtc_fixed = true;
    return true;
}

static bool opt_kernel(NestorOptions *o, const char *arg, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    o->kernel = arg;
    return true;
}

static bool opt_append(NestorOptions *o, const char *arg, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    o->append = arg;
    return true;
}

static bool opt_initrd(NestorOptions *o, const char *arg, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    o->initrd = arg;
    return true;
}

static bool opt_dtb(NestorOptions *o, const char *arg, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    o->dtb = arg;
    return true;
}

static bool opt_nographic(NestorOptions *o, const char *arg, char *err, size_t errlen)
{
    (void)arg, (void)err, (void)errlen;
    o->nographic = true;
    return true;
}

static bool opt_serial(NestorOptions *o, const char *arg, char *err, size_t errlen)
{
    if (strcmp(arg, "stdio") && strcmp(arg, "mon:stdio") && strcmp(arg, "none"))
        return error_format(err, errlen, "-serial %s: only 'stdio', 'mon:stdio' and 'none' are supported", arg);
    o->serial_none = !strcmp(arg, "none");
    return true;
}

/* -display none|sdl: headless, or the framebuffer in a window. A later
 * -display replaces an earlier one, as in QEMU. */
static bool opt_display(NestorOptions *o, const char *arg, char *err, size_t errlen)
{
    if (strcmp(arg, "none") && strcmp(arg, "sdl"))
        return error_format(err, errlen, "-display %s: only 'none' and 'sdl' are supported", arg);
    o->display_none = !strcmp(arg, "none");
    o->display_sdl = !o->display_none;
    return true;
}

static bool opt_screendump(NestorOptions *o, const char *arg, char *err, size_t errlen)
{
    if (!*arg)
        return error_format(err, errlen, "-screendump: missing file name");
    o->screendump = arg;
    return true;
}

static bool opt_nodefaults(NestorOptions *o, const char *arg, char *err, size_t errlen)
{
    (void)arg, (void)err, (void)errlen;
    o->nodefaults = true;
    return true;
}

static bool opt_no_reboot(NestorOptions *o, const char *arg, char *err, size_t errlen)
{
    (void)arg, (void)err, (void)errlen;
    o->no_reboot = true;
    return true;
}

/* -accel jit|tcg|interp[,tb-size=MIB][,passes=LIST]: "tcg" is accepted as
 * QEMU's name for its translator, so command lines written for QEMU run
 * unchanged. passes= switches IR optimisation passes off for debugging. */
static bool opt_accel(NestorOptions *o, const char *arg, char *err, size_t errlen)
{
    size_t len = strcspn(arg, ",");
    if (len == 3 && (!strncmp(arg, "jit", 3) || !strncmp(arg, "tcg", 3)))
        o->interp = false;
    else if (len == 6 && !strncmp(arg, "interp", 6))
        o->interp = true;
    else
        return error_format(err, errlen, "-accel %.*s: unknown accelerator (use jit, tcg or interp)", (int)len, arg);
    const char *cursor = arg + len + (arg[len] == ',');
    char item[128];
    while (next_item(&cursor, item, sizeof item)) {
        char *eq = strchr(item, '=');
        size_t key = eq ? (size_t)(eq - item) : 0;
        if (eq && !o->interp && key == 6 && !strncmp(item, "passes", 6)) {
            if (!ir_pass_parse(eq + 1, &o->passes))
                return error_format(err, errlen, "-accel %s: passes= takes all, none or a ':'-separated list of:" IR_PASS_NAMES,
                                    arg);
            continue;
        }
        if (!eq || o->interp || key != 7 || strncmp(item, "tb-size", 7))
            return error_format(err, errlen, "-accel %s: unknown property '%s'%s", arg, item,
                                o->interp ? " (the interpreter has none)" : " (jit has tb-size=MIB and passes=LIST)");
        uint64_t mib;
        char *end;
        errno = 0;
        mib = strtoull(eq + 1, &end, 10);
        if (errno || end == eq + 1 || *end || mib == 0 || mib > NESTOR_MAX_TB_SIZE_MIB)
            return error_format(err, errlen, "-accel %s: tb-size must be a number of MiB from 1 to %d", arg,
                                NESTOR_MAX_TB_SIZE_MIB);
        o->tb_size = mib << 20;
    }
    return true;
}

static bool opt_log(NestorOptions *o, const char *arg, char *err, size_t errlen)
{
    if (!strcmp(arg, "help")) {
        o->action = NESTOR_ACTION_LIST_LOG;
        return true;
    }
    return log_parse_categories(arg, &o->log_mask, err, errlen); /* QEMU: the last -d wins */
}

static bool opt_log_file(NestorOptions *o, const char *arg, char *err, size_t errlen)
{
    (void)err, (void)errlen;
    o->log_file = arg;
    return true;
}

static bool opt_help(NestorOptions *o, const char *arg, char *err, size_t errlen)
{
    (void)arg, (void)err, (void)errlen;
    o->action = NESTOR_ACTION_HELP;
    return true;
}

static bool opt_version(NestorOptions *o, const char *arg, char *err, size_t errlen)
{
    (void)arg, (void)err, (void)errlen;
    o->action = NESTOR_ACTION_VERSION;
    return true;
}

static const OptionInfo options[] = {
    {"-machine", "-M", "virt[,gic-version=3][,virtualization=on|off][,gic-a3v=on|off][,cpus-per-aff3=N]"
                       "[,dumpdtb=FILE]",
     "select the board and its properties (dumpdtb: write the device tree to FILE and exit; gic-a3v: the GIC "
     "supports MPIDR affinity level 3; cpus-per-aff3=N: CPU i gets Aff3 = i / N, needs gic-a3v=on); several "
     "-machine options merge; '-M help' lists boards", opt_machine},
    {"-cpu", NULL, "MODEL[,FEATURE=on|off][,REG.FIELD=VALUE]...",
     "CPU model (default " NESTOR_DEFAULT_CPU "), named features on or off, ID-register fields overridden "
     "(e.g. ID_AA64MMFR1_EL1.VH=0); '-cpu help' lists models", opt_cpu},
    {"-dump-cpu", NULL, NULL, "print the configured CPU's ID registers and fields as JSON and exit", opt_dump_cpu},
    {"-m", NULL, "SIZE", "RAM size: plain number = MiB, or K/M/G/T suffix (default 128M)", opt_memory},
    {"-smp", NULL, "N|cpus=N", "number of CPUs (1 to 64; CPU 0 boots, the others wait for PSCI CPU_ON)",
     opt_smp},
    {"-kernel", NULL, "FILE", "guest image: arm64 Linux Image, raw or gzip-compressed (booted with x0 = device "
                              "tree), AArch64 ELF (loaded at its physical addresses) or raw binary (loaded at RAM "
                              "base + 0x80000)", opt_kernel},
    {"-append", NULL, "STRING", "kernel command line (/chosen bootargs of the device tree)", opt_append},
    {"-initrd", NULL, "FILE", "initial ramdisk, loaded after the kernel (/chosen linux,initrd-start/end)",
     opt_initrd},
    {"-dtb", NULL, "FILE", "use this device tree blob instead of the generated one (its /chosen gets -append "
                           "and the initrd)", opt_dtb},
    {"-nographic", NULL, NULL, "no display (the default); the serial port is on stdio", opt_nographic},
    {"-serial", NULL, "stdio|mon:stdio|none", "serial port backend: stdout and stdin, or none (output dropped, "
                                              "stdin free for a stdio virtconsole)", opt_serial},
    {"-chardev", NULL, "stdio,id=ID|file,path=FILE,id=ID|null,id=ID",
     "a host end for -device virtconsole,chardev=ID: stdout (stdin too under -serial none), a file "
     "(created or truncated), or nothing", opt_chardev},
    {"-display", NULL, "none|sdl", "none: headless (the default); sdl: a simple-framebuffer at 0x0c000000 "
                               "(640x480 a8r8g8b8) shown in an SDL2 window, closing it powers off", opt_display},
    {"-screendump", NULL, "FILE", "add the simple-framebuffer and write it to FILE as a PPM image at exit",
     opt_screendump},
    {"-nodefaults", NULL, NULL, "no default devices (accepted; Nestor creates none)", opt_nodefaults},
    {"-drive", NULL, "file=FILE,if=none|virtio,format=raw[,id=ID][,readonly=on][,snapshot=on]",
     "a raw disk image: if=none with an id for -device virtio-blk-device,drive=ID, or if=virtio for a "
     "virtio-blk device at once; snapshot=on keeps the file untouched", opt_drive},
    {"-device", NULL, "virtio-blk-device,drive=ID[,serial=S]|virtio-rng-device|virtio-serial-device|"
                      "virtconsole,chardev=ID",
     "add a virtio-mmio device (the first -device takes the highest slot, as on QEMU's virt)", opt_device},
    {"-snapshot", NULL, NULL, "open every -drive as snapshot=on", opt_snapshot},
    {"-rtc", NULL, "base=utc|YYYY-MM-DD[THH:MM:SS]", "PL031 start time: the host's UTC clock (default) or a fixed "
                                                     "date, for reproducible runs", opt_rtc},
    {"-no-reboot", NULL, NULL, "exit instead of rebooting when the guest asks for a reset", opt_no_reboot},
    {"-accel", NULL, "jit|tcg|interp[,tb-size=MIB][,passes=all|none|LIST]",
     "execution engine: the x86-64 JIT (default; 'tcg' is an alias) with a code cache of MIB (default "
     NESTOR_STR(NESTOR_DEFAULT_TB_SIZE_MIB) ") and the IR passes to run (LIST: ':'-separated, of:" IR_PASS_NAMES
     "), or the IR interpreter (the reference engine)", opt_accel},
    {"-d", NULL, "ITEM[,...]", "enable logging of the given categories; '-d help' lists them", opt_log},
    {"-D", NULL, "FILE", "write the -d log to FILE instead of stderr", opt_log_file},
    {"-help", "-h", NULL, "print this help and exit", opt_help},
    {"-version", NULL, NULL, "print the version and exit", opt_version},
};

/* QEMU options that Nestor knowingly does not support yet. */
static const char *const not_implemented[] = {
    "-s", "-S", "-gdb", "-bios", "-netdev", "-nic", "-net",
    "-monitor", "-object", "-global", "-enable-kvm", "-icount", "-boot", "-name",
    "-pflash", "-vga", "-usb", "-trace", "-L", "-no-shutdown", "-semihosting", "-semihosting-config",
    "-audiodev", "-qmp", "-incoming", "-loadvm", "-cdrom", "-hda", "-sd", "-overcommit",
    "-daemonize", "-pidfile", "-action", "-plugin", "-fsdev", "-virtfs", "-mem-path", "-numa",
};

static const OptionInfo *find_option(const char *name)
{
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
        if (!strcmp(name, options[i].name) || (options[i].alias && !strcmp(name, options[i].alias)))
            return &options[i];
    return NULL;
}

bool nestor_parse_options(int argc, char *const argv[], NestorOptions *o, char *err, size_t errlen)
{
    *o = (NestorOptions){
        .action = NESTOR_ACTION_RUN,
        .machine = NESTOR_DEFAULT_MACHINE,
        .gic_version = 3,
        .cpu = NESTOR_DEFAULT_CPU,
        .ram_size = NESTOR_DEFAULT_RAM,
        .tb_size = NESTOR_DEFAULT_TB_SIZE,
        .passes = IR_PASS_ALL,
        .smp_cpus = 1,
    };
    if (!cpu_model_configure(&o->cpu_model, NESTOR_DEFAULT_CPU, err, errlen))
        return false;
    for (int i = 1; i < argc; i++) {
        const char *given = argv[i];
        if (given[0] != '-' || !given[1])
            return error_format(err, errlen, "unexpected argument '%s' (disk images are not supported; use -kernel FILE)",
                        given);
        const char *name = given[1] == '-' && given[2] ? given + 1 : given; /* "--opt" is "-opt", as in QEMU */
        const OptionInfo *opt = find_option(name);
        if (!opt) {
            for (size_t k = 0; k < sizeof not_implemented / sizeof not_implemented[0]; k++)
                if (!strcmp(name, not_implemented[k]))
                    return error_format(err, errlen, "option '%s' is not implemented", given);
            return error_format(err, errlen, "unknown option '%s' (see nestor -h)", given);
        }
        const char *arg = NULL;
        if (opt->arg) {
            if (i + 1 >= argc)
                return error_format(err, errlen, "option '%s' needs an argument (%s)", given, opt->arg);
            arg = argv[++i];
        }
        if (!opt->handle(o, arg, err, errlen))
            return false;
        if (o->action != NESTOR_ACTION_RUN)
            return true; /* help and lists are answered at once, as QEMU does */
    }
    if (!resolve_chardevs(o, err, errlen))
        return false;
    if (o->nographic && o->display_sdl)
        return error_format(err, errlen, "-nographic cannot be used with -display sdl");
    if (o->cpus_per_aff3 && !o->gic_a3v)
        return error_format(err, errlen, "-machine cpus-per-aff3=%u: CPUs with MPIDR Aff3 != 0 need a GIC with "
                            "affinity level 3 (add gic-a3v=on)", o->cpus_per_aff3);
    if (o->dump_cpu) {
        o->action = NESTOR_ACTION_DUMP_CPU;
        return true;
    }
    if (!o->kernel && !o->dumpdtb) /* the device tree alone needs no guest */
        return error_format(err, errlen, "no guest image given: use -kernel FILE");
    return true;
}

void nestor_print_help(FILE *out)
{
    fprintf(out, "usage: nestor [options] -kernel FILE\n\nOptions (QEMU-compatible spelling; '--opt' works too):\n");
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
        char left[96];
        snprintf(left, sizeof left, "%s%s%s%s%s", options[i].name, options[i].alias ? "/" : "",
                 options[i].alias ? options[i].alias : "", options[i].arg ? " " : "", options[i].arg ? options[i].arg : "");
        fprintf(out, "  %-30s %s\n", left, options[i].help);
    }
    fprintf(out, "\nAny other QEMU option is rejected with an error naming it.\n");
}

void nestor_print_devices(FILE *out)
{
    fprintf(out, "Devices (each on a virtio-mmio slot of the virt board):\n"
                 "  virtio-blk-device,drive=ID[,serial=S]  block device on a -drive if=none,id=ID\n"
                 "  virtio-rng-device                      entropy source (seeded: reproducible)\n"
                 "  virtio-serial-device                   virtio console device (one port, port 0)\n"
                 "  virtconsole,chardev=ID                 the console port of the last virtio-serial-device\n");
}

void nestor_print_machines(FILE *out)
{
    fprintf(out, "Supported machines are:\n");
    fprintf(out, "  %-10s QEMU-compatible arm64 virtual platform (RAM at 0x40000000, PL011 at 0x09000000)\n", "virt");
}
