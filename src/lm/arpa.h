/* SPDX-License-Identifier: MIT */
/*
 * A structural check of ARPA text before a backend reads it: sphinxbase
 * crashes on an ARPA file whose sections hold fewer n-grams than its
 * \data\ header announces (a truncated file).
 */
#ifndef TEMPVIZ_LM_ARPA_H
#define TEMPVIZ_LM_ARPA_H

#include "io/source.h"

/* 0 when path is not ARPA text (a binary model) or is whole: every
 * announced section present with exactly its count of lines, each a
 * number and n words, then \end\. Else TV_EXIT_DATA with err. */
int tv_arpa_check(const char *path, struct tv_error *err);

#endif
