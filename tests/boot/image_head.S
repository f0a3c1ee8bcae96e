/*
 * The arm64 Image header (Linux Documentation/arch/arm64/booting.rst) in
 * front of a tiny bare-metal test: text_offset 0, so the loader puts it at
 * RAM + 2 MiB and enters it at its first byte with x0 = the DTB.
 */
    .section .text.head, "ax"
    .global _head
_head:
    b       entry                   /* code0 */
    .long   0                       /* code1 */
    .quad   0                       /* text_offset */
    .quad   _image_end - _head      /* image_size: file and BSS */
    .quad   0                       /* flags: little-endian, page size unspecified */
    .quad   0, 0, 0                 /* res2..res4 */
    .ascii  "ARM\x64"               /* magic */
    .long   0                       /* res5 (PE header offset: none) */

entry:
    adr     x4, _head               /* where the loader put us */
    mrs     x5, CurrentEL
    lsr     x5, x5, #2
    ldr     x6, =stack_top
    mov     sp, x6
    bl      image_main              /* (x0..x3 as booted, load address, EL) */
1:  wfi
    b       1b
