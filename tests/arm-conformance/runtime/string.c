/*
 * The compiler may emit calls to these even in freestanding code (struct
 * copies, large initialisers).  Byte loops: memory is Device (MMU off), so
 * wider accesses would need alignment care that is not worth it here.
 * Built with -fno-tree-loop-distribute-patterns so these loops are not
 * turned back into calls to themselves.
 */
#include "runtime.h"

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    while (n--)
        *d++ = *s++;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;
    for (; n; n--, p++, q++)
        if (*p != *q)
            return *p < *q ? -1 : 1;
    return 0;
}
