/* SPDX-License-Identifier: MIT */
/*
 * Internal to src/core: a branch-free float exp the compiler vectorizes,
 * and the exp-sum kernel every softmax of the core runs on.
 *
 * The kernels are written once on GCC vector types (core/vlanes.h, one
 * copy per width): float lanes, folded into double accumulators every
 * TV_BLOCK elements, so a sum over 262,144 tokens carries the rounding of
 * a short float sum, not of the whole.
 *
 * On x86-64 they are compiled three times, for AVX-512 (16 lanes), AVX2
 * with FMA (8) and the baseline (8, as pairs of SSE registers), and picked
 * at run time, so one binary runs on any x86-64.
 */
#ifndef TEMPVIZ_CORE_VMATH_H
#define TEMPVIZ_CORE_VMATH_H

#include <stdint.h>
#include <string.h>

#if defined(__GNUC__) && defined(__x86_64__)
#define TV_X86_CLONES 1
#define TV_AVX2 __attribute__((target("avx2,fma")))
#define TV_AVX512 __attribute__((target("avx512f,avx2,fma")))
#else
#define TV_X86_CLONES 0
#endif

#if defined(__GNUC__)
#define TV_INLINE static inline __attribute__((always_inline))
#else
#define TV_INLINE static inline
#endif

/* Let the AVX2 and AVX-512 clones fuse multiply-adds (the baseline has
 * no FMA, so this changes nothing there). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC push_options
#pragma GCC optimize("fp-contract=fast")
#endif

#define TV_LANES 8u
#define TV_BLOCK 64u

/*
 * The body of tv_expf between the clamp and the scale, on a float or on a
 * GCC float vector alike (a scalar constant stands for every lane), so
 * the scalar and the vector versions do the same operations in the same
 * order: kf = round(xc / ln2), r = xc - kf ln2, p = exp(r).
 */
#define TV_EXPF_POLY(xc, kf, r, p) do { \
	/* Adding and removing 1.5 * 2^23 rounds to the nearest integer. */ \
	(kf) = (xc) * 1.44269504088896341f + 12582912.0f; \
	(kf) -= 12582912.0f; \
	(r) = (xc) - (kf) * 0.693359375f; \
	(r) = (r) - (kf) * -2.12194440e-4f; \
	(p) = (r) * 1.9875691500e-4f + 1.3981999507e-3f; \
	(p) = (p) * (r) + 8.3334519073e-3f; \
	(p) = (p) * (r) + 4.1665795894e-2f; \
	(p) = (p) * (r) + 1.6666665459e-1f; \
	(p) = (p) * (r) + 5.0000001201e-1f; \
	(p) = (p) * ((r) * (r)) + (r) + 1.0f; \
} while (0)

/*
 * exp(x) for float x, within 1 ulp over the range where the result is a
 * normal float (Cephes' expf: x = k ln2 + r with |r| <= ln2/2, ln2 split
 * in two so k ln2 is exact, a polynomial for exp(r), 2^k put into the
 * exponent bits). Below about -87 it returns 0 (never a subnormal), and
 * NaN counts as below. No branches, so it vectorizes; the vector version
 * below does the same operations in the same order.
 */
/* tv_expf's body, e = exp(x), for a function of its own to hold (and so
 * compile as its place says: core/wselect.h's, without fused
 * multiply-adds). */
#define TV_EXPF_SCALAR(x, e) do { \
	float xc_ = (x) > -87.5f ? (x) : -87.5f, kf_, r_, p_, scale_; \
	uint32_t bits_; \
	xc_ = xc_ < 88.5f ? xc_ : 88.5f; \
	TV_EXPF_POLY(xc_, kf_, r_, p_); \
	/* k <= -126 would need a subnormal: give 0 instead. */ \
	bits_ = kf_ > -126.0f ? (uint32_t)((int32_t)kf_ + 127) << 23 : 0; \
	memcpy(&scale_, &bits_, sizeof scale_); \
	(e) = p_ * scale_; \
} while (0)

TV_INLINE float
tv_expf(float x)
{
	float e;

	TV_EXPF_SCALAR(x, e);
	return e;
}

/* Sums over a run of logits of e = exp(s - m) with s = l / t: sum e,
 * sum e * (s - m) and sum e * l. */
struct tv_sums {
	double se, sex, sel;
};

/* One element of the sum kernel; also its scalar remainder. */
TV_INLINE void
tv_sums_one(float l, float t, float m, struct tv_sums *o)
{
	float x = l / t - m;
	float e = tv_expf(x);

	o->se += e;
	o->sex += e * x;
	o->sel += e * l;
}

/*
 * A mass profile the rest kernel can take on the way: the sums of e over
 * x >= at[j], x = l / t - m, for a few levels at[j].
 */
#define TV_LEVELS 6

struct tv_levels {
	float at[TV_LEVELS];
	double mass[TV_LEVELS];
};

/* The top bits of w's bytes, as 8 bits (byte j gives bit j): the multiply
 * gathers them into its top byte. */
TV_INLINE uint32_t
tv_byte_top_bits(uint64_t w)
{
	return (uint32_t)(((w & 0x8080808080808080u) * 0x0002040810204081u) >>
			  56);
}

#if defined(__GNUC__)
/* Vector helpers for any width; a vector and a scalar may be mixed in
 * GCC's vector arithmetic, the scalar standing for every lane. Vectors
 * move between functions by pointer: a 32- or 64-byte vector passed by
 * value has an ABI that depends on the target, which GCC warns about. */
#define TV_VSPLATOF(v, b) ((__typeof__(v)){ 0 } + (b))
#define TV_VSEL(mask, a, b) ((__typeof__(a))(((mask) & \
	(__typeof__(mask))(a)) | (~(mask) & (__typeof__(mask))(b))))
#define TV_VMAX(a, b) \
	TV_VSEL((a) > TV_VSPLATOF(a, b), (a), TV_VSPLATOF(a, b))
#define TV_VLOAD(v, p) memcpy(&(v), (p), sizeof(v))

#define TV_W 8
#include "core/vlanes.h"
#undef TV_W
#define TV_W 16
#include "core/vlanes.h"
#undef TV_W

#define TV_VSPLAT(b) ((tv_vf8){ 0 } + (b))
#endif

/* Which clones this CPU runs: 2 AVX-512, 1 AVX2 with FMA, 0 baseline. */
static inline int
tv_simd_level(void)
{
#if TV_X86_CLONES
	if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx2") &&
	    __builtin_cpu_supports("fma"))
		return 2;
	return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
	return 0;
#endif
}

static inline void
tv_sums_base(const float *l, uint32_t n, float t, float m, struct tv_sums *o)
{
#if defined(__GNUC__)
	tv_sums_body8(l, n, t, m, o);
#else
	uint32_t i;

	memset(o, 0, sizeof *o);
	for (i = 0; i < n; i++)
		tv_sums_one(l[i], t, m, o);
#endif
}

#if TV_X86_CLONES
TV_AVX2 static inline void
tv_sums_avx2(const float *l, uint32_t n, float t, float m, struct tv_sums *o)
{
	tv_sums_body8(l, n, t, m, o);
}

TV_AVX512 static inline void
tv_sums_avx512(const float *l, uint32_t n, float t, float m,
	       struct tv_sums *o)
{
	tv_sums_body16(l, n, t, m, o);
}
#endif

/*
 * The sum kernel: over l[0 .. n) with s = l / t, a float division like the
 * engines'. Every l must be finite and every l / t finite, which the
 * caller checks once per temperature; t = 1 leaves the logits as they are.
 */
static inline void
tv_sums(const float *l, uint32_t n, float t, float m, struct tv_sums *o)
{
#if TV_X86_CLONES
	int level = tv_simd_level();

	if (level == 2) {
		tv_sums_avx512(l, n, t, m, o);
		return;
	}
	if (level == 1) {
		tv_sums_avx2(l, n, t, m, o);
		return;
	}
#endif
	tv_sums_base(l, n, t, m, o);
}

static inline double
tv_se_base(const float *l, uint32_t n, float t, float m)
{
#if defined(__GNUC__)
	return tv_se_body8(l, n, t, m);
#else
	struct tv_sums o;

	tv_sums_base(l, n, t, m, &o);
	return o.se;
#endif
}

#if TV_X86_CLONES
TV_AVX2 static inline double
tv_se_avx2(const float *l, uint32_t n, float t, float m)
{
	return tv_se_body8(l, n, t, m);
}

TV_AVX512 static inline double
tv_se_avx512(const float *l, uint32_t n, float t, float m)
{
	return tv_se_body16(l, n, t, m);
}
#endif

/* tv_sums' se alone (the same number), for a logsumexp. */
static inline double
tv_se(const float *l, uint32_t n, float t, float m)
{
#if TV_X86_CLONES
	int level = tv_simd_level();

	if (level == 2)
		return tv_se_avx512(l, n, t, m);
	if (level == 1)
		return tv_se_avx2(l, n, t, m);
#endif
	return tv_se_base(l, n, t, m);
}

static inline void
tv_se2_base(const float *l, uint32_t n, float t, float m1, float mt,
	    double *s1, double *st)
{
#if defined(__GNUC__)
	tv_se2_body8(l, n, t, m1, mt, s1, st);
#else
	uint32_t i;

	*s1 = *st = 0;
	for (i = 0; i < n; i++) {
		*s1 += tv_expf(l[i] - m1);
		*st += tv_expf(l[i] / t - mt);
	}
#endif
}

#if TV_X86_CLONES
TV_AVX2 static inline void
tv_se2_avx2(const float *l, uint32_t n, float t, float m1, float mt,
	    double *s1, double *st)
{
	tv_se2_body8(l, n, t, m1, mt, s1, st);
}

TV_AVX512 static inline void
tv_se2_avx512(const float *l, uint32_t n, float t, float m1, float mt,
	      double *s1, double *st)
{
	tv_se2_body16(l, n, t, m1, mt, s1, st);
}
#endif

/* se at T = 1 and at t (shifts m1 and mt) in one pass, under
 * tv_sums' conditions for both. */
static inline void
tv_se2(const float *l, uint32_t n, float t, float m1, float mt, double *s1,
       double *st)
{
#if TV_X86_CLONES
	int level = tv_simd_level();

	if (level == 2) {
		tv_se2_avx512(l, n, t, m1, mt, s1, st);
		return;
	}
	if (level == 1) {
		tv_se2_avx2(l, n, t, m1, mt, s1, st);
		return;
	}
#endif
	tv_se2_base(l, n, t, m1, mt, s1, st);
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC pop_options
#endif

#endif
