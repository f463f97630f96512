/* SPDX-License-Identifier: MIT */
/*
 * Seeded random numbers and draws.
 *
 * The generator is MT19937 (Matsumoto and Nishimura, 1998) seeded with the
 * standard init_genrand, the engine llama.cpp's samplers use. A uniform
 * double in [0, 1) takes two 32-bit outputs, u = (x1 + x2 * 2^32) / 2^64
 * clamped below 1, exactly libstdc++'s generate_canonical<double, 53>;
 * a uniform float takes one, x / 2^32. Same seed, same draws, everywhere.
 */
#ifndef TEMPVIZ_RNG_H
#define TEMPVIZ_RNG_H

#include <stddef.h>
#include <stdint.h>

struct tv_rng {
	uint32_t mt[624];
	uint32_t idx;
};

void tv_rng_seed(struct tv_rng *g, uint32_t seed);
uint32_t tv_rng_u32(struct tv_rng *g);
double tv_rng_uniform(struct tv_rng *g);      /* [0, 1), two outputs */
float tv_rng_uniform_f(struct tv_rng *g);     /* [0, 1), one output */
/* Standard normal (Box-Muller from two uniforms). */
double tv_rng_normal(struct tv_rng *g);

/*
 * Walker's alias method, built with Vose's stable construction: O(n) to
 * build, O(1) per draw (one uniform double picks the column and the coin).
 */
struct tv_alias {
	uint32_t n;
	double *prob;
	uint32_t *alias;
};

/* w: non-negative weights, not all zero. Returns 0 or -1 (no memory or bad
 * weights). */
int tv_alias_build(struct tv_alias *a, const double *w, uint32_t n);
uint32_t tv_alias_draw(const struct tv_alias *a, struct tv_rng *g);
void tv_alias_free(struct tv_alias *a);

/* Inverse CDF over w[0 .. n) with one uniform (llama.cpp's dist rule: the
 * first i whose running sum reaches u * total). */
uint32_t tv_draw_cdf(const double *w, uint32_t n, double total,
		     struct tv_rng *g);
/* g as n draws of tv_draw_cdf leave it, whatever they drew (a text
 * replayed to a step without drawing again). */
void tv_draw_skip(struct tv_rng *g, size_t n);

#endif
