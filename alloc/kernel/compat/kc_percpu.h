/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kc_percpu.h - per-CPU areas, CPUs and nodes.
 *
 * A per-CPU pointer (alloc_percpu(), &var of DEFINE_PER_CPU) is CPU 0's
 * copy; CPU n's copy lies n units further (kslab_pcpu_addr() maps both
 * kinds).  The current CPU is the runtime's variable (kslab_set_cpu()),
 * which tests switch by hand and stage 2 hands to the simulator.  Every
 * this_cpu_* / raw_cpu_* operation is ONE out-of-line call that finds
 * this CPU's copy and does the access, as one x86 %gs instruction does:
 * one primitive, not interruptible in the middle.
 */
#ifndef KC_PERCPU_H
#define KC_PERCPU_H

#define NR_CPUS CONFIG_NR_CPUS
#define MAX_NUMNODES (1 << CONFIG_NODES_SHIFT)
#define NODES_SHIFT CONFIG_NODES_SHIFT
#define NUMA_NO_NODE (-1)
#define PERCPU_DYNAMIC_EARLY_SIZE (20 << 10)

extern unsigned int nr_cpu_ids;
extern unsigned int nr_node_ids;

/* Runtime (kslab_glue.c), not instrumented. */
int kslab_p_cpu(void);
void *kslab_pcpu_addr(const void *pcpu_ptr, int cpu);
void *kslab_pcpu_alloc(size_t size, size_t align);
void kslab_pcpu_free(void *pcpu_ptr);
u64 kslab_p_pcpu_read(const void *pcpu_ptr, int size);
void kslab_p_pcpu_write(void *pcpu_ptr, u64 v, int size);
void kslab_p_pcpu_add(void *pcpu_ptr, s64 v, int size);
bool kslab_p_pcpu_cmpxchg_double(void *pcpu_ptr, unsigned long o1, unsigned long o2,
				 unsigned long n1, unsigned long n2);
bool kslab_p_pcpu_try_cmpxchg128(void *pcpu_ptr, u128 *old, u128 new_val);
bool kslab_p_pcpu_try_cmpxchg64(void *pcpu_ptr, u64 *old, u64 new_val);

#define smp_processor_id() kslab_p_cpu()
#define raw_smp_processor_id() kslab_p_cpu()
#define get_cpu() ({ preempt_disable(); smp_processor_id(); })
#define put_cpu() preempt_enable()

#define DEFINE_PER_CPU(type, name) __section("kslab_percpu") __typeof__(type) name
#define DECLARE_PER_CPU(type, name) extern __typeof__(type) name
#define DEFINE_PER_CPU_ALIGNED(type, name) __section("kslab_percpu") __aligned(64) __typeof__(type) name
#define per_cpu_ptr(p, cpu) ((__typeof__(p))kslab_pcpu_addr((p), (cpu)))
#define this_cpu_ptr(p) per_cpu_ptr((p), kslab_p_cpu())
#define raw_cpu_ptr(p) this_cpu_ptr(p)
#define per_cpu(var, cpu) (*per_cpu_ptr(&(var), (cpu)))
#define alloc_percpu(type) ((type *)kslab_pcpu_alloc(sizeof(type), __alignof__(type)))
#define __alloc_percpu(size, align) kslab_pcpu_alloc((size), (align))
#define alloc_percpu_gfp(type, gfp) alloc_percpu(type)
#define free_percpu(p) kslab_pcpu_free(p)

#define this_cpu_read(pcp) \
	((__typeof__(pcp))kslab_p_pcpu_read(&(pcp), sizeof(pcp)))
#define this_cpu_write(pcp, v) \
	kslab_p_pcpu_write(&(pcp), (u64)(v), sizeof(pcp))
#define this_cpu_add(pcp, v) kslab_p_pcpu_add(&(pcp), (s64)(v), sizeof(pcp))
#define this_cpu_sub(pcp, v) this_cpu_add(pcp, -(s64)(v))
#define this_cpu_inc(pcp) this_cpu_add(pcp, 1)
#define this_cpu_dec(pcp) this_cpu_add(pcp, -1)
#define raw_cpu_read this_cpu_read
#define raw_cpu_write this_cpu_write
#define raw_cpu_add this_cpu_add
#define raw_cpu_inc this_cpu_inc
#define __this_cpu_read this_cpu_read
#define __this_cpu_write this_cpu_write
#define __this_cpu_add this_cpu_add
#define __this_cpu_inc this_cpu_inc
#define this_cpu_cmpxchg_double(pcp1, pcp2, o1, o2, n1, n2) \
	kslab_p_pcpu_cmpxchg_double(&(pcp1), (unsigned long)(o1), (unsigned long)(o2), \
				    (unsigned long)(n1), (unsigned long)(n2))
#define this_cpu_try_cmpxchg128(pcp, po, n) kslab_p_pcpu_try_cmpxchg128(&(pcp), (po), (n))
#define this_cpu_try_cmpxchg64(pcp, po, n) kslab_p_pcpu_try_cmpxchg64(&(pcp), (u64 *)(po), (n))

/* CPU masks: nr_cpu_ids CPUs, all possible, all online. */
struct cpumask {
	DECLARE_BITMAP(bits, NR_CPUS);
};
typedef struct cpumask cpumask_t;
typedef struct cpumask cpumask_var_t[1];
#define for_each_possible_cpu(cpu) for ((cpu) = 0; (cpu) < (int)nr_cpu_ids; (cpu)++)
#define for_each_online_cpu(cpu) for_each_possible_cpu(cpu)
#define for_each_present_cpu(cpu) for_each_possible_cpu(cpu)
#define for_each_cpu(cpu, mask) \
	for ((cpu) = 0; (cpu) < (int)nr_cpu_ids; (cpu)++) if (test_bit(cpu, (mask)->bits))
#define cpu_online(cpu) ((unsigned int)(cpu) < nr_cpu_ids)
#define cpu_possible(cpu) cpu_online(cpu)
#define num_online_cpus() nr_cpu_ids
#define num_possible_cpus() nr_cpu_ids
#define cpumask_clear(m) bitmap_zero((m)->bits, NR_CPUS)
#define cpumask_set_cpu(c, m) __set_bit(c, (m)->bits)
#define cpumask_test_cpu(c, m) test_bit(c, (m)->bits)
#define cpumask_empty(m) bitmap_empty((m)->bits, NR_CPUS)
#define cpumask_of_node(n) ((const struct cpumask *)0)
#define cpus_read_lock() do { } while (0)
#define cpus_read_unlock() do { } while (0)
#define lockdep_assert_cpus_held() do { } while (0)
#define cpuhp_setup_state_nocalls(st, name, up, down) 0
#define zalloc_cpumask_var(m, gfp) (cpumask_clear(*(m)), true)
#define free_cpumask_var(m) do { } while (0)

/*
 * Nodes: NUMA is configured on; the runtime boots nr_node_ids nodes (the
 * scenario's), every one online with memory and CPUs (node_states[], set
 * at boot).  A CPU's node is the runtime's table (kslab_cpu_node), and the
 * running CPU's is read without a point: the kernel's numa_node_id() is a
 * this_cpu_read of a per-CPU constant.
 */
typedef struct {
	DECLARE_BITMAP(bits, MAX_NUMNODES);
} nodemask_t;
enum node_states { N_POSSIBLE, N_ONLINE, N_NORMAL_MEMORY, N_HIGH_MEMORY, N_MEMORY, N_CPU, NR_NODE_STATES };
extern nodemask_t node_states[NR_NODE_STATES];
extern unsigned int nr_online_nodes;
int kslab_cpu_node(int cpu);
int kslab_numa_node_id(void);
#define node_state(node, st) node_isset((node), node_states[(st)])
#define node_online(node) node_state((node), N_ONLINE)
#define node_present_pages(node) 1
#define for_each_node_state(node, st) for_each_node_mask((node), node_states[(st)])
#define for_each_online_node(node) for_each_node_state(node, N_ONLINE)
#define for_each_node_mask(node, mask) \
	for ((node) = 0; (node) < MAX_NUMNODES; (node)++) if (node_isset((node), (mask)))
#define for_each_node(node) for_each_node_state(node, N_POSSIBLE)
#define first_online_node 0
#define numa_node_id() kslab_numa_node_id()
#define numa_mem_id() kslab_numa_node_id()
#define cpu_to_node(cpu) kslab_cpu_node(cpu)
#define cpu_to_mem(cpu) kslab_cpu_node(cpu)
#define node_isset(node, mask) test_bit(node, (mask).bits)
#define nodes_clear(mask) bitmap_zero((mask).bits, MAX_NUMNODES)
#define node_set(node, mask) __set_bit(node, (mask).bits)
#define NODE_MASK_NONE { { 0 } }

#define get_cpu_ptr(p) ({ preempt_disable(); this_cpu_ptr(p); })
#define put_cpu_ptr(p) do { (void)(p); preempt_enable(); } while (0)
#define num_present_cpus() nr_cpu_ids
#define node_clear(node, mask) __clear_bit((node), (mask).bits)

#endif /* KC_PERCPU_H */
