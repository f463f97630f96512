/* SPDX-License-Identifier: MIT */
/*
 * Internal to src/core (select.c): the first pass of a generation step on
 * TV_W float lanes, included once per width like core/vlanes.h. No include
 * guard, on purpose.
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
	VF mx0 = TV_VSPLATOF(mx0, -INFINITY), mx1 = mx0;
	VF mn0 = TV_VSPLATOF(mn0, INFINITY), mn1 = mn0;
	VF ninf = TV_VSPLATOF(ninf, -INFINITY);
	VF pinf = TV_VSPLATOF(pinf, INFINITY);
	VI cnt0 = { 0 }, cnt1 = { 0 }, num = { 0 };
	uint32_t i = 0, nums = 0, bits[TV_PAIRS];
	int j;

	while (i + 2 * TV_W <= n) {
		VF tau = TV_VSPLATOF(tau, o->tau);
		uint32_t start = i, np = 0, any = 0, p;

		for (; np < TV_PAIRS && i + 2 * TV_W <= n; i += 2 * TV_W) {
			VF x0, x1;
			VI f0, f1, hit;

			TV_VLOAD(x0, l + i);
			TV_VLOAD(x1, l + i + TV_W);
			f0 = x0 > ninf;
			f1 = x1 > ninf;
			mx0 = TV_VSEL(x0 > mx0, x0, mx0);
			mx1 = TV_VSEL(x1 > mx1, x1, mx1);
			mn0 = TV_VSEL(f0 & (x0 < mn0), x0, mn0);
			mn1 = TV_VSEL(f1 & (x1 < mn1), x1, mn1);
			cnt0 -= f0;
			cnt1 -= f1;
			/* Ordered: x != x does not vectorize. */
			num += (x0 <= pinf) + (x1 <= pinf);
			/* Lane j hits when l[j] or l[j + TV_W] reaches tau. */
			hit = TV_VSEL(x0 > x1, x0, x1) >= tau;
			bits[np] = TV_CAT(tv_vbits, TV_W)(&hit);
			any |= bits[np++];
		}
		for (p = 0; any && p < np; p++)
			if (bits[p])
				take_pair(o, l + start + p * 2 * TV_W,
					  start + p * 2 * TV_W, bits[p], TV_W);
	}
	for (j = 0; j < TV_W; j++) {
		float a = mx0[j] > mx1[j] ? mx0[j] : mx1[j];
		float b = mn0[j] < mn1[j] ? mn0[j] : mn1[j];

		o->max = a > o->max ? a : o->max;
		o->min = b < o->min ? b : o->min;
		o->finite += (uint32_t)(cnt0[j] + cnt1[j]);
		nums -= (uint32_t)num[j];
	}
	o->nan |= nums != i;
	scan_from(l, i, n, o, 1);
}

#undef VF
#undef VI
