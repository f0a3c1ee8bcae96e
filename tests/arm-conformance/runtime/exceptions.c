/*
 * C side of the exception vectors: consumes the runtime's own HVC/SVC calls,
 * records everything else in rt_last_exc, then lets the test's handler
 * decide.  Unhandled exceptions power the machine off so a broken test
 * ends with a diagnostic instead of hanging.
 */
#include "runtime.h"

_Static_assert(offsetof(struct exc_frame, elr) == FRAME_ELR, "frame layout");
_Static_assert(offsetof(struct exc_frame, esr) == FRAME_ESR, "frame layout");
_Static_assert(offsetof(struct exc_frame, vector) == FRAME_VECTOR, "frame layout");
_Static_assert(offsetof(struct exc_frame, el) == FRAME_EL, "frame layout");
_Static_assert(sizeof(struct exc_frame) == FRAME_SIZE, "frame layout");

void exception_entry(struct exc_frame *frame);
void rt_return_from_lower(unsigned handler_el, uint64_t result);
unsigned rt_set_current_el(unsigned el);

volatile struct exc_record rt_last_exc;
static exc_handler_fn test_handler;

void set_exception_handler(exc_handler_fn fn) { test_handler = fn; }

void clear_last_exc(void)
{
    rt_last_exc.esr = rt_last_exc.elr = rt_last_exc.far = 0;
    rt_last_exc.spsr = rt_last_exc.vector = rt_last_exc.el = 0;
    rt_last_exc.count = 0;
}

bool skip_faulting_insn(struct exc_frame *frame)
{
    frame->elr += 4;
    return true;
}

static bool from_lower_el(const struct exc_frame *frame) { return frame->vector >= 0x400; }

/* The runtime's own calls: end of run_at_el1/run_at_el0, power-off requests. */
static void handle_runtime_call(struct exc_frame *frame)
{
    uint64_t ec = ESR_EC(frame->esr);
    uint64_t imm = frame->esr & 0xffff;
    bool is_call = (ec == EC_HVC64 && frame->el == 2) || (ec == EC_SVC64 && frame->el == 1);

    /* Only a synchronous exception has a syndrome: IRQ and FIQ leave ESR as
     * it was (possibly the last RT_IMM_RETURN call). */
    if ((frame->vector & 0x180) != 0 || !is_call || !from_lower_el(frame))
        return;
    if (imm == RT_IMM_RETURN)
        rt_return_from_lower((unsigned)frame->el, frame->x[0]);
    if (imm == RT_IMM_POWEROFF)
        system_off();
}

static void report_unexpected(const struct exc_frame *frame)
{
    printf("UNEXPECTED EXCEPTION el=%lu vector=0x%03lx esr=0x%08lx elr=0x%016lx"
           " far=0x%016lx spsr=0x%08lx\n",
           frame->el, frame->vector, frame->esr, frame->elr, frame->far, frame->spsr);
}

void exception_entry(struct exc_frame *frame)
{
    rt_set_current_el((unsigned)frame->el);
    handle_runtime_call(frame);

    rt_last_exc.esr = frame->esr;
    rt_last_exc.elr = frame->elr;
    rt_last_exc.far = frame->far;
    rt_last_exc.spsr = frame->spsr;
    rt_last_exc.vector = frame->vector;
    rt_last_exc.el = frame->el;
    rt_last_exc.count++;

    if (test_handler && test_handler(frame)) {
        /* Resuming where SPSR.M says (a handler may have changed it). */
        rt_set_current_el((unsigned)((frame->spsr >> 2) & 3));
        return;
    }
    report_unexpected(frame);
    system_off();
}
