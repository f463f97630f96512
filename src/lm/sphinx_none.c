/* SPDX-License-Identifier: MIT */
/*
 * The model backend of a build without sphinxbase: every model path says
 * in one line what to install.
 */
#include "lm/model.h"
#include "lm/trie.h"

#include <stdio.h>

int
tv_model_available(void)
{
	return 0;
}

int
tv_model_open(const char *path, struct tv_model **out,
	      struct tv_error *err)
{
	(void)path;
	*out = NULL;
	snprintf(err->msg, sizeof err->msg,
		 "language models need sphinxbase, which this tempviz was "
		 "built without (%s, then rebuild)", TV_LM_INSTALL);
	return TV_EXIT_DATA;
}

int
tv_sphinx_logits_by_word(struct tv_model *m, const int32_t *ctx, size_t n,
			 float *out, double *raw_sum)
{
	(void)m;
	(void)ctx;
	(void)n;
	(void)out;
	(void)raw_sum;
	return -1;
}

int
tv_sphinx_reads_trie(const struct tv_model *m)
{
	(void)m;
	return 0;
}
