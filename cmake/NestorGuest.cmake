# Cross-building bare-metal AArch64 guests for QEMU's "virt" board against the
# runtime in tests/arm-conformance/runtime (used by the conformance tests and
# by benchmarks/).  include() it once per directory that builds guests.
#
# Sets NESTOR_GUEST_OK (TRUE when a cross toolchain and python3 were found),
# NESTOR_QEMU_AARCH64 (may be empty) and these functions:
#
#   nestor_guest_compile(<out-var> <abs-source> <obj-dir> [VECTOR]
#                        [FLAGS <cflags...>] [DEPENDS <files...>])
#   nestor_guest_runtime(<out-var> <obj-dir>)     runtime objects, compiled into obj-dir
#   nestor_guest_link(<out-var> <elf> [ALLOW_FP] <objects...>)
#       links <elf> and, without ALLOW_FP, checks it has no FP/SIMD; <out-var>
#       gets the files to make part of a target (the ELF and the check's stamp).
#       ALLOW_FP is for guests that test FP on purpose: the runtime itself
#       stays FP-free (every other guest checks it).

include_guard(DIRECTORY)

find_program(NESTOR_AARCH64_CC NAMES aarch64-linux-gnu-gcc aarch64-none-elf-gcc
             DOC "AArch64 cross compiler for the bare-metal guests")
find_program(NESTOR_AARCH64_OBJDUMP NAMES aarch64-linux-gnu-objdump aarch64-none-elf-objdump
             DOC "objdump for the cross compiler (checks the guest ELFs contain no FP/SIMD)")
find_program(NESTOR_QEMU_AARCH64 NAMES qemu-system-aarch64
             DOC "QEMU, the reference guests are compared with")
find_package(Python3 COMPONENTS Interpreter)

if(NESTOR_AARCH64_CC AND NESTOR_AARCH64_OBJDUMP AND Python3_Interpreter_FOUND)
  set(NESTOR_GUEST_OK TRUE)
else()
  set(NESTOR_GUEST_OK FALSE)
endif()

set(NESTOR_GUEST_RUNTIME_DIR ${CMAKE_SOURCE_DIR}/tests/arm-conformance/runtime)
set(NESTOR_GUEST_FPCHECK ${CMAKE_SOURCE_DIR}/tests/arm-conformance/check_no_fp.py)

# Everything runs with the MMU off: data accesses are Device memory, so no
# unaligned accesses (-mstrict-align). No FP/SIMD from the compiler: the
# runtime must work with FP disabled (CPACR_EL1.FPEN resets to 0 at EL1);
# tests of FP use it explicitly and link with ALLOW_FP.
set(NESTOR_GUEST_CFLAGS
    -std=gnu17 -O2 -march=armv8-a+crc -mstrict-align -mgeneral-regs-only
    -ffreestanding -nostdlib -fno-builtin -fno-stack-protector -fno-pic -fno-pie
    -mno-outline-atomics -mbranch-protection=none
    -fno-asynchronous-unwind-tables -fno-unwind-tables
    -fno-tree-loop-distribute-patterns
    -Wall -Wextra -Werror
    -I${NESTOR_GUEST_RUNTIME_DIR})
set(NESTOR_GUEST_LDFLAGS
    -nostdlib -static -no-pie -T ${NESTOR_GUEST_RUNTIME_DIR}/link.ld
    -Wl,--build-id=none)

file(GLOB NESTOR_GUEST_RUNTIME_HEADERS ${NESTOR_GUEST_RUNTIME_DIR}/*.h)
set(NESTOR_GUEST_RUNTIME_SOURCES
    start.S vectors.S el_switch.S el_switch.c exceptions.c pagetable.c psci.c result.c uart.c printf.c string.c)

# VECTOR: code that runs with the MMU on (Normal memory) and may use FP and
# AdvSIMD: -O3 without -mgeneral-regs-only and -mstrict-align, so that the
# compiler vectorises (benchmarks/workloads/simd_kernels.c).
function(nestor_guest_compile out_var src obj_dir)
  cmake_parse_arguments(G "VECTOR" "" "FLAGS;DEPENDS" ${ARGN})
  get_filename_component(name ${src} NAME)
  set(obj ${obj_dir}/${name}.o)
  set(cflags ${NESTOR_GUEST_CFLAGS})
  if(G_VECTOR)
    list(REMOVE_ITEM cflags -O2 -mgeneral-regs-only -mstrict-align)
    list(APPEND cflags -O3)
  endif()
  add_custom_command(
    OUTPUT ${obj}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${obj_dir}
    COMMAND ${NESTOR_AARCH64_CC} ${cflags} ${G_FLAGS} -c ${src} -o ${obj}
    DEPENDS ${src} ${NESTOR_GUEST_RUNTIME_HEADERS} ${G_DEPENDS}
    COMMENT "Cross-compiling ${name}"
    VERBATIM)
  set(${out_var} ${obj} PARENT_SCOPE)
endfunction()

function(nestor_guest_runtime out_var obj_dir)
  set(objs "")
  foreach(src ${NESTOR_GUEST_RUNTIME_SOURCES})
    nestor_guest_compile(obj ${NESTOR_GUEST_RUNTIME_DIR}/${src} ${obj_dir})
    list(APPEND objs ${obj})
  endforeach()
  set(${out_var} ${objs} PARENT_SCOPE)
endfunction()

function(nestor_guest_link out_var elf)
  get_filename_component(elf_dir ${elf} DIRECTORY)
  get_filename_component(elf_name ${elf} NAME)
  set(objs ${ARGN})
  list(GET objs 0 first)
  if(first STREQUAL "ALLOW_FP")
    list(REMOVE_AT objs 0)
  endif()
  add_custom_command(
    OUTPUT ${elf}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${elf_dir}
    COMMAND ${NESTOR_AARCH64_CC} ${NESTOR_GUEST_LDFLAGS} -o ${elf} ${objs}
    DEPENDS ${objs} ${NESTOR_GUEST_RUNTIME_DIR}/link.ld
    COMMENT "Linking ${elf_name}"
    VERBATIM)
  if(first STREQUAL "ALLOW_FP")
    set(${out_var} ${elf} PARENT_SCOPE)
    return()
  endif()
  add_custom_command(
    OUTPUT ${elf}.fpcheck
    COMMAND ${Python3_EXECUTABLE} ${NESTOR_GUEST_FPCHECK}
            --objdump ${NESTOR_AARCH64_OBJDUMP} --stamp ${elf}.fpcheck ${elf}
    DEPENDS ${elf} ${NESTOR_GUEST_FPCHECK}
    VERBATIM)
  set(${out_var} ${elf} ${elf}.fpcheck PARENT_SCOPE)
endfunction()
