/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * decision.h - the one text form of an injected action, shared by the
 * scenario's [inject] decisions and the decision lines of schedule files:
 *
 *   POINT#OCCURRENCE:ACTION
 *
 *   POINT        a point's stable name, "function.step" (slabsim points)
 *   OCCURRENCE   1-based: the Nth time any task reaches POINT
 *   ACTION       preempt            switch to the next task in the CPU's queue
 *                preempt:TASK       switch to that task of the scenario
 *                migrate:CPU        move the running task to CPU
 *                irq:NAME           run the [irq NAME] handler on this CPU
 */
#ifndef SIM_DECISION_H
#define SIM_DECISION_H

#include <stdbool.h>

#include "scenario.h"

#define SIM_DECISION_SYNTAX \
	"POINT#OCCURRENCE:ACTION with ACTION preempt, migrate:CPU, irq:NAME or fail"

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
