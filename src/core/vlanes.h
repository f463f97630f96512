/* SPDX-License-Identifier: MIT */
/*
 * Internal to src/core: the vector kernels on TV_W float lanes. vmath.h
 * includes this file once per width (8 and 16); the names carry the width
 * (tv_vexpf8, tv_sums_body16, ...). No include guard, on purpose.
 */
#define TV_CAT2(a, b) a##b
#define TV_CAT(a, b) TV_CAT2(a, b)
#define VF TV_CAT(tv_vf, TV_W)
#define VI TV_CAT(tv_vi, TV_W)
#define VH TV_CAT(tv_vh, TV_W)
#define VD TV_CAT(tv_vd, TV_W)

typedef float VF __attribute__((vector_size(TV_W * 4)));
typedef int32_t VI __attribute__((vector_size(TV_W * 4)));
typedef float VH __attribute__((vector_size(TV_W * 2)));
typedef double VD __attribute__((vector_size(TV_W * 4)));

/* tv_expf on every lane in place, the same operations in the same
 * order. */
TV_INLINE void
TV_CAT(tv_vexpf, TV_W)(VF *x)
{
	VF xc = TV_VMAX(*x, -87.5f), kf, r, p;
	VI k;

	xc = TV_VSEL(xc < TV_VSPLATOF(xc, 88.5f), xc,
		     TV_VSPLATOF(xc, 88.5f));
	TV_EXPF_POLY(xc, kf, r, p);
	k = __builtin_convertvector(kf, VI);
	k = (kf > TV_VSPLATOF(kf, -126.0f)) & ((k + 127) << 23);
	*x = p * (VF)k;
}

/* The lanes of a compare's mask as bits, lane j as bit j: narrowed to
 * bytes first, which GCC keeps in vector registers. */
TV_INLINE uint32_t
TV_CAT(tv_vbits, TV_W)(const VI *m)
{
	typedef int8_t VB __attribute__((vector_size(TV_W)));
	VB b = __builtin_convertvector(*m, VB);
	uint64_t w[TV_W / 8];
	uint32_t bits = 0;
	int j;

	memcpy(w, &b, sizeof w);
	for (j = 0; j < TV_W / 8; j++)
		bits |= tv_byte_top_bits(w[j]) << (8 * j);
	return bits;
}

/* Adds a float vector's lanes, widened, to a double accumulator. */
TV_INLINE void
TV_CAT(tv_vwiden_add, TV_W)(VD *acc, const VF *v)
{
	VH lo, hi;

	memcpy(&lo, v, sizeof lo);
	memcpy(&hi, (const char *)v + sizeof lo, sizeof hi);
	*acc += __builtin_convertvector(lo, VD) +
		__builtin_convertvector(hi, VD);
}

TV_INLINE double
TV_CAT(tv_vhsum, TV_W)(const VD *v)
{
	double s = 0;
	int j;

	for (j = 0; j < TV_W / 2; j++)
		s += (*v)[j];
	return s;
}

/* The sum kernel (see tv_sums in vmath.h). */
TV_INLINE void
TV_CAT(tv_sums_body, TV_W)(const float *l, uint32_t n, float t, float m,
			   struct tv_sums *o)
{
	VD de = { 0 }, dx = { 0 }, dl = { 0 };
	uint32_t i = 0;

	while (i + TV_W <= n) {
		uint32_t end = n - i < TV_BLOCK ? n : i + TV_BLOCK;
		VF ae = { 0 }, ax = { 0 }, al = { 0 };

		for (; i + TV_W <= end; i += TV_W) {
			VF li, x, e;

			TV_VLOAD(li, l + i);
			x = li / t - m;
			e = x;
			TV_CAT(tv_vexpf, TV_W)(&e);
			ae += e;
			ax += e * x;
			al += e * li;
		}
		TV_CAT(tv_vwiden_add, TV_W)(&de, &ae);
		TV_CAT(tv_vwiden_add, TV_W)(&dx, &ax);
		TV_CAT(tv_vwiden_add, TV_W)(&dl, &al);
	}
	o->se = TV_CAT(tv_vhsum, TV_W)(&de);
	o->sex = TV_CAT(tv_vhsum, TV_W)(&dx);
	o->sel = TV_CAT(tv_vhsum, TV_W)(&dl);
	for (; i < n; i++)
		tv_sums_one(l[i], t, m, o);
}

/* The sum kernel's se alone, bit for bit the same: the same lanes,
 * blocks and remainder. Three fewer accumulators make it the cheaper pass
 * where only a logsumexp is wanted. */
TV_INLINE double
TV_CAT(tv_se_body, TV_W)(const float *l, uint32_t n, float t, float m)
{
	VD de = { 0 };
	uint32_t i = 0;
	double se;

	while (i + TV_W <= n) {
		uint32_t end = n - i < TV_BLOCK ? n : i + TV_BLOCK;
		VF ae = { 0 };

		for (; i + TV_W <= end; i += TV_W) {
			VF e;

			TV_VLOAD(e, l + i);
			e = e / t - m;
			TV_CAT(tv_vexpf, TV_W)(&e);
			ae += e;
		}
		TV_CAT(tv_vwiden_add, TV_W)(&de, &ae);
	}
	se = TV_CAT(tv_vhsum, TV_W)(&de);
	for (; i < n; i++)
		se += tv_expf(l[i] / t - m);
	return se;
}

/* The logsumexp sums at two temperatures in one pass: sum exp(l - m1)
 * and sum exp(l / t - mt), for a step's statistics. */
TV_INLINE void
TV_CAT(tv_se2_body, TV_W)(const float *l, uint32_t n, float t, float m1,
			  float mt, double *s1, double *st)
{
	VD d1 = { 0 }, dt = { 0 };
	uint32_t i = 0;

	while (i + TV_W <= n) {
		uint32_t end = n - i < TV_BLOCK ? n : i + TV_BLOCK;
		VF a1 = { 0 }, at = { 0 };

		for (; i + TV_W <= end; i += TV_W) {
			VF li, e1, et;

			TV_VLOAD(li, l + i);
			e1 = li - m1;
			et = li / t - mt;
			TV_CAT(tv_vexpf, TV_W)(&e1);
			TV_CAT(tv_vexpf, TV_W)(&et);
			a1 += e1;
			at += et;
		}
		TV_CAT(tv_vwiden_add, TV_W)(&d1, &a1);
		TV_CAT(tv_vwiden_add, TV_W)(&dt, &at);
	}
	*s1 = TV_CAT(tv_vhsum, TV_W)(&d1);
	*st = TV_CAT(tv_vhsum, TV_W)(&dt);
	for (; i < n; i++) {
		*s1 += tv_expf(l[i] - m1);
		*st += tv_expf(l[i] / t - mt);
	}
}

/* Adds e to the sums of the levels (see tv_levels in vmath.h) x
 * reaches. */
TV_INLINE void
TV_CAT(tv_vlevels_add, TV_W)(VF *acc, const VF *at, const VF *x,
			     const VF *e)
{
	int j;

	for (j = 0; j < TV_LEVELS; j++)
		acc[j] = TV_VSEL(*x >= at[j], acc[j] + *e, acc[j]);
}

/* Folds float level sums into double ones and clears them. */
TV_INLINE void
TV_CAT(tv_vlevels_fold, TV_W)(VD *to, VF *acc)
{
	int j;

	for (j = 0; j < TV_LEVELS; j++) {
		TV_CAT(tv_vwiden_add, TV_W)(&to[j], &acc[j]);
		acc[j] = TV_VSPLATOF(acc[j], 0.0f);
	}
}

/*
 * Sums of e and e x (x = l / t - m, no sum of e l) over the logits below
 * tau only, with the sum of e per blk_len ids in blk (blk_len a multiple
 * of TV_W) and, unless lv is NULL, the mass profile added to lv.
 * -inf logits give e = 0.
 */
TV_INLINE void
TV_CAT(tv_below_body, TV_W)(const float *l, uint32_t n, float tau, float t,
			    float m, uint32_t blk_len, double *blk,
			    struct tv_levels *lv, struct tv_sums *o)
{
	VF lf[TV_LEVELS] = { { 0 } }, at[TV_LEVELS];
	VD ld[TV_LEVELS] = { { 0 } };
	uint32_t b;
	int j;

	for (j = 0; j < TV_LEVELS; j++)
		at[j] = TV_VSPLATOF(at[j], lv ? lv->at[j] : 0);

	memset(o, 0, sizeof *o);
	for (b = 0; b * blk_len < n; b++) {
		uint32_t i = b * blk_len;
		uint32_t end = n - i < blk_len ? n : i + blk_len;
		VD de = { 0 }, dx = { 0 };
		double bse, bsx;

		while (i + TV_W <= end) {
			uint32_t stop = end - i < TV_BLOCK ? end : i + TV_BLOCK;
			VF ae = { 0 }, ax = { 0 };

			for (; i + TV_W <= stop; i += TV_W) {
				VF li, x, e;

				TV_VLOAD(li, l + i);
				x = TV_VMAX(li / t - m, -100.0f);
				e = x;
				TV_CAT(tv_vexpf, TV_W)(&e);
				e = TV_VSEL(li < TV_VSPLATOF(li, tau), e,
					    TV_VSPLATOF(li, 0.0f));
				if (lv)
					TV_CAT(tv_vlevels_add, TV_W)(lf, at,
								     &x, &e);
				ae += e;
				ax += e * x;
			}
			TV_CAT(tv_vwiden_add, TV_W)(&de, &ae);
			TV_CAT(tv_vwiden_add, TV_W)(&dx, &ax);
		}
		if (lv)
			TV_CAT(tv_vlevels_fold, TV_W)(ld, lf);
		bse = TV_CAT(tv_vhsum, TV_W)(&de);
		bsx = TV_CAT(tv_vhsum, TV_W)(&dx);
		for (; i < end; i++) {
			float x = l[i] / t - m, e;

			x = x > -100.0f ? x : -100.0f;
			e = l[i] < tau ? tv_expf(x) : 0;
			for (j = 0; lv && j < TV_LEVELS; j++)
				lv->mass[j] += x >= lv->at[j] ? e : 0;
			bse += e;
			bsx += e * x;
		}
		blk[b] = bse;
		o->se += bse;
		o->sex += bsx;
	}
	for (j = 0; lv && j < TV_LEVELS; j++)
		lv->mass[j] += TV_CAT(tv_vhsum, TV_W)(&ld[j]);
}

#undef VF
#undef VI
#undef VH
#undef VD
