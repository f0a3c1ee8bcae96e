/* Bare-metal demo: prints "Hello from the guest at ELn" on the virt board's
 * PL011 (n read from CurrentEL), then powers the machine off with PSCI
 * SYSTEM_OFF: SMC at EL2 (virtualization=on makes SMC the PSCI conduit, as
 * in QEMU), HVC at EL1. Uses no stack and no RAM data, only the UART. */
    .equ UART_BASE, 0x09000000
    .equ UARTFR, 0x18
    .equ FR_TXFF, 5              /* transmit FIFO full */
    .equ PSCI_SYSTEM_OFF, 0x84000008

    .section .text.boot, "ax"
    .global _start
_start:
    mov     x19, #UART_BASE
    adr     x20, message
1:  ldrb    w0, [x20], #1
    cbz     w0, 2f
    bl      putc
    b       1b
2:  mrs     x21, CurrentEL
    ubfx    x21, x21, #2, #2     /* CurrentEL.EL */
    add     w0, w21, #'0'
    bl      putc
    mov     w0, #'\n'
    bl      putc

    movz    x0, #(PSCI_SYSTEM_OFF >> 16), lsl #16
    movk    x0, #(PSCI_SYSTEM_OFF & 0xffff)
    cmp     x21, #2
    b.ne    3f
    smc     #0
    b       hang
3:  hvc     #0
hang:                            /* only reached if PSCI is missing */
    wfi
    b       hang

/* Writes w0 to the UART once it has room. Clobbers w1. */
putc:
    ldr     w1, [x19, #UARTFR]
    tbnz    w1, #FR_TXFF, putc
    strb    w0, [x19]
    ret

    .section .rodata
message:
    .asciz  "Hello from the guest at EL"
