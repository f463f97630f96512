/* SPDX-License-Identifier: MIT */
/*
 * Internal to src/core (select.c): the kernels of core/wselect.h on TV_W
 * float lanes, included once per width. The weights are tv_weight's, lane
 * by lane the same operations (no fused multiply-adds here). No include
 * guard, on purpose.
 */
#define VF TV_CAT(tv_vf, TV_W)
#define VI TV_CAT(tv_vi, TV_W)
#define VD TV_CAT(tv_vd, TV_W)
#define VU TV_CAT(tv_wvu, TV_W)
#define VL TV_CAT(tv_wvl, TV_W)
#define VH TV_CAT(tv_wvh, TV_W)
#define VB TV_CAT(tv_wvb, TV_W)

/* Half a vector of lanes, widened: 64-bit unsigned and signed lanes, and
 * the 32-bit half of a compare mask. */
typedef uint64_t VU __attribute__((vector_size(TV_W * 4)));
typedef int64_t VL __attribute__((vector_size(TV_W * 4)));
typedef int32_t VH __attribute__((vector_size(TV_W * 2)));
typedef uint16_t VB __attribute__((vector_size(TV_W * 2)));

#if TV_W == 8
#define TV_WLO(v) __builtin_shufflevector(v, v, 0, 1, 2, 3)
#define TV_WHI(v) __builtin_shufflevector(v, v, 4, 5, 6, 7)
#else
#define TV_WLO(v) __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7)
#define TV_WHI(v) __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15)
#endif

/* e of every lane of x = l / t - m: tv_wexpf lane by lane (at t = 1 the
 * division, exact, is left out). */
TV_INLINE void
TV_CAT(tv_wexp_v, TV_W)(const VF *l, float t, float m, VF *e)
{
	VF x = (t == 1.0f ? *l : *l / t) - m, xc, kf, r, p;
	VI k;

	xc = TV_VMAX(x, -87.5f);
	xc = TV_VSEL(xc < TV_VSPLATOF(xc, 88.5f), xc, TV_VSPLATOF(xc, 88.5f));
	TV_EXPF_POLY(xc, kf, r, p);
	k = __builtin_convertvector(kf, VI);
	k = (kf > TV_VSPLATOF(kf, -126.0f)) & ((k + 127) << 23);
	*e = p * (VF)k;
}

/* tv_wquant on the low and high halves of e. */
TV_INLINE void
TV_CAT(tv_wquant_v, TV_W)(const VF *e, VU *lo, VU *hi)
{
	VD a = __builtin_convertvector(TV_WLO(*e), VD);
	VD b = __builtin_convertvector(TV_WHI(*e), VD);

	a = a * TV_WSCALE + TV_WMAGIC;
	b = b * TV_WSCALE + TV_WMAGIC;
	*lo = (VU)a - TV_WMAGIC_BITS;
	*hi = (VU)b - TV_WMAGIC_BITS;
}

/* The sum of a block's lanes (at most 2^46 per weight). */
TV_INLINE tv_u128
TV_CAT(tv_wfold, TV_W)(const VU *a, const VU *b)
{
	tv_u128 s = 0;
	int j;

	for (j = 0; j < TV_W / 2; j++)
		s += (tv_u128)(*a)[j] + (*b)[j];
	return s;
}

/* The rest's logits: below tau (-inf weighs 0 anyway). */
#define TV_WREST(li, tau) (li < TV_VSPLATOF(li, tau))

/* tv_wsum at temperature t, given apart so that 1 can be a constant. */
TV_INLINE tv_u128
TV_CAT(tv_wsum_at, TV_W)(const float *l, uint32_t n, float t, float m,
			 uint64_t *blk)
{
	tv_u128 z = 0;
	uint64_t part = 0;
	uint32_t i = 0, b = 0;

	for (; i + TV_BLOCK <= n; i += TV_BLOCK, b++) {
		VU lo = { 0 }, hi = { 0 };
		uint64_t sum;

		for (uint32_t j = i; j < i + TV_BLOCK; j += TV_W) {
			VF li, e;
			VU a, c;

			TV_VLOAD(li, l + j);
			TV_CAT(tv_wexp_v, TV_W)(&li, t, m, &e);
			TV_CAT(tv_wquant_v, TV_W)(&e, &a, &c);
			lo += a;
			hi += c;
		}
		sum = (uint64_t)TV_CAT(tv_wfold, TV_W)(&lo, &hi);
		if (blk)
			blk[b] = sum;
		z += sum;
	}
	for (; i < n; i++)
		part += tv_weight(l[i] / t - m);
	if (blk && n % TV_BLOCK)
		blk[b] = part;
	return z + part;
}

TV_INLINE tv_u128
TV_CAT(tv_wsum_body, TV_W)(const float *l, uint32_t n, float t, float m,
			   uint64_t *blk)
{
	if (t == 1.0f)
		return TV_CAT(tv_wsum_at, TV_W)(l, n, 1.0f, m, blk);
	return TV_CAT(tv_wsum_at, TV_W)(l, n, t, m, blk);
}

TV_INLINE void
TV_CAT(tv_wvec_body, TV_W)(const float *l, uint32_t n, float t, float m,
			   uint64_t *w)
{
	uint32_t i = 0;

	for (; i + TV_W <= n; i += TV_W) {
		VF li, e;
		VU lo, hi;

		TV_VLOAD(li, l + i);
		TV_CAT(tv_wexp_v, TV_W)(&li, t, m, &e);
		TV_CAT(tv_wquant_v, TV_W)(&e, &lo, &hi);
		memcpy(w + i, &lo, sizeof lo);
		memcpy(w + i + TV_W / 2, &hi, sizeof hi);
	}
	for (; i < n; i++)
		w[i] = tv_weight(l[i] / t - m);
}

/*
 * The bucket pass (tv_wbucket): for each of l[0 .. n) its weight (0 for
 * l >= tau and -inf) into w and its bucket into b; t is k's temperature,
 * given apart so that 1 can be a constant.
 */
TV_INLINE void
TV_CAT(tv_wbucket_at, TV_W)(const float *l, uint32_t n,
			    const struct tv_wbuckets *k, float t, uint64_t *w,
			    uint16_t *b)
{
	uint32_t i = 0;

	for (; i + TV_W <= n; i += TV_W) {
		VF li, e, d;
		VU lo, hi;
		VI bi;
		VB bs;

		TV_VLOAD(li, l + i);
		TV_CAT(tv_wexp_v, TV_W)(&li, t, k->m, &e);
		e = TV_VSEL(TV_WREST(li, k->tau), e, TV_VSPLATOF(e, 0.0f));
		TV_CAT(tv_wquant_v, TV_W)(&e, &lo, &hi);
		d = (k->hi - li) * k->scale;
		d = TV_VMAX(d, 0.0f);
		d = TV_VSEL(d < TV_VSPLATOF(d, k->last), d,
			    TV_VSPLATOF(d, k->last));
		bi = __builtin_convertvector(d, VI);
		bs = __builtin_convertvector(bi, VB);
		memcpy(w + i, &lo, sizeof lo);
		memcpy(w + i + TV_W / 2, &hi, sizeof hi);
		memcpy(b + i, &bs, sizeof bs);
	}
	for (; i < n; i++) {
		w[i] = l[i] < k->tau ? tv_weight(l[i] / t - k->m) : 0;
		b[i] = tv_wbucket_of(k, l[i]);
	}
}

TV_INLINE void
TV_CAT(tv_wbucket_body, TV_W)(const float *l, uint32_t n,
			      const struct tv_wbuckets *k, uint64_t *w,
			      uint16_t *b)
{
	if (k->t == 1.0f)
		TV_CAT(tv_wbucket_at, TV_W)(l, n, k, 1.0f, w, b);
	else
		TV_CAT(tv_wbucket_at, TV_W)(l, n, k, k->t, w, b);
}

#undef TV_WREST
#undef TV_WLO
#undef TV_WHI
#undef VF
#undef VI
#undef VD
#undef VU
#undef VL
#undef VH
#undef VB
#undef TV_WRUN
