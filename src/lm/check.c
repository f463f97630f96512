/* SPDX-License-Identifier: MIT */
#include "lm/check.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Orders an ARPA header may announce. */
#define MAX_ORDER 16

struct scan {
	long want[MAX_ORDER + 1];
	long got[MAX_ORDER + 1];
	int orders, section, ended, bad_line;
	long line_no;
};

static int
bad(struct tv_error *err, const char *path, const char *what, long line)
{
	snprintf(err->msg, sizeof err->msg, "%s:%ld: %s (the ARPA file is "
		 "truncated or corrupt)", path, line, what);
	return TV_EXIT_DATA;
}

/* Fields separated by blanks. */
static int
fields(const char *s)
{
	int n = 0;

	while (*s) {
		s += strspn(s, " \t\r\n");
		if (!*s)
			break;
		n++;
		s += strcspn(s, " \t\r\n");
	}
	return n;
}

static void
scan_line(struct scan *sc, const char *l)
{
	int k;
	long c;

	if (strncmp(l, "\\end\\", 5) == 0) {
		sc->ended = 1;
		sc->section = 0;
	} else if (sscanf(l, "\\%d-grams:", &k) == 1) {
		sc->section = k >= 1 && k <= MAX_ORDER ? k : -1;
	} else if (strncmp(l, "\\data\\", 6) == 0) {
		sc->section = 0;
	} else if (sc->section == 0 && sscanf(l, "ngram %d=%ld", &k, &c) == 2 &&
		   k >= 1 && k <= MAX_ORDER) {
		sc->want[k] = c;
		sc->orders = k > sc->orders ? k : sc->orders;
	} else if (sc->section > 0 && fields(l) > 0) {
		int f = fields(l);

		sc->got[sc->section]++;
		if ((f < sc->section + 1 || f > sc->section + 2) && !sc->bad_line)
			sc->bad_line = (int)sc->line_no;
	}
}

/* The magic of sphinxbase's trie binary. */
#define TRIE_MAGIC "Trie Language Model"
#define TRIE_MAGIC_LEN 19

/* The words at the end of a trie binary: an int32 byte count k (native
 * order, as sphinxbase writes it), then k bytes holding one NUL-terminated
 * word per unigram. Counting the unigrams' NULs back from the end finds
 * where the list starts, up to the zero bytes of k itself. */
static int
trie_words_whole(FILE *f, uint32_t vocab)
{
	enum { BLK = 65536 };
	char *blk;
	long end, pos, nul = -1;
	uint32_t nuls = 0;
	int ok = 0;

	if (fseek(f, 0, SEEK_END) != 0 || (end = ftell(f)) < 5 ||
	    !(blk = malloc(BLK)))
		return 0;
	/* Back from the end a block at a time to the (vocab + 1)-th NUL. */
	for (pos = end; pos > 0 && nul < 0;) {
		long n = pos < BLK ? pos : BLK;

		pos -= n;
		if (fseek(f, pos, SEEK_SET) != 0 ||
		    fread(blk, 1, (size_t)n, f) != (size_t)n ||
		    (pos + n == end && blk[n - 1] != 0))
			break;
		for (long i = n - 1; i >= 0 && nul < 0; i--)
			if (blk[i] == 0 && ++nuls == vocab + 1)
				nul = pos + i;
	}
	free(blk);
	/* That NUL is a byte of k: the list starts after k's last byte. */
	for (long start = nul + 1; nul >= 0 && start <= nul + 4; start++) {
		int32_t k;

		if (start < 4 || fseek(f, start - 4, SEEK_SET) != 0 ||
		    fread(&k, sizeof k, 1, f) != 1)
			break;
		if (k == end - start)
			ok = 1;
	}
	return ok;
}

/* 1 a trie binary (*vocab its unigrams, 0 when its header is cut), 0
 * ARPA text or other text, -1 another binary. */
static int
file_kind(FILE *f, uint32_t *vocab)
{
	char head[512];
	size_t n = fread(head, 1, sizeof head, f);

	rewind(f);
	*vocab = 0;
	if (n >= TRIE_MAGIC_LEN &&
	    memcmp(head, TRIE_MAGIC, TRIE_MAGIC_LEN) == 0) {
		if (n >= TRIE_MAGIC_LEN + 1 + sizeof *vocab && head[TRIE_MAGIC_LEN])
			memcpy(vocab, head + TRIE_MAGIC_LEN + 1, sizeof *vocab);
		return 1;
	}
	return memchr(head, '\0', n) != NULL ? -1 : 0;
}

int
tv_lm_check(const char *path, struct tv_error *err)
{
	FILE *f = fopen(path, "rb");
	struct scan sc;
	char line[4096];
	uint32_t vocab = 0;
	int kind;

	if (!f)
		return 0;
	memset(&sc, 0, sizeof sc);
	kind = file_kind(f, &vocab);
	if (kind != 0) {
		int whole = kind < 0 || (vocab > 0 && trie_words_whole(f, vocab));

		fclose(f);
		if (!whole) {
			snprintf(err->msg, sizeof err->msg, "%s: the word list "
				 "at the end of the trie file is missing or cut "
				 "(the file is truncated or corrupt)", path);
			return TV_EXIT_DATA;
		}
		return 0;
	}
	while (fgets(line, sizeof line, f)) {
		sc.line_no++;
		scan_line(&sc, line);
	}
	fclose(f);
	if (sc.orders == 0)
		return 0;
	if (sc.bad_line)
		return bad(err, path, "an n-gram line without its probability "
			   "and words", sc.bad_line);
	for (int k = 1; k <= sc.orders; k++)
		if (sc.got[k] != sc.want[k]) {
			char what[128];

			snprintf(what, sizeof what, "the header announces %ld "
				 "%d-grams, the file holds %ld", sc.want[k], k,
				 sc.got[k]);
			return bad(err, path, what, sc.line_no);
		}
	if (!sc.ended)
		return bad(err, path, "no \\end\\", sc.line_no);
	return 0;
}
