/* SPDX-License-Identifier: MIT */
/*
 * A structural check of a model file before sphinxbase reads it: it
 * crashes on an ARPA file whose sections hold fewer n-grams than its
 * \data\ header announces, and reads past its buffer on a trie binary
 * whose end (the word list) is cut off: the shapes of a truncated file.
 */
#ifndef TEMPVIZ_LM_CHECK_H
#define TEMPVIZ_LM_CHECK_H

#include "io/source.h"

/* 0 when path is whole as far as can be told: ARPA text with every
 * announced section holding exactly its count of lines, each a number
 * and n words, then \end\; or a trie binary that ends with its word list
 * (the length, then as many NUL-terminated words as it has unigrams);
 * any other file is left to sphinxbase. Else TV_EXIT_DATA with err. */
int tv_lm_check(const char *path, struct tv_error *err);

#endif
