/* SPDX-License-Identifier: MIT */
/*
 * Thermodynamics of a token distribution: softmax(z / T) is the Boltzmann
 * distribution of states with energies E_i = z_max - z_i (k_B = 1, nats).
 *
 * Every quantity is over the whole vocabulary: the listed tokens with a
 * finite logit plus the tail level (tail_g tokens at tail_logit). Tokens
 * with a -inf logit are not states. Distributions must be finished
 * (tv_dist_finish).
 *
 * Temperature runs +0 (frozen at the argmax) .. +inf == -inf (uniform)
 * .. -0 (frozen at the argmin); beta = 1/T runs +inf .. 0 .. -inf without
 * a jump, so a control that crosses "hotter than infinity" drives beta.
 */
#ifndef TEMPVIZ_THERMO_H
#define TEMPVIZ_THERMO_H

#include <stdint.h>

#include "tempviz/dist.h"
#include "tempviz/rng.h"

struct tv_thermo {
	double beta;       /* 1/T */
	double temp;       /* T; +-0 frozen, +inf at beta = 0 */
	double lnz;        /* ln Z with Z = sum_i exp(-beta E_i) */
	double z;          /* Z itself; +inf when ln Z exceeds the double range */
	double u;          /* <E> */
	double var_e;      /* Var(E) */
	double s_nats;     /* S = -sum p ln p = beta <E> + ln Z */
	double s_bits;
	double f;          /* F = -T ln Z = <E> - T S */
	double c;          /* C = Var(E) / T^2 = d<E>/dT */
	double perplexity; /* e^S, the effective number of tokens */
	double zmax;       /* the logit of energy 0 */
	double e_ground;   /* energy of the occupied level in a frozen limit */
	double g_ground;   /* its degeneracy (residual entropy ln g) */
	int frozen;        /* beta is infinite: p is uniform over the ground */
};

/* Quantities at temperature T (any sign, +-0 frozen, +-inf uniform) or at
 * beta (any value, +-inf frozen). Return 0, or -1 for an empty
 * distribution or a NaN argument. */
int tv_thermo_at(const struct tv_dist *d, double temp, struct tv_thermo *out);
int tv_thermo_at_beta(const struct tv_dist *d, double beta,
		      struct tv_thermo *out);
/* p of one state with this logit under t (per token for the tail). */
double tv_thermo_p(const struct tv_thermo *t, double logit);
/* KL(p_T || p_1) in nats, from the two states' quantities (same gauge). */
double tv_thermo_kl(const struct tv_thermo *t, const struct tv_thermo *t1);

/*
 * Density of states: the energies binned once, so a whole curve costs a
 * few passes over about a thousand levels instead of over the vocabulary.
 * With at most TV_DOS_EXACT distinct energies every level is exact.
 * Otherwise the TV_DOS_HEAD lowest and highest distinct energies (which
 * rule at small |T|) and the tail level stay exact, and the rest fall into
 * TV_DOS_BINS equal bins, each at its centre with its count as
 * degeneracy. A state then moves by at most half a bin width w, so every
 * Boltzmann factor is off by at most a factor e^(|beta| w / 2); on a
 * 262,144-token vocabulary the curve quantities agree with the exact sums
 * to about 1e-4 relative from T = 0.05 to 50.
 */
#define TV_DOS_EXACT 512
#define TV_DOS_HEAD 32
#define TV_DOS_BINS 1024

struct tv_dos {
	uint32_t n_exact;  /* exact levels, energy ascending */
	double *e, *g;
	uint32_t n_bins;   /* 0 when every level is exact */
	double bin_lo;     /* lower edge of bin 0 */
	double bin_w;
	double *bin_g;     /* count per bin (the first row of bin_tab) */
	double *bin_tab;   /* 6 rows of n_bins: g, g k, g k^2 with k the bin
	                      index from the bottom, then the same from the
	                      top, so either sign of beta walks forward */
	double zmax;
	double states;     /* total degeneracy: finite listed tokens + tail */
};

int tv_dos_build(struct tv_dos *s, const struct tv_dist *d);
void tv_dos_free(struct tv_dos *s);
int tv_dos_at(const struct tv_dos *s, double temp, struct tv_thermo *out);
int tv_dos_at_beta(const struct tv_dos *s, double beta,
		   struct tv_thermo *out);
/* Point i of n spaced evenly in ln x from lo to hi (both > 0). i = 0 is
 * lo and i >= n - 1 is hi exactly, not exp(ln hi) off by rounding, so a
 * curve ends at the temperature asked for; n <= 1 gives lo. */
double tv_log_grid(double lo, double hi, uint32_t n, uint32_t i);
/* npts >= 2 points from tmin to tmax (both > 0), evenly in ln T when
 * logscale, else evenly in T. Returns 0 or -1 for a bad range. */
int tv_thermo_curve(const struct tv_dos *s, double tmin, double tmax,
		    uint32_t npts, int logscale, struct tv_thermo *out);
/* The highest heat-capacity peak in [tmin, tmax]: a 200-point scan in
 * ln T, refined by golden-section search. Returns 0 or -1. */
int tv_dos_c_peak(const struct tv_dos *s, double tmin, double tmax,
		  double *t_peak, double *c_max);

/* ------------------------------------------------------------ glow --- */

struct tv_rgb {
	uint8_t r, g, b;
};

/* Sampling T to colour temperature: one logit unit read as 0.5 eV. */
#define TV_KELVIN_PER_T 5800.0
#define TV_GLOW_LUT 200
#define TV_GLOW_KMIN 800.0
#define TV_GLOW_KMAX 40000.0

/* Planck spectrum through the CIE 1931 observer (Wyman-Sloan-Shirley fit),
 * desaturated into sRGB and normalised to full brightness. */
struct tv_rgb tv_blackbody_cie(double kelvin);
/* Tanner Helland's curve fit (1000 .. 40000 K), the cheap fallback. */
struct tv_rgb tv_blackbody_helland(double kelvin);

/* tv_blackbody_cie sampled log-evenly over 800 .. 40000 K, once. */
struct tv_glow_lut {
	float rgb[TV_GLOW_LUT][3];
};

void tv_glow_lut_init(struct tv_glow_lut *lut);
/* Undimmed colour at kelvin (clamped to the table), interpolated in ln K. */
struct tv_rgb tv_glow_lut_rgb(const struct tv_glow_lut *lut, double kelvin);
/* The glow of sampling temperature T: K = 5800 T, dimmed by
 * clamp((K - 700) / 1100, 0, 1), black below 800 K and for T <= 0. */
struct tv_rgb tv_glow(const struct tv_glow_lut *lut, double temp);
/* Nearest xterm-256 colour among the 6x6x6 cube (16..231) and the grey
 * ramp (232..255) by squared RGB distance; ties go to the lower index. */
int tv_xterm256(struct tv_rgb c);

/* ------------------------------------------------------- particles --- */

enum tv_propose {
	TV_PROPOSE_UNIFORM,   /* any level, uniformly */
	TV_PROPOSE_NEIGHBOUR, /* one level up or down in energy order */
	TV_PROPOSE_HEATBATH,  /* a fresh draw from the exact p */
};

#define TV_PARTICLES_MIN 20
#define TV_PARTICLES_MAX 5000
#define TV_PARTICLES_DEFAULT 300

/*
 * Metropolis particles on K token levels plus one lumped "rest" level
 * (every other state, tail included), which exists when there is a rest.
 * A level's log-weight is ln sum over its states of exp(-beta E): -beta E
 * for a token, minus beta times the rest's free energy for the rest. The
 * stationary occupancy is the exact p over the levels, for either sign of
 * T.
 */
struct tv_particles {
	uint32_t n_lev;       /* K tokens (+ 1 rest) */
	uint32_t n_tok;       /* K */
	double *e;            /* token level energies; rest: its <E> at T */
	double *lw;           /* log-weights at T */
	double *p;            /* exact p per level at T */
	uint32_t *occ;        /* particles per level */
	uint32_t np;
	uint32_t *at;         /* level of each particle */
	double beta;
	enum tv_propose propose;
	uint64_t proposed, accepted;
	struct tv_rng rng;
};

/* k token levels (clamped to the finite listed tokens), np particles
 * (clamped to 20 .. 5000), all starting in the ground level, at T = 1.
 * Returns 0, or -1 for no memory or an empty distribution. */
int tv_particles_init(struct tv_particles *pt, const struct tv_dist *d,
		      uint32_t k, uint32_t np, uint32_t seed);
void tv_particles_free(struct tv_particles *pt);
/* New temperature (any sign; +-0 frozen) or beta: recomputes the weights,
 * keeping the particles where they are. */
void tv_particles_set_temp(struct tv_particles *pt, const struct tv_dist *d,
			   double temp);
void tv_particles_set_beta(struct tv_particles *pt, const struct tv_dist *d,
			   double beta);
/* Run n proposals. */
void tv_particles_step(struct tv_particles *pt, uint32_t n);
double tv_particles_acceptance(const struct tv_particles *pt);
/* Mean energy over the particles now, and the exact <E> over the levels. */
double tv_particles_energy(const struct tv_particles *pt);
double tv_particles_energy_exact(const struct tv_particles *pt);
/* Total-variation distance 1/2 sum |n_i / N - p_i|. */
double tv_particles_tv(const struct tv_particles *pt);
/* Entropy (nats) of the occupancy histogram. */
double tv_particles_entropy(const struct tv_particles *pt);

/* ------------------------------------------------------- attention --- */

#define TV_ATTN_MAX_KEYS 16
#define TV_ATTN_MAX_DK 1024

/* Scores q . k_j of one seeded query against n keys, every component
 * N(0, 1) in dk dimensions; attention is softmax(score / T). */
struct tv_attn {
	uint32_t n, dk;
	double score[TV_ATTN_MAX_KEYS];
};

struct tv_attn_row {
	double temp;
	double a[TV_ATTN_MAX_KEYS];
	double h_bits;     /* entropy of the row */
	double keys_eff;   /* e^S, "keys attended" */
	double max_a;
	double trace_j;    /* tr(diag(a) - a a^T) = 1 - sum a^2 */
	double var_score;  /* variance of the scores under the row */
};

/* Returns 0, or -1 unless 1 <= n <= 16 and 1 <= dk <= 1024. */
int tv_attn_roll(struct tv_attn *at, uint32_t n, uint32_t dk, uint32_t seed);
/* One row at temperature T > 0 (T <= 0 gives the argmax row). */
void tv_attn_row(const struct tv_attn *at, double temp,
		 struct tv_attn_row *row);
/* The demo's three rows: unscaled (T = 1), scaled (T = sqrt(dk)), user. */
void tv_attn_rows(const struct tv_attn *at, double user_temp,
		  struct tv_attn_row rows[3]);
/* Population standard deviation of the n scores: it grows like sqrt(dk),
 * which is why T = sqrt(dk) keeps the rows comparable. */
double tv_attn_score_std(const struct tv_attn *at);

#endif
