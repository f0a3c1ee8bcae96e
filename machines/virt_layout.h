/* The virt board's memory map and interrupt numbers, as QEMU's hw/arm/virt.c
 * lays them out, so guests built for QEMU run unchanged. Used by the board,
 * its device tree and the command line (slot counts). */
#ifndef NESTOR_MACHINES_VIRT_LAYOUT_H
#define NESTOR_MACHINES_VIRT_LAYOUT_H

/* The regions Nestor models; QEMU's other virt regions are simply absent
 * (accesses take an external abort). */
#define VIRT_GICD_BASE 0x08000000ull
#define VIRT_GICR_BASE 0x080a0000ull
#define VIRT_GICR_MAX_SIZE 0xf60000ull /* QEMU's first redistributor region: 123 CPUs */
#define VIRT_UART_BASE 0x09000000ull
#define VIRT_RTC_BASE 0x09010000ull
#define VIRT_MMIO_BASE 0x0a000000ull   /* virtio-mmio slot i at + i * VIRTIO_MMIO_SIZE */
#define VIRT_MMIO_SLOTS 32
/* The simple-framebuffer (-display sdl, -screendump): QEMU's virt keeps
 * 0x0c000000-0x0dffffff (32 MiB) for its platform bus, which is empty
 * unless dynamic sysbus devices are added; Nestor has none, so the
 * framebuffer sits there, outside the RAM node. 640 x 480 a8r8g8b8. */
#define VIRT_FB_BASE 0x0c000000ull
#define VIRT_FB_WIDTH 640
#define VIRT_FB_HEIGHT 480
#define VIRT_RAM_BASE 0x40000000ull
/* Interrupts, as QEMU's virt, as the device tree numbers them: PPIs (INTID =
 * 16 + PPI) for the timers and the GIC maintenance interrupt, SPIs (INTID =
 * 32 + SPI) for devices. The secure timer is not modelled; QEMU's tree
 * still names its PPI. */
#define VIRT_PPI_TIMER_HYP_VIRT 12
#define VIRT_PPI_TIMER_SECURE 13
#define VIRT_PPI_TIMER_PHYS 14
#define VIRT_PPI_TIMER_VIRT 11
#define VIRT_PPI_TIMER_HYP_PHYS 10
#define VIRT_PPI_GIC_MAINTENANCE 9
#define VIRT_PPI_PMU 7 /* the PMU overflow interrupt (INTID 23) */
#define VIRT_GIC_SPIS 256
#define VIRT_PPI_INTID(ppi) (16 + (ppi))
#define VIRT_SPI_INTID(spi) (32 + (spi))
#define VIRT_UART_SPI 1
#define VIRT_RTC_SPI 2
#define VIRT_MMIO_SPI 16               /* slot i: SPI 16 + i */
/* QEMU's low-memory RAM window ends at 256 GiB. */
#define VIRT_RAM_MAX (255ull << 30)

#endif
