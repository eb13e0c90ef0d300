/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * decision.h - the one text form of an injected action, shared by the
 * scenario's [inject] decisions and the decision lines of schedule files:
 *
 *   POINT#OCCURRENCE:ACTION
 *   POINT#OCCURRENCE@TASK:ACTION
 *   POINT@SITE#OCCURRENCE@TASK:ACTION      (kernel designs)
 *
 *   POINT        a point's stable name, "function.step" (slabsim points)
 *   OCCURRENCE   1-based: the Nth time any task reaches POINT; with @TASK,
 *                the Nth time that task does; with @SITE, the Nth time that
 *                task reaches POINT at that site
 *   SITE         where a kernel design's point is in its code:
 *                FUNCTION:LINE[K] (kernel_machine.h), as traces print it
 *   ACTION       preempt            switch to the next task in the CPU's queue
 *                preempt:TASK       switch to that task of the scenario
 *                migrate:CPU        move the running task to CPU
 *                irq:NAME           run the [irq NAME] handler on this CPU
 *                fail               fail the page allocation made there
 *
 * A site decision counts over one task (@TASK is required): a task's own
 * visits of a site follow its path, while the order in which all tasks
 * reach it is the order of points, not of their effects, which no trace
 * shows.
 */
#ifndef SIM_DECISION_H
#define SIM_DECISION_H

#include <stdbool.h>
#include <stdint.h>

#include "scenario.h"

#define SIM_DECISION_SYNTAX                                                                \
	"POINT#OCCURRENCE[@TASK]:ACTION or POINT@SITE#OCCURRENCE@TASK:ACTION with ACTION " \
	"preempt, migrate:CPU, irq:NAME or fail"

/*
 * One task's visits to one site of one point, as a key (points and tasks
 * are fewer than 2^16): what the decisions scheduler counts and what
 * writing decisions by site counts in a trace.
 */
static inline uint64_t sim_site_visit_key(int point, unsigned task_plus1, uint32_t site)
{
	return (uint64_t)point << 48 | (uint64_t)task_plus1 << 32 | site;
}

/*
 * Parse text against the scenario (its CPUs, tasks and irqs).  On error
 * returns false with "expected ..., got '...'" in err; the caller says
 * where (file, group, line).
 */
bool sim_decision_parse(const char *text, const struct sim_scenario *sc, struct sim_decision *d,
			char *err, unsigned err_len);
/* The text sim_decision_parse reads back; g_free it. */
char *sim_decision_text(const struct sim_decision *d, const struct sim_scenario *sc);

#endif /* SIM_DECISION_H */
