/* arm64 Image headers and gzip. Both read untrusted files: every offset is
 * checked against the size with subtraction, never with a wrapping addition. */
#include "machines/linux_image.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "trace/log.h"

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static uint32_t le32(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

bool linux_image_parse(const uint8_t *data, uint64_t size, LinuxImageHeader *h)
{
    if (size < LINUX_IMAGE_HEADER_SIZE || memcmp(data + LINUX_IMAGE_MAGIC_OFFSET, "ARM\x64", 4) != 0)
        return false;
    h->text_offset = le64(data + 8);
    h->image_size = le64(data + 16);
    h->flags = le64(data + 24);
    return true;
}

/* PE/COFF (Microsoft PE format): "MZ", the PE header offset at 0x3c, "PE\0\0",
 * the COFF header (section count at +6, optional header size at +20), then
 * 40-byte section headers with SizeOfRawData at +16, PointerToRawData at +20. */
static const char *check_pe_sections(const uint8_t *data, uint64_t size)
{
    if (size < 0x40 || data[0] != 'M' || data[1] != 'Z')
        return NULL; /* a bare Image: nothing more to check */
    uint64_t pe = le32(data + 0x3c);
    if (pe > size || size - pe < 24 || memcmp(data + pe, "PE\0\0", 4) != 0)
        return "its EFI (PE/COFF) header is missing or cut off: the file is truncated or corrupt";
    unsigned nsections = le16(data + pe + 6), opt_size = le16(data + pe + 20);
    uint64_t table = pe + 24 + opt_size;
    if (table > size || (size - table) / 40 < nsections)
        return "its EFI (PE/COFF) section table is cut off: the file is truncated";
    for (unsigned i = 0; i < nsections; i++) {
        const uint8_t *s = data + table + 40ull * i;
        uint64_t raw_size = le32(s + 16), raw_at = le32(s + 20);
        if (raw_at > size || raw_size > size - raw_at)
            return "the file ends before its last EFI (PE/COFF) section: it is truncated";
    }
    return NULL;
}

const char *linux_image_check(const uint8_t *data, uint64_t size, const LinuxImageHeader *h)
{
    if (h->flags & 1)
        return "it is a big-endian kernel (Nestor runs little-endian guests only)";
    return check_pe_sections(data, size);
}

uint64_t linux_image_load_offset(const LinuxImageHeader *h)
{
    if (h->image_size == 0)
        return LINUX_IMAGE_DEFAULT_OFFSET;
    return h->text_offset < 4096 ? h->text_offset + (2ull << 20) : h->text_offset;
}

uint64_t linux_image_memory_size(const LinuxImageHeader *h, uint64_t file_size)
{
    return h->image_size > file_size ? h->image_size : file_size;
}

bool is_gzip(const uint8_t *data, uint64_t size) { return size >= 10 && data[0] == 0x1f && data[1] == 0x8b; }

uint8_t *gunzip(const uint8_t *data, uint64_t size, uint64_t max_out, uint64_t *out_size, char *err, size_t errlen)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) { /* 16: gzip wrapper only */
        error_format(err, errlen, "cannot start gzip decompression");
        return NULL;
    }
    uint64_t cap = size * 4 < max_out ? size * 4 : max_out, have = 0;
    uint8_t *out = malloc(cap ? cap : 1);
    const uint8_t *in = data;
    uint64_t in_left = size;
    int rc = Z_OK;
    if (!out) {
        error_format(err, errlen, "cannot allocate memory to decompress it");
        goto fail;
    }
    while (rc != Z_STREAM_END) {
        if (have == cap) {
            if (cap == max_out) {
                error_format(err, errlen, "it decompresses to more than %llu MiB", (unsigned long long)(max_out >> 20));
                goto fail;
            }
            cap = cap * 2 < max_out ? cap * 2 : max_out;
            uint8_t *bigger = realloc(out, cap);
            if (!bigger) {
                error_format(err, errlen, "cannot allocate memory to decompress it");
                goto fail;
            }
            out = bigger;
        }
        uInt in_chunk = in_left > 1u << 30 ? 1u << 30 : (uInt)in_left;
        uInt out_chunk = cap - have > 1u << 30 ? 1u << 30 : (uInt)(cap - have);
        z.next_in = (Bytef *)(uintptr_t)in;
        z.avail_in = in_chunk;
        z.next_out = out + have;
        z.avail_out = out_chunk;
        rc = inflate(&z, Z_NO_FLUSH);
        in += in_chunk - z.avail_in;
        in_left -= in_chunk - z.avail_in;
        have += out_chunk - z.avail_out;
        if (rc == Z_BUF_ERROR && in_left == 0 && z.avail_in == 0) {
            error_format(err, errlen, "its gzip data ends early: the file is truncated");
            goto fail;
        }
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
            error_format(err, errlen, "its gzip data is corrupt (%s)", z.msg ? z.msg : "inflate failed");
            goto fail;
        }
    }
    inflateEnd(&z);
    *out_size = have;
    return out;
fail:
    inflateEnd(&z);
    free(out);
    return NULL;
}
