/*
 * Running test code at a lower EL.  The caller's context is saved with
 * rt_setjmp, the code is entered with ERET, and its final HVC/SVC
 * #RT_IMM_RETURN (seen by exception_entry) longjmps back with the result.
 */
#include "runtime.h"

struct rt_jmpbuf {
    uint64_t regs[JMPBUF_SIZE / 8];
};

int rt_setjmp(struct rt_jmpbuf *buf) __attribute__((returns_twice));
__attribute__((noreturn)) void rt_longjmp(struct rt_jmpbuf *buf, uint64_t value);
__attribute__((noreturn)) void rt_enter_el1(lower_el_fn fn, uint64_t arg, uint64_t sp);
__attribute__((noreturn)) void rt_enter_el0(lower_el_fn fn, uint64_t arg, uint64_t sp);
uint64_t rt_lower_el_main(lower_el_fn fn, uint64_t arg, unsigned el);
void rt_return_from_lower(unsigned handler_el, uint64_t result);
void rt_init_el(void);

#define LOWER_STACK_SIZE (16 * 1024)
static uint8_t el1_stack[LOWER_STACK_SIZE] __attribute__((aligned(16)));
static uint8_t el0_stack[LOWER_STACK_SIZE] __attribute__((aligned(16)));

/* Indexed by the EL that resumes: [2] for run_at_el1, [1] for run_at_el0. */
static struct rt_jmpbuf resume_ctx[3];
static volatile uint64_t lower_result;
static volatile unsigned rt_el;

uint64_t rt_start_el;

void rt_init_el(void) { rt_el = (unsigned)rt_start_el; }

unsigned rt_current_el(void) { return rt_el; }

/* Exception entry/exit move between ELs behind the runtime's back. */
unsigned rt_set_current_el(unsigned el)
{
    unsigned old = rt_el;
    rt_el = el;
    return old;
}

uint64_t rt_lower_el_main(lower_el_fn fn, uint64_t arg, unsigned el)
{
    rt_el = el;
    return fn(arg);
}

void rt_return_from_lower(unsigned handler_el, uint64_t result)
{
    lower_result = result;
    rt_longjmp(&resume_ctx[handler_el], 1);
}

uint64_t run_at_el1(lower_el_fn fn, uint64_t arg)
{
    if (rt_el != 2) {
        printf("FAIL run_at_el1 called at EL%u\n", rt_el);
        rt_failures++;
        return 0;
    }
    if (rt_setjmp(&resume_ctx[2]) == 0)
        rt_enter_el1(fn, arg, (uint64_t)(el1_stack + LOWER_STACK_SIZE));
    rt_el = 2;
    return lower_result;
}

struct lower_call {
    lower_el_fn fn;
    uint64_t arg;
};

static uint64_t el0_via_el1(uint64_t call_ptr)
{
    const struct lower_call *call = (const struct lower_call *)call_ptr;
    return run_at_el0(call->fn, call->arg);
}

uint64_t run_at_el0(lower_el_fn fn, uint64_t arg)
{
    if (rt_el == 2) {
        /* With HCR_EL2.TGE=0, EL0 exceptions go to EL1, so go through EL1. */
        struct lower_call call = { fn, arg };
        return run_at_el1(el0_via_el1, (uint64_t)&call);
    }
    if (rt_el != 1) {
        printf("FAIL run_at_el0 called at EL%u\n", rt_el);
        rt_failures++;
        return 0;
    }
    if (rt_setjmp(&resume_ctx[1]) == 0)
        rt_enter_el0(fn, arg, (uint64_t)(el0_stack + LOWER_STACK_SIZE));
    rt_el = 1;
    return lower_result;
}
