/* PL011 console.  QEMU's PL011 needs no setup; the FIFO-full poll keeps real UARTs happy. */
#include "runtime.h"

#define UART_DR   ((volatile uint32_t *)(UART_BASE + 0x00))
#define UART_FR   ((volatile uint32_t *)(UART_BASE + 0x18))
#define UART_FR_TXFF (1u << 5)

void putc(char c)
{
    while (*UART_FR & UART_FR_TXFF)
        ;
    *UART_DR = (uint32_t)(unsigned char)c;
}

void puts(const char *s)
{
    while (*s)
        putc(*s++);
}
