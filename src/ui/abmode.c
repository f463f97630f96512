/* SPDX-License-Identifier: MIT */
/*
 * The A/B split's state: the pane the dials do not turn, with its own
 * result, cached against the distribution it was computed for.
 */
#include "ui/abmode.h"

#include <stdlib.h>

#include "ui/action.h"
#include "ui/memmode.h"

struct tv_abmode {
	int on;
	int b_active;                   /* the dials turn B */
	struct tv_params other;         /* the pane the dials do not turn */
	struct tv_chain other_chain;
	struct tv_result other_res;
	/* Its distribution: the model's under its own samplers with
	 * memory, which may differ from the dials' pane's. */
	struct tv_memmode *other_mem;
	const struct tv_dist *other_d;
	/* other_res is for other_d at these serials. */
	unsigned d_serial, mem_serial;
	int valid;
};

int
tv_ab_on(const struct tv_app *a)
{
	return a->ab && a->ab->on;
}

char
tv_ab_pane_name(const struct tv_app *a)
{
	return tv_ab_on(a) ? (a->ab->b_active ? 'B' : 'A') : 0;
}

/* Exchange the dials' settings with the other pane's. */
static void
swap_panes(struct tv_app *a)
{
	struct tv_abmode *m = a->ab;
	struct tv_params p = a->par;
	struct tv_chain c = a->chain;

	a->par = m->other;
	a->chain = m->other_chain;
	m->other = p;
	m->other_chain = c;
	m->b_active = !m->b_active;
	m->valid = 0;
	tv_app_changed(a, TV_CHG_PARAMS | TV_CHG_CHAIN);
}

static int
split(struct tv_app *a)
{
	struct tv_abmode *m = a->ab;

	if (!m) {
		m = a->ab = calloc(1, sizeof *m);
		if (!m) {
			tv_app_note(a, "out of memory");
			return 1;
		}
		/* B starts as a copy of A: the first turn shows one change. */
		m->other = a->par;
		m->other_chain = a->chain;
	}
	if (m->on && m->b_active)
		swap_panes(a);
	m->on = !m->on;
	tv_app_note(a, m->on ? "A/B split: the dials turn A (o turns B, C "
		    "copies A to B)" : "split closed: the dials turn A");
	return 1;
}

static void
copy_a_to_b(struct tv_app *a)
{
	struct tv_abmode *m = a->ab;

	if (m->b_active) {
		a->par = m->other;
		a->chain = m->other_chain;
		tv_app_changed(a, TV_CHG_PARAMS | TV_CHG_CHAIN);
	} else {
		m->other = a->par;
		m->other_chain = a->chain;
		m->valid = 0;
	}
	tv_app_note(a, "B is now a copy of A");
}

int
tv_ab_action(struct tv_app *a, int act)
{
	if (act == TV_UI_AB_SPLIT)
		return split(a);
	if (act != TV_UI_AB_SWITCH && act != TV_UI_AB_COPY)
		return 0;
	if (!tv_ab_on(a)) {
		tv_app_note(a, "no split: v splits the view into A and B");
		return 1;
	}
	if (act == TV_UI_AB_COPY) {
		copy_a_to_b(a);
		return 1;
	}
	swap_panes(a);
	tv_app_note(a, "the dials turn %s", a->ab->b_active ? "B" : "A");
	return 1;
}

void
tv_ab_panes(struct tv_app *a, struct tv_ab_pane *pa, struct tv_ab_pane *pb,
	    struct tv_compare *cmp)
{
	struct tv_abmode *m = a->ab;
	unsigned mem_serial;
	const struct tv_dist *d = tv_memmode_dist_for(a, &m->other_mem,
						      &m->other,
						      m->other_chain.rules,
						      &mem_serial);
	struct tv_ab_pane dials = { &a->par, &a->chain, &a->res, a->d, 1 };
	struct tv_ab_pane other = { &m->other, &m->other_chain,
				    &m->other_res, d, 0 };

	if (!m->valid || m->other_d != d || m->d_serial != a->d_serial ||
	    m->mem_serial != mem_serial) {
		tv_run(d, &m->other_chain, &m->other, &m->other_res);
		m->other_d = d;
		m->d_serial = a->d_serial;
		m->mem_serial = mem_serial;
		m->valid = 1;
	}
	*pa = m->b_active ? other : dials;
	*pb = m->b_active ? dials : other;
	if (pa->d == pb->d)
		tv_compare(pa->d, pa->res, pb->res, cmp);
	else
		tv_compare_dists(pa->d, pa->res, pb->d, pb->res, cmp);
}

uint32_t
tv_ab_pos(const struct tv_app *a, const struct tv_ab_pane *p, uint32_t pos)
{
	if (pos == TV_POS_TAIL || p->d == a->d)
		return pos;
	return p->d->rank[a->d->order[pos]];
}

void
tv_ab_free(struct tv_app *a)
{
	if (a->ab)
		tv_memmode_release(&a->ab->other_mem);
	free(a->ab);
	a->ab = NULL;
}
