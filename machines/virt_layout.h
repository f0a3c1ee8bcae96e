/* The virt board's memory map and interrupt numbers, as QEMU's hw/arm/virt.c
 * lays them out, so guests built for QEMU run unchanged. Used by the board,
 * its device tree and the command line (slot counts). */
#ifndef NESTOR_MACHINES_VIRT_LAYOUT_H
#define NESTOR_MACHINES_VIRT_LAYOUT_H

/* The regions Nestor models; QEMU's other virt regions are simply absent
 * (accesses take an external abort). */
#define VIRT_UART_BASE 0x09000000ull
#define VIRT_RTC_BASE 0x09010000ull
#define VIRT_MMIO_BASE 0x0a000000ull   /* virtio-mmio slot i at + i * VIRTIO_MMIO_SIZE */
#define VIRT_MMIO_SLOTS 32
#define VIRT_RAM_BASE 0x40000000ull
/* Interrupts: SPI numbers (INTID = 32 + SPI), as QEMU's virt. */
#define VIRT_UART_SPI 1
#define VIRT_RTC_SPI 2
#define VIRT_MMIO_SPI 16               /* slot i: SPI 16 + i */
/* QEMU's low-memory RAM window ends at 256 GiB. */
#define VIRT_RAM_MAX (255ull << 30)

#endif
