/* SPDX-License-Identifier: MIT */
/*
 * The hand-written trigram fixture for the language-model tests: opened
 * once per group when the build has a backend, and each test that needs
 * it skipped (and counted as skipped) when it has none.
 */
#ifndef TEMPVIZ_TESTLM_H
#define TEMPVIZ_TESTLM_H

#include "lm/model.h"

#define ARPA "tests/fixtures/tiny.arpa"

/* NULL in a build without a model backend; otherwise the fixture must
 * open. */
static inline struct tv_model *
open_fixture(void)
{
	struct tv_model *m = NULL;
	struct tv_error err;

	if (!tv_model_available())
		return NULL;
	assert_int_equal(tv_model_open(ARPA, &m, &err), TV_EXIT_OK);
	return m;
}

static inline int
lm_setup(void **state)
{
	*state = open_fixture();
	return 0;
}

static inline int
lm_teardown(void **state)
{
	tv_model_free(*state);
	return 0;
}

static inline struct tv_model *
model_or_skip(void **state)
{
	if (!*state)
		skip();
	return *state;
}

#endif
