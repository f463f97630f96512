/* SPDX-License-Identifier: MIT */
/*
 * Internal to src/core (select.c): the first pass of a generation step on
 * one x86 vector unit, with its own max, min and compare-to-bits (GCC's
 * generic vectors spell min and max as compare-and-blend, and without
 * AVX2 split them lane by lane). select.c includes this file once per
 * unit after naming its intrinsics: X_NAME and X_RANGE (the functions),
 * X_TARGET, X_V (the vector type), X_W (lanes), X_LOAD, X_STORE, X_SET1,
 * X_MAX, X_MIN, X_GE (the lanes where a >= b, as bits), X_NAN (the NaN
 * lanes, as bits) and X_MINIF(m, x, bits) (the min of m and the lanes of x
 * whose bit is set), which it undefines again. No include guard, on
 * purpose.
 *
 * Per pair of vectors: two loads, four min/max, three compares. A block's
 * range is kept apart and merged only when every logit in it is finite
 * (or +inf, which sends the step to sanitize anyway); a block with -inf
 * or NaN, still in the first cache level, is read again by X_RANGE, which
 * masks them out.
 */

/* Range, finite count and NaN of l[0 .. n), n a multiple of X_W. */
X_TARGET static void
X_RANGE(const float *l, uint32_t n, struct tv_topscan *o)
{
	const X_V low = X_SET1(-FLT_MAX);
	X_V mx = X_SET1(-INFINITY), mn = X_SET1(INFINITY);
	float a[X_W], b[X_W];
	uint32_t i, nan = 0;

	for (i = 0; i < n; i += X_W) {
		X_V x = X_LOAD(l + i);
		uint32_t fin = X_GE(x, low);

		mx = X_MAX(mx, x);
		mn = X_MINIF(mn, x, fin);
		o->finite += (uint32_t)__builtin_popcount(fin);
		nan |= X_NAN(x);
	}
	X_STORE(a, mx);
	X_STORE(b, mn);
	fold_range(o, a, b, X_W);
	o->nan |= nan != 0;
}

X_TARGET static void
X_NAME(const float *l, uint32_t n, struct tv_topscan *o)
{
	const uint32_t all = (1u << X_W) - 1;
	const X_V low = X_SET1(-FLT_MAX);
	X_V mx = X_SET1(-INFINITY), mn = X_SET1(INFINITY);
	float a[X_W], b[X_W];
	uint32_t i = 0, bits[TV_PAIRS];

	while (i + 2 * X_W <= n) {
		X_V tau = X_SET1(o->tau), bmx = mx, bmn = mn;
		uint32_t start = i, np = 0, any = 0, fin = all;

		for (; np < TV_PAIRS && i + 2 * X_W <= n; i += 2 * X_W) {
			X_V x0 = X_LOAD(l + i), x1 = X_LOAD(l + i + X_W);
			X_V hi = X_MAX(x0, x1);

			bmx = X_MAX(bmx, hi);
			bmn = X_MIN(bmn, X_MIN(x0, x1));
			fin &= X_GE(x0, low) & X_GE(x1, low);
			bits[np] = X_GE(hi, tau);
			any |= bits[np++];
		}
		if (fin == all) {
			mx = bmx;
			mn = bmn;
			o->finite += i - start;
		} else {
			X_RANGE(l + start, i - start, o);
		}
		take_hits(o, l, start, bits, any ? np : 0, X_W);
	}
	X_STORE(a, mx);
	X_STORE(b, mn);
	fold_range(o, a, b, X_W);
	scan_from(l, i, n, o, 1);
}

#undef X_NAME
#undef X_RANGE
#undef X_NAN
#undef X_MINIF
#undef X_TARGET
#undef X_V
#undef X_W
#undef X_LOAD
#undef X_STORE
#undef X_SET1
#undef X_MAX
#undef X_MIN
#undef X_GE
