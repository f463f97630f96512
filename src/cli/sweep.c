/* SPDX-License-Identifier: MIT */
/*
 * `tempviz sweep`: quantities over temperature, one row per T. Entropy,
 * top-1 and kept are after the whole pipeline at that T; ln Z, U, S, F
 * and C are the thermodynamics of the full tempered distribution
 * softmax(z / T) (k_B = 1, nats), which truncation does not enter.
 */
#include "cli/cli.h"

#include "tempviz/thermo.h"

struct row {
	double t;
	struct tv_result r;
	struct tv_thermo th;
};

static long
sweep_len(const struct tv_cli *o)
{
	return o->n_at ? o->n_at : o->steps;
}

/* The i-th temperature; the ends are exactly --from and --to. */
static double
sweep_t(const struct tv_cli *o, long i)
{
	long last = o->steps - 1;

	if (o->n_at)
		return o->at[i];
	if (o->log)
		return tv_log_grid(o->from, o->to, (uint32_t)o->steps,
				   (uint32_t)i);
	if (i == 0 || last == 0)
		return o->from;
	if (i == last)
		return o->to;
	return o->from + (o->to - o->from) * ((double)i / (double)last);
}

static int
compute(const struct tv_cli *o, const struct tv_dist *d, long i,
	struct row *w)
{
	struct tv_params p = o->params;

	w->t = sweep_t(o, i);
	p.temp = w->t;
	tv_run(d, &o->chain, &p, &w->r);
	if (i == 0)
		tv_cli_note_ignored(&w->r);
	if (tv_thermo_at(d, w->t, &w->th) != 0) {
		tv_cli_err("no thermodynamics for an empty distribution");
		return TV_EXIT_DATA;
	}
	return TV_EXIT_OK;
}

static int
sweep_csv(const struct tv_cli *o, const struct tv_dist *d)
{
	struct row w;
	int rc;

	printf("T,entropy_bits,top1,kept,lnZ,U,S,F,C\n");
	for (long i = 0; i < sweep_len(o) && !ferror(stdout); i++) {
		if ((rc = compute(o, d, i, &w)) != TV_EXIT_OK)
			return rc;
		printf("%.9g,%.9g,%.9g,%.10g,%.9g,%.9g,%.9g,%.9g,%.9g\n", w.t,
		       w.r.stats.entropy_bits, w.r.stats.top1, w.r.stats.kept,
		       w.th.lnz, w.th.u, w.th.s_nats, w.th.f, w.th.c);
	}
	return tv_cli_flush();
}

static int
sweep_json(const struct tv_cli *o, const struct tv_dist *d)
{
	struct tv_json_stream js = { 0, 0 };
	struct row w;
	int rc;

	for (long i = 0; i < sweep_len(o); i++) {
		if ((rc = compute(o, d, i, &w)) != TV_EXIT_OK)
			return rc;
		if (tv_json_stream_add(&js, json_pack(
			"{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			"T", tv_json_num(w.t),
			"entropy_bits", tv_json_num(w.r.stats.entropy_bits),
			"top1", tv_json_num(w.r.stats.top1),
			"kept", tv_json_count(w.r.stats.kept),
			"lnZ", tv_json_num(w.th.lnz),
			"U", tv_json_num(w.th.u),
			"S", tv_json_num(w.th.s_nats),
			"F", tv_json_num(w.th.f),
			"C", tv_json_num(w.th.c))) != 0)
			break;
	}
	return tv_json_stream_end(&js);
}

int
tv_cmd_sweep(const struct tv_cli *o, const struct tv_cli_input *in)
{
	return o->json ? sweep_json(o, in->d) : sweep_csv(o, in->d);
}
