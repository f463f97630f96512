/* SPDX-License-Identifier: MIT */
#include "lm/arpa.h"

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

static int
is_binary(FILE *f)
{
	char head[512];
	size_t n = fread(head, 1, sizeof head, f);

	rewind(f);
	return memchr(head, '\0', n) != NULL ||
	       (n >= 19 && memcmp(head, "Trie Language Model", 19) == 0);
}

int
tv_arpa_check(const char *path, struct tv_error *err)
{
	FILE *f = fopen(path, "rb");
	struct scan sc;
	char line[4096];

	if (!f)
		return 0;
	memset(&sc, 0, sizeof sc);
	if (is_binary(f)) {
		fclose(f);
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
