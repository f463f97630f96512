/* SPDX-License-Identifier: MIT */
/* libFuzzer harness for the .npy loader. Run by `make fuzz`. */
#include "fuzz.h"

static int
load(const char *buf, size_t len, struct tv_source *src, struct tv_error *err)
{
	return tv_load_npy("fuzz.npy", buf, len, NULL, src, err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The loader expects what detection checked: the magic. */
	if (!tv_io_is_npy((const char *)data, size))
		return 0;
	return fuzz_source(load, data, size);
}
