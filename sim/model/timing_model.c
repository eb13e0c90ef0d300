/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * timing_model.c - the clock charge of a point: additive, or overlap-aware
 * (see timing_model.h for the model).
 */
#include "timing_model.h"

#define PRODUCERS_MAX 4

/* Per point: declared or not, and its producers. */
static struct {
	bool declared;
	unsigned n;
	enum slab_point producer[PRODUCERS_MAX];
} deps[SLAB_POINT_COUNT];

static bool deps_ready;

static void add_dep(enum slab_point consumer, int producer)
{
	deps[consumer].declared = true;
	if (producer >= 0 && deps[consumer].n < PRODUCERS_MAX)
		deps[consumer].producer[deps[consumer].n++] = (enum slab_point)producer;
}

static void load_deps(void)
{
#define SLAB_POINT_DEP(fn, step, pfn, pstep) add_dep(PT(fn, step), PT(pfn, pstep));
#define SLAB_POINT_FREE(fn, step) add_dep(PT(fn, step), -1);
#include "point_deps.def"
#undef SLAB_POINT_DEP
#undef SLAB_POINT_FREE
	deps_ready = true;
}

_Static_assert(SIM_TIMING_WINDOW_MAX > 0, "a window holds at least one point");

bool sim_timing_serialising(unsigned kind)
{
	switch (kind) {
	case SLAB_PK_CMPXCHG_DOUBLE: /* lock cmpxchg16b */
	case SLAB_PK_ATOMIC_ADD:     /* lock add */
	case SLAB_PK_SPIN_LOCK:	     /* lock xadd */
	case SLAB_PK_IRQ_SAVE:	     /* pushf; cli */
	case SLAB_PK_IRQ_RESTORE:    /* popf */
	case SLAB_PK_PAGE_ALLOC:     /* zone->lock, irqs off */
	case SLAB_PK_PAGE_FREE:
		return true;
	default:
		return false;
	}
}

unsigned sim_timing_producers(enum slab_point pt, enum slab_point *out, unsigned max,
			      bool *declared)
{
	if (!deps_ready)
		load_deps();
	*declared = deps[pt].declared;
	unsigned n = deps[pt].n < max ? deps[pt].n : max;
	for (unsigned i = 0; i < n; i++)
		out[i] = deps[pt].producer[i];
	return n;
}

static uint64_t max64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

static unsigned slot_of(uint64_t key)
{
	return (unsigned)((key * 0x9E3779B97F4A7C15ull) >> 58) % SIM_TIMING_MEM_SLOTS;
}

uint64_t sim_timing_charge(const struct sim_timing_params *p, struct sim_timing_cpu *c,
			   uint64_t clock, struct sim_timing_task *t, int pt, unsigned kind,
			   uint64_t latency, const struct sim_timing_mem *mem)
{
	if (p->window <= 1)
		return clock + latency;
	if (!deps_ready)
		load_deps();
	unsigned window = p->window < SIM_TIMING_WINDOW_MAX ? p->window : SIM_TIMING_WINDOW_MAX;
	/* The clock moved without a point (switch, migration, interrupt): drained. */
	if (clock != c->last_retire) {
		c->issue = max64(c->issue, clock);
		c->last_retire = clock;
		c->stores_done = clock;
		c->n = 0;
	}
	uint64_t issue = c->issue;
	if (c->n >= window)
		issue = max64(issue, c->retire[(c->n - window) % window]);
	bool serialising = sim_timing_serialising(kind);
	if (serialising)
		issue = max64(issue, c->stores_done);

	bool frontend =
	    pt == SIM_TIMING_NO_POINT ||
	    (p->debug_preempt && (kind == SLAB_PK_PREEMPT_DISABLE ||
				  kind == SLAB_PK_PREEMPT_ENABLE || kind == SLAB_PK_CPU_PTR));
	uint64_t start = issue;
	if (pt == SIM_TIMING_NO_POINT) {
		/* The workload's own instructions: front-end work, no inputs. */
	} else if (pt >= 0 && deps[pt].declared) {
		for (unsigned i = 0; i < deps[pt].n; i++) {
			enum slab_point q = deps[pt].producer[i];
			if (t->seq[q] == t->call)
				start = max64(start, t->ready[q]);
		}
	} else {
		start = max64(start, t->prev_complete);
	}
	/* Store forwarding: a read waits for this CPU's last write of the word. */
	for (unsigned w = 0; mem && mem->reads && w < mem->words; w++) {
		unsigned s = slot_of(mem->key + w);
		if (c->mem[s].word == mem->key + w + 1)
			start = max64(start, c->mem[s].ready);
	}
	uint64_t complete = start + latency;
	for (unsigned w = 0; mem && mem->writes && w < mem->words; w++) {
		unsigned s = slot_of(mem->key + w);
		c->mem[s].word = mem->key + w + 1;
		c->mem[s].ready = complete;
	}
	if ((mem && mem->writes) || serialising)
		c->stores_done = max64(c->stores_done, complete);
	uint64_t retire = max64(c->last_retire, complete);

	c->issue = issue + (frontend ? latency : p->issue);
	if (serialising && p->lock_fence)
		c->issue = max64(c->issue, complete);
	c->retire[c->n % window] = retire;
	c->n++;
	c->last_retire = retire;
	if (pt >= 0) {
		t->ready[pt] = complete;
		t->seq[pt] = t->call;
	}
	t->prev_complete = complete;
	return retire;
}
