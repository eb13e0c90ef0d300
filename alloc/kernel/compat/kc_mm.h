/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kc_mm.h - page, folio and slab: gfp flags, page sizes and orders,
 * struct page and struct folio with the kernel's x86-64 offsets (flags 0,
 * lru / compound_head / rcu_head 8, mapping 24, index 32, private 40,
 * _mapcount / page_type 48, _refcount 52, memcg_data 56; 64 bytes), page
 * flags and page types, the direct map (virt_to_page and back) over the
 * runtime's arena, the page allocator (the runtime's buddy allocator) and
 * the vmstat counters slub.c updates (counted, not reported).
 *
 * Folio order lives in the second page (_folio_order), as in the kernel,
 * since the first page's words belong to struct slab.
 */
#ifndef KC_MM_H
#define KC_MM_H

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PAGE_ALIGN(x) ALIGN((x), PAGE_SIZE)
#define offset_in_page(p) ((unsigned long)(p) & ~PAGE_MASK)
#define MAX_ORDER 11		/* 6.1: orders 0 .. MAX_ORDER - 1 */
#define MAX_PAGE_ORDER 10	/* 6.8 and later: orders 0 .. MAX_PAGE_ORDER */
#define NR_PAGE_ORDERS (MAX_PAGE_ORDER + 1)
#define PAGE_ALLOC_COSTLY_ORDER 3
#define ARCH_KMALLOC_MINALIGN 8
#define ARCH_SLAB_MINALIGN 8

/* gfp flags: slabsim's own bit numbers. */
#define __GFP_DMA 0x01u
#define __GFP_HIGHMEM 0x02u
#define __GFP_DMA32 0x04u
#define __GFP_MOVABLE 0x08u
#define __GFP_RECLAIMABLE 0x10u
#define __GFP_HIGH 0x20u
#define __GFP_IO 0x40u
#define __GFP_FS 0x80u
#define __GFP_ZERO 0x100u
#define __GFP_ATOMIC 0x200u
#define __GFP_DIRECT_RECLAIM 0x400u
#define __GFP_KSWAPD_RECLAIM 0x800u
#define __GFP_WRITE 0x1000u
#define __GFP_NOWARN 0x2000u
#define __GFP_RETRY_MAYFAIL 0x4000u
#define __GFP_NOFAIL 0x8000u
#define __GFP_NORETRY 0x10000u
#define __GFP_MEMALLOC 0x20000u
#define __GFP_COMP 0x40000u
#define __GFP_NOMEMALLOC 0x80000u
#define __GFP_HARDWALL 0x100000u
#define __GFP_THISNODE 0x200000u
#define __GFP_ACCOUNT 0x400000u
#define __GFP_ZEROTAGS 0x800000u
#define __GFP_NOLOCKDEP 0x1000000u
#define __GFP_SKIP_ZERO 0x2000000u
#define __GFP_SKIP_KASAN 0x4000000u
#define __GFP_NO_OBJ_EXT 0x8000000u
#define __GFP_BITS_SHIFT 28
#define __GFP_BITS_MASK ((gfp_t)((1u << __GFP_BITS_SHIFT) - 1))
#define __GFP_RECLAIM (__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)
#define GFP_ATOMIC (__GFP_HIGH | __GFP_ATOMIC | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL (__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT (GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_NOWAIT (__GFP_KSWAPD_RECLAIM)
#define GFP_NOIO (__GFP_RECLAIM)
#define GFP_NOFS (__GFP_RECLAIM | __GFP_IO)
#define GFP_USER (__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA __GFP_DMA
#define GFP_DMA32 __GFP_DMA32
#define GFP_HIGHUSER (GFP_USER | __GFP_HIGHMEM)
#define GFP_RECLAIM_MASK (__GFP_RECLAIM | __GFP_HIGH | __GFP_IO | __GFP_FS | \
	__GFP_NOWARN | __GFP_RETRY_MAYFAIL | __GFP_NOFAIL | __GFP_NORETRY | \
	__GFP_MEMALLOC | __GFP_NOMEMALLOC | __GFP_ATOMIC | __GFP_NOLOCKDEP)
#define GFP_CONSTRAINT_MASK (__GFP_HARDWALL | __GFP_THISNODE)
/* From mm/internal.h, which is left out. */
#define GFP_SLAB_BUG_MASK (__GFP_DMA32 | __GFP_HIGHMEM | ~__GFP_BITS_MASK)
#define GFP_BOOT_MASK (__GFP_BITS_MASK & ~(__GFP_RECLAIM | __GFP_IO | __GFP_FS))
extern gfp_t gfp_allowed_mask;
static inline bool gfpflags_allow_blocking(gfp_t gfp)
{
	return !!(gfp & __GFP_DIRECT_RECLAIM);
}
static inline gfp_t current_gfp_context(gfp_t gfp)
{
	return gfp;
}
#define gfp_pfmemalloc_allowed(gfp) false
#define gfp_zone(gfp) 0

/* struct page: the kernel's x86-64 layout, 64 bytes. */
struct page {
	unsigned long flags;
	union {
		struct {
			struct list_head lru;
			void *mapping;
			unsigned long index;
			unsigned long private;
		};
		struct {
			unsigned long compound_head;	/* bit 0: tail page */
			unsigned char compound_dtor;
			unsigned char compound_order;
		};
		struct rcu_head rcu_head;
	};
	union {
		atomic_t _mapcount;
		unsigned int page_type;
	};
	atomic_t _refcount;
	unsigned long memcg_data;
};
_Static_assert(sizeof(struct page) == 64, "struct page is 64 bytes on x86-64");

/* struct folio: the head page, then the second page's fields. */
struct folio {
	union {
		struct {
			unsigned long flags;
			union {
				struct list_head lru;
				struct {
					void *__filler;
					unsigned int mlock_count;
				};
			};
			void *mapping;
			pgoff_t index;
			void *private;
			atomic_t _mapcount;
			atomic_t _refcount;
			unsigned long memcg_data;
		};
		struct page page;
	};
	union {
		struct {
			unsigned long _flags_1;
			unsigned long _head_1;
			unsigned char _folio_dtor;
			unsigned char _folio_order;
		};
		struct page __page_1;
	};
};

/* Page flags (bits of page->flags) and page types. */
enum pageflags {
	PG_locked, PG_referenced, PG_uptodate, PG_dirty, PG_lru, PG_active,
	PG_workingset, PG_waiters, PG_error, PG_slab, PG_owner_priv_1, PG_arch_1,
	PG_reserved, PG_private, PG_private_2, PG_writeback, PG_head, PG_mappedtodisk,
	PG_reclaim, PG_swapbacked, PG_unevictable, PG_mlocked,
	PG_buddy_kslab,		/* slabsim's: a free block head in the buddy lists */
	__NR_PAGEFLAGS,
};
#define PG_pfmemalloc PG_active
#define PG_slab_type PG_slab
#define kc_flag_test(p, f) test_bit(f, &(p)->flags)
#define kc_flag_set(p, f) __set_bit(f, &(p)->flags)
#define kc_flag_clear(p, f) __clear_bit(f, &(p)->flags)

extern struct page *kslab_vmemmap;
extern unsigned long kslab_direct_base;
extern unsigned long kslab_nr_pages;
#define PAGE_OFFSET kslab_direct_base
#define page_to_pfn(p) ((unsigned long)((p) - kslab_vmemmap))
#define pfn_to_page(pfn) (kslab_vmemmap + (pfn))
#define __pa(x) ((unsigned long)(x) - kslab_direct_base)
#define __va(x) ((void *)((unsigned long)(x) + kslab_direct_base))
#define virt_to_pfn(x) (__pa(x) >> PAGE_SHIFT)
#define virt_to_page(x) pfn_to_page(virt_to_pfn(x))
#define pfn_valid(pfn) ((pfn) < kslab_nr_pages)
#define virt_addr_valid(x) ((unsigned long)(x) >= kslab_direct_base && \
	pfn_valid(virt_to_pfn(x)))
#define page_address(p) __va(page_to_pfn(p) << PAGE_SHIFT)
#define lowmem_page_address(p) page_address(p)
#define page_to_virt(p) page_address(p)
#define page_to_phys(p) (page_to_pfn(p) << PAGE_SHIFT)
#define nth_page(p, n) ((p) + (n))

static inline struct page *compound_head(const struct page *p)
{
	unsigned long h = READ_ONCE(p->compound_head);

	if (h & 1)
		return (struct page *)(h - 1);
	return (struct page *)p;
}
#define page_folio(p) ((struct folio *)compound_head(p))
#define folio_page(f, n) (&(f)->page + (n))
#define virt_to_head_page(x) compound_head(virt_to_page(x))
#define virt_to_folio(x) page_folio(virt_to_page(x))
#define PageHead(p) kc_flag_test(p, PG_head)
#define PageTail(p) (READ_ONCE((p)->compound_head) & 1)
#define PageCompound(p) (PageHead(p) || PageTail(p))
#define PageSlab(p) kc_flag_test(compound_head(p), PG_slab)
#define PageLocked(p) kc_flag_test(p, PG_locked)
#define folio_test_large(f) kc_flag_test(&(f)->page, PG_head)
#define folio_test_slab(f) kc_flag_test(&(f)->page, PG_slab)
#define __folio_set_slab(f) kc_flag_set(&(f)->page, PG_slab)
#define __folio_clear_slab(f) kc_flag_clear(&(f)->page, PG_slab)
#define folio_test_active(f) kc_flag_test(&(f)->page, PG_active)
#define folio_set_active(f) kc_flag_set(&(f)->page, PG_active)
#define __folio_set_active(f) kc_flag_set(&(f)->page, PG_active)
#define folio_clear_active(f) kc_flag_clear(&(f)->page, PG_active)
#define __folio_clear_active(f) kc_flag_clear(&(f)->page, PG_active)
#define folio_test_locked(f) kc_flag_test(&(f)->page, PG_locked)
#define __SetPageSlab(p) kc_flag_set(p, PG_slab)
#define __ClearPageSlab(p) kc_flag_clear(p, PG_slab)
#define PageActive(p) kc_flag_test(p, PG_active)
#define SetPageActive(p) kc_flag_set(p, PG_active)
#define ClearPageActive(p) kc_flag_clear(p, PG_active)
#define __ClearPageActive(p) kc_flag_clear(p, PG_active)
#define page_mapcount_reset(p) atomic_set(&(p)->_mapcount, -1)
#define folio_mapcount_reset(f) atomic_set(&(f)->_mapcount, -1)

static inline unsigned int folio_order(const struct folio *f)
{
	return folio_test_large(f) ? f->_folio_order : 0;
}
#define folio_nr_pages(f) (1L << folio_order(f))
#define folio_size(f) (PAGE_SIZE << folio_order(f))
#define folio_shift(f) (PAGE_SHIFT + folio_order(f))
#define folio_address(f) page_address(&(f)->page)
#define folio_pfn(f) page_to_pfn(&(f)->page)
/*
 * A frame's node: node n holds the frames [n * kslab_node_pages, (n + 1) *
 * kslab_node_pages) (kslab_glue.c), so the node comes from the pfn, where
 * x86-64 keeps it in page->flags' top bits.  Read from the frame number
 * alone, it makes no point; the kernel's load of the flags word does, but
 * those bits never change after boot, so no interleaving can differ.
 */
extern unsigned long kslab_node_pages;
#define page_to_nid(p) ((int)(page_to_pfn(p) / kslab_node_pages))
#define folio_nid(f) page_to_nid(&(f)->page)
#define folio_pgdat(f) ((struct pglist_data *)0)
#define page_pgdat(p) ((struct pglist_data *)0)
#define compound_order(p) folio_order((struct folio *)(p))
#define page_size(p) (PAGE_SIZE << compound_order(p))
#define folio_ref_count(f) atomic_read(&(f)->_refcount)
#define page_ref_count(p) atomic_read(&(p)->_refcount)

/* The page allocator: the runtime's buddy allocator over the arena. */
struct page *kslab_p_alloc_pages(gfp_t gfp, unsigned int order, int node);
void kslab_p_free_pages(struct page *page, unsigned int order);
#define alloc_pages(gfp, order) kslab_p_alloc_pages((gfp), (order), NUMA_NO_NODE)
#define alloc_pages_node(nid, gfp, order) kslab_p_alloc_pages((gfp), (order), (nid))
#define __alloc_pages_node(nid, gfp, order) kslab_p_alloc_pages((gfp), (order), (nid))
#define alloc_pages_node_noprof alloc_pages_node
#define alloc_pages_noprof alloc_pages
#define __alloc_pages(gfp, order, nid, mask) kslab_p_alloc_pages((gfp), (order), (nid))
#define folio_alloc(gfp, order) ((struct folio *)alloc_pages((gfp) | __GFP_COMP, (order)))
#define folio_alloc_noprof folio_alloc
#define __folio_alloc_node(gfp, order, nid) \
	((struct folio *)alloc_pages_node((nid), (gfp) | __GFP_COMP, (order)))
#define __folio_alloc_node_noprof __folio_alloc_node
#define __free_pages(p, order) kslab_p_free_pages((p), (order))
#define free_pages(addr, order) kslab_p_free_pages(virt_to_page(addr), (order))
#define __free_page(p) __free_pages((p), 0)
#define folio_put(f) kslab_p_free_pages(&(f)->page, folio_order(f))
#define put_page(p) folio_put(page_folio(p))
#define __get_free_pages(gfp, order) ((unsigned long)page_address(alloc_pages((gfp), (order))))

/* vmstat: node counters slub.c updates on slab pages; the runtime sums them. */
enum node_stat_item {
	NR_SLAB_RECLAIMABLE_B, NR_SLAB_UNRECLAIMABLE_B, NR_VM_NODE_STAT_ITEMS,
};
struct pglist_data;
typedef struct pglist_data pg_data_t;
struct lruvec;
void kslab_mod_node_stat(int item, long delta);
#define mod_node_page_state(pgdat, item, d) kslab_mod_node_stat((item), (d))
#define __mod_node_page_state mod_node_page_state
#define lruvec_stat_mod_folio(f, item, d) kslab_mod_node_stat((item), (d))
#define mod_lruvec_page_state(p, item, d) kslab_mod_node_stat((item), (d))
#define __mod_lruvec_page_state mod_lruvec_page_state
#define mm_account_reclaimed_pages(n) do { } while (0)
#define totalram_pages() kslab_nr_pages

/*
 * Zones: one zone (ZONE_NORMAL) per node.  Node n's zonelist (the order
 * its allocations fall back in, kslab_glue.c) is n, then n + 1, ... wrapping
 * around: the kernel orders by node_distance, and every remote node is at
 * the same distance here.
 */
enum zone_type { ZONE_NORMAL, MAX_NR_ZONES };
struct zone {
	int node;
};
struct zoneref {
	struct zone *zone;
	int zone_idx;
};
struct zonelist {
	struct zoneref _zonerefs[MAX_NUMNODES + 1];
};
extern struct zonelist kslab_zonelists[MAX_NUMNODES];
#define node_zonelist(nid, gfp) (&kslab_zonelists[(nid)])
#define zone_to_nid(z) ((z)->node)
#define for_each_zone_zonelist(zone, z, zlist, highidx) \
	for ((z) = &(zlist)->_zonerefs[0]; ((zone) = (z)->zone) != NULL; (z)++)

/* Memory hotplug: never happens; the callbacks compile and are not called. */
struct memory_notify {
	unsigned long start_pfn;
	unsigned long nr_pages;
	int status_change_nid_normal;
	int status_change_nid;
};
struct notifier_block {
	int (*notifier_call)(struct notifier_block *nb, unsigned long action, void *data);
	struct notifier_block *next;
	int priority;
};
enum { MEM_ONLINE = 1, MEM_GOING_OFFLINE = 2, MEM_OFFLINE = 4, MEM_GOING_ONLINE = 8,
	MEM_CANCEL_ONLINE = 16, MEM_CANCEL_OFFLINE = 32 };
#define NOTIFY_OK 0x0001
#define NOTIFY_BAD 0x8002
#define notifier_from_errno(e) ((e) ? NOTIFY_BAD : NOTIFY_OK)
#define SLAB_CALLBACK_PRI 1
#define hotplug_memory_notifier(fn, pri) do { } while (0)
#define register_hotmemory_notifier(nb) do { } while (0)

/* init_on_alloc / init_on_free: off (static keys defined by the runtime). */
#define CONFIG_INIT_ON_ALLOC_DEFAULT_ON 0
#define CONFIG_INIT_ON_FREE_DEFAULT_ON 0

#define page_is_pfmemalloc(p) false
#define debug_pagealloc_enabled_static() false
#define debug_guardpage_minorder() 0
#define want_init_on_alloc(gfp) (((gfp) & __GFP_ZERO) != 0)
#define want_init_on_free() false
long kslab_copy_nofault(void *dst, const void *src, size_t size);
#define copy_from_kernel_nofault(d, s, n) kslab_copy_nofault((d), (s), (n))

/* 6.12: the page allocator's _noprof names, folio flag helpers. */
#define __alloc_pages_noprof(gfp, order, nid, mask) kslab_p_alloc_pages((gfp), (order), (nid))
#define folio_is_pfmemalloc(f) false
#define folio_flags(f, n) (&(f)->page.flags + (n))
#define folio_test_workingset(f) kc_flag_test(&(f)->page, PG_workingset)

#endif /* KC_MM_H */
