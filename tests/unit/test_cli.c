/* The command-line parser: QEMU spellings, merging, sizes, and errors that
 * name the offending option. */
#include <check.h>
#include <stdarg.h>
#include <string.h>

#include "cli/options.h"
#include "trace/log.h"
#include "unit_main.h"

#define MAX_ARGS 24

static NestorOptions opts;
static char err[256];

/* Parses "nestor" followed by the NULL-terminated arguments. */
static bool parse(const char *first, ...)
{
    char *argv[MAX_ARGS] = {"nestor"};
    int argc = 1;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a && argc < MAX_ARGS; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    err[0] = '\0';
    return nestor_parse_options(argc, argv, &opts, err, sizeof err);
}

/* Expects a parse error whose message contains each given fragment. */
#define ck_error(fragment, ...)                                                  \
    do {                                                                         \
        ck_assert_msg(!parse(__VA_ARGS__, NULL), "parse succeeded");             \
        ck_assert_msg(strstr(err, fragment), "'%s' not in '%s'", fragment, err); \
    } while (0)

START_TEST(defaults)
{
    ck_assert(parse("-kernel", "k.elf", NULL));
    ck_assert_int_eq(opts.action, NESTOR_ACTION_RUN);
    ck_assert_str_eq(opts.machine, "virt");
    ck_assert_str_eq(opts.cpu, NESTOR_DEFAULT_CPU);
    ck_assert_uint_eq(opts.ram_size, 128ull << 20);
    ck_assert_uint_eq(opts.smp_cpus, 1);
    ck_assert(!opts.virtualization);
    ck_assert_uint_eq(opts.gic_version, 3);
    ck_assert_str_eq(opts.kernel, "k.elf");
    ck_assert_ptr_null(opts.append);
    ck_assert(!opts.no_reboot);
}
END_TEST

START_TEST(machine_options_merge)
{
    ck_assert(parse("-M", "virt", "-machine", "virtualization=on", "-M", "gic-version=3", "-kernel", "k", NULL));
    ck_assert(opts.virtualization);
    ck_assert_uint_eq(opts.gic_version, 3);
    ck_assert(parse("-M", "virt,virtualization=on", "-M", "virtualization=off", "-kernel", "k", NULL));
    ck_assert(!opts.virtualization); /* the later value wins */
    ck_assert(parse("--machine", "type=virt,virtualization=yes", "-kernel", "k", NULL));
    ck_assert(opts.virtualization);
}
END_TEST

START_TEST(machine_errors_name_the_problem)
{
    ck_error("unknown machine 'sbsa-ref'", "-M", "sbsa-ref", "-kernel", "k");
    ck_error("unknown machine 'pc'", "-M", "type=pc", "-kernel", "k");
    ck_error("unknown property 'secure'", "-M", "virt,secure=on", "-kernel", "k");
    ck_error("gic-version=2: GICv2 is not implemented", "-M", "virt,gic-version=2", "-kernel", "k");
    ck_error("gic-version=4", "-M", "virt,gic-version=4", "-kernel", "k");
    ck_error("virtualization=maybe", "-M", "virt,virtualization=maybe", "-kernel", "k");
    ck_error("'virtualization' needs a value", "-M", "virt,virtualization", "-kernel", "k");
}
END_TEST

START_TEST(sizes_follow_qemu)
{
    uint64_t b;
    ck_assert(nestor_parse_size("512", &b));
    ck_assert_uint_eq(b, 512ull << 20); /* plain number: MiB */
    ck_assert(nestor_parse_size("64K", &b));
    ck_assert_uint_eq(b, 64ull << 10);
    ck_assert(nestor_parse_size("2g", &b));
    ck_assert_uint_eq(b, 2ull << 30);
    ck_assert(nestor_parse_size("1T", &b));
    ck_assert_uint_eq(b, 1ull << 40);
    ck_assert(!nestor_parse_size("", &b));
    ck_assert(!nestor_parse_size("-1", &b));
    ck_assert(!nestor_parse_size("1X", &b));
    ck_assert(!nestor_parse_size("1GB", &b));
    ck_assert(!nestor_parse_size("0", &b));
    ck_assert(!nestor_parse_size("99999999999T", &b));           /* overflows 64 bits */
    ck_assert(!nestor_parse_size("99999999999999999999999", &b)); /* overflows strtoull */

    ck_assert(parse("-m", "1G", "-kernel", "k", NULL));
    ck_assert_uint_eq(opts.ram_size, 1ull << 30);
    ck_assert(parse("-m", "size=256M", "-kernel", "k", NULL));
    ck_assert_uint_eq(opts.ram_size, 256ull << 20);
    ck_error("-m 0: RAM size must not be zero", "-m", "0", "-kernel", "k");
    ck_error("-m lots", "-m", "lots", "-kernel", "k");
    ck_error("multiple of 4 KiB", "-m", "1000B", "-kernel", "k");
    ck_error("'maxmem=4G' is not implemented", "-m", "1G,maxmem=4G", "-kernel", "k");
}
END_TEST

START_TEST(smp_only_one_cpu)
{
    ck_assert(parse("-smp", "1", "-kernel", "k", NULL));
    ck_assert(parse("-smp", "cpus=1", "-kernel", "k", NULL));
    ck_assert_uint_eq(opts.smp_cpus, 1);
    ck_assert(parse("-smp", "4", "-kernel", "k", NULL));
    ck_assert_uint_eq(opts.smp_cpus, 4);
    ck_assert(parse("-smp", "cpus=64", "-M", "virt,gic-a3v=on,cpus-per-aff3=8", "-kernel", "k", NULL));
    ck_assert_uint_eq(opts.smp_cpus, 64);
    ck_assert(opts.gic_a3v);
    ck_assert_uint_eq(opts.cpus_per_aff3, 8);
    ck_error("-smp 65: at most 64 CPUs", "-smp", "65", "-kernel", "k");
    ck_error("cpus-per-aff3=0: invalid value", "-M", "virt,cpus-per-aff3=0", "-kernel", "k");
    ck_error("need a GIC with affinity level 3", "-M", "virt,cpus-per-aff3=4", "-kernel", "k");
    ck_error("'cores=2' is not implemented", "-smp", "1,cores=2", "-kernel", "k");
    ck_error("-smp 0: invalid CPU count", "-smp", "0", "-kernel", "k");
}
END_TEST

START_TEST(cpu_and_engine)
{
    ck_assert(parse("-cpu", "cortex-a57", "-accel", "interp", "-kernel", "k", NULL));
    ck_assert_str_eq(opts.cpu, "cortex-a57");
    ck_assert(opts.interp);
    ck_error("unknown CPU model 'cortex-a99'", "-cpu", "cortex-a99", "-kernel", "k");
    ck_assert(parse("-accel", "tcg,tb-size=64", "-kernel", "k", NULL));
    ck_assert(!opts.interp);
    ck_assert_uint_eq(opts.tb_size, 64ull << 20);
    ck_assert(parse("-accel", "jit", "-kernel", "k", NULL));
    ck_assert(!opts.interp);
    ck_assert_uint_eq(opts.tb_size, NESTOR_DEFAULT_TB_SIZE);
    ck_error("-accel kvm: unknown accelerator", "-accel", "kvm", "-kernel", "k");
    ck_error("tb-size must be a number of MiB", "-accel", "jit,tb-size=lots", "-kernel", "k");
    ck_error("unknown property 'tb-size=1' (the interpreter has none)", "-accel", "interp,tb-size=1", "-kernel", "k");
}
END_TEST

START_TEST(io_and_flags)
{
    ck_assert(parse("-nographic", "-serial", "mon:stdio", "-display", "none", "-nodefaults", "-no-reboot",
                    "-append", "console=ttyAMA0", "-d", "in_asm,int", "-D", "log.txt", "-kernel", "k", NULL));
    ck_assert(opts.nographic && opts.display_none && opts.nodefaults && opts.no_reboot);
    ck_assert_str_eq(opts.append, "console=ttyAMA0");
    ck_assert_uint_eq(opts.log_mask, LOG_IN_ASM | LOG_INT);
    ck_assert_str_eq(opts.log_file, "log.txt");
    ck_error("-serial pty", "-serial", "pty", "-kernel", "k");
    ck_error("-display gtk", "-display", "gtk", "-kernel", "k");
    ck_error("'nonsense'", "-d", "nonsense", "-kernel", "k");
}
END_TEST

START_TEST(information_requests)
{
    ck_assert(parse("-h", NULL));
    ck_assert_int_eq(opts.action, NESTOR_ACTION_HELP);
    ck_assert(parse("--help", NULL));
    ck_assert_int_eq(opts.action, NESTOR_ACTION_HELP);
    ck_assert(parse("--version", NULL));
    ck_assert_int_eq(opts.action, NESTOR_ACTION_VERSION);
    ck_assert(parse("-M", "help", NULL));
    ck_assert_int_eq(opts.action, NESTOR_ACTION_LIST_MACHINES);
    ck_assert(parse("-cpu", "help", NULL));
    ck_assert_int_eq(opts.action, NESTOR_ACTION_LIST_CPUS);
    ck_assert(parse("-d", "help", NULL));
    ck_assert_int_eq(opts.action, NESTOR_ACTION_LIST_LOG);
}
END_TEST

START_TEST(boot_files)
{
    ck_assert(parse("-kernel", "Image.gz", "-initrd", "rd.cpio", "-dtb", "my.dtb", "-append", "console=ttyAMA0", NULL));
    ck_assert_str_eq(opts.initrd, "rd.cpio");
    ck_assert_str_eq(opts.dtb, "my.dtb");
    ck_assert_str_eq(opts.append, "console=ttyAMA0");
    /* dumpdtb needs no kernel, and its file name is whole even when long and
     * followed by other properties */
    ck_assert(parse("-M", "virt,dumpdtb=/tmp/a-rather-long-directory-name-that-exceeds-the-property-buffer/"
                          "and-a-file-name-that-makes-it-longer-still-than-128-bytes.dtb,virtualization=on", NULL));
    ck_assert_str_eq(opts.dumpdtb, "/tmp/a-rather-long-directory-name-that-exceeds-the-property-buffer/"
                                   "and-a-file-name-that-makes-it-longer-still-than-128-bytes.dtb");
    ck_assert(opts.virtualization);
}
END_TEST

START_TEST(drives_and_devices)
{
    NestorOptions opts;
    char err[256];
    char *argv[] = {"nestor", "-kernel", "k", "-drive", "file=a.img,if=none,format=raw,id=d0",
                    "-device", "virtio-rng-device", "-drive", "file=b.img,readonly=on",
                    "-device", "virtio-blk-device,drive=d0,serial=abc", "-snapshot"};
    ck_assert_msg(nestor_parse_options(sizeof argv / sizeof argv[0], argv, &opts, err, sizeof err), "%s", err);
    ck_assert_uint_eq(opts.ndrives, 2);
    ck_assert_uint_eq(opts.ndevices, 3); /* rng, b.img (if=virtio by default on virt), d0 */
    ck_assert_int_eq(opts.devices[0].kind, NESTOR_DEVICE_VIRTIO_RNG);
    ck_assert_int_eq(opts.devices[1].kind, NESTOR_DEVICE_VIRTIO_BLK);
    ck_assert_str_eq(opts.drives[opts.devices[1].drive].file, "b.img");
    ck_assert(opts.drives[opts.devices[1].drive].readonly);
    ck_assert_str_eq(opts.drives[opts.devices[2].drive].file, "a.img");
    ck_assert_str_eq(opts.devices[2].serial, "abc");
    ck_assert(opts.snapshot);
}
END_TEST

START_TEST(chardevs_and_consoles)
{
    /* the -chardev may come after the -device that names it, as in QEMU */
    ck_assert_msg(parse("-kernel", "k", "-device", "virtio-serial-device", "-device", "virtconsole,chardev=c1",
                        "-chardev", "file,path=out.txt,id=c1", "-device", "virtio-serial-device", "-serial", "none",
                        NULL), "%s", err);
    ck_assert_uint_eq(opts.ndevices, 2);
    ck_assert_int_eq(opts.devices[0].kind, NESTOR_DEVICE_VIRTIO_SERIAL);
    ck_assert(opts.devices[0].has_console);
    ck_assert_int_eq(opts.chardevs[opts.devices[0].chardev_index].kind, NESTOR_CHARDEV_FILE);
    ck_assert_str_eq(opts.chardevs[opts.devices[0].chardev_index].path, "out.txt");
    ck_assert(!opts.devices[1].has_console);
    ck_assert(opts.serial_none);
    ck_assert(parse("-kernel", "k", "-chardev", "stdio,id=s,signal=off", "-chardev", "null,id=n", NULL));
    ck_assert_int_eq(opts.chardevs[0].kind, NESTOR_CHARDEV_STDIO);
    ck_assert_int_eq(opts.chardevs[1].kind, NESTOR_CHARDEV_NULL);
    ck_error("no virtio-serial-device to attach to", "-kernel", "k", "-device", "virtconsole,chardev=c0");
    ck_error("chardev= is missing", "-kernel", "k", "-device", "virtio-serial-device", "-device", "virtconsole");
    ck_error("already has its console", "-kernel", "k", "-chardev", "null,id=a", "-device", "virtio-serial-device",
             "-device", "virtconsole,chardev=a", "-device", "virtconsole,chardev=a");
    ck_error("no -chardev with id=c9", "-kernel", "k", "-device", "virtio-serial-device", "-device",
             "virtconsole,chardev=c9");
    ck_error("chardev 'a' is already in use", "-kernel", "k", "-chardev", "null,id=a", "-device",
             "virtio-serial-device", "-device", "virtconsole,chardev=a", "-device", "virtio-serial-device",
             "-device", "virtconsole,chardev=a");
    ck_error("backend 'socket' is not supported", "-kernel", "k", "-chardev", "socket,id=a,port=4");
    ck_error("path= is missing", "-kernel", "k", "-chardev", "file,id=a");
    ck_error("id= is missing", "-kernel", "k", "-chardev", "null");
    ck_error("duplicate id 'a'", "-kernel", "k", "-chardev", "null,id=a", "-chardev", "stdio,id=a");
    ck_error("unknown parameter 'path'", "-kernel", "k", "-chardev", "null,id=a,path=x");
    ck_error("-serial vc: only", "-kernel", "k", "-serial", "vc");
}
END_TEST

START_TEST(display_and_screendump)
{
    ck_assert(parse("-kernel", "k", NULL));
    ck_assert(!opts.display_sdl);
    ck_assert_ptr_null(opts.screendump);
    ck_assert(parse("-kernel", "k", "-display", "sdl", "-screendump", "s.ppm", NULL));
    ck_assert(opts.display_sdl);
    ck_assert_str_eq(opts.screendump, "s.ppm");
    ck_assert(parse("-kernel", "k", "-display", "sdl", "-display", "none", NULL));
    ck_assert(!opts.display_sdl); /* the later -display wins */
    ck_assert(parse("-kernel", "k", "-nographic", "-screendump", "s.ppm", NULL));
    ck_error("-display gtk: only 'none' and 'sdl'", "-kernel", "k", "-display", "gtk");
    ck_error("-nographic cannot be used with -display sdl", "-kernel", "k", "-nographic", "-display", "sdl");
    ck_error("-screendump: missing file name", "-kernel", "k", "-screendump", "");
}
END_TEST

START_TEST(other_errors_name_the_option)
{
    ck_error("unknown option '-foo'", "-foo", "-kernel", "k");
    ck_error("unknown option '--bar'", "--bar", "-kernel", "k");
    ck_error("option '-netdev' is not implemented", "-kernel", "k", "-netdev", "user,id=n0");
    ck_error("dumpdtb=: missing file name", "-M", "virt,dumpdtb=");
    ck_error("unknown device 'virtio-blk'", "-device", "virtio-blk", "-kernel", "k");
    ck_error("format=qcow2 is not supported", "-drive", "file=x,format=qcow2", "-kernel", "k");
    ck_error("unexpected argument 'disk.img'", "disk.img");
    ck_error("option '-kernel' needs an argument", "-kernel");
    ck_error("-kernel", "-M", "virt");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("options");
    tcase_add_test(tc, defaults);
    tcase_add_test(tc, machine_options_merge);
    tcase_add_test(tc, boot_files);
    tcase_add_test(tc, machine_errors_name_the_problem);
    tcase_add_test(tc, sizes_follow_qemu);
    tcase_add_test(tc, smp_only_one_cpu);
    tcase_add_test(tc, cpu_and_engine);
    tcase_add_test(tc, io_and_flags);
    tcase_add_test(tc, information_requests);
    tcase_add_test(tc, other_errors_name_the_option);
    tcase_add_test(tc, drives_and_devices);
    tcase_add_test(tc, chardevs_and_consoles);
    tcase_add_test(tc, display_and_screendump);
    suite_add_tcase(s, tc);
    return unit_run_suite(s, true);
}
