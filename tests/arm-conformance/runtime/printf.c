/*
 * A small printf: flags '-', '0' and '+', a field width, length modifiers
 * h/l/ll/z (all promoted to 64 bits), conversions d i u x X p s c %.
 * No floating point: the runtime is built with -mgeneral-regs-only.
 */
#include "runtime.h"

struct spec {
    bool left;
    bool zero;
    bool plus;
    unsigned width;
    int length; /* 0 = int, 1 = long or wider */
};

static unsigned emit_padded(const char *s, unsigned len, const struct spec *sp)
{
    unsigned pad = sp->width > len ? sp->width - len : 0;
    char fill = (sp->zero && !sp->left) ? '0' : ' ';
    unsigned i;

    if (!sp->left)
        for (i = 0; i < pad; i++)
            putc(fill);
    for (i = 0; i < len; i++)
        putc(s[i]);
    if (sp->left)
        for (i = 0; i < pad; i++)
            putc(' ');
    return len + pad;
}

/* Formats v in base 10 or 16 into the end of buf; returns the first digit. */
static char *format_unsigned(char *end, uint64_t v, unsigned base, bool upper)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = end;

    do {
        *--p = digits[v % base];
        v /= base;
    } while (v);
    return p;
}

/* sign: '-', '+' or 0 for none. */
static unsigned emit_number(uint64_t v, char sign, unsigned base, bool upper,
                            const struct spec *sp)
{
    char buf[24];
    char *end = buf + sizeof(buf);
    char *p = format_unsigned(end, v, base, upper);

    if (sign) {
        /* Zero padding goes between the sign and the digits. */
        struct spec rest = *sp;
        putc(sign);
        if (rest.width)
            rest.width--;
        return 1 + emit_padded(p, (unsigned)(end - p), &rest);
    }
    return emit_padded(p, (unsigned)(end - p), sp);
}

int vprintf(const char *fmt, va_list ap)
{
    unsigned count = 0;

    for (; *fmt; fmt++) {
        struct spec sp = { false, false, false, 0, 0 };
        uint64_t u;
        int64_t s;

        if (*fmt != '%') {
            putc(*fmt);
            count++;
            continue;
        }
        fmt++;
        for (;; fmt++) {
            if (*fmt == '-')
                sp.left = true;
            else if (*fmt == '0')
                sp.zero = true;
            else if (*fmt == '+')
                sp.plus = true;
            else
                break;
        }
        while (*fmt >= '0' && *fmt <= '9')
            sp.width = sp.width * 10 + (unsigned)(*fmt++ - '0');
        while (*fmt == 'l' || *fmt == 'z' || *fmt == 'h') {
            if (*fmt != 'h')
                sp.length = 1;
            fmt++;
        }
        switch (*fmt) {
        case 'd':
        case 'i':
            s = sp.length ? va_arg(ap, int64_t) : va_arg(ap, int);
            u = s < 0 ? (uint64_t)0 - (uint64_t)s : (uint64_t)s;
            count += emit_number(u, s < 0 ? '-' : sp.plus ? '+' : 0, 10, false, &sp);
            break;
        case 'u':
        case 'x':
        case 'X':
            u = sp.length ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
            count += emit_number(u, 0, *fmt == 'u' ? 10 : 16, *fmt == 'X', &sp);
            break;
        case 'p':
            putc('0');
            putc('x');
            sp.zero = true;
            sp.width = 16;
            count += 2 + emit_number((uint64_t)va_arg(ap, void *), 0, 16, false, &sp);
            break;
        case 's': {
            const char *str = va_arg(ap, const char *);
            unsigned len = 0;
            if (!str)
                str = "(null)";
            while (str[len])
                len++;
            count += emit_padded(str, len, &sp);
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            count += emit_padded(&c, 1, &sp);
            break;
        }
        case '%':
            putc('%');
            count++;
            break;
        case '\0':
            return (int)count;
        default:
            /* Unknown conversion: print it verbatim so the mistake is visible. */
            putc('%');
            putc(*fmt);
            count += 2;
        }
    }
    return (int)count;
}

int printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}
