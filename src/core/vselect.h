/* SPDX-License-Identifier: MIT */
/*
 * Internal to src/core (select.c): the first pass of a generation step on
 * TV_W float lanes of GCC's generic vectors, for machines other than
 * x86-64 (which has core/vselect_x86.h). No include guard, on purpose.
 *
 * One read of the logits finds the largest and smallest finite logit, the
 * finite count and whether any is NaN, and hands every pair of vectors
 * that holds a logit at or above the running threshold to take_pair. The
 * threshold rises as the candidates fill up, so after the first few
 * thousand logits almost no vector holds one: a vector costs a load, a
 * few compares and a test.
 */
#define VF TV_CAT(tv_vf, TV_W)
#define VI TV_CAT(tv_vi, TV_W)

TV_INLINE void
TV_CAT(tv_topscan_body, TV_W)(const float *l, uint32_t n,
			      struct tv_topscan *o)
{
	/* Compares with -FLT_MAX, not -inf: GCC turns x > -inf into a test
	 * it does not vectorize, and nothing lies between the two. */
	VF low = TV_VSPLATOF(low, -FLT_MAX);
	VF mx = TV_VSPLATOF(mx, -INFINITY), mn = TV_VSPLATOF(mn, INFINITY);
	uint32_t i = 0, bits[TV_PAIRS];
	float a[TV_W], b[TV_W];

	while (i + 2 * TV_W <= n) {
		VF tau = TV_VSPLATOF(tau, o->tau), bmx = mx, bmn = mn;
		VI fin = (VI){ 0 } - 1;
		uint32_t start = i, np = 0, any = 0;

		for (; np < TV_PAIRS && i + 2 * TV_W <= n; i += 2 * TV_W) {
			VF x0, x1, hi;
			VI hit;

			TV_VLOAD(x0, l + i);
			TV_VLOAD(x1, l + i + TV_W);
			hi = TV_VSEL(x0 > x1, x0, x1);
			bmx = TV_VSEL(hi > bmx, hi, bmx);
			bmn = TV_VSEL(x0 < bmn, x0, bmn);
			bmn = TV_VSEL(x1 < bmn, x1, bmn);
			fin &= (x0 >= low) & (x1 >= low);
			/* Lane j hits when l[j] or l[j + TV_W] reaches tau. */
			hit = hi >= tau;
			bits[np] = TV_CAT(tv_vbits, TV_W)(&hit);
			any |= bits[np++];
		}
		/* A block with -inf or NaN is read again for its range. */
		if (TV_CAT(tv_vbits, TV_W)(&fin) == (1u << TV_W) - 1) {
			mx = bmx;
			mn = bmn;
			o->finite += i - start;
		} else {
			scan_from(l, start, i, o, 0);
		}
		take_hits(o, l, start, bits, any ? np : 0, TV_W);
	}
	memcpy(a, &mx, sizeof a);
	memcpy(b, &mn, sizeof b);
	fold_range(o, a, b, TV_W);
	scan_from(l, i, n, o, 1);
}

#undef VF
#undef VI
