/* -kernel loading. The file is untrusted input: every offset and size from an
 * ELF header is checked against the file and RAM with subtraction, never with
 * an addition that could wrap. */
#include "machines/loader.h"

#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mmu/physmem.h"
#include "trace/log.h"


bool host_file_read(KernelImage *img, const char *what, const char *path, char *err, size_t errlen)
{
    *img = (KernelImage){.path = path};
    FILE *f = fopen(path, "rb");
    if (!f)
        return error_format(err, errlen, "cannot open %s '%s': %s", what, path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return error_format(err, errlen, "%s '%s' is not a regular file", what, path);
    }
    if (st.st_size == 0) {
        fclose(f);
        return error_format(err, errlen, "%s '%s' is empty", what, path);
    }
    img->size = (uint64_t)st.st_size;
    img->data = malloc(img->size);
    if (!img->data) {
        fclose(f);
        return error_format(err, errlen, "%s '%s' (%" PRIu64 " bytes): cannot allocate memory to read it", what, path,
                            img->size);
    }
    size_t got = fread(img->data, 1, img->size, f);
    bool read_error = ferror(f);
    int saved = errno;
    fclose(f);
    if (got != img->size) {
        kernel_image_free(img);
        return error_format(err, errlen, "cannot read %s '%s': %s", what, path, read_error ? strerror(saved) : "file shrank");
    }
    return true;
}

static bool is_elf(const KernelImage *img);

bool kernel_image_read(KernelImage *img, const char *path, char *err, size_t errlen)
{
    if (!host_file_read(img, "kernel", path, err, errlen))
        return false;
    char why[160];
    if (is_gzip(img->data, img->size)) {
        uint64_t size;
        uint8_t *plain = gunzip(img->data, img->size, LOADER_MAX_GUNZIP_BYTES, &size, why, sizeof why);
        if (!plain) {
            kernel_image_free(img);
            return error_format(err, errlen, "kernel '%s': %s", path, why);
        }
        free(img->data);
        img->data = plain;
        img->size = size;
    }
    if (is_elf(img)) {
        img->kind = KERNEL_ELF;
    } else if (linux_image_parse(img->data, img->size, &img->header)) {
        const char *problem = linux_image_check(img->data, img->size, &img->header);
        if (problem) {
            kernel_image_free(img);
            return error_format(err, errlen, "kernel '%s' is an arm64 Linux Image, but %s", path, problem);
        }
        img->kind = KERNEL_LINUX;
    } else if (img->size >= 2 && img->data[0] == 'M' && img->data[1] == 'Z') {
        kernel_image_free(img);
        return error_format(err, errlen, "kernel '%s' is a PE/COFF (EFI) executable without the arm64 Image header: "
                            "not an arm64 Linux kernel", path);
    } else {
        img->kind = KERNEL_RAW;
    }
    return true;
}

void kernel_image_free(KernelImage *img)
{
    free(img->data);
    img->data = NULL;
    img->size = 0;
}

/* True if [addr, addr + len) lies within [base, base + size). */
static bool range_inside(uint64_t addr, uint64_t len, uint64_t base, uint64_t size)
{
    return addr >= base && len <= size && addr - base <= size - len;
}

static bool is_elf(const KernelImage *img)
{
    return img->size >= SELFMAG && !memcmp(img->data, ELFMAG, SELFMAG);
}

static bool load_elf(const KernelImage *img, AddressSpace *as, uint64_t ram_base, uint64_t ram_size,
                     KernelPlacement *out, char *err, size_t errlen)
{
    const char *path = img->path;
    Elf64_Ehdr eh;
    if (img->size < sizeof eh)
        return error_format(err, errlen, "kernel '%s': truncated ELF header", path);
    memcpy(&eh, img->data, sizeof eh);
    if (eh.e_ident[EI_CLASS] != ELFCLASS64)
        return error_format(err, errlen, "kernel '%s': not a 64-bit ELF file (AArch32 guests are not supported)", path);
    if (eh.e_ident[EI_DATA] != ELFDATA2LSB)
        return error_format(err, errlen, "kernel '%s': big-endian ELF files are not supported", path);
    if (eh.e_machine != EM_AARCH64)
        return error_format(err, errlen, "kernel '%s': ELF machine %u is not AArch64 (%u)", path, eh.e_machine, EM_AARCH64);
    if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN)
        return error_format(err, errlen, "kernel '%s': ELF type %u is not an executable", path, eh.e_type);
    if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0)
        return error_format(err, errlen, "kernel '%s': ELF file has no usable program headers", path);
    uint64_t table_size = (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr); /* at most 65535 * 56: no overflow */
    if (!range_inside(eh.e_phoff, table_size, 0, img->size))
        return error_format(err, errlen, "kernel '%s': ELF program headers (offset 0x%" PRIx64 ") lie beyond the end of the file",
                    path, (uint64_t)eh.e_phoff);

    unsigned loaded = 0;
    for (unsigned i = 0; i < eh.e_phnum; i++) {
        Elf64_Phdr ph;
        memcpy(&ph, img->data + eh.e_phoff + (uint64_t)i * sizeof ph, sizeof ph);
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        if (ph.p_filesz > ph.p_memsz)
            return error_format(err, errlen, "kernel '%s': ELF segment %u has more file bytes than memory bytes", path, i);
        if (!range_inside(ph.p_offset, ph.p_filesz, 0, img->size))
            return error_format(err, errlen, "kernel '%s': ELF segment %u (file offset 0x%" PRIx64 ", 0x%" PRIx64
                        " bytes) lies beyond the end of the file", path, i, (uint64_t)ph.p_offset, (uint64_t)ph.p_filesz);
        if (!range_inside(ph.p_paddr, ph.p_memsz, ram_base, ram_size))
            return error_format(err, errlen, "kernel '%s': ELF segment %u at 0x%" PRIx64 " (0x%" PRIx64 " bytes) is outside "
                        "RAM (0x%" PRIx64 " bytes at 0x%" PRIx64 "; try a larger -m)", path, i, (uint64_t)ph.p_paddr,
                        (uint64_t)ph.p_memsz, ram_size, ram_base);
        uint8_t *dst = as_ram_ptr(as, ph.p_paddr, ph.p_memsz);
        if (!dst)
            return error_format(err, errlen, "kernel '%s': ELF segment %u at 0x%" PRIx64 " is not in RAM", path, i,
                        (uint64_t)ph.p_paddr);
        memcpy(dst, img->data + ph.p_offset, ph.p_filesz);
        memset(dst + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
        if (!loaded || ph.p_paddr < out->start)
            out->start = ph.p_paddr;
        if (!loaded || ph.p_paddr + ph.p_memsz > out->end)
            out->end = ph.p_paddr + ph.p_memsz; /* inside RAM: no overflow */
        loaded++;
    }
    if (!loaded)
        return error_format(err, errlen, "kernel '%s': ELF file has no loadable segment", path);
    /* The MMU is off at reset, so the entry point is a physical address. */
    if (!range_inside(eh.e_entry, 4, ram_base, ram_size))
        return error_format(err, errlen, "kernel '%s': ELF entry point 0x%" PRIx64 " is outside RAM", path,
                    (uint64_t)eh.e_entry);
    out->entry = eh.e_entry;
    return true;
}

bool kernel_image_load(const KernelImage *img, AddressSpace *as, uint64_t ram_base, uint64_t ram_size,
                       KernelPlacement *out, char *err, size_t errlen)
{
    *out = (KernelPlacement){0};
    if (img->kind == KERNEL_ELF)
        return load_elf(img, as, ram_base, ram_size, out, err, errlen);
    bool is_linux = img->kind == KERNEL_LINUX;
    uint64_t offset = is_linux ? linux_image_load_offset(&img->header) : LOADER_RAW_OFFSET;
    uint64_t footprint = is_linux ? linux_image_memory_size(&img->header, img->size) : img->size;
    if (offset >= ram_size || !range_inside(ram_base + offset, footprint, ram_base, ram_size))
        return error_format(err, errlen, "kernel '%s' (%" PRIu64 " bytes in memory, at offset 0x%" PRIx64 ") does not "
                            "fit in RAM (%" PRIu64 " bytes at 0x%" PRIx64 "; try a larger -m)", img->path, footprint,
                            offset, ram_size, ram_base);
    uint64_t addr = ram_base + offset;
    if (!as_write_bytes(as, addr, img->data, img->size))
        return error_format(err, errlen, "kernel '%s': cannot write it to RAM at 0x%" PRIx64, img->path, addr);
    /* the kernel's BSS (image_size beyond the file) is zero, as after a fresh load */
    uint8_t *bss = footprint > img->size ? as_ram_ptr(as, addr + img->size, footprint - img->size) : NULL;
    if (bss)
        memset(bss, 0, footprint - img->size);
    *out = (KernelPlacement){.entry = addr, .start = addr, .end = addr + footprint};
    return true;
}
