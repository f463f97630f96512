/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for the NPY loader: any bytes must load or fail with
 * a message, never crash, hang or leak. Run by `make fuzz`.
 */
#include <stddef.h>
#include <stdint.h>

#include "io/ioutil.h"
#include "io/safetext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every token of a loaded source through the display filter too. */
static void
show_tokens(const struct tv_source *src)
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tv_source src = { 0 };
	struct tv_error err;

	/* The loader expects what detection checked: the magic. */
	if (!tv_io_is_npy((const char *)data, size))
		return 0;
	if (tv_load_npy("fuzz.npy", (const char *)data, size, NULL, &src, &err) == 0)
		show_tokens(&src);
	tv_source_free(&src);
	return 0;
}
