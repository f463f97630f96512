/* SPDX-License-Identifier: MIT */
/*
 * The model backend of a build without sphinxbase: every model path says
 * in one line what to install.
 */
#include "lm/model.h"

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
