/* SPDX-License-Identifier: MIT */
/*
 * Internal to src/core: a branch-free float exp the compiler vectorizes,
 * and the exp-sum kernel every softmax of the core runs on.
 *
 * The kernel keeps eight float accumulators per quantity, the shape GCC
 * and Clang vectorize without reassociating floating-point sums, and
 * folds them into doubles every TV_BLOCK elements, so a sum over 262,144
 * tokens carries the rounding of a 32-element float sum, not of the whole.
 *
 * On x86-64 the hot loops are compiled twice, for AVX2 with FMA and for
 * the baseline, and picked at run time, so one binary runs on any x86-64.
 */
#ifndef TEMPVIZ_CORE_VMATH_H
#define TEMPVIZ_CORE_VMATH_H

#include <float.h>
#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) && defined(__x86_64__)
#define TV_X86_CLONES 1
#define TV_AVX2 __attribute__((target("avx2,fma")))
#else
#define TV_X86_CLONES 0
#endif

#if defined(__GNUC__)
#define TV_INLINE static inline __attribute__((always_inline))
#else
#define TV_INLINE static inline
#endif

/* Let the AVX2 clones fuse multiply-adds (the baseline has no FMA, so
 * this changes nothing there). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC push_options
#pragma GCC optimize("fp-contract=fast")
#endif

#define TV_LANES 8u
#define TV_BLOCK 64u

/*
 * exp(x) for float x, within 1 ulp over the range where the result is a
 * normal float (Cephes' expf: x = k ln2 + r with |r| <= ln2/2, ln2 split
 * in two so k ln2 is exact, a polynomial for exp(r), 2^k put into the
 * exponent bits). Below about -87 it returns 0 (never a subnormal), and
 * NaN counts as below. No branches, so it vectorizes; the vector version
 * below does the same operations in the same order.
 */
TV_INLINE float
tv_expf(float x)
{
	float xc = x > -87.5f ? x : -87.5f;
	float kf, r, p, scale;
	uint32_t bits;

	xc = xc < 88.5f ? xc : 88.5f;
	/* Adding and removing 1.5 * 2^23 rounds to the nearest integer. */
	kf = xc * 1.44269504088896341f + 12582912.0f;
	kf -= 12582912.0f;
	r = xc - kf * 0.693359375f;
	r = r - kf * -2.12194440e-4f;
	p = r * 1.9875691500e-4f + 1.3981999507e-3f;
	p = p * r + 8.3334519073e-3f;
	p = p * r + 4.1665795894e-2f;
	p = p * r + 1.6666665459e-1f;
	p = p * r + 5.0000001201e-1f;
	p = p * (r * r) + r + 1.0f;
	/* k <= -126 would need a subnormal: give 0 instead. */
	bits = kf > -126.0f ? (uint32_t)((int32_t)kf + 127) << 23 : 0;
	memcpy(&scale, &bits, sizeof scale);
	return p * scale;
}

/* Sums over a run of logits of e = exp(s - m) with s = l / t: sum e,
 * sum e * (s - m) and sum e * l. */
struct tv_sums {
	double se, sex, sel;
};

#if defined(__GNUC__)
typedef float tv_v8f __attribute__((vector_size(32)));
typedef int32_t tv_v8i __attribute__((vector_size(32)));
typedef float tv_v4f __attribute__((vector_size(16)));
typedef double tv_v4d __attribute__((vector_size(32)));

/*
 * Vectors move between helpers by pointer: a 32-byte vector passed by
 * value has a different ABI with and without AVX, which GCC warns about.
 */
#define TV_VSPLAT(b) ((tv_v8f){ b, b, b, b, b, b, b, b })
#define TV_VSEL(mask, a, b) \
	((tv_v8f)(((mask) & (tv_v8i)(a)) | (~(mask) & (tv_v8i)(b))))
#define TV_VMAX(a, b) TV_VSEL((a) > TV_VSPLAT(b), (a), TV_VSPLAT(b))
#define TV_VLOAD(v, p) memcpy(&(v), (p), sizeof(v))

/* tv_expf on eight lanes in place, the same operations in the same
 * order. */
TV_INLINE void
tv_vexpf(tv_v8f *x)
{
	tv_v8f xc = TV_VMAX(*x, -87.5f), kf, r, p;
	tv_v8i k;

	xc = TV_VSEL(xc < TV_VSPLAT(88.5f), xc, TV_VSPLAT(88.5f));
	kf = xc * 1.44269504088896341f + 12582912.0f;
	kf -= 12582912.0f;
	r = xc - kf * 0.693359375f;
	r = r - kf * -2.12194440e-4f;
	p = r * 1.9875691500e-4f + 1.3981999507e-3f;
	p = p * r + 8.3334519073e-3f;
	p = p * r + 4.1665795894e-2f;
	p = p * r + 1.6666665459e-1f;
	p = p * r + 5.0000001201e-1f;
	p = p * (r * r) + r + 1.0f;
	k = __builtin_convertvector(kf, tv_v8i);
	k = (kf > TV_VSPLAT(-126.0f)) & ((k + 127) << 23);
	*x = p * (tv_v8f)k;
}

/* Widens a float vector's lanes and adds them to a double accumulator. */
TV_INLINE void
tv_vwiden_add(tv_v4d *acc, const tv_v8f *v)
{
	tv_v4f lo = { (*v)[0], (*v)[1], (*v)[2], (*v)[3] };
	tv_v4f hi = { (*v)[4], (*v)[5], (*v)[6], (*v)[7] };

	*acc += __builtin_convertvector(lo, tv_v4d) +
		__builtin_convertvector(hi, tv_v4d);
}

TV_INLINE double
tv_vhsum(const tv_v4d *v)
{
	return ((*v)[0] + (*v)[1]) + ((*v)[2] + (*v)[3]);
}
#endif

/* One element of the kernel below; also its scalar remainder. */
TV_INLINE void
tv_sums_one(float l, float t, float m, double *se, double *sex, double *sel)
{
	float x = l / t - m;
	float e = tv_expf(x);

	*se += e;
	*sex += e * x;
	*sel += e * l;
}

/*
 * The kernel: sums over l[0 .. n) with s = l / t, as a float division like
 * the engines'. Every l must be finite and every l / t finite, which the
 * caller checks once per temperature; t = 1 leaves the logits as they are.
 */
TV_INLINE void
tv_sums_body(const float *l, uint32_t n, float t, float m, struct tv_sums *o)
{
	double se = 0, sex = 0, sel = 0;
	uint32_t i = 0;
#if defined(__GNUC__)
	tv_v4d de = { 0 }, dx = { 0 }, dl = { 0 };

	while (i + TV_LANES <= n) {
		uint32_t end = n - i < TV_BLOCK ? n : i + TV_BLOCK;
		tv_v8f ae = { 0 }, ax = { 0 }, al = { 0 };

		for (; i + TV_LANES <= end; i += TV_LANES) {
			tv_v8f li, x, e;

			TV_VLOAD(li, l + i);
			x = li / t - m;
			e = x;
			tv_vexpf(&e);
			ae += e;
			ax += e * x;
			al += e * li;
		}
		tv_vwiden_add(&de, &ae);
		tv_vwiden_add(&dx, &ax);
		tv_vwiden_add(&dl, &al);
	}
	se = tv_vhsum(&de);
	sex = tv_vhsum(&dx);
	sel = tv_vhsum(&dl);
#endif
	for (; i < n; i++)
		tv_sums_one(l[i], t, m, &se, &sex, &sel);
	o->se = se;
	o->sex = sex;
	o->sel = sel;
}

static inline void
tv_sums_base(const float *l, uint32_t n, float t, float m, struct tv_sums *o)
{
	tv_sums_body(l, n, t, m, o);
}

#if TV_X86_CLONES
TV_AVX2 static inline void
tv_sums_avx2(const float *l, uint32_t n, float t, float m, struct tv_sums *o)
{
	tv_sums_body(l, n, t, m, o);
}
#endif

/* 1 when the AVX2 clones may run on this CPU. */
static inline int
tv_have_avx2(void)
{
#if TV_X86_CLONES
	return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
	return 0;
#endif
}

static inline void
tv_sums(const float *l, uint32_t n, float t, float m, struct tv_sums *o)
{
#if TV_X86_CLONES
	if (tv_have_avx2()) {
		tv_sums_avx2(l, n, t, m, o);
		return;
	}
#endif
	tv_sums_base(l, n, t, m, o);
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC pop_options
#endif

#endif
