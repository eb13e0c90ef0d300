/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * slab_env.c - one allocator instance's lifetime, and its end-of-run check.
 */
#include "page_alloc.h"
#include "slab_env.h"
#include "slab_world.h"

/*
 * The kernel-shaped build (alloc/port_x86.h) has its machine compiled in;
 * the others install an ops table, the native one unless told otherwise.
 */
#ifdef SLAB_PORT_KERNEL_SHAPED
#define DEFAULT_PORT NULL
static void install(const struct slab_port_ops *ops)
{
}
#else
#include "port_native.h"
#define DEFAULT_PORT (&native_port_ops)
static void install(const struct slab_port_ops *ops)
{
	slab_port_install(ops);
}
#endif

void slab_env_defaults(struct slab_env_config *cfg)
{
	*cfg = (struct slab_env_config){
		.cpus = 1,
		.nodes = 1,
		.mib_per_node = 512,
		.design = slab_design_find("v3.18"),
		.cpu_partial = true,
		.port = DEFAULT_PORT,
	};
}

const char *slab_env_open(const struct slab_env_config *cfg)
{
	struct slab_world_config w = {
		.nr_cpus = cfg->cpus,
		.nr_nodes = cfg->nodes,
		.pages_per_node = cfg->mib_per_node * (1024 * 1024 / PAGE_SIZE),
		.prefault = cfg->prefault,
	};
	if (!cfg->design)
		return "no design given";
	const char *err = slab_world_init(&w);
	if (err)
		return err;
	install(cfg->port);
	struct slab_options opt = { .cpu_partial = cfg->cpu_partial };
	err = slab_init(cfg->design, &opt);
	if (err) {
		slab_env_close();
		return err;
	}
	return NULL;
}

void slab_env_finish(struct slab_env_check *out, slab_report_fn report, void *arg)
{
	for (struct kmem_cache *s = slab_cache_first(); s; s = slab_cache_next(s))
		kmem_cache_shrink(s);
	out->problems = slab_validate(report, arg);
	out->slab_pages = slab_count_slabs(NULL);
	out->pages_in_use = page_alloc_pages_in_use();
}

void slab_env_close(void)
{
	slab_exit();
	slab_world_destroy();
}
