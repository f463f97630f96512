/* SPDX-License-Identifier: MIT */
/*
 * The body every loader's libFuzzer harness shares: any bytes must load or
 * fail with a message, never crash, hang or leak; a source that loads has
 * every token put through the display filter too. A harness defines
 * LLVMFuzzerTestOneInput as one call of fuzz_source with its loader.
 */
#ifndef TV_FUZZ_H
#define TV_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "io/ioutil.h"
#include "io/safetext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A loader with the file name fixed: 0 when it loaded src. */
typedef int (*fuzz_loader)(const char *buf, size_t len,
			   struct tv_source *src, struct tv_error *err);

static void
fuzz_show_tokens(const struct tv_source *src)
{
	char buf[256];

	for (uint32_t p = 0; p < src->n_pos; p++) {
		const struct tv_dist *d = &src->pos[p];

		for (uint32_t i = 0; i < d->n && i < 1000; i++) {
			size_t len;
			const char *t = tv_dist_tok(d, i, &len);

			tv_safe_text(t, len, buf, sizeof buf, 40, (int)(i & 1));
		}
	}
}

static int
fuzz_source(fuzz_loader load, const uint8_t *data, size_t size)
{
	struct tv_source src = { 0 };
	struct tv_error err;

	if (load((const char *)data, size, &src, &err) == 0)
		fuzz_show_tokens(&src);
	tv_source_free(&src);
	return 0;
}

#endif
